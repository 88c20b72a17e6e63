"""EC2 beyond instances: snapshots, network ACLs, internet gateways, elastic IPs."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, constant, each, ids_at, name_tag_or, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Edge, Listing, Scope, aws_service

ARN = "arn:aws:ec2:{region}:{account}"
TAGS = Field("Tags", tag_list)


def own(scope: Scope, snapshot: dict[str, Any]) -> bool:
    """Shared or public snapshots belong to their owner."""
    return bool(snapshot.get("OwnerId", scope.account.id) == scope.account.id)


def allocation_or_ip(address: dict[str, Any]) -> Any:
    return address.get("AllocationId") or address.get("PublicIp", "")


def public_or_private_ip(address: dict[str, Any]) -> Any:
    return address.get("PublicIp") or address.get("PrivateIpAddress")


SNAPSHOT = AwsKind(
    "aws_ec2_snapshot",
    Listing("ec2", "DescribeSnapshots", "Snapshots", params={"OwnerIds": ["self"]}),
    id="SnapshotId", name=Field("", name_tag_or("SnapshotId")), tags=TAGS, ctime="StartTime",
    arn_format=ARN + ":snapshot/{id}", where=own,
    props={
        "snapshot_status": "State", "snapshot_progress": "Progress", "description": "Description",
        "volume_id": "VolumeId", "encrypted": "Encrypted", "volume_size": "VolumeSize", "owner_id": "OwnerId",
        "owner_alias": "OwnerAlias", "snapshot_kms_key_id": "KmsKeyId",
    },
    edges=(Edge("aws_ec2_volume", "VolumeId", reverse=True),),
)  # fmt: skip

NETWORK_ACL = AwsKind(
    "aws_ec2_network_acl",
    Listing("ec2", "DescribeNetworkAcls", "NetworkAcls"),
    id="NetworkAclId", name=Field("", name_tag_or("NetworkAclId")), tags=TAGS,
    arn_format=ARN + ":network-acl/{id}",
    props={
        "is_default": "IsDefault",
        "acl_entries": Field("Entries", each({
            "rule_number": "RuleNumber", "protocol": "Protocol", "rule_action": "RuleAction", "egress": "Egress",
            "cidr_block": "CidrBlock", "ipv6_cidr_block": "Ipv6CidrBlock",
            "port_range": Field("PortRange", struct({"from_range": "From", "to_range": "To"})),
            "icmp_type_code": Field("IcmpTypeCode", struct({"code": "Code", "type": "Type"})),
        })),
    },
    parent=(Edge("aws_vpc", "VpcId"),),
)  # fmt: skip

INTERNET_GATEWAY = AwsKind(
    "aws_ec2_internet_gateway",
    Listing("ec2", "DescribeInternetGateways", "InternetGateways"),
    id="InternetGatewayId", name=Field("", name_tag_or("InternetGatewayId")), tags=TAGS,
    arn_format=ARN + ":internet-gateway/{id}",
    parent=(Edge("aws_vpc", "Attachments", ids_at("VpcId")),),  # the first VPC it is attached to
)  # fmt: skip

ELASTIC_IP = AwsKind(
    "aws_ec2_elastic_ip",
    Listing("ec2", "DescribeAddresses", "Addresses"),
    id=Field("", allocation_or_ip),
    name=Field("", name_tag_or("PublicIp", "AllocationId")), tags=TAGS, arn_format=ARN + ":elastic-ip/{id}",
    props={
        "ip_address": Field("", public_or_private_ip),
        "ip_address_family": Field("", constant("ipv4")), "public_ip": "PublicIp",
        "private_ip_address": "PrivateIpAddress", "ip_allocation_id": "AllocationId",
        "ip_association_id": "AssociationId", "ip_domain": "Domain", "ip_network_interface_id": "NetworkInterfaceId",
    },
    edges=(Edge("aws_ec2_instance", "InstanceId", reverse=True),),
)  # fmt: skip

aws_service("ec2_network", SNAPSHOT, NETWORK_ACL, INTERNET_GATEWAY, ELASTIC_IP)
