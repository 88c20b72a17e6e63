"""Import into DuckDB with DuckDB doing the work: parse, check, resolve ancestors and load in SQL.

Python does nothing per resource on the happy path. When a check fails, the Python reader
(loader.GraphReader) reads the file again to name the first bad line and what is wrong
with it; both define the same rules, and the tests hold them to it. Python also looks at the few
lines SQL is not the tool for: deferred edges and the nodes of kinds the model does not have.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import duckdb  # the package, not only its engine (_duckdb): it lets the engine scan Arrow tables
import orjson
import pyarrow as pa

from cloudsift.errors import ImportError_
from cloudsift.model import ListOf, Model, PropType, Scalar, StringMap, Struct
from cloudsift.store.base import GENERIC_KINDS_KEY, ImportSummary, generic_kinds_value
from cloudsift.store.deferred import DeferredEdge, deferred_edge
from cloudsift.store.loader import EDGE_TYPES, LEVELS, MAX_LINE_BYTES, GraphReader, Known, generic_kind_error
from cloudsift.store.schema import (
    ANCESTOR_COLUMNS,
    columned_properties,
    duckdb_type,
    json_transform_spec,
    property_column,
    typed_properties,
)

_DATETIME_RE = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:\d{2})?"
_JSON_TYPES = {
    "string": "('VARCHAR')",
    "int": "('BIGINT')",
    "float": "('BIGINT', 'UBIGINT', 'DOUBLE')",
    "bool": "('BOOLEAN')",
}


def json_check(expr: str, typ: PropType, depth: int = 0) -> str:
    """SQL that is true when the JSON value `expr` (present, maybe null) is a valid `typ`."""
    null = f"json_type({expr}) = 'NULL'"
    if isinstance(typ, Scalar):
        if typ.name == "datetime":
            text = f"({expr} ->> '$')"
            valid = (
                f"regexp_full_match({text}, '{_DATETIME_RE}') AND TRY_CAST({text} AS TIMESTAMPTZ) IS NOT NULL"
            )
            return f"({null} OR (json_type({expr}) = 'VARCHAR' AND {valid}))"
        if (
            typ.name == "int"
        ):  # DuckDB calls positive whole numbers UBIGINT; the model's ints are 64-bit signed
            fits = f"(json_type({expr}) = 'UBIGINT' AND TRY_CAST({expr} AS BIGINT) IS NOT NULL)"
            return f"({null} OR json_type({expr}) = 'BIGINT' OR {fits})"
        return f"({null} OR json_type({expr}) IN {_JSON_TYPES[typ.name]})"
    var = f"x{depth}"
    if isinstance(typ, ListOf):
        inner = json_check(var, typ.item, depth + 1)
        items = f"CAST({expr} AS JSON[])"
        each = f"len(list_filter({items}, lambda {var}: NOT coalesce({inner}, false))) = 0"
        return f"({null} OR CASE WHEN json_type({expr}) = 'ARRAY' THEN {each} ELSE false END)"
    if isinstance(typ, StringMap):
        values = f"json_extract({expr}, '$.*')"
        each = f"len(list_filter({values}, lambda {var}: json_type({var}) NOT IN ('VARCHAR', 'NULL'))) = 0"
        return f"({null} OR CASE WHEN json_type({expr}) = 'OBJECT' THEN {each} ELSE false END)"
    fields = " AND ".join(
        f"coalesce({json_check(f'json_extract({expr}, {_key(f.name)})', f.type, depth + 1)}, true)"
        for f in typ.fields
    )
    return f"({null} OR CASE WHEN json_type({expr}) = 'OBJECT' THEN {fields} ELSE false END)"


Verdict = bool | None  # True valid, False invalid, None: look at the rows


def structure_verdict(structure: object, typ: PropType, merged: bool = False) -> Verdict:
    """Judge a json_structure() description against a model type, without looking at values.

    json_structure says "JSON" for an empty object, and inside arrays (`merged`) also where the
    elements disagree: there the rows must tell, and so must datetimes (their format). UBIGINT is
    any positive whole number; one too big for 64 bits has 19+ digits, which the caller rechecks.
    """
    if structure == "NULL":
        return True
    if structure == "JSON":
        if merged:
            return None
        return isinstance(typ, StringMap | Struct)  # an empty object
    if isinstance(typ, Scalar):
        allowed = {
            "string": ("VARCHAR",),
            "datetime": ("VARCHAR",),
            "int": ("BIGINT", "UBIGINT"),
            "float": ("BIGINT", "UBIGINT", "DOUBLE"),
            "bool": ("BOOLEAN",),
        }[typ.name]
        if structure not in allowed:
            return False
        return None if typ.name == "datetime" else True
    if isinstance(typ, ListOf):
        if isinstance(structure, list) and len(structure) == 1:
            return structure_verdict(structure[0], typ.item, merged=True)
        return False
    if not isinstance(structure, dict):
        return False
    if isinstance(typ, StringMap):
        return _all(structure_verdict(v, Scalar("string"), merged) for v in structure.values())
    verdicts = []
    for key, inner in structure.items():
        field = typ.field(key)
        if field is not None:
            verdicts.append(structure_verdict(inner, field.type, merged))
    return _all(verdicts)


def _all(verdicts: Iterable[Verdict]) -> Verdict:
    result: Verdict = True
    for verdict in verdicts:
        if verdict is False:
            return False
        if verdict is None:
            result = None
    return result


def _json(value: str | None) -> object:
    return None if value is None else json.loads(value)


def _key(name: str) -> str:
    return "'$.\"" + name + "\"'"


def _node_shape(model: Model) -> str:
    """A node line: an object with an id and a kind that is not abstract (properties are checked apart;
    a kind the model does not have is a generic resource's, its name checked in Python)."""
    abstract = ", ".join(f"'{k}'" for k in sorted(model.kinds) if model.kinds[k].abstract)
    return (
        "json_type(reported) = 'OBJECT' AND json_type(id) = 'VARCHAR' AND (id ->> '$') <> '' AND "
        f"(reported ->> 'kind' = 'graph_root' OR (json_type(reported, 'kind') = 'VARCHAR' AND "
        f"reported ->> 'kind' NOT IN ({abstract})))"
    )


def _edge_check() -> str:
    types = ", ".join(f"'{t}'" for t in EDGE_TYPES)
    return (
        "json_type(\"from\") = 'VARCHAR' AND json_type(\"to\") = 'VARCHAR' AND "
        f"(edge_type IS NULL OR json_type(edge_type) = 'NULL' OR (edge_type ->> '$') = '' OR (edge_type ->> '$') IN ({types}))"
    )


class DuckDBImport:
    """One import of one file into one DuckDB connection, inside the caller's transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, model: Model) -> None:
        self.con = con
        self.model = model

    def run(self, path: Path, replace: bool) -> tuple[ImportSummary, list[DeferredEdge]]:
        """Check and load; the summary and the deferred edges for the store to resolve once this is
        committed. Raises ImportError_ and writes nothing."""
        con = self.con
        try:
            con.execute(
                "CREATE TEMP TABLE raw AS SELECT row_number() OVER () AS line, * FROM read_json(?, "
                f"format = 'newline_delimited', maximum_object_size = {MAX_LINE_BYTES}, "
                "columns = {id: 'JSON', reported: 'JSON', \"from\": 'JSON', \"to\": 'JSON', edge_type: 'JSON', "
                "from_selector: 'JSON', to_selector: 'JSON'})",
                [str(path)],
            )
        except Exception as e:  # malformed JSON or a line that is not an object
            if type(e).__name__ == "InterruptException":
                raise  # Ctrl-C: not a bad file, and no second reading to explain it
            raise self._explain(path, f"{e}".split("\n")[0]) from None
        try:
            deferred = self._deferred(path)
            generic, left_out = self._generic(path)
            self._check(path)
        except (
            orjson.JSONDecodeError,
            RecursionError,
        ):  # deeper than JSON is read: the reader names the line
            raise self._explain(path, "a line is nested too deeply") from None
        kinds = [*self.model.kinds, *generic]
        levels = pa.table(
            {
                "kind": kinds,
                "kinds": [
                    list(self.model.kinds_of(k)) if k in self.model.kinds else [k, "resource"] for k in kinds
                ],
                "level": [
                    next((b for b in self.model.kinds_of(k) if b in LEVELS), None)
                    if k in self.model.kinds
                    else None
                    for k in kinds
                ],
            }
        )
        con.register("kind_info", levels)
        # a node id given twice keeps its last line
        con.execute(
            "CREATE TEMP TABLE new_nodes AS SELECT r.line, r.id ->> '$' AS id, k.kind, k.level, "
            "CASE WHEN k.level IS NOT NULL THEN r.reported ->> 'id' END AS rid, "
            "CASE WHEN k.level IS NOT NULL THEN r.reported ->> 'name' END AS name "
            "FROM raw r JOIN kind_info k ON k.kind = r.reported ->> 'kind' "
            "WHERE r.reported IS NOT NULL AND k.kind <> 'graph_root' "
            "QUALIFY row_number() OVER (PARTITION BY r.id ->> '$' ORDER BY r.line DESC) = 1"
        )
        con.execute(
            "CREATE TEMP TABLE new_edges AS SELECT DISTINCT \"from\" ->> '$' AS from_id, \"to\" ->> '$' AS to_id, "
            "coalesce(nullif(edge_type ->> '$', ''), 'default') AS edge_type FROM raw "
            'WHERE reported IS NULL AND "from" IS NOT NULL AND ("from" ->> \'$\') NOT IN (SELECT id FROM roots)'
        )
        lines = int(con.execute("SELECT count(*) FROM raw r JOIN kind_info k ON k.kind = r.reported ->> 'kind' "
                                "WHERE r.reported IS NOT NULL AND k.kind <> 'graph_root'").fetchall()[0][0])  # fmt: skip
        clouds = tuple(
            r[0]
            for r in con.execute(
                "SELECT n.id FROM new_nodes n JOIN kind_info k USING (kind) WHERE list_contains(k.kinds, 'cloud') "
                "ORDER BY n.id"
            ).fetchall()
        )
        keys = self._columns()
        self._history(clouds if replace else ())
        replaced = self._replace(clouds) if replace and clouds else 0
        self._ancestors(path)
        self._load(keys)
        if generic:
            current = con.execute("SELECT value FROM meta WHERE key = ?", [GENERIC_KINDS_KEY]).fetchall()
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                        [GENERIC_KINDS_KEY, generic_kinds_value(current[0][0] if current else None, generic)])  # fmt: skip
        nodes = int(con.execute("SELECT count(*) FROM new_nodes").fetchall()[0][0])
        edges = int(con.execute("SELECT count(*) FROM new_edges").fetchall()[0][0])
        for table in ("raw", "new_nodes", "new_edges", "roots", "anc"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        con.unregister("kind_info")
        summary = ImportSummary(
            nodes, edges, clouds, replaced, generic=tuple(sorted(generic.items())),
            left_out=tuple(sorted(left_out.items())), duplicates=lines - nodes,
        )  # fmt: skip
        return summary, deferred

    def _deferred(self, path: Path) -> list[DeferredEdge]:
        """The deferred-edge lines, checked (they are few: Python reads them)."""
        rows = self.con.execute(
            "SELECT line, from_selector, to_selector, edge_type FROM raw "
            'WHERE reported IS NULL AND "from" IS NULL AND "to" IS NULL '
            "AND (from_selector IS NOT NULL OR to_selector IS NOT NULL) ORDER BY line"
        ).fetchall()
        found = []
        for line, source, target, edge_type in rows:
            doc = {
                "from_selector": _json(source),
                "to_selector": _json(target),
                "edge_type": _json(edge_type),
            }
            try:
                found.append(deferred_edge(doc, int(line)))
            except ImportError_ as e:
                raise self._explain(path, str(e)) from None
        return found

    def _generic(self, path: Path) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes of kinds the model does not have: their kinds, counted, and what they had to leave out
        (a property whose value does not fit the model's type for that name is dropped from the line)."""
        con = self.con
        kinds = dict(con.execute(
            "SELECT reported ->> 'kind', count(*) FROM raw WHERE reported IS NOT NULL AND "
            "json_type(reported, 'kind') = 'VARCHAR' AND reported ->> 'kind' NOT IN (SELECT unnest(?)) GROUP BY 1",
            [[*self.model.kinds, "graph_root"]],
        ).fetchall())  # fmt: skip
        if not kinds:
            return {}, {}
        for kind in kinds:
            if generic_kind_error(str(kind)):
                raise self._explain(path, f"{generic_kind_error(str(kind))}")
        reader = GraphReader(self.model)
        left_out: Counter[str] = Counter()
        fixed = []
        rows = con.execute(
            "SELECT line, reported FROM raw WHERE reported ->> 'kind' IN (SELECT unnest(?)) ORDER BY line",
            [list(kinds)],
        ).fetchall()
        for line, text in rows:
            reported = json.loads(text)
            misfits = [k for k, v in reported.items() if k in reader.checks and not reader.checks[k](v)]
            if misfits:
                left_out.update(f"{reported['kind']}.{k}" for k in misfits)
                fixed.append((json.dumps({k: v for k, v in reported.items() if k not in misfits}), line))
        if fixed:
            con.executemany("UPDATE raw SET reported = CAST(? AS JSON) WHERE line = ?", fixed)
        return {str(k): int(n) for k, n in kinds.items()}, dict(left_out)

    def _explain(self, path: Path, fallback: str) -> ImportError_:
        """Let the Python reader name the bad line; it defines the same rules."""
        self.con.rollback()
        self.con.begin()
        try:
            with path.open("rb") as lines:
                GraphReader(self.model).read(lines, self._lookup)
        except ImportError_ as e:
            return e
        return ImportError_(f"the file was refused: {fallback}")

    def _lookup(self, ids: list[str]) -> dict[str, Known]:
        from cloudsift.store.base import known_from_row

        rows = self.con.execute(
            f"SELECT id, kind, {', '.join(ANCESTOR_COLUMNS)}, cloud_node FROM nodes WHERE id IN (SELECT unnest(?))",
            [ids],
        ).fetchall()
        return {r[0]: known_from_row(r[1], r[2:-1], r[-1]) for r in rows}

    def _first(self, sql: str) -> int | None:
        rows = self.con.execute(sql).fetchall()
        return None if not rows or rows[0][0] is None else int(rows[0][0])

    def _check(self, path: Path) -> None:
        con = self.con
        bad = self._first(
            f"SELECT min(line) FROM raw WHERE NOT coalesce(CASE WHEN reported IS NOT NULL THEN {_node_shape(self.model)} "
            f'WHEN "from" IS NOT NULL OR "to" IS NOT NULL THEN {_edge_check()} '
            "WHEN from_selector IS NOT NULL OR to_selector IS NOT NULL THEN true ELSE false END, false)"
        )
        if bad is None:
            bad = self._check_properties()
        con.execute(
            "CREATE TEMP TABLE roots AS SELECT 'root' AS id UNION SELECT id ->> '$' FROM raw "
            "WHERE reported ->> 'kind' = 'graph_root'"
        )
        if bad is None:
            bad = self._first(
                "SELECT min(line) FROM raw r WHERE reported IS NULL AND (\"from\" ->> '$') NOT IN (SELECT id FROM roots) "
                "AND EXISTS (SELECT 1 FROM (VALUES (r.\"from\" ->> '$'), (r.\"to\" ->> '$')) AS e(id) WHERE "
                "e.id NOT IN (SELECT id ->> '$' FROM raw WHERE reported IS NOT NULL) AND e.id NOT IN (SELECT id FROM nodes))"
            )
        if bad is not None:
            raise self._explain(path, f"line {bad} is not valid")

    def _check_properties(self) -> int | None:
        """Typed properties: judged once per distinct JSON structure; rows only where the structure cannot tell."""
        typed = typed_properties(self.model)
        con = self.con
        con.execute(
            "CREATE TEMP TABLE shapes AS SELECT line, hash(json_structure(reported)) AS shape, "
            "regexp_matches(CAST(reported AS VARCHAR), '[0-9]{19}') AS big FROM raw "
            "WHERE reported IS NOT NULL AND reported ->> 'kind' <> 'graph_root'"
        )
        rows = con.execute(
            "SELECT json_structure(r.reported), g.shape, g.line, g.big FROM "
            "(SELECT shape, min(line) AS line, bool_or(big) AS big FROM shapes GROUP BY shape) g JOIN raw r USING (line)"
        ).fetchall()
        bad: list[int] = []
        recheck: dict[str, list[int]] = {}
        for shape_text, shape, first_line, big_numbers in rows:
            for name, inner in orjson.loads(shape_text).items():
                typ = typed.get(name)
                if typ is None:
                    continue
                verdict = structure_verdict(inner, typ)
                if verdict is False:
                    bad.append(int(first_line))
                elif verdict is None or big_numbers:
                    recheck.setdefault(name, []).append(shape)
        if recheck:
            # One part per property: DuckDB ran the parts joined by OR past its memory limit at 100,000
            # nodes (each part alone, and their UNION ALL, stay within ~10 MB over the raw lines)
            parts = []
            for name, shapes in recheck.items():
                check = json_check(f"json_extract(r.reported, {_key(name)})", typed[name])
                parts.append(
                    "SELECT min(s.line) AS line FROM shapes s JOIN raw r USING (line) WHERE "
                    f"s.shape IN ({', '.join(str(int(h)) for h in shapes)}) AND NOT coalesce({check}, true)"
                )
            line = con.execute(f"SELECT min(line) FROM ({' UNION ALL '.join(parts)})").fetchall()[0][0]
            if line is not None:
                bad.append(int(line))
        con.execute("DROP TABLE shapes")
        return min(bad) if bad else None

    def _history(self, replaced: tuple[str, ...]) -> None:
        """Record what this import creates, changes (which properties) and, for replaced clouds, deletes."""
        con = self.con
        changed = (
            "list_filter(list_distinct(json_keys(o.reported) || json_keys(r.reported)), lambda k: "
            "CAST(json_extract(o.reported, '$.\"' || k || '\"') AS VARCHAR) IS DISTINCT FROM "
            "CAST(json_extract(r.reported, '$.\"' || k || '\"') AS VARCHAR))"
        )
        con.execute(
            "INSERT INTO history SELECT current_timestamp, 'created', n.id, n.kind, r.reported, [] FROM new_nodes n "
            "JOIN raw r USING (line) WHERE n.id NOT IN (SELECT id FROM nodes)"
        )
        con.execute(
            f"INSERT INTO history SELECT current_timestamp, 'updated', n.id, n.kind, r.reported, {changed} "
            "FROM new_nodes n JOIN raw r USING (line) JOIN nodes o ON o.id = n.id "
            "WHERE CAST(o.reported AS VARCHAR) <> CAST(r.reported AS VARCHAR)"
        )
        if replaced:
            con.execute(
                "INSERT INTO history SELECT current_timestamp, 'deleted', o.id, o.kind, o.reported, [] FROM nodes o "
                "WHERE o.cloud_node IN (SELECT unnest(?)) AND o.id NOT IN (SELECT id FROM new_nodes)",
                [list(replaced)],
            )

    def _replace(self, clouds: tuple[str, ...]) -> int:
        con = self.con
        con.execute(
            "CREATE TEMP TABLE gone AS SELECT id FROM nodes WHERE cloud_node IN (SELECT unnest(?))",
            [list(clouds)],
        )
        replaced = int(con.execute("SELECT count(*) FROM gone").fetchall()[0][0])
        con.execute(
            "DELETE FROM edges WHERE from_id IN (SELECT id FROM gone) OR to_id IN (SELECT id FROM gone)"
        )
        con.execute("DELETE FROM nodes WHERE id IN (SELECT id FROM gone)")
        con.execute("DROP TABLE gone")
        return replaced

    def _ancestors(self, path: Path) -> None:
        """Nearest node of each level up the default edges (itself included); ties by graph id.

        Nodes are settled in rounds, parents before children (a node waits until every parent in
        the file is settled), so each node's record is made once from its parents' records. Nodes
        still waiting at the end sit on a cycle. Parents already in the store lend their stored
        ancestors.
        """
        con = self.con
        con.execute(
            "CREATE TEMP TABLE down AS SELECT DISTINCT e.from_id, e.to_id FROM new_edges e "
            "WHERE e.edge_type = 'default' AND e.to_id IN (SELECT id FROM new_nodes)"
        )
        record = "STRUCT(d INTEGER, g VARCHAR, rid VARCHAR, name VARCHAR)"
        columns = ", ".join(f"{lv} {record}" for lv in LEVELS)
        con.execute(f"CREATE TEMP TABLE rec (node VARCHAR, {columns})")
        stored = ", ".join(
            f"CASE WHEN s.{lv}_id IS NOT NULL OR s.{lv}_name IS NOT NULL THEN "
            f"{{'d': CASE WHEN k.level = '{lv}' THEN 0 ELSE 1 END, "
            f"'g': {'coalesce(s.cloud_node, s.id)' if lv == 'cloud' else 's.id'}, "
            f"'rid': s.{lv}_id, 'name': s.{lv}_name}} END"
            for lv in LEVELS
        )
        con.execute(
            f"INSERT INTO rec SELECT s.id, {stored} FROM nodes s JOIN kind_info k USING (kind) "
            "WHERE s.id IN (SELECT from_id FROM down) AND s.id NOT IN (SELECT id FROM new_nodes)"
        )
        con.execute(
            "CREATE TEMP TABLE waiting AS SELECT d.to_id AS node, count(*) AS parents FROM down d "
            "WHERE d.from_id IN (SELECT id FROM new_nodes) GROUP BY d.to_id"
        )
        con.execute(
            "CREATE TEMP TABLE ready AS SELECT id AS node FROM new_nodes WHERE id NOT IN (SELECT node FROM waiting)"
        )
        merged = ", ".join(
            f"CASE WHEN any_value(n.level) = '{lv}' THEN {{'d': 0, 'g': n.id, 'rid': any_value(n.rid), "
            f"'name': any_value(n.name)}} "
            f"ELSE min(CASE WHEN p.{lv}.d IS NOT NULL THEN {{'d': p.{lv}.d + 1, 'g': p.{lv}.g, "
            f"'rid': p.{lv}.rid, 'name': p.{lv}.name}} END) END"
            for lv in LEVELS
        )
        while True:
            con.execute(
                f"INSERT INTO rec SELECT n.id, {merged} FROM ready y JOIN new_nodes n ON n.id = y.node "
                "LEFT JOIN down d ON d.to_id = n.id LEFT JOIN rec p ON p.node = d.from_id GROUP BY n.id"
            )
            con.execute(
                "CREATE OR REPLACE TEMP TABLE freed AS SELECT d.to_id AS node, count(*) AS n FROM ready y "
                "JOIN down d ON d.from_id = y.node GROUP BY d.to_id"
            )
            con.execute(
                "UPDATE waiting SET parents = waiting.parents - freed.n FROM freed WHERE waiting.node = freed.node"
            )
            con.execute(
                "CREATE OR REPLACE TEMP TABLE ready AS SELECT node FROM waiting WHERE parents = 0 "
                "AND node IN (SELECT node FROM freed)"
            )
            if not con.execute("SELECT count(*) FROM ready").fetchall()[0][0]:
                break
        cycle = self._first(
            "SELECT min(n.line) FROM new_nodes n JOIN waiting w ON w.node = n.id WHERE w.parents > 0"
        )
        if cycle is not None:
            raise self._explain(path, f"line {cycle}: default edges form a cycle")
        flat = ", ".join(f"{lv}.rid AS {lv}_id, {lv}.name AS {lv}_name" for lv in LEVELS)
        con.execute(
            f"CREATE TEMP TABLE anc AS SELECT node, {flat}, cloud.g AS cloud_node FROM rec "
            "WHERE node IN (SELECT id FROM new_nodes)"
        )
        for table in ("down", "rec", "waiting", "ready", "freed"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        bad = self._first(
            "SELECT min(n.line) FROM new_nodes n LEFT JOIN anc a ON a.node = n.id WHERE a.cloud_node IS NULL"
        )
        if bad is not None:
            raise self._explain(path, f"line {bad}: its default edges do not lead to a cloud")

    def _columns(self) -> set[str]:
        """The top-level properties of the new nodes; a typed one the store has no column for yet gets it."""
        con = self.con
        keys = {r[0] for r in con.execute(
            "SELECT DISTINCT unnest(json_keys(reported)) FROM raw WHERE line IN (SELECT line FROM new_nodes)"
        ).fetchall()}  # fmt: skip
        have = columned_properties(con)
        for name, typ in typed_properties(self.model).items():
            if name in keys and name not in have:
                con.execute(f"ALTER TABLE nodes ADD COLUMN {property_column(name)} {duckdb_type(typ)}")
        return keys

    def _load(self, keys: set[str]) -> None:
        con = self.con
        # Only the typed properties the nodes have are transformed (bench_collect's estate has 94 of the
        # model's 688); the other columns are null, as they would be. Extracting every property from one struct
        # of all of them cost DuckDB ~0.3 s of CPU per import to plan (binding each extraction, propagating
        # the whole struct's statistics at each), whatever the number of nodes, and more to fill.
        typed = typed_properties(self.model)
        props = [p for p in typed if p in keys]
        fulltext = (
            "array_to_string(list_transform(list_filter(json_extract(n.reported, '$..*'), "
            "lambda x: json_type(x) = 'VARCHAR'), lambda x: lower(x ->> '$')), chr(31))"
        )
        columns = ", ".join(
            ["id", "kind", "kinds", "reported", "fulltext", *ANCESTOR_COLUMNS, "cloud_node"]
            + [property_column(p) for p in props]
        )
        values = ", ".join(
            ["n.id", "n.kind", "k.kinds", "n.reported", fulltext]
            + [f"a.{c}" for c in ANCESTOR_COLUMNS]
            + ["a.cloud_node"]
            + [f'n.t."{p}"' for p in props]
        )
        typed_values = ", json_transform(r.reported, ?) AS t" if props else ""
        con.execute("DELETE FROM nodes WHERE id IN (SELECT id FROM new_nodes)")
        con.execute(
            f"INSERT INTO nodes ({columns}) SELECT {values} FROM "
            f"(SELECT nn.id, nn.kind, r.reported{typed_values} FROM new_nodes nn "
            "JOIN raw r USING (line)) n JOIN kind_info k USING (kind) "
            "JOIN anc a ON a.node = n.id",
            [json_transform_spec(self.model, props)] if props else [],
        )
        con.execute(
            "INSERT INTO edges SELECT i.from_id, i.to_id, i.edge_type FROM new_edges i WHERE NOT EXISTS "
            "(SELECT 1 FROM edges e WHERE e.from_id = i.from_id AND e.to_id = i.to_id AND e.edge_type = i.edge_type)"
        )
        extra = sorted(keys - typed.keys() - {"kind"})
        if extra:
            con.execute("INSERT OR IGNORE INTO extra_properties SELECT unnest(?)", [extra])
