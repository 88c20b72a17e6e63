"""RDS against moto: an encrypted, protected Aurora cluster with an instance and a snapshot, a plain cluster,
a plain instance with a manual snapshot shared with everyone; kinds, the properties checks read, edges."""

from __future__ import annotations

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
LOGIN = {"MasterUsername": "admin", "MasterUserPassword": "not-a-secret-1"}


def _make_rds_estate() -> dict[str, Any]:
    key = boto3.client("kms", region_name=REGION).create_key(Description="databases")["KeyMetadata"]["KeyId"]
    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_cluster(DBClusterIdentifier="ledger", Engine="aurora-postgresql", StorageEncrypted=True,
                          KmsKeyId=key, BackupRetentionPeriod=14, DeletionProtection=True,
                          EnableIAMDatabaseAuthentication=True, EnableCloudwatchLogsExports=["postgresql"],
                          Tags=[{"Key": "owner", "Value": "finance"}], **LOGIN)  # fmt: skip
    rds.create_db_instance(DBInstanceIdentifier="ledger-1", DBClusterIdentifier="ledger",
                           Engine="aurora-postgresql", DBInstanceClass="db.r6g.large")  # fmt: skip
    rds.create_db_cluster_snapshot(
        DBClusterSnapshotIdentifier="ledger-before-upgrade", DBClusterIdentifier="ledger"
    )
    rds.create_db_cluster(DBClusterIdentifier="scratch", Engine="aurora-mysql", **LOGIN)
    rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier="scratch-copy", DBClusterIdentifier="scratch")
    rds.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier="scratch-copy", AttributeName="restore",
                                             ValuesToAdd=["all"])  # fmt: skip
    rds.create_db_instance(DBInstanceIdentifier="reports", Engine="postgres", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, **LOGIN)  # fmt: skip
    rds.create_db_snapshot(DBSnapshotIdentifier="reports-export", DBInstanceIdentifier="reports")
    rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="reports-export", AttributeName="restore",
                                     ValuesToAdd=["all"])  # fmt: skip
    return {"key": key}


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_rds_estate()
    return collected_region(tmp_path, REGION), made


def test_clusters_lead_to_their_instances(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    ledger = _one(store, "is(aws_rds_cluster) and name == ledger")
    assert (ledger["arn"], ledger["db_type"], ledger["tags"]) == (
        f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:ledger", "aurora-postgresql", {"owner": "finance"})  # fmt: skip
    assert (ledger["volume_encrypted"], ledger["rds_deletion_protection"], ledger["rds_backup_retention_period"]) == (
        True, True, 14)  # fmt: skip
    assert ledger["rds_iam_database_authentication_enabled"] is True
    assert ledger["rds_enabled_cloudwatch_logs_exports"] == ["postgresql"]
    assert ledger["db_endpoint"].endswith(":5432") and ledger["rds_kms_key_id"].endswith(made["key"])
    assert [m["db_instance_identifier"] for m in ledger["rds_db_cluster_members"]] == ["ledger-1"]
    assert _names(store, "is(aws_rds_cluster) and volume_encrypted == false") == {"scratch"}
    assert _names(store, "is(database) and rds_deletion_protection == false") >= {"scratch", "reports"}
    assert _names(store, "is(aws_rds_cluster) and name == ledger --> is(aws_rds_instance)") == {"ledger-1"}
    assert _names(store, "is(aws_kms_key) <-- is(aws_rds_cluster)") == {"ledger"}
    reports = _one(store, "is(aws_rds_instance) and name == reports")
    assert (reports["db_type"], reports["volume_size"], reports["db_endpoint"].endswith(":5432")) == (
        "postgres", 20, True)  # fmt: skip
    assert _names(store, "is(aws_ec2_security_group) --> is(aws_rds_instance)") >= {"reports"}


def test_snapshots_below_what_they_copy(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    export = _one(store, "is(aws_rds_snapshot) and name == reports-export")
    assert (export["rds_encrypted"], export["rds_snapshot_type"]) == (False, "manual")
    assert export["rds_attributes"] == {"restore": ["all"]}
    assert export["arn"] == f"arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:reports-export" and export["ctime"]
    public = 'is(aws_rds_snapshot) and rds_attributes.restore[*] == "all"'
    assert _names(store, public) == {"reports-export"}
    assert "reports-export" in _names(store, "is(snapshot) and rds_encrypted == false")
    assert "reports-export" in _names(
        store, "is(aws_rds_instance) and name == reports --> is(aws_rds_snapshot)"
    )
    before = _one(store, "is(aws_rds_cluster_snapshot) and name == ledger-before-upgrade")
    assert (before["rds_storage_encrypted"], before["rds_db_cluster_identifier"]) == (True, "ledger")
    assert before.get("rds_attributes") == {"restore": []}
    assert _names(store, "is(aws_rds_cluster_snapshot) and rds_storage_encrypted == false") >= {
        "scratch-copy"
    }
    assert _names(store, 'is(aws_rds_cluster_snapshot) and rds_attributes.restore[*] == "all"') == {
        "scratch-copy"
    }
    assert "ledger-before-upgrade" in _names(
        store, "is(aws_rds_cluster) and name == ledger --> is(aws_rds_cluster_snapshot)"
    )


def test_instances_have_what_fix_reads_of_them(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    [reports] = [d["reported"] for d in store.search(store.bind("is(aws_rds_instance) and name == reports"))]
    assert reports["rds_db_parameter_groups"][0]["parameter_apply_status"] == "in-sync"
    assert reports["rds_db_parameter_groups"][0]["db_parameter_group_name"].startswith("default.postgres")
    assert reports["rds_option_group_memberships"][0]["status"] == "in-sync"
    assert (
        reports["rds_preferred_maintenance_window"]
        and reports["rds_read_replica_db_instance_identifiers"] == []
    )
    assert (reports["rds_db_security_groups"], reports["rds_domain_memberships"]) == ([], [])


def test_a_refused_rds_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_rds_estate()
    store = DuckDBStore()
    assert collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))).ok
    boto3.client("rds", region_name=REGION).delete_db_snapshot(DBSnapshotIdentifier="reports-export")
    aws.failing_services.add("rds")
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and [e.split(":")[0] for e in failed[REGION]] == ["rds"]
    assert "reports-export" in _names(store, "is(aws_rds_snapshot)")  # the last good data
    assert _names(store, "is(aws_rds_cluster)") == {"ledger", "scratch"}
    assert _names(store, "is(aws_kms_key)") == {"databases"}  # the rest was collected
