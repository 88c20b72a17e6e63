"""The lines the API runs now: each has a deadline, and each can be cancelled from outside its thread
(its client went away, its deadline passed, the server stops)."""

from __future__ import annotations

import contextlib
import threading

from cloudsift.context import Context
from cloudsift.errors import Stopped


def cancel_line(ctx: Context) -> None:
    """Stop a line from another thread: its flag for the pipeline and jq, an interrupt for its query."""
    ctx.cancelled.set()
    store = ctx._store
    if store is not None:
        with contextlib.suppress(Exception):  # the handle may be closing meanwhile
            store.interrupt()


class RunningLine:
    """One line in flight: cancelled when its deadline passes; `finish` when it ends, however."""

    def __init__(self, lines: RunningLines, ctx: Context, timeout: float) -> None:
        self.lines, self.ctx, self.timeout = lines, ctx, timeout
        self.timed_out = False
        self._timer = threading.Timer(timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.timed_out = True
        cancel_line(self.ctx)

    def cancel(self) -> None:
        cancel_line(self.ctx)

    def explain(self, error: BaseException) -> BaseException:
        """What a line stopped by its deadline says, instead of a bare "stopped"."""
        if self.timed_out and (isinstance(error, Stopped) or self.ctx.cancelled.is_set()):
            return Stopped(
                f"stopped: the line ran longer than {self.timeout:g}s ([server] line_timeout_seconds)"
            )
        return error

    def finish(self) -> None:
        self._timer.cancel()
        self.lines._discard(self)


class RunningLines:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lines: set[RunningLine] = set()

    def start(self, ctx: Context, timeout: float) -> RunningLine:
        line = RunningLine(self, ctx, timeout)
        with self._lock:
            self._lines.add(line)
        return line

    def _discard(self, line: RunningLine) -> None:
        with self._lock:
            self._lines.discard(line)

    def count(self) -> int:
        with self._lock:
            return len(self._lines)

    def cancel_all(self) -> None:
        with self._lock:
            lines = list(self._lines)
        for line in lines:
            line.cancel()
