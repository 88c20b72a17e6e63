"""Retention (`[store] retention`): finished runs and delivered alert events older than it are deleted,
after each collection, on both engines. What is still going on is never touched: pending events, a
running run, the triggers of a job not done; nor what a later decision reads: each workflow's and job's
newest run, each alert key's newest delivered event (an older event is never sent after it)."""

from __future__ import annotations

import datetime as dt
import json
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


# Runs counted by outcome before they go, kept in meta: /metrics' run counters add them, so retention
# never lowers a counter (Prometheus would read a drop as a restart). table -> the counter's name
_TALLIED = {"workflow_runs": "workflow", "job_runs": "'jobs'"}
PRUNED_KEY = "retention_pruned_runs"


def pruned_runs(store: Store, counter: str) -> dict[str, int]:
    """Runs of a counter ("collect", a workflow's name; "jobs") deleted by retention, by outcome."""
    rows = store.execute("SELECT value FROM meta WHERE key = ?", [PRUNED_KEY])
    counts: dict[str, dict[str, int]] = json.loads(rows[0][0]) if rows else {}
    return counts.get(counter, {})


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
    tallied: dict[str, dict[str, int]] = {}
    with store.transaction():
        store.lock("retention")  # two at once (a worker's periodic task, a finish): each run tallied once
        present = {str(r[0]) for r in store.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}  # fmt: skip
        for table, condition, needs in _PRUNED:
            if table not in present or (needs is not None and needs not in present):
                continue
            # one statement that deletes and counts (both engines), by counter and outcome where tallied
            counter = _TALLIED.get(table, "''")
            outcome = "outcome" if table in _TALLIED else "''"
            deleted = store.execute(f"WITH gone AS (DELETE FROM {table} WHERE {condition} RETURNING "
                                    f"{counter} AS counter, {outcome} AS outcome) "
                                    "SELECT counter, outcome, count(*) FROM gone GROUP BY 1, 2",
                                    [cutoff] * condition.count("?"))  # fmt: skip
            rows[table] = sum(int(n) for *_, n in deleted)
            for name, result, n in deleted if table in _TALLIED else []:
                by_outcome = tallied.setdefault(str(name), {})
                by_outcome[str(result)] = by_outcome.get(str(result), 0) + int(n)
        if tallied:
            known = store.execute("SELECT value FROM meta WHERE key = ?", [PRUNED_KEY])
            counts: dict[str, dict[str, int]] = json.loads(known[0][0]) if known else {}
            for name, by_outcome in tallied.items():
                for result, n in by_outcome.items():
                    counts.setdefault(name, {})[result] = counts.get(name, {}).get(result, 0) + n
            store.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          [PRUNED_KEY, json.dumps(counts, sort_keys=True)])  # fmt: skip
    return Pruned(rows)
