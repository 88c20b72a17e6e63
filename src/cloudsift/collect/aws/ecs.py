"""ECS clusters, the services and container instances of each cluster and the latest revision of each task
definition family."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudsift.collect.aws.convert import Field, each, last_arn_part, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Batch, Detail, Edge, Listing, Per, Scope, aws_service


def _arns(client: Any, method: str, key: str, **params: Any) -> list[str]:
    return [arn for page in client.get_paginator(method).paginate(**params) for arn in page[key]]


# The region's clusters, listed once for the clusters, their services and their container instances
CLUSTERS = Listing("ecs", "ListClusters", "clusterArns")
DESCRIBE_SERVICES_AT_ONCE = 10  # DescribeServices takes at most 10 services per call


def latest_revisions(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    """The newest revision of each task definition family (older ones are history, as Fix keeps them)."""
    latest: dict[str, tuple[int, str]] = {}
    for arn in _arns(client, "list_task_definitions", "taskDefinitionArns", sort="DESC"):
        family, revision = arn.rsplit(":", 1)
        if int(revision) > latest.get(family, (0, ""))[0]:
            latest[family] = (int(revision), arn)
    yield from ({"item": arn} for _, arn in latest.values())


def revision_of(arn: Any) -> str | None:
    """A task definition's `family:revision` from its ARN (`...:task-definition/web:2`)."""
    return str(arn).rsplit("/", 1)[-1] if arn else None


def cluster_and_name(service: dict[str, Any]) -> str:
    """A service's name is unique only within its cluster."""
    return f"{last_arn_part(service['clusterArn'])}/{service['serviceName']}"


def version_text(value: Any) -> str | None:
    """A container instance's version counter, as the text Fix keeps it as."""
    return None if value is None else str(value)


KEY_VALUES = each({"name": "name", "value": "value"})
STRATEGY = each({"capacity_provider": "capacityProvider", "weight": "weight", "base": "base"})
SECRETS = each({"name": "name", "value_from": "valueFrom"})
EXECUTE_COMMAND = "c.configuration.executeCommandConfiguration"

CLUSTER = AwsKind(
    "aws_ecs_cluster",
    CLUSTERS,
    id="c.clusterName", arn="item", tags=Field("c.tags", tag_list), node="ecs-cluster/",
    details=(Detail("DescribeClusters", "c", {
        "clusters": lambda item: [item["item"]],
        "include": lambda _: ["ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS"],
    }, key="clusters.0"),),
    props={
        "cluster_configuration": Field("c.configuration", struct({
            "execute_command_configuration": Field("executeCommandConfiguration", struct({
                "kms_key_id": "kmsKeyId", "logging": "logging",
                "log_configuration": Field("logConfiguration", struct({
                    "cloud_watch_log_group_name": "cloudWatchLogGroupName",
                    "cloud_watch_encryption_enabled": "cloudWatchEncryptionEnabled",
                    "s3_bucket_name": "s3BucketName", "s3_encryption_enabled": "s3EncryptionEnabled",
                    "s3_key_prefix": "s3KeyPrefix",
                })),
            })),
        })),
        "cluster_status": "c.status",
        "cluster_registered_container_instances_count": "c.registeredContainerInstancesCount",
        "cluster_running_tasks_count": "c.runningTasksCount", "cluster_pending_tasks_count": "c.pendingTasksCount",
        "cluster_active_services_count": "c.activeServicesCount",
        "cluster_statistics": Field("c.statistics", KEY_VALUES), "cluster_settings": Field("c.settings", KEY_VALUES),
        "cluster_capacity_providers": "c.capacityProviders",
        "cluster_default_capacity_provider_strategy": Field("c.defaultCapacityProviderStrategy", STRATEGY),
        "cluster_attachments_status": "c.attachmentsStatus",
    },
    edges=(Edge("aws_kms_key", f"{EXECUTE_COMMAND}.kmsKeyId", last_arn_part),
           Edge("aws_s3_bucket", f"{EXECUTE_COMMAND}.logConfiguration.s3BucketName")),
)  # fmt: skip

