"""The kinds a security baseline reads, against moto: Config, the root user, IAM groups and server
certificates, S3 account settings, route tables, flow logs, own images, launch templates, Auto Scaling
groups, and the instance, VPC and region properties Fix's checks start from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from cloudsift.collect.aws.iam_account import ROOT, credential_report
from cloudsift.collect.aws.s3_account import single_host
from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.model import MODEL
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)

REGION = "eu-west-1"
ACCOUNT = "123456789012"

# Fix Inventory's names that its checks read (fixcompliance checks aws_config, aws_iam, aws_s3, aws_ec2,
# aws_autoscaling): a fact list, so a rename cannot slip in unnoticed.
FIX_NAMES = {
    "aws_config_recorder": {"recorder_status", "recorder_group"},
    "aws_root_user": {"password_enabled", "mfa_active", "user_virtual_mfa_devices", "password_last_used"},
    "aws_iam_server_certificate": {"expires"},
    "aws_s3_account_settings": {"bucket_public_access_block_configuration"},
    "aws_ec2_route_table": {"route_table_routes", "route_table_associations"},
    "aws_ec2_image": {"public"},
    "aws_ec2_launch_template": {"launch_template_data"},
    "aws_autoscaling_group": {"autoscaling_launch_template", "min_size", "max_size"},
    "aws_ec2_instance": {"instance_subnet_id", "instance_iam_instance_profile", "instance_metadata_options",
                         "instance_public_ip_address", "instance_status"},
    "aws_vpc": {"vpc_in_use"},
    "aws_region": {"region_in_use"},
}  # fmt: skip
STAR = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def test_fix_names_are_the_model_names() -> None:
    for kind, names in FIX_NAMES.items():
        assert names <= {p.name for p in MODEL.props_of(kind)}, kind


def _make_baseline_estate() -> dict[str, Any]:
    ec2 = boto3.client("ec2", region_name=REGION)
    logged = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    unlogged = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
    subnets = {vpc: ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"]["SubnetId"]
               for vpc, cidr in ((logged, "10.3.1.0/24"), (unlogged, "10.4.1.0/24"))}  # fmt: skip
    boto3.client("logs", region_name=REGION).create_log_group(logGroupName="flows")
    ec2.create_flow_logs(ResourceIds=[logged], ResourceType="VPC", TrafficType="ALL", LogGroupName="flows",
                         DeliverLogsPermissionArn=f"arn:aws:iam::{ACCOUNT}:role/flow-logs")  # fmt: skip
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=unlogged)
    table = ec2.create_route_table(VpcId=unlogged)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnets[unlogged])
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    iam = boto3.client("iam")
    iam.create_instance_profile(InstanceProfileName="web")
    v2 = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnets[logged],
                           MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
                           IamInstanceProfile={"Name": "web"})["Instances"][0]["InstanceId"]  # fmt: skip
    v1 = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnets[unlogged],
                           MetadataOptions={"HttpTokens": "optional"})["Instances"][0]["InstanceId"]  # fmt: skip
    own = ec2.create_image(InstanceId=v2, Name="golden")["ImageId"]
    ec2.modify_image_attribute(ImageId=own, LaunchPermission={"Add": [{"Group": "all"}]})
    template = ec2.create_launch_template(LaunchTemplateName="public-web", LaunchTemplateData={
        "ImageId": own, "InstanceType": "t3.micro",
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True, "SubnetId": subnets[logged]}],
    })["LaunchTemplate"]["LaunchTemplateId"]  # fmt: skip
    boto3.client("autoscaling", region_name=REGION).create_auto_scaling_group(
        AutoScalingGroupName="web", MinSize=1, MaxSize=2, VPCZoneIdentifier=subnets[logged],
        LaunchTemplate={"LaunchTemplateId": template, "Version": "$Default"})  # fmt: skip
    config = boto3.client("config", region_name=REGION)
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})  # fmt: skip
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="config-history")
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-history"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    iam.create_user(UserName="carol")
    iam.create_group(GroupName="admins")
    iam.add_user_to_group(GroupName="admins", UserName="carol")
    iam.put_group_policy(GroupName="admins", PolicyName="everything", PolicyDocument=json.dumps(STAR))
    policy = iam.create_policy(PolicyName="read-logs", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:Get*", "Resource": "*"}]}))  # fmt: skip
    iam.attach_group_policy(GroupName="admins", PolicyArn=policy["Policy"]["Arn"])
    iam.create_group(GroupName="readers")
    single_host(boto3.client("s3control", region_name="us-east-1"), ACCOUNT).put_public_access_block(
        AccountId=ACCOUNT, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": False})  # fmt: skip
    return {"logged": logged, "unlogged": unlogged, "table": table, "v1": v1, "v2": v2, "own": own,
            "template": template}  # fmt: skip


def _names(store: DuckDBStore, query: str) -> set[str]:
    return {d["reported"]["id"] for d in store.search(store.bind(query))}


def _one(store: DuckDBStore, query: str) -> dict[str, Any]:
    found = list(store.search(store.bind(query)))
    assert len(found) == 1, (query, [f["id"] for f in found])
    return dict(found[0]["reported"])


def test_the_baseline_kinds_are_collected_with_fix_s_properties(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    made = _make_baseline_estate()
    store = DuckDBStore()
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    assert summary.ok, list(summary.lines())
    # VPCs and flow logs: Fix's vpc_flow_logs_enabled finds the VPC in use without one
    assert _names(store, "is(aws_vpc) and vpc_in_use==true with(empty, --> is(aws_ec2_flow_log))") == {
        made["unlogged"]
    }
    assert _names(store, "is(aws_vpc) and vpc_in_use==false") >= set()  # the default VPC may hold nothing
    flow = _one(store, "is(aws_ec2_flow_log)")
    assert (flow["resource_id"], flow["log_group_name"]) == (made["logged"], "flows")
    assert _names(store, "is(aws_ec2_flow_log) --> is(aws_cloudwatch_log_group)") == {"flows"}
    # route tables below their VPC, with their routes
    routes = _one(store, f'is(aws_ec2_route_table) and id == "{made["table"]}"')["route_table_routes"]
    assert {r["destination_cidr_block"] for r in routes} >= {"0.0.0.0/0"}
    assert made["table"] in _names(
        store, f'is(aws_vpc) and id == "{made["unlogged"]}" --> is(aws_ec2_route_table)'
    )
    # instances: IMDSv2, profile, subnet
    v1 = _one(store, f'is(aws_ec2_instance) and id == "{made["v1"]}"')
    v2 = _one(store, f'is(aws_ec2_instance) and id == "{made["v2"]}"')
    assert (v1["instance_metadata_options"]["http_tokens"], v2["instance_metadata_options"]["http_tokens"]) == (
        "optional", "required")  # fmt: skip
    assert v2["instance_iam_instance_profile"]["arn"].endswith(":instance-profile/web")
    assert "instance_iam_instance_profile" not in v1
    assert _names(store, "is(aws_ec2_instance) and instance_iam_instance_profile==null") >= {made["v1"]}
    assert v1["instance_subnet_id"].startswith("subnet-")
    assert _names(store, "is(aws_ec2_instance) and instance_metadata_options.http_tokens != required") >= {
        made["v1"]
    }
    # own images (not Amazon's), public or not; the launch template and the group that uses it
    assert _names(store, "is(aws_ec2_image)") == {made["own"]}
    assert _names(store, "is(aws_ec2_image) and public==true") == {made["own"]}
    template = _one(store, "is(aws_ec2_launch_template)")
    assert template["launch_template_data"]["network_interfaces"][0]["associate_public_ip_address"] is True
    public_template = ("is(aws_autoscaling_group) with (any, --> is(aws_ec2_launch_template) and "
                       "launch_template_data.network_interfaces[*].associate_public_ip_address==true)")  # fmt: skip
    assert _names(store, public_template) == {"web"}
    group = _one(store, "is(aws_autoscaling_group)")
    assert (group["min_size"], group["max_size"]) == (1, 2)
    assert _names(store, "is(aws_autoscaling_group) --> is(aws_ec2_instance)")  # the instances it launched
    # AWS Config: recording everything
    recorder = _one(store, "is(aws_config_recorder)")
    assert recorder["recorder_status"]["recording"] is True
    assert recorder["recorder_group"]["all_supported"] is True
    # the region holds resources of its own
    region = _one(store, f"is(aws_region) and id == {REGION}")
    assert region["region_in_use"] is True
    # IAM: the root user below the account, groups with their inline policies and members
    assert _names(store, "is(aws_account) --> is(aws_root_user)") == {"root"}
    root = _one(store, "is(aws_root_user)")
    assert root["mfa_active"] is False and root["arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    admins = _one(store, "is(aws_iam_group) and name == admins")
    assert admins["group_policies"][0]["policy_document"]["Statement"][0]["Action"] == "*"
    # Fix's own query has `Action in ["*", ["*"]]`, which cloudsift's language refuses (a list in a list)
    star = ('is(aws_iam_group) and group_policies[*].policy_document.Statement[*].{Effect=Allow and '
            'Action="*" and Resource="*"}')  # fmt: skip
    assert {d["reported"]["name"] for d in store.search(store.bind(star))} == {"admins"}
    assert {d["reported"]["name"] for d in store.search(store.bind("is(aws_iam_group) and name == admins --> all"))} == {
        "carol", "read-logs"}  # fmt: skip
    # S3 account settings: restrict_public_buckets is off, so Fix's check finds the account
    # (Fix writes `bucket_public_access_block_configuration.{...}`; cloudsift wants a context on arrays only)
    settings = ("is(aws_s3_account_settings) and (bucket_public_access_block_configuration.restrict_public_buckets"
                "=false or bucket_public_access_block_configuration.ignore_public_acls=false)")  # fmt: skip
    assert _names(store, settings) == {ACCOUNT}
    assert _names(store, "is(aws_s3_account_settings) --> is(aws_s3_bucket)") == {"config-history"}
    assert _names(store, "is(aws_account) --> is(aws_s3_account_settings)") == {ACCOUNT}


class _Reports:
    """An IAM client that answers the credential report as AWS does for an account with a root user."""

    CSV = (
        "user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,access_key_1_active,"
        "access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
        "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
        "access_key_2_last_used_region,access_key_2_last_used_service\n"
        "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,"
        "2026-11-30T10:00:00+00:00,true,true,2024-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\n"
    )

    def __init__(self) -> None:
        self.generated = 0

    def generate_credential_report(self) -> dict[str, str]:
        self.generated += 1
        return {"State": "COMPLETE" if self.generated > 1 else "STARTED"}

    def get_credential_report(self) -> dict[str, bytes]:
        return {"Content": self.CSV.encode()}


def test_the_credential_report_is_waited_for_and_read() -> None:
    client = _Reports()
    lines = credential_report(client)
    assert client.generated == 2  # asked again until AWS said COMPLETE
    root = lines[ROOT]
    assert (root["mfa_active"], root["access_key_1_active"], root["password_enabled"]) == (
        "true",
        "true",
        "not_supported",
    )
