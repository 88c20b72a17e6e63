"""AWS kinds, with Fix Inventory's kind and property names (tests/model/test_fix_names.py holds them)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws_alb import AwsAlbListener
from cloudsift.model.base import struct
from cloudsift.model.core import (
    AccessKey,
    Account,
    Bucket,
    Instance,
    IpAddress,
    LoadBalancer,
    ManagedKubernetesClusterProvider,
    Network,
    NetworkInterface,
    Policy,
    Region,
    Resource,
    Role,
    SecurityGroup,
    Snapshot,
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
    """An AWS account: `id` is the account number, `name` its alias when it has one; the password policy its
    IAM users' console passwords must follow (collected by the iam service; kept as it was when that
    service fails). Without a policy of its own the account has no `minimum_password_length`, and
    `password_reuse_prevention` and `max_password_age` are 0, as in Fix; an account whose policy was never
    read has none of these properties."""

    kind: ClassVar[str] = "aws_account"
    account_alias: str
    minimum_password_length: int
    require_symbols: bool
    require_numbers: bool
    require_uppercase_characters: bool
    require_lowercase_characters: bool
    allow_users_to_change_password: bool
    expire_passwords: bool
    max_password_age: int
    password_reuse_prevention: int
    hard_expiry: bool
    is_organization_member: bool
    is_organization_master: bool
    organization_id: str
    organization_arn: str
    prop_docs: ClassVar[dict[str, str]] = {
        "is_organization_member": "It belongs to an AWS organization (DescribeOrganization, by the organizations "
        "service); false when it belongs to none, missing when that was never read.",
        "is_organization_master": "It is its organization's management account.",
        "minimum_password_length": "The fewest characters a password may have; missing: the account has no "
        "password policy of its own (AWS's default applies) or it was never read.",
        "max_password_age": "Days a password is valid; 0: passwords never expire.",
        "password_reuse_prevention": "How many earlier passwords a user may not use again; 0: any.",
        "hard_expiry": "An expired password can only be reset by an administrator.",
    }


@kind_class
class AwsRegion(Region, AwsResource):
    """An AWS region of an account."""

    kind: ClassVar[str] = "aws_region"
    region_in_use: bool
    prop_docs: ClassVar[dict[str, str]] = {
        "region_in_use": "As Fix decides: more than 3 resources below it that AWS does not make by itself "
        "(a default VPC, subnets, security groups, network ACLs, route tables, internet gateways and trails "
        "do not count)."
    }


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
    vpc_in_use: bool
    prop_docs: ClassVar[dict[str, str]] = {"vpc_in_use": "As Fix decides: a network interface is in it."}


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


@struct
class AwsEc2IamInstanceProfile:
    arn: str
    id: str


@struct
class AwsEc2InstanceMetadataOptionsResponse:
    """IMDS settings: `http_tokens` "required" means IMDSv2 only."""

    state: str
    http_tokens: str
    http_put_response_hop_limit: int
    http_endpoint: str
    http_protocol_ipv6: str
    instance_metadata_tags: str


@struct
class AwsEc2StateReason:
    code: str
    message: str


@struct
class AwsEc2Placement:
    availability_zone: str
    affinity: str
    group_name: str
    partition_number: int
    host_id: str
    tenancy: str
    spread_domain: str
    host_resource_group_arn: str


@struct
class AwsEc2EbsInstanceBlockDevice:
    attach_time: dt.datetime
    delete_on_termination: bool
    status: str
    volume_id: str


@struct
class AwsEc2InstanceBlockDeviceMapping:
    device_name: str
    ebs: AwsEc2EbsInstanceBlockDevice


@struct
class AwsEc2GroupIdentifier:
    group_name: str
    group_id: str


@struct
class AwsEc2CpuOptions:
    core_count: int
    threads_per_core: int


@kind_class
class AwsEc2Instance(Instance, AwsResource):
    """An EC2 instance. `instance_cores` and `instance_memory` are its type's, as Fix copies them from the
    instance type: its default vCPUs (VCpuInfo.DefaultVCpus; CpuOptions.CoreCount when the type is unknown)
    and memory in GiB; `instance_cpu_options` holds the cores and threads it was launched with."""

    kind: ClassVar[str] = "aws_ec2_instance"
    prop_docs: ClassVar[dict[str, str]] = {
        "instance_user_data": "The user data script as text (DescribeInstanceAttribute, base64-decoded), as Fix "
        "keeps it for its secrets check; null when there is none or it is not UTF-8",
    }
    instance_user_data: str
    instance_image_id: str
    instance_key_name: str
    instance_public_ip_address: str
    instance_private_ip_address: str
    instance_launch_time: dt.datetime
    instance_subnet_id: str
    instance_iam_instance_profile: AwsEc2IamInstanceProfile
    instance_metadata_options: AwsEc2InstanceMetadataOptionsResponse
    instance_architecture: str
    instance_platform: str
    instance_private_dns_name: str
    instance_public_dns_name: str
    instance_root_device_type: str
    instance_ebs_optimized: bool
    instance_monitoring: str
    instance_ami_launch_index: int
    instance_kernel_id: str
    instance_ramdisk_id: str
    instance_placement: AwsEc2Placement
    instance_state_transition_reason: str
    instance_state_reason: AwsEc2StateReason
    instance_block_device_mappings: list[AwsEc2InstanceBlockDeviceMapping]
    instance_security_groups: list[AwsEc2GroupIdentifier]
    instance_cpu_options: AwsEc2CpuOptions
    instance_client_token: str
    instance_ena_support: bool
    instance_hypervisor: str
    instance_lifecycle: str
    instance_outpost_arn: str
    instance_root_device_name: str
    instance_source_dest_check: bool
    instance_spot_instance_request_id: str
    instance_sriov_net_support: str
    instance_virtualization_type: str
    instance_capacity_reservation_id: str
    instance_hibernation_options: bool
    instance_enclave_options: bool
    instance_boot_mode: str
    instance_platform_details: str
    instance_usage_operation: str
    instance_usage_operation_update_time: dt.datetime
    instance_ipv6_address: str
    instance_tpm_support: str
    instance_maintenance_options: str
    instance_licenses: list[str]


@kind_class
class AwsEc2Volume(Volume, AwsResource):
    """An EBS volume."""

    kind: ClassVar[str] = "aws_ec2_volume"
    volume_snapshot_id: str
    volume_kms_key_id: str
    volume_multi_attach_enabled: bool
    volume_attachments: list[AwsEc2VolumeAttachment]
    availability_zone: str
    volume_outpost_arn: str
    volume_fast_restored: bool


@struct
class AwsEc2VolumeAttachment:
    attach_time: dt.datetime
    device: str
    instance_id: str
    state: str
    volume_id: str
    delete_on_termination: bool


@kind_class
class AwsEc2Snapshot(Snapshot, AwsResource):
    """An EBS snapshot."""

    kind: ClassVar[str] = "aws_ec2_snapshot"
    snapshot_progress: str
    snapshot_kms_key_id: str


@struct
class AwsEc2IcmpTypeCode:
    code: int
    type: int


@struct
class AwsEc2PortRange:
    from_range: int
    to_range: int


@struct
class AwsEc2NetworkAclEntry:
    """A rule: `port_range` for TCP and UDP (protocol "6", "17"), none for all traffic (protocol "-1");
    `icmp_type_code` for ICMP (moto drops it: no test sees it)."""

    rule_number: int
    protocol: str
    rule_action: str
    egress: bool
    cidr_block: str
    ipv6_cidr_block: str
    port_range: AwsEc2PortRange
    icmp_type_code: AwsEc2IcmpTypeCode


@kind_class
class AwsEc2NetworkAcl(AwsResource):
    """A network ACL of a VPC."""

    kind: ClassVar[str] = "aws_ec2_network_acl"
    is_default: bool
    acl_entries: list[AwsEc2NetworkAclEntry]


@kind_class
class AwsEc2InternetGateway(AwsResource):
    """An internet gateway, attached to VPCs."""

    kind: ClassVar[str] = "aws_ec2_internet_gateway"


@kind_class
class AwsEc2NetworkInterface(NetworkInterface, AwsResource):
    """An elastic network interface."""

    kind: ClassVar[str] = "aws_ec2_network_interface"
    nic_private_ip_address: str
    nic_subnet_id: str
    nic_availability_zone: str
    nic_source_dest_check: bool


@kind_class
class AwsEc2ElasticIp(IpAddress, AwsResource):
    """An elastic IP address; the instance it is associated with is its predecessor."""

    kind: ClassVar[str] = "aws_ec2_elastic_ip"
    public_ip: str
    private_ip_address: str
    ip_allocation_id: str
    ip_association_id: str
    ip_domain: str
    ip_network_interface_id: str


@struct
class AwsS3PublicAccessBlockConfiguration:
    block_public_acls: bool
    ignore_public_acls: bool
    block_public_policy: bool
    restrict_public_buckets: bool


@struct
class AwsS3ServerSideEncryptionRule:
    sse_algorithm: str
    kms_master_key_id: str
    bucket_key_enabled: bool


@struct
class AwsS3Logging:
    target_bucket: str
    target_prefix: str


@struct
class AwsS3Owner:
    display_name: str
    id: str


@struct
class AwsS3Grantee:
    """Who a grant is for: an account (`id`), an e-mail, or a group (`uri`, ".../global/AllUsers" is anyone)."""

    display_name: str
    email_address: str
    id: str
    type: str
    uri: str


@struct
class AwsS3Grant:
    grantee: AwsS3Grantee
    permission: str


@struct
class AwsS3BucketAcl:
    """GetBucketAcl's answer: the owner and the grants (READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL)."""

    owner: AwsS3Owner
    grants: list[AwsS3Grant]


