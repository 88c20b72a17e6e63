"""A graph exported by Fix Inventory imports: its kinds, repeated ids, edges without a type, deferred edges.

fix_export.jsonl is written by hand in the format of Fix's worker (fixlib.graph.GraphExportIterator: node
lines with metadata and usage, edge lines that leave out a default edge_type, deferred-edge lines whose
ends are a node id or a search in Fix's language).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudsift import run
from cloudsift.errors import QueryError
from cloudsift.store.base import Store

EXPORT = Path(__file__).parent / "fix_export.jsonl"


def _ids(store: Store, query: str) -> list[str]:
    return sorted(str(d["id"]) for d in store.search(store.bind(query)))


def test_kinds_cloudsift_does_not_model_come_in_as_generic_resources(store: Store) -> None:
    with pytest.raises(QueryError, match="unknown kind 'aws_kinesis_stream'"):
        store.bind("is(aws_kinesis_stream)")
    summary = store.import_file(EXPORT)
    assert (summary.nodes, summary.generic) == (8, (("aws_athena_work_group", 1), ("aws_kinesis_stream", 2)))
    assert _ids(store, "is(aws_kinesis_stream)") == ["d00d0002", "d00d0003"]
    assert _ids(store, "is(resource) and kinesis_stream_status == ACTIVE") == ["d00d0002"]
    assert _ids(store, 'kind == "aws_athena_work_group" and workgroup_state == ENABLED') == ["d00d0001"]
    assert _ids(store, "is(aws_athena_work_group) and age > 1d") == ["d00d0001"]
    stream = next(iter(store.search(store.bind("is(aws_kinesis_stream) and name == clicks"))))
    assert stream["kinds"] == ["aws_kinesis_stream", "resource"]
    assert stream["ancestors"]["account"]["reported"] == {"id": "123456789012", "name": "prod"}
    assert stream["reported"]["kinesis_shards"] == [{"shard_id": "shardId-0"}]
    # its `description` is an object, not cloudsift's string: left out, so a search on it stays typed
    assert "description" not in stream["reported"]
    assert summary.left_out == (("aws_kinesis_stream.description", 1),)
    assert _ids(store, "is(aws_kinesis_stream) and description == null") == ["d00d0002", "d00d0003"]
    # the kinds Fix and cloudsift share are typed as ever
    assert _ids(store, "is(aws_cloud_trail) and trail_status.is_logging == true") == ["c4d5e6f7"]


def test_a_node_id_given_twice_keeps_the_last_line(store: Store) -> None:
    summary = store.import_file(EXPORT)
    assert summary.duplicates == 1
    instances = list(store.search(store.bind("is(aws_ec2_instance)")))
    assert [(i["id"], i["reported"]["instance_type"]) for i in instances] == [("a01f3c77", "m5.large")]


def test_an_edge_without_edge_type_is_a_default_edge(store: Store) -> None:
    store.import_file(EXPORT)
    edges = set(store.edges_to(["a01f3c77", "9b2d11c4"]))
    assert {("5e77a0b1", "a01f3c77", "default"), ("3f1c0a9e", "9b2d11c4", "default")} <= edges
    assert ("d00d0002", "a01f3c77", "delete") in edges
    assert _ids(store, "is(aws_ec2_instance) and region == eu-west-1 and account == prod") == ["a01f3c77"]
    # and the same edges read from their other end (a collection keeping a failed service's nodes does)
    assert ("d00d0002", "a01f3c77", "delete") in store.edges_from(["d00d0002"])
    assert {e[0] for e in store.edges_from(["5e77a0b1", "3f1c0a9e"])} == {"5e77a0b1", "3f1c0a9e"}


def test_deferred_edges_are_resolved_or_reported(store: Store) -> None:
    summary = store.import_file(EXPORT)
    edges = set(store.edges_to(["d00d0001", "d00d0002", "c4d5e6f7"]))
    assert ("9b2d11c4", "d00d0001", "delete") in edges  # by a search in Fix's words: reported.id = ...
    assert ("a01f3c77", "d00d0002", "default") in edges  # to a generic resource, by its own property
    assert ("5e77a0b1", "c4d5e6f7", "default") in edges  # named twice (an edge and a deferred one): once
    assert summary.deferred == 2
    assert [u.split(":")[0] for u in summary.unresolved] == ["line 23", "line 24", "line 25"]
    assert "not-exported: no such node" in summary.unresolved[0]
    assert "the search finds nothing" in summary.unresolved[1]
    assert "the search is refused" in summary.unresolved[2]
    # importing again adds nothing new and resolves the same way
    again = store.import_file(EXPORT)
    assert (again.deferred, again.unresolved) == (0, summary.unresolved)


def test_the_import_command_says_what_it_did_not_model(store: Store) -> None:
    out = "\n".join(run(f"import {EXPORT}", store))
    assert out.startswith("Imported 8 nodes and 8 edges.\n2 edges added from deferred-edge lines.")
    assert "3 resources of 2 kinds cloudsift does not model came in as generic resources" in out
    assert "aws_kinesis_stream (2)" in out
    assert "1 node lines repeat an earlier line's id; the last line is kept" in out
    assert "3 deferred edges not resolved: line 23: not-exported: no such node" in out


def test_a_typo_of_a_modelled_kind_is_named(store: Store) -> None:
    typo = EXPORT.read_text().replace(
        '"kind": "aws_kinesis_stream", "id": "orders"', '"kind": "aws_ec2_volum"'
    )
    summary = store.import_lines(typo.splitlines(keepends=True))
    assert "aws_ec2_volum (1; did you mean 'aws_ec2_volume'?)" in str(summary)
