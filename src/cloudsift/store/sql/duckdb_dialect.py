"""DuckDB: typed columns per property, lists opened with lambdas, untyped values as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from cloudsift.model import ListOf, PropType, Scalar, StringMap
from cloudsift.store.schema import duckdb_type, property_column
from cloudsift.store.sql.dialect import Category, Dialect, Expr, Params

_JSON_TYPES = {
    "string": "('VARCHAR')",
    "number": "('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT')",
    "bool": "('BOOLEAN')",
}


def json_pointer(key: str) -> str:
    return "/" + key.replace("~", "~0").replace("/", "~1")


class DuckDBDialect(Dialect):
    """`has_column(name)`: whether the store has the property's typed column (a store makes one when a
    property first comes in); a typed property without one is null on every node. Without it: every one."""

    name = "duckdb"
    json_builder = "json_object"
    null_json = "CAST(NULL AS JSON)"

    def __init__(self, has_column: Callable[[str], bool] | None = None) -> None:
        self.has_column = has_column or (lambda name: True)

    def placeholder(self, name: str) -> str:
        return f"${name}"

    def top_property(self, name: str, typ: PropType | None, params: Params) -> Expr:
        if name == "kind":
            return Expr("n.kind", "typed", typ)
        if typ is not None:
            if not self.has_column(name):
                return Expr(f"CAST(NULL AS {duckdb_type(typ)})", "typed", typ)
            return Expr(f"n.{property_column(name)}", "typed", typ)
        return Expr(f"json_extract(n.reported, {params.add(json_pointer(name))})", "json", None)

    def field(self, expr: Expr, name: str, typ: PropType | None, params: Params) -> Expr:
        if expr.mode == "json":
            return Expr(f"json_extract({expr.sql}, {params.add(json_pointer(name))})", "json", typ)
        if isinstance(expr.type, StringMap):
            return Expr(f"({expr.sql})[{params.add(name)}]", "typed", typ)
        return Expr(f"struct_extract({expr.sql}, '{name}')", "typed", typ)

    def index(self, expr: Expr, index: int, typ: PropType | None) -> Expr:
        if expr.mode == "json":
            return Expr(f"json_extract({expr.sql}, '/{index}')", "json", typ)
        return Expr(f"({expr.sql})[{index + 1}]", "typed", typ)

    def element_var(self, list_expr: Expr, var: str, item_type: PropType | None) -> Expr:
        return Expr(var, list_expr.mode, item_type)

    def _list(self, expr: Expr) -> str:
        """The elements [*] opens: a JSON value that is not a list (nor null) is a list of itself."""
        if expr.mode == "json":
            return (
                f"(CASE WHEN json_type({expr.sql}) = 'ARRAY' THEN CAST({expr.sql} AS JSON[]) "
                f"WHEN json_type({expr.sql}) <> 'NULL' THEN [{expr.sql}] END)"
            )
        return expr.sql

    def any_element(self, list_expr: Expr, var: str, condition: str) -> str:
        return f"(coalesce(len(list_filter({self._list(list_expr)}, lambda {var}: {condition})), 0) > 0)"

    def has_kind(self, kind: str) -> str:
        return f"list_contains(n.kinds, {kind})"

    def is_array(self, expr: Expr) -> str:
        return f"coalesce(json_type({expr.sql}) = 'ARRAY', false)"

    def is_empty(self, expr: Expr, kind: Literal["list", "object"]) -> str:
        if expr.mode == "json":
            json_kind, size = (
                ("ARRAY", "json_array_length") if kind == "list" else ("OBJECT", "len(json_keys")
            )
            closing = ")" if kind == "object" else ""
            return (
                f"coalesce(json_type({expr.sql}) = '{json_kind}' AND {size}({expr.sql}){closing} = 0, false)"
            )
        if kind == "list" and isinstance(expr.type, ListOf):
            return f"coalesce(len({expr.sql}) = 0, false)"
        if kind == "object" and isinstance(expr.type, StringMap):
            return f"coalesce(cardinality({expr.sql}) = 0, false)"
        return "false"

    def is_null(self, expr: Expr) -> str:
        if expr.mode == "json":
            return f"coalesce(json_type({expr.sql}) = 'NULL', true)"
        return f"({expr.sql} IS NULL)"

    def typed_value(self, expr: Expr, typ: Scalar) -> str:
        if expr.mode == "typed":
            return expr.sql
        text = f"({expr.sql} ->> '$')"
        return text if typ.name == "string" else f"TRY_CAST({text} AS {duckdb_type(typ)})"

    def node_list(self, order_by: str) -> str:
        return f"to_json(list({{'id': n.id, 'kinds': n.kinds, 'reported': n.reported}} ORDER BY {order_by}))"

    def first_of(self, json_list: str) -> str:
        return f"json_extract({json_list}, '$[0]')"

    def number_param(self, placeholder: str, integer: bool) -> str:
        return f"CAST({placeholder} AS {'BIGINT' if integer else 'DOUBLE'})"

    def fraction(self, sql: str) -> str:
        return f"CAST({sql} AS DOUBLE)"

    def empty_object(self) -> str:
        return "CAST('{}' AS JSON)"

    def json_category(self, expr: Expr, category: Category) -> str:
        return f"coalesce(json_type({expr.sql}) IN {_JSON_TYPES[category]}, false)"

    def json_value(self, expr: Expr, category: Category) -> str:
        if category == "string":
            return f"({expr.sql} ->> '$')"
        return f"CAST({expr.sql} AS {'DOUBLE' if category == 'number' else 'BOOLEAN'})"

    def regex_match(self, text_sql: str, pattern: str) -> str:
        return f"regexp_matches({text_sql}, {pattern}, 'i')"

    def regex_full(self, text_sql: str, pattern: str) -> str:
        return f"regexp_full_match({text_sql}, {pattern})"

    def has_key(self, expr: Expr, key: str, params: Params) -> str:
        if expr.mode == "json":
            return (
                f"coalesce(json_type({expr.sql}) = 'OBJECT' AND "
                f"json_extract({expr.sql}, {params.add(json_pointer(key))}) IS NOT NULL, false)"
            )
        return f"coalesce(map_contains({expr.sql}, {params.add(key)}), false)"

    def fulltext(self, phrase: str) -> str:
        return f"contains(n.fulltext, {phrase})"

    def sort_text(self, expr: Expr) -> str:
        return f"(CASE WHEN json_type({expr.sql}) IN ('VARCHAR', 'BOOLEAN') THEN {expr.sql} ->> '$' END)"

    def unnest_join(self, list_expr: Expr, alias: str, item_type: PropType | None) -> tuple[str, Expr]:
        return f", LATERAL (SELECT unnest({self._list(list_expr)}) AS v) AS {alias}", Expr(
            f"{alias}.v", list_expr.mode, item_type
        )

    def utc_text(self, sql: str) -> str:
        return f"strftime({sql} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')"

    def json_rows(self, value: str, order_by: str) -> str:
        return f"to_json(list({value} ORDER BY {order_by}))"
