"""The worker of `cloudsift serve --worker`: procrastinate's worker in a thread of its own, taking the
collection tasks of the store's queue; it runs again the tasks of workers that stopped sending
heartbeats (killed, or cut off), and when PostgreSQL cannot be reached it retries, says so in the log
and in /health, and goes on when it answers again."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import math
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg

from cloudsift.config import Config
from cloudsift.redact import mask_url_password
from cloudsift.store.postgres import PostgresStore
from cloudsift.workers import tasks
from cloudsift.workers.heartbeat import PROBE_SECONDS, Heartbeat
from cloudsift.workers.metrics import TaskDurations
from cloudsift.workers.queue import (
    COLLECT_ACCOUNT,
    COLLECT_PART,
    FINISH_COLLECTION,
    MAINTENANCE,
    QUEUE,
    connection_options,
    ensure_tables,
    postgres_url,
)

log = logging.getLogger("cloudsift.worker")
PRUNE = "cloudsift.prune"
PRUNE_CRON = "23 * * * *"  # hourly, off the hour
RECONNECT_MAX_SECONDS = 30.0
TASKS: dict[str, Callable[..., None]] = {
    COLLECT_ACCOUNT: tasks.collect_account,
    COLLECT_PART: tasks.collect_part,
    FINISH_COLLECTION: tasks.finish_collection,
}


UNREACHABLE = "cannot reach PostgreSQL"
QUIETED = ("procrastinate", "psycopg.pool")  # their records about a lost connection: see Worker._quiet
CONNECTION_WORDS = (
    "error connecting",
    "connection failed",
    "Database error",
    "connection is lost",
    "discarding closed connection",
    "discarding broken connection",
)  # the pool's, after an outage
# a lost or refused connection (the pool's timeout is an OperationalError too); not a database's own errors
# (a full disk, a cancelled query, too many connections), which keep their records
CONNECTION_ERRORS = (ConnectionError, TimeoutError, socket.gaierror, psycopg.OperationalError)


def _lost_connection(error: BaseException) -> bool:
    if isinstance(error, psycopg.OperationalError):  # none: the client's own; 08: connection exceptions;
        state = error.sqlstate  # 57P01-03: the server shutting down, crashed, or not accepting yet
        return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")
    return isinstance(error, CONNECTION_ERRORS)


FAILING = "stopped by an error"  # PostgreSQL answers, but the worker's loop failed


def register_prune(app: Any, config: Config) -> None:
    """Retention on the queue, procrastinate's way: a periodic task (deferred once per tick over all
    workers, on its own queue) that runs its builtin remove_old_jobs on the finished jobs of every queue, then
    prunes the store's own tables (the same as after each collection)."""
    from procrastinate import builtin_tasks

    seconds = config.store.retention_seconds
    if seconds is None:
        return

    async def prune_queue(context: Any, timestamp: int) -> None:
        from cloudsift.store.retention import prune

        await builtin_tasks.remove_old_jobs(context, max_hours=max(1, math.ceil(seconds / 3600)), queue=None,
                                            remove_failed=True, remove_cancelled=True, remove_aborted=True)  # fmt: skip
        store = PostgresStore(config.store.url, config.store.schema)
        try:
            pruned = await asyncio.to_thread(prune, store, seconds)
        finally:
            store.close()
        log.info("worker: %s", pruned)

    task = app.task(name=PRUNE, queue=MAINTENANCE, pass_context=True, queueing_lock=PRUNE)(prune_queue)
    app.periodic(cron=PRUNE_CRON, periodic_id="retention")(task)


def _first_line(error: BaseException) -> str:
    """The first line of the error at the root of the chain ("Database error." says less than its cause)."""
    while error.__cause__ is not None:
        error = error.__cause__
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


