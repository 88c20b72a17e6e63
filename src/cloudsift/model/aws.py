"""AWS kinds, with Resoto's names and property names."""

from __future__ import annotations

from typing import ClassVar

from cloudsift.model.base import struct
from cloudsift.model.core import (
    Account,
    Instance,
    Network,
    Region,
    Resource,
    SecurityGroup,
    Subnet,
    Volume,
    Zone,
    kind_class,
)


@kind_class
class AwsResource(Resource):
    """Every AWS resource; `arn` is its Amazon Resource Name."""

    kind: ClassVar[str] = "aws_resource"
    abstract: ClassVar[bool] = True
    arn: str


@kind_class
class AwsAccount(Account, AwsResource):
    """An AWS account: `id` is the account number, `name` its alias when it has one."""

    kind: ClassVar[str] = "aws_account"
    account_alias: str


@kind_class
class AwsRegion(Region, AwsResource):
    """An AWS region of an account."""

    kind: ClassVar[str] = "aws_region"


@kind_class
class AwsZone(Zone, AwsResource):
    """An availability zone of an AWS region."""

    kind: ClassVar[str] = "aws_zone"


@kind_class
class AwsVpc(Network, AwsResource):
    """A virtual private cloud."""

    kind: ClassVar[str] = "aws_vpc"
    vpc_cidr_block: str
    vpc_is_default: bool
    vpc_state: str


@kind_class
class AwsEc2Subnet(Subnet, AwsResource):
    """A subnet of a VPC."""

    kind: ClassVar[str] = "aws_ec2_subnet"
    subnet_cidr_block: str
    subnet_map_public_ip_on_launch: bool
    subnet_available_ip_address_count: int


@struct
class AwsEc2IpRange:
    cidr_ip: str
    description: str


@struct
class AwsEc2Ipv6Range:
    cidr_ipv6: str
    description: str


@struct
class AwsEc2PrefixListId:
    prefix_list_id: str
    description: str


@struct
class AwsEc2UserIdGroupPair:
    group_id: str
    group_name: str
    user_id: str
    vpc_id: str
    description: str


@struct
class AwsEc2IpPermission:
    """One rule of a security group: protocol, port range and sources."""

    from_port: int
    to_port: int
    ip_protocol: str
    ip_ranges: list[AwsEc2IpRange]
    ipv6_ranges: list[AwsEc2Ipv6Range]
    prefix_list_ids: list[AwsEc2PrefixListId]
    user_id_group_pairs: list[AwsEc2UserIdGroupPair]


@kind_class
class AwsEc2SecurityGroup(SecurityGroup, AwsResource):
    """An EC2 security group. `ip_protocol` "-1" means every protocol."""

    kind: ClassVar[str] = "aws_ec2_security_group"
    description: str
    group_ip_permissions: list[AwsEc2IpPermission]
    group_ip_permissions_egress: list[AwsEc2IpPermission]
    prop_docs: ClassVar[dict[str, str]] = {
        "group_ip_permissions": "Inbound rules.",
        "group_ip_permissions_egress": "Outbound rules.",
    }


@kind_class
class AwsEc2Instance(Instance, AwsResource):
    """An EC2 instance."""

    kind: ClassVar[str] = "aws_ec2_instance"
    instance_image_id: str
    instance_key_name: str
    instance_public_ip_address: str
    instance_private_ip_address: str
    instance_launch_time: str


@kind_class
class AwsEc2Volume(Volume, AwsResource):
    """An EBS volume."""

    kind: ClassVar[str] = "aws_ec2_volume"
    volume_iops: int
    snapshot_id: str
