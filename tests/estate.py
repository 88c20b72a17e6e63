"""Small hand-written graphs for tests: a cloud, an account, a region, and the nodes a test needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from cloudsift.model import MODEL
from cloudsift.query import reference
from cloudsift.query.binder import BoundQuery
from cloudsift.store.loader import GraphReader, Known

Edge = tuple[str, str, str]


def node(node_id: str, kind: str, **reported: Any) -> dict[str, Any]:
    return {"id": node_id, "reported": {"kind": kind, "id": node_id, "name": node_id, **reported}}


def frame(
    cloud: str = "c", account: str = "acc", region: str = "reg"
) -> tuple[list[dict[str, Any]], list[Edge]]:
    nodes = [
        node(cloud, "cloud"),
        node(account, "aws_account", name="prod"),
        node(region, "aws_region", name="us-east-1"),
    ]
    return nodes, [(cloud, account, "default"), (account, region, "default")]


def lines(nodes: Iterable[dict[str, Any]], edges: Iterable[Edge]) -> list[bytes]:
    out = [orjson.dumps(n) for n in nodes]
    out += [orjson.dumps({"from": a, "to": b, "edge_type": t}) for a, b, t in edges]
    return out


def reference_graph(nodes: Sequence[dict[str, Any]], edges: Sequence[Edge]) -> reference.Graph:
    """The documents a store would return for these lines, built by the importer's own reader."""
    batch = GraphReader(MODEL).read(lines(nodes, edges), lambda ids: dict[str, Known]())
    docs = []
    for i, node_id in enumerate(batch.ids):
        ancestors = {}
        for level in ("cloud", "account", "region", "zone"):
            rid, name = batch.ancestors[f"{level}_id"][i], batch.ancestors[f"{level}_name"][i]
            if rid is not None or name is not None:
                ancestors[level] = {"reported": {"id": rid, "name": name}}
        docs.append(
            {
                "id": node_id,
                "kinds": batch.kind_lists[i],
                "reported": orjson.loads(batch.reported[i]),
                "ancestors": ancestors,
            }
        )
    return reference.Graph.of(docs, batch.edges)


def reference_ids(query: BoundQuery, graph: reference.Graph) -> list[str]:
    return [d["id"] for d in reference.search(query, graph)]