@kind_class
class AwsS3Bucket(Bucket, AwsResource):
    """An S3 bucket: public access block, encryption, versioning, its ACL (`bucket_acl`); its policy is kept
    as `bucket_policy`."""

    kind: ClassVar[str] = "aws_s3_bucket"
    untyped: ClassVar[tuple[str, ...]] = ("bucket_policy",)  # kept as AWS wrote it
    bucket_public_access_block_configuration: AwsS3PublicAccessBlockConfiguration
    bucket_encryption_rules: list[AwsS3ServerSideEncryptionRule]
    bucket_versioning: bool
    bucket_mfa_delete: bool
    bucket_logging: AwsS3Logging  # where its server access logs go; null when it logs nothing
    bucket_acl: AwsS3BucketAcl


@struct
class AwsIamAccessKeyLastUsed:
    last_used: dt.datetime
    last_rotated: dt.datetime
    service_name: str
    region: str


@kind_class
class AwsIamAccessKey(AccessKey, AwsResource):
    """An access key of an IAM user: `age` is its age, `access_key_last_used.last_used` its last use."""

    kind: ClassVar[str] = "aws_iam_access_key"
    access_key_last_used: AwsIamAccessKeyLastUsed


@kind_class
class AwsIamRole(Role, AwsResource):
    """An IAM role (its trust policy is kept as role_assume_role_policy_document)."""

    kind: ClassVar[str] = "aws_iam_role"
    untyped: ClassVar[tuple[str, ...]] = (
        "role_assume_role_policy_document",
        "role_policies",
    )  # kept as AWS wrote them
    path: str
    description: str
    role_max_session_duration: int


