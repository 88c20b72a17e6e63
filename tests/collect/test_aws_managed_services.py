"""SNS, SQS, Secrets Manager, ACM, ECR, Glacier and Route 53 against moto: a compliant and a failing resource
each, collected, found with the property names Fix's checks read, and their edges."""

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

REGION = "eu-west-1"
ACCOUNT = "123456789012"
PUBLIC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
}


def _make_estate() -> dict[str, Any]:
    key = boto3.client("kms", region_name=REGION).create_key(Description="messages")["KeyMetadata"]["KeyId"]
    sns = boto3.client("sns", region_name=REGION)
    sealed = sns.create_topic(Name="alerts", Attributes={"KmsMasterKeyId": key, "DisplayName": "Alerts"},
                              Tags=[{"Key": "team", "Value": "ops"}])["TopicArn"]  # fmt: skip
    open_topic = sns.create_topic(Name="open")["TopicArn"]
    sns.set_topic_attributes(TopicArn=open_topic, AttributeName="Policy", AttributeValue=json.dumps(PUBLIC))
    sqs = boto3.client("sqs", region_name=REGION)
    dead = sqs.create_queue(QueueName="dead-letters")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.create_queue(QueueName="jobs", tags={"team": "batch"}, Attributes={
        "KmsMasterKeyId": key, "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": 5})})  # fmt: skip
    plain = sqs.create_queue(QueueName="plain")["QueueUrl"]
    sqs.set_queue_attributes(
        QueueUrl=plain, Attributes={"Policy": json.dumps(PUBLIC), "SqsManagedSseEnabled": "false"}
    )
    secrets = boto3.client("secretsmanager", region_name=REGION)
    secrets.create_secret(Name="db-password", SecretString="not-shown", KmsKeyId=key,
                          Tags=[{"Key": "owner", "Value": "dba"}])  # fmt: skip
    secrets.create_secret(Name="api-token", SecretString="not-shown-either")
    secrets.put_resource_policy(SecretId="api-token", ResourcePolicy=json.dumps(PUBLIC))
    acm = boto3.client("acm", region_name=REGION)
    certificate = acm.request_certificate(DomainName="shop.example.com", ValidationMethod="DNS",
                                          Tags=[{"Key": "app", "Value": "shop"}])["CertificateArn"]  # fmt: skip
    ecr = boto3.client("ecr", region_name=REGION)
    ecr.create_repository(repositoryName="scanned", imageTagMutability="IMMUTABLE",
                          imageScanningConfiguration={"scanOnPush": True},
                          encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key})  # fmt: skip
    ecr.create_repository(repositoryName="loose")
    ecr.set_repository_policy(repositoryName="loose", policyText=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Sid": "all", "Effect": "Allow", "Principal": "*",
                                                 "Action": "ecr:*"}]}))  # fmt: skip
    glacier = boto3.client("glacier", region_name=REGION)
    glacier.create_vault(vaultName="archive")
    glacier.create_vault(vaultName="shared")
    # moto has no vault access policies or vault tags (404): glacier_access_policy stays null here
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    route53 = boto3.client("route53", region_name="us-east-1")
    public = route53.create_hosted_zone(Name="example.com", CallerReference="public")["HostedZone"]["Id"]
    route53.create_hosted_zone(Name="internal.example", CallerReference="private",
                               HostedZoneConfig={"Comment": "inside", "PrivateZone": True},
                               VPC={"VPCRegion": REGION, "VPCId": vpc})  # fmt: skip
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    table = {"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
             "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}  # fmt: skip
    dynamodb.create_table(TableName="orders", SSESpecification={"Enabled": True, "SSEType": "KMS",
                                                                "KMSMasterKeyId": key}, **table)  # fmt: skip
    dynamodb.update_continuous_backups(TableName="orders",
                                       PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})  # fmt: skip
    dynamodb.create_table(TableName="sessions", **table)
    efs = boto3.client("efs", region_name=REGION)
    sealed_fs = efs.create_file_system(CreationToken="sealed", Encrypted=True, KmsKeyId=key,
                                       Tags=[{"Key": "Name", "Value": "shared-data"}])["FileSystemId"]  # fmt: skip
    efs.create_file_system(CreationToken="plain")
    efs.put_file_system_policy(FileSystemId=sealed_fs, Policy=json.dumps(PUBLIC))
    return {"key": key, "sealed": sealed, "open": open_topic, "certificate": certificate, "zone": public}


