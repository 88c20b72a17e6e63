"""The (account, region, service) steps of a collection that run now, and what a failed one means.

The progress bar names the step waited on longest; a step that timed out (an endpoint that accepts
connections and never answers) fails its partition at once: the partition's steps not yet started are
not run, so a hung region costs one round of timeouts, not one per service. The in-process runner and
the workers' part tasks say it in the same words.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

# What a collection tells its progress bar: steps (or tasks) done, their total, what is waited on longest
Progress = Callable[[int, int, str], None]


def step_name(service: str, account: str, region: str) -> str:
    return f"{service} in {account}/{region}"


def waited_on(step: str, seconds: float) -> str:
    """'ec2 in 123456789012/eu-central-1 (12s)'."""
    return f"{step} ({seconds:.0f}s)"


class Steps:
    """The steps running now, each with when it started (thread safe: the collecting threads add them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, float] = {}

    @contextlib.contextmanager
    def running(self, step: str) -> Iterator[float]:
        """The step is waited on while the block runs; yields when it started (perf_counter)."""
        started = time.perf_counter()
        with self._lock:
            self._running[step] = started
        try:
            yield started
        finally:
            with self._lock:
                self._running.pop(step, None)

    def longest(self) -> str:
        """The step waited on longest, as `waited_on` says it, or '' when none runs."""
        with self._lock:
            if not self._running:
                return ""
            step, started = min(self._running.items(), key=lambda item: item[1])
        return waited_on(step, time.perf_counter() - started)


class StepFailed(Exception):
    """A step's error, with how long the step ran before it."""

    def __init__(self, error: Exception, seconds: float) -> None:
        super().__init__(str(error))
        self.error = error
        self.seconds = seconds

    @property
    def timed_out(self) -> bool:
        return timed_out(self.error)

    def describe(self, service: str, account: str, region: str) -> str:
        """How its partition reports it: a timeout names what was waited on and how long."""
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s waiting for {step_name(service, account, region)}"
        return f"{service}: {short_error(self.error)}"


def not_run(services: Iterable[str]) -> str:
    """The error of a partition's services skipped after one of its steps timed out."""
    return f"not collected after the timeout: {', '.join(sorted(services))}"


def timed_out(error: BaseException) -> bool:
    """Whether an endpoint did not answer in time (botocore's connect or read timeout, after its retries),
    also when a service wrapped the error in one of its own."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, (ConnectTimeoutError, ReadTimeoutError)):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def short_error(error: Exception) -> str:
    return str(error).splitlines()[0][:300] if str(error) else type(error).__name__