TASK_DEFINITION = AwsKind(
    "aws_ecs_task_definition",
    Listing("ecs", "ListTaskDefinitions", "taskDefinitionArns", read=latest_revisions),
    id=Field("item", revision_of), arn="item", ctime="td.taskDefinition.registeredAt",
    tags=Field("td.tags", tag_list), node="ecs-task-definition/",
    details=(Detail("DescribeTaskDefinition", "td", {"taskDefinition": "item", "include": lambda _: ["TAGS"]}),),
    props={
        "container_definitions": Field("td.taskDefinition.containerDefinitions", each({
            "name": "name", "image": "image", "cpu": "cpu", "memory": "memory",
            "memory_reservation": "memoryReservation", "essential": "essential",
            "port_mappings": Field("portMappings", each({
                "container_port": "containerPort", "host_port": "hostPort", "protocol": "protocol"})),
            "entry_point": "entryPoint", "command": "command", "environment": Field("environment", KEY_VALUES),
            "environment_files": Field("environmentFiles", each({"value": "value", "type": "type"})),
            "secrets": Field("secrets", SECRETS), "hostname": "hostname", "user": "user",
            "working_directory": "workingDirectory", "disable_networking": "disableNetworking",
            "privileged": "privileged", "readonly_root_filesystem": "readonlyRootFilesystem",
            "docker_security_options": "dockerSecurityOptions",
            "log_configuration": Field("logConfiguration", struct({
                "log_driver": "logDriver", "options": "options", "secret_options": Field("secretOptions", SECRETS),
            })),
        })),
        "family": "td.taskDefinition.family", "task_role_arn": "td.taskDefinition.taskRoleArn",
        "execution_role_arn": "td.taskDefinition.executionRoleArn", "network_mode": "td.taskDefinition.networkMode",
        "revision": "td.taskDefinition.revision", "status": "td.taskDefinition.status",
        "compatibilities": "td.taskDefinition.compatibilities",
        "runtime_platform": Field("td.taskDefinition.runtimePlatform", struct({
            "cpu_architecture": "cpuArchitecture", "operating_system_family": "operatingSystemFamily"})),
        "requires_compatibilities": "td.taskDefinition.requiresCompatibilities",
        "cpu": "td.taskDefinition.cpu", "memory": "td.taskDefinition.memory", "pid_mode": "td.taskDefinition.pidMode",
        "ipc_mode": "td.taskDefinition.ipcMode", "registered_by": "td.taskDefinition.registeredBy",
        "ephemeral_storage": "td.taskDefinition.ephemeralStorage.sizeInGiB",
    },
    edges=(Edge("aws_iam_role", "td.taskDefinition.taskRoleArn", last_arn_part, reverse=True),
           Edge("aws_iam_role", "td.taskDefinition.executionRoleArn", last_arn_part, reverse=True)),
)  # fmt: skip

AWSVPC = "s.networkConfiguration.awsvpcConfiguration"

