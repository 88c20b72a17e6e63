"""Reading an import file: validate every line, resolve ancestors, prepare rows. Nothing is written here.

The whole file is checked before the store is touched, so a bad line imports nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from cloudsift.errors import ImportError_, did_you_mean
from cloudsift.model import MODEL, ListOf, Model, PropType, Scalar, StringMap, Struct

LEVELS = ("cloud", "account", "region", "zone")
EDGE_TYPES = ("default", "delete")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:\d{2})?\Z")
_INT_RANGE = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class Known:
    """A node already in the store that the file's edges point at."""

    kind: str
    ancestors: Mapping[str, tuple[str | None, str | None]]  # level -> (reported id, name)
    cloud_node: str | None


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


def strings_of(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value.lower())
    elif isinstance(value, dict):
        for item in value.values():
            strings_of(item, out)
    elif isinstance(value, list):
        for item in value:
            strings_of(item, out)


@dataclass
class _Node:
    line: int
    kind: str
    rid: str | None
    name: str | None


class GraphReader:
    """Validates the lines of one import file and turns them into a Batch."""

    def __init__(self, model: Model = MODEL) -> None:
        self.model = model
        self.level_of = {k: next((b for b in model.kinds_of(k) if b in LEVELS), None) for k in model.kinds}

    def read(self, lines: Iterable[bytes | str], lookup: Callable[[list[str]], dict[str, Known]]) -> Batch:
        batch = Batch()
        nodes: dict[str, _Node] = {}
        roots: set[str] = {"root"}
        parents: dict[str, list[str]] = {}
        edge_lines: list[tuple[int, str, str, str]] = []
        reported_docs: list[dict[str, Any]] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                doc = orjson.loads(line)
            except orjson.JSONDecodeError as e:
                raise ImportError_(f"malformed JSON: {e}", number) from None
            if not isinstance(doc, dict):
                raise ImportError_("expected a JSON object (a node or an edge)", number)
            if "reported" in doc:
                self._node(doc, number, batch, nodes, roots, reported_docs)
            elif "from" in doc and "to" in doc:
                source, target, edge_type = doc["from"], doc["to"], doc.get("edge_type", "default")
                if not isinstance(source, str) or not isinstance(target, str):
                    raise ImportError_("an edge's from and to must be node ids (strings)", number)
                if edge_type not in EDGE_TYPES:
                    raise ImportError_(f"unknown edge_type {edge_type!r}; known: default, delete", number)
                edge_lines.append((number, source, target, edge_type))
            else:
                raise ImportError_('expected a node {"id", "reported"} or an edge {"from", "to"}', number)
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
        reported_docs: list[dict[str, Any]],
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
        if not isinstance(kind, str) or kind not in self.model.kinds:
            raise ImportError_(f"unknown kind {kind!r}.{did_you_mean(str(kind), self.model.kinds)}", number)
        if self.model.kinds[kind].abstract:
            concrete = [k for k in self.model.subkinds(kind) if not self.model.kinds[k].abstract]
            raise ImportError_(f"kind {kind!r} is abstract; use one of {', '.join(concrete[:5])}", number)
        if node_id in nodes:
            raise ImportError_(
                f"node id {node_id!r} appears twice (first on line {nodes[node_id].line})", number
            )
        rid, name = reported.get("id"), reported.get("name")
        for key, value in reported.items():
            if key == "kind":
                continue
            typ = self.model.property_type(key)
            if typ is None:
                batch.extra.add(key)
                continue
            error = type_error(value, typ, key)
            if error:
                raise ImportError_(f"{kind} {node_id}: {error}", number)
        nodes[node_id] = _Node(number, kind, rid, name)
        strings: list[str] = []
        strings_of(reported, strings)
        batch.ids.append(node_id)
        batch.kinds.append(kind)
        batch.kind_lists.append(list(self.model.kinds_of(kind)))
        batch.reported.append(orjson.dumps(reported).decode())
        batch.fulltext.append("\x1f".join(strings))
        if kind == "cloud" or "cloud" in self.model.kinds_of(kind):
            batch.clouds.add(node_id)

    def _ancestors(
        self, batch: Batch, nodes: dict[str, _Node], parents: dict[str, list[str]], known: dict[str, Known]
    ) -> None:
        done: dict[str, tuple[dict[str, tuple[str | None, str | None]], str | None]] = {}

        def resolve(
            node_id: str, path: list[str]
        ) -> tuple[dict[str, tuple[str | None, str | None]], str | None]:
            if node_id in done:
                return done[node_id]
            if node_id in known:
                info = known[node_id]
                return dict(info.ancestors), info.cloud_node
            if node_id in path:
                raise ImportError_(f"default edges form a cycle through {node_id!r}", nodes[node_id].line)
            node = nodes[node_id]
            result: dict[str, tuple[str | None, str | None]] = {}
            level = self.level_of.get(node.kind)
            cloud_node = node_id if level == "cloud" else None
            if level:
                result[level] = (node.rid, node.name)
            for parent in parents.get(node_id, ()):
                inherited, parent_cloud = resolve(parent, [*path, node_id])
                for key, value in inherited.items():
                    result.setdefault(key, value)
                cloud_node = cloud_node or parent_cloud
            if cloud_node is None:
                raise ImportError_(
                    f"node {node_id!r} is not below a cloud: connect it with a default edge "
                    "from a node that is",
                    node.line,
                )
            done[node_id] = (result, cloud_node)
            return done[node_id]

        columns: dict[str, list[str | None]] = {f"{lv}_{k}": [] for lv in LEVELS for k in ("id", "name")}
        for node_id in batch.ids:
            ancestors, cloud_node = resolve(node_id, [])
            for level in LEVELS:
                rid, name = ancestors.get(level, (None, None))
                columns[f"{level}_id"].append(None if rid is None else str(rid))
                columns[f"{level}_name"].append(None if name is None else str(name))
            batch.cloud_nodes.append(cloud_node)
        batch.ancestors = columns
