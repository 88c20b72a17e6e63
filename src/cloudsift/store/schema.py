"""Store columns derived from the model: in DuckDB, a typed column per property the nodes have."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from cloudsift.model import MODEL, ListOf, Model, PropType, Scalar, StringMap, Struct

ANCESTOR_COLUMNS = tuple(
    f"{level}_{key}" for level in ("cloud", "account", "region", "zone") for key in ("id", "name")
)
_DUCK_SCALARS = {
    "string": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "datetime": "TIMESTAMPTZ",
}


def property_column(name: str) -> str:
    """The typed column of a top-level property (names are the model's identifiers)."""
    return f'"p_{name}"'


def duckdb_type(typ: PropType) -> str:
    if isinstance(typ, Scalar):
        return _DUCK_SCALARS[typ.name]
    if isinstance(typ, ListOf):
        return f"{duckdb_type(typ.item)}[]"
    if isinstance(typ, StringMap):
        return "MAP(VARCHAR, VARCHAR)"
    fields = ", ".join(f'"{f.name}" {duckdb_type(f.type)}' for f in typ.fields)
    return f"STRUCT({fields})"


def _transform_spec(typ: PropType) -> object:
    if isinstance(typ, ListOf):
        return [_transform_spec(typ.item)]
    if isinstance(typ, Struct):
        return {f.name: _transform_spec(f.type) for f in typ.fields}
    return duckdb_type(typ)


def typed_properties(model: Model = MODEL) -> dict[str, PropType]:
    """Every top-level property that gets a typed column, with its type; `kind` is always a string."""
    return dict(sorted(model.properties.items()))


def columned_properties(con: Any) -> frozenset[str]:
    """The properties whose typed column the store's nodes table has (a DuckDB connection or cursor)."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'nodes' AND database_name = current_database()"
    ).fetchall()
    return frozenset(r[0][2:] for r in rows if r[0].startswith("p_"))


def base_properties(model: Model = MODEL) -> dict[str, PropType]:
    """The typed properties every resource has (a DuckDB store makes their columns at once)."""
    typed = typed_properties(model)
    return {p.name: typed[p.name] for p in model.kinds["resource"].props if p.name in typed}


def json_transform_spec(model: Model = MODEL, names: Iterable[str] | None = None) -> str:
    """The structure json_transform() turns `reported` into: every typed property at once (or those `names`)."""
    typed = typed_properties(model)
    chosen = typed if names is None else {name: typed[name] for name in names}
    return json.dumps({name: _transform_spec(typ) for name, typ in chosen.items()})
