"""RDS: database instances, Aurora clusters, and the snapshots of both (Fix Inventory's kind and property
names; tests/model/test_fix_names.py holds them).

A snapshot's `rds_attributes` is kept as AWS's attribute map ({"restore": ["all"]} is a public snapshot),
outside the typed model, as Fix keeps it.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import Database, Snapshot, kind_class


@struct
class AwsRdsVpcSecurityGroupMembership:
    vpc_security_group_id: str
    status: str


@struct
class AwsRdsSubnet:
    subnet_identifier: str
    subnet_availability_zone: str
    subnet_status: str


@struct
class AwsRdsDbSubnetGroup:
    db_subnet_group_name: str
    db_subnet_group_description: str
    vpc_id: str
    subnet_group_status: str
    subnets: list[AwsRdsSubnet]


@struct
class AwsRdsDbRole:
    role_arn: str
    feature_name: str
    status: str


@struct
class AwsRdsDbSecurityGroupMembership:
    db_security_group_name: str
    status: str


@struct
class AwsRdsDbParameterGroupStatus:
    db_parameter_group_name: str
    parameter_apply_status: str


@struct
class AwsRdsOptionGroupMembership:
    option_group_name: str
    status: str


@struct
class AwsRdsDomainMembership:
    domain: str
    status: str
    fqdn: str
    iam_role_name: str


@kind_class
class AwsRdsInstance(Database, AwsResource):
    """An RDS database instance; a cluster's instances are below their cluster too."""

    kind: ClassVar[str] = "aws_rds_instance"
    rds_kms_key_id: str
    rds_multi_az: bool
    rds_backup_retention_period: int
    rds_auto_minor_version_upgrade: bool
    rds_deletion_protection: bool
    rds_iam_database_authentication_enabled: bool
    rds_master_username: str
    rds_preferred_backup_window: str
    rds_vpc_security_groups: list[AwsRdsVpcSecurityGroupMembership]
    rds_availability_zone: str
    rds_db_subnet_group: AwsRdsDbSubnetGroup
    rds_latest_restorable_time: dt.datetime
    rds_license_model: str
    rds_storage_type: str
    rds_db_instance_port: int
    rds_db_cluster_identifier: str
    rds_dbi_resource_id: str
    rds_ca_certificate_identifier: str
    rds_copy_tags_to_snapshot: bool
    rds_monitoring_interval: int
    rds_performance_insights_enabled: bool
    rds_enabled_cloudwatch_logs_exports: list[str]
    rds_associated_roles: list[AwsRdsDbRole]
    rds_max_allocated_storage: int
    rds_automatic_restart_time: dt.datetime
    rds_db_security_groups: list[AwsRdsDbSecurityGroupMembership]
    rds_db_parameter_groups: list[AwsRdsDbParameterGroupStatus]
    rds_preferred_maintenance_window: str
    rds_read_replica_source_db_instance_identifier: str
    rds_read_replica_db_instance_identifiers: list[str]
    rds_read_replica_db_cluster_identifiers: list[str]
    rds_replica_mode: str
    rds_option_group_memberships: list[AwsRdsOptionGroupMembership]
    rds_character_set_name: str
    rds_nchar_character_set_name: str
    rds_secondary_availability_zone: str
    rds_tde_credential_arn: str
    rds_domain_memberships: list[AwsRdsDomainMembership]
    rds_enhanced_monitoring_resource_arn: str
    rds_monitoring_role_arn: str
    rds_promotion_tier: int
    rds_timezone: str
    rds_performance_insights_kms_key_id: str
    rds_performance_insights_retention_period: int
    rds_customer_owned_ip_enabled: bool
    rds_aws_backup_recovery_point_arn: str
    rds_activity_stream_status: str
    rds_activity_stream_kms_key_id: str
    rds_activity_stream_kinesis_stream_name: str
    rds_activity_stream_mode: str
    rds_activity_stream_engine_native_audit_fields_included: bool
    rds_automation_mode: str
    rds_resume_full_automation_mode_time: dt.datetime
    rds_custom_iam_instance_profile: str
    rds_backup_target: str
    rds_network_type: str


@struct
class AwsRdsDbClusterMember:
    db_instance_identifier: str
    is_cluster_writer: bool
    db_cluster_parameter_group_status: str
    promotion_tier: int


@struct
class AwsRdsScalingConfigurationInfo:
    min_capacity: int
    max_capacity: int
    auto_pause: bool
    seconds_until_auto_pause: int
    timeout_action: str
    seconds_before_timeout: int


@struct
class AwsRdsServerlessV2ScalingConfigurationInfo:
    min_capacity: float
    max_capacity: float


