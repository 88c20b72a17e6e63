"""SageMaker against moto: a locked-down and an open notebook, model and training job each, collected, found
with the property names Fix's checks read, and their edges (subnet, security group, role, key, bucket)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

REGION = "eu-west-1"
ACCOUNT = "123456789012"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/trainer:1"


def _make_sagemaker_estate() -> dict[str, Any]:
    key = boto3.client("kms", region_name=REGION).create_key(Description="ml")["KeyMetadata"]["KeyId"]
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}  # fmt: skip
    role = boto3.client("iam").create_role(RoleName="ml-runner", AssumeRolePolicyDocument=json.dumps(trust))
    role_arn = role["Role"]["Arn"]
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="ml", Description="ml", VpcId=vpc)["GroupId"]
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="ml-models", CreateBucketConfiguration={"LocationConstraint": REGION})
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_notebook_instance(
        NotebookInstanceName="private-nb", InstanceType="ml.t3.medium", RoleArn=role_arn, SubnetId=subnet,
        SecurityGroupIds=[group], KmsKeyId=key, DirectInternetAccess="Disabled", RootAccess="Disabled",
        Tags=[{"Key": "team", "Value": "ml"}],
    )  # fmt: skip
    sm.create_notebook_instance(NotebookInstanceName="open-nb", InstanceType="ml.t3.medium", RoleArn=role_arn)
    vpc_config = {"SecurityGroupIds": [group], "Subnets": [subnet]}
    sm.create_model(ModelName="classifier", ExecutionRoleArn=role_arn, VpcConfig=vpc_config,
                    PrimaryContainer={"Image": IMAGE, "ModelDataUrl": "s3://ml-models/classifier/model.tar.gz"},
                    EnableNetworkIsolation=True)  # fmt: skip
    sm.create_model(ModelName="loose", ExecutionRoleArn=role_arn, PrimaryContainer={"Image": IMAGE})
    job = {"AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"}, "RoleArn": role_arn,
           "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}  # fmt: skip
    sm.create_training_job(
        TrainingJobName="train-sealed", **job, VpcConfig=vpc_config, EnableInterContainerTrafficEncryption=True,
        EnableNetworkIsolation=True, OutputDataConfig={"S3OutputPath": "s3://ml-models/out/", "KmsKeyId": key},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10,
                        "VolumeKmsKeyId": key},
    )  # fmt: skip
    sm.create_training_job(
        TrainingJobName="train-plain", **job, OutputDataConfig={"S3OutputPath": "s3://ml-models/plain/"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
    )  # fmt: skip
    return {"key": key, "subnet": subnet, "group": group, "role": role_arn}


def _collect(store: DuckDBStore, tmp_path: Path) -> Any:
    return collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_sagemaker_estate()
    store = DuckDBStore()
    summary = _collect(store, tmp_path)
    assert summary.ok, list(summary.lines())
    return store, made


def test_notebooks(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    private = _one(store, "is(aws_sagemaker_notebook) and name == private-nb")
    assert private["arn"] == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/private-nb"
    assert (private["notebook_instance_type"], private["notebook_root_access"]) == (
        "ml.t3.medium",
        "Disabled",
    )
    assert private["tags"] == {"team": "ml"} and private["ctime"]
    # the check "notebooks without direct internet access" reads exactly this
    assert _names(store, "is(aws_sagemaker_notebook) and notebook_direct_internet_access == Enabled") == {
        "open-nb"
    }
    assert _names(store, "is(aws_ec2_subnet) --> is(aws_sagemaker_notebook)") == {"private-nb"}
    assert _names(store, "is(aws_ec2_security_group) --> is(aws_sagemaker_notebook)") == {"private-nb"}
    assert _names(store, "is(aws_iam_role) --> is(aws_sagemaker_notebook)") == {"private-nb", "open-nb"}
    assert _names(store, "is(aws_sagemaker_notebook) --> is(aws_kms_key)") == {"ml"}


def test_models(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    classifier = _one(store, "is(aws_sagemaker_model) and name == classifier")
    assert classifier["model_vpc_config"] == {
        "security_group_ids": [made["group"]],
        "subnets": [made["subnet"]],
    }
    assert classifier["model_primary_container"]["model_data_url"].startswith("s3://ml-models/")
    # moto keeps no model's EnableNetworkIsolation (it answers false): the property is collected all the same
    assert classifier["model_enable_network_isolation"] is False
    assert _names(store, "is(aws_sagemaker_model) and model_vpc_config == null") == {"loose"}
    assert _names(store, "is(aws_sagemaker_model) --> is(aws_s3_bucket)") == {"ml-models"}
    assert _names(store, "is(aws_sagemaker_model) --> is(aws_iam_role)") == {"ml-runner"}
    assert _names(store, "is(aws_ec2_subnet) --> is(aws_sagemaker_model)") == {"classifier"}


def test_training_jobs(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    sealed = _one(store, "is(aws_sagemaker_training_job) and name == train-sealed")
    assert sealed["training_job_resource_config"]["volume_kms_key_id"] == made["key"]
    assert sealed["training_job_output_data_config"] == {
        "kms_key_id": made["key"],
        "s3_output_path": "s3://ml-models/out/",
    }
    assert sealed["training_job_algorithm_specification"]["training_image"] == IMAGE
    assert sealed["training_job_stopping_condition"]["max_runtime_in_seconds"] == 3600
    unencrypted = (
        "is(aws_sagemaker_training_job) and training_job_enable_inter_container_traffic_encryption != true"
    )
    assert _names(store, unencrypted) == {"train-plain"}
    no_key = "is(aws_sagemaker_training_job) and training_job_resource_config.volume_kms_key_id == null"
    assert _names(store, no_key) == {"train-plain"}
    assert _names(store, "is(aws_sagemaker_training_job) and training_job_vpc_config == null") == {
        "train-plain"
    }
    assert _names(store, "is(aws_sagemaker_training_job) --> is(aws_kms_key)") == {"ml"}
    assert _names(store, "is(aws_s3_bucket) <-- is(aws_sagemaker_training_job)") == {
        "train-sealed",
        "train-plain",
    }
    assert _names(store, "is(aws_iam_role) --> is(aws_sagemaker_training_job)") == {
        "train-sealed",
        "train-plain",
    }


def test_a_refused_sagemaker_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_sagemaker_estate()
    store = DuckDBStore()
    assert _collect(store, tmp_path).ok
    boto3.client("sagemaker", region_name=REGION).delete_model(ModelName="loose")
    aws.failing_services.add("sagemaker")
    summary = _collect(store, tmp_path)
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and [e.split(":")[0] for e in failed[REGION]] == ["sagemaker"]
    assert _names(store, "is(aws_sagemaker_model)") == {"classifier", "loose"}  # the last good data
    assert "AccessDenied" in failed[REGION][0] or "403" in failed[REGION][0]
    assert _names(store, "is(aws_iam_role)") == {"ml-runner"}  # the global partition went on
