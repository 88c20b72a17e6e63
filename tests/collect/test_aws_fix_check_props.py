"""The properties Fix's published checks read on EKS clusters, Lambda functions, KMS keys, network ACLs, ECR
repositories, OpenSearch domains, load balancers, ECS task definitions, EC2 instances and S3 buckets, against moto: each found with its value, with the search line of the
check that reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, collected_region
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one
from tests.collect.test_aws_services import _zip

REGION = "eu-west-1"
ACCOUNT = "123456789012"


def _make_estate() -> dict[str, Any]:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}  # fmt: skip
    role = boto3.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"][
        "Arn"
    ]
    kms = boto3.client("kms", region_name=REGION)
    sealed = kms.create_key(Description="sealed")["KeyMetadata"]["Arn"]
    anyone = {"Version": "2012-10-17", "Statement": [
        {"Sid": "all", "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}  # fmt: skip
    kms.create_key(Description="open", Policy=json.dumps(anyone))
    eks = boto3.client("eks", region_name=REGION)
    eks.create_cluster(name="private", roleArn=role,
                       resourcesVpcConfig={"subnetIds": [subnet], "endpointPublicAccess": False,
                                           "endpointPrivateAccess": True},
                       logging={"clusterLogging": [{"types": ["api", "audit"], "enabled": True}]},
                       encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": sealed}}])  # fmt: skip
    eks.create_cluster(name="public", roleArn=role,
                       resourcesVpcConfig={"subnetIds": [subnet], "endpointPublicAccess": True},
                       logging={"clusterLogging": [{"types": ["api"], "enabled": False}]})  # fmt: skip
    functions = boto3.client("lambda", region_name=REGION)
    code = {"Runtime": "python3.11", "Role": role, "Handler": "handler.handle", "Code": {"ZipFile": _zip()}}
    functions.create_function(FunctionName="quiet", Environment={"Variables": {"STAGE": "prod"}}, **code)
    functions.create_function(FunctionName="exposed", **code)
    functions.create_function_url_config(FunctionName="exposed", AuthType="NONE",
                                         Cors={"AllowOrigins": ["*"], "AllowMethods": ["GET"]})  # fmt: skip
    functions.add_permission(FunctionName="exposed", StatementId="anyone", Action="lambda:InvokeFunction",
                             Principal="*")  # fmt: skip
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                                 CidrBlock="0.0.0.0/0", PortRange={"From": 20, "To": 25})  # fmt: skip
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=110, Protocol="1", RuleAction="deny", Egress=False,
                                 CidrBlock="0.0.0.0/0", IcmpTypeCode={"Code": -1, "Type": 8})  # fmt: skip
    boto3.client("ecr", region_name=REGION).create_repository(repositoryName="images")
    boto3.client("opensearch", region_name=REGION).create_domain(DomainName="logs")
    elb = boto3.client("elb", region_name=REGION)
    elb.create_load_balancer(LoadBalancerName="logged", Subnets=[subnet], Listeners=[
        {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080}])  # fmt: skip
    elb.modify_load_balancer_attributes(LoadBalancerName="logged", LoadBalancerAttributes={
        "AccessLog": {"Enabled": True, "S3BucketName": "elb-logs", "EmitInterval": 5},
        "ConnectionDraining": {"Enabled": True, "Timeout": 120}})  # fmt: skip
    elb.create_load_balancer(LoadBalancerName="bare", Subnets=[subnet], Listeners=[
        {"Protocol": "SSL", "LoadBalancerPort": 443, "InstanceProtocol": "TCP", "InstancePort": 443}])  # fmt: skip
    subnet_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.2.0/24", AvailabilityZone=f"{REGION}b")["Subnet"]
    elbv2 = boto3.client("elbv2", region_name=REGION)
    served = elbv2.create_load_balancer(Name="served", Subnets=[subnet, subnet_b["SubnetId"]])[
        "LoadBalancers"
    ][0]
    elbv2.create_load_balancer(Name="idle", Subnets=[subnet, subnet_b["SubnetId"]])
    group = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    listener = elbv2.create_listener(LoadBalancerArn=served["LoadBalancerArn"], Protocol="HTTP", Port=80,
                                     DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}])  # fmt: skip
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    boot = "#!/bin/sh\nexport DB_PASSWORD=hunter2\n"
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, UserData=boot,
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "booted"}]}])  # fmt: skip
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet,
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "plain"}]}])  # fmt: skip
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="readable", ACL="public-read")
    s3.create_bucket(Bucket="owned")
    boto3.client("ecs", region_name=REGION).register_task_definition(family="configured", containerDefinitions=[
        {"name": "app", "image": "app:1", "memory": 128,
         "environmentFiles": [{"value": "arn:aws:s3:::settings/app.env", "type": "s3"}]}])  # fmt: skip
    return {"vpc": vpc, "subnet": subnet, "sealed": sealed, "acl": acl, "group": group["TargetGroupArn"],
            "listener": listener["Listeners"][0]["ListenerArn"], "served": served["LoadBalancerArn"]}  # fmt: skip


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_estate()
    return collected_region(tmp_path, REGION), made


def test_eks_endpoint_logging_and_encryption(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    private = _one(store, "is(aws_eks_cluster) and name == private")
    vpc_config = private["cluster_resources_vpc_config"]
    assert vpc_config["subnet_ids"] == [made["subnet"]]  # moto leaves vpcId out (docs/data-model.md)
    assert (vpc_config["endpoint_public_access"], vpc_config["endpoint_private_access"]) == (False, True)
    assert private["cluster_logging"] == {"cluster_logging": [{"types": ["api", "audit"], "enabled": True}]}
    assert private["cluster_encryption_config"] == [{"resources": ["secrets"], "provider": made["sealed"]}]
    # Fix's checks, as they are written
    assert _names(
        store, "is(aws_eks_cluster) and cluster_resources_vpc_config.endpoint_public_access==true"
    ) == {"public"}
    assert _names(store, "is(aws_eks_cluster) and cluster_logging.cluster_logging[*].enabled = false") == {
        "public"
    }
    assert _names(store, "is(aws_eks_cluster) and cluster_encryption_config in [null, []]") == {"public"}


def test_lambda_environment_url_and_policy(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    quiet = _one(store, "is(aws_lambda_function) and name == quiet")
    assert quiet["function_environment"]["variables"] == {"STAGE": "prod"}
    assert quiet.get("function_url_config") is None and quiet.get("function_policy") is None
    exposed = _one(store, "is(aws_lambda_function) and name == exposed")
    url = exposed["function_url_config"]
    assert (url["auth_type"], url["cors"]["allow_origins"], url["cors"]["allow_methods"]) == (
        "NONE",
        ["*"],
        ["GET"],
    )
    assert url["function_url"].startswith("https://") and url["function_arn"].endswith(":function:exposed")
    [statement] = exposed["function_policy"]["Statement"]
    assert (statement["Sid"], statement["Action"]) == ("anyone", "lambda:InvokeFunction")
    # (Fix's own line, allow_origins ~ "*", is not a regular expression this search language takes)
    assert _names(store, 'is(aws_lambda_function) and function_url_config.cors.allow_origins == "*"') == {
        "exposed"
    }
    assert _names(
        store,
        "is(aws_lambda_function) and function_url_config != null and function_url_config.auth_type != AWS_IAM",
    ) == {"exposed"}
    assert _names(store, 'is(aws_lambda_function) and function_policy.Statement[*].Sid == "anyone"') == {
        "exposed"
    }


def test_kms_key_policy(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    sealed = _one(store, "is(aws_kms_key) and name == sealed")
    # moto's default policy lets the account's root do anything, as AWS's does
    assert sealed["kms_key_policy"]["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    fix_check = ('is(aws_kms_key) and kms_key_policy.Statement[*].{ Effect==Allow and Principal=="*" and '
                 'Action in ["*", "kms:*"] and Condition==null}')  # fmt: skip
    assert _names(store, fix_check) == {"open"}


def test_network_acl_entry_port_range(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    acl = _one(store, f'is(aws_ec2_network_acl) and id == "{made["acl"]}"')
    by_rule = {e["rule_number"]: e for e in acl["acl_entries"]}
    assert by_rule[100]["port_range"] == {"from_range": 20, "to_range": 25}
    assert by_rule[110].get("port_range") is None  # (moto drops the ICMP type and code: docs/data-model.md)
    ssh_open = ('is(aws_ec2_network_acl) and acl_entries[*].{(egress=false and cidr_block="0.0.0.0/0" and '
                "rule_action=allow and (protocol=-1 or (port_range.from_range<22 and port_range.to_range>22)))}")  # fmt: skip
    assert made["acl"] in {
        d["reported"]["id"] for d in store.search(store.bind(ssh_open))
    }  # (defaults allow all)
    rdp_open = ssh_open.replace("22", "3389")
    assert made["acl"] not in {d["reported"]["id"] for d in store.search(store.bind(rdp_open))}


def test_ecr_visibility_and_opensearch_software(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    assert _one(store, "is(aws_ecr_repository)")["repository_visibility"] == "private"
    assert _names(store, "is(aws_ecr_repository) and repository_visibility==public") == set()
    # moto's DescribeDomains has no ServiceSoftwareOptions (docs/data-model.md): null here, and Fix's check runs
    assert "service_software_options" not in _one(store, "is(aws_opensearch_domain)")
    assert (
        _names(store, "is(aws_opensearch_domain) and service_software_options.update_available==true")
        == set()
    )


def test_load_balancer_listeners_and_attributes(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    logged = _one(store, "is(aws_elb) and name == logged")
    [description] = logged["elb_listener_descriptions"]
    assert {k: v for k, v in description["listener"].items() if v is not None} == {
        "protocol": "HTTP", "load_balancer_port": 80, "instance_protocol": "HTTP", "instance_port": 8080}  # fmt: skip
    attributes = logged["elb_attributes"]
    access_log = attributes["access_log"]
    assert (access_log["enabled"], access_log["s3_bucket_name"], access_log["emit_interval"]) == (
        True,
        "elb-logs",
        5,
    )
    assert attributes["connection_draining"] == {"enabled": True, "timeout": 120}
    assert _names(store, "is(aws_elb) and elb_attributes.access_log.enabled==false") == {"bare"}
    no_certificate = ("is(aws_elb) and elb_listener_descriptions[*].{listener.protocol in [HTTPS, SSL] and "
                      "listener.ssl_certificate_id==null}")  # fmt: skip
    assert _names(store, no_certificate) == {"bare"}
    served = _one(store, "is(aws_alb) and name == served")
    [listener] = served["alb_listener"]
    assert (listener["listener_arn"], listener["load_balancer_arn"]) == (made["listener"], made["served"])
    assert (listener["port"], listener["protocol"]) == (80, "HTTP")
    assert listener["default_actions"][0]["type"] == "forward"
    assert listener["default_actions"][0]["target_group_arn"] == made["group"]
    assert _names(store, "is(aws_alb) and alb_listener in [null, []]") == {"idle"}


def test_ecs_container_environment_files(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    [container] = _one(store, "is(aws_ecs_task_definition)")["container_definitions"]
    assert container["environment_files"] == [{"value": "arn:aws:s3:::settings/app.env", "type": "s3"}]
    fix_check = ("is(aws_ecs_task_definition) and container_definitions[*].{environment_files[*].value != null or "
                 "environment[*].value!=None}")  # fmt: skip
    assert _names(store, fix_check) == {"configured:1"}


def test_ec2_instance_user_data(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    booted = _one(store, "is(aws_ec2_instance) and name == booted")
    assert booted["instance_user_data"] == "#!/bin/sh\nexport DB_PASSWORD=hunter2\n"
    assert _one(store, "is(aws_ec2_instance) and name == plain").get("instance_user_data") is None
    assert _names(store, "is(aws_ec2_instance) and instance_user_data!=null") == {"booted"}


ANYONE_URI = "http://acs.amazonaws.com/groups/global/AllUsers"


def test_s3_bucket_acl(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    readable = _one(store, "is(aws_s3_bucket) and name == readable")["bucket_acl"]
    assert readable["owner"]["id"]
    assert {(g["grantee"].get("uri"), g["permission"]) for g in readable["grants"]} >= {(ANYONE_URI, "READ")}
    owned = _one(store, "is(aws_s3_bucket) and name == owned")["bucket_acl"]
    assert [(g["grantee"]["type"], g["permission"]) for g in owned["grants"]] == [
        ("CanonicalUser", "FULL_CONTROL")
    ]
    public_read = (f'is(aws_s3_bucket) and bucket_acl.grants[*].{{permission in [READ, READ_ACP] and '
                   f'grantee.uri=="{ANYONE_URI}"}}')  # fmt: skip
    assert _names(store, public_read) == {"readable"}


def test_account_organization_membership(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    alone = _one(collected_region(tmp_path, REGION), "is(aws_account)")
    assert (alone["is_organization_member"], alone["is_organization_master"]) == (False, False)
    assert "organization_id" not in alone
    org = boto3.client("organizations", region_name="us-east-1").create_organization(FeatureSet="ALL")
    store = collected_region(tmp_path, REGION)
    member = _one(store, "is(aws_account)")
    assert (member["is_organization_member"], member["is_organization_master"]) == (True, True)
    assert (member["organization_id"], member["organization_arn"]) == (org["Organization"]["Id"],
                                                                        org["Organization"]["Arn"])  # fmt: skip
    assert store.count(store.bind("is(aws_account) and is_organization_member=False")) == 0
