"""`collect --kinds`: only the services of those kinds are called, every other kind keeps its data."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from cloudsift import run
from cloudsift.collect.aws.declare import Call
from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, CollectWorkflowConfig, Config, WorkflowsConfig
from cloudsift.demo import SEED_QUERY
from cloudsift.errors import UsageError
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, record_calls
from tests.collect.test_aws import _estate, aws  # noqa: F401  (the fixture)

REGION = "us-east-1"


def _ids(store: DuckDBStore, query: str) -> set[str]:
    return {d["reported"]["id"] for d in store.search(store.bind(query))}


def test_collect_kinds_calls_only_their_services_and_keeps_the_rest(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = _estate(boto3.Session(), REGION, open_to_world=True)
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="before")
    boto3.client("iam").create_user(UserName="dave")
    store = DuckDBStore(tmp_path / "inventory.duckdb")
    config = Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))
    assert collect_aws(store, config).ok
    assert _ids(store, SEED_QUERY) == {made["wide"]}
    instances = _ids(store, "is(aws_ec2_instance)")
    edges_before = _ids(store, f'id == "{made["web"]}" --> is(aws_ec2_instance)')
    # the open group is fixed; meanwhile a bucket is made and a user goes: a full collection would see both
    ec2 = boto3.client("ec2", region_name=REGION)
    ec2.delete_security_group(GroupId=made["wide"])
    s3.create_bucket(Bucket="after")
    boto3.client("iam").delete_user(UserName="dave")
    calls = record_calls(monkeypatch)
    summary = collect_aws(store, config, kinds=["aws_ec2_security_group"])
    assert summary.ok, list(summary.lines())
    assert {Call(s, op).action for _, s, op in calls} <= {"ec2:DescribeSecurityGroups", "sts:GetCallerIdentity",
                                                       "iam:ListAccountAliases"}  # fmt: skip
    assert _ids(store, SEED_QUERY) == set()  # the collected kind is current
    # every other kind is as it was: no new bucket, the user still there, instances and their edges kept
    assert _ids(store, "is(aws_s3_bucket)") == {"before"}
    assert _ids(store, "is(aws_iam_user) and name == dave")
    assert _ids(store, "is(aws_ec2_instance)") == instances
    assert _ids(store, f'id == "{made["web"]}" --> is(aws_ec2_instance)') == edges_before
    assert _ids(store, f'id == "{made["vpc"]}" --> is(aws_ec2_security_group)') >= {made["web"]}
    deleted = run("history --change deleted", store)
    assert [line.split()[-1] for line in deleted] == ["wide-open"]  # only the group that went


def test_collect_kinds_from_the_config_and_the_command_line(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _estate(boto3.Session(), REGION, open_to_world=True)
    calls = record_calls(monkeypatch)
    config = Config(home=tmp_path, aws=AwsConfig(regions=[REGION]),
                    workflows=WorkflowsConfig(CollectWorkflowConfig(kinds=["security_group"])))  # fmt: skip
    store = DuckDBStore()
    assert collect_aws(store, config).ok
    assert {op for _, _, op in calls} <= {"DescribeSecurityGroups", "GetCallerIdentity", "ListAccountAliases"}
    assert _ids(store, "is(aws_ec2_security_group)") and not _ids(store, "is(aws_ec2_instance)")
    with pytest.raises(UsageError, match="Did you mean 'aws_ec2_security_group'"):
        collect_aws(store, config, kinds=["aws_ec2_securty_group"])
    with pytest.raises(UsageError, match="takes no arguments but --kinds"):
        run("collect aws_ec2_instance", store)
