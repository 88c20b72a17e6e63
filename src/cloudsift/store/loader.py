"""Reading an import file: validate every line, resolve ancestors, prepare rows. Nothing is written here.

The whole file is checked before anything is committed, so a bad line imports nothing. A graph exported
by Fix Inventory imports as it is: a kind cloudsift does not model comes in as a generic resource (its
kind kept; a property whose value does not fit cloudsift's type for that name is left out), a node id
given twice keeps its last line, an edge without edge_type is a default edge, and deferred edges (see
store/deferred.py) are kept for the store to resolve once the nodes are in. A store may take
each node's row as soon as its line is checked (`scan(lines, rows=...)`) and keep only the graph's shape
in memory; the ancestors come once every line is read (`finish`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from cloudsift.errors import ImportError_
from cloudsift.model import MODEL, ListOf, Model, PropType, Scalar, StringMap, Struct
from cloudsift.query.navigation import EDGE_TYPES
from cloudsift.store.deferred import DeferredEdge, deferred_edge, edge_type_of
from cloudsift.store.known import LEVELS, Known

__all__ = ["EDGE_TYPES", "LEVELS", "Batch", "GraphReader", "Known", "NodeRow", "generic_kind_error"]

_KIND_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
# One line is one node or edge: its size and nesting are bounded alike on both engines
# (DuckDB's read_json takes the size as maximum_object_size; orjson stops at this depth).
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 1024
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:\d{2})?\Z")
_INT_RANGE = (-(2**63), 2**63 - 1)


def _parse(line: bytes | str, number: int) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as e:
        if "depth limit" in str(e):
            raise ImportError_(f"JSON nested more than {MAX_DEPTH} levels deep", number) from None
        raise ImportError_(f"malformed JSON: {e}", number) from None


@dataclass
class Batch:
    """What an import writes: columns of node values, edges, and the clouds it covers."""

    ids: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    kind_lists: list[list[str]] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)
    fulltext: list[str] = field(default_factory=list)
    ancestors: dict[str, list[str | None]] = field(default_factory=dict)
    cloud_nodes: list[str | None] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    clouds: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)
    generic: dict[str, int] = field(default_factory=dict)  # kinds cloudsift does not model: nodes of each
    left_out: dict[str, int] = field(default_factory=dict)  # "kind.property" that did not fit: how often
    duplicates: int = 0  # node lines whose id an earlier line had (the last one is kept)
    deferred: list[DeferredEdge] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


def type_error(value: Any, typ: PropType, where: str) -> str | None:
    """Why `value` is not a `typ` (None when it is). Null is allowed anywhere."""
    if value is None:
        return None
    if isinstance(typ, Scalar):
        name = typ.name
        ok = (
            (name == "string" and isinstance(value, str))
            or (
                name == "int"
                and isinstance(value, int)
                and not isinstance(value, bool)
                and _INT_RANGE[0] <= value <= _INT_RANGE[1]
            )
            or (name == "float" and isinstance(value, int | float) and not isinstance(value, bool))
            or (name == "bool" and isinstance(value, bool))
            or (name == "datetime" and isinstance(value, str) and _valid_datetime(value))
        )
        if ok:
            return None
        expected = "an ISO 8601 date/time string" if name == "datetime" else f"a {name}"
        return f"{where} should be {expected}, not {orjson.dumps(value).decode()[:60]}"
    if isinstance(typ, ListOf):
        if not isinstance(value, list):
            return f"{where} should be a list of {typ.item}"
        for i, item in enumerate(value):
            error = type_error(item, typ.item, f"{where}[{i}]")
            if error:
                return error
        return None
    if isinstance(typ, StringMap):
        if not isinstance(value, dict) or not all(isinstance(v, str) or v is None for v in value.values()):
            return f"{where} should be a map of strings"
        return None
    assert isinstance(typ, Struct)
    if not isinstance(value, dict):
        return f"{where} should be an object ({typ.name})"
    for prop in typ.fields:
        error = type_error(value.get(prop.name), prop.type, f"{where}.{prop.name}")
        if error:
            return error
    return None


def _valid_datetime(text: str) -> bool:
    if not _DATETIME.match(text):
        return False
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


Check = Callable[[Any], bool]


def checker(typ: PropType) -> Check:
    """A fast yes/no check that `type_error` agrees with; the message comes from `type_error`."""
    if isinstance(typ, Scalar):
        name = typ.name
        if name == "string":
            return lambda v: v is None or type(v) is str
        if name == "int":
            return lambda v: v is None or (type(v) is int and _INT_RANGE[0] <= v <= _INT_RANGE[1])
        if name == "float":
            return lambda v: v is None or type(v) is float or type(v) is int
        if name == "bool":
            return lambda v: v is None or type(v) is bool
        return lambda v: v is None or (type(v) is str and _valid_datetime(v))
    if isinstance(typ, ListOf):
        item = checker(typ.item)
        return lambda v: v is None or (type(v) is list and all(item(x) for x in v))
    if isinstance(typ, StringMap):
        return lambda v: (
            v is None or (type(v) is dict and all(x is None or type(x) is str for x in v.values()))
        )
    fields = [(f.name, checker(f.type)) for f in typ.fields]
    return lambda v: v is None or (type(v) is dict and all(check(v.get(name)) for name, check in fields))


def strings_of(value: Any, out: list[str]) -> None:
    """Every string value (not keys) inside value, lower-cased, depth first."""
    stack = [value]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is str:
            out.append(current.lower())
        elif kind is dict:
            stack.extend(reversed(current.values()))
        elif kind is list:
            stack.extend(reversed(current))


def generic_kind_error(kind: str) -> str | None:
    """Why `kind`, which the model does not have, cannot be a generic resource's kind (None: it can)."""
    if not _KIND_NAME.match(kind):
        return f"kind {kind!r} is not a kind name (letters, digits and _)"
    return None


