"""What a config file or the environment sets, validated by pydantic models made from the tables'
declarations (cloudsift/config.py): types, bounds, unknown keys and each key's check, in pydantic's words.

Imported only when there is something to validate, so a line run without a config file or CLOUDSIFT_*
variables never imports pydantic (about 450 M instructions, a third of a one-shot `cloudsift -c`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, create_model, field_validator

from cloudsift.config import Secret, Table, is_table, keys
from cloudsift.errors import ConfigError

_T = TypeVar("_T", bound=Table)


def validate(table: type[_T], data: Mapping[str, Any], sources: Mapping[tuple[str, ...], str]) -> _T:
    """`table` made from `data`; the first problem as a ConfigError naming the key (or the variable in
    `sources` that set it)."""
    try:
        checked = model_of(table).model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = tuple(str(p) for p in first["loc"])
        key = sources.get(loc) or ".".join(loc)
        raise ConfigError(key, first["msg"].removeprefix("Value error, ")) from None  # a check's own words
    return _table(table, checked)


def model_of(table: type[Table]) -> type[BaseModel]:
    """The pydantic model of `table`: every key with its type, default, bounds and check; no other key."""
    if table not in _MODELS:
        _MODELS[table] = _model(table)
    return _MODELS[table]


def _model(table: type[Table]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    validators: dict[str, Any] = {}
    for key, annotation in keys(table):
        name = _name(key.name)
        options: dict[str, Any] = {**key.metadata["bounds"], "alias": key.name if name != key.name else None}
        if key.default_factory is not dataclasses.MISSING:
            spec = Field(default_factory=key.default_factory, **options)
        else:
            spec = Field(key.default, **options)
        fields[name] = (_type(annotation), spec)
        if key.metadata["check"] is not None:
            validators[f"_check_{name}"] = field_validator(name)(_runner(key.metadata["check"]))
    model: type[BaseModel] = create_model(
        table.__name__, __config__=ConfigDict(extra="forbid"), __validators__=validators, **fields
    )
    return model


_MODELS: dict[type[Table], type[BaseModel]] = {}


def _name(key: str) -> str:
    """The model's name of a key: `schema` would shadow BaseModel.schema (the key stays its alias)."""
    return f"{key}_" if hasattr(BaseModel, key) else key


def _type(annotation: Any) -> Any:
    if is_table(annotation):
        return model_of(annotation)
    if annotation == (Secret | None):
        return SecretStr | None
    return annotation


def _runner(check: Callable[[Any], Any]) -> Any:
    def run(cls: type[BaseModel], value: Any) -> Any:
        return check(value)

    return classmethod(run)


def _table(table: type[_T], checked: BaseModel) -> _T:
    """The table of a validated model (a key not given holds its default, already a table's value)."""
    values: dict[str, Any] = {}
    for key, annotation in keys(table):
        value = getattr(checked, _name(key.name))
        if isinstance(value, BaseModel):
            value = _table(annotation, value)
        elif isinstance(value, SecretStr):
            value = Secret(value.get_secret_value())
        values[key.name] = value
    return table(**values)
