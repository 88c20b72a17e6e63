"""The scheduler of `cloudsift serve`: fires cron schedules of jobs and of the collect workflow.

`tick(now)` does what is due at `now`, so tests drive it with the clock they choose; `run()` calls it
as time passes. When each schedule last fired is kept in the store: a schedule missed while no server
ran fires once on the next tick, and of several servers on one PostgreSQL store only one fires it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from cloudsift.context import Context
from cloudsift.errors import CloudsiftError
from cloudsift.jobs.model import Job, load_jobs
from cloudsift.schedule import due, next_fire

log = logging.getLogger("cloudsift.scheduler")
COLLECT = "workflow:collect"
MAX_SLEEP = 30.0


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Scheduler:
    ctx: Context  # the scheduler's own context; every run gets a derived one
    clock: Callable[[], dt.datetime] = _utcnow
    threads: list[threading.Thread] = field(default_factory=list)

    @property
    def timezone(self) -> str:
        return self.ctx.config.server.timezone

    # ---- what fired when

    def _last_fired(self) -> dict[str, dt.datetime]:
        return dict(self.ctx.store.execute("SELECT name, last_fired FROM schedule_state"))

    def _claim(self, name: str, seen: dt.datetime | None, at: dt.datetime) -> bool:
        """Record that `name` fires at `at`, if its last fire is still the one this tick read: of several
        servers sharing one PostgreSQL store, only the first to claim a fire runs it."""
        if seen is None:
            rows = self.ctx.store.execute(
                "INSERT INTO schedule_state (name, last_fired) VALUES (?, ?) ON CONFLICT (name) DO NOTHING "
                "RETURNING name",
                [name, at],
            )
        else:
            rows = self.ctx.store.execute(
                "UPDATE schedule_state SET last_fired = ? WHERE name = ? AND last_fired = ? RETURNING name",
                [at, name, seen],
            )
        return bool(rows)

    def _last_collect(self) -> dt.datetime | None:
        rows = self.ctx.store.execute("SELECT max(started_at) FROM workflow_runs WHERE workflow = 'collect'")
        return rows[0][0] if rows else None

    # ---- one step

    def tick(self, now: dt.datetime, wait: bool = False, jobs: list[Job] | None = None) -> list[str]:
        """Start what is due at `now`; the names of what started. `wait` joins the runs (for tests);
        `jobs` are the stored jobs when the caller has just read them."""
        fired = self._last_fired()
        started: list[str] = []
        schedule = self.ctx.config.workflows.collect.schedule
        if schedule:
            last = fired.get(COLLECT) or self._last_collect()
            # Never collected: that is a missed schedule too; the first start collects.
            if (last is None or due(schedule, last, now, self.timezone)) and self._claim(
                COLLECT, fired.get(COLLECT), now
            ):
                started.append(COLLECT)
                self._start(COLLECT, lambda: self._collect(now))
        for job in load_jobs(self.ctx.store) if jobs is None else jobs:
            if not (job.active and job.schedule):
                continue
            name = f"job:{job.id}"
            if not due(job.schedule, fired.get(name) or job.created_at, now, self.timezone):
                continue
            if not self._claim(name, fired.get(name), now):
                continue  # another server sharing the store fired it
            started.append(name)
            if job.wait_for_event:
                self.ctx.runner.wait_for_event(
                    self.ctx.store, job, now
                )  # the event runs it, if it comes in time
            else:
                self._start(name, lambda job=job: self._run_job(job, now))  # type: ignore[misc]
        if wait:
            self.join()
        return started

    def next_wake(self, now: dt.datetime, jobs: list[Job] | None = None) -> dt.datetime:
        """When the next schedule fires (at most MAX_SLEEP from now, so new jobs are seen)."""
        wake = now + dt.timedelta(seconds=MAX_SLEEP)
        jobs = load_jobs(self.ctx.store) if jobs is None else jobs
        schedules = [j.schedule for j in jobs if j.active and j.schedule]
        if self.ctx.config.workflows.collect.schedule:
            schedules.append(self.ctx.config.workflows.collect.schedule)
        for schedule in schedules:
            wake = min(wake, next_fire(schedule, now, self.timezone))
        return wake

    def run(self, stop: threading.Event) -> None:
        """Tick as time passes until `stop` is set; then wait for the runs that started."""
        while True:
            # cleared before the jobs are read: a job changed (or a stop) from here on wakes the wait below
            self.ctx.runner.changed.clear()
            if stop.is_set():
                break
            now = self.clock()
            try:
                jobs = load_jobs(self.ctx.store)  # read once per wake
                self.tick(now, jobs=jobs)
                wake = self.next_wake(now, jobs)
            except CloudsiftError as e:
                log.error("scheduler: %s", e.render())
                wake = now + dt.timedelta(seconds=MAX_SLEEP)
            except Exception as e:  # the store went away (PostgreSQL restarted): a new handle next time
                log.error(
                    "scheduler: %s; retrying in %.0fs",
                    str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__,
                    MAX_SLEEP,
                )
                self.ctx.close()
                wake = now + dt.timedelta(seconds=MAX_SLEEP)
            seconds = max(0.05, (wake - self.clock()).total_seconds())
            # A changed job wakes the loop early; stop wakes it too (the event is set by `stop` below).
            self.ctx.runner.changed.wait(seconds)
        self.join()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()
        self.threads = [t for t in self.threads if t.is_alive()]

    # ---- runs

    def _start(self, name: str, target: Callable[[], None]) -> None:
        self.threads = [t for t in self.threads if t.is_alive()]
        thread = threading.Thread(target=target, name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def _collect(self, now: dt.datetime) -> None:
        from cloudsift.commands.workflows import run_collect

        ctx = self.ctx.derive(now)
        try:
            for line in run_collect(ctx).lines:
                log.info("collect: %s", line)
        except CloudsiftError as e:
            log.error("collect: %s", e.render())
        except Exception:
            log.exception("collect failed")
        finally:
            ctx.close()

    def _run_job(self, job: Job, now: dt.datetime) -> None:
        ctx = self.ctx.derive(now)
        try:
            for line in ctx.runner.run(ctx, job).lines():
                log.info("%s", line)
        except Exception:
            log.exception("job %s failed", job.id)
        finally:
            ctx.close()
