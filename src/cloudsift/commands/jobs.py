"""Jobs: command lines that run after an event of a workflow (post_collect, …) or on a schedule."""

from __future__ import annotations

import datetime as dt
import shlex
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cloudsift.commands.base import Command, Context, command
from cloudsift.errors import CloudsiftError, UsageError

EVENTS = ("pre_collect", "collect", "merge_outer_edges", "post_collect")


@dataclass(frozen=True)
class Job:
    id: str
    line: str
    schedule: str | None
    wait_for_event: str | None
    timeout: int | None
    active: bool

    @property
    def trigger(self) -> str:
        parts = []
        if self.schedule:
            parts.append(f"schedule {self.schedule}")
        if self.wait_for_event:
            parts.append(f"event {self.wait_for_event}")
        return " and ".join(parts) or "manual"


def jobs(ctx: Context, job_id: str | None = None) -> list[Job]:
    rows = ctx.store.execute(
        "SELECT id, line, schedule, wait_for_event, timeout, active FROM jobs WHERE (? IS NULL OR id = ?) ORDER BY id",
        [job_id, job_id],
    )
    return [Job(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]


def _one(ctx: Context, job_id: str) -> Job:
    found = jobs(ctx, job_id)
    if not found:
        known = [j.id for j in jobs(ctx)]
        from cloudsift.errors import did_you_mean

        raise UsageError(f"no job {job_id!r}.{did_you_mean(job_id, known)}")
    return found[0]


def check_line(ctx: Context, line: str) -> None:
    """Parse the whole line and bind its searches now: a bad job is refused when it is added."""
    from cloudsift.commands.pipeline import parse_line, replace_placeholders
    from cloudsift.commands.search import SearchCommand
    from cloudsift.query.binder import Binder

    for pipeline in parse_line(replace_placeholders(line, ctx.now)):
        for cmd in pipeline.commands:
            if isinstance(cmd, SearchCommand):
                Binder(ctx.store.model, ctx.store.extra_properties(), ctx.now, cmd.query_text).query(
                    cmd.parsed
                )


def run_job(ctx: Context, job: Job) -> list[str]:
    """Run a job's line now; its output and outcome are kept in job_runs."""
    from cloudsift.commands.pipeline import run_line

    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    try:
        output = [str(e) if isinstance(e, str) else repr(e) for e in run_line(job.line, ctx)]
        outcome = "done"
    except CloudsiftError as e:
        output, outcome = [f"error: {e.render()}"], "failed"
    ctx.store.execute(
        "INSERT INTO job_runs (job, started_at, seconds, outcome, output) VALUES (?, ?, ?, ?, ?)",
        [job.id, started, time.perf_counter() - clock, outcome, "\n".join(output)],
    )
    return [f"job {job.id}: {line}" for line in output] or [f"job {job.id}: {outcome}"]


def run_event_jobs(ctx: Context, event: str) -> list[str]:
    out: list[str] = []
    for job in jobs(ctx):
        if job.active and job.wait_for_event == event and not job.schedule:
            out += run_job(ctx, job)
    return out


@command
class JobsCommand(Command):
    """Jobs: `jobs add [--id ID] [--schedule CRON] [--wait-for-event EVENT] [--timeout S] 'LINE'`,
    `jobs list`, `jobs show ID`, `jobs run ID`, `jobs activate ID`, `jobs deactivate ID`, `jobs delete ID`,
    `jobs history ID`. A job waiting for post_collect runs after every collection, in `collect` too.

    Example: `jobs list`
    """

    name = "jobs"
    source = True
    formatter = True
    positional = "add|list|show|run|activate|deactivate|delete|history …"

    def parse(self, raw: str) -> None:
        try:
            self.words = shlex.split(raw)
        except ValueError as e:
            raise UsageError(f"jobs: {e}") from None

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        action, *rest = self.words or ["list"]
        if action == "add":
            return iter(self._add(ctx, rest))
        if action == "list":
            return iter([f"{j.id}: {j.trigger}{'' if j.active else ' (inactive)'}: {j.line}" for j in jobs(ctx)]
                        or ["No jobs."])  # fmt: skip
        if len(rest) != 1:
            raise UsageError(f"jobs {action} needs one job id")
        job = _one(ctx, rest[0])
        if action == "show":
            return iter([f"id: {job.id}", f"trigger: {job.trigger}", f"timeout: {job.timeout or 'none'}",
                         f"active: {'yes' if job.active else 'no'}", f"line: {job.line}"])  # fmt: skip
        if action == "run":
            return iter(run_job(ctx, job))
        if action in ("activate", "deactivate"):
            ctx.store.execute("UPDATE jobs SET active = ? WHERE id = ?", [action == "activate", job.id])
            return iter([f"Job {job.id} {action}d."])
        if action == "delete":
            ctx.store.execute("DELETE FROM jobs WHERE id = ?", [job.id])
            return iter([f"Job {job.id} deleted."])
        if action == "history":
            rows = ctx.store.execute(
                "SELECT started_at, seconds, outcome, output FROM job_runs WHERE job = ? ORDER BY started_at",
                [job.id],
            )
            return iter(
                [f"{r[0].isoformat()} {r[2]} in {r[1]:.2f}s: {r[3]}" for r in rows] or ["No runs yet."]
            )
        raise UsageError("jobs add|list|show|run|activate|deactivate|delete|history")

    def _add(self, ctx: Context, words: list[str]) -> list[str]:
        options: dict[str, str] = {}
        names = {"--id": "id", "--schedule": "schedule", "--wait-for-event": "event", "--timeout": "timeout"}
        rest = []
        i = 0
        while i < len(words):
            if words[i] in names:
                if i + 1 >= len(words):
                    raise UsageError(f"jobs add: {words[i]} needs a value")
                options[names[words[i]]] = words[i + 1]
                i += 2
            elif words[i].startswith("--"):
                from cloudsift.errors import did_you_mean

                raise UsageError(f"jobs add: unknown option {words[i]}.{did_you_mean(words[i], list(names))}")
            else:
                rest.append(words[i])
                i += 1
        if len(rest) != 1:
            raise UsageError(
                "jobs add takes the command line as one quoted argument: jobs add --id x 'search … | …'"
            )
        line = rest[0]
        event = options.get("event")
        if event is not None and event not in EVENTS:
            raise UsageError(f"jobs add: unknown event {event!r}; known: {', '.join(EVENTS)}")
        schedule = options.get("schedule")
        if schedule is not None:
            from croniter import croniter

            if not croniter.is_valid(schedule):
                raise UsageError(f"jobs add: {schedule!r} is not a cron schedule such as '0 * * * *'")
        timeout = options.get("timeout")
        if timeout is not None and not timeout.isdigit():
            raise UsageError("jobs add: --timeout takes seconds")
        check_line(ctx, line)
        job_id = options.get("id") or f"job_{abs(hash(line)) % 10**8:08d}"
        if jobs(ctx, job_id):
            raise UsageError(
                f"a job {job_id!r} exists already: jobs delete {job_id} first, or choose another --id"
            )
        ctx.store.execute(
            "INSERT INTO jobs (id, line, schedule, wait_for_event, timeout, active, created_at) "
            "VALUES (?, ?, ?, ?, ?, true, ?)",
            [job_id, line, schedule, event, None if timeout is None else int(timeout), ctx.now],
        )
        return [f"Job {job_id} added."]
