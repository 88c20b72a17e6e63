"""The embedded store: one DuckDB file, typed columns per property, JSON for the rest."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

# The engine itself. The `duckdb` package re-exports this extension module and adds relations, data
# frame sources and its version, read from the installed package's metadata by importlib.metadata:
# 350 M instructions (55 ms) of a one-shot `cloudsift -c`, none of which the store uses. Connections,
# results and exceptions are the same objects either way; only scanning Python objects (an Arrow table
# handed to `register`) needs the package, which sets those scans up: see `_arrow`.
try:
    import _duckdb as duckdb
except ImportError:  # a duckdb that no longer ships its engine as a module of its own
    import duckdb  # type: ignore[no-redef]

from cloudsift.errors import ConfigError, StoreError
from cloudsift.model import MODEL, Model
from cloudsift.store.base import (
    ALERT_COLUMNS_8,
    ALERT_COLUMNS_10,
    ALERT_TABLES,
    JOB_TABLES,
    PARTITION_UNCONFIGURED_COLUMN,
    PARTITION_UPSERT,
    SCHEDULE_TABLES,
    SCHEMA_VERSION,
    SERVICE_COLUMNS,
    SERVICE_CONFLICT,
    SERVICE_TABLES_12,
    WORKFLOW_STEPS_11,
    WORKFLOW_TABLES,
    CollectedService,
    HistoryEntry,
    ImportSummary,
    PartitionStatus,
    Store,
    known_from_row,
    node_document,
    partition_row,
    service_row,
)
from cloudsift.store.known import Known
from cloudsift.store.schema import (
    ANCESTOR_COLUMNS,
    base_properties,
    columned_properties,
    duckdb_type,
    json_transform_spec,
    property_column,
    typed_properties,
)
from cloudsift.store.sql.compiler import Statement
from cloudsift.store.sql.duckdb_dialect import DuckDBDialect

_FETCH = 1000
_BASE_COLUMNS = [
    ("id", "VARCHAR NOT NULL"),
    ("kind", "VARCHAR NOT NULL"),
    ("kinds", "VARCHAR[] NOT NULL"),
    ("reported", "JSON NOT NULL"),
    ("fulltext", "VARCHAR"),
    *[(c, "VARCHAR") for c in ANCESTOR_COLUMNS],
    ("cloud_node", "VARCHAR"),
]


def _arrow() -> Any:
    """pyarrow, with the engine able to scan its tables (the `duckdb` package sets that up)."""
    import duckdb as package  # noqa: F401
    import pyarrow

    return pyarrow


def _open_failure(path: str, error: duckdb.Error) -> str:
    """Why the store cannot be opened; another process's lock names that process and what to do."""
    held = re.search(r"Conflicting lock is held in .*?\(PID (\d+)\)", str(error))
    if held is None:
        return f"cannot open the store {path}: {error}"
    pid = held.group(1)
    try:  # what that process is, as ps would show it
        shown = (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        )
    except OSError:
        shown = ""
    from cloudsift.redact import mask_secrets

    what = f"pid {pid}: {mask_secrets(shown)}" if shown else f"pid {pid}"
    return (
        f"the store {path} is in use by another process ({what}). An embedded DuckDB store takes one "
        "process at a time: end that one (a `cloudsift` shell releases it between lines; an older "
        "cloudsift may not), or run `cloudsift serve` so that every command goes through it"
    )


class _Shared:
    """What every handle (session) on one DuckDB database shares: DuckDB allows one writing process, so
    locks within this process are locks across all of its writers."""

    def __init__(self) -> None:
        # One transaction at a time: DuckDB's optimistic transactions would fail on a conflict instead.
        self.transactions = threading.RLock()
        self.guard = threading.Lock()
        self.held: set[str] = set()


