"""EC2: VPCs, subnets, instances, network interfaces, security groups and volumes of one region, with Resoto's
property names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from cloudsift.collect.aws.convert import (
    Field,
    Source,
    base64_text,
    constant,
    each,
    ids_at,
    name_tag_or,
    non_empty,
    struct,
    tag_list,
)
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, Scope, aws_service

# Each service below is a task of its own, so a region's big lists are fetched side by side. Edges name
# their ends by id; an edge whose other end was not collected is dropped when the partition is written,
# and a resource whose parent is missing hangs below its region. Instances come with their VPCs and
# subnets: an instance whose subnet is missing (made during the collection) goes below its VPC. The network
# interfaces come with them too: one listing gives their own kind and the VPCs' vpc_in_use.

ARN = "arn:aws:ec2:{region}:{account}"
TAGS = Field("Tags", tag_list)


DESCRIBE_INSTANCE_TYPES_AT_ONCE = 100  # DescribeInstanceTypes takes at most 100 types per call
NETWORK_INTERFACES = Listing("ec2", "DescribeNetworkInterfaces", "NetworkInterfaces")


def vpcs_in_use(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    """The VPCs, each with Fix's vpc_in_use: a network interface is in it (the interfaces of the region,
    listed once for this and for the interfaces' own kind)."""
    used = {nic.get("VpcId") for nic in NETWORK_INTERFACES.listed(client, scope)}
    for page in client.get_paginator("describe_vpcs").paginate():
        yield from ({**vpc, "in_use": vpc["VpcId"] in used} for vpc in page.get("Vpcs", []))


