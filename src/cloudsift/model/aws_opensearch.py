"""OpenSearch domains (Fix Inventory's kind and property names; tests/model/test_fix_names.py holds them).

`access_policies` (the domain's policy document) and `log_publishing_options` (AWS's map of log type to
{CloudWatchLogsLogGroupArn, Enabled}) are kept as AWS wrote them, outside the typed model, as Fix keeps them.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsOpensearchClusterConfig:
    instance_type: str
    instance_count: int
    dedicated_master_enabled: bool
    zone_awareness_enabled: bool
    zone_awareness_config: int
    dedicated_master_type: str
    dedicated_master_count: int
    warm_enabled: bool
    warm_type: str
    warm_count: int
    cold_storage_options: bool
    multi_az_with_standby_enabled: bool


@struct
class AwsOpensearchEbsOptions:
    ebs_enabled: bool
    volume_type: str
    volume_size: int
    iops: int
    throughput: int


@struct
class AwsOpensearchVpcDerivedInfo:
    vpc_id: str
    subnet_ids: list[str]
    availability_zones: list[str]
    security_group_ids: list[str]


@struct
class AwsOpensearchCognitoOptions:
    enabled: bool
    user_pool_id: str
    identity_pool_id: str
    role_arn: str


@struct
class AwsOpensearchEncryptionAtRestOptions:
    enabled: bool
    kms_key_id: str


@struct
class AwsOpensearchDomainEndpointOptions:
    enforce_https: bool
    tls_security_policy: str
    custom_endpoint_enabled: bool
    custom_endpoint: str
    custom_endpoint_certificate_arn: str


@struct
class AwsOpensearchAdvancedSecurityOptions:
    """Fine-grained access control: `enabled`, and whether anonymous access is allowed."""

    enabled: bool
    internal_user_database_enabled: bool
    anonymous_auth_enabled: bool


@struct
class AwsOpensearchAutoTuneOptionsOutput:
    state: str
    error_message: str
    use_off_peak_window: bool


@struct
class AwsOpensearchServiceSoftwareOptions:
    """The domain's service software: `update_available` when a newer one can be installed (moto's
    DescribeDomains has none of it: no test sees it)."""

    current_version: str
    new_version: str
    update_available: bool
    cancellable: bool
    update_status: str
    description: str
    automated_update_date: dt.datetime
    optional_deployment: bool


@kind_class
class AwsOpensearchDomain(AwsResource):
    """An OpenSearch domain: encryption at rest and between nodes, HTTPS only, fine-grained access control,
    a VPC or a public endpoint, audit and slow logs."""

    kind: ClassVar[str] = "aws_opensearch_domain"
    untyped: ClassVar[tuple[str, ...]] = (
        "access_policies",
        "log_publishing_options",
    )  # kept as AWS wrote them
    created: bool
    deleted: bool
    endpoint: str
    endpoint_v2: str
    endpoints: dict[str, str]
    processing: bool
    upgrade_processing: bool
    engine_version: str
    cluster_config: AwsOpensearchClusterConfig
    ebs_options: AwsOpensearchEbsOptions
    ip_address_type: str
    snapshot_options: int
    vpc_options: AwsOpensearchVpcDerivedInfo
    cognito_options: AwsOpensearchCognitoOptions
    encryption_at_rest_options: AwsOpensearchEncryptionAtRestOptions
    node_to_node_encryption_options: bool
    advanced_options: dict[str, str]
    domain_endpoint_options: AwsOpensearchDomainEndpointOptions
    advanced_security_options: AwsOpensearchAdvancedSecurityOptions
    auto_tune_options: AwsOpensearchAutoTuneOptionsOutput
    software_update_options: bool
    service_software_options: AwsOpensearchServiceSoftwareOptions
