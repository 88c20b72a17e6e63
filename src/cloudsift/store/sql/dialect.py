"""What differs between the SQL engines, as small methods on one class per dialect.

Values always travel as bound parameters. Identifiers that reach SQL text come from the
model (validated names), never from the user's text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cloudsift.model import ListOf, PropType, Scalar, StringMap, Struct
from cloudsift.model.types import FLOAT

Mode = Literal["typed", "json"]
Category = Literal["string", "number", "bool"]
IPV4_RE = r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})"


@dataclass(frozen=True)
class Expr:
    """A SQL expression for a value: typed (native SQL type) or json (a JSON value)."""

    sql: str
    mode: Mode
    type: PropType | None  # the model type of the value, None when untyped


class Params:
    """Collects bound parameters under generated names."""

    def __init__(self, placeholder: Callable[[str], str]) -> None:
        self.values: dict[str, object] = {}
        self._placeholder = placeholder

    def add(self, value: object) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return self._placeholder(name)

    def used_in(self, sql: str) -> dict[str, object]:
        """The parameters the SQL refers to (a sub-expression may have been built and then not used)."""
        return {
            name: value
            for name, value in self.values.items()
            if re.search(re.escape(self._placeholder(name)) + r"(?![0-9])", sql)
        }


def category_of(value: object) -> Category:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return "string"


class Dialect:
    name: str = ""
    modulo: str = "%"  # the remainder operator as the driver wants it written
    null_json: str = "NULL"
    json_builder: str = ""  # the function building a JSON object of keys and values  # a JSON null of the engine's JSON type (a path into a section nothing fills)

    def placeholder(self, name: str) -> str:
        raise NotImplementedError

    # --- where values live
    def top_property(self, name: str, typ: PropType | None, params: Params) -> Expr:
        raise NotImplementedError

    def field(self, expr: Expr, name: str, typ: PropType | None, params: Params) -> Expr:
        raise NotImplementedError

    def index(self, expr: Expr, index: int, typ: PropType | None) -> Expr:
        raise NotImplementedError

    def element_var(self, list_expr: Expr, var: str, item_type: PropType | None) -> Expr:
        raise NotImplementedError

    def any_element(self, list_expr: Expr, var: str, condition: str) -> str:
        """SQL true when some element (bound to `var`) satisfies condition; false for a missing list."""
        raise NotImplementedError

    def has_kind(self, kind: str) -> str:
        """SQL true when the node n is of the (bound) kind or has it as a base kind."""
        raise NotImplementedError

    def is_array(self, expr: Expr) -> str:
        raise NotImplementedError

    def is_empty(self, expr: Expr, kind: Literal["list", "object"]) -> str:
        """SQL true when the value is an empty list (or object); false when missing, null or else."""
        raise NotImplementedError

    # --- values
    def is_null(self, expr: Expr) -> str:
        return f"({expr.sql} IS NULL)"

    def typed_value(self, expr: Expr, typ: Scalar) -> str:
        """The expression as a native SQL value of scalar type `typ`."""
        raise NotImplementedError

    def json_category(self, expr: Expr, category: Category) -> str:
        raise NotImplementedError

    def json_value(self, expr: Expr, category: Category) -> str:
        raise NotImplementedError

    def string_compare(self, sql: str) -> str:
        return sql

    def regex_match(self, text_sql: str, pattern: str) -> str:
        raise NotImplementedError

    def has_key(self, expr: Expr, key: str, params: Params) -> str:
        raise NotImplementedError

    def regex_full(self, text_sql: str, pattern: str) -> str:
        raise NotImplementedError

    def fulltext(self, phrase: str) -> str:
        raise NotImplementedError

    def cast_bigint(self, sql: str) -> str:
        return f"CAST({sql} AS BIGINT)"

    def sort_text(self, expr: Expr) -> str:
        """Untyped values sort by text: strings and booleans, other values as null."""
        raise NotImplementedError

    def node_list(self, order_by: str) -> str:
        """An aggregate: the grouped nodes as a JSON list of {id, kinds, reported}, in `order_by` order."""
        raise NotImplementedError

    def first_of(self, json_list: str) -> str:
        raise NotImplementedError

    def number_param(self, placeholder: str, integer: bool) -> str:
        """A bound number with its SQL type (an engine cannot guess it inside arithmetic)."""
        raise NotImplementedError

    def fraction(self, sql: str) -> str:
        """A number that divides as a fraction (5 / 2 is 2.5, as in Fix)."""
        raise NotImplementedError

    def empty_object(self) -> str:
        """An empty JSON object (the properties of an edge)."""
        raise NotImplementedError

    def datetime_param(self, value: dt.datetime) -> object:
        return value

    # --- aggregates
    def unnest_join(self, list_expr: Expr, alias: str, item_type: PropType | None) -> tuple[str, Expr]:
        """A join giving one row per element of the list (none for a missing or empty one), and the element."""
        raise NotImplementedError

    def text_of(self, sql: str, typ: Scalar) -> str:
        """A typed value as the text a group name template shows (reference.template_text)."""
        if typ.name == "string":
            return sql
        if typ.name == "datetime":
            return self.utc_text(sql)
        if typ.name in ("int", "float"):  # a whole number without a fraction, as Fix prints it
            return (
                f"(CASE WHEN {sql} = trunc({sql}) AND abs({sql}) < 1e15 THEN CAST(CAST({sql} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST(CAST({sql} AS DOUBLE PRECISION) AS VARCHAR) END)"
            )
        return f"CAST({sql} AS VARCHAR)"

    def untyped_text(self, expr: Expr) -> str:
        """An untyped value as a template shows it: a number as text_of prints one, a string or a
        boolean as sorting has it; anything else null (empty)."""
        number = self.text_of(self.json_value(expr, "number"), FLOAT)
        return (
            f"(CASE WHEN {self.json_category(expr, 'number')} THEN {number} ELSE {self.sort_text(expr)} END)"
        )

    def utc_text(self, sql: str) -> str:
        """A timestamp as UTC text: 2024-01-31T12:00:00Z."""
        raise NotImplementedError

    def json_object(self, pairs: list[tuple[str, str]]) -> str:
        """A JSON object of (bound key, SQL value) pairs."""
        return (
            f"{self.json_builder}("
            + ", ".join(f"CAST({key} AS VARCHAR), {value}" for key, value in pairs)
            + ")"
        )

    def json_rows(self, value: str, order_by: str) -> str:
        """An aggregate: the values as a JSON list in `order_by` order."""
        raise NotImplementedError


def is_scalar(typ: PropType | None) -> bool:
    return isinstance(typ, Scalar)


def is_container(typ: PropType | None) -> bool:
    return isinstance(typ, ListOf | Struct | StringMap)
