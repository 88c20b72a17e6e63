"""`jobs add` checks the whole line when the job is added; cron nicknames are schedules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.errors import UsageError
from cloudsift.jobs.model import load_jobs
from cloudsift.jobs.scheduler import Scheduler
from cloudsift.schedule import next_fire
from cloudsift.store.base import Store

T0 = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)  # a Saturday


@pytest.fixture
def ctx(store: Store, tmp_path: Path) -> Context:
    (tmp_path / "config.toml").write_text('[workflows.collect]\nschedule = ""\n')
    return Context(config=load_config(tmp_path / "config.toml", tmp_path), open_store=lambda: store, now=T0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "search all | pagerduty --summary x",
            r"pagerduty needs --summary and --dedup-key \(missing: --dedup-key\)",
        ),
        (
            "search all | pagerduty --dedup-key k",
            r"pagerduty needs --summary and --dedup-key \(missing: --summary\)",
        ),
        ("search all | pagerduty", r"\(missing: --summary, --dedup-key\)"),
        ("search all | head -n -5", "head: -n needs a whole number"),
        ("json [1] | chunk 0", "chunk needs a whole number from 1"),
    ],
)
def test_a_line_missing_what_a_command_needs_is_refused_when_added(
    ctx: Context, line: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        list(run_line(f"jobs add --id bad '{line}'", ctx))
    assert load_jobs(ctx.store) == []


@pytest.mark.parametrize(
    ("nickname", "fires"),
    [
        ("@hourly", dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC)),
        ("@daily", dt.datetime(2026, 11, 29, tzinfo=dt.UTC)),
        ("@midnight", dt.datetime(2026, 11, 29, tzinfo=dt.UTC)),
        ("@weekly", dt.datetime(2026, 11, 29, tzinfo=dt.UTC)),  # Sunday
        ("@monthly", dt.datetime(2026, 12, 1, tzinfo=dt.UTC)),
        ("@yearly", dt.datetime(2027, 1, 1, tzinfo=dt.UTC)),
        ("@annually", dt.datetime(2027, 1, 1, tzinfo=dt.UTC)),
    ],
)
def test_cron_nicknames_are_schedules(ctx: Context, nickname: str, fires: dt.datetime) -> None:
    assert list(run_line(f"jobs add --id nick --schedule {nickname} 'echo tick'", ctx)) == ["Job nick added."]
    assert next_fire(nickname, T0) == fires
    scheduler = Scheduler(ctx)
    assert scheduler.tick(fires - dt.timedelta(seconds=1), wait=True) == []
    assert scheduler.tick(fires, wait=True) == ["job:nick"]


def test_a_nickname_crontab_lacks_is_refused_with_the_ones_it_has(ctx: Context) -> None:
    with pytest.raises(UsageError, match=r"'@reboot' is not a cron schedule: .* @hourly"):
        list(run_line("jobs add --id r --schedule @reboot 'echo tick'", ctx))