@pytest.fixture(autouse=True)
def _route53_direct(aws: AwsEmulator, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # Route 53's XML bodies do not pass the failure proxy (as S3's): Route 53 goes to moto directly
    monkeypatch.setenv("AWS_ENDPOINT_URL_ROUTE_53", aws.moto_url)


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_estate()
    store = DuckDBStore()
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    assert summary.ok, list(summary.lines())
    return store, made


def _one(store: DuckDBStore, query: str) -> dict[str, Any]:
    found = list(store.search(store.bind(query)))
    assert len(found) == 1, (query, [f["id"] for f in found])
    return dict(found[0]["reported"])


def _names(store: DuckDBStore, query: str) -> set[str]:
    return {d["reported"]["name"] for d in store.search(store.bind(query))}


def test_sns_topics_and_sqs_queues(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    sealed = _one(store, "is(aws_sns_topic) and name == Alerts")
    assert (sealed["id"], sealed["arn"], sealed["tags"]) == (made["sealed"], made["sealed"], {"team": "ops"})
    assert sealed["topic_kms_master_key_id"] == made["key"]
    assert _names(store, "is(aws_sns_topic) and topic_kms_master_key_id == null") == {"open"}
    assert _names(
        store, 'is(aws_sns_topic) and topic_policy.Statement[*].{Effect == Allow and Principal == "*"}'
    ) == {"open"}
    assert _names(store, "is(aws_sns_topic) --> is(aws_kms_key)") == {"messages"}
    jobs = _one(store, "is(aws_sqs_queue) and name == jobs")
    assert jobs["sqs_redrive_policy"]["max_receive_count"] == 5
    assert jobs["sqs_queue_url"].endswith("/jobs") and jobs["tags"] == {"team": "batch"}
    assert jobs["arn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs" and jobs["ctime"]
    unencrypted = "is(aws_sqs_queue) and sqs_kms_master_key_id == null and sqs_managed_sse_enabled != true"
    assert "plain" in _names(store, unencrypted) and "jobs" not in _names(store, unencrypted)
    assert _names(store, 'is(queue) and sqs_policy.Statement[*].Principal == "*"') == {"plain"}
    assert _names(store, "is(aws_kms_key) <-- is(aws_sqs_queue)") == {"jobs"}


def test_secrets_and_certificates(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    secret = _one(store, "is(aws_secretsmanager_secret) and name == db-password")
    assert secret["tags"] == {"owner": "dba"} and secret["created_date"]
    assert "not-shown" not in json.dumps(secret)  # a secret's value is never collected
    assert _names(store, "is(aws_secretsmanager_secret) and rotation_enabled != true") == {
        "db-password",
        "api-token",
    }
    assert _names(store, 'is(aws_secretsmanager_secret) and policy.Statement[*].Principal == "*"') == {
        "api-token"
    }
    assert _names(store, "is(aws_kms_key) <-- is(aws_secretsmanager_secret)") == {"db-password"}
    cert = _one(store, "is(certificate)")
    assert (cert["id"], cert["arn"], cert["name"]) == (made["certificate"].split("/")[-1], made["certificate"],
                                                      "shop.example.com")  # fmt: skip
    assert cert["status"] and cert["type"] == "AMAZON_ISSUED" and cert["tags"] == {"app": "shop"}
    assert "shop.example.com" in cert["subject_alternative_names"]


def test_ecr_repositories_and_glacier_vaults(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    scanned = _one(store, "is(aws_ecr_repository) and name == scanned")
    assert (scanned["image_scan_on_push"], scanned["image_tag_mutability"]) == (True, "IMMUTABLE")
    assert scanned["encryption_configuration"] == {"encryption_type": "KMS", "kms_key": made["key"]}
    assert _names(store, "is(aws_ecr_repository) and image_scan_on_push == false") == {"loose"}
    assert _names(store, 'is(aws_ecr_repository) and repository_policy.Statement[*].Principal == "*"') == {
        "loose"
    }
    assert _names(store, "is(aws_kms_key) <-- is(aws_ecr_repository)") == {"scanned"}
    assert _names(store, "is(aws_glacier_vault)") == {"archive", "shared"}
    assert "glacier_access_policy" not in _one(store, "is(aws_glacier_vault) and name == shared")
    assert _one(store, "is(aws_glacier_vault) and name == archive")["arn"].endswith(":vaults/archive")


def test_route53_zones(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    public = _one(store, "is(dns_zone) and private_zone == false")
    assert (public["name"], public["id"]) == ("example.com.", made["zone"].split("/")[-1])
    assert public["zone_resource_record_set_count"] >= 2 and public.get("zone_logging_config") is None
    private = _one(store, "is(aws_route53_zone) and private_zone == true")
    assert private["zone_config"] == {"comment": "inside", "private_zone": True}
    # global, like IAM: collected once per account
    assert {
        d["ancestors"]["region"]["reported"]["name"] for d in store.search(store.bind("is(aws_route53_zone)"))
    } == {"global"}


def test_a_refused_service_fails_only_itself(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_estate()
    store = DuckDBStore()
    assert collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))).ok
    boto3.client("sqs", region_name=REGION).delete_queue(
        QueueUrl=boto3.client("sqs", region_name=REGION).get_queue_url(QueueName="plain")["QueueUrl"]
    )
    aws.failing_services.add("sqs")
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and [e.split(":")[0] for e in failed[REGION]] == ["sqs"]
    assert _names(store, "is(aws_sqs_queue)") == {"jobs", "plain", "dead-letters"}  # the last good data
    assert _names(store, "is(aws_sns_topic)") == {"Alerts", "open"}


def test_dynamodb_tables_and_efs_file_systems(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    orders = _one(store, "is(aws_dynamodb_table) and name == orders")
    assert (orders["db_type"], orders["volume_encrypted"]) == ("dynamodb", True)
    assert orders["dynamodb_sse_description"]["sse_type"] == "KMS"
    assert orders["dynamodb_billing_mode_summary"]["billing_mode"] == "PAY_PER_REQUEST"
    no_pitr = "is(aws_dynamodb_table) and dynamodb_continuous_backup.point_in_time_recovery.status != ENABLED"
    assert _names(store, no_pitr) == {"sessions"}
    assert _names(store, "is(database) and db_type == dynamodb and volume_encrypted != true") == {"sessions"}
    assert _names(store, "is(aws_kms_key) <-- is(aws_dynamodb_table)") == {"orders"}
    sealed = _one(store, "is(aws_efs_file_system) and share_encrypted == true")
    assert (sealed["name"], sealed["creation_token"], sealed["tags"]["Name"]) == (
        "shared-data",
        "sealed",
        "shared-data",
    )
    assert sealed["file_system_policy"]["Statement"][0]["Principal"] == "*"
    assert _names(store, "is(network_share) and share_encrypted == false") != set()
    assert _names(store, "is(aws_kms_key) <-- is(aws_efs_file_system)") == {"shared-data"}
