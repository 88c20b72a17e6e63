"""`/ancestors.<kind>.reported.<property>`: the nearest node of that kind (or base kind) up the default edges."""

from __future__ import annotations

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
        node("u-console", "aws_iam_user", password_enabled=True, tags={"team": "ops"}),
        node("u-api", "aws_iam_user", password_enabled=False),
        node("key-1", "aws_iam_access_key", access_key_status="Active"),
        node("key-2", "aws_iam_access_key", access_key_status="Active"),
        node("key-orphan", "aws_iam_access_key", access_key_status="Inactive"),
        node("vpc-main", "aws_vpc", name="main", vpc_is_default=False),
        node("vpc-default", "aws_vpc", name="default", vpc_is_default=True),
        node("subnet-a", "aws_ec2_subnet"),
        node("i-a", "aws_ec2_instance"),
        node("vol-a", "aws_ec2_volume", volume_size=10),
        node("vol-b", "aws_ec2_volume", volume_size=20),
        node("vol-loose", "aws_ec2_volume", volume_size=30),
    ]
    edges += [
        ("acc", "u-console", "default"),
        ("acc", "u-api", "default"),
        ("u-console", "key-1", "default"),
        ("u-api", "key-2", "default"),
        ("acc", "key-orphan", "default"),
        ("reg", "vpc-main", "default"),
        ("reg", "vpc-default", "default"),
        ("vpc-main", "subnet-a", "default"),
        ("subnet-a", "i-a", "default"),
        ("i-a", "vol-a", "default"),
        ("vpc-default", "vol-b", "default"),
        ("reg", "vol-loose", "default"),
        ("vpc-default", "vol-a", "delete"),  # not a default edge: never an ancestor
    ]
    return nodes, edges


CASES = [
    ("is(access_key) and /ancestors.aws_iam_user.reported.password_enabled == true", ["key-1"]),
    ("is(access_key) and /ancestors.user.reported.password_enabled != true", ["key-2", "key-orphan"]),
    ("is(access_key) and /ancestors.aws_iam_user.reported.tags.team == ops", ["key-1"]),
    ("is(volume) and /ancestors.aws_vpc.reported.name == main", ["vol-a"]),
    ("is(volume) and /ancestors.network.reported.vpc_is_default == true", ["vol-b"]),
    ("is(volume) and /ancestors.aws_vpc.reported.name == null", ["vol-loose"]),
    ("is(volume) and ancestors.aws_ec2_instance.reported.id == i-a", ["vol-a"]),
    ("is(volume) and /ancestors.aws_region.reported.name == us-east-1 and /ancestors.account.reported.name == prod", ["vol-a", "vol-b", "vol-loose"]),
    ("is(volume) and /ancestors.subnet.reported.kind == aws_ec2_subnet or /ancestors.aws_vpc.reported.name == default", ["vol-a", "vol-b"]),
    ("is(volume) and not /ancestors.aws_vpc.reported.name =~ ma", ["vol-b", "vol-loose"]),
    ("is(volume) sort /ancestors.aws_vpc.reported.name desc, volume_size", ["vol-a", "vol-b", "vol-loose"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_ancestors_of_any_kind(store: Store, text: str, expected: list[str]) -> None:
    nodes, edges = _estate()
    store.import_lines(lines(nodes, edges), replace=True)
    bound = bind(parse_query(text), extra=store.extra_properties(), now=NOW, text=text)
    found = [d["id"] for d in store.search(bound)]
    assert found == reference_ids(bound, reference_graph(nodes, edges))
    assert (found if " sort " in text else sorted(found)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/ancestors.aws_vcp.reported.name == x", "unknown kind 'aws_vcp'"),
        ("/ancestors.aws_vpc.name == x", "use /ancestors.<kind>.reported.<property>"),
        ("/ancestors.aws_vpc.id.x == x", "write ancestors.aws_vpc.reported.<property>"),
        ("/ancestors.aws_vpc == x", "use /ancestors.<kind>.reported.<property>"),
        ("all with(any, --> /ancestors.aws_vpc.reported.name == x)", "inside with()"),
    ],
)
def test_ancestor_paths_that_are_wrong(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        bind(parse_query(text), now=NOW, text=text)
    assert message in caught.value.message
