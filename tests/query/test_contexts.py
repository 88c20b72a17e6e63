"""Context terms on objects as well as arrays: `p.{...}` applies every predicate to that one object."""

from __future__ import annotations

from typing import Any

import pytest

from cloudsift.query.binder import bind
from cloudsift.query.parser import parse_query
from cloudsift.store.base import Store
from tests.estate import Edge, frame, lines, node, reference_graph, reference_ids
from tests.query.test_golden import NOW


def _block(acls: Any, ignore: Any) -> dict[str, Any]:
    return {"block_public_acls": acls, "ignore_public_acls": ignore, "block_public_policy": True}


def _estate() -> tuple[list[dict[str, Any]], list[Edge]]:
    nodes, edges = frame()
    nodes += [
        node("b-closed", "aws_s3_bucket", bucket_public_access_block_configuration=_block(True, True)),
        node("b-half", "aws_s3_bucket", bucket_public_access_block_configuration=_block(True, False)),
        node("b-null", "aws_s3_bucket", bucket_public_access_block_configuration=None),
        node("b-missing", "aws_s3_bucket"),
        node(
            "i-v2",
            "aws_ec2_instance",
            instance_metadata_options={"http_endpoint": "enabled", "http_tokens": "required"},
        ),
        node(
            "i-v1",
            "aws_ec2_instance",
            instance_metadata_options={"http_endpoint": "enabled", "http_tokens": "optional"},
        ),
        node("i-list", "aws_ec2_instance", x_meta=[{"http_endpoint": "enabled"}]),
        node("i-none", "aws_ec2_instance"),
        node(
            "sg-nested",
            "aws_ec2_security_group",
            group_ip_permissions=[
                {"ip_protocol": "tcp", "from_port": 22, "ip_ranges": [{"cidr_ip": "0.0.0.0/0"}]},
                {"ip_protocol": "-1", "from_port": 0, "ip_ranges": [{"cidr_ip": "10.0.0.0/8"}]},
            ],
            x_meta={"rules": [{"x": 1, "c": {"y": 2}}, {"x": 1, "c": {"y": 3}}]},
        ),
        node(
            "sg-split",
            "aws_ec2_security_group",
            group_ip_permissions=[{"ip_protocol": "tcp", "ip_ranges": []}],
            x_meta={"rules": [{"x": 1, "c": {"y": 3}}, {"x": 2, "c": {"y": 2}}]},
        ),
    ]
    edges += [("reg", n["id"], "default") for n in nodes[3:]]
    return nodes, edges


CASES = [
    (
        "is(aws_s3_bucket) and bucket_public_access_block_configuration.{block_public_acls==true and "
        "ignore_public_acls==true}",
        ["b-closed"],
    ),
    # != matches a missing property, so a missing or null object fails the check (Fix's rule)
    (
        "is(aws_s3_bucket) and bucket_public_access_block_configuration.{block_public_acls!=true or "
        "ignore_public_acls!=true}",
        ["b-half", "b-missing", "b-null"],
    ),
    (
        "is(aws_s3_bucket) and not bucket_public_access_block_configuration.{block_public_acls==true}",
        ["b-missing", "b-null"],
    ),
    (
        "is(aws_s3_bucket) and bucket_public_access_block_configuration.{block_public_acls == null}",
        ["b-missing", "b-null"],
    ),
    ("instance_metadata_options.{http_endpoint=enabled and http_tokens=required}", ["i-v2"]),
    ("is(instance) and not instance_metadata_options.{http_tokens=required}", ["i-list", "i-none", "i-v1"]),
    # a list where an object is expected is no object: its properties are missing
    ("is(instance) and x_meta.{http_endpoint == null}", ["i-list", "i-none", "i-v1", "i-v2"]),
    ("is(instance) and x_meta[0].{http_endpoint == enabled}", ["i-list"]),
    ("x_meta.rules[*].{x = 1 and c.{y = 2}}", ["sg-nested"]),
    ("x_meta.{rules[*].{x = 2 and c.{y = 2}}}", ["sg-split"]),
    ('group_ip_permissions[0].{ip_protocol == tcp and ip_ranges[0].{cidr_ip == "0.0.0.0/0"}}', ["sg-nested"]),
    ("group_ip_permissions[*].{ip_ranges[0].{cidr_ip == null}}", ["sg-split"]),
    ("is(security_group) and tags.{owner == null}", ["sg-nested", "sg-split"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_object_contexts(store: Store, text: str, expected: list[str]) -> None:
    nodes, edges = _estate()
    store.import_lines(lines(nodes, edges), replace=True)
    bound = bind(parse_query(text), extra=store.extra_properties(), now=NOW, text=text)
    assert sorted(reference_ids(bound, reference_graph(nodes, edges))) == expected
    assert sorted(d["id"] for d in store.search(bound)) == expected
    assert parse_query(str(parse_query(text))) == parse_query(text)
