"""RDS instances, DB clusters and their snapshots, with who may restore each shared snapshot."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, Source, each, ids_at, last_arn_part, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service


def host_port(item: Any) -> str | None:
    """`host:port`, as Fix writes a database's endpoint: an instance's {Address, Port} or a cluster's own."""
    if not isinstance(item, dict):
        return None
    endpoint = item.get("Endpoint")
    host, port = (endpoint.get("Address"), endpoint.get("Port")) if isinstance(endpoint, dict) else (
        endpoint, item.get("Port"))  # fmt: skip
    if not host:
        return None
    return f"{host}:{port}" if port else str(host)


def attribute_map(attributes: Any) -> dict[str, list[str]] | None:
    """[{AttributeName, AttributeValues}] as {name: values}: {"restore": ["all"]} is a public snapshot."""
    if attributes is None:
        return None
    return {
        a["AttributeName"]: list(a.get("AttributeValues") or []) for a in attributes if "AttributeName" in a
    }


def shared(snapshot: dict[str, Any]) -> bool:
    """Only a snapshot one made (not an automated one) can be shared: only those have attributes to ask."""
    return snapshot.get("SnapshotType") != "automated"


SECURITY_GROUPS = each({"vpc_security_group_id": "VpcSecurityGroupId", "status": "Status"})
ROLES = each({"role_arn": "RoleArn", "feature_name": "FeatureName", "status": "Status"})
IN_SECURITY_GROUPS = Edge(
    "aws_ec2_security_group", "VpcSecurityGroups", ids_at("VpcSecurityGroupId"), reverse=True
)
SNAPSHOT_PROPS: dict[str, Source] = {"rds_engine": "Engine", "rds_allocated_storage": "AllocatedStorage", "rds_port": "Port",
                  "rds_vpc_id": "VpcId", "rds_master_username": "MasterUsername", "rds_engine_version": "EngineVersion",
                  "rds_license_model": "LicenseModel", "rds_snapshot_type": "SnapshotType",
                  "rds_percent_progress": "PercentProgress", "rds_kms_key_id": "KmsKeyId",
                  "rds_storage_type": "StorageType",
                  "rds_iam_database_authentication_enabled": "IAMDatabaseAuthenticationEnabled",
                  "rds_attributes": Field("attrs", attribute_map)}  # fmt: skip

# the rest of what DescribeDBInstances says of an instance, as Fix names it
INSTANCE_DETAILS: dict[str, Source] = {
    "rds_automatic_restart_time": "AutomaticRestartTime",
    "rds_db_security_groups": Field("DBSecurityGroups", each({"db_security_group_name": "DBSecurityGroupName", "status": "Status"})),
    "rds_db_parameter_groups": Field("DBParameterGroups", each({
        "db_parameter_group_name": "DBParameterGroupName", "parameter_apply_status": "ParameterApplyStatus"})),
    "rds_preferred_maintenance_window": "PreferredMaintenanceWindow",
    "rds_read_replica_source_db_instance_identifier": "ReadReplicaSourceDBInstanceIdentifier",
    "rds_read_replica_db_instance_identifiers": "ReadReplicaDBInstanceIdentifiers",
    "rds_read_replica_db_cluster_identifiers": "ReadReplicaDBClusterIdentifiers", "rds_replica_mode": "ReplicaMode",
    "rds_option_group_memberships": Field("OptionGroupMemberships", each({"option_group_name": "OptionGroupName", "status": "Status"})),
    "rds_character_set_name": "CharacterSetName", "rds_nchar_character_set_name": "NcharCharacterSetName",
    "rds_secondary_availability_zone": "SecondaryAvailabilityZone", "rds_tde_credential_arn": "TdeCredentialArn",
    "rds_domain_memberships": Field("DomainMemberships", each({
        "domain": "Domain", "status": "Status", "fqdn": "FQDN", "iam_role_name": "IAMRoleName"})),
    "rds_enhanced_monitoring_resource_arn": "EnhancedMonitoringResourceArn", "rds_monitoring_role_arn": "MonitoringRoleArn",
    "rds_promotion_tier": "PromotionTier", "rds_timezone": "Timezone",
    "rds_performance_insights_kms_key_id": "PerformanceInsightsKMSKeyId",
    "rds_performance_insights_retention_period": "PerformanceInsightsRetentionPeriod",
    "rds_customer_owned_ip_enabled": "CustomerOwnedIpEnabled", "rds_aws_backup_recovery_point_arn": "AwsBackupRecoveryPointArn",
    "rds_activity_stream_status": "ActivityStreamStatus", "rds_activity_stream_kms_key_id": "ActivityStreamKmsKeyId",
    "rds_activity_stream_kinesis_stream_name": "ActivityStreamKinesisStreamName",
    "rds_activity_stream_mode": "ActivityStreamMode",
    "rds_activity_stream_engine_native_audit_fields_included": "ActivityStreamEngineNativeAuditFieldsIncluded",
    "rds_automation_mode": "AutomationMode", "rds_resume_full_automation_mode_time": "ResumeFullAutomationModeTime",
    "rds_custom_iam_instance_profile": "CustomIamInstanceProfile", "rds_backup_target": "BackupTarget",
    "rds_network_type": "NetworkType",
}  # fmt: skip