@dataclass(frozen=True)
class _Node:
    line: int
    index: int  # its place in the batch's columns
    kind: str
    rid: str | None
    name: str | None


@dataclass(frozen=True)
class _KindInfo:
    kinds: list[str]  # shared by every node of the kind
    abstract: bool
    is_cloud: bool
    literal: str  # the kinds as a PostgreSQL array literal (kind names are plain identifiers)


# A node's row as it is read: id, kind, kinds (an array literal), reported (JSON text), full text.
NodeRow = tuple[str, str, str, str, str]


@dataclass
class Scan:
    """What reading the lines left for `finish`: the batch so far and the graph's shape."""

    batch: Batch
    nodes: dict[str, _Node]
    roots: set[str]
    edge_lines: list[tuple[int, str, str, str]]


class GraphReader:
    """Validates the lines of one import file and turns them into a Batch."""

    def __init__(self, model: Model = MODEL) -> None:
        self.model = model
        self.level_of = {k: next((b for b in model.kinds_of(k) if b in LEVELS), None) for k in model.kinds}
        self.info = {}
        for k in model.kinds:
            kinds = list(model.kinds_of(k))
            self.info[k] = _KindInfo(
                kinds, model.kinds[k].abstract, "cloud" in kinds, "{" + ",".join(kinds) + "}"
            )
        self.checks = {name: checker(typ) for name, typ in model.properties.items()}
        self.info_generic: dict[str, _KindInfo] = {}

    def read(self, lines: Iterable[bytes | str], lookup: Callable[[list[str]], dict[str, Known]]) -> Batch:
        return self.finish(self.scan(lines), lookup)

    def scan(self, lines: Iterable[bytes | str], rows: Callable[[NodeRow], Any] | None = None) -> Scan:
        """Check every line. Each node's row goes to `rows` when given (the batch then keeps only ids and
        kinds), else into the batch."""
        found = Scan(Batch(), {}, {"root"}, [])
        batch, nodes, roots, edge_lines = found.batch, found.nodes, found.roots, found.edge_lines
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_BYTES:
                raise ImportError_(
                    f"the line holds {len(line) / 2**20:.0f} MB; one node or edge may take at most "
                    f"{MAX_LINE_BYTES // 2**20} MB",
                    number,
                )
            doc = _parse(line, number)
            if not isinstance(doc, dict):
                raise ImportError_("expected a JSON object (a node or an edge)", number)
            if "reported" in doc:
                self._node(doc, number, batch, nodes, roots, rows)
            elif "from" in doc and "to" in doc:
                source, target = doc["from"], doc["to"]
                if not isinstance(source, str) or not isinstance(target, str):
                    raise ImportError_("an edge's from and to must be node ids (strings)", number)
                edge_lines.append((number, source, target, edge_type_of(doc.get("edge_type"), number)))
            elif "from_selector" in doc or "to_selector" in doc:
                batch.deferred.append(deferred_edge(doc, number))
            else:
                raise ImportError_(
                    'expected a node {"id", "reported"}, an edge {"from", "to"} or a deferred edge '
                    '{"from_selector", "to_selector"}',
                    number,
                )
        return found

    def finish(self, scan: Scan, lookup: Callable[[list[str]], dict[str, Known]]) -> Batch:
        """Check the edges against the nodes read and those in the store (`lookup`); resolve ancestors."""
        batch, nodes, roots, edge_lines = scan.batch, scan.nodes, scan.roots, scan.edge_lines
        parents: dict[str, list[str]] = {}
        unknown = sorted(
            {n for _, s, t, _ in edge_lines for n in (s, t) if n not in nodes and n not in roots}
        )
        known = lookup(unknown) if unknown else {}
        seen_edges: set[tuple[str, str, str]] = set()
        for number, source, target, edge_type in edge_lines:
            if source in roots:
                continue
            for end in (source, target):
                if end not in nodes and end not in known:
                    raise ImportError_(f"edge points at unknown node {end!r}", number)
            key = (source, target, edge_type)
            if key in seen_edges:
                continue
            seen_edges.add(key)
            batch.edges.append(key)
            if edge_type == "default" and target in nodes:
                parents.setdefault(target, []).append(source)
        self._ancestors(batch, nodes, parents, known)
        return batch

    def _node(
        self,
        doc: dict[str, Any],
        number: int,
        batch: Batch,
        nodes: dict[str, _Node],
        roots: set[str],
        rows: Callable[[NodeRow], Any] | None,
    ) -> None:
        node_id, reported = doc.get("id"), doc.get("reported")
        if not isinstance(node_id, str) or not node_id:
            raise ImportError_("a node needs an id (a non-empty string)", number)
        if not isinstance(reported, dict):
            raise ImportError_("reported must be an object", number)
        kind = reported.get("kind")
        if kind == "graph_root":
            roots.add(node_id)
            return
        if not isinstance(kind, str):
            raise ImportError_(
                f"a node's kind must be a string, not {orjson.dumps(kind).decode()[:40]}", number
            )
        info = self.info.get(kind) or self.info_generic.get(kind) or self._generic(kind, number)
        if info.abstract:
            concrete = [k for k in self.model.subkinds(kind) if not self.model.kinds[k].abstract]
            raise ImportError_(f"kind {kind!r} is abstract; use one of {', '.join(concrete[:5])}", number)
        generic = kind not in self.info
        if generic:
            batch.generic[kind] = batch.generic.get(kind, 0) + 1
            reported = self._fitting(kind, reported, batch)
        checks = self.checks
        for key, value in reported.items():
            check = checks.get(key)
            if check is None:
                if key != "kind":
                    batch.extra.add(key)
            elif not check(value):
                typ = self.model.properties[key]
                raise ImportError_(f"{kind} {node_id}: {type_error(value, typ, key)}", number)
        strings: list[str] = []
        strings_of(reported, strings)
        row = (node_id, kind, info.literal, orjson.dumps(reported).decode(), "\x1f".join(strings))
        earlier = nodes.get(node_id)
        index = len(batch.ids) if earlier is None else earlier.index
        nodes[node_id] = _Node(number, index, kind, reported.get("id"), reported.get("name"))
        if earlier is None:
            batch.ids.append(node_id)
            batch.kinds.append(kind)
        else:  # the last line of an id wins, as in Fix's own import; a store streaming rows drops the first
            batch.duplicates += 1
            batch.kinds[index] = kind
            batch.clouds.discard(node_id)
        if rows is not None:
            rows(row)
        elif earlier is None:
            batch.kind_lists.append(info.kinds)
            batch.reported.append(row[3])
            batch.fulltext.append(row[4])
        else:
            batch.kind_lists[index], batch.reported[index], batch.fulltext[index] = info.kinds, row[3], row[4]
        if info.is_cloud:
            batch.clouds.add(node_id)

    def _generic(self, kind: str, number: int) -> _KindInfo:
        """The kind of a resource cloudsift does not model: itself, then resource."""
        error = generic_kind_error(kind)
        if error:
            raise ImportError_(error, number)
        info = _KindInfo([kind, "resource"], False, False, "{" + kind + ",resource}")
        self.info_generic[kind] = info
        return info

    def _fitting(self, kind: str, reported: dict[str, Any], batch: Batch) -> dict[str, Any]:
        """A generic resource's properties without those whose value does not fit cloudsift's type for
        that name (Fix's kinds we do not model may use a name of ours for something else)."""
        checks = self.checks
        misfits = [k for k, v in reported.items() if k in checks and not checks[k](v)]
        for key in misfits:
            batch.left_out[f"{kind}.{key}"] = batch.left_out.get(f"{kind}.{key}", 0) + 1
        return {k: v for k, v in reported.items() if k not in misfits} if misfits else reported

    def _ancestors(
        self, batch: Batch, nodes: dict[str, _Node], parents: dict[str, list[str]], known: dict[str, Known]
    ) -> None:
        """Per node and level (cloud, account, region, zone): the nearest node of that level up the
        default edges (the node itself included); equally near ones are ordered by graph id."""
        done: dict[str, dict[str, _Ancestor]] = {}  # only for nodes that are some node's parent
        in_progress: set[str] = set()
        with_children = {source for sources in parents.values() for source in sources}

        def from_store(node_id: str) -> dict[str, _Ancestor]:
            info = known[node_id]
            own = self.level_of.get(info.kind)
            result = {}
            for level, (rid, name) in info.ancestors.items():
                graph_id = info.cloud_node if level == "cloud" else node_id
                result[level] = _Ancestor(0 if level == own else 1, graph_id or node_id, rid, name)
            return result

        def resolve(node_id: str) -> dict[str, _Ancestor]:
            found = done.get(node_id)
            if found is not None:
                return found
            if node_id in known and node_id not in nodes:
                return from_store(node_id)
            if node_id in in_progress:
                raise ImportError_(f"default edges form a cycle through {node_id!r}", nodes[node_id].line)
            in_progress.add(node_id)
            node = nodes[node_id]
            result: dict[str, _Ancestor] = {}
            level = self.level_of.get(node.kind)
            if level:
                result[level] = _Ancestor(0, node_id, node.rid, node.name)
            for parent in parents.get(node_id, ()):
                for key, up in resolve(parent).items():
                    candidate = _Ancestor(up.depth + 1, up.graph_id, up.rid, up.name)
                    current = result.get(key)
                    if current is None or (candidate.depth, candidate.graph_id) < (
                        current.depth,
                        current.graph_id,
                    ):
                        result[key] = candidate
            if "cloud" not in result:
                raise ImportError_(
                    f"node {node_id!r} is not below a cloud: connect it with a default edge from a node that is",
                    node.line,
                )
            in_progress.discard(node_id)
            if node_id in with_children:
                done[node_id] = result
            return result

        columns: dict[str, list[str | None]] = {f"{lv}_{k}": [] for lv in LEVELS for k in ("id", "name")}
        for node_id in batch.ids:
            ancestors = resolve(node_id)
            for level in LEVELS:
                found = ancestors.get(level)
                rid, name = (found.rid, found.name) if found else (None, None)
                columns[f"{level}_id"].append(None if rid is None else str(rid))
                columns[f"{level}_name"].append(None if name is None else str(name))
            batch.cloud_nodes.append(ancestors["cloud"].graph_id)
        batch.ancestors = columns


@dataclass(frozen=True)
class _Ancestor:
    depth: int
    graph_id: str
    rid: Any
    name: Any
