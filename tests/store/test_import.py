"""Import: Resoto's merge format in, every bad line refused by number, nothing half-written."""

from __future__ import annotations

import orjson
import pytest

from cloudsift.errors import ImportError_
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store
from tests.estate import frame, lines, node


def _count(store: Store, query: str = "all") -> int:
    return store.count(store.bind(query))


def test_sample_estate_imports_with_ancestors(store: Store) -> None:
    summary = store.import_lines(estate_lines(EstateSize()))
    assert summary.nodes == EstateSize().resources
    assert _count(store) == summary.nodes
    groups = list(store.search(store.bind("is(aws_ec2_security_group) and account.name == prod")))
    assert groups and all(
        g["ancestors"]["account"]["reported"] == {"id": "123456789012", "name": "prod"} for g in groups
    )
    assert {g["ancestors"]["region"]["reported"]["name"] for g in groups} == {"us-east-1", "eu-central-1"}
    assert all(g["ancestors"]["cloud"]["reported"]["name"] == "aws" for g in groups)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b'{"id": "x", "reported": {"kind": "aws ec2 volume", "id": "x"}}', "is not a kind name"),
        (b'{"id": "x", "reported": {"kind": 7, "id": "x"}}', "a node's kind must be a string"),
        (
            b'{"id": "x", "reported": {"kind": "aws_ec2_volume", "id": "x", "volume_size": "big"}}',
            "volume_size should be a int",
        ),
        (
            b'{"id": "x", "reported": {"kind": "aws_ec2_security_group", "id": "x", "group_ip_permissions": '
            b'[{"ip_ranges": [{"cidr_ip": 10}]}]}}',
            "group_ip_permissions[0].ip_ranges[0].cidr_ip should be a string",
        ),
        (b'{"id": "x", "reported": {"kind": "aws_ec2_volume", "id": "x", "ctime": "yesterday"}}', "ISO 8601"),
        (b'{"id": "x", "reported": {"kind": "aws_ec2_volume", "id": "x"', "malformed JSON"),
        (b'{"from": "reg", "to": "nowhere"}', "edge points at unknown node 'nowhere'"),
        (b'{"from": "reg", "to": "reg", "edge_type": "owns"}', "unknown edge_type 'owns'"),
        (b'{"from_selector": {"node_id": 1}, "to_selector": {"node_id": "reg"}}', "from_selector should be"),
        (b'{"from_selector": {"node_id": "reg"}}', "to_selector should be"),
        (
            b'{"from_selector": {"node_id": "a"}, "to_selector": {"node_id": "b"}, "edge_type": "x"}',
            "unknown edge_type 'x'",
        ),
        (b'{"id": "x", "reported": {"kind": "resource", "id": "x"}}', "kind 'resource' is abstract"),
        (b"[1, 2]", "expected a JSON object"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_imported(store: Store, bad: bytes, message: str) -> None:
    nodes, edges = frame()
    good = lines(nodes, edges)
    store.import_lines(estate_lines(EstateSize(accounts=1, regions=1)))
    before = _count(store)
    with pytest.raises(ImportError_) as caught:
        store.import_lines([*good[:3], bad, *good[3:]])
    assert caught.value.line == 4
    assert message in str(caught.value)
    assert str(caught.value).startswith("line 4: ")
    assert _count(store) == before


def test_a_node_not_below_a_cloud_is_refused(store: Store) -> None:
    with pytest.raises(ImportError_, match="line 1: node 'lonely' is not below a cloud"):
        store.import_lines(lines([node("lonely", "aws_ec2_volume")], []))


def test_replace_replaces_what_the_files_clouds_held(store: Store) -> None:
    store.import_lines(estate_lines(EstateSize(accounts=2, regions=2)))
    nodes, edges = frame(cloud="gcp", account="proj", region="europe")
    store.import_lines(lines(nodes, edges))
    assert _count(store, "is(cloud)") == 2
    summary = store.import_lines(estate_lines(EstateSize(accounts=1, regions=1)), replace=True)
    assert summary.replaced == EstateSize(accounts=2, regions=2).resources
    assert (
        _count(store, "/ancestors.cloud.reported.name == aws") == EstateSize(accounts=1, regions=1).resources
    )
    assert _count(store, "/ancestors.cloud.reported.name == gcp") == 3  # another cloud is untouched
    assert (
        _count(store, "is(aws_account) and cloud == aws --> all") == 1
    )  # no edges left dangling from the old estate


def test_merge_without_replace_updates_nodes_by_id(store: Store) -> None:
    nodes, edges = frame()
    nodes.append(node("v", "aws_ec2_volume", volume_size=1))
    edges.append(("reg", "v", "default"))
    store.import_lines(lines(nodes, edges))
    store.import_lines(
        [orjson.dumps(node("v", "aws_ec2_volume", volume_size=2)), b'{"from": "reg", "to": "v"}']
    )
    found = list(store.search(store.bind("is(volume)")))
    assert [f["reported"]["volume_size"] for f in found] == [2]
    assert found[0]["ancestors"]["region"]["reported"]["name"] == "us-east-1"  # parent found in the store
    assert _count(store, "is(aws_region) --> all") == 1


def test_properties_outside_the_model_are_kept_and_searchable(store: Store) -> None:
    nodes, edges = frame()
    nodes.append(node("v", "aws_ec2_volume", team={"name": "core", "size": 3}))
    edges.append(("reg", "v", "default"))
    store.import_lines(lines(nodes, edges))
    assert "team" in store.extra_properties()
    assert [d["id"] for d in store.search(store.bind("team.size > 2 and team.name == core"))] == ["v"]
    assert next(store.search(store.bind("team.size > 2")))["reported"]["team"] == {"name": "core", "size": 3}


def test_graph_root_lines_are_accepted(store: Store) -> None:
    nodes, edges = frame()
    root = [
        b'{"id": "root", "reported": {"kind": "graph_root", "id": "root", "name": "root"}}',
        b'{"from": "root", "to": "c"}',
    ]
    store.import_lines([*root, *lines(nodes, edges)])
    assert _count(store) == 3


def test_a_cycle_of_default_edges_is_refused(store: Store) -> None:
    nodes, edges = frame()
    nodes += [node("a", "aws_vpc"), node("b", "aws_ec2_subnet")]
    edges += [("reg", "a", "default"), ("a", "b", "default"), ("b", "a", "default")]
    with pytest.raises(ImportError_, match="default edges form a cycle through"):
        store.import_lines(lines(nodes, edges))
    assert _count(store) == 0


def test_the_nearest_ancestor_wins_and_ties_go_to_the_smaller_id(store: Store) -> None:
    nodes, edges = frame()
    nodes += [
        node("reg2", "aws_region", name="eu-west-1"),
        node("v", "aws_vpc"),
        node("i", "aws_ec2_instance"),
    ]
    # i hangs below reg directly and below reg2 through v: reg is nearer. v hangs below both regions.
    edges += [("acc", "reg2", "default"), ("reg2", "v", "default"), ("reg", "v", "default"), ("v", "i", "default"),
              ("reg", "i", "default")]  # fmt: skip
    store.import_lines(lines(nodes, edges))
    found = {
        d["id"]: d["ancestors"]["region"]["reported"]["name"]
        for d in store.search(store.bind("is(aws_vpc) or is(instance)"))
    }
    assert found == {"i": "us-east-1", "v": "us-east-1"}  # "reg" < "reg2"


def test_every_write_is_kept_as_history(store: Store) -> None:
    nodes, edges = frame()
    nodes += [node("v1", "aws_ec2_volume", volume_size=1), node("v2", "aws_ec2_volume", volume_size=2)]
    edges += [("reg", "v1", "default"), ("reg", "v2", "default")]
    store.import_lines(lines(nodes, edges))
    nodes = [n for n in nodes if n["id"] != "v2"]
    nodes[3]["reported"]["volume_size"] = 10
    store.import_lines(lines(nodes, [e for e in edges if e[1] != "v2"]), replace=True)
    changes = [(h.change, h.id, h.changed) for h in store.history() if h.id in ("v1", "v2")]
    assert changes[:2] == [("created", "v1", ()), ("created", "v2", ())]
    assert sorted(changes[2:]) == [("deleted", "v2", ()), ("updated", "v1", ("volume_size",))]
    assert [h.id for h in store.history("deleted")] == ["v2"]


def test_iam_edges_of_a_fix_graph_are_kept_and_walked_but_make_no_ancestors(store: Store) -> None:
    nodes, edges = frame()
    nodes += [node("u", "aws_iam_user"), node("b", "aws_s3_bucket"), node("r", "aws_iam_role")]
    edges += [("reg", "u", "default"), ("reg", "b", "default"), ("reg", "r", "default")]
    edges += [("u", "b", "iam"), ("u", "r", "iam"), ("r", "u", "iam")]  # a cycle of iam edges is fine
    store.import_lines(lines(nodes, edges))
    assert _count(store, "id(u) -iam-> all") == 2
    assert _count(store, "id(b) <-iam- all") == 1
    assert _count(store, "id(u) -iam[0:]-> all") == 3
    assert _count(store, "id(b) <-default- all") == 1  # the region only: an iam edge is no parent
    bucket = next(store.search(store.bind("id(b)")))
    assert bucket["ancestors"]["region"]["reported"]["id"] == "reg"
    with pytest.raises(ImportError_, match="unknown edge_type 'acl'; known: default, delete, iam"):
        store.import_lines([*lines(nodes, edges), b'{"from": "u", "to": "b", "edge_type": "acl"}'])
