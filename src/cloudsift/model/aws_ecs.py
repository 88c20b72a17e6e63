"""ECS: clusters, their services and container instances, and the task definitions those run (Fix Inventory's
kind and property names; tests/model/test_fix_names.py holds them)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsEcsExecuteCommandLogConfiguration:
    """Where `ecs execute-command` sessions are logged, and whether those logs are encrypted."""

    cloud_watch_log_group_name: str
    cloud_watch_encryption_enabled: bool
    s3_bucket_name: str
    s3_encryption_enabled: bool
    s3_key_prefix: str


@struct
class AwsEcsExecuteCommandConfiguration:
    kms_key_id: str
    logging: str
    log_configuration: AwsEcsExecuteCommandLogConfiguration


@struct
class AwsEcsClusterConfiguration:
    execute_command_configuration: AwsEcsExecuteCommandConfiguration


@struct
class AwsEcsClusterSetting:
    """A cluster setting: `containerInsights` enabled or disabled."""

    name: str
    value: str


@struct
class AwsEcsKeyValuePair:
    name: str
    value: str


@struct
class AwsEcsCapacityProviderStrategyItem:
    capacity_provider: str
    weight: int
    base: int


@kind_class
class AwsEcsCluster(AwsResource):
    """An ECS cluster; it leads to its services. `cluster_settings` says whether Container Insights is on."""

    kind: ClassVar[str] = "aws_ecs_cluster"
    cluster_configuration: AwsEcsClusterConfiguration
    cluster_status: str
    cluster_registered_container_instances_count: int
    cluster_running_tasks_count: int
    cluster_pending_tasks_count: int
    cluster_active_services_count: int
    cluster_statistics: list[AwsEcsKeyValuePair]
    cluster_settings: list[AwsEcsClusterSetting]
    cluster_capacity_providers: list[str]
    cluster_default_capacity_provider_strategy: list[AwsEcsCapacityProviderStrategyItem]
    cluster_attachments_status: str


@struct
class AwsEcsPortMapping:
    container_port: int
    host_port: int
    protocol: str


@struct
class AwsEcsSecret:
    """A secret a container gets from Secrets Manager or SSM (`value_from` is where, never the value)."""

    name: str
    value_from: str


@struct
class AwsEcsLogConfiguration:
    log_driver: str
    options: dict[str, str]
    secret_options: list[AwsEcsSecret]


@struct
class AwsEcsEnvironmentFile:
    """A file of environment variables: `value` its S3 object's ARN, `type` "s3"."""

    value: str
    type: str


@struct
class AwsEcsContainerDefinition:
    """One container of a task definition: `privileged`, `readonly_root_filesystem`, `user`, its
    environment and its log configuration are what the checks read."""

    name: str
    image: str
    cpu: int
    memory: int
    memory_reservation: int
    port_mappings: list[AwsEcsPortMapping]
    essential: bool
    entry_point: list[str]
    command: list[str]
    environment: list[AwsEcsKeyValuePair]
    environment_files: list[AwsEcsEnvironmentFile]
    secrets: list[AwsEcsSecret]
    hostname: str
    user: str
    working_directory: str
    disable_networking: bool
    privileged: bool
    readonly_root_filesystem: bool
    docker_security_options: list[str]
    log_configuration: AwsEcsLogConfiguration


@struct
class AwsEcsRuntimePlatform:
    cpu_architecture: str
    operating_system_family: str


@kind_class
class AwsEcsTaskDefinition(AwsResource):
    """The latest revision of an ECS task definition family; `id` is `family:revision`. Roles lead to it."""

    kind: ClassVar[str] = "aws_ecs_task_definition"
    container_definitions: list[AwsEcsContainerDefinition]
    family: str
    task_role_arn: str
    execution_role_arn: str
    network_mode: str
    revision: int
    status: str
    compatibilities: list[str]
    runtime_platform: AwsEcsRuntimePlatform
    requires_compatibilities: list[str]
    cpu: str
    memory: str
    pid_mode: str
    ipc_mode: str
    registered_by: str
    ephemeral_storage: int


@struct
class AwsEcsLoadBalancer:
    target_group_arn: str
    load_balancer_name: str
    container_name: str
    container_port: int


@struct
class AwsEcsAwsVpcConfiguration:
    """A service's network: `assign_public_ip` ENABLED gives its tasks public addresses."""

    subnets: list[str]
    security_groups: list[str]
    assign_public_ip: str


@struct
class AwsEcsNetworkConfiguration:
    awsvpc_configuration: AwsEcsAwsVpcConfiguration


@struct
class AwsEcsDeploymentCircuitBreaker:
    enable: bool
    rollback: bool


@struct
class AwsEcsDeploymentConfiguration:
    deployment_circuit_breaker: AwsEcsDeploymentCircuitBreaker
    maximum_percent: int
    minimum_healthy_percent: int


@kind_class
class AwsEcsService(AwsResource):
    """An ECS service of a cluster; it leads to the task definition it runs. Its subnets, security groups
    and role lead to it."""

    kind: ClassVar[str] = "aws_ecs_service"
    status: str
    cluster_arn: str
    service_load_balancers: list[AwsEcsLoadBalancer]
    service_desired_count: int
    service_running_count: int
    service_pending_count: int
    service_launch_type: str
    service_capacity_provider_strategy: list[AwsEcsCapacityProviderStrategyItem]
    service_platform_version: str
    service_platform_family: str
    service_task_definition: str
    service_deployment_configuration: AwsEcsDeploymentConfiguration
    service_role_arn: str
    service_network_configuration: AwsEcsNetworkConfiguration
    service_health_check_grace_period_seconds: int
    service_scheduling_strategy: str
    service_deployment_controller: str
    service_created_by: str
    service_enable_ecs_managed_tags: bool
    service_propagate_tags: str
    service_enable_execute_command: bool


@struct
class AwsEcsVersionInfo:
    agent_version: str
    agent_hash: str
    docker_version: str


@struct
class AwsEcsResource:
    """A resource a container instance registered or has left: CPU, MEMORY, PORTS, ..."""

    name: str
    type: str
    double_value: float
    long_value: int
    integer_value: int
    string_set_value: list[str]


@struct
class AwsEcsAttribute:
    name: str
    value: str
    target_type: str
    target_id: str


@struct
class AwsEcsAttachment:
    id: str
    type: str
    status: str
    details: list[AwsEcsKeyValuePair]


@struct
class AwsEcsInstanceHealthCheckResult:
    type: str
    status: str
    last_updated: dt.datetime
    last_status_change: dt.datetime


@struct
class AwsEcsContainerInstanceHealthStatus:
    overall_status: str
    details: list[AwsEcsInstanceHealthCheckResult]


@kind_class
class AwsEcsContainerInstance(AwsResource):
    """An EC2 instance registered in an ECS cluster (below it); it leads to that EC2 instance.
    `agent_connected` false: the cluster cannot place tasks on it."""

    kind: ClassVar[str] = "aws_ecs_container_instance"
    ec2_instance_id: str
    capacity_provider_name: str
    version: str
    version_info: AwsEcsVersionInfo
    remaining_resources: list[AwsEcsResource]
    registered_resources: list[AwsEcsResource]
    status: str
    status_reason: str
    agent_connected: bool
    running_tasks_count: int
    pending_tasks_count: int
    agent_update_status: str
    attributes: list[AwsEcsAttribute]
    attachments: list[AwsEcsAttachment]
    health_status: AwsEcsContainerInstanceHealthStatus