@struct
class AwsRdsMasterUserSecret:
    secret_arn: str
    secret_status: str
    kms_key_id: str


@kind_class
class AwsRdsCluster(Database, AwsResource):
    """An Aurora (or Multi-AZ) DB cluster; it leads to its instances. Encryption, backups, deletion
    protection, IAM authentication and log exports are what the checks read."""

    kind: ClassVar[str] = "aws_rds_cluster"
    rds_allocated_storage: int
    rds_availability_zones: list[str]
    rds_backup_retention_period: int
    rds_database_name: str
    rds_db_cluster_parameter_group: str
    rds_db_subnet_group_name: str
    rds_earliest_restorable_time: dt.datetime
    rds_endpoint: str
    rds_reader_endpoint: str
    rds_multi_az: bool
    rds_latest_restorable_time: dt.datetime
    rds_port: int
    rds_master_username: str
    rds_preferred_backup_window: str
    rds_preferred_maintenance_window: str
    rds_read_replica_identifiers: list[str]
    rds_db_cluster_members: list[AwsRdsDbClusterMember]
    rds_vpc_security_groups: list[AwsRdsVpcSecurityGroupMembership]
    rds_hosted_zone_id: str
    rds_kms_key_id: str
    rds_db_cluster_resource_id: str
    rds_associated_roles: list[AwsRdsDbRole]
    rds_iam_database_authentication_enabled: bool
    rds_backtrack_window: int
    rds_enabled_cloudwatch_logs_exports: list[str]
    rds_capacity: int
    rds_engine_mode: str
    rds_scaling_configuration_info: AwsRdsScalingConfigurationInfo
    rds_deletion_protection: bool
    rds_http_endpoint_enabled: bool
    rds_activity_stream_status: str
    rds_copy_tags_to_snapshot: bool
    rds_cross_account_clone: bool
    rds_db_cluster_instance_class: str
    rds_storage_type: str
    rds_auto_minor_version_upgrade: bool
    rds_monitoring_interval: int
    rds_performance_insights_enabled: bool
    rds_serverless_v2_scaling_configuration: AwsRdsServerlessV2ScalingConfigurationInfo
    rds_network_type: str
    rds_master_user_secret: AwsRdsMasterUserSecret


@kind_class
class AwsRdsSnapshot(Snapshot, AwsResource):
    """A snapshot of an RDS instance, below it while it exists. `rds_encrypted` false: not encrypted (as in
    Fix, the generic `encrypted` stays empty); `rds_attributes.restore` holding "all": restorable by anyone."""

    kind: ClassVar[str] = "aws_rds_snapshot"
    untyped: ClassVar[tuple[str, ...]] = ("rds_attributes",)  # kept as AWS wrote them
    rds_db_instance_identifier: str
    rds_engine: str
    rds_allocated_storage: int
    rds_port: int
    rds_availability_zone: str
    rds_vpc_id: str
    rds_instance_create_time: dt.datetime
    rds_master_username: str
    rds_engine_version: str
    rds_license_model: str
    rds_snapshot_type: str
    rds_iops: int
    rds_option_group_name: str
    rds_percent_progress: int
    rds_source_region: str
    rds_source_db_snapshot_identifier: str
    rds_storage_type: str
    rds_encrypted: bool
    rds_kms_key_id: str
    rds_timezone: str
    rds_iam_database_authentication_enabled: bool
    rds_dbi_resource_id: str
    rds_original_snapshot_create_time: dt.datetime
    rds_snapshot_database_time: dt.datetime
    rds_snapshot_target: str
    rds_storage_throughput: int


@kind_class
class AwsRdsClusterSnapshot(AwsResource):
    """A snapshot of a DB cluster, below it while it exists: `rds_storage_encrypted`, `rds_attributes`."""

    kind: ClassVar[str] = "aws_rds_cluster_snapshot"
    untyped: ClassVar[tuple[str, ...]] = ("rds_attributes",)  # kept as AWS wrote them
    rds_availability_zones: list[str]
    rds_db_cluster_identifier: str
    rds_engine: str
    rds_engine_mode: str
    rds_allocated_storage: int
    rds_status: str
    rds_port: int
    rds_vpc_id: str
    rds_cluster_create_time: dt.datetime
    rds_master_username: str
    rds_engine_version: str
    rds_license_model: str
    rds_snapshot_type: str
    rds_percent_progress: int
    rds_storage_encrypted: bool
    rds_kms_key_id: str
    rds_db_cluster_snapshot_arn: str
    rds_source_db_cluster_snapshot_arn: str
    rds_iam_database_authentication_enabled: bool
    rds_db_system_id: str
    rds_storage_type: str
    rds_db_cluster_resource_id: str
