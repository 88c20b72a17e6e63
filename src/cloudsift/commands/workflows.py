"""The collect workflow as commands: `collect`, `workflows list|show|run`."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloudsift.commands.base import Command, Context, Option, command
from cloudsift.errors import CloudsiftError, PartialFailure, UsageError
from cloudsift.jobs.model import EVENTS

if TYPE_CHECKING:
    from cloudsift.collect.steps import Progress
    from cloudsift.store.base import Store

USAGE = "list|show NAME|run NAME|running|history|log RUN_ID"
WORKFLOWS = {"collect": "collect every configured AWS account and region, then run the jobs of its events"}


class CollectError(CloudsiftError):
    """A collection that could not start (no credentials, no reachable account)."""


@dataclass(frozen=True)
class CollectRun:
    lines: list[str]
    failed: int  # partitions, accounts and configured names that failed


def _run_collect(ctx: Context, kinds: list[str] | None = None) -> Iterator[str]:
    run = run_collect(ctx, kinds)
    yield from run.lines
    if run.failed:
        raise PartialFailure(
            f"collect: {run.failed} {'part' if run.failed == 1 else 'parts'} of the collection failed "
            "(shown above; failed partitions kept their previous data)"
        )


def run_collect(ctx: Context, kinds: list[str] | None = None) -> CollectRun:
    """One collection, then the jobs of its events; one at a time per process."""
    if not ctx.runner.collect_lock.acquire(blocking=False):
        raise UsageError("a collection runs already; `workflows history` shows it when it is done")
    ctx.runner.collect_started = dt.datetime.now(dt.UTC)
    try:
        # of every process on a shared store too (another server's schedule, a worker setup's `collect`)
        with ctx.store.hold("collect") as held:
            if not held:
                raise UsageError(
                    "a collection runs already (another process on this store); `workflows history` shows it when it is done"
                )
            if ctx.config.workers.enabled:
                return _collect_by_workers(ctx, kinds)
            return _collect_locked(ctx, kinds)
    finally:
        ctx.runner.collect_started = None
        ctx.runner.collect_lock.release()


def _collect_by_workers(ctx: Context, kinds: list[str] | None) -> CollectRun:
    from botocore.exceptions import BotoCoreError, ClientError

    from cloudsift.jobs.runs import run_event_jobs
    from cloudsift.workers.collection import collect_with_workers
    from cloudsift.workers.queue import postgres_url

    postgres_url(ctx.config, "[workers] enabled")
    job_output: list[str] = []
    try:
        with _progress(ctx, "tasks (account, region, service group)") as progress:
            lines, failed = collect_with_workers(
                ctx.store, ctx.config, kinds, lambda event: job_output.extend(run_event_jobs(ctx, event)),
                progress,
            )  # fmt: skip
    except (BotoCoreError, ClientError) as e:
        raise CollectError(f"collect: cannot reach AWS: {e}") from None
    return CollectRun([*lines, *job_output], failed)


def _collect_locked(ctx: Context, kinds: list[str] | None) -> CollectRun:
    from botocore.exceptions import BotoCoreError, ClientError

    from cloudsift.collect.run_log import new_run_id, record_run
    from cloudsift.collect.runner import collect_aws
    from cloudsift.jobs.runs import run_event_jobs
    from cloudsift.store.retention import prune

    started = ctx.now  # the instant this collection starts, not the one the context was made
    job_output: list[str] = []

    def emit(event: str) -> None:
        job_output.extend(run_event_jobs(ctx, event))

    try:
        with _progress(ctx, "steps (account, region, service)") as progress:
            summary = collect_aws(ctx.store, ctx.config, emit, progress, kinds)
    except (BotoCoreError, ClientError) as e:
        raise CollectError(f"collect: cannot reach AWS: {e}") from None
    lines = [*summary.lines(), f"Events: {', '.join(e for e in EVENTS if e in summary.events)}.", *job_output]
    record_run(ctx.store, new_run_id(), "collect", started, summary.duration, "ok" if summary.ok else "partial",
               "\n".join(lines), summary.steps)  # fmt: skip
    prune(ctx.store, ctx.config.store.retention_seconds)
    return CollectRun(lines, summary.failed)


@contextlib.contextmanager
def _progress(ctx: Context, unit: str) -> Iterator[Progress]:
    """In the shell's terminal, a bar: `unit` done of how many, and what the collection waits on longest,
    so a hung endpoint is named, not silent. Elsewhere (-c to a pipe, the server) nothing."""
    if not ctx.terminal or ctx.served:
        yield lambda done, total, waiting: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
               TimeElapsedColumn())  # fmt: skip
    with Bar(*columns, transient=True) as bar:
        task = bar.add_task("collecting", total=None)

        def update(done: int, total: int, waiting: str) -> None:
            description = f"collecting, waiting on {waiting}" if waiting else "collecting"
            bar.update(task, completed=done, total=total, description=description)

        yield update


@command
class CollectCommand(Command):
    """Collect the configured AWS accounts and regions now (the `collect` workflow).

    Every (account, region) that collects cleanly replaces its previous data; one that fails keeps
    its last good data and its error is shown. Events pre_collect, collect, merge_outer_edges and
    post_collect are emitted in that order.

    A region or account that leaves the config (removed, or misspelled) is not deleted: its data is
    kept as it was, `workflows show collect` marks it "not collected since …, no longer configured",
    and alerts on it stay open. `collect --forget REGION|ACCOUNT|ACCOUNT/REGION` retires it: its data
    and status are deleted (kept in `history`), and its alerts can resolve.

    `collect --kinds aws_ec2_security_group,aws_s3_bucket` (or `--kinds K1 K2 …`; base kinds such as
    `security_group` count) calls only the AWS services those kinds need and keeps every other kind's data
    as it was; `[workflows.collect] kinds` does the same for every collection.

    Example: `workflows list`
    """

    name = "collect"
    source = True
    formatter = True
    positional = "[--forget REGION|ACCOUNT] [--kinds K,… [K …]]"
    options = (
        Option("--forget", "Delete the data of a region or account that left the config.", str, None),
        Option("--kinds", "Only these kinds (comma-separated; more may follow as words).", str, None),
    )

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if self.rest and not self.args["kinds"]:
            raise UsageError(
                "collect takes no arguments but --kinds K…; configure [aws] accounts and regions"
            )
        if self.args["forget"] is not None:
            return iter(_forget(ctx, self.args["forget"]))
        kinds = [k for part in [self.args["kinds"] or "", *self.rest] for k in part.split(",") if k.strip()]
        if kinds:
            from cloudsift.collect.aws.service import services_for

            services_for(kinds)  # an unknown kind is refused before anything is collected
        return _run_collect(ctx, kinds or None)


def _forget(ctx: Context, name: str) -> list[str]:
    from cloudsift.collect.partitions import forget

    if not ctx.runner.collect_lock.acquire(blocking=False):
        raise UsageError("a collection runs now; forget the partition when it is done")
    try:
        return forget(ctx.store, name)
    finally:
        ctx.runner.collect_lock.release()


@command
class WorkflowsCommand(Command):
    """Workflows: `workflows list`, `workflows show collect` (last result per partition), `workflows run collect`,
    `workflows running`, `workflows history` (past runs, each with its id), `workflows log RUN_ID` (one run:
    each step's account, region, service, start, duration and outcome with its error, the counts, the
    summary; a unique start of the id is enough).

    Example: `workflows show collect`
    """

    name = "workflows"
    source = True
    formatter = True
    positional = "list|show|run|running|history|log [NAME|RUN_ID]"  # its first word: the sub-commands

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        action = self.rest[0] if self.rest else "list"
        if action == "list":
            return iter([f"{name}: {text}" for name, text in WORKFLOWS.items()])
        if action == "running":
            started = ctx.runner.collect_started
            return iter([f"collect: running since {started.isoformat(timespec='seconds')}" if started
                         else "No workflow runs now."])  # fmt: skip
        if action == "history":
            from cloudsift.commands.workflow_log import history_lines

            return iter(history_lines(ctx.store))
        if action not in ("show", "run", "log") or len(self.rest) != 2:
            raise UsageError(f"workflows {USAGE.replace('|', ' | workflows ')}")
        if action == "log":
            from cloudsift.commands.workflow_log import run_log

            return iter(run_log(ctx.store, self.rest[1]))
        if self.rest[1] not in WORKFLOWS:
            raise UsageError(f"unknown workflow {self.rest[1]!r}; known: {', '.join(WORKFLOWS)}")
        if action == "run":
            return _run_collect(ctx)
        return iter(self._show(ctx))

    def _show(self, ctx: Context) -> list[str]:
        from cloudsift.collect.partitions import forget_hint

        lines = []
        missing = _never_collected(ctx.store)
        for p in ctx.store.partitions():
            if p.unconfigured_since is not None:
                lines.append(
                    f"{p.cloud} {p.account} {p.region}: {p.describe()} (its data is kept; {forget_hint(p)})"
                )
                continue
            when = p.collected_at.isoformat() if p.collected_at else "never"
            last = f", last success {p.last_success.isoformat()}" if p.error and p.last_success else ""
            never = missing.get((p.account, p.region))
            unseen = f"; never collected here: {', '.join(never)}" if never else ""
            lines.append(f"{p.cloud} {p.account} {p.region}: {p.describe()} at {when}{last}{unseen}")
        return lines or ["collect has not run yet."]


def _never_collected(store: Store) -> dict[tuple[str, str], list[str]]:
    """Per (account, region) of the collection record, the services that never answered there (failed
    each time, or not run: `collect --kinds`); a check that needs their kinds is not evaluated there."""
    records = store.collected_services()
    if not records:
        return {}
    import cloudsift.collect.aws  # noqa: F401  (registers the services)
    from cloudsift.collect.aws.service import SERVICES
    from cloudsift.collect.partitions import ACCOUNT_WIDE
    from cloudsift.collect.runner import GLOBAL

    answered: dict[tuple[str, str], set[str]] = {}
    for record in records:
        seen = answered.setdefault((record.account, record.region), set())
        if record.last_success is not None:
            seen.add(record.service)
    wanted = {True: sorted(n for n, s in SERVICES.items() if s.global_),
              False: sorted(n for n, s in SERVICES.items() if not s.global_)}  # fmt: skip
    return {place: [n for n in wanted[place[1] == GLOBAL] if n not in seen]
            for place, seen in answered.items() if place[1] != ACCOUNT_WIDE}  # fmt: skip


@command
class HistoryCommand(Command):
    """What collections and imports changed: created, updated (which properties) and deleted nodes.

    `history [--change created|updated|deleted] [--after TIME] [QUERY]`; QUERY filters on the
    node as it was (for deleted nodes) or became.

    Example: `history --change updated is(aws_ec2_security_group)`
    """

    name = "history"
    source = True
    formatter = True
    positional = "[QUERY]"
    options = (
        Option("--change", "Only this change.", str, None, ("created", "updated", "deleted")),
        Option("--after", "Only changes after this time (ISO 8601, or a duration such as -1d).", str, None),
    )

    def parse(self, raw: str) -> None:
        import re

        self.args = {"change": None, "after": None}
        rest = raw
        while True:
            match = re.match(r"\s*(--change|--after)(?:\s+|=)(\S+)", rest)
            if not match:
                break
            option = next(o for o in self.options if o.name == match.group(1))
            self.args[option.dest] = self._convert(option, match.group(2))
            rest = rest[match.end() :]
        if rest.strip().startswith("--"):
            raise UsageError(f"history: unknown option {rest.split()[0]}; known: --change, --after")
        self.query_text = rest.strip()

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        from cloudsift.model import MODEL
        from cloudsift.query import reference
        from cloudsift.query.binder import parse_datetime
        from cloudsift.query.parser import parse_duration

        after = None
        if self.args["after"]:
            duration = parse_duration(self.args["after"])
            try:
                after = (ctx.now + dt.timedelta(seconds=duration.seconds) if duration
                         else parse_datetime(self.args["after"]))  # fmt: skip
            except ValueError:
                raise UsageError(
                    f"history: --after needs a time or a duration, not {self.args['after']!r}"
                ) from None
        term = ctx.store.bind(self.query_text or "all", ctx.now).parts[0].term
        for entry in ctx.store.history(self.args["change"], after):
            doc = {"id": entry.id, "kinds": list(MODEL.kinds_of(entry.kind)) if entry.kind in MODEL.kinds else [],
                   "reported": entry.reported, "ancestors": {}}  # fmt: skip
            if reference.matches(term, doc):
                changed = f" ({', '.join(entry.changed)})" if entry.changed else ""
                name = entry.reported.get("name") or entry.reported.get("id")
                yield f"{entry.at.isoformat()} {entry.change} {entry.kind} {name}{changed}"
