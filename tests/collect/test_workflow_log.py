"""`workflows log RUN_ID`: one collection's steps (account, region, service, start, duration, outcome and
error), its counts and summary with secrets masked; the run ids in `workflows history` and at Tab; a store
made before runs had ids gets them in place. moto over HTTP, both engines."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from cloudsift.collect.run_log import Step, record_run
from cloudsift.commands.output import Table
from cloudsift.commands.workflow_log import run_ids
from cloudsift.completion import LineCompleter
from cloudsift.store.base import SCHEMA_VERSION, Store
from cloudsift.store.duckdb import DuckDBStore
from cloudsift.store.postgres import PostgresStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_partitions import Cloudsift

SECRET = "abcdefghijklmnopqrstuvwxyz"


def _line(tmp_path: Path, store: Store, line: str) -> tuple[list[Any], int]:
    return Cloudsift(tmp_path, store)(line)


def test_the_log_of_a_run_shows_each_step_and_the_errors_of_the_failed_ones(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    (tmp_path / "config.toml").write_text('[aws]\nregions = ["us-east-1", "eu-central-1"]\n')
    assert (
        _line(tmp_path, store, f"jobs add --id leak --wait-for-event post_collect 'echo token={SECRET}'")[1]
        == 0
    )
    aws.failing.add("eu-central-1")
    assert _line(tmp_path, store, "collect")[1] == 4  # partial
    aws.failing.clear()
    assert _line(tmp_path, store, "collect")[1] == 0
    history, code = _line(tmp_path, store, "workflows history")
    assert code == 0 and len(history) == 2
    assert all(re.match(r"[0-9a-f]{12} collect \S+: (partial|ok) in ", line) for line in history), history
    first, second = (line.split()[0] for line in history)
    assert run_ids(store) == [second, first]  # newest first, as Tab offers them

    log, code = _line(tmp_path, store, f"workflows log {first}")
    assert code == 0
    assert log[0].startswith(f"Run {first}: collect, started ") and log[0].endswith(", partial.")
    [table] = [element for element in log if isinstance(element, Table)]
    assert table.header == ["account", "region", "service", "started", "seconds", "resources", "outcome"]
    by_place = {(row[1], row[2]): row for row in table.rows}
    failed = by_place[("eu-central-1", "ec2")]
    assert failed[0] == "123456789012" and failed[6] == "error"
    [error] = [
        line
        for line in log
        if isinstance(line, str) and line.startswith("error: 123456789012 eu-central-1 ec2: ")
    ]
    assert "UnauthorizedOperation" in error
    assert by_place[("us-east-1", "ec2")][6] == "ok" and int(by_place[("us-east-1", "ec2")][5]) > 0
    assert by_place[("global", "iam")][6] == "ok"
    assert re.fullmatch(r"\d\d:\d\d:\d\d", failed[3]) and float(failed[4]) >= 0
    errors = sum(1 for row in table.rows if row[6] != "ok")
    counts = f"{len(table.rows)} steps: {len(table.rows) - errors} ok, {errors} failed; "
    assert any(isinstance(line, str) and line.startswith(counts) for line in log), log
    text = "\n".join(line for line in log if isinstance(line, str))
    assert "aws 123456789012 eu-central-1: " in text and "kept the previous data" in text
    assert "token=****wxyz" in text and SECRET not in text  # the job's output, masked
    # a unique start of the id is enough; the clean run's log has no failed step
    assert _line(tmp_path, store, f"workflows log {first[:5]}")[0][0] == log[0]
    clean = _line(tmp_path, store, f"workflows log {second}")[0]
    assert clean[0].endswith(", ok.") and any(
        isinstance(line, str) and " 0 failed; " in line for line in clean
    )

    unknown, code = _line(tmp_path, store, "workflows log 0000nope")
    assert code == 2 and unknown == [
        "error: workflows log: no run has the id '0000nope'; `workflows history` lists the runs and their ids"
    ]
    assert _line(tmp_path, store, "workflows log")[1] == 2  # the id is needed

    completer = LineCompleter(run_ids=lambda: run_ids(store))
    offered = [
        c.text for c in completer.get_completions(Document(f"workflows log {first[:3]}"), CompleteEvent())
    ]
    assert first in offered
    assert "log" in [c.text for c in completer.get_completions(Document("workflows l"), CompleteEvent())]


def _as_schema_10(store: Store) -> None:
    """The store as cloudsift left it before runs had ids: one run recorded."""
    store.execute("DROP TABLE workflow_steps")
    store.execute("DROP TABLE collected_services")  # (schema 12)
    store.execute("ALTER TABLE workflow_runs DROP COLUMN id")
    store.execute("UPDATE meta SET value = '10' WHERE key = 'schema_version'")
    store.execute(
        "INSERT INTO workflow_runs (workflow, started_at, seconds, outcome, summary) VALUES ('collect', ?, 1.5, 'ok', ?)",
        [
            dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            "aws 1 us-east-1: 3 resources, ok\nCollected 3 resources.",
        ],
    )


def test_runs_recorded_before_ids_get_one_when_the_store_upgrades(tmp_path: Path, store: Store) -> None:
    (tmp_path / "config.toml").write_text("")
    _as_schema_10(store)
    if isinstance(store, DuckDBStore):
        path = str(tmp_path / "old.duckdb")
        store.execute(f"ATTACH '{path}' AS old")
        store.execute("COPY FROM DATABASE memory TO old")
        store.execute("DETACH old")
        upgraded: Store = DuckDBStore(path)
    else:
        assert isinstance(store, PostgresStore)
        upgraded = PostgresStore(store.url, schema=store.schema)
    try:
        assert upgraded.schema_version() == SCHEMA_VERSION
        assert upgraded.collected_services() == []  # schema 12: nothing recorded until collected again
        [line] = _line(tmp_path, upgraded, "workflows history")[0]
        run_id = line.split()[0]
        assert re.fullmatch(r"[0-9a-f]{12}", run_id) and line.endswith(": ok in 1.5s; Collected 3 resources.")
        log = _line(tmp_path, upgraded, f"workflows log {run_id}")[0]
        assert log == [
            f"Run {run_id}: collect, started 2026-01-02T03:04:05+00:00, 1.5s, ok.",
            "No steps were kept for this run (it ran before cloudsift kept them).",
            "aws 1 us-east-1: 3 resources, ok",
            "Collected 3 resources.",
        ]
        assert run_ids(upgraded) == [run_id]  # the same id every time it is read
    finally:
        if upgraded is not store:
            upgraded.close()


def test_a_collection_deletes_the_runs_past_the_retention(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    (tmp_path / "config.toml").write_text('[aws]\nregions = ["us-east-1"]\n[store]\nretention = "1d"\n')
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    record_run(store, "0ld0ld0ld0ld", "collect", old, 1.0, "ok", "Collected 0 resources.",
               [Step("123456789012", "us-east-1", "ec2", old, 0.1, 0)])  # fmt: skip
    assert _line(tmp_path, store, "collect")[1] == 0
    [line] = _line(tmp_path, store, "workflows history")[0]
    assert not line.startswith("0ld0ld0ld0ld") and store.execute(
        "SELECT count(*) FROM workflow_steps WHERE run_id = '0ld0ld0ld0ld'"
    ) == [(0,)]
    assert _line(tmp_path, store, "workflows log 0ld0ld0ld0ld")[1] == 2