INSTANCE = AwsKind(
    "aws_rds_instance",
    Listing("rds", "DescribeDBInstances", "DBInstances"),
    id="DBInstanceIdentifier", arn="DBInstanceArn", ctime="InstanceCreateTime", tags=Field("TagList", tag_list),
    node="rds/",
    props={
        "db_type": "Engine", "db_status": "DBInstanceStatus", "db_endpoint": Field("", host_port),
        "db_version": "EngineVersion", "db_publicly_accessible": "PubliclyAccessible",
        "instance_type": "DBInstanceClass", "volume_size": "AllocatedStorage", "volume_iops": "Iops",
        "volume_encrypted": "StorageEncrypted", "rds_kms_key_id": "KmsKeyId", "rds_multi_az": "MultiAZ",
        "rds_backup_retention_period": "BackupRetentionPeriod",
        "rds_auto_minor_version_upgrade": "AutoMinorVersionUpgrade", "rds_deletion_protection": "DeletionProtection",
        "rds_iam_database_authentication_enabled": "IAMDatabaseAuthenticationEnabled",
        "rds_master_username": "MasterUsername", "rds_preferred_backup_window": "PreferredBackupWindow",
        "rds_vpc_security_groups": Field("VpcSecurityGroups", SECURITY_GROUPS),
        "rds_availability_zone": "AvailabilityZone",
        "rds_db_subnet_group": Field("DBSubnetGroup", struct({
            "db_subnet_group_name": "DBSubnetGroupName", "db_subnet_group_description": "DBSubnetGroupDescription",
            "vpc_id": "VpcId", "subnet_group_status": "SubnetGroupStatus",
            "subnets": Field("Subnets", each({"subnet_identifier": "SubnetIdentifier",
                                              "subnet_availability_zone": "SubnetAvailabilityZone.Name",
                                              "subnet_status": "SubnetStatus"})),
        })),
        "rds_latest_restorable_time": "LatestRestorableTime", "rds_license_model": "LicenseModel",
        "rds_storage_type": "StorageType", "rds_db_instance_port": "DbInstancePort",
        "rds_db_cluster_identifier": "DBClusterIdentifier", "rds_dbi_resource_id": "DbiResourceId",
        "rds_ca_certificate_identifier": "CACertificateIdentifier", "rds_copy_tags_to_snapshot": "CopyTagsToSnapshot",
        "rds_monitoring_interval": "MonitoringInterval",
        "rds_performance_insights_enabled": "PerformanceInsightsEnabled",
        "rds_enabled_cloudwatch_logs_exports": "EnabledCloudwatchLogsExports",
        "rds_associated_roles": Field("AssociatedRoles", ROLES), "rds_max_allocated_storage": "MaxAllocatedStorage",
        **INSTANCE_DETAILS,
    },
    parent=(Edge("aws_vpc", "DBSubnetGroup.VpcId"),),
    edges=(Edge("aws_kms_key", "KmsKeyId", last_arn_part), IN_SECURITY_GROUPS),
)  # fmt: skip

