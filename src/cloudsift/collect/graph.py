"""What a collector builds: nodes and edges in Resoto's merge format, as JSON lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass
class GraphBuilder:
    """Nodes (graph id -> reported) and edges, collected by one (account, region, service) task, and the
    properties it found for the account's own node (written by the runner, see collect/account_node.py)."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    account: dict[str, Any] = field(default_factory=dict)

    def add(self, node_id: str, kind: str, reported: dict[str, Any], parent: str | None = None) -> str:
        self.nodes[node_id] = {"kind": kind, **{k: v for k, v in reported.items() if v is not None}}
        if parent is not None:
            self.edges.append((parent, node_id, "default"))
        return node_id

    def edge(self, source: str, target: str, edge_type: str = "default") -> None:
        self.edges.append((source, target, edge_type))


def node_line(node_id: str, reported: dict[str, Any]) -> bytes:
    return orjson.dumps({"id": node_id, "reported": reported}) + b"\n"


def edge_line(source: str, target: str, edge_type: str = "default") -> bytes:
    return orjson.dumps({"from": source, "to": target, "edge_type": edge_type}) + b"\n"


def node_lines(nodes: dict[str, dict[str, Any]]) -> Iterator[bytes]:
    for node_id, reported in nodes.items():
        yield orjson.dumps({"id": node_id, "reported": reported}, option=orjson.OPT_NAIVE_UTC) + b"\n"


def edge_lines(
    ids: dict[str, None],
    edges: Iterable[tuple[str, str, str]],
    outside: list[str],
    outer: list[tuple[str, str, str]] | None = None,
) -> Iterator[bytes]:
    """The edges between the nodes `ids` and the `outside` ones; a node whose parent is not among them
    hangs below the first outside node (the region). An edge with one end elsewhere (a trail and its
    bucket of the account's global partition) goes to `outer`, to be written once every partition is known."""
    known = ids.keys() | set(outside)
    placed: set[str] = set()
    for source, target, edge_type in edges:
        if source in known and target in known:
            yield orjson.dumps({"from": source, "to": target, "edge_type": edge_type}) + b"\n"
            if edge_type == "default":
                placed.add(target)
        elif outer is not None and (source in known or target in known):
            outer.append((source, target, edge_type))
    home = outside[0] if outside else None
    for node_id in ids:
        if node_id not in placed and home is not None:
            yield orjson.dumps({"from": home, "to": node_id, "edge_type": "default"}) + b"\n"


def outer_edge_lines(
    outer: Iterable[tuple[str, str, str]], written: Callable[[str], bool]
) -> Iterator[bytes]:
    """The edges between partitions whose two ends were both written."""
    for source, target, edge_type in outer:
        if written(source) and written(target):
            yield orjson.dumps({"from": source, "to": target, "edge_type": edge_type}) + b"\n"
