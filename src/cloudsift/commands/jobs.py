"""Jobs: command lines that run after an event of a workflow (post_collect, …) or on a schedule."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from typing import Any

from cloudsift.commands.base import Command, Context, command
from cloudsift.errors import CloudsiftError, UsageError, did_you_mean
from cloudsift.jobs.model import EVENTS, Job, load_job, load_jobs
from cloudsift.jobs.runs import run_event_jobs
from cloudsift.redact import mask_secrets
from cloudsift.schedule import check_cron

__all__ = ["JobsCommand", "check_line", "run_event_jobs"]


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


HISTORY_LIMIT = 10  # runs `jobs history` shows unless --limit says otherwise


def _limit(words: list[str]) -> tuple[int, list[str]]:
    """`--limit N` taken out of `jobs history`'s words."""
    at = words.index("--limit")
    value = words[at + 1] if at + 1 < len(words) else ""
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) < 1:
        raise UsageError(f"jobs history: --limit needs a positive number of runs, got {value!r}")
    return int(value), words[:at] + words[at + 2 :]


_OPTIONS = {"--id": "id", "--schedule": "schedule", "--wait-for-event": "event", "--timeout": "timeout"}


@command
class JobsCommand(Command):
    """Jobs: command lines that run on a schedule, after a workflow's event, or both.

    - `jobs add [--id ID] [--schedule CRON] [--wait-for-event EVENT] [--timeout S] 'LINE'`: the line is
      checked now (a bad query is refused with the caret); `@NOW@`-style placeholders are expanded at
      each run. With a schedule and an event, the job waits at the scheduled time for the event, up to
      its timeout (an hour without one).
    - `jobs update ID [--schedule CRON] [--wait-for-event EVENT] [--timeout S] ['LINE']`: change what is given.
    - `jobs list`, `jobs show ID`, `jobs running`, `jobs history ID [--limit N]` (the last N runs, 10 by
      default: start, duration, outcome, output).
    - `jobs run ID` runs it now; `jobs activate ID`, `jobs deactivate ID`, `jobs delete ID`.

    A job never runs twice at once: a trigger during a run queues one follow-up run. A job that runs
    longer than its timeout is stopped and recorded as `timeout`. Schedules fire under `cloudsift serve`;
    jobs waiting for post_collect also run after `collect` on the command line.

    Example: `jobs list`
    """

    name = "jobs"
    source = True
    formatter = True
    positional = "add|update|list|show|running|run|activate|deactivate|delete|history …"

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
            return iter([f"{j.id}: {j.trigger}{'' if j.active else ' (inactive)'}: {mask_secrets(j.line)}"
                         for j in load_jobs(ctx.store)] or ["No jobs."])  # fmt: skip
        if action == "running":
            running = ctx.runner.running()
            return iter([f"{job}: running since {since.isoformat(timespec='seconds')}"
                         for job, since in sorted(running.items())] or ["No job runs now."])  # fmt: skip
        if action == "update":
            return iter(self._update(ctx, rest))
        limit = HISTORY_LIMIT
        if action == "history" and "--limit" in rest:
            limit, rest = _limit(rest)
        if len(rest) != 1:
            raise UsageError(f"jobs {action} needs one job id")
        job = load_job(ctx.store, rest[0])
        if action == "show":
            return iter([f"id: {job.id}", f"trigger: {job.trigger}", f"timeout: {job.timeout or 'none'}",
                         f"active: {'yes' if job.active else 'no'}", f"line: {mask_secrets(job.line)}"])  # fmt: skip
        if action == "run":
            return _run_now(ctx, job)
        if action in ("activate", "deactivate"):
            ctx.store.execute("UPDATE jobs SET active = ? WHERE id = ?", [action == "activate", job.id])
            ctx.runner.changed.set()
            return iter([f"Job {job.id} {action}d."])
        if action == "delete":
            ctx.store.execute("DELETE FROM jobs WHERE id = ?", [job.id])
            ctx.runner.changed.set()
            return iter([f"Job {job.id} deleted."])
        if action == "history":
            return iter(self._history(ctx, job, limit))
        known = [
            "add",
            "update",
            "list",
            "show",
            "running",
            "run",
            "activate",
            "deactivate",
            "delete",
            "history",
        ]
        raise UsageError(f"jobs: unknown action {action!r}.{did_you_mean(action, known)}")

    @staticmethod
    def _history(ctx: Context, job: Job, limit: int) -> list[str]:
        rows = ctx.store.execute(
            "SELECT started_at, seconds, outcome, output, count(*) OVER () FROM job_runs WHERE job = ? "
            "ORDER BY started_at DESC LIMIT ?",
            [job.id, limit],
        )
        total = rows[0][4] if rows else 0
        lines = [f"The last {limit} of {total} runs (--limit N shows more):"] if total > limit else []
        for started, seconds, outcome, output, _ in reversed(rows):
            lines.append(f"{started.isoformat(timespec='seconds')} {outcome} in {seconds:.2f}s")
            lines += [f"  {line}" for line in str(output or "").splitlines()]
        return lines or ["No runs yet."]

    @staticmethod
    def _options(words: list[str], action: str) -> tuple[dict[str, str], list[str]]:
        options: dict[str, str] = {}
        rest = []
        i = 0
        while i < len(words):
            if words[i] in _OPTIONS:
                if i + 1 >= len(words):
                    raise UsageError(f"jobs {action}: {words[i]} needs a value")
                options[_OPTIONS[words[i]]] = words[i + 1]
                i += 2
            elif words[i].startswith("--"):
                raise UsageError(
                    f"jobs {action}: unknown option {words[i]}.{did_you_mean(words[i], list(_OPTIONS))}"
                )
            else:
                rest.append(words[i])
                i += 1
        event = options.get("event")
        if event and event not in EVENTS:
            raise UsageError(f"jobs {action}: unknown event {event!r}; known: {', '.join(EVENTS)}")
        if options.get("schedule"):
            check_cron(options["schedule"])
        timeout = options.get("timeout")
        if timeout is not None and not (timeout.isdigit() and int(timeout) > 0):
            raise UsageError(f"jobs {action}: --timeout takes a number of seconds, not {timeout!r}")
        return options, rest

    def _add(self, ctx: Context, words: list[str]) -> list[str]:
        options, rest = self._options(words, "add")
        if len(rest) != 1:
            raise UsageError(
                "jobs add takes the command line as one quoted argument: jobs add --id x 'search … | …'"
            )
        line = rest[0]
        check_line(ctx, line)
        job_id = options.get("id") or f"job_{abs(hash(line)) % 10**8:08d}"
        if load_jobs(ctx.store, job_id):
            raise UsageError(
                f"a job {job_id!r} exists already: jobs update {job_id} …, or jobs delete {job_id} first"
            )
        timeout = options.get("timeout")
        ctx.store.execute(
            "INSERT INTO jobs (id, line, schedule, wait_for_event, timeout, active, created_at) "
            "VALUES (?, ?, ?, ?, ?, true, ?)",
            [job_id, line, options.get("schedule") or None, options.get("event") or None,
             None if timeout is None else int(timeout), ctx.now],
        )  # fmt: skip
        ctx.runner.changed.set()
        return [f"Job {job_id} added."]

    def _update(self, ctx: Context, words: list[str]) -> list[str]:
        options, rest = self._options(words, "update")
        if not rest or len(rest) > 2 or "id" in options:
            raise UsageError(
                "jobs update ID [--schedule CRON] [--wait-for-event EVENT] [--timeout S] ['LINE']"
            )
        job = load_job(ctx.store, rest[0])
        line = rest[1] if len(rest) == 2 else job.line
        check_line(ctx, line)
        # An empty value removes a trigger: --schedule '' makes the job wait for its event alone.
        schedule = options.get("schedule", job.schedule) or None
        event = options.get("event", job.wait_for_event) or None
        timeout = int(options["timeout"]) if "timeout" in options else job.timeout
        ctx.store.execute(
            "UPDATE jobs SET line = ?, schedule = ?, wait_for_event = ?, timeout = ? WHERE id = ?",
            [line, schedule, event, timeout, job.id],
        )
        ctx.runner.changed.set()
        return [f"Job {job.id} updated."]


def _run_now(ctx: Context, job: Job) -> Iterator[str]:
    """`jobs run ID`: the run's output, then an error when it failed, so the line exits non-zero."""
    result = ctx.runner.run(ctx, job)
    yield from result.lines()
    if result.outcome in ("failed", "timeout"):
        what = "timed out" if result.outcome == "timeout" else "failed"
        raise CloudsiftError(
            f"jobs run {job.id}: the job {what} (its output is above; `jobs history {job.id}` keeps it)"
        )
