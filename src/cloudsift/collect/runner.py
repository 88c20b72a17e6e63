"""The collect workflow: every account x region x service in parallel, then one atomic write.

Within a partition (account, region), each service that answered replaces its kinds' previous data; a
service that failed (AccessDenied, an API the endpoint does not implement, a timeout) keeps its kinds' last
good data, and its error is recorded for the partition, which is then not clean (no alert on it resolves).
Nothing is written to the store until the end, so a crash or Ctrl-C leaves the previous snapshot as it was.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

import cloudsift.collect.aws  # noqa: F401  (registers the services)
from cloudsift.collect.account_node import head_lines
from cloudsift.collect.aws.accounts import Account, config_problems, discover_accounts, regions_of
from cloudsift.collect.aws.service import (
    REGION_IN_USE_ABOVE,
    SERVICES,
    Region,
    Service,
    own_resources,
    services_for,
)
from cloudsift.collect.graph import (
    GraphBuilder,
    edge_line,
    edge_lines,
    node_line,
    node_lines,
    outer_edge_lines,
)
from cloudsift.collect.partitions import ACCOUNT_WIDE, forget_hint, kept_lines, marked, place_query, uncovered
from cloudsift.collect.run_log import Step, done_step, failed_step, not_run_step
from cloudsift.collect.steps import Progress, StepFailed, Steps, not_run, short_error, step_name
from cloudsift.config import Config
from cloudsift.store.base import CollectedService, ImportSummary, PartitionStatus, Store

GLOBAL = "global"
IMPORT_MEMORY_MB = 400
PROGRESS_SECONDS = 1.0  # how often the progress callback hears of the step waited on, when none ends


@dataclass
class Partition:
    account: str
    region: str
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # What its services found: node lines wait in a file of their own (dropped if the partition
    # fails), while the ids and edges stay in memory until every service of it is done.
    ids: dict[str, None] = field(default_factory=dict)
    own_resources: int = 0  # for the region's region_in_use
    kinds: set[str] = field(default_factory=set)  # of the services that answered: their data is replaced
    failed_kinds: set[str] = field(default_factory=set)  # of the services that failed: their data is kept
    failed: list[str] = field(default_factory=list)  # the names of those services
    answered: list[str] = field(default_factory=list)  # the names of the services that answered
    some_services: bool = False  # `--kinds`: only some services ran, the others' data is kept
    timed_out: bool = False  # one of its steps did: the steps not started are cancelled
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    account_props: dict[str, dict[str, Any]] = field(default_factory=dict)  # service -> what it writes there
    # closed by partition_lines when the partition is done; an aborted collection leaves it to the GC
    spool: IO[bytes] = field(default_factory=lambda: tempfile.TemporaryFile(prefix="collect-"))  # noqa: SIM115

    @property
    def resources(self) -> int:
        return len(self.ids)

    def add(self, found: Gathered, kinds: Iterable[str], services: Iterable[str] = ()) -> None:
        self.kinds.update(kinds)
        self.answered.extend(services)
        self.own_resources += found.own_resources
        self.spool.write(found.lines)
        self.ids.update(dict.fromkeys(found.ids))
        self.edges.extend(found.edges)
        self.seconds += found.seconds
        self.account_props.update(found.account_props)

    def fail(self, service: str, kinds: Iterable[str]) -> None:
        """A service that failed here (or was not called after a timeout): its kinds keep their data."""
        self.failed.append(service)
        self.failed_kinds.update(kinds)

    def services(self, now: dt.datetime) -> Iterator[CollectedService]:
        """What its services did, as the store records it: answered, or failed with the error naming them
        (the partition's errors when none does, as after a timeout)."""
        for name in dict.fromkeys(self.answered):
            yield _service_record(self, name, None, now)
        for name in dict.fromkeys(self.failed):
            named = [e for e in self.errors if e.startswith(f"{name}:")]
            yield _service_record(self, name, "; ".join(named or self.errors) or "not collected", now)


def _service_record(partition: Partition, name: str, error: str | None, now: dt.datetime) -> CollectedService:
    service = SERVICES.get(name)
    return CollectedService("aws", partition.account, partition.region, name,
                            (*service.kinds, *service.account_props), error, now)  # fmt: skip


@dataclass
class Gathered:
    """What one service found in one (account, region): its node lines, their ids, its edges, and (by
    service) the properties it writes on the account's node."""

    lines: bytes
    ids: list[str]
    edges: list[tuple[str, str, str]]
    own_resources: int
    seconds: float
    account_props: dict[str, dict[str, Any]] = field(default_factory=dict)


def gather(account: Account, region: str, service: Any, steps: Steps | None = None) -> Gathered:
    """Call AWS for one service in one (account, region), a step of `steps` while it runs; nothing is
    written anywhere. Its error comes as StepFailed, with how long it waited."""
    graph = GraphBuilder()
    with (steps or Steps()).running(step_name(service.name, account.id, region)) as started:
        try:
            service.collect(account, Region(account.id, region), graph)
        except Exception as e:  # recorded for its partition by the caller, with how long it waited
            raise StepFailed(e, time.perf_counter() - started) from e
    return Gathered(b"".join(node_lines(graph.nodes)), list(graph.nodes), list(graph.edges),
                    own_resources(graph.nodes), time.perf_counter() - started,
                    {service.name: graph.account} if service.account_props else {})  # fmt: skip


@dataclass
class CollectSummary:
    duration: float
    partitions: list[Partition]
    account_errors: list[tuple[str, str]]
    events: list[str]
    imported: ImportSummary | None
    store_seconds: float = 0.0
    unconfigured: list[PartitionStatus] = field(default_factory=list)  # kept, not collected: left the config
    config_errors: list[str] = field(default_factory=list)  # names in [aws] that are no account or region
    steps: list[Step] = field(default_factory=list)  # for the run's log

    @property
    def failed(self) -> int:
        """How many partitions, accounts and configured names failed."""
        return (
            sum(1 for p in self.partitions if p.errors) + len(self.account_errors) + len(self.config_errors)
        )

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> Iterator[str]:
        for problem in self.config_errors:
            yield f"aws: error: {problem}"
        for p in sorted(self.partitions, key=lambda p: (p.account, p.region)):
            state = f"error: {'; '.join(p.errors)} ({kept_wording(p)})" if p.errors else "ok"
            yield f"aws {p.account} {p.region}: {p.resources} resources, {state}"
        for account, error in self.account_errors:
            yield f"aws {account}: error: {error} (kept the previous data)"
        for status in self.unconfigured:
            place = "" if status.region == ACCOUNT_WIDE else f" {status.region}"
            yield f"aws {status.account}{place}: {status.describe()} (kept its data; {forget_hint(status)})"
        total = sum(p.resources for p in self.partitions)
        yield f"Collected {total} resources in {len(self.partitions)} partitions in {self.duration:.1f}s, {self.failed} failed."


def collect_aws(
    store: Store,
    config: Config,
    emit: Callable[[str], None] = lambda _: None,
    progress: Progress = lambda done, total, waiting: None,
    kinds: Collection[str] | None = None,
) -> CollectSummary:
    """Collect every configured account and region; with `kinds` (or `[workflows.collect] kinds`), only the
    services of those kinds, keeping every other kind's stored data as it was. `progress` is told, at each
    step done and every second, the steps done, their total and the step waited on longest."""
    started = time.perf_counter()
    kinds = kinds or config.workflows.collect.kinds or None
    services = services_for(kinds)
    events: list[str] = []

    def event(name: str) -> None:
        events.append(name)
        emit(name)

    event("pre_collect")
    problems = config_problems(config.aws)
    accounts, account_errors = discover_accounts(config.aws)
    event("collect")
    in_use = regions_in_use(store)
    partitions: dict[tuple[str, str], Partition] = {}
    # What is collected goes to disk as soon as a service returns it: memory holds the calls in flight and
    # the ids and edges of the partitions, not the whole estate.
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", prefix="collect-") as spool:
        with ThreadPoolExecutor(max_workers=config.aws.max_workers, thread_name_prefix="collect") as pool:
            futures: dict[Future[Gathered], tuple[Partition, Service]] = {}
            steps = Steps()
            logged: list[Step] = []  # for the run's log
            pending: dict[tuple[str, str], int] = {}
            outer: list[tuple[str, str, str]] = []
            for account in accounts:
                try:
                    regions, unknown = regions_of(account, config.aws)
                except Exception as e:  # the account is unreachable for regions: keep what it had
                    account_errors.append((account.id, f"cannot list regions: {short_error(e)}"))
                    continue
                problems += [p for p in unknown if p not in problems]  # said once, not per account
                if kinds:  # a partition none of the services touch keeps all it had
                    for region in [*regions, GLOBAL]:
                        partitions.setdefault(
                            (account.id, region), Partition(account.id, region, some_services=True)
                        )
                for service in services:
                    for region in [GLOBAL] if service.global_ else regions:
                        key = (account.id, region)
                        partition = partitions.setdefault(
                            key, Partition(account.id, region, some_services=bool(kinds))
                        )
                        pending[key] = pending.get(key, 0) + 1
                        futures[pool.submit(gather, account, region, service, steps)] = (partition, service)
            total, done, waiting = len(futures), 0, set(futures)
            progress(0, total, steps.longest())
            while waiting:
                finished, waiting = wait(waiting, timeout=PROGRESS_SECONDS, return_when=FIRST_COMPLETED)
                for future in finished:
                    done += 1
                    partition, service = futures.pop(future)  # its result is freed once used
                    logged.append(_logged(future, partition, service.name))
                    if future.cancelled():  # not called after a timeout: its data is kept
                        partition.fail(service.name, service.kinds)
                    else:
                        _record(future, partition, service, futures)
                    key = (partition.account, partition.region)
                    pending[key] -= 1
                    if not pending[key]:
                        spool.writelines(partition_lines(partition, outer, in_use))
                progress(done, total, steps.longest())
            for key, partition in partitions.items():
                if key not in pending:
                    spool.writelines(partition_lines(partition, outer, in_use))
        summary = write_collection(
            store, spool, list(partitions.values()), [(a.id, a.alias) for a in accounts], account_errors,
            kinds, outer, event, started, events, problems,
        )  # fmt: skip
    summary.steps = logged
    return summary


def write_collection(
    store: Store,
    spool: IO[bytes],
    partitions: list[Partition],
    opened: list[tuple[str, str | None]],
    account_errors: list[tuple[str, str]],
    kinds: Collection[str] | None,
    outer: list[tuple[str, str, str]],
    event: Callable[[str], None],
    started: float,
    events: list[str],
    problems: list[str],
) -> CollectSummary:
    """The end of a collection: the spool (named file) holds the finished partitions' lines; add the
    nodes of the (id, alias) accounts opened, what is kept (failed partitions, other kinds, places that
    left the config) and the edges between partitions, import it all in one transaction, record the
    partitions' statuses."""
    event("merge_outer_edges")
    by_place = {(p.account, p.region): p for p in partitions}
    failed_accounts = {a for a, _ in account_errors}
    reached = {a for a, _ in opened} - failed_accounts
    stored = store.partitions()
    gone = uncovered(stored, set(by_place), reached, failed_accounts)
    writing = time.perf_counter()
    kept: set[str] = set()
    found = {p.account: p.account_props for p in partitions if p.region == GLOBAL and not p.errors}
    spool.writelines(head_lines(store, opened, found))
    spool.writelines(_kept(store, partitions, failed_accounts, kept, bool(kinds), outer))
    spool.writelines(kept_lines(store, gone, reached))
    spool.writelines(outer_edge_lines(outer, lambda node: node in kept or _written(by_place, node)))
    spool.flush()
    # The collecting process still holds what parsing AWS's answers left behind: the store gets a
    # bounded share (DuckDB spills to disk past it), so a 100,000-resource collection stays under 1 GiB.
    with store.memory_budget(IMPORT_MEMORY_MB):
        imported = store.import_file(Path(spool.name), replace=True)
    store_seconds = time.perf_counter() - writing
    now = dt.datetime.now(dt.UTC)
    statuses = [
        PartitionStatus("aws", p.account, p.region, "; ".join(p.errors) or None, now) for p in partitions
    ]
    statuses += [PartitionStatus("aws", a, ACCOUNT_WIDE, e, now) for a, e in account_errors]
    services = [record for p in partitions for record in p.services(now)]
    store.record_partitions(statuses + marked(gone, now), services)
    # an account that answers again is no longer failed: its account-wide error goes
    store.delete_partitions(s for s in stored if s.region == ACCOUNT_WIDE and s.account in reached)
    event("post_collect")
    unconfigured = {(s.account, s.region): s for s in store.partitions() if s.unconfigured_since is not None}
    return CollectSummary(
        time.perf_counter() - started,
        partitions,
        account_errors,
        events,
        imported,
        store_seconds,
        [unconfigured[(s.account, s.region)] for s in gone if (s.account, s.region) in unconfigured],
        problems,
    )


def _logged(future: Future[Gathered], partition: Partition, name: str) -> Step:
    """A finished (or cancelled) step as the run's log keeps it."""
    if future.cancelled():
        return not_run_step(partition.account, partition.region, name)
    error = future.exception()
    if error is not None:  # gather's errors are StepFailed; anything else is said as it is
        failed = (
            error
            if isinstance(error, StepFailed)
            else StepFailed(Exception(str(error) or type(error).__name__), 0)
        )
        return failed_step(partition.account, partition.region, name, failed)
    found = future.result()
    return done_step(partition.account, partition.region, name, found.seconds, len(found.ids))


def _record(
    future: Future[Gathered],
    partition: Partition,
    service: Service,
    futures: dict[Future[Gathered], tuple[Partition, Service]],
) -> None:
    """A finished step's findings into its partition, or its error (its kinds keep their data; the other
    services go on). A step that timed out fails its partition's steps not yet started: they are cancelled."""
    name = service.name
    try:
        partition.add(future.result(), service.kinds, [name])
        return
    except StepFailed as failed:
        partition.fail(name, service.kinds)
        if failed.timed_out and partition.timed_out:  # a step that had started with the first: said short
            partition.errors.append(f"{name}: timed out too")
            return
        partition.errors.append(failed.describe(name, partition.account, partition.region))
        if failed.timed_out:
            partition.timed_out = True
            cancelled = [other.name for f, (p, other) in futures.items()
                         if p is partition and not f.cancelled() and f.cancel()]  # fmt: skip
            if cancelled:
                partition.errors.append(not_run(cancelled))


def failed_services(errors: Iterable[str], names: Iterable[str]) -> set[str]:
    """Which of a task's services failed, from its errors ("NAME: what went wrong"); an error naming none
    of them (no session for the account, a timeout and the services skipped after it) fails them all."""
    names = set(names)
    named = {e.split(":", 1)[0] for e in errors}
    return names if named - names else named


def kept_wording(partition: Partition) -> str:
    """What a partition with errors kept: everything, or the data of the services that failed."""
    failed = sorted(set(partition.failed))
    if not partition.kinds or not failed:
        return "kept the previous data"
    return f"kept the previous data of {', '.join(failed)}; the rest was collected"


def _written(partitions: dict[tuple[str, str], Partition], node_id: str) -> bool:
    """Whether this collection wrote the node (an account, or a resource a service of its partition found)."""
    parts = node_id.split("/", 3)
    if len(parts) == 2:
        return any(account == parts[1] for account, _ in partitions)
    found = partitions.get((parts[1], parts[2])) if len(parts) > 2 else None
    return found is not None and node_id in found.ids


def _noting_ids(lines: Iterator[bytes], ids: set[str], fresh: Collection[str] = ()) -> Iterator[bytes]:
    """The lines, their node ids added to `ids`; a stored node (and the edges to it) that this collection
    found again is left out: the found one is newer."""
    for line in lines:
        if line.startswith(b'{"id":'):
            node_id = orjson.loads(line)["id"]
            if node_id in fresh:
                continue
            ids.add(node_id)
        elif fresh and orjson.loads(line)["to"] in fresh:
            continue
        yield line


def regions_in_use(store: Store) -> dict[str, bool]:
    """The stored regions' region_in_use, by node id: what a partition whose services did not all answer keeps."""
    found = store.search(store.bind("is(aws_region) and region_in_use != null"))
    return {doc["id"]: bool(doc["reported"]["region_in_use"]) for doc in found}


def region_in_use(partition: Partition, stored: dict[str, bool]) -> bool:
    """Whether its region is in use (docs/collect.md): more than REGION_IN_USE_ABOVE resources of one's own
    among what the services that answered found; short of that, when some services' data was kept (they
    failed, or `--kinds` left them out), what the last collection that decided it said; else not."""
    if partition.own_resources > REGION_IN_USE_ABOVE:
        return True
    kept = bool(partition.failed) or partition.some_services
    return kept and stored.get(Region(partition.account, partition.region).id, False)


def partition_lines(
    partition: Partition, outer: list[tuple[str, str, str]], in_use: dict[str, bool]
) -> Iterator[bytes]:
    """A finished partition: its region node and the resources its services found (what a failed service
    keeps is added at the end). Only its ids stay in memory. `in_use`: the stored regions' region_in_use."""
    region = Region(partition.account, partition.region)
    yield node_line(region.id, {"kind": "aws_region", "id": partition.region, "name": partition.region,
                                "region_in_use": region_in_use(partition, in_use)})  # fmt: skip
    yield edge_line(f"aws/{partition.account}", region.id)
    with partition.spool:  # what the services that answered found (those that failed keep their data)
        partition.spool.seek(0)
        yield from partition.spool
        yield from edge_lines(partition.ids, partition.edges, [region.id, f"aws/{partition.account}"], outer)
    partition.edges = []


def _kept(
    store: Store,
    partitions: list[Partition],
    failed: set[str],
    kept: set[str],
    some_kinds: bool,
    outer: list[tuple[str, str, str]],
) -> Iterator[bytes]:
    """The stored data to write again (the import replaces the whole cloud): of each partition, the kinds
    no service replaced (those of the services that failed there and, collecting some kinds only, of those
    not run); of the accounts that could not be reached, all. `kept` gets the ids of the kept nodes; their
    edges to and from nodes elsewhere go to `outer`, written once both ends are known to be written."""
    for partition in partitions:
        if not partition.errors and not some_kinds:
            continue
        region = Region(partition.account, partition.region)
        replaced = partition.kinds - partition.failed_kinds  # a kind a failed service also collects stays
        others = f" and not is({', '.join(sorted(replaced))})" if replaced else ""
        query = f"{place_query(partition.account, partition.region)} and not is(region){others}"
        own: set[str] = set()
        lines = store.export(query, outside_parent=region.id, sources=partition.ids)
        yield from _noting_ids(lines, own, partition.ids)
        kept.update(own)
        outer.extend(_edges_beyond(store, own, {region.id, *partition.ids}))
    for account_id in sorted(failed):
        yield from store.export(place_query(account_id), outside_parent="aws")


def _edges_beyond(store: Store, own: set[str], written: set[str]) -> Iterator[tuple[str, str, str]]:
    """The stored edges between these kept nodes and nodes that the export did not write them with
    (a kept node's edge to a node found anew, or one to another partition)."""
    if not own:
        return
    ids = sorted(own)
    yield from (e for e in store.edges_from(ids) if e[1] not in own)
    yield from (e for e in store.edges_to(ids) if e[0] not in own and e[0] not in written)
