"""What a query says about how it runs, besides what it selects: Fix's preamble and with_usage().

- A preamble `(edge_type=delete): …` (after `aggregate(…)` when there is one) names the edge types that
  every navigation of the query written without its own (`-->`, `<-[0:1]-`, a with() traversal, nested
  ones too) walks; a merge's query keeps walking default edges, as in Fix. Fix reads only `edge_type`
  there and applies it while parsing; so do we: the canonical text names the edge types in each
  navigation and has no preamble.
- `with_usage(3d::1d, [cpu, mem])` asks Fix for the usage metrics of a time span under `/usage`. cloudsift
  collects no usage metrics: the clause is read and checked, and `/usage` is null for every node.
"""

from __future__ import annotations

import re

from lark import Token

from cloudsift.errors import QueryError
from cloudsift.query.ast import WithUsage
from cloudsift.query.literals import parse_datetime
from cloudsift.query.navigation import EDGE_TYPES

_VALUE = r'"(?:\\.|[^"\\])*"|[^,()\s"]+'
_PAIR = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(" + _VALUE + r")\s*(,|(?=\)))")
_OPEN = re.compile(r"\s*\(")
_CLOSE = re.compile(r"\s*\)\s*:")


def split_preamble(text: str, offset: int) -> tuple[tuple[str, ...] | None, int]:
    """For `(edge_type=delete): rest` at `offset`: (the edge types, where rest starts).

    Anything else, such as a term in parentheses, is no preamble: (None, offset)."""
    opening = _OPEN.match(text, offset)
    if opening is None:
        return None, offset
    pairs: list[tuple[str, str, int]] = []
    at = opening.end()
    while (pair := _PAIR.match(text, at)) is not None:
        pairs.append((pair.group(1), pair.group(2), pair.start(1)))
        at = pair.end()
    closing = _CLOSE.match(text, at)
    if closing is None or not pairs:
        return None, offset
    edge_types: tuple[str, ...] | None = None
    for key, value, pos in pairs:
        if key != "edge_type":
            raise QueryError(
                f"{key} is not supported in a query preamble: cloudsift (like Fix) reads only edge_type there"
                + (
                    " (ancestors are read with ancestors.<kind>.reported.<property>)"
                    if "ancestor" in key
                    else ""
                ),
                text,
                pos,
            )
        names = value[1:-1] if value.startswith('"') else value
        edge_types = tuple(n.strip() for n in names.split(","))
        for name in edge_types:
            if name not in EDGE_TYPES:
                raise QueryError(
                    f"unknown edge type {name!r} in the preamble; known: {', '.join(EDGE_TYPES)}", text, pos
                )
    return edge_types, closing.end()


def usage_clause(span: Token, metrics: tuple[str, ...]) -> WithUsage:
    """with_usage(start[::end], metrics): each time a duration back from now (3d) or an ISO date-time."""
    from cloudsift.query.parser import parse_duration

    start, _, end = str(span).partition("::")
    for text in (start, end) if end else (start,):
        if text.startswith("-") or parse_duration(text) is None:
            try:
                parse_datetime(text)
            except ValueError:
                raise QueryError(
                    f"with_usage() takes a duration back from now (3d) or a date-time "
                    f"(2024-01-31T12:00:00Z), not {text!r}",
                    "",
                    span.start_pos,
                ) from None
    if not metrics:
        raise QueryError("with_usage() names one or more metrics: with_usage(3d, [cpu])", "", span.start_pos)
    return WithUsage(start, end or None, metrics)
