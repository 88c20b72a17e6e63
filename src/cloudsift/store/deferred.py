"""Deferred edges: lines of a Fix Inventory export that name an edge's ends by node id or by a search.

Fix's collectors write them for what a collector cannot see itself (a trail of another region, the
account of an organization): `{"from_selector": {"node_id": ...} | {"search_criteria": ...},
"to_selector": ..., "edge_type": ...}`. They are resolved once the file's nodes are in the store; one
whose ends find nothing is reported, not refused: the node it points at may come with a later import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from cloudsift.errors import CloudsiftError, ImportError_
from cloudsift.frozen import frozen
from cloudsift.query.navigation import EDGE_TYPES

_SELECTORS = ("node_id", "search_criteria")
# Fix's searches say `reported.arn`; in cloudsift a relative path already is in reported
_SECTION = re.compile(r"(?<![\w./])reported\.")


@frozen
class Selector:
    by: str  # node_id or search_criteria
    value: str

    def __str__(self) -> str:
        return self.value if self.by == "node_id" else f"search {self.value!r}"

    @property
    def query(self) -> str:
        """The search in cloudsift's language (Fix's `reported.` section prefix made absolute)."""
        return _SECTION.sub("/reported.", self.value)


@frozen
class DeferredEdge:
    line: int
    source: Selector
    target: Selector
    edge_type: str


def edge_type_of(value: Any, line: int) -> str:
    """An edge's type: default when the line has none (Fix writes none for default edges)."""
    if value is None or value == "":
        return "default"
    if value not in EDGE_TYPES:
        raise ImportError_(f"unknown edge_type {value!r}; known: {', '.join(EDGE_TYPES)}", line)
    return str(value)


def deferred_edge(doc: dict[str, Any], line: int) -> DeferredEdge:
    """A deferred-edge line, checked: each selector names a node id or a search, as a string."""
    ends = []
    for key in ("from_selector", "to_selector"):
        selector = doc.get(key)
        found = [s for s in _SELECTORS if isinstance(selector, dict) and s in selector]
        if len(found) != 1 or not isinstance(selector[found[0]], str) or not selector[found[0]]:  # type: ignore[index]
            raise ImportError_(f'{key} should be {{"node_id": "..."}} or {{"search_criteria": "..."}}', line)
        ends.append(Selector(found[0], selector[found[0]]))  # type: ignore[index]
    return DeferredEdge(line, ends[0], ends[1], edge_type_of(doc.get("edge_type"), line))


@frozen
class Resolution:
    edges: list[tuple[str, str, str]]
    unresolved: tuple[str, ...]  # one sentence per deferred edge that found no end


def resolve(
    deferred: Iterable[DeferredEdge],
    existing: Callable[[list[str]], set[str]],
    search: Callable[[str], list[str]],
) -> Resolution:
    """The edges the deferred lines stand for: `existing` tells which node ids are in the store,
    `search` runs a query and gives the ids it finds (it raises CloudsiftError for a query it refuses)."""
    deferred = list(deferred)
    ids = sorted({s.value for d in deferred for s in (d.source, d.target) if s.by == "node_id"})
    known = existing(ids) if ids else set()
    found: dict[str, list[str] | str] = {}  # a search's ids, or why it failed

    def ends(selector: Selector) -> list[str] | str:
        if selector.by == "node_id":
            return [selector.value] if selector.value in known else "no such node"
        if selector.value not in found:
            try:
                found[selector.value] = search(selector.query) or "the search finds nothing"
            except CloudsiftError as e:
                found[selector.value] = f"the search is refused: {e}"
        return found[selector.value]

    edges: dict[tuple[str, str, str], None] = {}
    unresolved: list[str] = []
    for edge in deferred:
        sources, targets = ends(edge.source), ends(edge.target)
        if isinstance(sources, str) or isinstance(targets, str):
            end, why = (edge.source, sources) if isinstance(sources, str) else (edge.target, targets)
            unresolved.append(f"line {edge.line}: {end}: {why}")
            continue
        for source in sources:
            for target in targets:
                if source != target:
                    edges[(source, target, edge.edge_type)] = None
    return Resolution(list(edges), tuple(unresolved))
