"""ElastiCache cache clusters with their nodes, and their tags asked per cluster."""

from __future__ import annotations

from cloudsift.collect.aws.convert import Field, each, ids_at, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service

ENDPOINT = struct({"address": "Address", "port": "Port"})

CACHE_CLUSTER = AwsKind(
    "aws_elasticache_cache_cluster",
    Listing("elasticache", "DescribeCacheClusters", "CacheClusters", params={"ShowCacheNodeInfo": True}),
    id="CacheClusterId", arn="ARN", ctime="CacheClusterCreateTime", tags=Field("tags", tag_list),
    node="elasticache/",
    details=(Detail("ListTagsForResource", "tags", {"ResourceName": "ARN"}, key="TagList",
                    missing=("CacheClusterNotFound", "InvalidARN")),),
    props={
        "cluster_configuration_endpoint": Field("ConfigurationEndpoint", ENDPOINT),
        "cluster_client_download_landing_page": "ClientDownloadLandingPage",
        "cluster_cache_node_type": "CacheNodeType", "cluster_engine": "Engine", "cluster_engine_version": "EngineVersion",
        "cluster_cache_cluster_status": "CacheClusterStatus", "cluster_num_cache_nodes": "NumCacheNodes",
        "cluster_preferred_availability_zone": "PreferredAvailabilityZone",
        "cluster_preferred_outpost_arn": "PreferredOutpostArn",
        "cluster_preferred_maintenance_window": "PreferredMaintenanceWindow",
        "cluster_notification_configuration": Field("NotificationConfiguration", struct({
            "topic_arn": "TopicArn", "topic_status": "TopicStatus"})),
        "cluster_cache_parameter_group": Field("CacheParameterGroup", struct({
            "cache_parameter_group_name": "CacheParameterGroupName", "parameter_apply_status": "ParameterApplyStatus",
            "cache_node_ids_to_reboot": "CacheNodeIdsToReboot"})),
        "cluster_cache_subnet_group_name": "CacheSubnetGroupName",
        "cluster_cache_nodes": Field("CacheNodes", each({
            "cache_node_id": "CacheNodeId", "cache_node_status": "CacheNodeStatus",
            "cache_node_create_time": "CacheNodeCreateTime", "endpoint": Field("Endpoint", ENDPOINT),
            "parameter_group_status": "ParameterGroupStatus", "customer_availability_zone": "CustomerAvailabilityZone"})),
        "cluster_auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
        "cluster_security_groups": Field("SecurityGroups", each({
            "security_group_id": "SecurityGroupId", "status": "Status"})),
        "cluster_replication_group_id": "ReplicationGroupId",
        "cluster_snapshot_retention_limit": "SnapshotRetentionLimit", "cluster_snapshot_window": "SnapshotWindow",
        "cluster_auth_token_enabled": "AuthTokenEnabled",
        "cluster_auth_token_last_modified_date": "AuthTokenLastModifiedDate",
        "cluster_transit_encryption_enabled": "TransitEncryptionEnabled",
        "cluster_at_rest_encryption_enabled": "AtRestEncryptionEnabled",
        "cluster_replication_group_log_delivery_enabled": "ReplicationGroupLogDeliveryEnabled",
        "cluster_log_delivery_configurations": Field("LogDeliveryConfigurations", each({
            "log_type": "LogType", "destination_type": "DestinationType", "log_format": "LogFormat",
            "status": "Status", "message": "Message"})),
    },
    edges=(Edge("aws_ec2_security_group", "SecurityGroups", ids_at("SecurityGroupId"), reverse=True),
           Edge("aws_sns_topic", "NotificationConfiguration.TopicArn")),
)  # fmt: skip

aws_service("elasticache", CACHE_CLUSTER)
