"""/metrics for many workers on one store: the queue's tasks by state, their retries, the workers
alive, the last collection's age and the oldest alert still to send (issue 17). The figures of real
worker processes are checked in test_workers.py; here each one is computed from known rows."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from cloudsift.config import Config
from cloudsift.context import Context
from cloudsift.server.metrics import render_metrics
from cloudsift.store.base import Store
from cloudsift.store.postgres import PostgresStore
from cloudsift.workers.metrics import QUEUE_COUNTS, TaskDurations
from cloudsift.workers.queue import ensure_tables
from tests.conftest import _drop, _postgres_store


class _Kept(Context):
    def close(self) -> None:  # the store is the test's
        pass


def _metrics(store: Store, tmp_path: Path) -> str:
    config = Config(home=tmp_path)
    return render_metrics(lambda: _Kept(config=config, open_store=lambda: store)).decode()


def _value(metrics: str, sample: str) -> float:
    found = re.search(rf"^{re.escape(sample)} (\S+)$", metrics, re.MULTILINE)
    assert found, f"{sample} not in:\n{metrics}"
    return float(found.group(1))


def test_the_last_collections_age_and_the_oldest_pending_alert(store: Store, tmp_path: Path) -> None:
    assert not re.search(
        r"^cloudsift_collect_age_seconds ", _metrics(store, tmp_path), re.MULTILINE
    )  # never collected
    now = dt.datetime.now(dt.UTC)
    store.execute(
        "INSERT INTO workflow_runs (workflow, started_at, seconds, outcome) VALUES ('collect', ?, 40, 'ok')",
        [now - dt.timedelta(seconds=100)],
    )
    for created, state in ((30, "pending"), (20, "pending"), (500, "delivered")):
        store.execute(
            "INSERT INTO outbox (id, sink, created_at, url, body, state, attempts) VALUES (?, 'pagerduty', ?, 'u', '{}', ?, 1)",
            [f"e{created}", now - dt.timedelta(seconds=created), state],
        )
    metrics = _metrics(store, tmp_path)
    assert _value(metrics, "cloudsift_collect_duration_seconds") == 40
    assert 60 <= _value(metrics, "cloudsift_collect_age_seconds") < 70  # ended 60 s ago
    assert 30 <= _value(metrics, "cloudsift_outbox_oldest_pending_seconds") < 40
    assert _value(metrics, 'cloudsift_outbox_events{state="pending"}') == 2
    # no queue here: the embedded store, or a PostgreSQL that no worker has used
    assert "cloudsift_tasks" not in metrics and "cloudsift_workers" not in metrics


def test_the_queues_tasks_by_state_their_retries_and_the_workers_alive(tmp_path: Path) -> None:
    store = _postgres_store()
    assert isinstance(store, PostgresStore)
    try:
        ensure_tables(store)
        # (status, attempts): a retried task counts one attempt per retry, and one more when it ends
        jobs = [("todo", 0), ("todo", 2), ("doing", 1), ("succeeded", 1), ("succeeded", 3), ("failed", 5)]
        for status, attempts in jobs:
            store.execute(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, status, attempts) "
                "VALUES ('collect', 'cloudsift.collect_part', ?::procrastinate_job_status, ?)",
                [status, attempts],
            )
        store.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now()), (now() - interval '2 seconds'), "
            "(now() - interval '1 hour')"
        )
        metrics = _metrics(store, tmp_path)
        expected = {"queued": 2, "running": 1, "succeeded": 2, "failed": 1, "cancelled": 0, "aborted": 0}
        for state, count in expected.items():
            assert _value(metrics, f'cloudsift_tasks{{queue="collect",state="{state}"}}') == count
        assert _value(metrics, 'cloudsift_task_retries_total{queue="collect"}') == 2 + 1 + 0 + 2 + 4
        assert _value(metrics, 'cloudsift_workers{state="alive"}') == 2  # [workers] stalled_after_seconds 60
        assert _value(metrics, 'cloudsift_workers{state="stalled"}') == 1
    finally:
        _drop(store)


def test_a_workers_task_durations_are_a_histogram_by_task_and_outcome() -> None:
    durations = TaskDurations()
    for seconds in (0.05, 0.3, 7.0):
        durations.observe("collect", "collect_part", "succeeded", seconds)
    durations.observe("collect", "finish_collection", "failed", 90.0)
    samples = {(s.name, frozenset(s.labels.items())): s.value for m in durations.collect() for s in m.samples}
    part = {("queue", "collect"), ("task", "collect_part"), ("outcome", "succeeded")}
    assert samples[("cloudsift_task_duration_seconds_count", frozenset(part))] == 3
    assert samples[("cloudsift_task_duration_seconds_bucket", frozenset({*part, ("le", "0.5")}))] == 2
    assert samples[("cloudsift_task_duration_seconds_sum", frozenset(part))] == 7.35
    finish = {("queue", "collect"), ("task", "finish_collection"), ("outcome", "failed")}
    assert samples[("cloudsift_task_duration_seconds_count", frozenset(finish))] == 1


def test_the_queues_figures_are_read_from_an_index_not_the_jobs(tmp_path: Path) -> None:
    """A scrape counts the jobs by queue and state from the index alone (the table keeps every job's
    arguments: 610,000 jobs for one collection of 10,000 accounts)."""
    store = _postgres_store()
    assert isinstance(store, PostgresStore)
    try:
        ensure_tables(store)
        store.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status, attempts, args) "
            "SELECT 'collect', 'cloudsift.collect_part', 'succeeded', 1, jsonb_build_object('n', n, 'services', ?::jsonb) "
            "FROM generate_series(1, 5000) AS n",
            [json.dumps([f"service_{i}" for i in range(30)])],  # a part task's arguments: its services
        )
        with store.transaction():
            # Whether the index can answer it alone: the plan the planner takes once the table is
            # vacuumed (an index-only scan), which a test on a shared database cannot wait for
            for scan in ("seqscan", "indexscan", "bitmapscan"):
                store.execute(f"SET LOCAL enable_{scan} = off")
            plan = "\n".join(str(row[0]) for row in store.execute(f"EXPLAIN {QUEUE_COUNTS}"))
        assert "Index Only Scan using cloudsift_jobs_by_state" in plan, plan
        assert _value(_metrics(store, tmp_path), 'cloudsift_tasks{queue="collect",state="succeeded"}') == 5000
    finally:
        _drop(store)
