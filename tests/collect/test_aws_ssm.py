"""SSM against moto: a private document and one shared with everyone, an instance SSM manages (moto's
DescribeInstanceInformation as cloudsift.demo_ssm adds it) and one it does not, resources failing compliance
(SSM Compliance as cloudsift.demo_ssm_compliance adds it), collected with the property names Fix's checks
read; a refused or unimplemented SSM keeps its last good data while the partition's other services are
collected."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.demo_ssm import serve_managed_instances
from cloudsift.demo_ssm_compliance import serve_compliance
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

REGION = "eu-west-1"
CONTENT = {"schemaVersion": "2.2", "description": "restart the app", "parameters": {
    "service": {"type": "String", "description": "which one", "default": "app"}},
    "mainSteps": [{"action": "aws:runShellScript", "name": "restart",
                   "inputs": {"runCommand": ["systemctl restart {{ service }}"]}}]}  # fmt: skip


def _make_ssm_estate() -> None:
    ssm = boto3.client("ssm", region_name=REGION)
    ssm.create_document(Name="restart-app", Content=json.dumps(CONTENT), DocumentType="Command",
                        DocumentFormat="JSON", Tags=[{"Key": "team", "Value": "ops"}])  # fmt: skip
    ssm.create_document(
        Name="open-runbook", Content=json.dumps(CONTENT), DocumentType="Command", DocumentFormat="JSON"
    )
    ssm.modify_document_permission(Name="open-runbook", PermissionType="Share", AccountIdsToAdd=["all"])


def _make_instances() -> dict[str, str]:
    ec2 = boto3.client("ec2", region_name=REGION)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    managed, loose = (i["InstanceId"] for i in ec2.run_instances(
        ImageId=image, MinCount=2, MaxCount=2, InstanceType="t3.micro")["Instances"])  # fmt: skip
    boto3.client("iam").create_instance_profile(InstanceProfileName="ssm-agent")
    ec2.associate_iam_instance_profile(IamInstanceProfile={"Name": "ssm-agent"}, InstanceId=managed)
    return {"managed": managed, "loose": loose}


def _ids(store: DuckDBStore, query: str) -> set[str]:
    return {d["reported"]["id"] for d in store.search(store.bind(query))}


def _collect(store: DuckDBStore, tmp_path: Path) -> Any:
    return collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))


def test_documents(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_ssm_estate()
    store = DuckDBStore()
    summary = _collect(store, tmp_path)
    assert summary.ok, list(summary.lines())
    assert _names(store, "is(aws_ssm_document)") == {"restart-app", "open-runbook"}  # only one's own
    doc = _one(store, "is(aws_ssm_document) and name == restart-app")
    assert (doc["document_type"], doc["document_format"], doc["status"]) == ("Command", "JSON", "Active")
    assert doc["content"]["mainSteps"][0]["name"] == "restart" and doc["arn"].endswith(
        ":document/restart-app"
    )
    assert doc["parameters"][0]["name"] == "service" and doc["tags"] == {"team": "ops"}
    assert _names(store, "is(aws_ssm_document) and document_shared_with_accounts[*] == all") == {
        "open-runbook"
    }


def test_managed_instances_lead_to_their_ec2_instance(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    made = _make_instances()
    store = DuckDBStore()
    summary = _collect(store, tmp_path)
    assert summary.ok, list(summary.lines())
    node = _one(store, "is(aws_ssm_instance)")
    assert (node["id"], node["name"], node["instance_id"]) == (made["managed"],) * 3
    assert (node["ping_status"], node["resource_type"]) == ("Online", "EC2Instance")
    assert node["platform_type"] in {"Linux", "Windows"}  # as the instance's image is
    assert node["arn"] == f"arn:aws:ssm:{REGION}:123456789012:instance/{made['managed']}"
    assert node["last_ping"] and node["agent_version"] and node["ip_address"]
    assert _ids(store, "is(aws_ssm_instance) --> is(aws_ec2_instance)") == {made["managed"]}
    unmanaged = "is(aws_ec2_instance) and instance_status == running with(empty, <-- is(aws_ssm_instance))"
    assert _ids(store, unmanaged) == {made["loose"]}


def _change(made: dict[str, str]) -> str:
    """What changes before the collection in which SSM fails: an instance goes, a VPC and a document come."""
    ec2 = boto3.client("ec2", region_name=REGION)
    ec2.terminate_instances(InstanceIds=[made["loose"]])
    boto3.client("ssm", region_name=REGION).delete_document(Name="restart-app")
    return str(ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"])


def _keeps_ssm_collects_the_rest(store: DuckDBStore, tmp_path: Path, made: dict[str, str], vpc: str,
                                 why: str) -> None:  # fmt: skip
    """One collection while SSM fails: its kinds keep their last good data, EC2's are replaced."""
    summary = _collect(store, tmp_path)
    failed = {p.region: [e.split(":")[0] for e in p.errors] for p in summary.partitions if p.errors}
    assert failed == {REGION: ["ssm"]}
    assert any(why in line and "kept the previous data of ssm" in line for line in summary.lines())
    assert _names(store, "is(aws_ssm_document)") == {"restart-app", "open-runbook"}  # the last good data
    assert _ids(store, "is(aws_ssm_instance) --> is(aws_ec2_instance)") == {made["managed"]}  # and its edge
    assert vpc in _ids(store, "is(aws_vpc)")  # the partition's other services were collected
    assert _ids(store, "is(aws_ec2_instance) and instance_status == running") == {made["managed"]}
    assert next(str(p.error) for p in store.partitions() if p.region == REGION).startswith(
        "ssm: "
    )  # not clean


