"""Security Hub against moto: enabled in one region, not in the other; failure isolation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

REGION, DISABLED = "eu-west-1", "us-east-1"


def _make_securityhub_estate() -> None:
    boto3.client("securityhub", region_name=REGION).enable_security_hub(EnableDefaultStandards=False)


def _collect(store: DuckDBStore, tmp_path: Path) -> Any:
    return collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION, DISABLED])))


def test_a_region_with_security_hub_enabled_has_its_hub(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_securityhub_estate()
    store = DuckDBStore()
    summary = _collect(store, tmp_path)
    assert summary.ok, list(summary.lines())
    hub = _one(store, "is(aws_securityhub_hub)")
    assert hub["arn"] == f"arn:aws:securityhub:{REGION}:123456789012:hub/default" and hub["id"] == "default"
    assert hub["auto_enable_controls"] is True and hub["subscribed_at"] is not None
    assert hub["control_finding_generator"] == "SECURITY_CONTROL"
    # none in the region that has it disabled
    assert _names(store, "is(aws_region) with(any, --> is(aws_securityhub_hub))") == {REGION}


def test_a_refused_security_hub_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_securityhub_estate()
    store = DuckDBStore()
    assert _collect(store, tmp_path).ok
    boto3.client("securityhub", region_name=REGION).disable_security_hub()
    aws.failing_services.add("securityhub")
    summary = _collect(store, tmp_path)
    failed = {p.region: [e.split(":")[0] for e in p.errors] for p in summary.partitions if p.errors}
    assert failed == {REGION: ["securityhub"], DISABLED: ["securityhub"]}
    assert _one(store, "is(aws_securityhub_hub)")["id"] == "default"  # the last good data
