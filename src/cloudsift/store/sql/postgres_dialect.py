"""PostgreSQL: `reported` is JSONB; model types decide the casts, lists open with EXISTS."""

from __future__ import annotations

from typing import Literal

from cloudsift.model import PropType, Scalar
from cloudsift.store.sql.dialect import Category, Dialect, Expr, Params

_CASTS = {
    "string": "text",
    "int": "numeric",
    "float": "numeric",
    "bool": "boolean",
    "datetime": "timestamptz",
}
_JSON_TYPES = {"string": "string", "number": "number", "bool": "boolean"}


class PostgresDialect(Dialect):
    name = "postgres"
    modulo = "%%"  # psycopg reads a lone % as a placeholder
    json_builder = "jsonb_build_object"
    null_json = "CAST(NULL AS jsonb)"

    def placeholder(self, name: str) -> str:
        return f"%({name})s"

    def top_property(self, name: str, typ: PropType | None, params: Params) -> Expr:
        return Expr(f"(n.reported -> {params.add(name)}::text)", "json", typ)

    def field(self, expr: Expr, name: str, typ: PropType | None, params: Params) -> Expr:
        return Expr(f"({expr.sql} -> {params.add(name)}::text)", "json", typ)

    def index(self, expr: Expr, index: int, typ: PropType | None) -> Expr:
        # only of a list: jsonb reads a scalar as a list of itself here ('12'::jsonb -> 0 is 12)
        return Expr(
            f"(CASE WHEN jsonb_typeof({expr.sql}) = 'array' THEN {expr.sql} -> {int(index)} END)", "json", typ
        )

    def element_var(self, list_expr: Expr, var: str, item_type: PropType | None) -> Expr:
        if list_expr.mode == "typed":  # a native array column (kinds)
            return Expr(var, "typed", item_type)
        return Expr(var, "json", item_type)

    def _list(self, expr: Expr) -> str:
        """The elements [*] opens: a JSON value that is not a list (nor null) is a list of itself."""
        return (
            f"jsonb_array_elements(CASE WHEN jsonb_typeof({expr.sql}) = 'array' THEN {expr.sql} "
            f"WHEN jsonb_typeof({expr.sql}) <> 'null' THEN jsonb_build_array({expr.sql}) END)"
        )

    def any_element(self, list_expr: Expr, var: str, condition: str) -> str:
        source = f"unnest({list_expr.sql})" if list_expr.mode == "typed" else self._list(list_expr)
        return f"EXISTS (SELECT 1 FROM {source} AS {var}_t({var}) WHERE {condition})"

    def has_kind(self, kind: str) -> str:
        return f"({kind} = ANY(n.kinds))"

    def is_array(self, expr: Expr) -> str:
        return f"coalesce(jsonb_typeof({expr.sql}) = 'array', false)"

    def is_empty(self, expr: Expr, kind: Literal["list", "object"]) -> str:
        if expr.mode == "typed":  # a native array column (kinds)
            return f"coalesce(cardinality({expr.sql}) = 0, false)" if kind == "list" else "false"
        return f"coalesce({expr.sql} = '{'[]' if kind == 'list' else '{}'}'::jsonb, false)"

    def is_null(self, expr: Expr) -> str:
        if expr.mode == "json":
            return f"coalesce(jsonb_typeof({expr.sql}) = 'null', true)"
        return f"({expr.sql} IS NULL)"

    def typed_value(self, expr: Expr, typ: Scalar) -> str:
        if expr.mode == "typed":
            return expr.sql
        text = f"({expr.sql} #>> '{{}}')"
        return text if typ.name == "string" else f"CAST({text} AS {_CASTS[typ.name]})"

    def json_category(self, expr: Expr, category: Category) -> str:
        return f"coalesce(jsonb_typeof({expr.sql}) = '{_JSON_TYPES[category]}', false)"

    def json_value(self, expr: Expr, category: Category) -> str:
        text = f"({expr.sql} #>> '{{}}')"
        if category == "string":
            return text
        return f"CAST({text} AS {'numeric' if category == 'number' else 'boolean'})"

    def node_list(self, order_by: str) -> str:
        return (
            "jsonb_agg(jsonb_build_object('id', n.id, 'kinds', to_jsonb(n.kinds), 'reported', n.reported) "
            f"ORDER BY {order_by})"
        )

    def first_of(self, json_list: str) -> str:
        return f"({json_list} -> 0)"

    def number_param(self, placeholder: str, integer: bool) -> str:
        return f"CAST({placeholder} AS numeric)"

    def fraction(self, sql: str) -> str:
        return f"CAST({sql} AS numeric)"

    def empty_object(self) -> str:
        return "CAST('{}' AS jsonb)"

    def string_compare(self, sql: str) -> str:
        return f'({sql} COLLATE "C")'

    def regex_match(self, text_sql: str, pattern: str) -> str:
        return f"({text_sql} ~* {pattern})"

    def regex_full(self, text_sql: str, pattern: str) -> str:
        return f"({text_sql} ~ ('^' || {pattern} || '$'))"

    def has_key(self, expr: Expr, key: str, params: Params) -> str:
        return f"coalesce(jsonb_typeof({expr.sql}) = 'object' AND jsonb_exists({expr.sql}, {params.add(key)}), false)"

    def fulltext(self, phrase: str) -> str:
        return f"(strpos(n.fulltext, {phrase}) > 0)"

    def sort_text(self, expr: Expr) -> str:
        return (
            f"(CASE WHEN jsonb_typeof({expr.sql}) IN ('string', 'boolean') THEN "
            f"({expr.sql} #>> '{{}}') END) COLLATE \"C\""
        )

    def unnest_join(self, list_expr: Expr, alias: str, item_type: PropType | None) -> tuple[str, Expr]:
        return f" CROSS JOIN LATERAL {self._list(list_expr)} AS {alias}(v)", Expr(
            f"{alias}.v", "json", item_type
        )

    def utc_text(self, sql: str) -> str:
        return f"to_char({sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

    def json_rows(self, value: str, order_by: str) -> str:
        return f"jsonb_agg({value} ORDER BY {order_by})"
