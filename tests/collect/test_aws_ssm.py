"""SSM documents against moto: a private document and one shared with everyone, collected with the property
names Fix's checks read; failure isolation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
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


def test_a_refused_ssm_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_ssm_estate()
    store = DuckDBStore()
    assert _collect(store, tmp_path).ok
    boto3.client("ssm", region_name=REGION).delete_document(Name="restart-app")
    aws.failing_services.add("ssm")
    summary = _collect(store, tmp_path)
    failed = {p.region: [e.split(":")[0] for e in p.errors] for p in summary.partitions if p.errors}
    assert failed == {REGION: ["ssm"]}
    assert _names(store, "is(aws_ssm_document)") == {"restart-app", "open-runbook"}  # the last good data
