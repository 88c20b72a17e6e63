"""EC2 images this account owns and launch templates (with their default version's data)."""

from __future__ import annotations

from cloudsift.collect.aws.convert import Field, Source, as_bool, each, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service

EBS: dict[str, Source] = {
    "delete_on_termination": "DeleteOnTermination", "iops": "Iops", "snapshot_id": "SnapshotId",
    "volume_size": "VolumeSize", "volume_type": "VolumeType", "kms_key_id": "KmsKeyId", "throughput": "Throughput",
    "outpost_arn": "OutpostArn", "encrypted": "Encrypted",
}  # fmt: skip

IMAGE = AwsKind(
    "aws_ec2_image",
    Listing("ec2", "DescribeImages", "Images", {"Owners": ["self"]}),
    id="ImageId", name=Field("", lambda i: i.get("Name") or i["ImageId"]), tags=Field("Tags", tag_list),
    ctime="CreationDate", arn_format="arn:aws:ec2:{region}::image/{id}", node="image/",
    props={
        "architecture": "Architecture", "image_location": "ImageLocation", "image_type": "ImageType",
        "public": "Public", "kernel_id": "KernelId", "owner_id": "OwnerId", "platform": "Platform",
        "platform_details": "PlatformDetails", "usage_operation": "UsageOperation", "ramdisk_id": "RamdiskId",
        "state": "State",
        "block_device_mappings": Field("BlockDeviceMappings", each({
            "device_name": "DeviceName", "virtual_name": "VirtualName", "ebs": Field("Ebs", struct(EBS)),
            "no_device": "NoDevice",
        })),
        "description": "Description", "ena_support": "EnaSupport", "hypervisor": "Hypervisor",
        "image_owner_alias": "ImageOwnerAlias", "root_device_name": "RootDeviceName",
        "root_device_type": "RootDeviceType", "sriov_net_support": "SriovNetSupport",
        "state_reason": Field("StateReason", struct({"code": "Code", "message": "Message"})),
        "virtualization_type": "VirtualizationType", "boot_mode": "BootMode", "tpm_support": "TpmSupport",
        "deprecation_time": "DeprecationTime", "imds_support": "ImdsSupport", "source_instance_id": "SourceInstanceId",
    },
    where=lambda scope, image: image.get("OwnerId", scope.account.id) == scope.account.id,
)  # fmt: skip

TEMPLATE_DATA: dict[str, Source] = {
    "kernel_id": "KernelId", "ebs_optimized": "EbsOptimized",
    "iam_instance_profile": Field("IamInstanceProfile", struct({"arn": "Arn", "name": "Name"})),
    "network_interfaces": Field("NetworkInterfaces", each({
        "associate_carrier_ip_address": "AssociateCarrierIpAddress",
        "associate_public_ip_address": "AssociatePublicIpAddress", "delete_on_termination": "DeleteOnTermination",
        "description": "Description", "device_index": "DeviceIndex", "groups": "Groups",
        "interface_type": "InterfaceType", "ipv6_address_count": "Ipv6AddressCount",
        "network_interface_id": "NetworkInterfaceId", "private_ip_address": "PrivateIpAddress",
        "secondary_private_ip_address_count": "SecondaryPrivateIpAddressCount", "subnet_id": "SubnetId",
        "network_card_index": "NetworkCardIndex",
    })),
    "image_id": "ImageId", "instance_type": "InstanceType", "key_name": "KeyName",
    "monitoring": Field("Monitoring.Enabled", as_bool), "ram_disk_id": "RamDiskId",
    "disable_api_termination": "DisableApiTermination",
    "instance_initiated_shutdown_behavior": "InstanceInitiatedShutdownBehavior", "user_data": "UserData",
    "security_group_ids": "SecurityGroupIds", "security_groups": "SecurityGroups",
    "metadata_options": Field("MetadataOptions", struct({
        "state": "State", "http_tokens": "HttpTokens", "http_put_response_hop_limit": "HttpPutResponseHopLimit",
        "http_endpoint": "HttpEndpoint", "http_protocol_ipv6": "HttpProtocolIpv6",
        "instance_metadata_tags": "InstanceMetadataTags",
    })),
}  # fmt: skip

LAUNCH_TEMPLATE = AwsKind(
    "aws_ec2_launch_template",
    Listing("ec2", "DescribeLaunchTemplates", "LaunchTemplates"),
    id="LaunchTemplateId", name="LaunchTemplateName", tags=Field("Tags", tag_list), ctime="CreateTime",
    arn_format="arn:aws:ec2:{region}:{account}:launch-template/{id}", node="launch-template/",
    details=(Detail("DescribeLaunchTemplateVersions", "version",
                    {"LaunchTemplateId": "LaunchTemplateId", "Versions": lambda _: ["$Default"]},
                    key="LaunchTemplateVersions.0"),),
    props={
        "version_number": "version.VersionNumber", "version_description": "version.VersionDescription",
        "created_by": "version.CreatedBy", "is_default_version": "version.DefaultVersion",
        "launch_template_data": Field("version.LaunchTemplateData", struct(TEMPLATE_DATA)),
    },
    edges=(Edge("aws_ec2_image", "version.LaunchTemplateData.ImageId", reverse=True),),
)  # fmt: skip

aws_service("ec2_images", IMAGE, LAUNCH_TEMPLATE)