@kind_class
class AwsIamPolicy(Policy, AwsResource):
    """A managed IAM policy: the customer's own, and AWS's (`managed`) where something is attached to one.
    Its default version is kept as `policy_document` ({document, version_id, is_default_version,
    create_date}, the document as AWS wrote it)."""

    kind: ClassVar[str] = "aws_iam_policy"
    untyped: ClassVar[tuple[str, ...]] = ("policy_document",)  # kept as AWS wrote them
    path: str
    policy_attachment_count: int
    policy_permissions_boundary_usage_count: int
    policy_default_version_id: str
    policy_is_attachable: bool
    policy_description: str
    managed: bool


@struct
class AwsLambdaEnvironmentError:
    error_code: str
    message: str


@struct
class AwsLambdaEnvironment:
    """A function's environment variables (their values as AWS returns them) and the error reading them."""

    variables: dict[str, str]
    error: AwsLambdaEnvironmentError


@struct
class AwsLambdaCors:
    allow_credentials: bool
    allow_headers: list[str]
    allow_methods: list[str]
    allow_origins: list[str]
    expose_headers: list[str]
    max_age: int


@struct
class AwsLambdaFunctionUrlConfig:
    """A function's URL: `auth_type` NONE is a public endpoint; the times are text, as Fix has them."""

    function_url: str
    function_arn: str
    auth_type: str
    cors: AwsLambdaCors
    creation_time: str
    last_modified_time: str