class DuckDBStore(Store):
    """A typed property gets its column when it first comes in (an import adds it, in its transaction):
    700+ columns nothing fills cost every insert and commit of the nodes table a fixed share of CPU."""

    _tx: duckdb.DuckDBPyConnection | None = None

    def __init__(
        self, path: str | Path = ":memory:", model: Model = MODEL, memory_limit: str = "1600MB"
    ) -> None:
        self.model = model
        self.path = str(path)
        self.memory_limit = _size(memory_limit)
        self._shared = _Shared()
        self._columns: frozenset[str] = frozenset()  # properties seen with a typed column
        self.dialect = DuckDBDialect(self._has_column)
        try:
            self.con = duckdb.connect(self.path)
            self.con.execute("SET TimeZone = 'UTC'")
            # Bounded memory: big imports spill to disk beside the store instead of growing without end.
            self.con.execute(f"SET memory_limit = '{self.memory_limit}'")
            self.con.execute("SET preserve_insertion_order = false")
            if self.path != ":memory:":
                self.con.execute(f"SET temp_directory = '{Path(self.path).parent / 'spill'}'")
        except duckdb.Error as e:
            raise StoreError(_open_failure(self.path, e)) from None
        self._migrate()

    # ---- schema

    def _migrate(self) -> None:
        """Bring the schema to this version and the typed columns to this model; no write when both match."""
        if self._meta("schema_version") == str(SCHEMA_VERSION) and self._meta("model") == self._fingerprint():
            return
        self.con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.path} has schema {version}; this cloudsift knows up to "
                f"{SCHEMA_VERSION}: upgrade cloudsift"
            )
        self.con.begin()
        try:
            if version < 1:
                columns = ", ".join(
                    [f"{name} {typ}" for name, typ in _BASE_COLUMNS]
                    + [
                        f"{property_column(n)} {duckdb_type(t)}"
                        for n, t in base_properties(self.model).items()
                    ]
                )
                self.con.execute(f"CREATE TABLE nodes ({columns})")
                self.con.execute(
                    "CREATE TABLE edges (from_id VARCHAR NOT NULL, to_id VARCHAR NOT NULL, "
                    "edge_type VARCHAR NOT NULL)"
                )
                self.con.execute("CREATE TABLE extra_properties (name VARCHAR PRIMARY KEY)")
            if version < 7:
                for statement in SCHEDULE_TABLES:
                    self.con.execute(statement)
            if version < 5:
                for statement in WORKFLOW_TABLES:
                    self.con.execute(statement)
            if version < 4:
                for statement in JOB_TABLES:
                    self.con.execute(statement)
            if version < 3:
                for statement in ALERT_TABLES:
                    self.con.execute(statement)
            if version < 8:
                for statement in ALERT_COLUMNS_8:
                    self.con.execute(statement)
            if version < 2:
                self.con.execute(
                    "CREATE TABLE history (changed_at TIMESTAMPTZ, change VARCHAR, id VARCHAR, kind VARCHAR, reported JSON, "
                    "changed VARCHAR[])"
                )
                self.con.execute(
                    "CREATE TABLE partitions (cloud VARCHAR, account VARCHAR, region VARCHAR, error VARCHAR, "
                    "collected_at TIMESTAMPTZ, last_success TIMESTAMPTZ, PRIMARY KEY (cloud, account, region))"
                )
            if version < 9:
                self.con.execute(PARTITION_UNCONFIGURED_COLUMN.format(table="partitions"))
            if version < 10:
                for statement in ALERT_COLUMNS_10:
                    self.con.execute(statement)
            if version < 11:
                for statement in WORKFLOW_STEPS_11:
                    self.con.execute(statement)
            if version < 12:
                for statement in SERVICE_TABLES_12:
                    self.con.execute(statement)
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
            self._sync_property_columns()
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", [self._fingerprint()])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def _fingerprint(self) -> str:
        """What the typed columns are made of: a changed model changes it."""
        spec = json_transform_spec(self.model).encode()
        return hashlib.sha256(spec).hexdigest()

    def _meta(self, key: str) -> str | None:
        try:
            rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        except duckdb.CatalogException:
            return None
        return str(rows[0][0]) if rows else None

    def _sync_property_columns(self) -> None:
        """Typed columns for this model: a column whose type changed is rebuilt from `reported`, and a
        property the model now types that nodes already have (kept as an extra property) gets one."""
        existing = dict(
            self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'nodes'"
            ).fetchall()
        )
        present = {r[0] for r in self.con.execute("SELECT name FROM extra_properties").fetchall()}
        changed = []
        for name, typ in typed_properties(self.model).items():
            column = f"p_{name}"
            wanted = duckdb_type(typ)
            if column in existing and _same_type(existing[column], wanted):
                continue
            if column in existing:
                self.con.execute(f"ALTER TABLE nodes DROP COLUMN {property_column(name)}")
            elif name not in present:
                continue  # made when a node first has it
            self.con.execute(f"ALTER TABLE nodes ADD COLUMN {property_column(name)} {wanted}")
            changed.append(name)
        if changed and self.con.execute("SELECT count(*) FROM nodes").fetchall() != [(0,)]:
            spec = json_transform_spec(self.model)
            sets = ", ".join(f"{property_column(n)} = json_transform(reported, ?).{_q(n)}" for n in changed)
            self.con.execute(f"UPDATE nodes SET {sets}", [spec] * len(changed))

    def _has_column(self, name: str) -> bool:
        """Whether the property has its typed column; the catalog is read again when one is not known
        (another connection's import may have made it)."""
        if name not in self._columns:
            cursor = self.con.cursor()
            try:
                self._columns = columned_properties(cursor)
            finally:
                cursor.close()
        return name in self._columns

    def schema_version(self) -> int:
        value = self._meta("schema_version")
        return int(value) if value else 0

    # ---- reading

    def _rows(self, statement: Statement) -> Iterator[tuple[Any, ...]]:
        cursor = self.con.cursor()
        try:
            cursor.execute(statement.sql, statement.params)
            while rows := cursor.fetchmany(_FETCH):
                yield from rows
        except duckdb.OutOfMemoryException:
            raise StoreError(
                "the search needs more memory than [store] duckdb_memory_limit allows: narrow it (is(...), "
                "fewer open-ended -[0:]-> walks) or raise the limit"
            ) from None

    def _documents(self, statement: Statement) -> Iterator[dict[str, Any]]:
        for row in self._rows(statement):
            yield node_document(row, orjson.loads(row[2]))

    def lookup(self, ids: list[str]) -> dict[str, Known]:
        rows = self.con.execute(
            f"SELECT id, kind, {', '.join(ANCESTOR_COLUMNS)}, cloud_node FROM nodes WHERE id IN (SELECT unnest(?))",
            [ids],
        ).fetchall()
        return {r[0]: known_from_row(r[1], r[2:-1], r[-1]) for r in rows}

    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self._tx is not None:
            self._tx.execute(sql, list(params))
            return self._tx.fetchall() if self._tx.description else []
        cursor = self.con.cursor()
        try:
            cursor.execute(sql, list(params))
            return cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._tx is not None:
            yield
            return
        with self._shared.transactions:
            cursor = self.con.cursor()
            cursor.begin()
            self._tx = cursor
            try:
                yield
                cursor.commit()
            except BaseException:
                cursor.rollback()
                raise
            finally:
                self._tx = None
                cursor.close()

    def lock(self, name: str) -> None:
        if self._tx is None:
            raise RuntimeError("Store.lock needs a transaction")
        # The transaction itself is exclusive within the one process that may write.

    @contextlib.contextmanager
    def hold(self, name: str) -> Iterator[bool]:
        with self._shared.guard:
            taken = name not in self._shared.held
            self._shared.held.add(name)
        try:
            yield taken
        finally:
            if taken:
                with self._shared.guard:
                    self._shared.held.discard(name)

    def edges_to(self, ids: list[str]) -> list[tuple[str, str, str]]:
        return self._edges_at("to_id", ids)

    def edges_from(self, ids: list[str]) -> list[tuple[str, str, str]]:
        return self._edges_at("from_id", ids)

    def _edges_at(self, end: str, ids: list[str]) -> list[tuple[str, str, str]]:
        sql = f"SELECT from_id, to_id, edge_type FROM edges WHERE {end} IN (SELECT unnest(?))"
        return [(r[0], r[1], r[2]) for r in self.con.execute(sql, [ids]).fetchall()]

    def record_partitions(
        self, statuses: list[PartitionStatus], services: Iterable[CollectedService] = ()
    ) -> None:
        with self.transaction():
            assert self._tx is not None
            if statuses:
                self._tx.executemany(PARTITION_UPSERT.format(p="?"), [partition_row(s) for s in statuses])
            # a place's service twice in one write: the last one, as one upsert after the other would
            rows = list({tuple(row[:4]): row for row in map(service_row, services)}.values())
            if rows:  # one upsert of them all: DuckDB's executemany is a statement per row (~1.5 ms each)
                pa = _arrow()  # 20-40 ms to import: only a write of services pays it
                text, when = pa.string(), pa.timestamp("us", tz="UTC")
                types = [text, text, text, text, text, text, when, when]  # as SERVICE_COLUMNS
                table = pa.table([pa.array(c, t) for c, t in zip(zip(*rows, strict=True), types, strict=True)],
                                 names=SERVICE_COLUMNS.split(", "))  # fmt: skip
                self._tx.register("incoming_services", table)
                try:
                    self._tx.execute(f"INSERT INTO collected_services ({SERVICE_COLUMNS}) "
                                     f"SELECT {SERVICE_COLUMNS} FROM incoming_services {SERVICE_CONFLICT}")  # fmt: skip
                finally:
                    self._tx.unregister("incoming_services")

    def history(self, change: str | None = None, after: dt.datetime | None = None) -> list[HistoryEntry]:
        rows = self.con.execute(
            "SELECT changed_at, change, id, kind, reported, changed FROM history WHERE (? IS NULL OR change = ?) "
            "AND (? IS NULL OR changed_at > ?) ORDER BY changed_at, id",
            [change, change, after, after],
        ).fetchall()
        return [HistoryEntry(r[0], r[1], r[2], r[3], orjson.loads(r[4]), tuple(r[5] or ())) for r in rows]

    def extra_properties(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT name FROM extra_properties").fetchall()}

    # ---- writing

    def import_lines(self, lines: Iterable[bytes | str], replace: bool = False) -> ImportSummary:
        with tempfile.NamedTemporaryFile("wb", suffix=".jsonl") as spool:
            for line in lines:
                spool.write(line.encode() if isinstance(line, str) else line)
                if not (line.endswith("\n") if isinstance(line, str) else line.endswith(b"\n")):
                    spool.write(b"\n")
            spool.flush()
            return self.import_file(Path(spool.name), replace)

    def import_file(self, path: Path, replace: bool = False) -> ImportSummary:
        """Check the whole file, then load it in one transaction; a bad line imports nothing."""
        con = self.con.cursor()
        con.begin()
        try:
            from cloudsift.store.duckdb_import import DuckDBImport

            summary, deferred = DuckDBImport(con, self.model).run(path, replace)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()
        added, unresolved = self._resolve_deferred(deferred)
        return dataclasses.replace(summary, deferred=added, unresolved=unresolved)

    def add_edges(self, edges: list[tuple[str, str, str]]) -> int:
        if not edges:
            return 0
        pa = _arrow()  # 20-40 ms to import: only the lines that add edges pay it
        con = self.con.cursor()
        con.begin()
        try:
            con.register("added", pa.table({"f": [e[0] for e in edges], "t": [e[1] for e in edges],
                                            "k": [e[2] for e in edges]}))  # fmt: skip
            new = con.execute(
                "SELECT DISTINCT a.f, a.t, a.k FROM added a WHERE a.f IN (SELECT id FROM nodes) AND a.t IN "
                "(SELECT id FROM nodes) AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.from_id = a.f AND "
                "e.to_id = a.t AND e.edge_type = a.k)"
            ).fetchall()
            if new:
                con.executemany("INSERT INTO edges VALUES (?, ?, ?)", new)
            con.unregister("added")
            con.commit()
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()
        return len(new)

    @contextlib.contextmanager
    def memory_budget(self, megabytes: int) -> Iterator[None]:
        # The limit is the database's, not the connection's: lowered for the block, then restored.
        self.con.execute(f"SET memory_limit = '{int(megabytes)}MB'")
        try:
            yield
        finally:
            self.con.execute(f"SET memory_limit = '{self.memory_limit}'")

    def session(self) -> DuckDBStore:
        # A cursor is DuckDB's own connection to the same database, safe to use from another thread.
        other = object.__new__(DuckDBStore)
        other.model, other.path, other.con = self.model, self.path, self.con.cursor()
        other.memory_limit, other._shared = self.memory_limit, self._shared
        other._columns, other.dialect = self._columns, DuckDBDialect(other._has_column)
        return other

    def interrupt(self) -> None:
        self.con.interrupt()

    def close(self) -> None:
        self.con.close()


def _size(text: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", text.strip()):
        raise ConfigError("store.duckdb_memory_limit", f"expected a size such as 1600MB or 4GB, not {text!r}")
    return text.strip()


def _q(name: str) -> str:
    return f'"{name}"'


def _same_type(existing: str, wanted: str) -> bool:
    """Whether the catalog's type name (`TIMESTAMP WITH TIME ZONE`, unquoted) is the one we write."""

    def plain(name: str) -> str:
        return (
            name.upper().replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ").replace('"', "").replace(" ", "")
        )

    return plain(existing) == plain(wanted)
