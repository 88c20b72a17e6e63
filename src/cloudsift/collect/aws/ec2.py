"""EC2: VPCs, subnets, security groups, instances and volumes of one region, with Resoto's property names."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from cloudsift.collect.aws.accounts import Account
from cloudsift.collect.aws.convert import Field, Source, map_item, struct
from cloudsift.collect.aws.service import Region, service
from cloudsift.collect.aws.values import name_of as _name
from cloudsift.collect.aws.values import pages as _pages
from cloudsift.collect.aws.values import tags_of as _tags
from cloudsift.collect.graph import GraphBuilder


def _permissions(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "ip_protocol": rule.get("IpProtocol"),
            "from_port": rule.get("FromPort"),
            "to_port": rule.get("ToPort"),
            "ip_ranges": [
                {"cidr_ip": r.get("CidrIp"), "description": r.get("Description")}
                for r in rule.get("IpRanges", [])
            ],
            "ipv6_ranges": [
                {"cidr_ipv6": r.get("CidrIpv6"), "description": r.get("Description")}
                for r in rule.get("Ipv6Ranges", [])
            ],
            "prefix_list_ids": [
                {"prefix_list_id": r.get("PrefixListId"), "description": r.get("Description")}
                for r in rule.get("PrefixListIds", [])
            ],
            "user_id_group_pairs": [
                {
                    "group_id": p.get("GroupId"),
                    "group_name": p.get("GroupName"),
                    "user_id": p.get("UserId"),
                    "vpc_id": p.get("VpcId"),
                    "description": p.get("Description"),
                }
                for p in rule.get("UserIdGroupPairs", [])
            ],
        }
        for rule in rules
    ]


# Each service below is a task of its own, so a region's big lists are fetched side by side. Edges name
# their ends by id; an edge whose other end was not collected is dropped when the partition is written,
# and a resource whose parent is missing hangs below its region. Instances come with their VPCs and
# subnets: an instance whose subnet is missing (made during the collection) goes below its VPC.


@service(
    "ec2",
    api_calls=(
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeNetworkInterfaces",
    ),
    kinds=("aws_vpc", "aws_ec2_subnet", "aws_ec2_instance"),
)
def collect_ec2(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("ec2", region.name)
    arn = f"arn:aws:ec2:{region.name}:{account.id}"
    vpcs: dict[str, str] = {}
    # Fix's vpc_in_use: a network interface is in it (the interfaces themselves are a task of their own)
    used = {nic.get("VpcId") for nic in _pages(client, "describe_network_interfaces", "NetworkInterfaces")}
    for vpc in _pages(client, "describe_vpcs", "Vpcs"):
        vpc_id = vpc["VpcId"]
        vpcs[vpc_id] = graph.add(region.node(vpc_id), "aws_vpc", {
            "id": vpc_id, "name": _name(vpc, vpc_id), "tags": _tags(vpc), "arn": f"{arn}:vpc/{vpc_id}",
            "vpc_cidr_block": vpc.get("CidrBlock"), "vpc_is_default": vpc.get("IsDefault"), "vpc_state": vpc.get("State"),
            "vpc_in_use": vpc_id in used,
        }, parent=region.id)  # fmt: skip
    subnets: dict[str, str] = {}
    for subnet in _pages(client, "describe_subnets", "Subnets"):
        subnet_id = subnet["SubnetId"]
        subnets[subnet_id] = graph.add(region.node(subnet_id), "aws_ec2_subnet", {
            "id": subnet_id, "name": _name(subnet, subnet_id), "tags": _tags(subnet),
            "arn": subnet.get("SubnetArn") or f"{arn}:subnet/{subnet_id}",
            "subnet_cidr_block": subnet.get("CidrBlock"),
            "subnet_map_public_ip_on_launch": subnet.get("MapPublicIpOnLaunch"),
            "subnet_available_ip_address_count": subnet.get("AvailableIpAddressCount"),
        }, parent=vpcs.get(subnet.get("VpcId", ""), region.id))  # fmt: skip
    _instances(client, arn, region, graph, {**vpcs, **subnets})


@service("ec2_security_groups", api_calls=("ec2:DescribeSecurityGroups",), kinds=("aws_ec2_security_group",))
def collect_security_groups(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("ec2", region.name)
    arn = f"arn:aws:ec2:{region.name}:{account.id}"
    for group in _pages(client, "describe_security_groups", "SecurityGroups"):
        group_id = group["GroupId"]
        graph.add(region.node(group_id), "aws_ec2_security_group", {
            "id": group_id, "name": group.get("GroupName") or group_id, "tags": _tags(group),
            "arn": f"{arn}:security-group/{group_id}", "description": group.get("Description"),
            "group_ip_permissions": _permissions(group.get("IpPermissions", [])),
            "group_ip_permissions_egress": _permissions(group.get("IpPermissionsEgress", [])),
        }, parent=region.node(group["VpcId"]) if group.get("VpcId") else None)  # fmt: skip


# what Fix's instance checks read (IMDSv2, a profile on a public instance, an instance outside a VPC)
INSTANCE_SECURITY: dict[str, Source] = {
    "instance_subnet_id": "SubnetId",
    "instance_iam_instance_profile": Field("IamInstanceProfile", struct({"arn": "Arn", "id": "Id"})),
    "instance_metadata_options": Field("MetadataOptions", struct({
        "state": "State", "http_tokens": "HttpTokens", "http_put_response_hop_limit": "HttpPutResponseHopLimit",
        "http_endpoint": "HttpEndpoint", "http_protocol_ipv6": "HttpProtocolIpv6",
        "instance_metadata_tags": "InstanceMetadataTags",
    })),
    "instance_architecture": "Architecture", "instance_platform": "Platform",
    "instance_private_dns_name": "PrivateDnsName", "instance_public_dns_name": "PublicDnsName",
    "instance_root_device_type": "RootDeviceType", "instance_ebs_optimized": "EbsOptimized",
    "instance_monitoring": "Monitoring.State",
}  # fmt: skip


def _instances(client: Any, arn: str, region: Region, graph: GraphBuilder, collected: dict[str, str]) -> None:
    """The region's instances, each below its subnet, else its VPC, else the region (`collected`: those
    networks by id)."""
    instances = [
        instance
        for reservation in _pages(client, "describe_instances", "Reservations")
        for instance in reservation.get("Instances", [])
        if instance.get("State", {}).get("Name") != "terminated"
    ]
    memory = _memory_by_type(client, {i.get("InstanceType") for i in instances if i.get("InstanceType")})
    for instance in instances:
        instance_id = instance["InstanceId"]
        cpu = instance.get("CpuOptions") or {}
        cores = cpu.get("CoreCount", 0) * cpu.get("ThreadsPerCore", 1) or None
        node = graph.add(region.node(instance_id), "aws_ec2_instance", {
            "id": instance_id, "name": _name(instance, instance_id), "tags": _tags(instance),
            "arn": f"{arn}:instance/{instance_id}", "ctime": instance.get("LaunchTime"),
            "instance_type": instance.get("InstanceType"), "instance_cores": cores,
            "instance_memory": memory.get(instance.get("InstanceType", "")),
            "instance_status": instance.get("State", {}).get("Name"), "instance_image_id": instance.get("ImageId"),
            "instance_key_name": instance.get("KeyName"), "instance_launch_time": instance.get("LaunchTime"),
            "instance_public_ip_address": instance.get("PublicIpAddress"),
            "instance_private_ip_address": instance.get("PrivateIpAddress"),
            **map_item(INSTANCE_SECURITY, instance),
        }, parent=collected.get(instance.get("SubnetId", "")) or collected.get(instance.get("VpcId", ""), region.id))  # fmt: skip
        for group in instance.get("SecurityGroups", []):
            if group.get("GroupId"):
                graph.edge(region.node(group["GroupId"]), node)


@service("ec2_volumes", api_calls=("ec2:DescribeVolumes",), kinds=("aws_ec2_volume",))
def collect_volumes(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("ec2", region.name)
    arn = f"arn:aws:ec2:{region.name}:{account.id}"
    for volume in _pages(client, "describe_volumes", "Volumes"):
        volume_id = volume["VolumeId"]
        node = graph.add(region.node(volume_id), "aws_ec2_volume", {
            "id": volume_id, "name": _name(volume, volume_id), "tags": _tags(volume),
            "arn": f"{arn}:volume/{volume_id}", "ctime": volume.get("CreateTime"), "volume_size": volume.get("Size"),
            "volume_type": volume.get("VolumeType"), "volume_status": volume.get("State"),
            "volume_encrypted": volume.get("Encrypted"), "volume_iops": volume.get("Iops"),
            "volume_throughput": volume.get("Throughput"), "volume_kms_key_id": volume.get("KmsKeyId"),
            "volume_multi_attach_enabled": volume.get("MultiAttachEnabled"),
            "volume_snapshot_id": volume.get("SnapshotId") or None,
        })  # fmt: skip
        # below each instance it is attached to (one, unless multi-attach); below the region without one
        for attachment in volume.get("Attachments", []):
            if attachment.get("InstanceId") and attachment.get("State", "attached") in _ATTACHED:
                graph.edge(region.node(attachment["InstanceId"]), node)


_ATTACHED = ("attached", "attaching")


def _memory_by_type(client: Any, types: set[str]) -> dict[str, float]:
    if not types:
        return {}
    try:
        found = client.describe_instance_types(InstanceTypes=sorted(types))["InstanceTypes"]
    except ClientError:  # memory is informative: a region without the API (or the right) still collects
        # its instances; a timeout or a connection error is no answer and fails the service
        return {}
    return {t["InstanceType"]: t.get("MemoryInfo", {}).get("SizeInMiB", 0) / 1024 for t in found}
