"""The context a command line runs in: the store (opened on first use), the config, the clock, the
process's job runner and a flag that stops the line. Below the commands, the jobs and the server."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cloudsift.config import Config
from cloudsift.store.base import Store

if TYPE_CHECKING:
    from cloudsift.jobs.runs import JobRunner

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def fixed_clock(instant: dt.datetime) -> Clock:
    """A clock that stands still (tests drive time by deriving contexts at later instants)."""
    return lambda: instant


def _new_runner() -> JobRunner:
    from cloudsift.jobs.runs import JobRunner

    return JobRunner()


class Context:
    """What a running command line can use. `now` reads the clock at each use, so a long-lived shell
    or server sees time pass: `@NOW@`, `age` and a collection's instant are those of the line that
    runs. Pass `now` to stop the clock at an instant, or `clock` to drive it (tests)."""

    def __init__(
        self,
        config: Config,
        open_store: Callable[[], Store],
        now: dt.datetime | None = None,
        *,
        clock: Clock | None = None,
        terminal: bool = False,
        width: int = 120,
        runner: JobRunner | None = None,
        cancelled: threading.Event | None = None,
        served: bool = False,  # runs inside `cloudsift serve`: no progress bar, no stdin
        cwd: Path | None = None,
    ) -> None:
        if now is not None and clock is not None:
            raise ValueError("a context takes `now` or `clock`, not both")
        self.config = config
        self.open_store = open_store
        self.clock: Clock = clock or (fixed_clock(now) if now is not None else system_clock)
        self.terminal = terminal
        self.width = width
        self.runner = runner if runner is not None else _new_runner()
        self.cancelled = cancelled if cancelled is not None else threading.Event()
        self.served = served
        self.cwd = cwd if cwd is not None else Path.cwd()
        self._store: Store | None = None

    @property
    def now(self) -> dt.datetime:
        return self.clock()

    def derive(self, now: dt.datetime | None = None) -> Context:
        """A context for another thread or run: its own store handle, the same runner, and this
        context's clock; with `now`, that clock reads `now` at this moment and runs on from there
        at this clock's pace (a stopped clock stays at `now`)."""
        parent = self
        clock = self.clock
        if now is not None:
            offset = now - clock()
            clock = lambda: parent.clock() + offset  # noqa: E731 (a closure over the offset)
        return Context(
            config=self.config,
            open_store=lambda: parent.store.session(),
            clock=clock,
            runner=self.runner,
            served=self.served,
            cwd=self.cwd,
        )

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self.open_store()
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
