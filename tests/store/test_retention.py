"""Retention (`[store] retention`): finished runs and delivered alert events past it go, on both engines;
pending events, running runs, triggers of jobs not done and each key's newest delivered event stay; the
worker prunes procrastinate's finished jobs with procrastinate's own task."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from pathlib import Path

import pytest

from cloudsift.alerts.outbox import Outbox
from cloudsift.collect.run_log import Step, record_run
from cloudsift.config import Config, StoreConfig
from cloudsift.errors import ConfigError
from cloudsift.store.base import Store
from cloudsift.store.postgres import PostgresStore
from cloudsift.store.retention import prune
from tests.conftest import POSTGRES_URL, require_postgres

NOW = dt.datetime.now(dt.UTC)
DAY = dt.timedelta(days=1)
KEEP = 30 * 86400.0


def _run(store: Store, run_id: str, age: dt.timedelta, workflow: str = "collect") -> None:
    step = Step("123456789012", "us-east-1", "ec2", NOW - age, 0.5, 3)
    record_run(store, run_id, workflow, NOW - age, 1.0, "ok", "Collected 3 resources.", [step])


def _event(store: Store, key: str, seq: int, state: str, age: dt.timedelta) -> None:
    at = NOW - age
    store.execute(
        "INSERT INTO outbox (id, sink, created_at, url, dedup_key, body, state, attempts, seq, delivered_at) "
        "VALUES (?, 'pagerduty', ?, 'http://x', ?, '{}', ?, 1, ?, ?)",
        [f"{key}-{seq}", at, key, state, seq, at if state == "delivered" else None],
    )


def test_old_finished_runs_and_delivered_events_go_and_what_is_still_needed_stays(store: Store) -> None:
    _run(store, "old1", 40 * DAY)
    _run(store, "old2", 35 * DAY)
    _run(store, "recent", DAY)
    _run(store, "lonely", 90 * DAY, workflow="other")  # its workflow's newest run: kept
    for age in (50, 40):
        store.execute("INSERT INTO job_runs (job, started_at, seconds, outcome, output) VALUES ('nightly', ?, 1, 'ok', '')",
                      [NOW - age * DAY])  # fmt: skip
    _event(store, "K", 1, "delivered", 40 * DAY)
    _event(store, "K", 2, "superseded", 40 * DAY)
    _event(
        store, "K", 3, "delivered", 35 * DAY
    )  # K's newest delivered: kept, an older event never goes after it
    _event(store, "K", 4, "pending", 40 * DAY)  # never delivered: kept
    _event(store, "L", 1, "failed", 40 * DAY)
    _event(store, "M", 1, "delivered", 40 * DAY)
    _event(store, "M", 2, "delivered", DAY)

    assert prune(store, None).rows == {}  # retention 0: kept for ever
    pruned = prune(store, KEEP)

    assert pruned.rows["workflow_runs"] == 2 and pruned.rows["workflow_steps"] == 2
    assert str(pruned).startswith(
        "retention: deleted 2 from workflow_steps, 2 from workflow_runs, 1 from job_runs"
    )
    runs = store.execute("SELECT id FROM workflow_runs ORDER BY id")
    assert [r[0] for r in runs] == ["lonely", "recent"]
    assert sorted(r[0] for r in store.execute("SELECT run_id FROM workflow_steps")) == ["lonely", "recent"]
    assert store.execute("SELECT started_at FROM job_runs") == [
        (store.execute("SELECT max(started_at) FROM job_runs")[0][0],)
    ]
    assert sorted(item.id for item in Outbox(store).items()) == ["K-3", "K-4", "L-1", "M-2"]
    assert prune(store, KEEP).rows["outbox"] == 0  # nothing more the second time


def test_the_run_counters_in_metrics_do_not_drop_when_retention_deletes_runs(
    store: Store, tmp_path: Path
) -> None:
    from cloudsift.context import Context
    from cloudsift.server.metrics import render_metrics

    class Kept(Context):
        def close(self) -> None:  # the store is the test's
            pass

    def counters() -> dict[str, float]:
        text = render_metrics(lambda: Kept(config=Config(home=tmp_path), open_store=lambda: store)).decode()
        found = re.findall(
            r'^cloudsift_(collect|job)_runs_total\{outcome="(\w+)"\} (\S+)$', text, re.MULTILINE
        )
        return {f"{name}:{outcome}": float(value) for name, outcome, value in found}

    for run_id, age, outcome in (("a", 50, "ok"), ("b", 40, "partial"), ("c", 35, "ok"), ("d", 1, "ok")):
        record_run(store, run_id, "collect", NOW - age * DAY, 1.0, outcome, "", [])
    _run(store, "other", 60 * DAY, workflow="other")  # another workflow's runs: not collections
    _run(store, "other2", DAY, workflow="other")
    for age, outcome in ((50, "failed"), (40, "ok"), (1, "ok")):
        store.execute("INSERT INTO job_runs (job, started_at, seconds, outcome, output) VALUES ('nightly', ?, 1, ?, '')",
                      [NOW - age * DAY, outcome])  # fmt: skip
    before = counters()
    assert before == {"collect:ok": 3, "collect:partial": 1, "job:failed": 1, "job:ok": 2}

    assert prune(store, KEEP).rows["workflow_runs"] == 4  # a, b, c and other
    assert counters() == before
    record_run(store, "e", "collect", NOW, 1.0, "ok", "", [])
    record_run(store, "f", "collect", NOW - 45 * DAY, 1.0, "ok", "", [])
    assert prune(store, KEEP).rows["workflow_runs"] == 1  # f: added to what the first prune counted
    assert counters() == {**before, "collect:ok": 5}


def test_a_workers_store_keeps_its_running_runs_and_the_triggers_of_jobs_not_done(store: Store) -> None:
    if not isinstance(store, PostgresStore):
        pytest.skip("the workers' tables are on PostgreSQL only")
    from cloudsift.workers.queue import ensure_tables

    ensure_tables(store)
    for run_id, finished in (("done", NOW - 40 * DAY), ("running", None), ("fresh", NOW - DAY)):
        store.execute("INSERT INTO collect_runs (id, started_at, problems, account_errors, finished_at) "
                      "VALUES (?, ?, '[]', '[]', ?)", [run_id, NOW - 40 * DAY, finished])  # fmt: skip
        store.execute("INSERT INTO collect_tasks (run_id, key, account, ended_at) VALUES (?, 'account:1', '1', ?)",
                      [run_id, finished])  # fmt: skip
    for trigger, done in (("collect:done:post_collect", NOW - 40 * DAY), ("collect:running:collect", None)):
        store.execute("INSERT INTO job_triggers (trigger, job, claimed_at, done_at) VALUES (?, 'nightly', ?, ?)",
                      [trigger, NOW - 40 * DAY, done])  # fmt: skip

    pruned = prune(store, KEEP)

    assert (
        pruned.rows["collect_runs"] == 1
        and pruned.rows["collect_tasks"] == 1
        and pruned.rows["job_triggers"] == 1
    )
    assert sorted(r[0] for r in store.execute("SELECT id FROM collect_runs")) == ["fresh", "running"]
    assert sorted(r[0] for r in store.execute("SELECT run_id FROM collect_tasks")) == ["fresh", "running"]
    assert store.execute("SELECT trigger FROM job_triggers") == [("collect:running:collect",)]


def test_the_retention_setting_is_a_duration() -> None:
    assert StoreConfig().retention_seconds == KEEP  # 30d by default
    assert StoreConfig(retention="12h").retention_seconds == 12 * 3600
    assert StoreConfig(retention="1w2d").retention_seconds == 9 * 86400
    assert StoreConfig(retention="0").retention_seconds is None
    with pytest.raises(Exception, match="expected a duration such as 12h, 30d or 8w"):
        StoreConfig(retention="a month")


def test_a_bad_retention_in_the_config_file_names_the_key(tmp_path: Path) -> None:
    from cloudsift.config import load_config

    (tmp_path / "config.toml").write_text('[store]\nretention = "soon"\n')
    with pytest.raises(ConfigError, match=r"store\.retention"):
        load_config(tmp_path / "config.toml", tmp_path)


def _job_states(store: PostgresStore) -> dict[str, str]:
    rows = store.execute("SELECT task_name, status FROM procrastinate_jobs")
    return {str(name): str(status) for name, status in rows}


def test_a_worker_removes_the_queues_old_finished_jobs_with_procrastinates_task(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_postgres()
    from cloudsift.workers import worker as worker_module
    from cloudsift.workers.queue import QUEUE, _deferrer, connection_options, ensure_tables

    schema = f"test_{uuid.uuid4().hex[:12]}"
    store = PostgresStore(POSTGRES_URL, schema=schema)
    try:
        ensure_tables(store)
        config = Config(home=tmp_path, store=StoreConfig(url=POSTGRES_URL, schema=schema, retention="1d"))
        app = _deferrer(POSTGRES_URL, connection_options(config))
        later = NOW + 365 * DAY  # not due: no worker takes them
        for name in ("old.succeeded", "old.failed", "old.todo", "new.succeeded"):
            app.configure_task(name, queue=QUEUE, schedule_at=later).defer()
        store.execute(
            "UPDATE procrastinate_jobs SET status = 'succeeded' WHERE task_name IN ('old.succeeded', 'new.succeeded')"
        )
        store.execute("UPDATE procrastinate_jobs SET status = 'failed' WHERE task_name = 'old.failed'")
        store.execute("UPDATE procrastinate_events SET at = ? WHERE job_id IN (SELECT id FROM procrastinate_jobs "
                      "WHERE starts_with(task_name, 'old.'))", [NOW - 3 * DAY])  # fmt: skip
        _run(store, "old", 40 * DAY)
        _run(store, "recent", 0 * DAY)
        monkeypatch.setattr(worker_module, "PRUNE_CRON", "* * * * * *")  # every second, not hourly
        worker = worker_module.Worker(config)
        worker.start()
        try:
            deadline = time.monotonic() + 120
            while "old.succeeded" in _job_states(store) and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            worker.stop()
        states = _job_states(store)
        assert "old.succeeded" not in states and "old.failed" not in states, (states, worker.status())
        assert states["old.todo"] == "todo" and states["new.succeeded"] == "succeeded"
        assert [r[0] for r in store.execute("SELECT id FROM workflow_runs")] == [
            "recent"
        ]  # and the store's own
    finally:
        store.drop()
        store.close()
