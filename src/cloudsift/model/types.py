"""The types a property can have: scalars, lists, string maps and named structs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ScalarName = Literal["string", "int", "float", "bool", "datetime"]


@dataclass(frozen=True)
class Scalar:
    name: ScalarName

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class ListOf:
    item: PropType

    def __str__(self) -> str:
        return f"{self.item}[]"


@dataclass(frozen=True)
class StringMap:
    def __str__(self) -> str:
        return "dictionary[string, string]"


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType
    doc: str = ""


@dataclass(frozen=True)
class Struct:
    name: str
    fields: tuple[Prop, ...]
    doc: str = ""

    def __str__(self) -> str:
        return self.name

    def field(self, name: str) -> Prop | None:
        for prop in self.fields:
            if prop.name == name:
                return prop
        return None


PropType = Scalar | ListOf | StringMap | Struct

STRING = Scalar("string")
INT = Scalar("int")
FLOAT = Scalar("float")
BOOL = Scalar("bool")
DATETIME = Scalar("datetime")
