"""EC2's network resources against moto: the network interfaces' tags (AWS answers them as `TagSet`) and the
names route tables and flow logs take from their Name tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, Recorded, collected_region, record_calls
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _one

REGION = "eu-west-1"


def _tagged(kind: str, **tags: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def _make_network_estate() -> dict[str, str]:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    named = ec2.create_network_interface(
        SubnetId=subnet, TagSpecifications=_tagged("network-interface", Name="frontend", team="web")
    )["NetworkInterface"]["NetworkInterfaceId"]
    bare = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    table = ec2.create_route_table(VpcId=vpc, TagSpecifications=_tagged("route-table", Name="public"))
    return {"vpc": vpc, "subnet": subnet, "named": named, "bare": bare,
            "table": table["RouteTable"]["RouteTableId"]}  # fmt: skip


@pytest.fixture
def collected(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[DuckDBStore, dict[str, str], Recorded]:
    made = _make_network_estate()
    calls = record_calls(monkeypatch)
    return collected_region(tmp_path, REGION), made, calls


def test_network_interfaces_have_their_tags_and_names(
    collected: tuple[DuckDBStore, dict[str, str], Recorded],
) -> None:
    store, made, _ = collected
    named = _one(store, f'is(aws_ec2_network_interface) and id == "{made["named"]}"')
    assert (named["name"], named["tags"]) == ("frontend", {"Name": "frontend", "team": "web"})
    bare = _one(store, f'is(aws_ec2_network_interface) and id == "{made["bare"]}"')
    assert (bare["name"], bare["tags"]) == (made["bare"], {})
    assert _one(store, "is(aws_ec2_network_interface) and tags.team == web")["id"] == made["named"]


def test_route_tables_are_named_by_their_name_tag_else_their_id(
    collected: tuple[DuckDBStore, dict[str, str], Recorded],
) -> None:
    store, made, _ = collected
    assert _one(store, f'is(aws_ec2_route_table) and id == "{made["table"]}"')["name"] == "public"
    tables = list(
        store.search(store.bind(f'is(aws_vpc) and id == "{made["vpc"]}" --> is(aws_ec2_route_table)'))
    )
    main = [t["reported"] for t in tables if t["reported"]["id"] != made["table"]]
    assert [t["name"] for t in main] == [t["id"] for t in main] and main  # the VPC's main table has no Name
