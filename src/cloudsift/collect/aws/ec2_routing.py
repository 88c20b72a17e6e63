"""EC2 routing and traffic logs: route tables and flow logs, below their VPCs."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, each, name_tag_or, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Edge, Listing, aws_service

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


aws_service("ec2_routing", ROUTE_TABLE, FLOW_LOG)
