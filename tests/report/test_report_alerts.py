"""One alert per failing check, resolving per check, against the strict PagerDuty stand-in."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.collect.runner import collect_aws
from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import AwsConfig, Config, load_config
from cloudsift.errors import UsageError
from cloudsift.store.base import PartitionStatus
from cloudsift.store.duckdb import DuckDBStore
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.estate import frame, lines, node

KEY = "R0utingKey0123456789abcdefABCDEF"
VOLUMES, BUCKETS = "aws_ec2_volume_not_encrypted", "aws_s3_bucket_versioning_disabled"
MFA = "aws_iam_user_mfa_disabled"
LINE = f"report checks run {VOLUMES} {BUCKETS} aws_rds_instance_publicly_accessible | pagerduty"
NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


def _estate(store: DuckDBStore, encrypted: bool) -> None:
    nodes, edges = frame()
    nodes += [node("vol-1", "aws_ec2_volume", volume_encrypted=encrypted, volume_size=8),
              node("bucket-1", "aws_s3_bucket", bucket_versioning=False)]  # fmt: skip
    edges += [("reg", "vol-1", "default"), ("reg", "bucket-1", "default")]
    store.import_lines(lines(nodes, edges), replace=True)


def _run(store: DuckDBStore, line: str, standin: PagerDutyStandIn, tmp_path: Path) -> list[Any]:
    environ = {"CLOUDSIFT_PAGERDUTY__ROUTING_KEY": KEY, "CLOUDSIFT_PAGERDUTY__EVENTS_URL": standin.url,
               "CLOUDSIFT_PAGERDUTY__RETRY_BASE_SECONDS": "0", "CLOUDSIFT_CONFIG": os.devnull}  # fmt: skip
    ctx = Context(config=load_config(None, tmp_path, environ), open_store=lambda: store, now=NOW)
    return list(run_line(line, ctx))


def test_two_failing_checks_two_incidents_fix_one_one_resolve(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store = DuckDBStore()
    _estate(store, encrypted=False)
    out = _run(store, LINE, pagerduty, tmp_path)
    assert out == [
        f"pagerduty: trigger {VOLUMES} sent (1 resources).",
        f"pagerduty: trigger {BUCKETS} sent (1 resources).",
    ]
    keys = [(e["event_action"], e["dedup_key"]) for e in pagerduty.events]
    assert keys == [("trigger", VOLUMES), ("trigger", BUCKETS)]  # the not-evaluated RDS check decides nothing
    volume = pagerduty.events[0]["payload"]
    assert volume["summary"] == f"EBS volume is not encrypted: 1 failing ({VOLUMES})"
    assert volume["severity"] == "error"  # high
    assert "vol-1" in str(volume["custom_details"])
    _estate(store, encrypted=True)  # the volume was fixed
    out = _run(store, LINE, pagerduty, tmp_path)
    assert f"pagerduty: resolve {VOLUMES} sent." in out
    resolves = [e["dedup_key"] for e in pagerduty.events if e["event_action"] == "resolve"]
    assert resolves == [VOLUMES]
    assert _run(store, LINE, pagerduty, tmp_path).count(f"pagerduty: resolve {VOLUMES} sent.") == 0


def test_a_failed_region_resolves_nothing(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    store = DuckDBStore()
    _estate(store, encrypted=False)
    _run(store, LINE, pagerduty, tmp_path)
    _estate(store, encrypted=True)
    store.record_partitions([PartitionStatus("aws", "acc", "us-east-1", "ec2: throttled", NOW)])
    out = _run(store, LINE, pagerduty, tmp_path)
    assert any(
        line.startswith(f"pagerduty {VOLUMES}: nothing matches, but the alert stays open") for line in out
    )
    assert not [e for e in pagerduty.events if e["event_action"] == "resolve"]
    store.record_partitions([PartitionStatus("aws", "acc", "us-east-1", None, NOW)])
    assert f"pagerduty: resolve {VOLUMES} sent." in _run(store, LINE, pagerduty, tmp_path)


def test_a_check_passing_with_no_resource_left_resolves_after_a_clean_collection_only(
    aws: AwsEmulator,  # noqa: F811
    pagerduty: PagerDutyStandIn,
    tmp_path: Path,
) -> None:
    store = DuckDBStore()
    iam, line = boto3.client("iam"), f"report checks run {MFA} | pagerduty"

    def collect() -> None:
        collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=["eu-west-1"])))

    iam.create_user(UserName="no-mfa")
    collect()
    assert _run(store, line, pagerduty, tmp_path) == [f"pagerduty: trigger {MFA} sent (1 resources)."]
    iam.delete_user(UserName="no-mfa")
    aws.failing_services.add("iam")  # the user is gone, but IAM did not answer: its last data is kept
    collect()
    _run(store, line, pagerduty, tmp_path)  # the kept user still fails: no resolve
    assert "resolve" not in [e["event_action"] for e in pagerduty.events]
    aws.failing_services.discard("iam")
    collect()  # IAM answered with no user: the check passes with 0 resources
    assert _run(store, line, pagerduty, tmp_path) == [f"pagerduty: resolve {MFA} sent."]
    assert [e["event_action"] for e in pagerduty.events][-1] == "resolve"


def test_dedup_by_account_and_suppressed_findings_are_not_alerted(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store = DuckDBStore()
    _estate(store, encrypted=False)
    store.record_partitions([PartitionStatus("aws", "acc", "us-east-1", None, NOW)])
    _run(store, f'report suppress {BUCKETS} --reason "logs only" --owner alice', pagerduty, tmp_path)
    _run(store, LINE.replace(" | pagerduty", " --dedup-by account | pagerduty"), pagerduty, tmp_path)
    assert [e["dedup_key"] for e in pagerduty.events] == [f"{VOLUMES}:acc"]


def test_a_report_that_lists_cannot_feed_a_sink(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="pagerduty needs the result of a search"):
        _run(DuckDBStore(), "report checks list | pagerduty", pagerduty, tmp_path)
    with pytest.raises(UsageError, match="pagerduty needs --summary and --dedup-key"):
        _run(DuckDBStore(), "search is(aws_ec2_volume) | pagerduty", pagerduty, tmp_path)


def test_a_job_keeps_a_benchmark_paged(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    store = DuckDBStore()
    line = "jobs add --id cis --wait-for-event post_collect 'report benchmark run aws_cis_3_0 | pagerduty'"
    assert _run(store, line, pagerduty, tmp_path) == ["Job cis added."]
    with pytest.raises(UsageError, match="pagerduty needs the result of a search"):
        _run(
            store,
            "jobs add --id bad --wait-for-event post_collect 'report checks list | pagerduty'",
            pagerduty,
            tmp_path,
        )