def instances_with_types(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    """The instances not terminated, each with its type's description as `type` (one call for all the
    types)."""
    instances = [
        instance
        for page in client.get_paginator("describe_instances").paginate()
        for reservation in page.get("Reservations", [])
        for instance in reservation.get("Instances", [])
        if instance.get("State", {}).get("Name") != "terminated"
    ]
    types = _types(client, {i.get("InstanceType") for i in instances if i.get("InstanceType")})
    yield from ({**i, "type": types.get(i.get("InstanceType", ""))} for i in instances)


def _types(client: Any, names: set[str]) -> dict[str, dict[str, Any]]:
    ordered = sorted(names)
    found: list[dict[str, Any]] = []
    try:
        for start in range(0, len(ordered), DESCRIBE_INSTANCE_TYPES_AT_ONCE):
            chunk = ordered[start : start + DESCRIBE_INSTANCE_TYPES_AT_ONCE]
            found += client.describe_instance_types(InstanceTypes=chunk)["InstanceTypes"]
    except ClientError:  # memory is informative: a region without the API (or the right) still collects
        # its instances; a timeout or a connection error is no answer and fails the service
        return {}
    return {t["InstanceType"]: t for t in found}


def mib_as_gib(value: Any) -> float | None:
    return None if value is None else value / 1024


def cores(instance: Any) -> int | None:
    """Fix's instance_cores: its type's default vCPUs (DescribeInstanceTypes' VCpuInfo.DefaultVCpus), which
    Fix copies onto the instance from its instance type node; CpuOptions.CoreCount, which Fix maps first,
    where the type is unknown. Not cores x threads: an instance launched with fewer still counts its type's."""
    default = ((instance.get("type") or {}).get("VCpuInfo") or {}).get("DefaultVCpus")
    return default if default is not None else (instance.get("CpuOptions") or {}).get("CoreCount")


def private_ips(addresses: Any) -> list[str]:
    return [a["PrivateIpAddress"] for a in addresses or [] if a.get("PrivateIpAddress")]


def public_ips(addresses: Any) -> list[str]:
    return [
        a["Association"]["PublicIp"] for a in addresses or [] if (a.get("Association") or {}).get("PublicIp")
    ]


def group_name_or_id(group: dict[str, Any]) -> Any:
    return group.get("GroupName") or group.get("GroupId")


def attached_instances(attachments: Any) -> list[str]:
    """The instances a volume is attached to (one, unless multi-attach)."""
    return [
        a["InstanceId"]
        for a in attachments or []
        if a.get("InstanceId") and a.get("State", "attached") in ("attached", "attaching")
    ]


PERMISSIONS = each({
    "ip_protocol": "IpProtocol", "from_port": "FromPort", "to_port": "ToPort",
    "ip_ranges": Field("IpRanges", each({"cidr_ip": "CidrIp", "description": "Description"})),
    "ipv6_ranges": Field("Ipv6Ranges", each({"cidr_ipv6": "CidrIpv6", "description": "Description"})),
    "prefix_list_ids": Field("PrefixListIds", each({"prefix_list_id": "PrefixListId", "description": "Description"})),
    "user_id_group_pairs": Field("UserIdGroupPairs", each({
        "group_id": "GroupId", "group_name": "GroupName", "user_id": "UserId", "vpc_id": "VpcId",
        "description": "Description",
    })),
})  # fmt: skip

VPC = AwsKind(
    "aws_vpc",
    Listing("ec2", "DescribeVpcs", "Vpcs", read=vpcs_in_use, fills={"in_use": "DescribeNetworkInterfaces"}),
    id="VpcId", name=Field("", name_tag_or("VpcId")), tags=TAGS, arn_format=ARN + ":vpc/{id}",
    props={"vpc_cidr_block": "CidrBlock", "vpc_is_default": "IsDefault", "vpc_state": "State", "vpc_in_use": "in_use"},
)  # fmt: skip

SUBNET = AwsKind(
    "aws_ec2_subnet",
    Listing("ec2", "DescribeSubnets", "Subnets"),
    id="SubnetId", name=Field("", name_tag_or("SubnetId")), tags=TAGS, arn="SubnetArn",
    arn_format=ARN + ":subnet/{id}",
    props={
        "subnet_cidr_block": "CidrBlock", "subnet_map_public_ip_on_launch": "MapPublicIpOnLaunch",
        "subnet_available_ip_address_count": "AvailableIpAddressCount",
    },
    parent=(Edge("aws_vpc", "VpcId"),),
)  # fmt: skip

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

# the rest of what DescribeInstances says of an instance, as Fix names it
INSTANCE_DETAILS: dict[str, Source] = {
    "instance_ami_launch_index": "AmiLaunchIndex", "instance_kernel_id": "KernelId", "instance_ramdisk_id": "RamdiskId",
    "instance_placement": Field("Placement", struct({
        "availability_zone": "AvailabilityZone", "affinity": "Affinity", "group_name": "GroupName",
        "partition_number": "PartitionNumber", "host_id": "HostId", "tenancy": "Tenancy",
        "spread_domain": "SpreadDomain", "host_resource_group_arn": "HostResourceGroupArn",
    })),
    "instance_state_transition_reason": "StateTransitionReason",
    "instance_state_reason": Field("StateReason", struct({"code": "Code", "message": "Message"})),
    "instance_block_device_mappings": Field("BlockDeviceMappings", each({
        "device_name": "DeviceName",
        "ebs": Field("Ebs", struct({
            "attach_time": "AttachTime", "delete_on_termination": "DeleteOnTermination", "status": "Status",
            "volume_id": "VolumeId",
        })),
    })),
    "instance_security_groups": Field("SecurityGroups", each({"group_name": "GroupName", "group_id": "GroupId"})),
    "instance_cpu_options": Field("CpuOptions", struct({"core_count": "CoreCount", "threads_per_core": "ThreadsPerCore"})),
    "instance_client_token": "ClientToken", "instance_ena_support": "EnaSupport", "instance_hypervisor": "Hypervisor",
    "instance_lifecycle": "InstanceLifecycle", "instance_outpost_arn": "OutpostArn",
    "instance_root_device_name": "RootDeviceName", "instance_source_dest_check": "SourceDestCheck",
    "instance_spot_instance_request_id": "SpotInstanceRequestId", "instance_sriov_net_support": "SriovNetSupport",
    "instance_virtualization_type": "VirtualizationType", "instance_capacity_reservation_id": "CapacityReservationId",
    "instance_hibernation_options": "HibernationOptions.Configured", "instance_enclave_options": "EnclaveOptions.Enabled",
    "instance_boot_mode": "BootMode", "instance_platform_details": "PlatformDetails",
    "instance_usage_operation": "UsageOperation", "instance_usage_operation_update_time": "UsageOperationUpdateTime",
    "instance_ipv6_address": "Ipv6Address", "instance_tpm_support": "TpmSupport",
    "instance_maintenance_options": "MaintenanceOptions.AutoRecovery",
    "instance_licenses": Field("Licenses", ids_at("LicenseConfigurationArn")),
}  # fmt: skip

INSTANCE = AwsKind(
    "aws_ec2_instance",
    Listing("ec2", "DescribeInstances", "Reservations.Instances", read=instances_with_types,
            fills={"type": "DescribeInstanceTypes"}),
    id="InstanceId", name=Field("", name_tag_or("InstanceId")), tags=TAGS, arn_format=ARN + ":instance/{id}",
    ctime="LaunchTime",
    details=(
        Detail("DescribeInstanceAttribute", "attribute", {"InstanceId": "InstanceId", "Attribute": constant("userData")},
               missing=("InvalidInstanceID.NotFound",)),
    ),
    props={
        "instance_user_data": Field("attribute.UserData.Value", base64_text),
        "instance_type": "InstanceType", "instance_cores": Field("", cores), "instance_memory": Field("type.MemoryInfo.SizeInMiB", mib_as_gib),
        "instance_status": "State.Name", "instance_image_id": "ImageId", "instance_key_name": "KeyName",
        "instance_launch_time": "LaunchTime", "instance_public_ip_address": "PublicIpAddress",
        "instance_private_ip_address": "PrivateIpAddress", **INSTANCE_SECURITY, **INSTANCE_DETAILS,
    },
    # below its subnet, else its VPC (a subnet made during the collection is missing), else the region
    parent=(Edge("aws_ec2_subnet", "SubnetId"), Edge("aws_vpc", "VpcId")),
    edges=(Edge("aws_ec2_security_group", "SecurityGroups", ids_at("GroupId"), reverse=True),),
)  # fmt: skip

SECURITY_GROUP = AwsKind(
    "aws_ec2_security_group",
    Listing("ec2", "DescribeSecurityGroups", "SecurityGroups"),
    id="GroupId", name=Field("", group_name_or_id), tags=TAGS, arn_format=ARN + ":security-group/{id}",
    props={
        "description": "Description", "group_ip_permissions": Field("IpPermissions", PERMISSIONS),
        "group_ip_permissions_egress": Field("IpPermissionsEgress", PERMISSIONS),
    },
    parent=(Edge("aws_vpc", "VpcId"),),
)  # fmt: skip

VOLUME = AwsKind(
    "aws_ec2_volume",
    Listing("ec2", "DescribeVolumes", "Volumes"),
    id="VolumeId", name=Field("", name_tag_or("VolumeId")), tags=TAGS, arn_format=ARN + ":volume/{id}",
    ctime="CreateTime",
    props={
        "volume_size": "Size", "volume_type": "VolumeType", "volume_status": "State", "volume_encrypted": "Encrypted",
        "volume_iops": "Iops", "volume_throughput": "Throughput", "volume_kms_key_id": "KmsKeyId",
        "volume_multi_attach_enabled": "MultiAttachEnabled", "volume_snapshot_id": Field("SnapshotId", non_empty),
        "volume_attachments": Field("Attachments", each({
            "attach_time": "AttachTime", "device": "Device", "instance_id": "InstanceId", "state": "State",
            "volume_id": "VolumeId", "delete_on_termination": "DeleteOnTermination",
        })),
        "availability_zone": "AvailabilityZone", "volume_outpost_arn": "OutpostArn", "volume_fast_restored": "FastRestored",
    },
    # below each instance it is attached to; below the region without one
    edges=(Edge("aws_ec2_instance", "Attachments", attached_instances, reverse=True),),
)  # fmt: skip

NETWORK_INTERFACE = AwsKind(
    "aws_ec2_network_interface",
    NETWORK_INTERFACES,
    # DescribeNetworkInterfaces answers its tags as TagSet where the other EC2 lists say Tags
    id="NetworkInterfaceId", name=Field("", name_tag_or("NetworkInterfaceId")), tags=Field("TagSet", tag_list),
    arn_format=ARN + ":network-interface/{id}",
    props={
        "network_interface_status": "Status", "network_interface_type": "InterfaceType", "mac": "MacAddress",
        "description": "Description", "private_ips": Field("PrivateIpAddresses", private_ips),
        "public_ips": Field("PrivateIpAddresses", public_ips), "nic_private_ip_address": "PrivateIpAddress",
        "nic_subnet_id": "SubnetId", "nic_availability_zone": "AvailabilityZone",
        "nic_source_dest_check": "SourceDestCheck",
    },
    parent=(Edge("aws_ec2_subnet", "SubnetId"),),
    edges=(Edge("aws_ec2_instance", "Attachment.InstanceId", reverse=True),),
)  # fmt: skip

aws_service("ec2", VPC, SUBNET, INSTANCE, NETWORK_INTERFACE)
aws_service("ec2_security_groups", SECURITY_GROUP)
aws_service("ec2_volumes", VOLUME)
