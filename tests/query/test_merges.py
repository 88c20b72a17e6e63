"""Merges and with() at full strength: nested queries with with(), deep traversals, sort, limit, nested merges."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cloudsift.errors import QueryError
from cloudsift.query.binder import bind
from cloudsift.query.parser import parse_query
from cloudsift.store.base import Store
from tests.estate import Edge, frame, lines, node, reference_graph, reference_ids
from tests.query.test_golden import NOW


def _estate() -> tuple[list[dict[str, Any]], list[Edge]]:
    nodes, edges = frame()
    nodes += [
        node("acc2", "aws_account", name="dev"),
        node("reg-eu", "aws_region", name="eu-central-1"),
        node("reg-w2", "aws_region", name="us-west-2"),
        node("trail-on", "aws_cloud_trail", trail_status={"is_logging": True}),
        node("trail-off", "aws_cloud_trail", trail_status={"is_logging": False}),
        node("vpc-1", "aws_vpc", name="one"),
        node("sg-a", "aws_ec2_security_group", name="alpha", description="x-ray"),
        node("sg-b", "aws_ec2_security_group", name="beta", description="plain"),
        node("i-1", "aws_ec2_instance", instance_cores=2.0),
        node("i-2", "aws_ec2_instance", instance_cores=8.0),
        node("vol-1", "aws_ec2_volume", volume_size=10),
        node("vol-2", "aws_ec2_volume", volume_size=500),
        node("vol-3", "aws_ec2_volume", volume_size=50),
    ]
    edges += [
        ("c", "acc2", "default"),
        ("acc2", "reg-eu", "default"),
        ("acc2", "reg-w2", "default"),
        ("reg", "trail-on", "default"),
        ("reg-eu", "trail-off", "default"),
        ("reg", "vpc-1", "default"),
        ("vpc-1", "sg-a", "default"),
        ("vpc-1", "sg-b", "default"),
        ("sg-a", "i-1", "default"),
        ("sg-b", "i-2", "default"),
        ("i-1", "vol-1", "default"),
        ("i-1", "vol-2", "default"),
        ("i-2", "vol-3", "default"),
    ]
    return nodes, edges


CASES = [
    # the issue's own example: accounts with a region that no logging trail covers
    (
        "is(aws_account) {region_not_logging: --> is(aws_region) with(empty, --> is(aws_cloud_trail) and "
        "trail_status.is_logging==true)} region_not_logging != null",
        ["acc2"],
    ),
    (
        "is(aws_account) {regions[]: --> is(aws_region) with(empty, --> is(aws_cloud_trail) and "
        "trail_status.is_logging==true) sort name desc limit 1} regions[*].reported.name == us-west-2",
        ["acc2"],
    ),
    # with() three deep, a traversal and a filter at each level
    (
        'is(aws_vpc) with(any, --> is(security_group) with(any, --> is(instance) and instance_cores > 4 '
        "with(any, --> is(volume) and volume_size < 100)))",
        ["vpc-1"],
    ),
    (
        'is(aws_vpc) with(any, --> is(security_group) and description =~ "x" with(any, --> is(instance) '
        "with(count >= 2, --> is(volume))))",
        ["vpc-1"],
    ),
    (
        'is(aws_vpc) with(empty, --> is(security_group) and description =~ "x" with(any, --> is(instance) '
        "with(count >= 2, --> is(volume))))",
        [],
    ),
    # traversals of any depth inside a merge, sort and limit per node
    ("is(aws_vpc) {big: -[3]-> is(volume) sort volume_size desc} big.reported.volume_size == 500", ["vpc-1"]),
    ("is(aws_vpc) {small: -[3]-> is(volume) sort volume_size} small.reported.volume_size == 10", ["vpc-1"]),
    ("is(volume) {vpc: <-[0:]- is(aws_vpc)} vpc.reported.name == one", ["vol-1", "vol-2", "vol-3"]),
    ("is(security_group) {v[]: -[2]-> is(volume) limit 1, 5} v[*].reported.volume_size == 500", ["sg-a"]),
    ("is(security_group) {v[]: -[2]-> is(volume) limit 1} v[*].reported.volume_size == 500", []),
    # nested merges
    (
        "is(aws_vpc) {groups[]: --> is(security_group) {inst: --> is(instance)} inst.reported.instance_cores > 4}"
        " groups[*].reported.name == beta",
        ["vpc-1"],
    ),
    (
        "is(security_group) {i: --> is(instance) {vols[]: --> is(volume)} vols[*].reported.volume_size > 100}"
        " i != null",
        ["sg-a"],
    ),
    # a merge's nested query with a navigation back to an ancestor of any kind
    ("is(volume) {g: <-[2]- is(security_group)} g.reported.name == alpha and /ancestors.aws_vpc.reported.name == one", ["vol-1", "vol-2"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_merges_and_with_at_full_strength(store: Store, text: str, expected: list[str]) -> None:
    nodes, edges = _estate()
    store.import_lines(lines(nodes, edges), replace=True)
    bound = bind(parse_query(text), extra=store.extra_properties(), now=NOW, text=text)
    assert sorted(reference_ids(bound, reference_graph(nodes, edges))) == expected
    assert sorted(d["id"] for d in store.search(bound)) == expected
    assert parse_query(str(parse_query(text))) == parse_query(text)


# A merge's own preamble, which Fix parses into the merge's query and never reads: its navigations walk
# default edges unless they name their own. vol-3 alone hangs from vpc-1 by a delete edge too.
PREAMBLE_CASES = [
    ("is(volume) {vpc: (edge_type=delete): <-[1:]- is(aws_vpc)} vpc.reported.name == one", ["vol-1", "vol-2", "vol-3"]),
    ("is(volume) {vpc: <-[1:]- is(aws_vpc)} vpc.reported.name == one", ["vol-1", "vol-2", "vol-3"]),
    ("is(volume) {vpc: (edge_type=default): <-delete[1]- is(aws_vpc)} vpc != null", ["vol-3"]),
    ('is(volume) {vpc: ( edge_type = "delete,default" ) : <-[1:]- is(aws_vpc)} vpc != null', ["vol-1", "vol-2", "vol-3"]),
    ("is(aws_vpc) {n: aggregate(sum(1) as c)(edge_type=delete): -[3]-> is(volume)} n[*].c == 3", ["vpc-1"]),
    # the query's own preamble does not reach into the merge either
    ("(edge_type=delete): is(volume) {vpc: <-[1:]- is(aws_vpc)} vpc != null", ["vol-1", "vol-2", "vol-3"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PREAMBLE_CASES)
def test_a_merge_s_own_preamble_is_read_and_changes_nothing(
    store: Store, text: str, expected: list[str]
) -> None:
    nodes, edges = _estate()
    edges.append(("vpc-1", "vol-3", "delete"))
    store.import_lines(lines(nodes, edges), replace=True)
    bound = bind(parse_query(text), extra=store.extra_properties(), now=NOW, text=text)
    assert sorted(reference_ids(bound, reference_graph(nodes, edges))) == expected
    assert sorted(d["id"] for d in store.search(bound)) == expected
    # the text without the merge's preamble (after an aggregate, its colon stays)
    written_without = re.sub(
        r"(\)?)\(\s*edge_type[^)]*\)\s*:\s*(?=<|-)", lambda m: m.group(1) and "): ", text
    )
    assert parse_query(text) == parse_query(written_without)  # as if it were not there
    assert parse_query(str(parse_query(text))) == parse_query(text)


@pytest.mark.parametrize(
    ("text", "message", "at"),
    [
        (
            "is(volume) {vpc: (edge_type=nope): <-- is(aws_vpc)}",
            "unknown edge type 'nope' in the preamble",
            "edge_type",
        ),
        (
            "is(volume) {vpc: (merge_with_ancestors=x): <-- is(aws_vpc)}",
            "merge_with_ancestors is not supported",
            "merge_",
        ),
        ("is(volume) {n: aggregate(sum(1) as n) <-- is(aws_vpc)}", "expected ':', a preamble", "<--"),
    ],
)
def test_a_bad_merge_preamble_is_refused_where_it_stands(text: str, message: str, at: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in caught.value.message
    assert caught.value.position == text.index(at)
