"""Running jobs: one run of a job at a time, a follow-up queued when triggered during a run, timeouts
enforced, every run recorded with its output."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cloudsift.errors import CloudsiftError, error_line, internal_error
from cloudsift.jobs.model import DEFAULT_EVENT_WAIT, Job, load_jobs

if TYPE_CHECKING:
    from cloudsift.context import Context
    from cloudsift.store.base import Store

# A row of schedule_state named so holds until when a scheduled job waits for its event (no schedule
# has such a name).
WAITING = "waiting:job:"


@dataclass(frozen=True)
class RunResult:
    job: str
    outcome: str  # done | failed | timeout | queued
    output: list[str]

    def lines(self) -> list[str]:
        return [f"job {self.job}: {line}" for line in self.output] or [f"job {self.job}: {self.outcome}"]


@dataclass
class JobRunner:
    """What one process knows about its runs: which jobs run now, which wait for a follow-up, which
    scheduled jobs wait for their event; and the locks that keep a collection and a delivery single."""

    collect_lock: threading.Lock = field(default_factory=threading.Lock)
    delivery_lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Event = field(default_factory=threading.Event)  # jobs were added or changed
    collect_started: dt.datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _running: dict[str, dt.datetime] = field(default_factory=dict)
    _queued: set[str] = field(default_factory=set)

    def running(self) -> dict[str, dt.datetime]:
        with self._lock:
            return dict(self._running)

    def wait_for_event(self, store: Store, job: Job, now: dt.datetime) -> None:
        """The job's schedule fired: it waits for its event until its timeout. Kept in the store, so the
        process that emits the event (another worker on PostgreSQL) finds it."""
        until = now + dt.timedelta(seconds=job.timeout or DEFAULT_EVENT_WAIT)
        store.execute(
            "INSERT INTO schedule_state (name, last_fired) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET last_fired = excluded.last_fired",
            [WAITING + job.id, until],
        )

    def take_waiting(self, store: Store, job_id: str, now: dt.datetime) -> bool:
        """Whether the job's schedule fired and it still waits for its event (it stops waiting now; of
        several processes, one takes it)."""
        rows = store.execute(
            "DELETE FROM schedule_state WHERE name = ? RETURNING last_fired", [WAITING + job_id]
        )
        return bool(rows) and now <= rows[0][0]

    def run(self, ctx: Context, job: Job) -> RunResult:
        """Run the job now, or queue one follow-up if it runs already; the follow-up runs right after."""
        with self._lock:
            if job.id in self._running:
                self._queued.add(job.id)
                return RunResult(job.id, "queued", ["runs already; one follow-up run is queued"])
            self._running[job.id] = dt.datetime.now(dt.UTC)
        try:
            result = self._run_once(ctx, job)
            while True:
                with self._lock:
                    if job.id not in self._queued:
                        break
                    self._queued.discard(job.id)
                follow = self._run_once(ctx, job)
                result = RunResult(job.id, follow.outcome, result.output + follow.output)
            return result
        finally:
            with self._lock:
                self._running.pop(job.id, None)
                self._queued.discard(job.id)

    def _run_once(self, ctx: Context, job: Job) -> RunResult:
        from cloudsift.commands.pipeline import run_line
        from cloudsift.render import render

        run_ctx = ctx.derive()
        started = dt.datetime.now(dt.UTC)
        clock = time.perf_counter()
        buffer = io.StringIO()
        outcome: list[str] = []

        def work() -> None:
            try:
                render(run_line(job.line, run_ctx), buffer, False)
                outcome.append("done")
            except CloudsiftError as e:
                buffer.write(error_line(e.render(), query=False))
                outcome.append("failed")
            except BaseException as e:  # a job's failure is recorded, never lost in a thread
                buffer.write(internal_error(e) + "\n")
                outcome.append("failed")
            finally:
                run_ctx.close()  # the thread that used the handle closes it, even after a timeout

        shown = ""
        if job.timeout:
            worker = threading.Thread(target=work, name=f"job {job.id}", daemon=True)
            worker.start()
            worker.join(job.timeout)
            if worker.is_alive():
                outcome[:] = ["timeout"]  # what the stopped line says after this is not its output
                shown = buffer.getvalue() + f"stopped: it ran longer than its timeout of {job.timeout}s\n"
                run_ctx.cancelled.set()
                _interrupt(run_ctx)
                worker.join(5)
        else:
            work()
        output = shown if outcome and outcome[0] == "timeout" else buffer.getvalue()
        result = RunResult(job.id, outcome[0] if outcome else "failed", output.splitlines())
        ctx.store.execute(
            "INSERT INTO job_runs (job, started_at, seconds, outcome, output) VALUES (?, ?, ?, ?, ?)",
            [job.id, started, time.perf_counter() - clock, result.outcome, "\n".join(result.output)],
        )
        return result


def _interrupt(ctx: Context) -> None:
    store = ctx._store
    if store is not None:
        with contextlib.suppress(Exception):  # the handle may have finished meanwhile
            store.interrupt()


def run_event_jobs(ctx: Context, event: str, claim: Callable[[Job], bool] | None = None) -> list[str]:
    """The jobs an event triggers: those waiting for it alone, and scheduled ones whose time came.
    `claim` (workers sharing a store) says whether this process runs the job for this event."""
    out: list[str] = []
    for job in load_jobs(ctx.store):
        if not job.active or job.wait_for_event != event:
            continue
        if job.schedule and not ctx.runner.take_waiting(ctx.store, job.id, ctx.now):
            continue
        if claim is not None and not claim(job):
            continue
        out += ctx.runner.run(ctx, job).lines()
    return out
