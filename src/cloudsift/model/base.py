"""Kinds as code: each kind is a class whose annotations are its typed properties.

A kind's base kinds are its Python base classes; `Model` turns the classes into
`Kind` records, checks that a property name has one type everywhere, and answers
questions about kinds and properties with did-you-mean errors.
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from cloudsift.errors import UsageError, did_you_mean
from cloudsift.model.types import (
    BOOL,
    DATETIME,
    FLOAT,
    INT,
    STRING,
    ListOf,
    Prop,
    PropType,
    StringMap,
    Struct,
)

_STRUCTS: dict[type, Struct] = {}


def struct(cls: type) -> type:
    """Declare a class as a named struct (a nested object type) of the model."""
    _STRUCTS[cls] = Struct(_snake(cls.__name__), tuple(_props_of(cls)), inspect.cleandoc(cls.__doc__ or ""))
    return cls


def _snake(name: str) -> str:
    out = [name[0].lower()]
    for ch in name[1:]:
        out.append(f"_{ch.lower()}" if ch.isupper() else ch)
    return "".join(out)


# Each annotation's text evaluated once per module: the model's 1,500 annotations are 276 texts ("str"
# 600 times), and evaluating every one was a quarter of importing the model.
_EVALUATED: dict[tuple[str, str], Any] = {}


def _evaluated(module: str, annotation: Any) -> Any:
    if not isinstance(annotation, str):
        return annotation
    key = (module, annotation)
    if key not in _EVALUATED:
        _EVALUATED[key] = eval(annotation, vars(sys.modules[module]))  # the model's own code
    return _EVALUATED[key]


def _prop_type(annotation: Any) -> PropType:
    scalars: dict[Any, PropType] = {str: STRING, int: INT, float: FLOAT, bool: BOOL, dt.datetime: DATETIME}
    if annotation in scalars:
        return scalars[annotation]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list:
        return ListOf(_prop_type(args[0]))
    if origin is dict and args == (str, str):
        return StringMap()
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return _prop_type(rest[0])
    if annotation in _STRUCTS:
        return _STRUCTS[annotation]
    raise TypeError(f"unsupported property annotation {annotation!r}")


def _props_of(cls: type) -> list[Prop]:
    # Only the class's own annotations are evaluated: typing.get_type_hints would evaluate every base
    # class's again for each kind (a third of the command line's start-up).
    own = {name: _evaluated(cls.__module__, text) for name, text in inspect.get_annotations(cls).items()}
    docs: dict[str, str] = cls.__dict__.get("prop_docs", {})
    return [
        Prop(name, _prop_type(hint), docs.get(name, ""))
        for name, hint in own.items()
        if typing.get_origin(hint) is not ClassVar and name != "prop_docs"
    ]


@dataclass(frozen=True)
class Kind:
    """A kind of node: its name, direct base kinds, own properties and documentation."""

    name: str
    bases: tuple[str, ...]
    props: tuple[Prop, ...]
    doc: str
    abstract: bool
    untyped: tuple[str, ...] = ()  # properties kept as the provider wrote them (policy documents)


class Model:
    """All kinds, their base kinds and the single type of every property name."""

    def __init__(self, kinds: Iterable[Kind]) -> None:
        self.kinds: dict[str, Kind] = {k.name: k for k in kinds}
        self.properties: dict[str, PropType] = {}
        # searchable though not typed: a query may name them before any resource carries them
        self.untyped: frozenset[str] = frozenset(n for k in self.kinds.values() for n in k.untyped)
        for kind in self.kinds.values():
            for base in kind.bases:
                if base not in self.kinds:
                    raise TypeError(f"kind {kind.name} has unknown base {base}")
            for prop in kind.props:
                known = self.properties.setdefault(prop.name, prop.type)
                if known != prop.type:
                    raise TypeError(f"property {prop.name} has two types: {known} and {prop.type}")

    def kind(self, name: str) -> Kind:
        try:
            return self.kinds[name]
        except KeyError:
            raise UsageError(f"unknown kind {name!r}.{did_you_mean(name, self.kinds)}") from None

    def kinds_of(self, name: str) -> tuple[str, ...]:
        """The kind and all its base kinds, nearest first."""
        return self._kinds_of[name]

    @cached_property
    def _kinds_of(self) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        for name in self.kinds:
            order: list[str] = []
            queue = [name]
            while queue:
                current = queue.pop(0)
                if current not in order:
                    order.append(current)
                    queue.extend(self.kinds[current].bases)
            result[name] = tuple(order)
        return result

    def subkinds(self, name: str) -> tuple[str, ...]:
        """Every kind that is `name` or has it as a base, sorted."""
        return tuple(sorted(k for k, bases in self._kinds_of.items() if name in bases))

    def props_of(self, name: str) -> tuple[Prop, ...]:
        """Every property of a kind, its own and inherited, base kinds' first."""
        seen: dict[str, Prop] = {}
        for kind in reversed(self.kinds_of(name)):
            for prop in self.kinds[kind].props:
                seen[prop.name] = prop
        return tuple(seen.values())

    def property_type(self, name: str) -> PropType | None:
        return self.properties.get(name)


def kind_from_class(cls: type) -> Kind:
    bases = tuple(b.__dict__["kind"] for b in cls.__bases__ if "kind" in b.__dict__)
    return Kind(
        name=cls.__dict__["kind"],
        bases=bases,
        props=tuple(_props_of(cls)),
        doc=inspect.cleandoc(cls.__doc__ or ""),
        abstract=bool(cls.__dict__.get("abstract", False)),
        untyped=tuple(cls.__dict__.get("untyped", ())),
    )


def model_from_classes(classes: Iterable[type]) -> Model:
    return Model(kind_from_class(cls) for cls in classes)
