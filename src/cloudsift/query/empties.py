"""Comparison with the empty list `[]` and the empty object `{}`: the whole value at a path, not its elements.

Our rule (Fix compares the JSON values; a missing property is null, and null is neither):
- `p == []`: p holds a list without elements; `p != []`: anything else, a missing or null p included.
- `p == {}`: p holds an object without properties; `p != {}` likewise.
- `p in [null, []]`: p is missing, null or an empty list; `p not in [[], {}]`: p is present and neither.
- A modifier or `[*]` quantifies over the values the path yields, as for any predicate
  (`a[*].b all == []`: every element's b is an empty list; true when there are no elements).
Only the empty list and object compare as a whole: other list or object literals are refused, and so
is a list of values that mixes them with anything but null; a non-empty list inside an in-list stands for
its values (in_list_values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from cloudsift.errors import QueryError
from cloudsift.model import ListOf, PropType, StringMap, Struct
from cloudsift.query.ast import Value


@dataclass(frozen=True)
class Empty:
    kind: Literal["list", "object"]

    def holds(self, value: Any) -> bool:
        wanted = list if self.kind == "list" else dict
        return isinstance(value, wanted) and not value

    def __str__(self) -> str:
        return "[]" if self.kind == "list" else "{}"


EMPTY_LIST = Empty("list")
EMPTY_OBJECT = Empty("object")


def in_list_values(op: str, value: Value) -> Value:
    """`Action in ["*", ["*"]]`, as Fix's checks write it for a value that is a string or a list: a
    non-empty list of plain values inside an in-list stands for its values. A list value opens at the leaf
    anyway (["*"] matches through its element "*"), so this is `Action in ["*"]`; where Fix compares the
    whole list, ["*", "s3:Get"] matches here too."""
    if op not in ("in", "not in") or not isinstance(value, tuple):
        return value
    flat: list[Value] = []
    for member in value:
        if isinstance(member, tuple) and member and not any(isinstance(m, tuple | dict) for m in member):
            flat.extend(m for m in member if m not in flat)
        elif member not in flat or isinstance(member, tuple | dict):
            flat.append(member)
    return tuple(flat)


def compares_whole(op: str, value: Value) -> bool:
    """Whether the predicate compares the whole value: a list or object literal, or one in an in-list."""
    if op in ("in", "not in"):
        return isinstance(value, tuple) and any(isinstance(v, tuple | dict) for v in value)
    return isinstance(value, tuple | dict)


def bind_whole(
    op: str, value: Value, leaf: PropType | None, path: str, error: Callable[[str], QueryError]
) -> object:
    """The bound value: an Empty for == and !=, a tuple of Empty and None for in and not in."""
    if op in ("in", "not in"):
        assert isinstance(value, tuple)
        members = value
    elif op in ("==", "!="):
        members = (value,)
    else:
        raise error(f"[] and {{}} compare only with ==, !=, in and not in, not {op}")
    bound: list[Empty | None] = []
    for member in members:
        if member is None:
            bound.append(None)
            continue
        if not isinstance(member, tuple | dict):
            raise error(f"a list of values cannot mix [] or {{}} with other values: {path} {op} [...]")
        if member and op in ("==", "!="):
            raise error(
                f"a list or object value needs `in` or `not in` ({path} in [a, b]); only the empty list [] "
                "and the empty object {} compare as a whole"
            )
        if member:
            raise error(
                f"only the empty list [] and the empty object {{}} compare as a whole: {path} {op} [...]"
            )
        empty = EMPTY_LIST if isinstance(member, tuple) else EMPTY_OBJECT
        _check_type(empty, leaf, path, error)
        bound.append(empty)
    return tuple(bound) if op in ("in", "not in") else bound[0]


def _check_type(empty: Empty, leaf: PropType | None, path: str, error: Callable[[str], QueryError]) -> None:
    if leaf is None:
        return
    if empty.kind == "list" and not isinstance(leaf, ListOf):
        raise error(f"{path} is a {leaf}, never a list: it cannot be []")
    if empty.kind == "object" and isinstance(leaf, Struct):
        raise error(f"{path} is an object with fixed properties: compare one of them instead of {{}}")
    if empty.kind == "object" and not isinstance(leaf, StringMap):
        raise error(f"{path} is a {leaf}, never an object: it cannot be {{}}")


def whole_test(x: Any, op: str, value: object) -> bool:
    """The reference meaning for one value x (None: missing or null)."""
    if op in ("in", "not in"):
        assert isinstance(value, tuple)
        if x is None:
            return op == "in" and None in value
        found = any(isinstance(v, Empty) and v.holds(x) for v in value)
        return found if op == "in" else not found
    assert isinstance(value, Empty)
    return value.holds(x) == (op == "==")
