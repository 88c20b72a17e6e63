"""Redshift clusters (Fix Inventory's kind and property names; tests/model/test_fix_names.py holds them)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsRedshiftEndpoint:
    address: str
    port: int


@struct
class AwsRedshiftVpcSecurityGroupMembership:
    vpc_security_group_id: str
    status: str


@struct
class AwsRedshiftClusterSecurityGroupMembership:
    cluster_security_group_name: str
    status: str


@struct
class AwsRedshiftClusterParameterGroupStatus:
    parameter_group_name: str
    parameter_apply_status: str


@struct
class AwsRedshiftClusterIamRole:
    iam_role_arn: str
    apply_status: str


@struct
class AwsRedshiftClusterNode:
    node_role: str
    private_ip_address: str
    public_ip_address: str


@struct
class AwsRedshiftLoggingStatus:
    """DescribeLoggingStatus: whether audit logging is on, and where it goes."""

    logging_enabled: bool
    bucket_name: str
    s3_key_prefix: str
    last_successful_delivery_time: dt.datetime
    last_failure_time: dt.datetime
    last_failure_message: str
    log_destination_type: str
    log_exports: list[str]


@kind_class
class AwsRedshiftCluster(AwsResource):
    """A Redshift cluster: `redshift_publicly_accessible`, `redshift_encrypted`, audit logging
    (`redshift_logging_status.logging_enabled`), automatic version upgrades and snapshot retention."""

    kind: ClassVar[str] = "aws_redshift_cluster"
    redshift_node_type: str
    redshift_cluster_status: str
    redshift_cluster_availability_status: str
    redshift_modify_status: str
    redshift_master_username: str
    redshift_db_name: str
    redshift_endpoint: AwsRedshiftEndpoint
    redshift_automated_snapshot_retention_period: int
    redshift_manual_snapshot_retention_period: int
    redshift_cluster_security_groups: list[AwsRedshiftClusterSecurityGroupMembership]
    redshift_vpc_security_groups: list[AwsRedshiftVpcSecurityGroupMembership]
    redshift_cluster_parameter_groups: list[AwsRedshiftClusterParameterGroupStatus]
    redshift_cluster_subnet_group_name: str
    redshift_vpc_id: str
    redshift_availability_zone: str
    redshift_preferred_maintenance_window: str
    redshift_cluster_version: str
    redshift_allow_version_upgrade: bool
    redshift_number_of_nodes: int
    redshift_publicly_accessible: bool
    redshift_encrypted: bool
    redshift_cluster_public_key: str
    redshift_cluster_nodes: list[AwsRedshiftClusterNode]
    redshift_cluster_revision_number: str
    redshift_kms_key_id: str
    redshift_enhanced_vpc_routing: bool
    redshift_iam_roles: list[AwsRedshiftClusterIamRole]
    redshift_pending_actions: list[str]
    redshift_maintenance_track_name: str
    redshift_elastic_resize_number_of_node_options: str
    redshift_snapshot_schedule_identifier: str
    redshift_snapshot_schedule_state: str
    redshift_expected_next_snapshot_schedule_time: dt.datetime
    redshift_expected_next_snapshot_schedule_time_status: str
    redshift_next_maintenance_window_start_time: dt.datetime
    redshift_availability_zone_relocation_status: str
    redshift_cluster_namespace_arn: str
    redshift_total_storage_capacity_in_mega_bytes: int
    redshift_default_iam_role_arn: str
    redshift_logging_status: AwsRedshiftLoggingStatus
