"""The shared store: PostgreSQL, `reported` as JSONB; the model decides the casts in queries."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from cloudsift.errors import StoreError
from cloudsift.model import MODEL, Model
from cloudsift.store.base import (
    ALERT_COLUMNS_8,
    ALERT_COLUMNS_10,
    ALERT_TABLES,
    GENERIC_KINDS_KEY,
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
    generic_kinds_value,
    known_from_row,
    node_document,
    partition_row,
    service_row,
)
from cloudsift.store.loader import Batch, GraphReader, Known
from cloudsift.store.schema import ANCESTOR_COLUMNS
from cloudsift.store.sql.compiler import Statement
from cloudsift.store.sql.postgres_dialect import PostgresDialect

_FETCH = 1000


def _lock_id(name: str) -> int:
    """An advisory lock's 64-bit key, named by text (bound, never formatted into SQL)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


_MIGRATIONS = {
    1: [
        "CREATE TABLE IF NOT EXISTS {s}.nodes (id text PRIMARY KEY, kind text NOT NULL, kinds text[] NOT NULL, "
        "reported jsonb NOT NULL, fulltext text, "
        + ", ".join(f"{c} text" for c in ANCESTOR_COLUMNS)
        + ", cloud_node text)",
        "CREATE INDEX IF NOT EXISTS nodes_kind ON {s}.nodes (kind)",
        "CREATE INDEX IF NOT EXISTS nodes_cloud_node ON {s}.nodes (cloud_node)",
        "CREATE TABLE IF NOT EXISTS {s}.edges (from_id text NOT NULL, to_id text NOT NULL, edge_type text NOT NULL, "
        "PRIMARY KEY (from_id, to_id, edge_type))",
        "CREATE INDEX IF NOT EXISTS edges_to ON {s}.edges (to_id)",
        "CREATE TABLE IF NOT EXISTS {s}.extra_properties (name text PRIMARY KEY)",
    ],
    3: [statement.replace("EXISTS ", "EXISTS {s}.", 1) for statement in ALERT_TABLES],
    4: [statement.replace("EXISTS ", "EXISTS {s}.", 1) for statement in JOB_TABLES],
    5: [statement.replace("EXISTS ", "EXISTS {s}.", 1) for statement in WORKFLOW_TABLES],
    6: [
        "CREATE TABLE IF NOT EXISTS {s}.history (changed_at timestamptz, change text, id text, kind text, "
        "reported jsonb, changed text[])"
    ],
    7: [statement.replace("EXISTS ", "EXISTS {s}.", 1) for statement in SCHEDULE_TABLES],
    8: [statement.replace("TABLE ", "TABLE {s}.", 1) for statement in ALERT_COLUMNS_8],
    9: [PARTITION_UNCONFIGURED_COLUMN.format(table="{s}.partitions")],
    # DuckDB gets no index: it cannot ALTER a table with one, and scans these small tables quickly.
    10: [
        *(statement.replace("TABLE ", "TABLE {s}.", 1) for statement in ALERT_COLUMNS_10),
        "CREATE INDEX IF NOT EXISTS alerts_per_resource_of ON {s}.alerts (sink, routing_hash, per_resource_of)",
        "CREATE INDEX IF NOT EXISTS outbox_key ON {s}.outbox (sink, dedup_key)",
    ],
    11: [
        *(
            re.sub(r"\b(workflow_runs|workflow_steps)\b", r"{s}.\1", statement)
            for statement in WORKFLOW_STEPS_11
        ),
        "CREATE INDEX IF NOT EXISTS workflow_steps_run ON {s}.workflow_steps (run_id)",
    ],
    12: [statement.replace("EXISTS ", "EXISTS {s}.", 1) for statement in SERVICE_TABLES_12],
    # /metadata.descendant_count and descendant_summary.<kind> count a zone's, region's or account's nodes
    # (by id and name, and kind): from the index alone, not a scan of every node per row found. The cloud
    # gets none: nearly every node is of the one cloud, which a scan reads as fast.
    13: [
        f"CREATE INDEX IF NOT EXISTS nodes_{level} ON {{s}}.nodes ({level}_id, {level}_name, kind)"
        for level in ("zone", "region", "account")
    ],
    2: [
        "CREATE TABLE IF NOT EXISTS {s}.partitions (cloud text, account text, region text, error text, "
        "collected_at timestamptz, last_success timestamptz, PRIMARY KEY (cloud, account, region))",
    ],
}
_READ = ("id", "kind", "kinds", "reported", "fulltext")  # a loader.NodeRow, sent as each line is read
_RESOLVED = (*ANCESTOR_COLUMNS, "cloud_node")  # known once every line is read
_NODE_COPY = (*_READ, *_RESOLVED)


