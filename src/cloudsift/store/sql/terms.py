"""Bound terms to SQL conditions. Every condition is two-valued: never NULL, so NOT means not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from cloudsift.model import ListOf, Scalar
from cloudsift.model.types import INT, STRING
from cloudsift.query.binder import (
    DESCENDANT_LEVELS,
    BAll,
    BCombined,
    BContext,
    BFullText,
    BFunction,
    BId,
    BIs,
    BNot,
    BPredicate,
    BTerm,
    Resolved,
    Step,
    bound_chain,
)
from cloudsift.query.empties import Empty
from cloudsift.store.schema import property_column
from cloudsift.store.sql.dialect import IPV4_RE, Dialect, Expr, Params, category_of

Test = Callable[[Expr], str]


class TermCompiler:
    def __init__(self, dialect: Dialect, params: Params) -> None:
        self.d = dialect
        self.params = params
        self._vars = 0
        self.merge_columns: dict[str, str] = {}  # merge name -> the SQL column holding its JSON

    def _var(self) -> str:
        self._vars += 1
        return f"v{self._vars}"

    # ---- paths

    def root(self, path: Resolved, element: Expr | None) -> tuple[Expr | None, int]:
        """The expression a path starts from and the first step still to apply."""
        if path.root == "id":
            return Expr("n.id", "typed", STRING), 0
        if path.root == "kinds":
            return Expr("n.kinds", "typed", ListOf(STRING)), 0
        if path.root == "ancestor":
            assert path.ancestor is not None
            level, key = path.ancestor
            return Expr(f"n.{level}_{key}", "typed", STRING), 0
        if path.root == "element":
            return element, 0
        if path.root == "unfilled":
            return Expr(self.d.null_json, "json", None), 0
        if path.root == "descendants":
            return Expr(self.descendants(path.summary), "typed", INT), 0
        if path.root == "merge":
            assert path.merge is not None
            return Expr(self.merge_columns[path.merge], "json", path.steps[0].type), 1
        return None, 0

    def descendants(self, kind: str | None) -> str:
        """How many nodes (of `kind`) have the node as their cloud, account, region or zone (the nearest
        of them it is), by id and name as Fix counts them; NULL for another node, or no such kind."""
        rid = self.d.typed_value(self.d.top_property("id", STRING, self.params), STRING)
        name = self.d.typed_value(self.d.top_property("name", STRING, self.params), STRING)
        of_kind = "" if kind is None else f" AND d.kind = {self.params.add(kind)}"
        branches = []
        for level in DESCENDANT_LEVELS:
            count = f"(SELECT count(*) FROM nodes d WHERE d.{level}_id = {rid} AND d.{level}_name = {name}{of_kind})"
            branches.append(
                f"WHEN {self.d.has_kind(self.params.add(level))} THEN "
                + (count if kind is None else f"NULLIF({count}, 0)")
            )
        return f"(CASE WHEN {rid} IS NULL OR {rid} = '' OR {name} IS NULL OR {name} = '' THEN NULL {' '.join(branches)} END)"

    def over_values(
        self, path: Resolved, element: Expr | None, quantifier: Literal["any", "all"], test: Test
    ) -> str:
        """SQL true when `quantifier` of the values the path yields satisfy `test`."""
        start, skip = self.root(path, element)
        steps = list(path.steps)
        if skip:  # the root value is the first step's own value: only its index is left to apply
            first = steps[0]
            steps[0] = Step("", first.index, first.type)
        return self._walk(start, steps, quantifier, test)

    def _walk(
        self, expr: Expr | None, steps: list[Step], quantifier: Literal["any", "all"], test: Test
    ) -> str:
        for i, step in enumerate(steps):
            if expr is None:
                expr = self.d.top_property(step.name, step.type, self.params)
            elif step.name:
                expr = self.d.field(expr, step.name, step.type, self.params)
            if step.index is None:
                continue
            item = step.type.item if isinstance(step.type, ListOf) else None
            if step.index != "*":
                expr = self.d.index(expr, step.index, item)
                continue
            var = self._var()
            element = self.d.element_var(expr, var, item)
            inner = self._walk(element, steps[i + 1 :], quantifier, test)
            return self._quantify(expr, var, inner, quantifier)
        assert expr is not None
        return test(expr)

    def _quantify(self, list_expr: Expr, var: str, inner: str, quantifier: Literal["any", "all"]) -> str:
        if quantifier == "any":
            return self.d.any_element(list_expr, var, inner)
        return f"(NOT {self.d.any_element(list_expr, var, f'NOT {inner}')})"

    def leaf(self, x: Expr, quantifier: Literal["any", "all"], test: Test) -> str:
        """Open a list at the leaf: a list value is tested element by element."""
        if isinstance(x.type, ListOf):
            var = self._var()
            return self._quantify(x, var, test(self.d.element_var(x, var, x.type.item)), quantifier)
        if x.type is None and x.mode == "json":
            var = self._var()
            each = self._quantify(x, var, test(self.d.element_var(x, var, None)), quantifier)
            return f"(CASE WHEN {self.d.is_array(x)} THEN {each} ELSE {test(x)} END)"
        return test(x)

    # ---- leaf tests

    def typed(self, x: Expr, typ: Scalar) -> str:
        value = self.d.typed_value(x, typ)
        return self.d.string_compare(value) if typ.name == "string" else value

    def compare(self, x: Expr, typ: object, op: str, value: object) -> str:
        """x op value for a present or missing x; false when x is missing or of another type."""
        param = self.params.add(value)
        if isinstance(typ, Scalar):
            return f"coalesce({self.typed(x, typ)} {op} {param}, false)"
        category = category_of(value)
        check = self.d.json_category(x, category)
        value_sql = self.d.json_value(x, category)
        if category == "string":
            value_sql = self.d.string_compare(value_sql)
        return f"coalesce(CASE WHEN {check} THEN {value_sql} {op} {param} ELSE false END, false)"

    def _text(self, x: Expr, typ: object) -> tuple[str, str]:
        """(is a present string, its text) for regular expressions and IP addresses."""
        if isinstance(typ, Scalar):
            return f"(NOT {self.d.is_null(x)})", self.d.typed_value(x, typ)
        return self.d.json_category(x, "string"), self.d.json_value(x, "string")

    def predicate_test(self, p: BPredicate) -> Test:
        typ = p.path.compare_type
        op, value = p.op, p.value

        def test(x: Expr) -> str:
            null = self.d.is_null(x)
            if op in ("in", "not in"):
                assert isinstance(value, tuple)
                present = [v for v in value if v is not None]
                found = " OR ".join(self.compare(x, typ, "=", v) for v in present) or "false"
                if op == "in":
                    return f"({found} OR {null})" if None in value else f"({found})"
                return f"(NOT {null} AND NOT ({found}))"
            if value is None:
                return null if op == "==" else f"(NOT {null})"
            if op in ("=~", "!~"):
                is_string, text = self._text(x, typ)
                match = self.d.regex_match(text, self.params.add(value))
                if op == "=~":
                    return f"coalesce(CASE WHEN {is_string} THEN {match} ELSE false END, false)"
                return f"coalesce(CASE WHEN {is_string} THEN NOT {match} ELSE false END, false)"
            if op == "!=":
                return f"({null} OR NOT {self.compare(x, typ, '=', value)})"
            return self.compare(x, typ, "=" if op == "==" else op, value)

        return test

    def whole_test(self, p: BPredicate) -> Test:
        """The whole value compared with [] or {} (see cloudsift.query.empties)."""
        op, value = p.op, p.value

        def test(x: Expr) -> str:
            if op in ("==", "!="):
                assert isinstance(value, Empty)
                empty = self.d.is_empty(x, value.kind)
                return empty if op == "==" else f"(NOT {empty})"
            assert isinstance(value, tuple)
            found = [self.d.is_empty(x, v.kind) for v in value if isinstance(v, Empty)]
            if None in value:
                found.append(self.d.is_null(x))
            either = "(" + " OR ".join(found) + ")"
            return either if op == "in" else f"(NOT {self.d.is_null(x)} AND NOT {either})"

        return test

    def in_subnet_test(self, f: BFunction) -> Test:
        low, high = f.network
        typ = f.path.compare_type

        def test(x: Expr) -> str:
            is_string, text = self._text(x, typ)
            octets = [self.d.cast_bigint(f"split_part({text}, '.', {i})") for i in range(1, 5)]
            number = f"({octets[0]} * 16777216 + {octets[1]} * 65536 + {octets[2]} * 256 + {octets[3]})"
            valid = f"{is_string} AND {self.d.regex_full(text, self.params.add(IPV4_RE))}"
            inner = f"CASE WHEN greatest({', '.join(octets)}) <= 255 THEN {number} END"
            return (
                f"coalesce(CASE WHEN {valid} THEN ({inner}) BETWEEN {self.params.add(low)} AND "
                f"{self.params.add(high)} ELSE false END, false)"
            )

        return test

    # ---- terms

    def term(self, term: BTerm, element: Expr | None = None) -> str:
        if isinstance(term, BAll):
            return "true"
        if isinstance(term, BCombined):
            return self._chain(term, element)
        if isinstance(term, BNot):
            return f"(NOT {self.term(term.term, element)})"
        if isinstance(term, BPredicate):
            quantifier: Literal["any", "all"] = "all" if term.modifier == "all" else "any"
            if term.whole:
                sql = self.over_values(term.path, element, quantifier, self.whole_test(term))
                return f"(NOT {sql})" if term.modifier == "none" else sql
            test = self.predicate_test(term)
            sql = self.over_values(term.path, element, quantifier, lambda x: self.leaf(x, quantifier, test))
            return f"(NOT {sql})" if term.modifier == "none" else sql
        if isinstance(term, BContext):
            return self.over_values(term.path, element, "any", lambda e: self.term(term.term, e))
        if isinstance(term, BFunction):
            if term.name == "has_key":
                keys = term.keys

                def has_keys(x: Expr) -> str:
                    return "(" + " AND ".join(self.d.has_key(x, k, self.params) for k in keys) + ")"

                return self.over_values(term.path, element, "any", lambda x: self.leaf(x, "any", has_keys))
            test = self.in_subnet_test(term)
            return self.over_values(term.path, element, "any", lambda x: self.leaf(x, "any", test))
        if isinstance(term, BIs):
            if not term.kinds:
                return "false"
            return f"(n.kind IN ({', '.join(self.params.add(k) for k in term.kinds)}))"
        if isinstance(term, BId):
            return f"(n.id IN ({', '.join(self.params.add(i) for i in term.ids)}))"
        if isinstance(term, BFullText):
            return self.d.fulltext(self.params.add(term.text))
        raise TypeError(f"unknown term {term!r}")

    def _chain(self, term: BCombined, element: Expr | None) -> str:
        """A left fold of and/or, flat at any length: SQL engines limit how deep expressions nest.

        One operator throughout is a flat AND/OR. A mixed chain is decided by its last step that
        settles the value: `... or x` with x true is true, `... and x` with x false is false; the
        first term decides when no step does. So a CASE over the runs, from the last one back."""
        first, rest = bound_chain(term)
        runs: list[tuple[str, list[str]]] = []
        for step, right in rest:
            if not runs or runs[-1][0] != step:
                runs.append((step, []))
            runs[-1][1].append(self.term(right, element))
        head = self.term(first, element)
        if len(runs) == 1:
            only, items = runs[0]
            return f"({f' {only.upper()} '.join([head, *items])})"
        branches = []
        for kind, items in reversed(runs):
            if kind == "or":
                branches.append(f"WHEN {' OR '.join(items)} THEN true")
            else:
                branches.append(f"WHEN NOT ({' AND '.join(items)}) THEN false")
        return f"(CASE {' '.join(branches)} ELSE {head} END)"

    def sort_key(self, path: Resolved) -> str:
        """One value per node for ORDER BY / GROUP BY (typed, or text for untyped values)."""
        result: list[str] = []

        def capture(x: Expr) -> str:
            typ = path.leaf_type
            if isinstance(typ, Scalar):
                result.append(self.typed(x, typ))
            else:
                result.append(self.d.sort_text(x))
            return "true"

        self.over_values(path, None, "any", capture)
        return result[0]


def name_column(dialect: Dialect) -> str:
    if dialect.name == "duckdb":
        return f"n.{property_column('name')}"
    return "(n.reported ->> 'name') COLLATE \"C\""
