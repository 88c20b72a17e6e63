"""ECS against moto: a cluster with Container Insights and encrypted exec logs running a service in private
subnets from a hardened task definition on a registered EC2 instance, and a cluster with neither running a
privileged, public one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, collected_region, record_calls
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

REGION = "eu-west-1"
ACCOUNT = "123456789012"
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}  # fmt: skip


def _make_ecs_estate() -> dict[str, Any]:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="tasks", Description="tasks", VpcId=vpc)["GroupId"]
    debug = ec2.create_security_group(GroupName="debug", Description="debug", VpcId=vpc)["GroupId"]
    role = boto3.client("iam").create_role(RoleName="web-task", AssumeRolePolicyDocument=json.dumps(TRUST))
    key = boto3.client("kms", region_name=REGION).create_key(Description="exec-logs")["KeyMetadata"]["KeyId"]
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="prod", settings=[{"name": "containerInsights", "value": "enabled"}],
                       tags=[{"key": "team", "value": "web"}],
                       configuration={"executeCommandConfiguration": {
                           "kmsKeyId": key, "logging": "OVERRIDE",
                           "logConfiguration": {"cloudWatchLogGroupName": "ecs-exec",
                                                "cloudWatchEncryptionEnabled": True}}})  # fmt: skip
    ecs.create_cluster(clusterName="scratch")
    logs = {"logDriver": "awslogs", "options": {"awslogs-group": "web", "awslogs-region": REGION}}
    for revision_image in ("nginx:1.24", "nginx:1.25"):  # two revisions: only the latest is collected
        ecs.register_task_definition(
            family="web", taskRoleArn=role["Role"]["Arn"], networkMode="awsvpc", cpu="256", memory="512",
            requiresCompatibilities=["FARGATE"], tags=[{"key": "app", "value": "web"}],
            containerDefinitions=[{"name": "web", "image": revision_image, "memory": 256, "user": "1000",
                                   "readonlyRootFilesystem": True, "logConfiguration": logs,
                                   "portMappings": [{"containerPort": 443, "protocol": "tcp"}]}])  # fmt: skip
    ecs.register_task_definition(family="debug", containerDefinitions=[
        {"name": "shell", "image": "busybox", "memory": 128, "privileged": True,
         "environment": [{"name": "MODE", "value": "debug"}]}])  # fmt: skip
    ecs.create_service(cluster="prod", serviceName="web", taskDefinition="web:2", desiredCount=2,
                       launchType="FARGATE", tags=[{"key": "team", "value": "web"}],
                       networkConfiguration={"awsvpcConfiguration": {
                           "subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}})  # fmt: skip
    ecs.create_service(cluster="scratch", serviceName="web", taskDefinition="debug:1", desiredCount=1,
                       launchType="FARGATE", networkConfiguration={"awsvpcConfiguration": {
                           "subnets": [subnet], "securityGroups": [debug], "assignPublicIp": "ENABLED"}})  # fmt: skip
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    host = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.large",
                             SubnetId=subnet)["Instances"][0]["InstanceId"]  # fmt: skip
    registered = ecs.register_container_instance(
        cluster="prod", instanceIdentityDocument=json.dumps({"instanceId": host})
    )["containerInstance"]["containerInstanceArn"]
    return {"subnet": subnet, "group": group, "key": key, "host": host, "container_instance": registered}


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_ecs_estate()
    return collected_region(tmp_path, REGION), made


def test_clusters_with_their_settings_and_exec_logging(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    prod = _one(store, "is(aws_ecs_cluster) and name == prod")
    assert (prod["arn"], prod["tags"], prod["cluster_status"]) == (
        f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod", {"team": "web"}, "ACTIVE")  # fmt: skip
    assert prod["cluster_settings"] == [{"name": "containerInsights", "value": "enabled"}]
    exec_config = prod["cluster_configuration"]["execute_command_configuration"]
    assert (exec_config["kms_key_id"], exec_config["logging"]) == (made["key"], "OVERRIDE")
    assert exec_config["log_configuration"]["cloud_watch_encryption_enabled"] is True
    no_insights = (
        "is(aws_ecs_cluster) and not cluster_settings[*].{name == containerInsights and value == enabled}"
    )
    assert _names(store, no_insights) == {"scratch"}
    assert _names(store, "is(aws_kms_key) <-- is(aws_ecs_cluster)") == {"prod"}


def test_task_definitions_latest_revision_with_containers(
    collected: tuple[DuckDBStore, dict[str, Any]],
) -> None:
    store, _ = collected
    assert _names(store, "is(aws_ecs_task_definition)") == {"web:2", "debug:1"}
    web = _one(store, "is(aws_ecs_task_definition) and family == web")
    assert (web["revision"], web["network_mode"], web["cpu"], web["tags"]) == (
        2,
        "awsvpc",
        "256",
        {"app": "web"},
    )
    assert web["task_role_arn"].endswith(":role/web-task") and web["requires_compatibilities"] == ["FARGATE"]
    (container,) = web["container_definitions"]
    assert (container["image"], container["user"], container["readonly_root_filesystem"]) == (
        "nginx:1.25",
        "1000",
        True,
    )
    assert container["log_configuration"]["log_driver"] == "awslogs"
    assert container["log_configuration"]["options"]["awslogs-group"] == "web"
    assert container["port_mappings"] == [{"container_port": 443, "host_port": None, "protocol": "tcp"}]
    assert _names(store, "is(aws_ecs_task_definition) and container_definitions[*].privileged == true") == {
        "debug:1"
    }
    unlogged = "is(aws_ecs_task_definition) and container_definitions[*].log_configuration == null"
    assert _names(store, unlogged) == {"debug:1"}
    assert _names(store, "is(aws_iam_role) --> is(aws_ecs_task_definition)") == {"web:2"}


def test_services_below_their_cluster(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    web = _one(store, "is(aws_ecs_service) and cluster_arn =~ prod")
    assert (web["name"], web["service_desired_count"], web["service_launch_type"]) == ("web", 2, "FARGATE")
    assert web["service_task_definition"].endswith("task-definition/web:2") and web["tags"] == {"team": "web"}
    network = web["service_network_configuration"]["awsvpc_configuration"]
    assert network == {
        "subnets": [made["subnet"]],
        "security_groups": [made["group"]],
        "assign_public_ip": "DISABLED",
    }
    public = "is(aws_ecs_service) and service_network_configuration.awsvpc_configuration.assign_public_ip == ENABLED"
    assert [d["reported"]["cluster_arn"] for d in store.search(store.bind(public))] == [
        f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/scratch"]  # fmt: skip
    # the same service name in two clusters: two services, each below its own cluster
    assert _names(store, "is(aws_ecs_cluster) and name == prod --> is(aws_ecs_service)") == {"web"}
    assert store.count(store.bind("is(aws_ecs_cluster) --> is(aws_ecs_service)")) == 2
    assert _names(store, "is(aws_ecs_service) and cluster_arn =~ scratch --> is(aws_ecs_task_definition)") == {
        "debug:1"}  # fmt: skip
    assert _names(store, "is(aws_ec2_security_group) --> is(aws_ecs_service)") == {"web"}
    assert store.count(store.bind("is(aws_ec2_subnet) --> is(aws_ecs_service)")) == 2


def test_services_are_described_ten_at_a_time_per_cluster(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ecs = boto3.client("ecs", region_name=REGION)
    for cluster, count in (("big", 12), ("small", 1)):
        ecs.create_cluster(clusterName=cluster)
        ecs.register_task_definition(
            family="idle", containerDefinitions=[{"name": "a", "image": "busybox", "memory": 64}]
        )
        for n in range(count):
            ecs.create_service(cluster=cluster, serviceName=f"svc-{n:02}", taskDefinition="idle:1", desiredCount=0,
                               tags=[{"key": "n", "value": str(n)}])  # fmt: skip
    calls = record_calls(monkeypatch)
    store = collected_region(tmp_path, REGION)
    # 13 services: 12 in one cluster (two calls, ten and two), one in the other
    assert calls[(REGION, "ecs", "DescribeServices")] == 3
    assert calls[(REGION, "ecs", "ListServices")] == 2
    assert _names(store, "is(aws_ecs_cluster) and name == big --> is(aws_ecs_service)") == {
        f"svc-{n:02}" for n in range(12)}  # fmt: skip
    last = _one(store, "is(aws_ecs_service) and cluster_arn =~ big and name == svc-11")
    assert (last["tags"], last["service_desired_count"]) == ({"n": "11"}, 0)
    assert _one(store, "is(aws_ecs_cluster) and name == small --> is(aws_ecs_service)")["tags"] == {"n": "0"}


def test_container_instances_below_their_cluster_lead_to_their_ec2_instance(
    collected: tuple[DuckDBStore, dict[str, Any]],
) -> None:
    store, made = collected
    node = _one(store, "is(aws_ecs_container_instance)")
    arn = made["container_instance"]
    assert (node["id"], node["name"], node["arn"]) == (arn.rsplit("/", 1)[-1], arn, arn)
    assert (node["ec2_instance_id"], node["status"], node["agent_connected"]) == (
        made["host"],
        "ACTIVE",
        True,
    )
    assert node["version_info"]["agent_version"] and node["ctime"]
    assert {"name": "ecs.instance-type", "value": "m5.large", "target_type": None, "target_id": None} in node[
        "attributes"]  # fmt: skip
    cpu = next(r for r in node["registered_resources"] if r["name"] == "CPU")
    assert cpu["type"] == "INTEGER" and cpu["integer_value"] > 0
    assert _names(store, "is(aws_ecs_cluster) --> is(aws_ecs_container_instance)") == {arn}
    assert _names(store, "is(aws_ecs_cluster) and name == prod --> is(aws_ecs_container_instance)") == {arn}
    assert {d["reported"]["id"] for d in store.search(store.bind(
        "is(aws_ecs_container_instance) --> is(aws_ec2_instance)"))} == {made["host"]}  # fmt: skip


def test_a_refused_ecs_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_ecs_estate()
    store = DuckDBStore()
    assert collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))).ok
    boto3.client("ecs", region_name=REGION).delete_service(cluster="scratch", service="web", force=True)
    aws.failing_services.add("ecs")
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and [e.split(":")[0] for e in failed[REGION]] == ["ecs"]
    assert store.count(store.bind("is(aws_ecs_service)")) == 2  # the last good data
    assert _names(store, "is(aws_ecs_cluster)") == {"prod", "scratch"}
    assert store.count(store.bind("is(aws_ecs_cluster) --> is(aws_ecs_container_instance)")) == 1
    assert _names(store, "is(aws_iam_role) and name == web-task") == {"web-task"}  # the rest was collected
