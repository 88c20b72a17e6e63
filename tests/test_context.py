"""The clock of a long-lived context (the shell, the server): each line reads it when it runs."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import Config, load_config
from cloudsift.store.base import Store
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401 (the moto fixture)
from tests.estate import frame, lines, node

T0 = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


class TestClock:
    """A clock the test moves."""

    __test__ = False

    def __init__(self, instant: dt.datetime) -> None:
        self.instant = instant

    def __call__(self) -> dt.datetime:
        return self.instant

    def advance(self, seconds: float) -> None:
        self.instant += dt.timedelta(seconds=seconds)


def _config(tmp_path: Path) -> Config:
    (tmp_path / "config.toml").touch()
    return load_config(tmp_path / "config.toml", tmp_path)


def _ctx(store: Store, tmp_path: Path, clock: TestClock) -> Context:
    return Context(config=_config(tmp_path), open_store=lambda: store, clock=clock)


def test_the_system_clock_moves_between_two_reads(tmp_path: Path) -> None:
    ctx = Context(config=_config(tmp_path), open_store=lambda: DuckDBStore(":memory:"))
    first = ctx.now
    time.sleep(0.01)
    assert ctx.now > first
    assert ctx.derive().now > first


def test_now_moves_between_two_lines_of_one_context(store: Store, tmp_path: Path) -> None:
    clock = TestClock(T0)
    ctx = _ctx(store, tmp_path, clock)
    assert list(run_line("echo @NOW@", ctx)) == ["2026-11-28T09:30:00Z"]
    clock.advance(90)
    assert list(run_line("echo @NOW@", ctx)) == ["2026-11-28T09:31:30Z"]


def test_age_moves_between_two_lines_of_one_context(store: Store, tmp_path: Path) -> None:
    nodes, edges = frame()
    volume = node("vol-1", "aws_ec2_volume", ctime="2026-11-28T09:00:00Z")
    (tmp_path / "one.jsonl").write_bytes(
        b"\n".join(lines([*nodes, volume], [*edges, ("reg", "vol-1", "default")]))
    )
    clock = TestClock(T0)
    ctx = _ctx(store, tmp_path, clock)
    list(run_line(f"import {tmp_path / 'one.jsonl'}", ctx))
    assert list(run_line("search is(aws_ec2_volume) | format {age}", ctx)) == ["30min"]
    clock.advance(3600)
    assert list(run_line("search is(aws_ec2_volume) | format {age}", ctx)) == ["1h30min"]
    assert list(run_line("search is(aws_ec2_volume) and age > 1h | format {id}", ctx)) == ["vol-1"]


def test_a_derived_context_runs_on_from_its_instant_at_the_parents_pace(store: Store, tmp_path: Path) -> None:
    clock = TestClock(T0)
    later = _ctx(store, tmp_path, clock).derive(T0 + dt.timedelta(hours=1))
    assert later.now == T0 + dt.timedelta(hours=1)
    clock.advance(5)
    assert later.now == T0 + dt.timedelta(hours=1, seconds=5)
    assert Context(config=later.config, open_store=lambda: store, now=T0).derive().now == T0  # stopped


def test_two_collections_seconds_apart_are_recorded_at_their_own_instants(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
) -> None:
    (tmp_path / "config.toml").write_text('[aws]\nregions = ["us-east-1"]\n')
    store = DuckDBStore(tmp_path / "inventory.duckdb")
    clock = TestClock(T0)
    ctx = Context(
        config=load_config(tmp_path / "config.toml", tmp_path), open_store=lambda: store, clock=clock
    )
    list(run_line("collect", ctx))
    clock.advance(7)
    list(run_line("collect", ctx))
    started = [row[0] for row in store.execute("SELECT started_at FROM workflow_runs ORDER BY started_at")]
    assert [s.replace(tzinfo=dt.UTC) if s.tzinfo is None else s for s in started] == [
        T0,
        T0 + dt.timedelta(seconds=7),
    ]
    store.close()
