"""ElastiCache cache clusters (Fix Inventory's kind and property names; tests/model/test_fix_names.py holds
them)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsElasticacheEndpoint:
    address: str
    port: int


@struct
class AwsElasticacheNotificationConfiguration:
    topic_arn: str
    topic_status: str


@struct
class AwsElasticacheCacheParameterGroupStatus:
    cache_parameter_group_name: str
    parameter_apply_status: str
    cache_node_ids_to_reboot: list[str]


@struct
class AwsElasticacheCacheNode:
    cache_node_id: str
    cache_node_status: str
    cache_node_create_time: dt.datetime
    endpoint: AwsElasticacheEndpoint
    parameter_group_status: str
    customer_availability_zone: str


@struct
class AwsElasticacheSecurityGroupMembership:
    security_group_id: str
    status: str


@struct
class AwsElasticacheLogDeliveryConfiguration:
    log_type: str
    destination_type: str
    log_format: str
    status: str
    message: str


@kind_class
class AwsElasticacheCacheCluster(AwsResource):
    """An ElastiCache cache cluster (Redis or Memcached): encryption in transit and at rest, an AUTH token,
    automatic backups (`cluster_snapshot_retention_limit`), minor version upgrades, log delivery."""

    kind: ClassVar[str] = "aws_elasticache_cache_cluster"
    cluster_configuration_endpoint: AwsElasticacheEndpoint
    cluster_client_download_landing_page: str
    cluster_cache_node_type: str
    cluster_engine: str
    cluster_engine_version: str
    cluster_cache_cluster_status: str
    cluster_num_cache_nodes: int
    cluster_preferred_availability_zone: str
    cluster_preferred_outpost_arn: str
    cluster_preferred_maintenance_window: str
    cluster_notification_configuration: AwsElasticacheNotificationConfiguration
    cluster_cache_parameter_group: AwsElasticacheCacheParameterGroupStatus
    cluster_cache_subnet_group_name: str
    cluster_cache_nodes: list[AwsElasticacheCacheNode]
    cluster_auto_minor_version_upgrade: bool
    cluster_security_groups: list[AwsElasticacheSecurityGroupMembership]
    cluster_replication_group_id: str
    cluster_snapshot_retention_limit: int
    cluster_snapshot_window: str
    cluster_auth_token_enabled: bool
    cluster_auth_token_last_modified_date: dt.datetime
    cluster_transit_encryption_enabled: bool
    cluster_at_rest_encryption_enabled: bool
    cluster_replication_group_log_delivery_enabled: bool
    cluster_log_delivery_configurations: list[AwsElasticacheLogDeliveryConfiguration]
