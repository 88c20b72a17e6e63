"""Jobs at run time, driven by a clock the test controls: cron firing, missed schedules, schedule plus
event, one run at a time with one queued follow-up, timeouts."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudsift.commands import COMMANDS
from cloudsift.commands.base import Command, Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.errors import CloudsiftError, Stopped, UsageError
from cloudsift.jobs.model import load_job
from cloudsift.jobs.runs import run_event_jobs
from cloudsift.jobs.scheduler import Scheduler
from cloudsift.store.base import Store

T0 = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
GATES: dict[str, threading.Event] = {}


class GateCommand(Command):
    """Waits until the test opens its gate, or until the line is stopped (test only)."""

    name = "gate"
    source = True
    formatter = True

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        gate = GATES.setdefault(self.rest[0], threading.Event())
        while not gate.wait(0.02):
            if ctx.cancelled.is_set():
                raise Stopped("stopped while waiting at the gate")
        yield f"passed {self.rest[0]}"


@pytest.fixture
def gate_command() -> Iterator[None]:
    COMMANDS.add("gate", GateCommand)
    yield
    del COMMANDS._items["gate"]
    for gate in GATES.values():
        gate.set()
    GATES.clear()


@pytest.fixture
def ctx(store: Store, tmp_path: Path) -> Context:
    (tmp_path / "config.toml").write_text('[workflows.collect]\nschedule = ""\n')
    return Context(config=load_config(tmp_path / "config.toml", tmp_path), open_store=lambda: store, now=T0)


def cli(ctx: Context, line: str) -> list[Any]:
    return list(run_line(line, ctx))


def runs(ctx: Context, job: str) -> list[tuple[str, str]]:
    rows = ctx.store.execute("SELECT outcome, output FROM job_runs WHERE job = ? ORDER BY started_at", [job])
    return [(r[0], r[1]) for r in rows]


def test_a_cron_job_fires_at_its_time_and_not_before(ctx: Context) -> None:
    cli(ctx, "jobs add --id hourly --schedule '0 * * * *' 'echo tick'")
    scheduler = Scheduler(ctx)
    assert scheduler.tick(T0 + dt.timedelta(minutes=29), wait=True) == []
    assert scheduler.next_wake(T0) == T0 + dt.timedelta(seconds=30)  # rechecks jobs at least every 30 s
    assert scheduler.tick(T0 + dt.timedelta(minutes=30), wait=True) == ["job:hourly"]
    assert runs(ctx, "hourly") == [("done", "tick")]
    assert scheduler.tick(T0 + dt.timedelta(minutes=45), wait=True) == []
    assert scheduler.tick(T0 + dt.timedelta(minutes=90), wait=True) == ["job:hourly"]
    assert len(runs(ctx, "hourly")) == 2


def test_missed_schedules_run_once_after_a_restart(ctx: Context) -> None:
    cli(ctx, "jobs add --id hourly --schedule '0 * * * *' 'echo tick'")
    Scheduler(ctx).tick(T0 + dt.timedelta(minutes=30), wait=True)
    # the server was down for five hours: a new scheduler on the same store runs the job once, not five times
    restarted = Scheduler(ctx)
    assert restarted.tick(T0 + dt.timedelta(hours=5, minutes=40), wait=True) == ["job:hourly"]
    assert restarted.tick(T0 + dt.timedelta(hours=5, minutes=41), wait=True) == []
    assert len(runs(ctx, "hourly")) == 2


def test_the_schedule_reads_in_the_configured_time_zone(store: Store, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[server]\ntimezone = "Europe/Berlin"\n[workflows.collect]\nschedule = ""\n'
    )
    ctx = Context(config=load_config(tmp_path / "config.toml", tmp_path), open_store=lambda: store, now=T0)
    cli(ctx, "jobs add --id nine --schedule '0 9 * * *' 'echo morning'")
    scheduler = Scheduler(ctx)
    assert scheduler.tick(dt.datetime(2026, 11, 29, 7, 59, tzinfo=dt.UTC), wait=True) == []
    assert scheduler.tick(dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC), wait=True) == [
        "job:nine"
    ]  # 9:00 CET


def test_schedule_and_event_wait_for_the_event_up_to_the_timeout(ctx: Context) -> None:
    cli(
        ctx,
        "jobs add --id both --schedule '0 * * * *' --wait-for-event post_collect --timeout 600 'echo ran'",
    )
    scheduler = Scheduler(ctx)
    assert (
        run_event_jobs(ctx, "post_collect") == []
    )  # the schedule has not fired: the event alone does nothing
    scheduler.tick(T0 + dt.timedelta(minutes=30))
    assert run_event_jobs(ctx.derive(T0 + dt.timedelta(minutes=35)), "post_collect") == ["job both: ran"]
    assert run_event_jobs(ctx.derive(T0 + dt.timedelta(minutes=36)), "post_collect") == []  # once per fire
    scheduler.tick(T0 + dt.timedelta(minutes=90))
    late = ctx.derive(T0 + dt.timedelta(minutes=90, seconds=601))  # the event came after the timeout
    assert run_event_jobs(late, "post_collect") == []
    assert len(runs(ctx, "both")) == 1


@pytest.mark.usefixtures("gate_command")
def test_a_job_never_runs_twice_at_once_and_queues_one_follow_up(ctx: Context) -> None:
    cli(ctx, "jobs add --id slow 'gate slow'")
    first = threading.Thread(target=lambda: cli(ctx.derive(), "jobs run slow"))
    first.start()
    deadline = time.monotonic() + 10
    while "slow" not in ctx.runner.running():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert cli(ctx, "jobs running")[0].startswith("slow: running since")
    assert cli(ctx, "jobs run slow") == ["job slow: runs already; one follow-up run is queued"]
    assert cli(ctx, "jobs run slow") == ["job slow: runs already; one follow-up run is queued"]
    GATES["slow"].set()
    first.join(10)
    assert runs(ctx, "slow") == [
        ("done", "passed slow"),
        ("done", "passed slow"),
    ]  # the run and one follow-up
    assert cli(ctx, "jobs running") == ["No job runs now."]


@pytest.mark.usefixtures("gate_command")
def test_a_job_past_its_timeout_is_stopped_and_recorded(ctx: Context) -> None:
    cli(ctx, "jobs add --id stuck --timeout 1 'gate never'")
    started = time.monotonic()
    with pytest.raises(CloudsiftError, match="jobs run stuck: the job timed out") as failed:
        cli(ctx, "jobs run stuck")
    assert failed.value.exit_code == 1  # a job that did not finish is a failed command, not a success
    assert time.monotonic() - started < 8
    assert runs(ctx, "stuck")[0][0] == "timeout"
    history = cli(ctx, "jobs history stuck")
    assert " timeout in " in history[0]


def test_update_changes_only_what_is_given_and_checks_the_line(ctx: Context) -> None:
    cli(ctx, "jobs add --id j --wait-for-event post_collect 'search is(aws_vpc) | count'")
    assert cli(ctx, "jobs update j --schedule '*/5 * * * *'") == ["Job j updated."]
    job = load_job(ctx.store, "j")
    assert (job.schedule, job.wait_for_event, job.line) == (
        "*/5 * * * *",
        "post_collect",
        "search is(aws_vpc) | count",
    )
    with pytest.raises(UsageError, match="cron schedule"):
        cli(ctx, "jobs update j --schedule 'every hour'")
    with pytest.raises(UsageError, match="unknown kind"):
        cli(ctx, "jobs update j 'search is(aws_vpcc)'")
    assert cli(ctx, "jobs update j --schedule ''") == ["Job j updated."]
    assert load_job(ctx.store, "j").schedule is None


def test_history_shows_the_last_runs_oldest_first(ctx: Context) -> None:
    cli(ctx, "jobs add --id often 'echo @NOW@'")  # each run prints the time it ran at
    for minute in range(12):
        cli(ctx.derive(T0 + dt.timedelta(minutes=minute)), "jobs run often")

    def outputs(line: str) -> list[str]:
        return [out.strip() for out in cli(ctx, line) if out.startswith("  ")]

    history = cli(ctx, "jobs history often")
    assert history[0] == "The last 10 of 12 runs (--limit N shows more):"
    at = [(T0 + dt.timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M") for m in range(12)]
    assert [out[:16] for out in outputs("jobs history often")] == at[2:]
    assert [out[:16] for out in outputs("jobs history often --limit 3")] == at[9:]
    assert [out[:16] for out in outputs("jobs history --limit 20 often")] == at
    with pytest.raises(UsageError, match="--limit needs a positive number of runs, got 'x'"):
        cli(ctx, "jobs history often --limit x")
    for bad in ("0", "99999999999", "²"):  # no store error, no traceback: a usage error
        with pytest.raises(UsageError, match="--limit needs a positive number of runs"):
            cli(ctx, f"jobs history often --limit {bad}")