# a cluster's services, described ten at a time with their tags
SERVICE = AwsKind(
    "aws_ecs_service",
    Listing("ecs", "ListServices", "serviceArns", per=Per(CLUSTERS, {"cluster": "item"})),
    id="s.serviceName", arn="s.serviceArn", ctime="s.createdAt", tags=Field("s.tags", tag_list), node="ecs-service/",
    key=Field("s", cluster_and_name),
    details=(Detail("DescribeServices", "s", {
        "cluster": "parent.item", "services": "item", "include": lambda _: ["TAGS"],
    }, key="services", batch=Batch("services", DESCRIBE_SERVICES_AT_ONCE, match="serviceArn")),),
    props={
        "status": "s.status", "cluster_arn": "s.clusterArn",
        "service_load_balancers": Field("s.loadBalancers", each({
            "target_group_arn": "targetGroupArn", "load_balancer_name": "loadBalancerName",
            "container_name": "containerName", "container_port": "containerPort"})),
        "service_desired_count": "s.desiredCount", "service_running_count": "s.runningCount",
        "service_pending_count": "s.pendingCount", "service_launch_type": "s.launchType",
        "service_capacity_provider_strategy": Field("s.capacityProviderStrategy", STRATEGY),
        "service_platform_version": "s.platformVersion", "service_platform_family": "s.platformFamily",
        "service_task_definition": "s.taskDefinition",
        "service_deployment_configuration": Field("s.deploymentConfiguration", struct({
            "deployment_circuit_breaker": Field("deploymentCircuitBreaker", struct({
                "enable": "enable", "rollback": "rollback"})),
            "maximum_percent": "maximumPercent", "minimum_healthy_percent": "minimumHealthyPercent"})),
        "service_role_arn": "s.roleArn",
        "service_network_configuration": Field("s.networkConfiguration", struct({
            "awsvpc_configuration": Field("awsvpcConfiguration", struct({
                "subnets": "subnets", "security_groups": "securityGroups", "assign_public_ip": "assignPublicIp"})),
        })),
        "service_health_check_grace_period_seconds": "s.healthCheckGracePeriodSeconds",
        "service_scheduling_strategy": "s.schedulingStrategy",
        "service_deployment_controller": "s.deploymentController.type",
        "service_created_by": "s.createdBy", "service_enable_ecs_managed_tags": "s.enableECSManagedTags",
        "service_propagate_tags": "s.propagateTags", "service_enable_execute_command": "s.enableExecuteCommand",
    },
    parent=(Edge("aws_ecs_cluster", "s.clusterArn", last_arn_part),),
    edges=(Edge("aws_ecs_task_definition", "s.taskDefinition", revision_of),
           Edge("aws_iam_role", "s.roleArn", last_arn_part, reverse=True),
           Edge("aws_ec2_subnet", f"{AWSVPC}.subnets", reverse=True),
           Edge("aws_ec2_security_group", f"{AWSVPC}.securityGroups", reverse=True)),
)  # fmt: skip

RESOURCES = each({
    "name": "name", "type": "type", "double_value": "doubleValue", "long_value": "longValue",
    "integer_value": "integerValue", "string_set_value": "stringSetValue",
})  # fmt: skip

CONTAINER_INSTANCE = AwsKind(
    "aws_ecs_container_instance",
    Listing("ecs", "ListContainerInstances", "containerInstanceArns", per=Per(CLUSTERS, {"cluster": "item"})),
    id=Field("item", last_arn_part), name="item", arn="item", ctime="ci.registeredAt",
    tags=Field("ci.tags", tag_list), node="ecs-container-instance/",
    details=(Detail("DescribeContainerInstances", "ci", {
        "cluster": "parent.item", "containerInstances": lambda item: [item["item"]],
        "include": lambda _: ["TAGS", "CONTAINER_INSTANCE_HEALTH"],
    }, key="containerInstances.0"),),
    props={
        "ec2_instance_id": "ci.ec2InstanceId", "capacity_provider_name": "ci.capacityProviderName",
        "version": Field("ci.version", version_text),
        "version_info": Field("ci.versionInfo", struct({
            "agent_version": "agentVersion", "agent_hash": "agentHash", "docker_version": "dockerVersion"})),
        "remaining_resources": Field("ci.remainingResources", RESOURCES),
        "registered_resources": Field("ci.registeredResources", RESOURCES),
        "status": "ci.status", "status_reason": "ci.statusReason", "agent_connected": "ci.agentConnected",
        "running_tasks_count": "ci.runningTasksCount", "pending_tasks_count": "ci.pendingTasksCount",
        "agent_update_status": "ci.agentUpdateStatus",
        "attributes": Field("ci.attributes", each({
            "name": "name", "value": "value", "target_type": "targetType", "target_id": "targetId"})),
        "attachments": Field("ci.attachments", each({
            "id": "id", "type": "type", "status": "status", "details": Field("details", KEY_VALUES)})),
        "health_status": Field("ci.healthStatus", struct({
            "overall_status": "overallStatus",
            "details": Field("details", each({
                "type": "type", "status": "status", "last_updated": "lastUpdated",
                "last_status_change": "lastStatusChange"})),
        })),
    },
    parent=(Edge("aws_ecs_cluster", "parent.item", last_arn_part),),
    edges=(Edge("aws_ec2_instance", "ci.ec2InstanceId"),),
)  # fmt: skip

aws_service("ecs", CLUSTER, TASK_DEFINITION, SERVICE, CONTAINER_INSTANCE)
