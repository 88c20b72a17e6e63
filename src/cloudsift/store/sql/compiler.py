"""Bound queries to one SQL statement: parts as CTEs, navigation as recursive CTEs over edges."""

from __future__ import annotations

from dataclasses import dataclass

from cloudsift.model.types import DATETIME, STRING
from cloudsift.query.binder import BAggregate, BMerge, BoundQuery, BPart, BSort, BWith, Resolved
from cloudsift.query.limits import MAX_DEPTH
from cloudsift.query.navigation import BNavigation
from cloudsift.store.schema import ANCESTOR_COLUMNS
from cloudsift.store.sql.aggregates import Groups, function_sql
from cloudsift.store.sql.dialect import Dialect, Expr, Params
from cloudsift.store.sql.terms import TermCompiler, name_column

NODE_COLUMNS = ("id", "kinds", "reported", *ANCESTOR_COLUMNS)
# a brief row: the node id, its kind, its reported id and name, then the ancestors' ids and names
BRIEF_COLUMNS = ("node_id", "kind", "id", "name", *ANCESTOR_COLUMNS)


@dataclass(frozen=True)
class Statement:
    sql: str
    params: dict[str, object]

    @staticmethod
    def of(sql: str, params: Params) -> Statement:
        return Statement(sql, params.used_in(sql))


