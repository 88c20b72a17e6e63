"""Statements over many rows at once, the same text for both engines: a run that decides a thousand
alerts writes them in a few statements, not a thousand (each statement costs a round trip on PostgreSQL
and a plan on DuckDB). Only placeholders are generated; values are always bound."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from cloudsift.store.base import Store

T = TypeVar("T")
# Rows per statement: well below PostgreSQL's 65,535 parameters for the widest table written so.
ROWS_PER_STATEMENT = 400


def chunks(items: Sequence[T], size: int = ROWS_PER_STATEMENT) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    """`(?, ?, …)` for `count` values."""
    return "(" + ", ".join("?" * count) + ")"


def insert_rows(store: Store, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
    """`head VALUES (…), (…) tail` over every row, a chunk per statement (`tail`: an ON CONFLICT clause)."""
    for chunk in chunks(rows):
        values = ", ".join(marks(len(row)) for row in chunk)
        store.execute(f"{head} VALUES {values} {tail}", [value for row in chunk for value in row])


def select_in(store: Store, sql: str, before: Sequence[Any], values: Sequence[Any],
              after: Sequence[Any] = ()) -> list[tuple[Any, ...]]:  # fmt: skip
    """The rows of `sql`, whose `{marks}` is an IN list of `values`, a chunk per statement."""
    rows: list[tuple[Any, ...]] = []
    for chunk in chunks(values):
        rows += store.execute(sql.format(marks=marks(len(chunk))), [*before, *chunk, *after])
    return rows
