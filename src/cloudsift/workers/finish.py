"""A run's finish, on one worker once every task ended: the partitions' lines in one import (the same
write as an in-process collection), the statuses, then merge_outer_edges and post_collect with their
jobs, each job once per run (a finish run again after a crash skips the jobs that already ran)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import tempfile
import time
from collections.abc import Iterable
from typing import IO, Any

import orjson

from cloudsift.collect.aws.service import services_for
from cloudsift.collect.run_log import record_run, steps_from_json
from cloudsift.collect.runner import (
    GLOBAL,
    Gathered,
    Partition,
    failed_services,
    partition_lines,
    regions_in_use,
    write_collection,
)
from cloudsift.config import Config
from cloudsift.context import Context
from cloudsift.jobs.model import EVENTS, Job
from cloudsift.store.postgres import PostgresStore
from cloudsift.store.retention import prune


def _partitions(
    rows: Iterable[tuple[Any, ...]],
    kinds: list[str] | None,
    spool: IO[bytes],
    outer: list[tuple[str, str, str]],
    in_use: dict[str, bool],
) -> dict[tuple[str, str], Partition]:
    """The partitions of the part tasks' rows (those of one partition together), each one's lines
    written to the spool once its rows are read: what stays in memory is its ids, not its lines."""
    known = {s.name: s for s in services_for(kinds)}
    partitions: dict[tuple[str, str], Partition] = {}
    for (account, region), part_rows in itertools.groupby(rows, key=lambda row: (row[0], row[1])):
        partition = partitions[(account, region)] = Partition(
            account, region, spool=io.BytesIO(), some_services=bool(kinds)
        )
        for _, _, services, errors, lines, found, seconds in part_rows:
            failed = failed_services(errors or [], services)
            answered = [name for name in services if name not in failed]
            data: dict[str, Any] = orjson.loads(found) if found else {"ids": [], "edges": [], "own": 0}
            partition.add(Gathered(bytes(lines or b""), data["ids"], [tuple(e) for e in data["edges"]],
                                   data["own"], seconds or 0.0, data.get("account", {})),
                          [k for name in answered for k in known[name].kinds], answered)  # fmt: skip
            for name in sorted(failed):
                partition.fail(name, known[name].kinds)
            partition.errors += errors or []
        spool.writelines(partition_lines(partition, outer, in_use))
    return partitions


def finish(store: PostgresStore, config: Config, run_id: str) -> None:
    run = store.execute("SELECT started_at, kinds, problems, account_errors, finished_at FROM collect_runs "
                        "WHERE id = ?", [run_id])  # fmt: skip
    if not run or run[0][4] is not None:
        return  # done already (a twin of this task)
    started_at, kinds, problems, account_errors = run[0][:4]
    accounts = store.execute(
        "SELECT account, errors, opened, alias, problems FROM collect_tasks WHERE run_id = ? AND starts_with(key, 'account:') "
        "ORDER BY account",
        [run_id],
    )
    account_errors = [tuple(e) for e in account_errors]
    account_errors += [(a, e) for a, errors, *_ in accounts for e in errors or []]
    for *_, unknown in accounts:
        problems += [p for p in unknown or [] if p not in problems]
    outer: list[tuple[str, str, str]] = []
    # read before the stream: what partitions whose services did not all answer keep
    in_use = regions_in_use(store)
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", prefix="collect-") as spool:
        partitions = _partitions(store.stream(
            "SELECT account, region, services, errors, lines, found, seconds FROM collect_tasks "
            "WHERE run_id = ? AND starts_with(key, 'part:') ORDER BY account, region, key", [run_id],
        ), kinds, spool, outer, in_use)  # fmt: skip
        if kinds:  # collecting some kinds only, every region of a reached account is a partition too
            for account, regions in store.execute(
                "SELECT account, regions FROM collect_tasks "
                "WHERE run_id = ? AND starts_with(key, 'account:') AND regions IS NOT NULL",
                [run_id],
            ):
                for region in [*regions, GLOBAL]:
                    if (account, region) not in partitions:  # none of the services touch it: it keeps all
                        partition = partitions[(account, region)] = Partition(
                            account, region, spool=io.BytesIO(), some_services=True
                        )
                        spool.writelines(partition_lines(partition, outer, in_use))
        ctx = Context(config=config, open_store=lambda: store.session(), served=True)
        job_output: list[str] = []
        events: list[str] = ["pre_collect", "collect"]  # the collecting process emitted those

        def event(name: str) -> None:
            events.append(name)
            job_output.extend(_event_jobs(ctx, store, run_id, name))

        started = time.perf_counter() - (dt.datetime.now(dt.UTC) - started_at).total_seconds()
        try:
            summary = write_collection(
                store, spool, list(partitions.values()), [(a, alias) for a, _, opened, alias, _ in accounts
                                                          if opened],
                account_errors, kinds, outer, event, started, events, problems,
            )  # fmt: skip
        finally:
            ctx.close()
    lines = [*summary.lines(), f"Events: {', '.join(e for e in EVENTS if e in summary.events)}.", *job_output]
    steps = store.execute(
        "SELECT steps FROM collect_tasks WHERE run_id = ? AND steps IS NOT NULL ORDER BY key", [run_id]
    )
    with store.transaction():
        record_run(store, run_id, "collect", started_at, summary.duration, "ok" if summary.ok else "partial",
                   "\n".join(lines), [step for (items,) in steps for step in steps_from_json(items)])  # fmt: skip
        store.execute(
            "UPDATE collect_runs SET finished_at = now(), outcome = ?, failed = ?, summary = ? WHERE id = ?",
            ["ok" if summary.ok else "partial", summary.failed, "\n".join(lines), run_id],
        )
    # what the run's tasks found is in the store now: their rows keep only what they say about it
    store.execute("UPDATE collect_tasks SET lines = NULL, found = NULL WHERE run_id = ?", [run_id])
    prune(store, config.store.retention_seconds)


def claim_trigger(store: PostgresStore, trigger: str, job: Job) -> bool:
    """Whether this process runs the job for this trigger: the first to claim it, or the one after a
    claimer that died before the job was done (only one finish of a run runs at a time)."""
    rows = store.execute(
        "INSERT INTO job_triggers (trigger, job, claimed_at) VALUES (?, ?, now()) "
        "ON CONFLICT (trigger, job) DO UPDATE SET claimed_at = excluded.claimed_at "
        "WHERE job_triggers.done_at IS NULL RETURNING job",
        [trigger, job.id],
    )
    return bool(rows)


def _event_jobs(ctx: Context, store: PostgresStore, run_id: str, event: str) -> list[str]:
    from cloudsift.jobs.runs import run_event_jobs

    trigger = f"collect:{run_id}:{event}"
    ran: list[Job] = []

    def claim(job: Job) -> bool:
        if claim_trigger(store, trigger, job):
            ran.append(job)
            return True
        return False

    try:
        return run_event_jobs(ctx, event, claim=claim)
    finally:
        for job in ran:
            store.execute(
                "UPDATE job_triggers SET done_at = now() WHERE trigger = ? AND job = ?", [trigger, job.id]
            )
