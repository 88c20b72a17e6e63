"""What `cloudsift serve` runs beside its API: the scheduler and the loop that delivers the outbox."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from cloudsift.alerts.outbox import RetryPolicy
from cloudsift.commands.alerts import deliver_pending
from cloudsift.config import Config
from cloudsift.context import Context
from cloudsift.errors import CloudsiftError
from cloudsift.jobs.scheduler import Scheduler
from cloudsift.redact import mask_url_password
from cloudsift.store.open import open_store
from cloudsift.store.retention import prune

if TYPE_CHECKING:
    from cloudsift.workers.worker import Worker

log = logging.getLogger("cloudsift.server")
RETENTION_INTERVAL_SECONDS = 3600.0


class Service:
    """The store, the scheduler thread and the delivery thread of one server process."""

    def __init__(self, config: Config, worker: bool = False) -> None:
        self.config = config
        self.ctx = Context(config=config, open_store=lambda: open_store(config), served=True)
        self.worker: Worker | None = None
        if worker:  # PostgreSQL may be down now: the worker retries and says so, the API answers meanwhile
            from cloudsift.workers.worker import Worker

            self.worker = Worker(config)
        else:
            self.ctx.store  # noqa: B018  (open it now: a locked or broken store stops the start)
        self.stop_event = threading.Event()
        self.scheduler = Scheduler(self.ctx)
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._threads = [
            threading.Thread(
                target=self.scheduler.run, args=(self.stop_event,), name="scheduler", daemon=True
            ),
            threading.Thread(target=self._deliver_loop, name="delivery", daemon=True),
        ]
        if self.worker is None and self.config.store.retention_seconds is not None:
            # a worker prunes with its periodic task (once over all workers); a server of its own does it here
            self._threads.append(threading.Thread(target=self._retention_loop, name="retention", daemon=True))
        for thread in self._threads:
            thread.start()
        if self.worker is not None:
            self.worker.start()

    def stop(self) -> None:
        """Let the running step finish (a collection, a job, a delivery), then close the store."""
        self.stop_event.set()
        self.ctx.runner.changed.set()
        if self.worker is not None:
            self.worker.stop()
        for thread in self._threads:
            thread.join()
        self.ctx.close()

    def context(self, terminal: bool = False, width: int = 120, cwd: Path | None = None) -> Context:
        ctx = self.ctx.derive()
        ctx.terminal, ctx.width = terminal, width
        if cwd is not None:
            ctx.cwd = cwd
        return ctx

    def deliver_pending(self) -> None:
        """One pass over the outbox, every sink and key: one try per event that is due (its backoff
        ran out), so a hung receiver holds up no other key for longer than one request's deadline;
        a stopping server abandons the request in flight (the event stays pending)."""
        ctx = self.ctx.derive()
        section = self.config.pagerduty
        policy = RetryPolicy(within=section.deliver_within, retries=0, base=section.retry_base_seconds)
        try:
            for result in deliver_pending(ctx, sleep=self._pause, stop=self.stop_event, policy=policy,
                                          due_only=True):  # fmt: skip
                log.info("outbox: %s %s: %s", result.item.dedup_key, result.outcome, result.detail)
        finally:
            ctx.close()

    def _pause(self, seconds: float) -> None:
        self.stop_event.wait(seconds)  # a stopping server does not sit out a backoff

    def _retention_loop(self) -> None:
        """Retention when the server starts and hourly: a collection prunes too, but a store that
        nothing collects into (or that collects rarely) is kept within [store] retention as well."""
        while True:
            ctx = self.ctx.derive()
            try:
                log.info("%s", prune(ctx.store, self.config.store.retention_seconds))
            except CloudsiftError as e:
                log.error("retention: %s", mask_url_password(e.render(), self.config.store.url))
            except Exception:  # the loop lives on; the next hour tries again
                log.exception("retention failed")
            finally:
                ctx.close()
            if self.stop_event.wait(RETENTION_INTERVAL_SECONDS):
                return

    def _deliver_loop(self) -> None:
        # First at start: what a stopped or killed server left in the outbox goes out now.
        while True:
            try:
                self.deliver_pending()
            except CloudsiftError as e:  # the store cannot be reached (a worker's PostgreSQL went away)
                log.error("outbox delivery: %s", mask_url_password(e.render(), self.config.store.url))
            except Exception:  # the loop lives on; the event stays in the outbox
                log.exception("outbox delivery failed")
            if self.stop_event.wait(self.config.server.delivery_interval_seconds):
                return
