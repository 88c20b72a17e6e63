"""The task queue: procrastinate's tables in the store's schema, and the tables of collection runs."""

from __future__ import annotations

import contextlib
import functools
from typing import Any

from cloudsift.config import Config
from cloudsift.errors import ConfigError
from cloudsift.store.postgres import PostgresStore

# Task names on the queue (procrastinate's): what a worker registers and what is deferred.
COLLECT_ACCOUNT = "cloudsift.collect_account"
COLLECT_PART = "cloudsift.collect_part"
FINISH_COLLECTION = "cloudsift.finish_collection"
QUEUE = "collect"
MAINTENANCE = "maintenance"  # the periodic retention task: out of the collect queue's figures

RUN_TABLES = (
    "CREATE TABLE IF NOT EXISTS collect_runs (id text PRIMARY KEY, started_at timestamptz NOT NULL, "
    "kinds jsonb, problems jsonb NOT NULL, account_errors jsonb NOT NULL, finished_at timestamptz, "
    "outcome text, failed integer, summary text)",
    # One row per task of a run, written in one transaction when it ends: what it found (an account
    # task: the account's alias and regions; a part task: its node lines and ids and edges).
    "CREATE TABLE IF NOT EXISTS collect_tasks (run_id text NOT NULL, key text NOT NULL, account text NOT NULL, "
    "region text, services jsonb, ended_at timestamptz, errors jsonb, opened boolean, alias text, "
    "regions jsonb, problems jsonb, lines bytea, found bytea, seconds double precision, worker text, "
    "PRIMARY KEY (run_id, key))",
    # The service a part task waits on now, since when: `collect` names it while it waits (the one row a
    # task writes before its end; a task run again overwrites it).
    "ALTER TABLE collect_tasks ADD COLUMN IF NOT EXISTS waiting text, "
    "ADD COLUMN IF NOT EXISTS waiting_since timestamptz",
    # a part task's steps, for the run's log (tables made before the log had none)
    "ALTER TABLE collect_tasks ADD COLUMN IF NOT EXISTS steps jsonb",
    # What /metrics counts per scrape (workers/metrics.py QUEUE_COUNTS), from the index alone
    "CREATE INDEX IF NOT EXISTS cloudsift_jobs_by_state ON procrastinate_jobs (queue_name, status) INCLUDE (attempts)",
    # Which job a trigger (a schedule's fire, a run's event) ran: each runs once for it, whichever process.
    "CREATE TABLE IF NOT EXISTS job_triggers (trigger text NOT NULL, job text NOT NULL, "
    "claimed_at timestamptz NOT NULL, done_at timestamptz, PRIMARY KEY (trigger, job))",
)


def postgres_url(config: Config, what: str) -> str:
    """The store's URL; workers need a PostgreSQL store (DuckDB is one process's file)."""
    url = config.store.url
    if not url.startswith(("postgresql://", "postgres://")):
        raise ConfigError(
            "store.url",
            f'{what} needs a PostgreSQL store ([store] url = "postgresql://…"); DuckDB runs in one process',
        )
    return url


def connection_options(config: Config) -> str:
    return f"-c search_path={config.store.schema} -c TimeZone=UTC"


def ensure_tables(store: PostgresStore) -> None:
    """procrastinate's schema and the run tables, once per store schema (under an advisory lock: several
    workers may start together)."""
    from procrastinate.schema import SchemaManager

    with store.transaction():
        store.lock("cloudsift-workers-schema")
        exists = store.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")[0][0]
        if not exists:
            store.conn.execute(SchemaManager.get_schema())
        for statement in RUN_TABLES:
            store.execute(statement)


@functools.cache
def _deferrer(url: str, options: str) -> Any:
    """A synchronous procrastinate app of this process, for deferring (no tasks of its own)."""
    import procrastinate

    app = procrastinate.App(
        connector=procrastinate.SyncPsycopgConnector(
            conninfo=url, kwargs={"options": options}, min_size=1, max_size=4
        )
    )
    app.open()
    return app


def defer(config: Config, task: str, lock: str | None = None, queueing_lock: str | None = None,
          **kwargs: Any) -> None:  # fmt: skip
    """Put one task on the queue (a duplicate of a queueing_lock still waiting is dropped)."""
    from procrastinate.exceptions import AlreadyEnqueued

    app = _deferrer(postgres_url(config, "the task queue"), connection_options(config))
    with contextlib.suppress(AlreadyEnqueued):
        app.configure_task(task, queue=QUEUE, lock=lock, queueing_lock=queueing_lock).defer(**kwargs)
