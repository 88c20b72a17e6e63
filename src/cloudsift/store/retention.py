"""Retention (`[store] retention`): finished runs and delivered alert events older than it are deleted,
after each collection, on both engines. What is still going on is never touched: pending events, a
running run, the triggers of a job not done; nor what a later decision reads: each workflow's and job's
newest run, each alert key's newest delivered event (an older event is never sent after it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cloudsift.store.base import Store

# Each table's rows past retention, as (table, condition on the row); `?` is the cutoff. Rows a
# condition names through another table go first (a run's steps, then the run).
_OLD_RUN = (
    "workflow_runs.started_at < ? AND workflow_runs.started_at < "
    "(SELECT max(newer.started_at) FROM workflow_runs AS newer WHERE newer.workflow = workflow_runs.workflow)"
)
_FINISHED_COLLECTION = "collect_runs.finished_at IS NOT NULL AND collect_runs.finished_at < ?"
_PRUNED: tuple[tuple[str, str, str | None], ...] = (
    ("workflow_steps", f"run_id IN (SELECT id FROM workflow_runs WHERE {_OLD_RUN})", None),
    ("workflow_runs", _OLD_RUN, None),
    ("job_runs", "job_runs.started_at < ? AND job_runs.started_at < "
                 "(SELECT max(newer.started_at) FROM job_runs AS newer WHERE newer.job = job_runs.job)", None),
    ("outbox", "outbox.state IN ('delivered', 'superseded') AND coalesce(outbox.delivered_at, outbox.created_at) < ? "
               "AND outbox.seq < (SELECT max(newer.seq) FROM outbox AS newer WHERE newer.sink = outbox.sink "
               "AND newer.dedup_key IS NOT DISTINCT FROM outbox.dedup_key AND newer.state = 'delivered')", None),
    # the workers' tables, on a PostgreSQL store that had workers
    ("collect_tasks", f"run_id IN (SELECT id FROM collect_runs WHERE {_FINISHED_COLLECTION})", "collect_runs"),
    ("collect_runs", _FINISHED_COLLECTION, "collect_runs"),
    ("job_triggers", "done_at IS NOT NULL AND done_at < ?", "job_triggers"),
)  # fmt: skip


@dataclass(frozen=True)
class Pruned:
    rows: dict[str, int]  # per table: rows deleted

    def __str__(self) -> str:
        deleted = [f"{n} from {table}" for table, n in self.rows.items() if n]
        return f"retention: deleted {', '.join(deleted)}." if deleted else "retention: nothing to delete."


def prune(store: Store, retention_seconds: float | None, now: dt.datetime | None = None) -> Pruned:
    """Delete what is older than the retention (None: nothing), in one transaction."""
    if retention_seconds is None:
        return Pruned({})
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(seconds=retention_seconds)
    rows: dict[str, int] = {}
    with store.transaction():
        present = {str(r[0]) for r in store.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}  # fmt: skip
        for table, condition, needs in _PRUNED:
            if table not in present or (needs is not None and needs not in present):
                continue
            # one statement that deletes and counts (both engines), not a count of the table before and after
            deleted = store.execute(f"WITH gone AS (DELETE FROM {table} WHERE {condition} RETURNING 1) "
                                    "SELECT count(*) FROM gone", [cutoff] * condition.count("?"))  # fmt: skip
            rows[table] = int(deleted[0][0])
    return Pruned(rows)
