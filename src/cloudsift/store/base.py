"""The store: one protocol, two engines (DuckDB embedded, PostgreSQL shared)."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import itertools
import json
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cloudsift.frozen import frozen
from cloudsift.model import MODEL, Model
from cloudsift.query.binder import BoundQuery, bind
from cloudsift.query.parser import parse_query
from cloudsift.store.known import LEVELS, Known
from cloudsift.store.sql.compiler import NODE_COLUMNS, QueryCompiler, Statement
from cloudsift.store.sql.dialect import Dialect

if TYPE_CHECKING:  # the import path's (store/deferred.py): a search does not import it
    from cloudsift.store.deferred import DeferredEdge

SCHEMA_VERSION = 13  # 13: PostgreSQL indexes the nodes by ancestor (DuckDB: nothing to do)
GENERIC_KINDS_KEY = "generic_kinds"  # in meta: a JSON list of the kinds of imported generic resources


def generic_kinds_value(current: str | None, kinds: Iterable[str]) -> str:
    """The meta value that adds `kinds` to the generic kinds already recorded (`current`)."""
    return json.dumps(sorted(set(json.loads(current) if current else []) | set(kinds)))


def _typo_of(kind: str) -> str:
    """'; did you mean X?' when a generic kind is all but a modelled one (a typo, not another kind)."""
    close = difflib.get_close_matches(kind, list(MODEL.kinds), n=1, cutoff=0.9)
    return f"; did you mean {close[0]!r}?" if close else ""


@frozen
class ImportSummary:
    nodes: int
    edges: int
    clouds: tuple[str, ...]
    replaced: int
    generic: tuple[tuple[str, int], ...] = ()  # kinds cloudsift does not model, imported as generic resources
    left_out: tuple[
        tuple[str, int], ...
    ] = ()  # "kind.property" of generic resources that did not fit its type
    duplicates: int = 0  # node lines whose id came again later (the last line is kept)
    deferred: int = 0  # edges added from deferred-edge lines
    unresolved: tuple[str, ...] = ()  # deferred-edge lines that found no end, and why

    def __str__(self) -> str:
        text = f"Imported {self.nodes} nodes and {self.edges} edges"
        if self.replaced:
            text += f", replacing {self.replaced} nodes of {', '.join(self.clouds)}"
        lines = [text + "."]
        if self.deferred:
            lines.append(f"{self.deferred} edges added from deferred-edge lines.")
        return "\n".join(lines + self.warnings())

    def warnings(self) -> list[str]:
        found = []
        if self.generic:
            count = sum(n for _, n in self.generic)
            kinds = ", ".join(f"{kind} ({n}{_typo_of(kind)})" for kind, n in self.generic)
            found.append(
                f"warning: {count} resources of {len(self.generic)} kinds cloudsift does not model came in as "
                f"generic resources (kind kept, searchable with is(KIND)): {kinds}"
            )
        if self.left_out:
            names = ", ".join(f"{name} ({n})" for name, n in self.left_out)
            found.append(f"warning: properties of generic resources left out, their values do not fit cloudsift's type "
                         f"for that name: {names}")  # fmt: skip
        if self.duplicates:
            found.append(
                f"warning: {self.duplicates} node lines repeat an earlier line's id; the last line is kept"
            )
        if self.unresolved:
            shown = "; ".join(self.unresolved[:5]) + (" ..." if len(self.unresolved) > 5 else "")
            found.append(f"warning: {len(self.unresolved)} deferred edges not resolved: {shown}")
        return found


@frozen
class PartitionStatus:
    """How the last collection of one (cloud, account, region) went; error None means clean.

    `unconfigured_since`: the first collection that did not cover it (its region or account left the
    config); its data is kept as it was until `collect --forget` retires it."""

    cloud: str
    account: str
    region: str
    error: str | None
    collected_at: dt.datetime
    last_success: dt.datetime | None = None
    unconfigured_since: dt.datetime | None = None

    def describe(self) -> str:
        """Its state in words, the same wherever it is shown (workflows show, alerts, a collection's summary)."""
        if self.unconfigured_since is not None:
            last = self.last_success or self.collected_at
            return f"not collected since {last.isoformat(timespec='seconds')}, no longer configured"
        return "ok" if self.error is None else f"error: {self.error}"


@frozen
class CollectedService:
    """How the last collection of one AWS service in one (account, region) went: `error` None means it
    answered; `last_success` is when it last did (None: never, so the store holds nothing of it there).
    `provides` names its kinds and the account properties it writes, so that a reader needs no registry."""

    cloud: str
    account: str
    region: str
    service: str
    provides: tuple[str, ...]
    error: str | None
    collected_at: dt.datetime
    last_success: dt.datetime | None = None


@frozen
class HistoryEntry:
    """One change a write made to a node: created, updated (with the properties that changed) or deleted."""

    at: dt.datetime
    change: str
    id: str
    kind: str
    reported: dict[str, Any]
    changed: tuple[str, ...]


# Tables of the alert sinks; the same text for both engines (types that both understand).
ALERT_TABLES = (
    "CREATE TABLE IF NOT EXISTS outbox (id VARCHAR PRIMARY KEY, sink VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL, "
    "url VARCHAR NOT NULL, dedup_key VARCHAR, body VARCHAR NOT NULL, state VARCHAR NOT NULL, attempts INTEGER NOT NULL, "
    "last_error VARCHAR, delivered_at TIMESTAMPTZ)",
    "CREATE TABLE IF NOT EXISTS alerts (sink VARCHAR NOT NULL, routing_hash VARCHAR NOT NULL, dedup_key VARCHAR NOT NULL, "
    "state VARCHAR NOT NULL, summary VARCHAR, resources INTEGER, partitions VARCHAR, updated_at TIMESTAMPTZ NOT NULL, "
    "PRIMARY KEY (sink, routing_hash, dedup_key))",
)
# Schema 8: an event's place among the decisions about its dedup key, its headers (a sink's auth),
# when it may be retried, what it does and to how many resources; per alert, the clean collections seen since it last found something.
ALERT_COLUMNS_8 = (
    "ALTER TABLE outbox ADD COLUMN IF NOT EXISTS seq BIGINT",
    "ALTER TABLE outbox ADD COLUMN IF NOT EXISTS headers VARCHAR",
    "ALTER TABLE outbox ADD COLUMN IF NOT EXISTS not_before TIMESTAMPTZ",
    "ALTER TABLE outbox ADD COLUMN IF NOT EXISTS action VARCHAR",
    "ALTER TABLE outbox ADD COLUMN IF NOT EXISTS resources INTEGER",
    "ALTER TABLE alerts ADD COLUMN IF NOT EXISTS clean_runs INTEGER",
)
# Schema 10: a per-resource alert (`--per-resource`) names the dedup key it was opened under, so that a
# run finds every open alert of that key at once.
ALERT_COLUMNS_10 = ("ALTER TABLE alerts ADD COLUMN IF NOT EXISTS per_resource_of VARCHAR",)
JOB_TABLES = (
    "CREATE TABLE IF NOT EXISTS jobs (id VARCHAR PRIMARY KEY, line VARCHAR NOT NULL, schedule VARCHAR, "
    "wait_for_event VARCHAR, timeout INTEGER, active BOOLEAN NOT NULL, created_at TIMESTAMPTZ NOT NULL)",
    "CREATE TABLE IF NOT EXISTS job_runs (job VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, seconds DOUBLE PRECISION, "
    "outcome VARCHAR NOT NULL, output VARCHAR)",
)
WORKFLOW_TABLES = (
    "CREATE TABLE IF NOT EXISTS workflow_runs (workflow VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, "
    "seconds DOUBLE PRECISION, outcome VARCHAR NOT NULL, summary VARCHAR)",
)
# Schema 11: each workflow run has an id (`workflows log ID`) and keeps its steps (one AWS service in one
# account and region, or one worker's task); a run recorded before gets an id made from what it is.
WORKFLOW_STEPS_11 = (
    "ALTER TABLE workflow_runs ADD COLUMN IF NOT EXISTS id VARCHAR",
    "UPDATE workflow_runs SET id = substr(md5(workflow || CAST(started_at AS VARCHAR)), 1, 12) WHERE id IS NULL",
    "CREATE TABLE IF NOT EXISTS workflow_steps (run_id VARCHAR NOT NULL, account VARCHAR NOT NULL, "
    "region VARCHAR NOT NULL, service VARCHAR NOT NULL, started_at TIMESTAMPTZ, seconds DOUBLE PRECISION, "
    "resources INTEGER, error VARCHAR)",
)

# Schema 12: what each collection did per (account, region, service), written with the partitions' statuses:
# a check that needs a service never collected in a place is "not evaluated" there. A store made before
# has no rows: its places are judged by their data, as before, until they are collected again.
SERVICE_TABLES_12 = (
    "CREATE TABLE IF NOT EXISTS collected_services (cloud VARCHAR NOT NULL, account VARCHAR NOT NULL, "
    "region VARCHAR NOT NULL, service VARCHAR NOT NULL, provides VARCHAR NOT NULL, error VARCHAR, "
    "collected_at TIMESTAMPTZ NOT NULL, last_success TIMESTAMPTZ, PRIMARY KEY (cloud, account, region, service))",
)
SERVICE_COLUMNS = "cloud, account, region, service, provides, error, collected_at, last_success"
SERVICE_CONFLICT = (
    "ON CONFLICT (cloud, account, region, service) DO UPDATE SET provides = excluded.provides, "
    "error = excluded.error, collected_at = excluded.collected_at, last_success = CASE WHEN excluded.error IS NULL "
    "THEN excluded.collected_at ELSE collected_services.last_success END"
)


def service_row(record: CollectedService) -> list[Any]:
    """The values (SERVICE_COLUMNS) of one service's record in collected_services."""
    last_success = record.last_success if record.error else record.collected_at
    return [record.cloud, record.account, record.region, record.service, json.dumps(list(record.provides)),
            record.error, record.collected_at, last_success]  # fmt: skip


# When each schedule (a job's, a workflow's) last fired: a restarted server runs a missed schedule once.
SCHEDULE_TABLES = (
    "CREATE TABLE IF NOT EXISTS schedule_state (name VARCHAR PRIMARY KEY, last_fired TIMESTAMPTZ NOT NULL)",
)

PARTITION_UPSERT = (
    "INSERT INTO partitions (cloud, account, region, error, collected_at, last_success, unconfigured_since) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}) "
    "ON CONFLICT (cloud, account, region) DO UPDATE SET error = excluded.error, collected_at = excluded.collected_at, "
    "last_success = CASE WHEN excluded.error IS NULL THEN excluded.collected_at ELSE partitions.last_success END, "
    "unconfigured_since = excluded.unconfigured_since"
)
# A partition row of a store made before schema 9 has no unconfigured_since: every one was configured.
PARTITION_UNCONFIGURED_COLUMN = "ALTER TABLE {table} ADD COLUMN IF NOT EXISTS unconfigured_since TIMESTAMPTZ"


def partition_row(status: PartitionStatus) -> list[Any]:
    """The values of PARTITION_UPSERT for one status."""
    last_success = status.last_success if status.error else status.collected_at
    return [status.cloud, status.account, status.region, status.error, status.collected_at, last_success,
            status.unconfigured_since]  # fmt: skip


def node_document(row: tuple[Any, ...], reported: dict[str, Any]) -> dict[str, Any]:
    """A search result as a node document: id, kinds, reported, ancestors."""
    values = dict(zip(NODE_COLUMNS, row, strict=True))
    ancestors: dict[str, Any] = {}
    for level in LEVELS:
        rid, name = values[f"{level}_id"], values[f"{level}_name"]
        if rid is not None or name is not None:
            ancestors[level] = {"reported": {"id": rid, "name": name}}
    return {"id": values["id"], "kinds": list(values["kinds"]), "reported": reported, "ancestors": ancestors}


def plain_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value


_ROWS_PER_INSERT = 200


class Store(ABC):
    dialect: Dialect
    model: Model = MODEL

    # ---- queries

    def bind(self, text: str, now: dt.datetime | None = None) -> BoundQuery:
        return bind(parse_query(text), self.model, self.extra_properties(), now, text, self.generic_kinds())

    def search(self, query: BoundQuery) -> Iterator[dict[str, Any]]:
        if query.aggregate is not None:
            raise ValueError("an aggregate query returns rows: use Store.aggregate")
        return self._documents(QueryCompiler(self.dialect).search(query))

    def brief(self, query: BoundQuery) -> Iterator[tuple[Any, ...]]:
        """What a query finds as short rows, in no order: BRIEF_COLUMNS (no document to parse, no sort)."""
        return self._rows(QueryCompiler(self.dialect).brief(query))

    def count(self, query: BoundQuery) -> int:
        rows = list(self._rows(QueryCompiler(self.dialect).count(query)))
        return int(rows[0][0])

    def aggregate(self, query: BoundQuery) -> list[dict[str, Any]]:
        assert query.aggregate is not None
        spec = query.aggregate
        result = []
        for row in self._rows(QueryCompiler(self.dialect).aggregate(query, spec)):
            out: dict[str, Any] = {}
            if spec.group:
                out["group"] = {v.name: plain_number(row[i]) for i, v in enumerate(spec.group)}
            for i, fn in enumerate(spec.functions):
                out[fn.name] = plain_number(row[len(spec.group) + i])
            result.append(out)
        return result

    # ---- import

    @abstractmethod
    def import_lines(self, lines: Iterable[bytes | str], replace: bool = False) -> ImportSummary:
        """Check every line, then write all of it in one transaction (or nothing)."""

    def export(
        self, query: str, outside_parent: str | None = None, sources: Collection[str] = ()
    ) -> Iterator[bytes]:
        """The nodes a query finds and the edges between them (and from `outside_parent` or `sources`), as
        import lines."""
        import orjson

        docs = list(self.search(self.bind(query)))
        ids = {d["id"] for d in docs}
        for doc in docs:
            yield orjson.dumps({"id": doc["id"], "reported": doc["reported"]}) + b"\n"
        for source, target, edge_type in self.edges_to(sorted(ids)):
            if source in ids or source == outside_parent or source in sources:
                yield orjson.dumps({"from": source, "to": target, "edge_type": edge_type}) + b"\n"

    def import_file(self, path: Path, replace: bool = False) -> ImportSummary:
        with path.open("rb") as lines:
            return self.import_lines(lines, replace)

    def generic_kinds(self) -> set[str]:
        """The kinds of generic resources imported so far (kinds the model does not have)."""
        rows = self.execute("SELECT value FROM meta WHERE key = ?", [GENERIC_KINDS_KEY])
        return set(json.loads(rows[0][0])) if rows and rows[0][0] else set()

    def _resolve_deferred(self, deferred: list[DeferredEdge]) -> tuple[int, tuple[str, ...]]:
        """Once an import is committed: add the edges its deferred-edge lines stand for; (added, unresolved)."""
        if not deferred:
            return 0, ()
        from cloudsift.store.deferred import resolve

        resolution = resolve(
            deferred,
            lambda ids: set(self.lookup(ids)),
            lambda query: [doc["id"] for doc in self.search(self.bind(query))],
        )
        return self.add_edges(resolution.edges), resolution.unresolved

    @abstractmethod
    def add_edges(self, edges: list[tuple[str, str, str]]) -> int:
        """Add (from, to, edge_type) edges between nodes in the store, those it has not yet; how many were new."""

    # ---- engine specifics

    @abstractmethod
    def _rows(self, statement: Statement) -> Iterator[tuple[Any, ...]]: ...

    @abstractmethod
    def _documents(self, statement: Statement) -> Iterator[dict[str, Any]]: ...

    @abstractmethod
    def lookup(self, ids: list[str]) -> dict[str, Known]: ...

    @abstractmethod
    def edges_to(self, ids: list[str]) -> list[tuple[str, str, str]]:
        """Every edge that ends at one of the ids."""

    @abstractmethod
    def edges_from(self, ids: list[str]) -> list[tuple[str, str, str]]:
        """Every edge that starts at one of the ids."""

    @abstractmethod
    def record_partitions(
        self, statuses: list[PartitionStatus], services: Iterable[CollectedService] = ()
    ) -> None:
        """Write these statuses, each replacing the one of its (cloud, account, region), and the records
        of the services collected there, in one transaction."""

    def partitions(self) -> list[PartitionStatus]:
        rows = self.execute(
            "SELECT cloud, account, region, error, collected_at, last_success, unconfigured_since FROM partitions "
            "ORDER BY 1, 2, 3"
        )
        return [PartitionStatus(*r) for r in rows]

    def collected_services(self) -> list[CollectedService]:
        """What the collections recorded per (cloud, account, region, service)."""
        rows = self.execute(
            "SELECT cloud, account, region, service, provides, error, collected_at, last_success "
            "FROM collected_services ORDER BY 1, 2, 3, 4"
        )
        return [CollectedService(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), *r[5:]) for r in rows]

    def delete_partitions(self, statuses: Iterable[PartitionStatus]) -> None:
        """Forget the statuses of these (cloud, account, region), and their services' records: an account's
        cleared error, a retired place."""
        for status in statuses:
            for table in ("partitions", "collected_services"):
                self.execute(
                    f"DELETE FROM {table} WHERE cloud = ? AND account = ? AND region = ?",
                    [status.cloud, status.account, status.region],
                )

    @abstractmethod
    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement with ? placeholders in its own transaction (or the open one); its rows."""

    def insert_rows(self, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
        """Append rows to a table, in the open transaction (or one of their own)."""
        marks = f"({', '.join('?' * len(columns))})"
        left = iter(rows)
        with self.transaction():
            while chunk := list(itertools.islice(left, _ROWS_PER_INSERT)):
                self.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([marks] * len(chunk))}",
                             [value for row in chunk for value in row])  # fmt: skip

    @abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """`with store.transaction():` every execute of this handle in the block commits together, or
        none does (an exception rolls back). A transaction within a transaction joins it."""

    @abstractmethod
    def lock(self, name: str) -> None:
        """Within a transaction: wait until no other transaction, of this or another process, holds
        `name`, then hold it until the transaction ends. Serialises decisions about one thing."""

    @abstractmethod
    def hold(self, name: str) -> contextlib.AbstractContextManager[bool]:
        """`with store.hold(name) as held:` take `name` for the block if no one else (any process)
        has it, without waiting; `held` says whether it was taken. Not tied to a transaction."""

    @abstractmethod
    def history(self, change: str | None = None, after: dt.datetime | None = None) -> list[HistoryEntry]:
        """What imports and collections changed, oldest first; optionally one kind of change, after a time."""

    @abstractmethod
    def extra_properties(self) -> set[str]: ...

    @abstractmethod
    def schema_version(self) -> int: ...

    @contextlib.contextmanager
    def memory_budget(self, megabytes: int) -> Iterator[None]:
        """Within the block, the engine uses at most this much memory in this process (where it can)."""
        yield

    @abstractmethod
    def session(self) -> Store:
        """Another handle on the same database, for another thread; close it when done."""

    @abstractmethod
    def interrupt(self) -> None:
        """Stop the statement this handle runs now (from another thread); it fails with an error."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def known_from_row(kind: str, row: Iterable[Any], cloud_node: str | None) -> Known:
    values = list(row)
    ancestors = {}
    for i, level in enumerate(LEVELS):
        rid, name = values[2 * i], values[2 * i + 1]
        if rid is not None or name is not None:
            ancestors[level] = (rid, name)
    return Known(kind, ancestors, cloud_node)
