"""EC2 routing and traffic logs: route tables, flow logs and VPC peerings, below their VPCs."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, Source, each, ids_at, name_tag_or, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Edge, Listing, aws_service
from cloudsift.collect.aws.values import timestamp

ROUTE = {
    "destination_cidr_block": "DestinationCidrBlock", "destination_ipv6_cidr_block": "DestinationIpv6CidrBlock",
    "destination_prefix_list_id": "DestinationPrefixListId",
    "egress_only_internet_gateway_id": "EgressOnlyInternetGatewayId", "gateway_id": "GatewayId",
    "instance_id": "InstanceId", "instance_owner_id": "InstanceOwnerId", "nat_gateway_id": "NatGatewayId",
    "transit_gateway_id": "TransitGatewayId", "local_gateway_id": "LocalGatewayId",
    "carrier_gateway_id": "CarrierGatewayId", "network_interface_id": "NetworkInterfaceId", "origin": "Origin",
    "state": "State", "vpc_peering_connection_id": "VpcPeeringConnectionId", "core_network_arn": "CoreNetworkArn",
}  # fmt: skip

ROUTE_TABLE = AwsKind(
    "aws_ec2_route_table",
    Listing("ec2", "DescribeRouteTables", "RouteTables"),
    id="RouteTableId", name=Field("", name_tag_or("RouteTableId")), tags=Field("Tags", tag_list),
    arn_format="arn:aws:ec2:{region}:{account}:route-table/{id}",
    props={
        "route_table_associations": Field("Associations", each({
            "main": "Main", "route_table_association_id": "RouteTableAssociationId", "route_table_id": "RouteTableId",
            "subnet_id": "SubnetId", "gateway_id": "GatewayId",
            "association_state": Field("AssociationState", struct({"state": "State", "status_message": "StatusMessage"})),
        })),
        "route_table_propagating_vgws": Field("PropagatingVgws", lambda vgws: [v.get("GatewayId") for v in vgws or []]),
        "route_table_routes": Field("Routes", each(ROUTE)),
        "owner_id": "OwnerId",
    },
    parent=(Edge("aws_vpc", "VpcId"),),
)  # fmt: skip

FLOW_LOG = AwsKind(
    "aws_ec2_flow_log",
    Listing("ec2", "DescribeFlowLogs", "FlowLogs"),
    id="FlowLogId", name=Field("", name_tag_or("FlowLogId")), tags=Field("Tags", tag_list),
    ctime="CreationTime", arn_format="arn:aws:ec2:{region}:{account}:vpc-flow-log/{id}",
    props={
        "deliver_logs_error_message": "DeliverLogsErrorMessage", "deliver_logs_permission_arn": "DeliverLogsPermissionArn",
        "deliver_cross_account_role": "DeliverCrossAccountRole", "deliver_logs_status": "DeliverLogsStatus",
        "flow_log_status": "FlowLogStatus", "resource_id": "ResourceId", "traffic_type": "TrafficType",
        "log_destination_type": "LogDestinationType", "log_destination": "LogDestination", "log_format": "LogFormat",
        "log_group_name": "LogGroupName", "max_aggregation_interval": "MaxAggregationInterval",
        "destination_options": Field("DestinationOptions", struct({
            "file_format": "FileFormat", "hive_compatible_partitions": "HiveCompatiblePartitions",
            "per_hour_partition": "PerHourPartition",
        })),
    },
    # below the VPC it logs (a subnet's or an interface's flow log hangs below the region)
    parent=(Edge("aws_vpc", "ResourceId"),),
    edges=(
        Edge("aws_s3_bucket", "", lambda f: _bucket_of(f) if f.get("LogDestinationType") == "s3" else None),
        Edge("aws_cloudwatch_log_group", "LogGroupName"),
    ),
)  # fmt: skip


def _bucket_of(flow_log: Any) -> str | None:
    """The bucket of an S3 destination ARN (`arn:aws:s3:::bucket/prefix`)."""
    destination = str(flow_log.get("LogDestination") or "")
    return destination.split(":::", 1)[1].split("/", 1)[0] if ":::" in destination else None


def peer_vpc(side: str) -> Source:
    """One side of a peering: its VPC, owner, region and the address ranges it offers."""
    return Field(side, struct({
        "cidr_block": "CidrBlock", "ipv6_cidr_block_set": Field("Ipv6CidrBlockSet", ids_at("Ipv6CidrBlock")),
        "cidr_block_set": Field("CidrBlockSet", ids_at("CidrBlock")), "owner_id": "OwnerId",
        "peering_options": Field("PeeringOptions", struct({
            "allow_dns_resolution_from_remote_vpc": "AllowDnsResolutionFromRemoteVpc",
            "allow_egress_from_local_classic_link_to_remote_vpc": "AllowEgressFromLocalClassicLinkToRemoteVpc",
            "allow_egress_from_local_vpc_to_remote_classic_link": "AllowEgressFromLocalVpcToRemoteClassicLink",
        })),
        "vpc_id": "VpcId", "region": "Region",
    }))  # fmt: skip


PEERING_CONNECTION = AwsKind(
    "aws_vpc_peering_connection",
    Listing("ec2", "DescribeVpcPeeringConnections", "VpcPeeringConnections"),
    id="VpcPeeringConnectionId", name=Field("", name_tag_or("VpcPeeringConnectionId")),
    tags=Field("Tags", tag_list), arn_format="arn:aws:ec2:{region}:{account}:vpc-peering-connection/{id}",
    props={
        "connection_accepter_vpc_info": peer_vpc("AccepterVpcInfo"),
        "connection_expiration_time": Field("ExpirationTime", timestamp),
        "connection_requester_vpc_info": peer_vpc("RequesterVpcInfo"),
        "peering_connection_status": Field("Status", struct({"code": "Code", "message": "Message"})),
    },
    # as Fix draws it: each VPC of the peering leads to it, the requester's as its parent (a VPC of another
    # account or region is not collected here: that edge is dropped, and one without a parent hangs below the region)
    parent=(Edge("aws_vpc", "RequesterVpcInfo.VpcId"),),
    edges=(Edge("aws_vpc", "AccepterVpcInfo.VpcId", reverse=True),),
)  # fmt: skip

aws_service("ec2_routing", ROUTE_TABLE, FLOW_LOG, PEERING_CONNECTION)