class Worker:
    """One process's worker: its state for /health and /metrics, and the thread that runs it."""

    def __init__(self, config: Config) -> None:
        postgres_url(config, "serve --worker")
        self.config = config
        self.stop_event = threading.Event()
        self.state = "starting"
        self.error: str | None = None
        self.since = dt.datetime.now(dt.UTC)
        self.counts: dict[str, int] = {"done": 0, "failed": 0, "retried_stalled": 0}
        self.durations = TaskDurations()
        self.running: set[int] = set()  # the ids of the jobs this process runs now
        self._orphaned: dict[int, float] = {}  # running jobs of no worker: since when this one has seen them
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._wait = 1.0  # before the next try; doubled up to RECONNECT_MAX_SECONDS, 1 s again once it runs
        self._said = False  # this try's failure is in the log already

    def status(self) -> dict[str, Any]:
        with self._guard:
            return {"state": self.state, "error": self.error, "since": self.since.isoformat(timespec="seconds"),
                    "name": tasks.WORKER, **self.counts}  # fmt: skip

    @property
    def healthy(self) -> bool:
        return self.state not in (UNREACHABLE, FAILING)

    def start(self) -> None:
        for handler in logging.getLogger().handlers:
            handler.addFilter(self._quiet)
        self._thread = threading.Thread(target=self._run, name="worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Let the running tasks end (a killed or stopped worker's tasks are run again elsewhere)."""
        self.stop_event.set()
        if self._thread is not None:
            self._thread.join()
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self._quiet)

    @staticmethod
    def _quiet(record: logging.LogRecord) -> bool:
        """Whether a log record goes out: not procrastinate's nor psycopg.pool's about a lost connection
        (each of their tries, with its traceback), as the worker says once per outage why it takes no
        tasks and once when PostgreSQL answers again."""
        if not record.name.startswith(QUIETED):
            return True
        error = record.exc_info[1] if record.exc_info else None
        while error is not None and not _lost_connection(error):
            error = error.__cause__ or error.__context__
        return error is None and not any(words in record.getMessage() for words in CONNECTION_WORDS)

    def _set(self, state: str, error: str | None = None) -> None:
        with self._guard:
            if state != self.state:
                self.since = dt.datetime.now(dt.UTC)
            self.state, self.error = state, error

    def _count(self, outcome: str) -> None:
        with self._guard:
            self.counts[outcome] += 1

    def _ended(self, task: str, outcome: str, started: float) -> None:
        self._count("done" if outcome == "succeeded" else outcome)
        self.durations.observe(QUEUE, task, outcome, time.perf_counter() - started)

    def _run(self) -> None:
        tasks.STATE = tasks.TaskState(self.config)
        while not self.stop_event.is_set():
            self._said = False
            try:
                store = PostgresStore(self.config.store.url, self.config.store.schema)
                try:
                    ensure_tables(store)
                finally:
                    store.close()
                asyncio.run(self._work())
            except Exception as e:  # PostgreSQL went away or never came: say so, retry with backoff
                if not self._said:
                    self._say(e)
                self.stop_event.wait(self._wait)
                self._wait = min(self._wait * 2, RECONNECT_MAX_SECONDS)
        self._set("stopped")

    def _say(self, error: Exception) -> None:
        """In /health and the log: why the worker takes no tasks, and when it tries again."""
        unreachable = self._unreachable()
        state = UNREACHABLE if unreachable else FAILING
        reason = mask_url_password(unreachable or _first_line(error), self.config.store.url)
        with self._guard:
            known = (self.state, self.error) == (state, reason)
        self._set(state, reason)
        if not known:  # once per outage (or per new cause), not once per try
            log.error("worker: %s (%s); retrying in %.0fs", state, reason, self._wait)
        self._said = True

    def _unreachable(self) -> str | None:
        """Why PostgreSQL cannot be reached now, from a connection of its own (the pool's error only
        says it timed out), or None when it answers."""
        import psycopg

        try:
            psycopg.connect(self.config.store.url, connect_timeout=PROBE_SECONDS).close()
        except psycopg.Error as e:
            return _first_line(e)
        return None

    def _running(self) -> list[int]:
        with self._guard:
            return sorted(self.running)

    def _task(self, function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def run(context: Any, **kwargs: Any) -> None:
            started = time.perf_counter()
            with self._guard:
                self.running.add(context.job.id)
            try:
                function(**kwargs)
            except Exception as e:  # procrastinate retries it (RetryStrategy below)
                self._ended(function.__name__, "failed", started)
                log.error("worker: task %s failed: %s", function.__name__, _first_line(e), exc_info=True)
                raise
            finally:
                with self._guard:
                    self.running.discard(context.job.id)
            self._ended(function.__name__, "succeeded", started)

        return run

    async def _work(self) -> None:
        import procrastinate
        from procrastinate import worker as procrastinate_worker

        workers = self.config.workers
        # procrastinate runs each synchronous task in the loop's executor: room for all of them at once
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(workers.concurrency + 2, "task"))
        # Bounded waits: a PostgreSQL that went away shows within seconds (the loop below queries
        # every second), not after the pool's default 30 s per attempt.
        app = procrastinate.App(connector=procrastinate.PsycopgConnector(
            conninfo=self.config.store.url,
            kwargs={"options": connection_options(self.config), "connect_timeout": PROBE_SECONDS},
            min_size=1, max_size=workers.concurrency + 4, timeout=2 * PROBE_SECONDS,
        ))  # fmt: skip
        retry = procrastinate.RetryStrategy(max_attempts=5, wait=2, exponential_wait=2)
        for name, function in TASKS.items():
            app.task(name=name, queue=QUEUE, retry=retry, pass_context=True)(self._task(function))
        register_prune(app, self.config)
        async with app.open_async():
            # procrastinate's worker (built as app.run_worker_async builds it): its id is known to us
            queued = procrastinate_worker.Worker(
                app=app, queues=[QUEUE, MAINTENANCE], name=tasks.WORKER, concurrency=workers.concurrency, install_signal_handlers=False,
                update_heartbeat_interval=workers.heartbeat_seconds, stalled_worker_timeout=workers.stalled_after_seconds,
                fetch_job_polling_interval=1.0, wait=True,
            )  # fmt: skip
            heartbeat = Heartbeat(self.config, self._running)
            _register_again_on_fetch(app, heartbeat)
            worker = asyncio.create_task(queued.run())  # type: ignore[no-untyped-call]
            with self._guard:
                down = self.since if self.state in (UNREACHABLE, FAILING) else None
            self._set("running")
            self._wait = 1.0
            back = (
                f"PostgreSQL answers again after {(dt.datetime.now(dt.UTC) - down).total_seconds():.0f}s; "
                if down
                else ""
            )
            log.info(
                "worker %s: %staking collection tasks (%d at a time)", tasks.WORKER, back, workers.concurrency
            )
            try:
                while not worker.done() and not self.stop_event.is_set():
                    if queued.worker_id is not None:
                        heartbeat.beat_for(queued.worker_id)
                    await self._retry_stalled(app, queued.worker_id)
                    await asyncio.sleep(min(1.0, workers.heartbeat_seconds))
            except Exception as e:  # said now: stopping procrastinate's worker waits for the pool again
                await asyncio.to_thread(self._say, e)
                raise
            finally:
                heartbeat.leaving = True
                if not worker.done():
                    worker.cancel()  # procrastinate stops taking jobs and lets the running ones end
                await asyncio.gather(worker, return_exceptions=True)
                await asyncio.to_thread(heartbeat.stop)
            if not self.stop_event.is_set():
                worker.result()  # its error (PostgreSQL went away) goes to the retry above

    async def _retry_stalled(self, app: Any, own: int | None) -> None:
        """The tasks of workers silent for longer than [workers] stalled_after_seconds: run them again
        (procrastinate's retry of a job still 'doing' is one update: of several workers, one wins).
        Never this worker's own (`own`, or a job it runs): they run here, however late its heartbeat.
        A task of no worker (its row pruned by a starting worker) waits stalled_after_seconds more,
        as seen from here: a worker merely late registers again and takes it back (workers/heartbeat.py)."""
        seconds = self.config.workers.stalled_after_seconds
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds)
        now, running = time.monotonic(), set(self._running())
        self._orphaned = {job.id: self._orphaned.get(job.id, now) for job in stalled if job.worker_id is None}
        for job in stalled:
            if job.id in running or (own is not None and job.worker_id == own):
                continue
            if job.worker_id is None and now - self._orphaned[job.id] < seconds:
                continue
            try:
                await app.job_manager.retry_job(job)
            except Exception as e:  # another worker retried it first
                log.debug("worker: stalled task %s not retried here: %s", job.id, e)
                continue
            self._count("retried_stalled")
            log.warning("worker: task %s (%s) of a stalled worker runs again", job.id, job.task_name)


def _register_again_on_fetch(app: Any, heartbeat: Heartbeat) -> None:
    """procrastinate's fetch marks a job with its worker's id, a foreign key: after its row was pruned
    (this worker silent past a starting worker's threshold) it fails, and with it procrastinate's
    worker. Such a fetch beats first, which registers the worker again, and fetches once more."""
    from procrastinate.exceptions import ConnectorException

    fetch = app.job_manager.fetch_job

    async def fetch_job(queues: Any, worker_id: int) -> Any:
        try:
            return await fetch(queues=queues, worker_id=worker_id)
        except ConnectorException as e:
            if not isinstance(e.__cause__, psycopg.errors.ForeignKeyViolation):
                raise
        heartbeat.worker_id = worker_id
        await asyncio.to_thread(heartbeat.beat)
        return await fetch(queues=queues, worker_id=worker_id)

    app.job_manager.fetch_job = fetch_job
