"""VPC peering connections against moto: one accepted between two VPCs of the account, one still pending,
collected with Fix's property names, each VPC leading to its peerings as Fix draws it, so Fix's
routing_tables_with_least_privilege search reaches the route tables of both sides."""

from __future__ import annotations

from pathlib import Path

import boto3

from tests.collect.aws_fixture import AwsEmulator, collected_region
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _one

REGION = "eu-west-1"
ACCOUNT = "123456789012"


def _ids(store: object, query: str) -> set[str]:
    return {d["reported"]["id"] for d in store.search(store.bind(query))}  # type: ignore[attr-defined]


def test_peering_connections_and_their_vpcs(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    ec2 = boto3.client("ec2", region_name=REGION)
    shop, data, lab = (
        ec2.create_vpc(CidrBlock=c)["Vpc"]["VpcId"] for c in ("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16")
    )
    active = ec2.create_vpc_peering_connection(VpcId=shop, PeerVpcId=data, TagSpecifications=[
        {"ResourceType": "vpc-peering-connection", "Tags": [{"Key": "Name", "Value": "shop-data"}]}])  # fmt: skip
    active_id = active["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=active_id)
    ec2.modify_vpc_peering_connection_options(
        VpcPeeringConnectionId=active_id,
        AccepterPeeringConnectionOptions={"AllowDnsResolutionFromRemoteVpc": True},
    )
    pending_id = ec2.create_vpc_peering_connection(VpcId=lab, PeerVpcId=data)["VpcPeeringConnection"][
        "VpcPeeringConnectionId"
    ]
    store = collected_region(tmp_path, REGION)

    node = _one(store, f'is(aws_vpc_peering_connection) and id == "{active_id}"')
    assert (node["name"], node["tags"]) == ("shop-data", {"Name": "shop-data"})
    assert node["arn"] == f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc-peering-connection/{active_id}"
    requester, accepter = node["connection_requester_vpc_info"], node["connection_accepter_vpc_info"]
    assert (requester["vpc_id"], requester["cidr_block"], requester["owner_id"]) == (
        shop,
        "10.1.0.0/16",
        ACCOUNT,
    )
    assert (accepter["vpc_id"], accepter["cidr_block"], accepter["region"]) == (data, "10.2.0.0/16", REGION)
    # moto sends no CidrBlockSet (the VPCs' other ranges): the main one above is what it has
    assert accepter["peering_options"]["allow_dns_resolution_from_remote_vpc"] is True
    assert requester["peering_options"]["allow_dns_resolution_from_remote_vpc"] is False
    assert node["peering_connection_status"]["code"] == "active"
    assert _ids(store, 'is(aws_vpc_peering_connection) and peering_connection_status.code == "active"') == {
        active_id
    }
    pending = _one(store, f'is(aws_vpc_peering_connection) and id == "{pending_id}"')
    assert pending["name"] == pending_id and pending["peering_connection_status"]["code"] != "active"

    # both VPCs lead to the peering (the requester's as its parent), as in Fix's graph
    assert _ids(store, f'is(aws_vpc_peering_connection) and id == "{active_id}" <-- is(aws_vpc)') == {
        shop,
        data,
    }
    assert _ids(store, f'is(aws_vpc) and id == "{data}" --> is(aws_vpc_peering_connection)') == {
        active_id,
        pending_id,
    }
    # Fix's check walks from the peering to the route tables of its VPCs
    tables = _ids(
        store,
        f'is(aws_vpc_peering_connection) and id == "{active_id}" <-- is(aws_vpc) --> is(aws_ec2_route_table)',
    )
    vpcs_tables = _ids(store, f'is(aws_vpc) and id in ["{shop}", "{data}"] --> is(aws_ec2_route_table)')
    assert tables == vpcs_tables and len(tables) == 2  # each VPC's main table
