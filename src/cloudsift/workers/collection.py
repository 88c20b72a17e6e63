"""`collect` with workers: list the accounts, queue one task per account, wait for the run's finish."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict

import orjson

from cloudsift.collect.aws.accounts import config_problems, list_accounts
from cloudsift.collect.run_log import new_run_id
from cloudsift.collect.steps import Progress, step_name, waited_on
from cloudsift.config import Config
from cloudsift.errors import CloudsiftError
from cloudsift.store.base import Store
from cloudsift.store.postgres import PostgresStore
from cloudsift.workers.queue import COLLECT_ACCOUNT, ensure_tables
from cloudsift.workers.tasks import queue_finish

POLL_SECONDS = 0.2
NUDGE_SECONDS = 10.0  # a run whose tasks all ended but has no finish after this: queue the finish again


class WorkersTimeout(CloudsiftError):
    """The workers did not finish a collection in time."""


def collect_with_workers(
    store: Store, config: Config, kinds: list[str] | None, event: Callable[[str], None],
    progress: Progress = lambda done, total, waiting: None,
) -> tuple[list[str], int]:  # fmt: skip
    """One collection by the workers: its summary lines and how many parts failed. The events
    pre_collect and collect (and their jobs) happen here; the rest on the worker that finishes."""
    assert isinstance(store, PostgresStore)
    from cloudsift.workers.queue import defer

    ensure_tables(store)
    kinds = kinds or config.workflows.collect.kinds or None
    event("pre_collect")
    problems = config_problems(config.aws)
    refs, errors = list_accounts(config.aws)
    run_id = new_run_id()
    with store.transaction():
        store.execute(
            "INSERT INTO collect_runs (id, started_at, kinds, problems, account_errors) VALUES (?, now(), ?, ?, ?)",
            [
                run_id,
                orjson.dumps(kinds).decode(),
                orjson.dumps(problems).decode(),
                orjson.dumps(errors).decode(),
            ],
        )
        for ref in refs:
            store.execute(
                "INSERT INTO collect_tasks (run_id, key, account) VALUES (?, ?, ?)",
                [run_id, f"account:{ref.id}", ref.id],
            )
    event("collect")
    for ref in refs:
        defer(config, COLLECT_ACCOUNT, run_id=run_id, ref=asdict(ref), kinds=kinds)
    if not refs:
        queue_finish(config, run_id)
    return _wait(store, config, run_id, progress)


def _wait(store: Store, config: Config, run_id: str, progress: Progress) -> tuple[list[str], int]:
    deadline = time.monotonic() + config.workers.collect_timeout_seconds
    all_ended: float | None = None
    while True:
        run = store.execute("SELECT finished_at, summary, failed FROM collect_runs WHERE id = ?", [run_id])
        if run and run[0][0] is not None:
            return str(run[0][1]).splitlines(), int(run[0][2])
        done, total = store.execute(
            "SELECT count(ended_at), count(*) FROM collect_tasks WHERE run_id = ?", [run_id]
        )[0]
        progress(int(done), int(total), _waited_on(store, run_id))
        now = time.monotonic()
        if done == total:
            all_ended = all_ended or now
            if now - all_ended > NUDGE_SECONDS:  # the finish was lost (its queuer died): queue it again
                queue_finish(config, run_id)
                all_ended = now
        if now > deadline:
            raise WorkersTimeout(
                f"collect: the workers did not finish in {config.workers.collect_timeout_seconds:.0f}s "
                f"({done} of {total} tasks ended); is a `cloudsift serve --worker` running on this store?"
            )
        time.sleep(POLL_SECONDS)


def _waited_on(store: Store, run_id: str) -> str:
    """The service a part task of the run has waited on longest, as the in-process bar names it."""
    rows = store.execute(
        "SELECT waiting, account, region, extract(epoch FROM now() - waiting_since) FROM collect_tasks "
        "WHERE run_id = ? AND ended_at IS NULL AND waiting IS NOT NULL ORDER BY waiting_since LIMIT 1",
        [run_id],
    )
    return waited_on(step_name(*rows[0][:3]), float(rows[0][3])) if rows else ""
