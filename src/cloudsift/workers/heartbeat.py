"""The worker's heartbeat, from a thread and a connection of its own, and its registration kept.

procrastinate's beats come from the worker's event loop through its pool, where the tasks' threads
(parsing AWS's answers, holding the GIL) and the pool's other queries can make them late; a late
beat let other workers take this one for dead. procrastinate's own beats go on beside these.

procrastinate deletes, at any worker's start, the rows of workers silent past that worker's
threshold: a worker merely late (descheduled, stopped, its machine paused) loses its row, and the
jobs it runs lose their worker (worker_id NULL), as a dead worker's do. A beat that finds the row
gone registers the worker again under the same id and takes back those of its running jobs that no
other worker has run again yet, so they are not run twice.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg

from cloudsift.config import Config
from cloudsift.workers.queue import connection_options

log = logging.getLogger("cloudsift.worker")
PROBE_SECONDS = 5  # connecting to PostgreSQL (the wait for a pooled connection: twice that)

BEAT = "UPDATE procrastinate_workers SET last_heartbeat = now() WHERE id = %s RETURNING id"
# the id is procrastinate's own, handed out once by its identity column: no other worker holds it
REGISTER_AGAIN = (
    "INSERT INTO procrastinate_workers (id, last_heartbeat) OVERRIDING SYSTEM VALUE VALUES (%s, now()) "
    "ON CONFLICT (id) DO UPDATE SET last_heartbeat = now()"
)
KEEP_JOBS = (
    "UPDATE procrastinate_jobs SET worker_id = %s WHERE id = ANY(%s) AND status = 'doing' AND worker_id IS NULL "
    "RETURNING id"
)


class Heartbeat:
    """Beats for procrastinate's worker `worker_id` every heartbeat_seconds; `running` gives the ids
    of the jobs this process runs now (what a registration made again takes back)."""

    def __init__(self, config: Config, running: Callable[[], list[int]]) -> None:
        self.config = config
        self.running = running
        self.worker_id: int | None = None
        self.leaving = False  # procrastinate's worker stops and deletes its row: never registered again then
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: psycopg.Connection[Any] | None = None
        self._guard = (
            threading.Lock()
        )  # the thread's beats and beat() from the worker's loop share the connection

    def beat_for(self, worker_id: int) -> None:
        """Beat for procrastinate's worker `worker_id` from now on (it has a new id after a restart)."""
        self.worker_id = worker_id
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        # a beat stuck on a lost host gives up by its own timeouts: never wait longer than those
        if self._thread is not None:
            self._thread.join(timeout=4 * PROBE_SECONDS)

    def beat(self) -> None:
        """One beat; the worker registered again if its row is gone. psycopg.Error when PostgreSQL is gone."""
        with self._guard:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(  # a host that vanishes without closing: the beat gives up in seconds
                    self.config.store.url, autocommit=True, connect_timeout=PROBE_SECONDS,
                    options=f"{connection_options(self.config)} -c statement_timeout={PROBE_SECONDS * 1000}",
                    keepalives=1, keepalives_idle=PROBE_SECONDS, keepalives_interval=2, keepalives_count=2,
                )  # fmt: skip
            try:
                if self._conn.execute(BEAT, [self.worker_id]).fetchone() is None and not self.leaving:
                    self._register_again(self._conn)
            except psycopg.Error:
                self._conn.close()
                raise

    def _register_again(self, conn: psycopg.Connection[Any]) -> None:
        running = self.running()
        with conn.transaction():
            conn.execute(REGISTER_AGAIN, [self.worker_id])
            kept = conn.execute(KEEP_JOBS, [self.worker_id, running]).fetchall()
        log.warning(
            "worker: its registration was gone (silent past a starting worker's stalled threshold): registered "
            "again as %s, keeping %d of its %d running tasks (the others run again elsewhere; the first end counts)",
            self.worker_id, len(kept), len(running),
        )  # fmt: skip

    def _run(self) -> None:
        try:
            while True:
                with contextlib.suppress(psycopg.Error):  # PostgreSQL went away: the loop says so; beat later
                    self.beat()
                if self._stop.wait(self.config.workers.heartbeat_seconds):
                    return
        finally:
            with self._guard:
                if self._conn is not None:
                    self._conn.close()