class PostgresStore(Store):
    dialect = PostgresDialect()

    def __init__(self, url: str, schema: str = "cloudsift", model: Model = MODEL) -> None:
        import psycopg

        self.model = model
        self.schema = schema
        self.url = url
        try:
            self.conn = psycopg.connect(
                url, autocommit=False, options=f"-c search_path={schema} -c TimeZone=UTC"
            )
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to PostgreSQL: {str(e).strip()}") from None
        self._migrate()

    def _migrate(self) -> None:
        with self.conn.transaction():
            # processes starting together (workers) migrate one after the other
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(f"migrate:{self.schema}")])
            self.conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            self.conn.execute(
                f'CREATE TABLE IF NOT EXISTS "{self.schema}".meta (key text PRIMARY KEY, value text)'
            )
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the store has schema {version}; this cloudsift knows up to {SCHEMA_VERSION}"
                )
            for number in sorted(_MIGRATIONS):
                if number > version:
                    for statement in _MIGRATIONS[number]:
                        self.conn.execute(statement.format(s=f'"{self.schema}"'))
            self.conn.execute(
                f"INSERT INTO \"{self.schema}\".meta VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [str(SCHEMA_VERSION)],
            )

    def schema_version(self) -> int:
        row = self.conn.execute(
            f"SELECT value FROM \"{self.schema}\".meta WHERE key = 'schema_version'"
        ).fetchone()
        return int(row[0]) if row else 0

    def _rows(self, statement: Statement) -> Iterator[tuple[Any, ...]]:
        with self.conn.transaction(), self.conn.cursor() as cursor:
            cursor.execute(statement.sql, statement.params)
            while rows := cursor.fetchmany(_FETCH):
                yield from rows

    def _documents(self, statement: Statement) -> Iterator[dict[str, Any]]:
        for row in self._rows(statement):
            yield node_document(row, row[2])

    def lookup(self, ids: list[str]) -> dict[str, Known]:
        with self.conn.transaction():
            rows = self.conn.execute(
                f"SELECT id, kind, {', '.join(ANCESTOR_COLUMNS)}, cloud_node FROM nodes WHERE id = ANY(%s)",
                [ids],
            ).fetchall()
        return {r[0]: known_from_row(r[1], r[2:-1], r[-1]) for r in rows}

    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.conn.transaction(), self.conn.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), list(params))
            return cursor.fetchall() if cursor.description else []

    def insert_rows(self, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
        """COPY: one statement, however many rows (a multi-row INSERT per 200 rows costs psycopg a
        parse of its long text each time)."""
        with (
            self.conn.transaction(),
            self.conn.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def stream(
        self, sql: str, params: list[Any] | tuple[Any, ...] = (), batch: int = 500
    ) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, `batch` at a time from a server-side cursor (a table of large rows
        need not fit in memory); the connection is the cursor's until the rows are all read."""
        with self.conn.transaction(), self.conn.cursor(name=f"stream_{id(self)}") as cursor:
            cursor.itersize = batch
            cursor.execute(sql.replace("?", "%s"), list(params))
            yield from cursor

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():  # within another: a savepoint of the outer one
            yield

    def _lock_id(self, name: str) -> int:
        # advisory locks are the database's: a store's own are named within its schema, so stores on
        # other schemas of one database (teams, tests) do not hold each other's
        return _lock_id(f"{self.schema}:{name}")

    def lock(self, name: str) -> None:
        from psycopg.pq import TransactionStatus

        if self.conn.info.transaction_status != TransactionStatus.INTRANS:
            raise RuntimeError("Store.lock needs a transaction")
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [self._lock_id(name)])

    @contextlib.contextmanager
    def hold(self, name: str) -> Iterator[bool]:
        # A session lock: it outlives transactions, and dies with the connection if the process does.
        with self.conn.transaction():
            row = self.conn.execute("SELECT pg_try_advisory_lock(%s)", [self._lock_id(name)]).fetchone()
        taken = bool(row and row[0])
        try:
            yield taken
        finally:
            if taken and not self.conn.closed:
                with self.conn.transaction():
                    self.conn.execute("SELECT pg_advisory_unlock(%s)", [self._lock_id(name)])

    def edges_to(self, ids: list[str]) -> list[tuple[str, str, str]]:
        return self._edges_at("to_id", ids)

    def edges_from(self, ids: list[str]) -> list[tuple[str, str, str]]:
        return self._edges_at("from_id", ids)

    def _edges_at(self, end: str, ids: list[str]) -> list[tuple[str, str, str]]:
        sql = f"SELECT from_id, to_id, edge_type FROM edges WHERE {end} = ANY(%s)"
        with self.conn.transaction():
            rows = self.conn.execute(sql, [ids]).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def record_partitions(
        self, statuses: list[PartitionStatus], services: Iterable[CollectedService] = ()
    ) -> None:
        # executemany: one pipeline (200,000 partitions of a large organization in seconds, not minutes)
        with self.conn.transaction(), self.conn.cursor() as cursor:
            if statuses:
                cursor.executemany(PARTITION_UPSERT.format(p="%s"), [partition_row(s) for s in statuses])
            # the services (33 per partition: millions for a large organization) by COPY and one upsert
            cursor.execute("CREATE TEMP TABLE incoming_services (LIKE collected_services) ON COMMIT DROP")
            with cursor.copy(f"COPY incoming_services ({SERVICE_COLUMNS}) FROM STDIN") as copy:
                for record in services:
                    copy.write_row(service_row(record))
            # a place's service twice in one write: the last one, as one upsert after the other would
            cursor.execute(
                f"INSERT INTO collected_services ({SERVICE_COLUMNS}) SELECT DISTINCT ON (cloud, account, region, "
                f"service) {SERVICE_COLUMNS} FROM incoming_services ORDER BY cloud, account, region, service, ctid DESC "
                + SERVICE_CONFLICT
            )
            cursor.execute("DROP TABLE incoming_services")

    def extra_properties(self) -> set[str]:
        with self.conn.transaction():
            return {r[0] for r in self.conn.execute("SELECT name FROM extra_properties").fetchall()}

    def import_lines(self, lines: Iterable[bytes | str], replace: bool = False) -> ImportSummary:
        with self.conn.transaction():
            batch, replaced = self._write(lines, replace)
        self._analyze()
        deferred, unresolved = self._resolve_deferred(batch.deferred)
        return ImportSummary(
            len(batch), len(batch.edges), tuple(sorted(batch.clouds)), replaced,
            generic=tuple(sorted(batch.generic.items())), left_out=tuple(sorted(batch.left_out.items())),
            duplicates=batch.duplicates, deferred=deferred, unresolved=unresolved,
        )  # fmt: skip

    def add_edges(self, edges: list[tuple[str, str, str]]) -> int:
        with self.conn.transaction(), self.conn.cursor() as cursor:
            added = 0
            for edge in edges:
                cursor.execute(
                    "INSERT INTO edges (from_id, to_id, edge_type) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    edge,
                )
                added += cursor.rowcount
            return added

    def _write(self, lines: Iterable[bytes | str], replace: bool) -> tuple[Batch, int]:
        """Within the caller's transaction: each node's row goes to PostgreSQL as soon as its line is
        checked (memory keeps the graph's shape, not the documents), then the ancestors, then the swap.
        A bad line raises before the commit: nothing is written."""
        replaced = 0
        reader = GraphReader(self.model)
        self.conn.execute("CREATE TEMP TABLE incoming (LIKE nodes INCLUDING DEFAULTS) ON COMMIT DROP")
        with self.conn.cursor().copy(f"COPY incoming ({', '.join(_READ)}) FROM STDIN") as copy:
            scan = reader.scan(lines, rows=copy.write_row)
        batch = reader.finish(scan, self.lookup)
        if batch.duplicates:  # each id's rows went in file order: keep the last (ctid order, a fresh table)
            self.conn.execute("DELETE FROM incoming a USING incoming b WHERE a.id = b.id AND a.ctid < b.ctid")
        if batch.generic:
            row = self.conn.execute("SELECT value FROM meta WHERE key = %s", [GENERIC_KINDS_KEY]).fetchone()
            self.conn.execute(
                "INSERT INTO meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [GENERIC_KINDS_KEY, generic_kinds_value(row[0] if row else None, batch.generic)],
            )
        self.conn.execute(
            "CREATE TEMP TABLE incoming_ancestors (id text PRIMARY KEY, "
            + ", ".join(f"{c} text" for c in _RESOLVED)
            + ") ON COMMIT DROP"
        )
        with self.conn.cursor().copy(
            f"COPY incoming_ancestors (id, {', '.join(_RESOLVED)}) FROM STDIN"
        ) as copy:
            columns = [batch.ancestors[c] for c in ANCESTOR_COLUMNS]
            for i, node_id in enumerate(batch.ids):
                copy.write_row((node_id, *(column[i] for column in columns), batch.cloud_nodes[i]))
        clouds = sorted(batch.clouds) if replace else []
        self._history(clouds)
        if clouds:
            self.conn.execute(
                "CREATE TEMP TABLE gone ON COMMIT DROP AS SELECT id FROM nodes WHERE cloud_node = ANY(%s)",
                [clouds],
            )
            row = self.conn.execute("SELECT count(*) FROM gone").fetchone()
            replaced = int(row[0]) if row else 0
            self.conn.execute("DELETE FROM edges USING gone WHERE edges.from_id = gone.id")
            self.conn.execute("DELETE FROM edges USING gone WHERE edges.to_id = gone.id")
            self.conn.execute("DELETE FROM nodes WHERE id IN (SELECT id FROM gone)")
        self.conn.execute("DELETE FROM nodes WHERE id IN (SELECT id FROM incoming)")
        read, resolved = ", ".join(f"i.{c}" for c in _READ), ", ".join(f"a.{c}" for c in _RESOLVED)
        self.conn.execute(
            f"INSERT INTO nodes ({', '.join(_NODE_COPY)}) SELECT {read}, {resolved} "
            "FROM incoming i JOIN incoming_ancestors a ON a.id = i.id"
        )
        existing = self._existing_edges(batch)
        with self.conn.cursor().copy("COPY edges (from_id, to_id, edge_type) FROM STDIN") as copy:
            for edge in batch.edges:
                if edge not in existing:
                    copy.write_row(edge)
        if batch.extra:
            self.conn.cursor().executemany(
                "INSERT INTO extra_properties VALUES (%s) ON CONFLICT DO NOTHING",
                [(e,) for e in sorted(batch.extra)],
            )
        return batch, replaced

    def _history(self, replaced_clouds: list[str]) -> None:
        """Record what the incoming nodes create and change, and (for replaced clouds) what they delete.
        NOT EXISTS, never NOT IN (subquery): past work_mem PostgreSQL runs NOT IN as a rescan of the
        subquery per row (its NULL rule forbids an anti-join), hours for a million nodes."""
        self.conn.execute(
            "INSERT INTO history SELECT now(), 'created', i.id, i.kind, i.reported, ARRAY[]::text[] FROM incoming i "
            "WHERE NOT EXISTS (SELECT FROM nodes o WHERE o.id = i.id)"
        )
        self.conn.execute(
            "INSERT INTO history SELECT now(), 'updated', i.id, i.kind, i.reported, ARRAY(SELECT k FROM "
            "(SELECT jsonb_object_keys(o.reported) UNION SELECT jsonb_object_keys(i.reported)) AS keys(k) "
            "WHERE (o.reported -> k) IS DISTINCT FROM (i.reported -> k) ORDER BY k) "
            "FROM incoming i JOIN nodes o ON o.id = i.id WHERE o.reported <> i.reported"
        )
        if replaced_clouds:
            self.conn.execute(
                "INSERT INTO history SELECT now(), 'deleted', o.id, o.kind, o.reported, ARRAY[]::text[] FROM nodes o "
                "WHERE o.cloud_node = ANY(%s) AND NOT EXISTS (SELECT FROM incoming i WHERE i.id = o.id)",
                [replaced_clouds],
            )

    def history(self, change: str | None = None, after: dt.datetime | None = None) -> list[HistoryEntry]:
        rows = self.execute(
            "SELECT changed_at, change, id, kind, reported, changed FROM history WHERE (CAST(? AS text) IS NULL OR "
            "change = ?) AND (CAST(? AS timestamptz) IS NULL OR changed_at > ?) ORDER BY changed_at, id",
            [change, change, after, after],
        )
        return [HistoryEntry(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ())) for r in rows]

    def _analyze(self) -> None:
        """Fresh statistics (and visibility) after a bulk write: plans and counts stay fast."""
        self.conn.commit()
        self.conn.autocommit = True
        try:
            self.conn.execute("VACUUM (ANALYZE) nodes")
            self.conn.execute("VACUUM (ANALYZE) edges")
        finally:
            self.conn.autocommit = False

    def _existing_edges(self, batch: Batch) -> set[tuple[str, str, str]]:
        sources = sorted({e[0] for e in batch.edges})
        rows = self.conn.execute(
            "SELECT from_id, to_id, edge_type FROM edges WHERE from_id = ANY(%s)", [sources]
        ).fetchall()
        return {(r[0], r[1], r[2]) for r in rows}

    def drop(self) -> None:
        """Remove the whole schema (tests)."""
        with self.conn.transaction():
            self.conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')

    def session(self) -> PostgresStore:
        return PostgresStore(self.url, self.schema, self.model)

    def interrupt(self) -> None:
        self.conn.cancel()

    def close(self) -> None:
        self.conn.close()
