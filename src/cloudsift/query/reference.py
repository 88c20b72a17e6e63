"""The reference evaluator: the meaning of a bound query, in plain Python over node documents.

It is deliberately simple and slow. Every SQL engine must return exactly what it returns;
property tests compare them on generated data.

A node document is {"id", "kinds", "reported", "ancestors": {level: {"reported": {"id", "name"}}}};
edges are (from, to, edge_type) triples.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudsift.model.types import Scalar
from cloudsift.query.binder import (
    DESCENDANT_LEVELS,
    BAggregate,
    BAll,
    BCombined,
    BContext,
    BFullText,
    BFunction,
    BId,
    BIs,
    BNot,
    BOperand,
    BoundQuery,
    BPart,
    BPredicate,
    BSort,
    BTerm,
    BWith,
    Resolved,
    bound_chain,
)
from cloudsift.query.empties import whole_test
from cloudsift.query.limits import MAX_DEPTH as MAX_DEPTH
from cloudsift.query.literals import parse_datetime
from cloudsift.query.navigation import BNavigation, Walk

Doc = Mapping[str, Any]
_IPV4 = re.compile(r"(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\Z")


def path_values(path: Resolved, node: Doc, element: Any = None) -> list[Any]:
    """The values a path yields, before a list at the leaf is opened up (None for missing)."""
    if path.root == "id":
        return [node.get("id")]
    if path.root == "kinds":
        return [node.get("kinds")]
    if path.root == "ancestor":
        assert path.ancestor is not None
        level, key = path.ancestor
        return [((node.get("ancestors") or {}).get(level) or {}).get("reported", {}).get(key)]
    if path.root == "descendants":
        counts = node.get("descendants")
        if counts is None:
            return [None]
        return [sum(counts.values()) if path.summary is None else counts.get(path.summary)]
    if path.root == "unfilled":  # nothing fills the section: null, or no values under a [*]
        return [] if any(s.index == "*" for s in path.steps) else [None]
    if path.root == "merge":
        current = [node.get("merged") or {}]
    else:
        current = [node.get("reported") if path.root == "reported" else element]
    for step in path.steps:
        following: list[Any] = []
        for value in current:
            child = value.get(step.name) if isinstance(value, dict) else None
            if step.index is None:
                following.append(child)
            elif step.index == "*":
                following.extend(elements(child))
            else:
                following.append(
                    child[step.index] if isinstance(child, list) and step.index < len(child) else None
                )
        current = following
    return current


def elements(value: Any) -> list[Any]:
    """What [*] opens: a list's elements; a value that is not a list (an object too) is a list of
    itself, as Fix treats a scalar; a missing value or null has none."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _leaf_values(path: Resolved, node: Doc, element: Any) -> list[Any]:
    out: list[Any] = []
    for value in path_values(path, node, element):
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return out


