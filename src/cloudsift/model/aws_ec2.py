"""EC2 kinds beyond the network basics: route tables, flow logs, VPC peerings, own images, launch templates
(Fix's names)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsEc2StateReason, AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsEc2RouteTableAssociationState:
    state: str
    status_message: str


@struct
class AwsEc2RouteTableAssociation:
    main: bool
    route_table_association_id: str
    route_table_id: str
    subnet_id: str
    gateway_id: str
    association_state: AwsEc2RouteTableAssociationState


@struct
class AwsEc2Route:
    """One route: where traffic to the destination goes."""

    destination_cidr_block: str
    destination_ipv6_cidr_block: str
    destination_prefix_list_id: str
    egress_only_internet_gateway_id: str
    gateway_id: str
    instance_id: str
    instance_owner_id: str
    nat_gateway_id: str
    transit_gateway_id: str
    local_gateway_id: str
    carrier_gateway_id: str
    network_interface_id: str
    origin: str
    state: str
    vpc_peering_connection_id: str
    core_network_arn: str


@kind_class
class AwsEc2RouteTable(AwsResource):
    """A route table of a VPC."""

    kind: ClassVar[str] = "aws_ec2_route_table"
    route_table_associations: list[AwsEc2RouteTableAssociation]
    route_table_propagating_vgws: list[str]
    route_table_routes: list[AwsEc2Route]
    owner_id: str


@struct
class AwsEc2DestinationOption:
    file_format: str
    hive_compatible_partitions: bool
    per_hour_partition: bool


@kind_class
class AwsEc2FlowLog(AwsResource):
    """A VPC (or subnet, or interface) flow log; a VPC without one fails Fix's vpc_flow_logs_enabled."""

    kind: ClassVar[str] = "aws_ec2_flow_log"
    deliver_logs_error_message: str
    deliver_logs_permission_arn: str
    deliver_cross_account_role: str
    deliver_logs_status: str
    flow_log_status: str
    resource_id: str
    traffic_type: str
    log_destination_type: str
    log_destination: str
    log_format: str
    log_group_name: str
    max_aggregation_interval: int
    destination_options: AwsEc2DestinationOption


@struct
class AwsVpcPeeringConnectionOptionsDescription:
    allow_dns_resolution_from_remote_vpc: bool
    allow_egress_from_local_classic_link_to_remote_vpc: bool
    allow_egress_from_local_vpc_to_remote_classic_link: bool


@struct
class AwsVpcPeeringConnectionVpcInfo:
    """One side of a peering: its VPC, that VPC's owner and region, and the address ranges it offers."""

    cidr_block: str
    ipv6_cidr_block_set: list[str]
    cidr_block_set: list[str]
    owner_id: str
    peering_options: AwsVpcPeeringConnectionOptionsDescription
    vpc_id: str
    region: str


@struct
class AwsVpcPeeringConnectionStateReason:
    code: str
    message: str


@kind_class
class AwsVpcPeeringConnection(AwsResource):
    """A peering between two VPCs (of this account or another's, in this region or another); each VPC of
    this account that it joins leads to it. `peering_connection_status.code` is `active` once accepted."""

    kind: ClassVar[str] = "aws_vpc_peering_connection"
    connection_accepter_vpc_info: AwsVpcPeeringConnectionVpcInfo
    connection_expiration_time: dt.datetime
    connection_requester_vpc_info: AwsVpcPeeringConnectionVpcInfo
    peering_connection_status: AwsVpcPeeringConnectionStateReason


@struct
class AwsEc2EbsBlockDevice:
    delete_on_termination: bool
    iops: int
    snapshot_id: str
    volume_size: int
    volume_type: str
    kms_key_id: str
    throughput: int
    outpost_arn: str
    encrypted: bool


@struct
class AwsEc2BlockDeviceMapping:
    device_name: str
    virtual_name: str
    ebs: AwsEc2EbsBlockDevice
    no_device: str


@kind_class
class AwsEc2Image(AwsResource):
    """An AMI this account owns; `public` says whether everyone may launch it."""

    kind: ClassVar[str] = "aws_ec2_image"
    architecture: str
    image_location: str
    image_type: str
    public: bool
    kernel_id: str
    owner_id: str
    platform: str
    platform_details: str
    usage_operation: str
    ramdisk_id: str
    state: str
    block_device_mappings: list[AwsEc2BlockDeviceMapping]
    description: str
    ena_support: bool
    hypervisor: str
    image_owner_alias: str
    root_device_name: str
    root_device_type: str
    sriov_net_support: str
    state_reason: AwsEc2StateReason
    virtualization_type: str
    boot_mode: str
    tpm_support: str
    deprecation_time: str
    imds_support: str
    source_instance_id: str


@struct
class AwsEc2LaunchTemplateIamInstanceProfileSpecification:
    arn: str
    name: str


@struct
class AwsEc2LaunchTemplateInstanceNetworkInterfaceSpecification:
    associate_carrier_ip_address: bool
    associate_public_ip_address: bool
    delete_on_termination: bool
    description: str
    device_index: int
    groups: list[str]
    interface_type: str
    ipv6_address_count: int
    network_interface_id: str
    private_ip_address: str
    secondary_private_ip_address_count: int
    subnet_id: str
    network_card_index: int


@struct
class AwsEc2LaunchTemplateInstanceMetadataOptions:
    state: str
    http_tokens: str
    http_put_response_hop_limit: int
    http_endpoint: str
    http_protocol_ipv6: str
    instance_metadata_tags: str


@struct
class AwsEc2LaunchTemplateData:
    """What an instance launched from the template gets."""

    kernel_id: str
    ebs_optimized: bool
    iam_instance_profile: AwsEc2LaunchTemplateIamInstanceProfileSpecification
    network_interfaces: list[AwsEc2LaunchTemplateInstanceNetworkInterfaceSpecification]
    image_id: str
    instance_type: str
    key_name: str
    monitoring: bool
    ram_disk_id: str
    disable_api_termination: bool
    instance_initiated_shutdown_behavior: str
    user_data: str
    security_group_ids: list[str]
    security_groups: list[str]
    metadata_options: AwsEc2LaunchTemplateInstanceMetadataOptions


@kind_class
class AwsEc2LaunchTemplate(AwsResource):
    """A launch template, with its default version's data."""

    kind: ClassVar[str] = "aws_ec2_launch_template"
    version_number: int
    version_description: str
    created_by: str
    is_default_version: bool
    launch_template_data: AwsEc2LaunchTemplateData