CLUSTER = AwsKind(
    "aws_rds_cluster",
    Listing("rds", "DescribeDBClusters", "DBClusters"),
    id="DBClusterIdentifier", arn="DBClusterArn", ctime="ClusterCreateTime", tags=Field("TagList", tag_list),
    node="rds-cluster/",
    props={
        "db_type": "Engine", "db_status": "Status", "db_endpoint": Field("", host_port), "db_version": "EngineVersion",
        "db_publicly_accessible": "PubliclyAccessible", "volume_iops": "Iops", "volume_encrypted": "StorageEncrypted",
        "rds_allocated_storage": "AllocatedStorage", "rds_availability_zones": "AvailabilityZones",
        "rds_backup_retention_period": "BackupRetentionPeriod", "rds_database_name": "DatabaseName",
        "rds_db_cluster_parameter_group": "DBClusterParameterGroup", "rds_db_subnet_group_name": "DBSubnetGroup",
        "rds_earliest_restorable_time": "EarliestRestorableTime", "rds_endpoint": "Endpoint",
        "rds_reader_endpoint": "ReaderEndpoint", "rds_multi_az": "MultiAZ",
        "rds_latest_restorable_time": "LatestRestorableTime", "rds_port": "Port", "rds_master_username": "MasterUsername",
        "rds_preferred_backup_window": "PreferredBackupWindow",
        "rds_preferred_maintenance_window": "PreferredMaintenanceWindow",
        "rds_read_replica_identifiers": "ReadReplicaIdentifiers",
        "rds_db_cluster_members": Field("DBClusterMembers", each({
            "db_instance_identifier": "DBInstanceIdentifier", "is_cluster_writer": "IsClusterWriter",
            "db_cluster_parameter_group_status": "DBClusterParameterGroupStatus", "promotion_tier": "PromotionTier"})),
        "rds_vpc_security_groups": Field("VpcSecurityGroups", SECURITY_GROUPS), "rds_hosted_zone_id": "HostedZoneId",
        "rds_kms_key_id": "KmsKeyId", "rds_db_cluster_resource_id": "DbClusterResourceId",
        "rds_associated_roles": Field("AssociatedRoles", ROLES),
        "rds_iam_database_authentication_enabled": "IAMDatabaseAuthenticationEnabled",
        "rds_backtrack_window": "BacktrackWindow", "rds_enabled_cloudwatch_logs_exports": "EnabledCloudwatchLogsExports",
        "rds_capacity": "Capacity", "rds_engine_mode": "EngineMode",
        "rds_scaling_configuration_info": Field("ScalingConfigurationInfo", struct({
            "min_capacity": "MinCapacity", "max_capacity": "MaxCapacity", "auto_pause": "AutoPause",
            "seconds_until_auto_pause": "SecondsUntilAutoPause", "timeout_action": "TimeoutAction",
            "seconds_before_timeout": "SecondsBeforeTimeout"})),
        "rds_deletion_protection": "DeletionProtection", "rds_http_endpoint_enabled": "HttpEndpointEnabled",
        "rds_activity_stream_status": "ActivityStreamStatus", "rds_copy_tags_to_snapshot": "CopyTagsToSnapshot",
        "rds_cross_account_clone": "CrossAccountClone", "rds_db_cluster_instance_class": "DBClusterInstanceClass",
        "rds_storage_type": "StorageType", "rds_auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
        "rds_monitoring_interval": "MonitoringInterval", "rds_performance_insights_enabled": "PerformanceInsightsEnabled",
        "rds_serverless_v2_scaling_configuration": Field("ServerlessV2ScalingConfiguration", struct({
            "min_capacity": "MinCapacity", "max_capacity": "MaxCapacity"})),
        "rds_network_type": "NetworkType",
        "rds_master_user_secret": Field("MasterUserSecret", struct({
            "secret_arn": "SecretArn", "secret_status": "SecretStatus", "kms_key_id": "KmsKeyId"})),
    },
    edges=(Edge("aws_rds_instance", "DBClusterMembers", ids_at("DBInstanceIdentifier")),
           Edge("aws_kms_key", "KmsKeyId", last_arn_part), IN_SECURITY_GROUPS),
)  # fmt: skip