def test_a_refused_ssm_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_ssm_estate()
    made = _make_instances()
    store = DuckDBStore()
    assert _collect(store, tmp_path).ok
    vpc = _change(made)
    aws.failing_services.add("ssm")
    _keeps_ssm_collects_the_rest(store, tmp_path, made, vpc, "AccessDenied")


@pytest.mark.parametrize(("serve", "call"), [(serve_managed_instances, "DescribeInstanceInformation"),
                                             (serve_compliance, "ListResourceComplianceSummaries")])  # fmt: skip
def test_an_unimplemented_ssm_call_keeps_its_last_good_data(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    serve: Callable[[bool], None],
    call: str,
) -> None:
    _make_ssm_estate()
    made = _make_instances()
    store = DuckDBStore()
    assert _collect(store, tmp_path).ok
    vpc = _change(made)
    serve(False)  # moto's own answer: HTTP 500
    try:
        _keeps_ssm_collects_the_rest(store, tmp_path, made, vpc, call)
    finally:
        serve(True)
    assert _collect(store, tmp_path).ok  # served again: the document deleted meanwhile is gone
    assert _names(store, "is(aws_ssm_document)") == {"open-runbook"}


def _report(resource_type: str, resource_id: str, kind: str, *items: tuple[str, str]) -> None:
    """PutComplianceItems: one item per (status, severity), of compliance type `kind`."""
    boto3.client("ssm", region_name=REGION).put_compliance_items(
        ResourceId=resource_id, ResourceType=resource_type, ComplianceType=kind,
        ExecutionSummary={"ExecutionTime": dt.datetime(2026, 11, 2, 3, 4, 5, tzinfo=dt.UTC), "ExecutionId": "run-1",
                          "ExecutionType": "Command"},
        Items=[{"Id": f"{kind}-{n}", "Title": f"item {n}", "Severity": severity, "Status": status}
               for n, (status, severity) in enumerate(items)],
    )  # fmt: skip


def test_resources_failing_compliance_lead_to_the_resource(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_ssm_estate()
    made = _make_instances()
    boto3.client("s3").create_bucket(
        Bucket="ssm-logs", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    _report("ManagedInstance", made["managed"], "Patch", ("NON_COMPLIANT", "CRITICAL"), ("COMPLIANT", "LOW"),
            ("NON_COMPLIANT", "MEDIUM"))  # fmt: skip
    _report("ManagedInstance", made["managed"], "Association", ("COMPLIANT", "UNSPECIFIED"))
    _report("ManagedInstance", made["loose"], "Patch", ("COMPLIANT", "HIGH"))
    _report("Document", "open-runbook", "Custom:Review", ("NON_COMPLIANT", "HIGH"))
    _report("AWS::S3::Bucket", "ssm-logs", "Custom:Encryption", ("NON_COMPLIANT", "LOW"))
    store = DuckDBStore()
    summary = _collect(store, tmp_path)
    assert summary.ok, list(summary.lines())

    # only what fails, as Fix lists them: one per (compliance type, resource)
    assert _ids(store, "is(aws_ssm_resource_compliance)") == {
        f"Patch_ManagedInstance_{made['managed']}", "Custom:Review_Document_open-runbook",
        "Custom:Encryption_AWS::S3::Bucket_ssm-logs"}  # fmt: skip
    patch = _one(store, "is(aws_ssm_resource_compliance) and compliance_type == Patch")
    assert (patch["resource_type"], patch["resource_id"], patch["status"], patch["overall_severity"]) == (
        "ManagedInstance", made["managed"], "NON_COMPLIANT", "CRITICAL")  # fmt: skip
    assert patch["non_compliant_summary"]["non_compliant_count"] == 2
    assert patch["non_compliant_summary"]["severity_summary"]["critical_count"] == 1
    assert patch["compliant_summary"]["compliant_count"] == 1
    assert (patch["execution_summary"]["execution_id"], patch["execution_summary"]["execution_type"]) == (
        "run-1", "Command")  # fmt: skip
    assert patch["execution_summary"]["execution_time"].startswith("2026-11-02T03:04:05")
    assert patch["arn"] == f"arn:aws:ssm:{REGION}:123456789012:resource-compliance/{patch['id']}"

    # Fix's resource_non_compliant check: the resources the summaries lead to
    check = "is(aws_ssm_resource_compliance) --> is(aws_ec2_instance, aws_dynamodb_table, aws_ssm_document, aws_s3_bucket)"
    found = {(d["reported"]["kind"], d["reported"]["id"]) for d in store.search(store.bind(check))}
    assert found == {("aws_ec2_instance", made["managed"]), ("aws_ssm_document", "open-runbook"),
                     ("aws_s3_bucket", "ssm-logs")}  # fmt: skip
