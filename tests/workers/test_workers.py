"""Worker processes sharing one PostgreSQL store: a collection split over workers, a worker killed
mid-collection, schedules fired once over several servers (issue 17)."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import _estate, aws  # noqa: F401  (the moto fixture)
from tests.workers.workers_fixture import ACCOUNTS, REGIONS, Setup, setups, snapshot  # noqa: F401

CALLER = "123456789012"
PLACES = (1 + len(ACCOUNTS)) * (len(REGIONS) + 1)  # every account's regions and its "global" partition


def _session(account: str) -> boto3.Session:
    if account == CALLER:
        return boto3.Session()
    creds = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/cloudsift", RoleSessionName="estate"
    )["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"])  # fmt: skip


@pytest.fixture
def estate(aws: AwsEmulator) -> AwsEmulator:  # noqa: F811
    for account in [CALLER, *ACCOUNTS]:
        for region in REGIONS:
            _estate(_session(account), region, open_to_world=region == "eu-central-1")
    return aws


def _collected(setup: Setup) -> str:
    result = setup.cli("collect")
    logs = "".join(f"\n--- {name}:\n{setup.log(name)}" for name in setup.workers)
    assert result.returncode == 0, result.stdout + result.stderr + logs
    assert re.search(rf"in {PLACES} partitions in [\d.]+s, 0 failed", result.stdout), result.stdout
    return result.stdout


def test_two_workers_share_one_collection_and_store_what_one_worker_stores(
    estate: AwsEmulator, setups: list[Setup], tmp_path: Path
) -> None:
    one = Setup(tmp_path / "one")
    setups.append(one)
    one.config()
    one.start_worker("w1")
    _collected(one)
    two = Setup(tmp_path / "two")
    setups.append(two)
    two.config()
    two.start_worker("w1")
    two.start_worker("w2")
    out = _collected(two)
    assert "Events: pre_collect, collect, merge_outer_edges, post_collect." in out
    assert snapshot(two) == snapshot(one)
    assert len(snapshot(two)[0]) > 100
    # both took tasks of it
    assert len(two.sql("SELECT DISTINCT worker FROM collect_tasks")) == 2
    assert len(two.sql("SELECT * FROM partitions WHERE error IS NULL")) == PLACES
