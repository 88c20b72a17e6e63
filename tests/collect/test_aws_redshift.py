"""Redshift against moto: a private, encrypted cluster with audit logging and a role, and a public,
unencrypted one that logs nothing; kinds, the properties checks read, edges, failure isolation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, collected_region
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

REGION = "eu-west-1"
ACCOUNT = "123456789012"
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "redshift.amazonaws.com"}, "Action": "sts:AssumeRole"}]}  # fmt: skip


def _make_redshift_estate() -> dict[str, Any]:
    role = boto3.client("iam").create_role(
        RoleName="warehouse-loader", AssumeRolePolicyDocument=json.dumps(TRUST)
    )
    redshift = boto3.client("redshift", region_name=REGION)
    login = {"NodeType": "dc2.large", "MasterUsername": "admin", "MasterUserPassword": "NotASecret1"}
    redshift.create_cluster(ClusterIdentifier="warehouse", Encrypted=True, PubliclyAccessible=False,
                            IamRoles=[role["Role"]["Arn"]], AutomatedSnapshotRetentionPeriod=7,
                            Tags=[{"Key": "owner", "Value": "analytics"}], **login)  # fmt: skip
    redshift.enable_logging(ClusterIdentifier="warehouse", BucketName="warehouse-audit")
    redshift.create_cluster(
        ClusterIdentifier="sandbox", PubliclyAccessible=True, AllowVersionUpgrade=False, **login
    )
    return {"role": role["Role"]["Arn"]}


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_redshift_estate()
    return collected_region(tmp_path, REGION), made


def test_clusters_with_their_logging(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    warehouse = _one(store, "is(aws_redshift_cluster) and name == warehouse")
    assert (warehouse["arn"], warehouse["tags"]) == (
        f"arn:aws:redshift:{REGION}:{ACCOUNT}:cluster:warehouse", {"owner": "analytics"})  # fmt: skip
    assert (warehouse["redshift_encrypted"], warehouse["redshift_publicly_accessible"]) == (True, False)
    assert warehouse["redshift_logging_status"]["logging_enabled"] is True
    assert warehouse["redshift_logging_status"]["bucket_name"] == "warehouse-audit"
    assert warehouse["redshift_endpoint"]["port"] == 5439 and warehouse["ctime"]
    assert warehouse["redshift_iam_roles"][0]["iam_role_arn"] == made["role"]
    assert _names(store, "is(aws_redshift_cluster) and redshift_publicly_accessible == true") == {"sandbox"}
    assert _names(store, "is(aws_redshift_cluster) and redshift_encrypted == false") == {"sandbox"}
    unlogged = "is(aws_redshift_cluster) and redshift_logging_status.logging_enabled == false"
    assert _names(store, unlogged) == {"sandbox"}
    assert _names(store, "is(aws_redshift_cluster) and redshift_allow_version_upgrade == false") == {
        "sandbox"
    }
    assert _names(store, "is(aws_iam_role) --> is(aws_redshift_cluster)") == {"warehouse"}


def test_a_refused_redshift_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_redshift_estate()
    store = DuckDBStore()
    assert collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))).ok
    boto3.client("redshift", region_name=REGION).delete_cluster(ClusterIdentifier="sandbox",
                                                                 SkipFinalClusterSnapshot=True)  # fmt: skip
    aws.failing_services.add("redshift")
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and [e.split(":")[0] for e in failed[REGION]] == ["redshift"]
    assert _names(store, "is(aws_redshift_cluster)") == {"warehouse", "sandbox"}  # the last good data
    assert _names(store, "is(aws_iam_role) and name == warehouse-loader") == {"warehouse-loader"}