def _category(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "other"


def _typed(value: Any, typ: Any) -> Any:
    if value is not None and isinstance(typ, Scalar) and typ.name == "datetime" and isinstance(value, str):
        return parse_datetime(value)
    return value


def _equal(x: Any, v: Any, typed: bool) -> bool:
    if typed:
        return bool(x == v)
    return _category(x) == _category(v) and x == v


def _compare(x: Any, op: str, v: Any, typed: bool) -> bool:
    if op == "==":
        return _equal(x, v, typed)
    if op == "!=":
        return not _equal(x, v, typed)
    if not typed and (_category(x) != _category(v) or _category(x) == "other"):
        return False
    if op == "<":
        return bool(x < v)
    if op == "<=":
        return bool(x <= v)
    if op == ">":
        return bool(x > v)
    return bool(x >= v)


def leaf_test(x: Any, predicate: BPredicate) -> bool:
    op, value = predicate.op, predicate.value
    typed = predicate.path.typed
    x = _typed(x, predicate.path.compare_type)
    if op in ("in", "not in"):
        assert isinstance(value, tuple)
        if x is None:
            return op == "in" and None in value
        found = any(v is not None and _equal(x, v, typed) for v in value)
        return found if op == "in" else not found
    if value is None:
        return (x is None) == (op == "==")
    if x is None:
        return op == "!="
    if op in ("=~", "!~"):
        if not isinstance(x, str):
            return False
        found = re.search(str(value), x, re.IGNORECASE) is not None
        return found if op == "=~" else not found
    return _compare(x, op, value, typed)


def _quantify(modifier: str, values: Iterable[Any], test: Callable[[Any], bool]) -> bool:
    if modifier == "all":
        return all(test(v) for v in values)
    found = any(test(v) for v in values)
    return not found if modifier == "none" else found


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def ipv4_number(text: Any) -> int | None:
    match = _IPV4.match(text) if isinstance(text, str) else None
    if not match:
        return None
    octets = [int(g) for g in match.groups()]
    if any(o > 255 for o in octets):
        return None
    return (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]


def matches(term: BTerm, node: Doc, element: Any = None) -> bool:
    if isinstance(term, BAll):
        return True
    if isinstance(term, BCombined):
        first, rest = bound_chain(term)
        result = matches(first, node, element)
        for op, right in rest:
            if result != (op == "or"):  # `x and ...` with x true, `x or ...` with x false: look further
                result = matches(right, node, element)
        return result
    if isinstance(term, BNot):
        return not matches(term.term, node, element)
    if isinstance(term, BPredicate) and term.whole:
        whole = path_values(term.path, node, element)
        return _quantify(term.modifier, whole, lambda x: whole_test(x, term.op, term.value))
    if isinstance(term, BPredicate):
        values = _leaf_values(term.path, node, element)
        return _quantify(term.modifier, values, lambda x: leaf_test(x, term))
    if isinstance(term, BContext):
        elements = path_values(term.path, node, element)
        return any(matches(term.term, node, e) for e in elements)
    if isinstance(term, BFunction):
        values = _leaf_values(term.path, node, element)
        if term.name == "has_key":
            return any(isinstance(v, dict) and all(k in v for k in term.keys) for v in values)
        low, high = term.network
        return any((n := ipv4_number(v)) is not None and low <= n <= high for v in values)
    if isinstance(term, BIs):
        return (node.get("reported") or {}).get("kind") in term.kinds
    if isinstance(term, BId):
        return node.get("id") in term.ids
    if isinstance(term, BFullText):
        return any(term.text in s.lower() for s in _strings(node.get("reported")))
    raise TypeError(f"unknown term {term!r}")


@dataclass
class Graph:
    """Nodes by id and edges by type, for the reference evaluator."""

    nodes: dict[str, Doc]
    out: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    into: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @staticmethod
    def of(nodes: Iterable[Doc], edges: Iterable[tuple[str, str, str]]) -> Graph:
        graph = Graph({n["id"]: n for n in _with_descendants(list(nodes))})
        for source, target, edge_type in edges:
            graph.out.setdefault(edge_type, {}).setdefault(source, []).append(target)
            graph.into.setdefault(edge_type, {}).setdefault(target, []).append(source)
        return graph

    def navigate(self, start: Iterable[str], navigation: BNavigation) -> set[str]:
        """The union of the navigation's one-way walks, through the edges its filter accepts."""
        if navigation.edge_filter is not None and not matches(navigation.edge_filter, {}, EDGE_PROPERTIES):
            return set()  # every edge (and a walk's start, reached by no edge) has these properties
        origins = set(start)
        reached: set[str] = set()
        for walk in navigation.walks:
            reached |= self._walk(origins, walk, navigation.start, navigation.until)
        return {n for n in reached if n in self.nodes}

    def _walk(self, start: set[str], walk: Walk, lowest: int, until: int | None) -> set[str]:
        edges = self.out if walk.direction == "out" else self.into
        frontier = set(start)
        reached = set(frontier) if lowest == 0 else set()
        for depth in range(1, (MAX_DEPTH if until is None else until) + 1):
            following: set[str] = set()
            for node in frontier:
                for edge_type in walk.edge_types:
                    following.update(edges.get(edge_type, {}).get(node, ()))
            if depth >= lowest:
                reached |= following
            frontier = following
            if not frontier:
                break
        return reached


def _with_descendants(nodes: list[Doc]) -> list[Doc]:
    """Each cloud, account, region and zone with "descendants": per kind, how many nodes have it as their
    ancestor (matched by id and name, itself included), as Fix's metadata.descendant_summary."""
    out = []
    for node in nodes:
        level = next((lv for lv in DESCENDANT_LEVELS if lv in (node.get("kinds") or ())), None)
        reported = node.get("reported") or {}
        rid, name = reported.get("id"), reported.get("name")
        if level is None or not rid or not name:
            out.append(node)
            continue
        counts: dict[str, int] = {}
        for other in nodes:
            seen = ((other.get("ancestors") or {}).get(level) or {}).get("reported") or {}
            if seen.get("id") == rid and seen.get("name") == name:
                kind = str((other.get("reported") or {}).get("kind"))
                counts[kind] = counts.get(kind, 0) + 1
        out.append({**node, "descendants": counts})
    return out


# The properties of an edge: cloudsift's edges carry none but their type.
EDGE_PROPERTIES: dict[str, Any] = {}


def _with_ok(clause: BWith, node_id: str, graph: Graph) -> bool:
    reached = graph.navigate([node_id], clause.navigation)
    count = sum(
        1
        for r in reached
        if matches(clause.term, graph.nodes[r])
        and (clause.with_clause is None or _with_ok(clause.with_clause, r, graph))
    )
    if clause.kind == "empty":
        return count == 0
    if clause.kind == "any":
        return count > 0
    return _compare(count, clause.op, clause.count, True)


class _Key:
    """A sort key: nulls first ascending, last descending; code point order for strings."""

    __slots__ = ("desc", "value")

    def __init__(self, value: Any, desc: bool) -> None:
        self.value = value
        self.desc = desc

    def __lt__(self, other: _Key) -> bool:
        a, b = self.value, other.value
        if a is None or b is None:
            if self.desc:
                return b is None and a is not None
            return a is None and b is not None
        return bool(b < a) if self.desc else bool(a < b)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.value == other.value


def sort_value(path: Resolved, node: Doc) -> Any:
    return _sortable(path, path_values(path, node)[0])


def _sortable(path: Resolved, value: Any) -> Any:
    """A value as sorting and grouping see it: typed, or the text of an untyped string or boolean."""
    if not path.typed and value is not None:
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else None
    return _typed(value, path.leaf_type)


def _order(nodes: list[Doc], sort: Sequence[BSort]) -> list[Doc]:
    def key(node: Doc) -> tuple[Any, ...]:
        reported = node.get("reported") or {}
        keys = [_Key(sort_value(s.path, node), s.order == "desc") for s in sort]
        keys += [
            _Key(reported.get("kind"), False),
            _Key(reported.get("name"), False),
            _Key(node.get("id"), False),
        ]
        return tuple(keys)

    return sorted(nodes, key=key)


def _merged(part: BPart, node: Doc, graph: Graph) -> Doc:
    """The node with what its merge queries reach attached under "merged"."""
    merged: dict[str, Any] = {}
    for merge in part.merges:
        found = search(merge.query, graph, start=[node["id"]])
        if merge.query.aggregate is not None:  # the aggregate's rows, dates as text (Fix's JSON)
            merged[merge.name] = aggregate(merge.query.aggregate, found, plain=_json_plain)
        else:
            merged[merge.name] = found if merge.many else (found[0] if found else None)
    return {**node, "merged": merged}


def run_part(part: BPart, candidates: Iterable[str], graph: Graph) -> list[Doc]:
    selected = []
    for n in candidates:
        node = graph.nodes[n]
        if not matches(part.term, node):
            continue
        if part.merges:
            node = _merged(part, node, graph)  # the post term and the sort may read the merged nodes
            if not matches(part.post, node):
                continue
        if part.with_clause is None or _with_ok(part.with_clause, n, graph):
            selected.append(node)
    ordered = _order(selected, part.sort)
    if part.limit is not None:
        ordered = ordered[part.limit.offset : part.limit.offset + part.limit.count]
    if part.reverse:
        ordered.reverse()
    return [graph.nodes[d["id"]] for d in ordered]


def search(query: BoundQuery, graph: Graph, start: Iterable[str] | None = None) -> list[Doc]:
    """The nodes a query selects, in its order; `start` limits the first part to those nodes."""
    current: list[Doc] = []
    for i, part in enumerate(query.parts):
        if i == 0:
            candidates: Iterable[str] = (
                graph.nodes if start is None else [s for s in start if s in graph.nodes]
            )
        else:
            candidates = graph.navigate([n["id"] for n in current], query.navigations[i - 1])
        current = run_part(part, candidates, graph)
    return current


Binding = dict[tuple[Any, ...], Any]  # per [*] prefix of the group paths: the element of this row


def _prefixes(spec: BAggregate) -> list[tuple[Any, ...]]:
    """The [*] steps of the group paths, as their prefixes (shared by the paths that share them)."""
    found = {
        path.steps[: i + 1]
        for v in spec.group
        for path in v.paths
        for i, step in enumerate(path.steps)
        if step.index == "*"
    }
    return sorted(found, key=len)


def _descend(value: Any, steps: Sequence[Any]) -> Any:
    for step in steps:
        value = value.get(step.name) if isinstance(value, dict) else None
        if isinstance(step.index, int):
            value = value[step.index] if isinstance(value, list) and step.index < len(value) else None
    return value


def _bindings(prefixes: list[tuple[Any, ...]], node: Doc) -> list[Binding]:
    """The rows a node gives: one per combination of the elements at each [*] (none for an empty list)."""
    rows: list[Binding] = [{}]
    for prefix in prefixes:
        parent = max(
            (p for p in prefixes if len(p) < len(prefix) and prefix[: len(p)] == p), key=len, default=()
        )
        following: list[Binding] = []
        for row in rows:
            base = row[parent] if parent else node.get("reported")
            last = prefix[-1]
            holder = _descend(base, prefix[len(parent) : -1])
            opened = holder.get(last.name) if isinstance(holder, dict) else None
            for element in elements(opened):
                following.append({**row, prefix: element})
        rows = following
    return rows


def _group_value(path: Resolved, node: Doc, row: Binding, text: bool = False) -> Any:
    """A group path's value in this row: as sorting has it, or (text) as a template shows it."""
    stars = [i for i, step in enumerate(path.steps) if step.index == "*"]
    if not stars:
        value = path_values(path, node)[0]
    else:
        at = stars[-1] + 1
        value = _descend(row[path.steps[:at]], path.steps[at:])
    if text and not path.typed and isinstance(value, int | float) and not isinstance(value, bool):
        return value  # an untyped number shows its text in a template
    return _sortable(path, value)


def template_text(value: Any) -> str:
    """A value inside a group name template, as Fix's text has it: missing is empty, whole numbers have
    no fraction, a date is UTC like 2024-01-31T12:00:00Z."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):  # as the engines print a double beyond 1e15: 1e+16
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def _key(variable: Any, node: Doc, row: Binding) -> Any:
    if variable.path is not None:
        return _group_value(variable.path, node, row)
    return "".join(
        p if isinstance(p, str) else template_text(_group_value(p, node, row, text=True))
        for p in variable.template
    )


def aggregate(
    spec: BAggregate, nodes: Iterable[Doc], plain: Callable[[Any], Any] | None = None
) -> list[dict[str, Any]]:
    """Aggregate rows: {"group": {name: value}, fn name: value}; groups ordered by their values.
    `plain` writes a value out (a date: ISO text; in a merge's JSON: Fix's text)."""
    plain = plain or _plain
    groups: dict[tuple[Any, ...], list[tuple[Doc, Binding]]] = {}
    prefixes = _prefixes(spec)
    for node in nodes:
        for binding in _bindings(prefixes, node):
            key = tuple(_key(v, node, binding) for v in spec.group)
            groups.setdefault(key, []).append((node, binding))
    if not spec.group and not groups:
        groups[()] = []
    rows = []
    for key in sorted(groups, key=lambda k: tuple(_Key(v, False) for v in k)):
        members = groups[key]
        row: dict[str, Any] = {}
        if spec.group:
            row["group"] = {v.name: plain(value) for v, value in zip(spec.group, key, strict=True)}
        for fn in spec.functions:
            row[fn.name] = plain(_aggregate_one(fn.function, fn.argument, members))
        rows.append(row)
    return rows


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _json_plain(value: Any) -> Any:
    return template_text(value) if isinstance(value, dt.datetime) else value


def _aggregate_one(function: str, argument: BOperand, members: list[tuple[Doc, Binding]]) -> Any:
    if isinstance(argument, Resolved) and any(step.index == "*" for step in argument.steps):
        # through lists, as Fix: the function of each row's values, then of the rows' results (a count
        # adds up the rows' counts)
        rows = [_function_of(function, _list_values(function, argument, node, row)) for node, row in members]
        return _function_of("sum" if function == "count" else function, rows)
    nodes = [node for node, _ in members]
    if isinstance(argument, Resolved) and function == "count" and not argument.typed:
        values = [path_values(argument, m)[0] for m in nodes]  # any value present, a number too
    elif isinstance(argument, Resolved) and function in ("count", "min", "max"):
        values = [sort_value(argument, m) for m in nodes]
    elif isinstance(argument, int | float):
        values = [argument] * len(nodes)
    else:
        values = [number_of(argument, m) for m in nodes]
    return _function_of(function, values)


def _function_of(function: str, values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if function == "count":
        return len(present)
    if function == "sum":
        return sum(present)  # of nothing: 0, as in Fix
    if not present:
        return None
    if function == "avg":
        return sum(present) / len(present)
    return min(present) if function == "min" else max(present)


def _list_values(function: str, path: Resolved, node: Doc, row: Binding) -> list[Any]:
    """The values a function's path through lists reaches in one row, from the elements the row shares
    with the group paths (their longest [*] prefix) onwards: numbers for sum and avg, else as sorted."""
    shared = max((prefix for prefix in row if path.steps[: len(prefix)] == prefix), key=len, default=())
    if shared:
        values = path_values(
            dataclasses.replace(path, root="element", steps=path.steps[len(shared) :]), node, row[shared]
        )
    else:
        values = path_values(path, node)
    if function in ("sum", "avg"):
        return [v if isinstance(v, int | float) and not isinstance(v, bool) else None for v in values]
    if function == "count" and not path.typed:
        return values
    return [_sortable(path, v) for v in values]


def number_of(operand: BOperand, node: Doc) -> int | float | None:
    """An operand's number for one node: a missing operand counts as 0 inside arithmetic (AQL's rule),
    and dividing by 0 gives none."""
    if operand is None:
        return None
    if isinstance(operand, int | float):
        return operand
    if isinstance(operand, Resolved):
        value = path_values(operand, node)[0]
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    left, right = number_of(operand.left, node) or 0, number_of(operand.right, node) or 0
    if operand.op == "+":
        return left + right
    if operand.op == "-":
        return left - right
    if operand.op == "*":
        return left * right
    if right == 0:
        return None
    if operand.op == "/":
        return left / right
    if isinstance(left, int) and isinstance(right, int):  # the remainder takes the dividend's sign
        remainder = abs(left) % abs(right)
        return -remainder if left < 0 else remainder
    return math.fmod(left, right)
