"""Redshift clusters, with their audit logging status asked per cluster."""

from __future__ import annotations

from cloudsift.collect.aws.convert import Field, each, ids_at, last_arn_part, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service

CLUSTER = AwsKind(
    "aws_redshift_cluster",
    Listing("redshift", "DescribeClusters", "Clusters"),
    id="ClusterIdentifier", ctime="ClusterCreateTime", tags=Field("Tags", tag_list), node="redshift/",
    arn_format="arn:aws:redshift:{region}:{account}:cluster:{id}",
    details=(Detail("DescribeLoggingStatus", "logging", {"ClusterIdentifier": "ClusterIdentifier"},
                    missing=("ClusterNotFound", "ClusterNotFoundFault")),),
    props={
        "redshift_node_type": "NodeType", "redshift_cluster_status": "ClusterStatus",
        "redshift_cluster_availability_status": "ClusterAvailabilityStatus", "redshift_modify_status": "ModifyStatus",
        "redshift_master_username": "MasterUsername", "redshift_db_name": "DBName",
        "redshift_endpoint": Field("Endpoint", struct({"address": "Address", "port": "Port"})),
        "redshift_automated_snapshot_retention_period": "AutomatedSnapshotRetentionPeriod",
        "redshift_manual_snapshot_retention_period": "ManualSnapshotRetentionPeriod",
        "redshift_cluster_security_groups": Field("ClusterSecurityGroups", each({
            "cluster_security_group_name": "ClusterSecurityGroupName", "status": "Status"})),
        "redshift_vpc_security_groups": Field("VpcSecurityGroups", each({
            "vpc_security_group_id": "VpcSecurityGroupId", "status": "Status"})),
        "redshift_cluster_parameter_groups": Field("ClusterParameterGroups", each({
            "parameter_group_name": "ParameterGroupName", "parameter_apply_status": "ParameterApplyStatus"})),
        "redshift_cluster_subnet_group_name": "ClusterSubnetGroupName", "redshift_vpc_id": "VpcId",
        "redshift_availability_zone": "AvailabilityZone",
        "redshift_preferred_maintenance_window": "PreferredMaintenanceWindow",
        "redshift_cluster_version": "ClusterVersion", "redshift_allow_version_upgrade": "AllowVersionUpgrade",
        "redshift_number_of_nodes": "NumberOfNodes", "redshift_publicly_accessible": "PubliclyAccessible",
        "redshift_encrypted": "Encrypted", "redshift_cluster_public_key": "ClusterPublicKey",
        "redshift_cluster_nodes": Field("ClusterNodes", each({
            "node_role": "NodeRole", "private_ip_address": "PrivateIPAddress", "public_ip_address": "PublicIPAddress"})),
        "redshift_cluster_revision_number": "ClusterRevisionNumber", "redshift_kms_key_id": "KmsKeyId",
        "redshift_enhanced_vpc_routing": "EnhancedVpcRouting",
        "redshift_iam_roles": Field("IamRoles", each({"iam_role_arn": "IamRoleArn", "apply_status": "ApplyStatus"})),
        "redshift_pending_actions": "PendingActions", "redshift_maintenance_track_name": "MaintenanceTrackName",
        "redshift_elastic_resize_number_of_node_options": "ElasticResizeNumberOfNodeOptions",
        "redshift_snapshot_schedule_identifier": "SnapshotScheduleIdentifier",
        "redshift_snapshot_schedule_state": "SnapshotScheduleState",
        "redshift_expected_next_snapshot_schedule_time": "ExpectedNextSnapshotScheduleTime",
        "redshift_expected_next_snapshot_schedule_time_status": "ExpectedNextSnapshotScheduleTimeStatus",
        "redshift_next_maintenance_window_start_time": "NextMaintenanceWindowStartTime",
        "redshift_availability_zone_relocation_status": "AvailabilityZoneRelocationStatus",
        "redshift_cluster_namespace_arn": "ClusterNamespaceArn",
        "redshift_total_storage_capacity_in_mega_bytes": "TotalStorageCapacityInMegaBytes",
        "redshift_default_iam_role_arn": "DefaultIamRoleArn",
        "redshift_logging_status": Field("logging", struct({
            "logging_enabled": "LoggingEnabled", "bucket_name": "BucketName", "s3_key_prefix": "S3KeyPrefix",
            "last_successful_delivery_time": "LastSuccessfulDeliveryTime", "last_failure_time": "LastFailureTime",
            "last_failure_message": "LastFailureMessage", "log_destination_type": "LogDestinationType",
            "log_exports": "LogExports"})),
    },
    parent=(Edge("aws_vpc", "VpcId"),),
    edges=(Edge("aws_kms_key", "KmsKeyId", last_arn_part),
           Edge("aws_ec2_security_group", "VpcSecurityGroups", ids_at("VpcSecurityGroupId"), reverse=True),
           Edge("aws_iam_role", "IamRoles", ids_at("IamRoleArn", last_arn_part), reverse=True)),
)  # fmt: skip

aws_service("redshift", CLUSTER)
