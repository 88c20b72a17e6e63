"""CloudFormation stacks against moto: a protected stack that makes a VPC, a security group, a queue and a
bucket, and an unprotected one, collected with Fix's property names (parameters, outputs, status,
termination protection) and leading to the resources each made; a refused CloudFormation keeps its last
good data while the partition's other services are collected."""

from __future__ import annotations

import json
from pathlib import Path

import boto3

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, collected_region
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

REGION = "eu-west-1"
TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Description": "the shop's network and queue",
    "Parameters": {"Cidr": {"Type": "String", "Default": "10.7.0.0/16"}},
    "Resources": {
        "Net": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "Cidr"}}},
        "Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "web", "VpcId": {"Ref": "Net"}}},
        "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "shop-jobs"}},
        "Files": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "shop-stack-files"}},
    },
    "Outputs": {
        "VpcId": {"Value": {"Ref": "Net"}, "Description": "the network", "Export": {"Name": "shop-vpc"}},
        "DbPassword": {"Value": "hunter2-but-longer"},
    },
}  # fmt: skip
EMPTY = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "loose"}}}}


def _ids(store: DuckDBStore, query: str) -> set[str]:
    return {d["reported"]["id"] for d in store.search(store.bind(query))}


def _make_stacks() -> dict[str, str]:
    cfn = boto3.client("cloudformation", region_name=REGION)
    shop = cfn.create_stack(StackName="shop", TemplateBody=json.dumps(TEMPLATE), EnableTerminationProtection=True,
                            Parameters=[{"ParameterKey": "Cidr", "ParameterValue": "10.8.0.0/16"}],
                            Tags=[{"Key": "team", "Value": "shop"}], TimeoutInMinutes=30)["StackId"]  # fmt: skip
    loose = cfn.create_stack(StackName="loose", TemplateBody=json.dumps(EMPTY))["StackId"]
    return {"shop": shop, "loose": loose}


def test_stacks_and_what_they_made(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    made = _make_stacks()
    store = collected_region(tmp_path, REGION)
    stack = _one(store, "is(aws_cloudformation_stack) and name == shop")
    assert (stack["id"], stack["arn"], stack["tags"]) == (made["shop"], made["shop"], {"team": "shop"})
    assert stack["stack_status"] == "CREATE_COMPLETE" and stack["ctime"]
    assert stack["description"] == "the shop's network and queue"
    assert stack["stack_parameters"] == {"Cidr": "10.8.0.0/16"}
    outputs = {o["output_key"]: o for o in stack["stack_outputs"]}
    assert outputs["DbPassword"]["output_value"] == "hunter2-but-longer"
    assert (outputs["VpcId"]["description"], outputs["VpcId"]["export_name"]) == ("the network", "shop-vpc")
    assert stack["stack_timeout_in_minutes"] == 30
    assert _names(store, "is(aws_cloudformation_stack) and stack_enable_termination_protection == true") == {
        "shop"
    }
    assert _names(store, "is(aws_cloudformation_stack) and stack_outputs[*].output_key == DbPassword") == {
        "shop"
    }

    vpc = outputs["VpcId"]["output_value"]
    assert _ids(store, f'is(aws_vpc) and id == "{vpc}"') == {vpc}
    made_by_shop = {
        (d["reported"]["kind"], d["reported"]["name"])
        for d in store.search(store.bind("is(aws_cloudformation_stack) and name == shop --> all"))
    }
    assert {kind for kind, _ in made_by_shop} == {"aws_vpc", "aws_ec2_security_group", "aws_sqs_queue",
                                                  "aws_s3_bucket"}  # fmt: skip
    assert {("aws_sqs_queue", "shop-jobs"), ("aws_s3_bucket", "shop-stack-files")} <= made_by_shop
    assert {d["reported"]["kind"] for d in store.search(store.bind(
        "is(aws_cloudformation_stack) and name == loose --> all"))} == {"aws_sns_topic"}  # fmt: skip


def test_a_refused_cloudformation_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_stacks()
    store = DuckDBStore()
    config = Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))
    assert collect_aws(store, config).ok
    boto3.client("cloudformation", region_name=REGION).delete_stack(StackName="loose")
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    aws.failing_services.add("cloudformation")
    summary = collect_aws(store, config)
    failed = {p.region: [e.split(":")[0] for e in p.errors] for p in summary.partitions if p.errors}
    assert failed == {REGION: ["cloudformation"]}
    assert _names(store, "is(aws_cloudformation_stack)") == {"shop", "loose"}  # the last good data
    assert vpc in _ids(store, "is(aws_vpc)")  # the partition's other services were collected