@kind_class
class AwsLambdaFunction(AwsResource):
    """A Lambda function; its resource policy as `function_policy` (GetPolicy's document), its URL, if it
    has one, as `function_url_config`."""

    kind: ClassVar[str] = "aws_lambda_function"
    untyped: ClassVar[tuple[str, ...]] = ("function_policy",)  # kept as AWS wrote it
    function_runtime: str
    function_handler: str
    function_memory_size: int
    function_timeout: int
    function_role: str
    function_environment: AwsLambdaEnvironment
    function_url_config: AwsLambdaFunctionUrlConfig


@kind_class
class AwsKmsKey(AccessKey, AwsResource):
    """A KMS key: `access_key_status` is its state (Enabled, Disabled, PendingDeletion, ...),
    kms_key_rotation_enabled says whether it rotates."""

    kind: ClassVar[str] = "aws_kms_key"
    untyped: ClassVar[tuple[str, ...]] = ("kms_key_policy",)  # GetKeyPolicy's document, as AWS wrote it
    kms_enabled: bool
    kms_description: str
    kms_key_usage: str
    kms_key_spec: str
    kms_key_manager: str
    kms_key_rotation_enabled: bool


@struct
class AwsElbListener:
    protocol: str
    load_balancer_port: int
    instance_protocol: str
    instance_port: int
    ssl_certificate_id: str


@struct
class AwsElbListenerDescription:
    listener: AwsElbListener
    policy_names: list[str]


@struct
class AwsElbAccessLog:
    enabled: bool
    s3_bucket_name: str
    emit_interval: int
    s3_bucket_prefix: str


@struct
class AwsElbConnectionDraining:
    enabled: bool
    timeout: int


@struct
class AwsElbAdditionalAttribute:
    key: str
    value: str


@struct
class AwsElbLoadBalancerAttributes:
    """DescribeLoadBalancerAttributes' answer: `connection_settings` is the idle timeout in seconds."""

    cross_zone_load_balancing: bool
    access_log: AwsElbAccessLog
    connection_draining: AwsElbConnectionDraining
    connection_settings: int
    additional_attributes: list[AwsElbAdditionalAttribute]


@kind_class
class AwsElb(LoadBalancer, AwsResource):
    """A classic load balancer: its listeners (`elb_listener_descriptions`) and `elb_attributes` (access log,
    connection draining, cross-zone balancing)."""

    kind: ClassVar[str] = "aws_elb"
    scheme: str
    elb_listener_descriptions: list[AwsElbListenerDescription]
    elb_attributes: AwsElbLoadBalancerAttributes


@kind_class
class AwsAlb(LoadBalancer, AwsResource):
    """An application (or network) load balancer; `alb_listener` its listeners (DescribeListeners). An OIDC
    sign-in action's `client_secret` is never collected (null)."""

    kind: ClassVar[str] = "aws_alb"
    alb_dns_name: str
    alb_scheme: str
    alb_type: str
    alb_ip_address_type: str
    alb_security_groups: list[str]
    alb_listener: list[AwsAlbListener]


@struct
class AwsEksVpcConfigResponse:
    """Where the cluster's API endpoint is reachable from (`endpoint_public_access`, `public_access_cidrs`).
    moto's DescribeCluster leaves `vpc_id` out: no test sees it."""

    subnet_ids: list[str]
    security_group_ids: list[str]
    cluster_security_group_id: str
    vpc_id: str
    endpoint_public_access: bool
    endpoint_private_access: bool
    public_access_cidrs: list[str]


@struct
class AwsEksLogSetup:
    types: list[str]
    enabled: bool


@struct
class AwsEksLogging:
    """The control plane's log types, each set on or off (Fix nests the list one level down, as AWS does)."""

    cluster_logging: list[AwsEksLogSetup]


@struct
class AwsEksEncryptionConfig:
    """Envelope encryption of the cluster's `resources` (secrets) with the KMS key `provider`."""

    resources: list[str]
    provider: str


@kind_class
class AwsEksCluster(ManagedKubernetesClusterProvider, AwsResource):
    """An EKS cluster."""

    kind: ClassVar[str] = "aws_eks_cluster"
    cluster_status: str
    cluster_role_arn: str
    cluster_resources_vpc_config: AwsEksVpcConfigResponse
    cluster_logging: AwsEksLogging
    cluster_encryption_config: list[AwsEksEncryptionConfig]
