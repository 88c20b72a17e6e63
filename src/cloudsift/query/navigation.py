"""Navigations: reading `-[a:b]->`, `<-in[..]{filter}out->` and binding them into walks.

As in Fix Inventory, a two-way navigation `<-a[..]b->` is the union of two one-way walks: inwards
over the edge types on its left, outwards over those on its right (the left ones when it names none).
It does not zig-zag: `<-[1:]->` reaches a node's ancestors and descendants, not its siblings.

An edge filter `-{term}->` tests each edge's properties, with the null rules of a missing property.
cloudsift's edges carry none (only their type), so every edge reads as an empty document: the
filter either keeps every edge (`-{foo != bar}->`, `-{foo == null}->`) or none, and then the
navigation reaches nothing, not even the start of `-[0:]->`, as in Fix where a walk's first
vertex is also filtered through its (missing) edge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from cloudsift.errors import QueryError
from cloudsift.query import ast
from cloudsift.query.limits import MAX_DEPTH

if TYPE_CHECKING:
    from cloudsift.query.binder import BTerm

# Fix's EdgeTypes.all. The collector draws default and delete edges; iam edges come only from an
# imported graph (Fix draws them between principals and what they may reach), and are walked alike.
EDGE_TYPES = ("default", "delete", "iam")

_TYPES = r"([a-z_]+(?:,[a-z_]+)*)?"
_RANGE = r"(?:\[(\d*)(?::(\d*))?\])?"
_PLAIN = re.compile(rf"(<?)-{_TYPES}{_RANGE}{_TYPES}-(>?)\Z")
_OPEN = re.compile(rf"(<?)-{_TYPES}{_RANGE}\{{\Z")
_CLOSE = re.compile(rf"{_TYPES}-(>?)\Z")
_KNOWN = "(?:" + "|".join(EDGE_TYPES) + ")"
_JOINED = re.compile(rf"({_KNOWN}(?:,{_KNOWN})*)({_KNOWN}(?:,{_KNOWN})*)\Z")


@dataclass(frozen=True)
class Walk:
    """One single-direction walk over some edge types."""

    direction: Literal["out", "in"]
    edge_types: tuple[str, ...]


@dataclass(frozen=True)
class BNavigation:
    """A bound navigation: the union of its walks from `start` to `until` steps, through the edges
    its filter accepts (None: every edge)."""

    start: int
    until: int | None
    walks: tuple[Walk, ...]
    edge_filter: BTerm | None = None

    @staticmethod
    def plain(
        start: int, until: int | None, edge_types: tuple[str, ...], direction: ast.Direction
    ) -> BNavigation:
        return bind_navigation(ast.Navigation(start, until, edge_types, direction), _no_filter)


def _no_filter(term: ast.Term) -> BTerm:
    raise AssertionError("a plain navigation has no edge filter")


def bind_navigation(navigation: ast.Navigation, bind_filter: Callable[[ast.Term], BTerm]) -> BNavigation:
    walks: tuple[Walk, ...]
    if navigation.direction == "inout":
        outwards = navigation.out_edge_types or navigation.edge_types
        walks = (Walk("in", navigation.edge_types), Walk("out", outwards))
    else:
        walks = (Walk(navigation.direction, navigation.edge_types),)
    edge_filter = None if navigation.edge_filter is None else bind_filter(navigation.edge_filter)
    return BNavigation(navigation.start, navigation.until, walks, edge_filter)


def edge_filter_paths(term: ast.Term) -> list[ast.Path]:
    """The absolute paths of an edge filter (refused: its paths are relative to the edge)."""
    found: list[ast.Path] = []
    stack: list[ast.Term] = [term]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.CombinedTerm):
            stack += [current.left, current.right]
        elif isinstance(current, ast.NotTerm):
            stack.append(current.term)
        elif isinstance(current, ast.ContextTerm | ast.Predicate | ast.FunctionTerm):
            if current.path.absolute:
                found.append(current.path)
            if isinstance(current, ast.ContextTerm):
                stack.append(current.term)
    return found


def read_navigation(
    text: str, pos: int, edge_filter: ast.Term | None = None, close: str = ""
) -> ast.Navigation:
    """The navigation of a token (`<-default[1:]delete->`), or of the two tokens around an edge
    filter (`<-default[1:]{` and `delete->`)."""
    if edge_filter is None:
        match = _PLAIN.match(text)
        if not match:
            raise QueryError(f"cannot read the navigation {text}", "", pos)
        left, before, start, until, after, right = match.groups()
    else:
        opening, closing = _OPEN.match(text), _CLOSE.match(close)
        if not opening or not closing:
            raise QueryError(f"cannot read the navigation {text}…{close}", "", pos)
        left, before, start, until = opening.groups()
        after, right = closing.groups()
    if not (left or right):
        raise QueryError(
            f"a navigation needs a direction: --> <-- or <-->, not {text}{'…' + close if close else ''}",
            "",
            pos,
        )
    direction: ast.Direction = "inout" if left and right else ("in" if left else "out")
    if direction == "inout" and before and not after and start is None and (both := _JOINED.match(before)):
        before, after = both.groups()  # Fix reads <-defaultdelete-> as <-default[1]delete->
    if before and after and direction != "inout":
        raise QueryError(
            "a one-way navigation names its edge types before or after [start:until], not both", "", pos
        )
    inwards = _edge_types(before or (after if direction != "inout" else None), pos)
    outwards = _edge_types(after, pos) if direction == "inout" and after else None
    lo: int = 1
    hi: int | None = 1
    if start is not None:
        lo = _depth(start, pos) if start else 0
        hi = lo if until is None else (_depth(until, pos) if until else None)
    if hi is not None and hi < lo:
        raise QueryError(f"navigation depth [{lo}:{hi}] ends before it starts", "", pos)
    if outwards == inwards:
        outwards = None  # <-default[1:]default-> is <-[1:]->
    return ast.Navigation(lo, hi, inwards, direction, outwards, edge_filter)


def refuse_malformed(text: str, pos: int) -> QueryError:
    """`<--delete->`, `-delete-->`: a dash too many around the edge types, which Fix refuses too (it reads
    `<--` and then `delete->`). The error names what the navigation may mean."""
    meant = [text.replace("--", "-", 1)]
    if text.startswith("<") and text.endswith(">") and "[" not in text:
        edges = text.strip("<->")
        # the dash too many stands where the other side's (default) edge types would be
        meant.append(f"<-[1]{edges}->" if text.startswith("<--") else f"<-{edges}[1]default->")
    readings = []
    for candidate in meant:
        try:
            readings.append(candidate + _reading(read_navigation(candidate, pos)))
        except QueryError:  # -delete[1]default-> names both sides of a one-way navigation
            continue
    said = f"; write {' or '.join(readings)}" if readings else " (-delete->, <-[1:]delete->)"
    return QueryError(f"{text} is not a navigation: its edge types go between single dashes{said}", "", pos)


def _reading(navigation: ast.Navigation) -> str:
    if navigation.direction != "inout":
        return ""
    inwards = ",".join(navigation.edge_types)
    if navigation.out_edge_types is None:
        return f" ({inwards} edges both ways)"
    return f" ({inwards} edges inwards, {','.join(navigation.out_edge_types)} outwards)"


def _edge_types(text: str | None, pos: int) -> tuple[str, ...]:
    if not text:
        return ("default",)
    types: list[str] = []
    for edge in text.split(","):
        if edge not in EDGE_TYPES:
            raise QueryError(f"unknown edge type {edge!r}; known: {', '.join(EDGE_TYPES)}", "", pos)
        if edge not in types:
            types.append(edge)
    return tuple(types)


def _depth(text: str, pos: int) -> int:
    value = int(text)
    if value > MAX_DEPTH:
        raise QueryError(
            f"a navigation walks at most {MAX_DEPTH} steps, not {value} (write [1:] for all the way)", "", pos
        )
    return value