SNAPSHOT = AwsKind(
    "aws_rds_snapshot",
    Listing("rds", "DescribeDBSnapshots", "DBSnapshots"),
    id="DBSnapshotIdentifier", arn="DBSnapshotArn", ctime="SnapshotCreateTime", tags=Field("TagList", tag_list),
    node="rds-snapshot/",
    details=(Detail("DescribeDBSnapshotAttributes", "attrs", {"DBSnapshotIdentifier": "DBSnapshotIdentifier"},
                    key="DBSnapshotAttributesResult.DBSnapshotAttributes", when=shared,
                    missing=("DBSnapshotNotFound", "DBSnapshotNotFoundFault")),),
    props={
        **SNAPSHOT_PROPS,
        # Fix leaves the generic snapshot's volume_* and `encrypted` empty here: `rds_encrypted` says it
        "snapshot_status": "Status", "rds_db_instance_identifier": "DBInstanceIdentifier",
        "rds_availability_zone": "AvailabilityZone", "rds_instance_create_time": "InstanceCreateTime",
        "rds_iops": "Iops", "rds_option_group_name": "OptionGroupName", "rds_source_region": "SourceRegion",
        "rds_source_db_snapshot_identifier": "SourceDBSnapshotIdentifier", "rds_encrypted": "Encrypted",
        "rds_timezone": "Timezone", "rds_dbi_resource_id": "DbiResourceId",
        "rds_original_snapshot_create_time": "OriginalSnapshotCreateTime",
        "rds_snapshot_database_time": "SnapshotDatabaseTime", "rds_snapshot_target": "SnapshotTarget",
        "rds_storage_throughput": "StorageThroughput",
    },
    parent=(Edge("aws_rds_instance", "DBInstanceIdentifier"),),
    edges=(Edge("aws_vpc", "VpcId", reverse=True), Edge("aws_kms_key", "KmsKeyId", last_arn_part)),
)  # fmt: skip

CLUSTER_SNAPSHOT = AwsKind(
    "aws_rds_cluster_snapshot",
    Listing("rds", "DescribeDBClusterSnapshots", "DBClusterSnapshots"),
    id="DBClusterSnapshotIdentifier", arn="DBClusterSnapshotArn", ctime="SnapshotCreateTime",
    tags=Field("TagList", tag_list), node="rds-cluster-snapshot/",
    details=(Detail("DescribeDBClusterSnapshotAttributes", "attrs",
                    {"DBClusterSnapshotIdentifier": "DBClusterSnapshotIdentifier"},
                    key="DBClusterSnapshotAttributesResult.DBClusterSnapshotAttributes", when=shared,
                    missing=("DBClusterSnapshotNotFoundFault", "DBClusterSnapshotNotFound")),),
    props={
        **SNAPSHOT_PROPS,
        "rds_availability_zones": "AvailabilityZones", "rds_db_cluster_identifier": "DBClusterIdentifier",
        "rds_engine_mode": "EngineMode", "rds_status": "Status", "rds_cluster_create_time": "ClusterCreateTime",
        "rds_storage_encrypted": "StorageEncrypted", "rds_db_cluster_snapshot_arn": "DBClusterSnapshotArn",
        "rds_source_db_cluster_snapshot_arn": "SourceDBClusterSnapshotArn", "rds_db_system_id": "DBSystemId",
        "rds_db_cluster_resource_id": "DbClusterResourceId",
    },
    parent=(Edge("aws_rds_cluster", "DBClusterIdentifier"),),
    edges=(Edge("aws_vpc", "VpcId", reverse=True), Edge("aws_kms_key", "KmsKeyId", last_arn_part)),
)  # fmt: skip

aws_service("rds", INSTANCE, CLUSTER, SNAPSHOT, CLUSTER_SNAPSHOT)