class QueryCompiler:
    """Compiles one bound query for one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.d = dialect
        self.params = Params(dialect.placeholder)
        self.terms = TermCompiler(dialect, self.params)
        self.ctes: list[str] = []
        self._names = 0

    def _name(self, prefix: str) -> str:
        self._names += 1
        return f"{prefix}{self._names}"

    def _order_by(self, sort: tuple[BSort, ...], reverse: bool = False) -> str:
        ascending, descending = ("ASC NULLS FIRST", "DESC NULLS LAST")[:: -1 if reverse else 1]
        keys = []
        for item in sort:
            keys.append(
                f"{self.terms.sort_key(item.path)} {ascending if item.order == 'asc' else descending}"
            )
        keys += [f"n.kind {ascending}", f"{name_column(self.d)} {ascending}", f"n.id {ascending}"]
        return ", ".join(keys)

    def _edges(self, navigation: BNavigation) -> str:
        """(wk, a, b): the steps of walk wk, from a to b, through the edges the filter accepts."""
        steps = []
        for i, walk in enumerate(navigation.walks):
            types = ", ".join(self.params.add(t) for t in walk.edge_types)
            ends = "from_id AS a, to_id AS b" if walk.direction == "out" else "to_id AS a, from_id AS b"
            steps.append(
                f"SELECT {i} AS wk, {ends} FROM edges WHERE edge_type IN ({types}) AND {self._accepts(navigation)}"
            )
        return " UNION ALL ".join(steps)

    def _accepts(self, navigation: BNavigation) -> str:
        """The edge filter on an edge's properties: an empty document, as the edges carry none."""
        if navigation.edge_filter is None:
            return "true"
        return self.terms.term(navigation.edge_filter, Expr(self.d.empty_object(), "json", None))

    def _walk(self, source: str, navigation: BNavigation, per_origin: bool, pairs: bool = False) -> str:
        """A CTE of (origin,) id, depth reached from the ids in `source` (or its (origin, id) pairs),
        one walk after the other (wk numbers them: a two-way navigation is two walks, not a zig-zag)."""
        name = self._name("w")
        until = MAX_DEPTH if navigation.until is None else navigation.until
        origin = "w.origin, " if per_origin else ""
        start_origin = ("s.origin, " if pairs else "s.id AS origin, ") if per_origin else ""
        columns = "wk, origin, id, depth" if per_origin else "wk, id, depth"
        walks = " UNION ALL ".join(f"SELECT {i} AS wk" for i in range(len(navigation.walks)))
        self.ctes.append(
            f"{name}({columns}) AS (SELECT k.wk, {start_origin}s.id, 0 FROM {source} s CROSS JOIN ({walks}) k "
            f"WHERE {self._accepts(navigation)} UNION "
            f"SELECT w.wk, {origin}e.b, w.depth + 1 FROM {name} w JOIN ({self._edges(navigation)}) e "
            f"ON e.a = w.id AND e.wk = w.wk WHERE w.depth < {int(until)})"
        )
        return name

    def _step(self, source: str, navigation: BNavigation) -> str:
        """A CTE of origin, id, depth one edge away from the ids in `source`: one join, no recursion."""
        name = self._name("w")
        self.ctes.append(
            f"{name}(origin, id, depth) AS (SELECT s.id, e.b, 1 FROM {source} s "
            f"JOIN ({self._edges(navigation)}) e ON e.a = s.id)"
        )
        return name

    def _with(self, clause: BWith, candidates: str) -> str:
        """A condition on n.id keeping the candidates whose navigation reaches the right number of nodes."""
        one_edge = clause.navigation.start == 1 and clause.navigation.until == 1
        walk = (
            self._step(candidates, clause.navigation)
            if one_edge
            else self._walk(candidates, clause.navigation, per_origin=True)
        )
        condition = self.terms.term(clause.term)
        if clause.with_clause is not None:
            # the inner clause only matters for the nodes the term keeps: its walk starts from them alone
            # (from everything reached, a with() below a wide navigation walks the whole graph)
            reached = self._name("r")
            self.ctes.append(
                f"{reached}(id) AS (SELECT DISTINCT w.id FROM {walk} w JOIN nodes n ON n.id = w.id "
                f"WHERE w.depth >= {clause.navigation.start} AND {condition})"
            )
            condition = f"({condition} AND {self._with(clause.with_clause, reached)})"
        counts = self._name("c")
        self.ctes.append(
            f"{counts}(origin, cnt) AS (SELECT w.origin, count(DISTINCT w.id) FROM {walk} w "
            f"JOIN nodes n ON n.id = w.id WHERE w.depth >= {clause.navigation.start} AND {condition} "
            f"GROUP BY w.origin)"
        )
        count = f"coalesce((SELECT cnt FROM {counts} WHERE {counts}.origin = n.id), 0)"
        if clause.kind == "empty":
            return f"({count} = 0)"
        if clause.kind == "any":
            return f"({count} > 0)"
        op = "=" if clause.op == "==" else ("<>" if clause.op == "!=" else clause.op)
        return f"({count} {op} {self.params.add(clause.count)})"

    def _filter(self, part: BPart, rows: str, where: list[str]) -> tuple[str, list[str]]:
        """The joins and conditions that select a part's nodes from `rows` (SQL that binds n)."""
        conditions = [*where, self.terms.term(part.term)]
        joins = ""
        if part.merges:
            before = self._name("k")
            self.ctes.append(
                f"{before}(id) AS (SELECT DISTINCT n.id FROM {rows} WHERE {' AND '.join(conditions)})"
            )
            outer = dict(self.terms.merge_columns)
            columns: dict[str, str] = {}
            for merge in part.merges:
                alias = self._name("mg")
                joins += f" LEFT JOIN {self._merge(merge, before)} AS {alias} ON {alias}.origin = n.id"
                self.terms.merge_columns = dict(outer)  # a nested merge may have used the same name
                columns[merge.name] = f"{alias}.value"
            self.terms.merge_columns = {**outer, **columns}
            conditions = [*where, f"n.id IN (SELECT id FROM {before})", self.terms.term(part.post)]
        if part.with_clause is not None:
            candidates = self._name("k")
            self.ctes.append(
                f"{candidates}(id) AS (SELECT DISTINCT n.id FROM {rows}{joins} WHERE {' AND '.join(conditions)})"
            )
            conditions.append(self._with(part.with_clause, candidates))
        return joins, conditions

    def _part(self, part: BPart, source: str | None, final: bool, reverse: bool = False) -> str:
        """The FROM/WHERE/ORDER of one part, reading candidates from `source` (a CTE of ids) or all nodes."""
        outer = dict(self.terms.merge_columns)
        where = [] if source is None else [f"n.id IN (SELECT id FROM {source})"]
        joins, conditions = self._filter(part, "nodes n", where)
        if final and part.reverse and part.limit is not None:
            body = self._reversed_window(part, joins, conditions, reverse)
            self.terms.merge_columns = outer
            return body
        order = ""
        if final or part.limit is not None:
            order = f" ORDER BY {self._order_by(part.sort, reverse != (final and part.reverse))}"
        limit = ""
        if part.limit is not None:
            limit = f" LIMIT {int(part.limit.count)} OFFSET {int(part.limit.offset)}"
        self.terms.merge_columns = outer
        return f"FROM nodes n{joins} WHERE {' AND '.join(conditions)}{order}{limit}"

    def _reversed_window(self, part: BPart, joins: str, conditions: list[str], reverse: bool) -> str:
        """`sort … limit o, c reversed`: the window of the sorted nodes, returned from its end."""
        assert part.limit is not None
        ranked = self._name("rv")
        low, high = self.params.add(part.limit.offset), self.params.add(part.limit.offset + part.limit.count)
        self.ctes.append(
            f"{ranked}(id, rank) AS (SELECT id, rank FROM (SELECT n.id, row_number() OVER "
            f"(ORDER BY {self._order_by(part.sort)}) AS rank FROM nodes n{joins} WHERE "
            f"{' AND '.join(conditions)}) AS r WHERE rank > {low} AND rank <= {high})"
        )
        return f"FROM nodes n JOIN {ranked} ON {ranked}.id = n.id ORDER BY {ranked}.rank {'ASC' if reverse else 'DESC'}"

    def _origin_part(self, part: BPart, source: str) -> str:
        """A CTE of (origin, id, rank): the part's nodes among `source`'s (origin, id) pairs, ranked and
        limited per origin (a merge's query runs once for each node it is attached to)."""
        outer = dict(self.terms.merge_columns)
        joins, conditions = self._filter(part, f"{source} s JOIN nodes n ON n.id = s.id", [])
        ranked = (
            f"SELECT s.origin, n.id, row_number() OVER (PARTITION BY s.origin ORDER BY {self._order_by(part.sort)}) "
            f"AS rank FROM {source} s JOIN nodes n ON n.id = s.id{joins} WHERE {' AND '.join(conditions)}"
        )
        self.terms.merge_columns = outer
        name = self._name("m")
        rank = "-rank" if part.reverse else "rank"  # reversed: the same nodes, the last first
        if part.limit is None:
            self.ctes.append(f"{name}(origin, id, rank) AS (SELECT origin, id, {rank} FROM ({ranked}) AS r)")
        else:
            low, high = (
                self.params.add(part.limit.offset),
                self.params.add(part.limit.offset + part.limit.count),
            )
            self.ctes.append(
                f"{name}(origin, id, rank) AS (SELECT origin, id, {rank} FROM ({ranked}) AS r "
                f"WHERE rank > {low} AND rank <= {high})"
            )
        return name

    def _merge(self, merge: BMerge, origins: str) -> str:
        """A CTE of (origin, value): per origin node, what the merge's query reaches, as JSON."""
        query = merge.query
        start = self._name("m")
        self.ctes.append(f"{start}(origin, id) AS (SELECT id, id FROM {origins})")
        current = self._origin_part(query.parts[0], start)
        for navigation, part in zip(query.navigations, query.parts[1:], strict=True):
            walk = self._walk(current, navigation, per_origin=True, pairs=True)
            reached = self._name("m")
            self.ctes.append(
                f"{reached}(origin, id) AS (SELECT DISTINCT origin, id FROM {walk} WHERE depth >= {navigation.start})"
            )
            current = self._origin_part(part, reached)
        if query.aggregate is not None:
            return self._merge_aggregate(query.aggregate, current, origins)
        value = self._name("mv")
        aggregated = self.d.node_list("m.rank")
        if not merge.many:
            aggregated = self.d.first_of(aggregated)
        self.ctes.append(
            f"{value}(origin, value) AS (SELECT m.origin, {aggregated} FROM {current} m JOIN nodes n ON n.id = m.id "
            "GROUP BY m.origin)"
        )
        return value

    def _merge_aggregate(self, spec: BAggregate, current: str, origins: str) -> str:
        """A CTE of (origin, value): per origin node, the aggregate's rows over what the merge reaches,
        as a JSON list ({"group": {...}, name: value}, as Fix has them). Without groups an origin that
        reaches nothing has the one row of an aggregate over nothing (sum 0), as in Fix."""
        groups = Groups(self.terms, spec, self._name("u"))
        functions = [function_sql(self.terms, fn, groups) for fn in spec.functions]
        names = [f"g{i}" for i in range(len(groups.columns))] + [f"f{i}" for i in range(len(functions))]
        select = ", ".join(
            f"{sql} AS {name}" for sql, name in zip([*groups.columns, *functions], names, strict=True)
        )
        rows = self._name("ma")
        group_by = "".join(f", {g}" for g in groups.columns)
        self.ctes.append(
            f"{rows}(origin, {', '.join(names)}) AS (SELECT m.origin, {select} FROM {current} m "
            f"JOIN nodes n ON n.id = m.id{groups.joins} GROUP BY m.origin{group_by})"
        )
        pairs = [
            (
                self.params.add(fn.name),
                self._json_date(f"r.f{i}", fn.argument if fn.function in ("min", "max") else None),
            )
            for i, fn in enumerate(spec.functions)
        ]
        if spec.group:
            keys = [
                (self.params.add(v.name), self._json_date(f"r.g{i}", v.path))
                for i, v in enumerate(spec.group)
            ]
            pairs.insert(0, (self.params.add("group"), self.d.json_object(keys)))
        order = ", ".join(f"r.g{i} ASC NULLS FIRST" for i in range(len(spec.group))) or "1"
        listed = self.d.json_rows(self.d.json_object(pairs), order)
        value = self._name("mv")
        if spec.group:
            self.ctes.append(
                f"{value}(origin, value) AS (SELECT r.origin, {listed} FROM {rows} r GROUP BY r.origin)"
            )
            return value
        empty = self._name("me")
        self.ctes.append(
            f"{empty}({', '.join(names)}) AS (SELECT {', '.join(functions)} FROM nodes n WHERE false)"
        )
        self.ctes.append(
            f"{value}(origin, value) AS (SELECT o.id, coalesce((SELECT {listed} FROM {rows} r WHERE "
            f"r.origin = o.id), (SELECT {listed} FROM {empty} r)) FROM {origins} o)"
        )
        return value

    def _json_date(self, sql: str, source: object) -> str:
        """A date in a merge's JSON rows as Fix's text (2024-01-31T12:00:00Z); other values as they are."""
        if isinstance(source, Resolved) and source.leaf_type == DATETIME:
            return self.d.text_of(sql, DATETIME)
        return sql

    def _selection(self, query: BoundQuery, ordered: bool = True) -> str:
        """CTEs for all parts but the last; returns the FROM/WHERE/ORDER of the last part."""
        source: str | None = None
        for i, part in enumerate(query.parts):
            last = i == len(query.parts) - 1
            if i > 0:
                walk = self._walk(source or "", query.navigations[i - 1], per_origin=False)
                reached = self._name("r")
                self.ctes.append(
                    f"{reached}(id) AS (SELECT DISTINCT id FROM {walk} WHERE depth >= "
                    f"{query.navigations[i - 1].start})"
                )
                source = reached
            body = self._part(part, source, final=last and ordered, reverse=last and query.reverse)
            if last:
                return body
            name = self._name("s")
            self.ctes.append(f"{name}(id) AS (SELECT n.id {body})")
            source = name
        raise AssertionError("a query has at least one part")

    def _with_ctes(self, sql: str) -> str:
        if not self.ctes:
            return sql
        return "WITH RECURSIVE " + ", ".join(self.ctes) + " " + sql

    def search(self, query: BoundQuery) -> Statement:
        body = self._selection(query)
        columns = ", ".join(f"n.{c}" for c in NODE_COLUMNS)
        return Statement.of(self._with_ctes(f"SELECT {columns} {body}"), self.params)

    def brief(self, query: BoundQuery) -> Statement:
        """BRIEF_COLUMNS of the nodes, in no order (a report's findings: no document to parse, no sort)."""
        body = self._selection(query, ordered=False)
        texts = [
            self.d.typed_value(self.d.top_property(name, STRING, self.params), STRING)
            for name in ("id", "name")
        ]
        columns = ", ".join(["n.id", "n.kind", *texts, *(f"n.{c}" for c in ANCESTOR_COLUMNS)])
        return Statement.of(self._with_ctes(f"SELECT {columns} {body}"), self.params)

    def count(self, query: BoundQuery) -> Statement:
        body = self._selection(query, ordered=False)
        return Statement.of(
            self._with_ctes(f"SELECT count(*) FROM (SELECT n.id {body}) AS counted"), self.params
        )

    def aggregate(self, query: BoundQuery, spec: BAggregate) -> Statement:
        body = self._selection(query, ordered=False)
        selected = self._name("sel")
        self.ctes.append(f"{selected}(id) AS (SELECT n.id {body})")
        unfolded = Groups(self.terms, spec, self._name("u"))
        groups = unfolded.columns
        columns = [f"{g} AS g{i}" for i, g in enumerate(groups)]
        columns += [
            f"{function_sql(self.terms, fn, unfolded)} AS f{i}" for i, fn in enumerate(spec.functions)
        ]
        group_by = f" GROUP BY {', '.join(groups)}" if groups else ""
        order_by = f" ORDER BY {', '.join(f'{g} ASC NULLS FIRST' for g in groups)}" if groups else ""
        sql = (
            f"SELECT {', '.join(columns)} FROM nodes n{unfolded.joins} WHERE n.id IN (SELECT id FROM {selected})"
            f"{group_by}{order_by}"
        )
        return Statement.of(self._with_ctes(sql), self.params)
