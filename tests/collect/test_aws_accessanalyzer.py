"""IAM Access Analyzer against moto (its backend from cloudsift.demo_access_analyzer: moto has none): an
analyzer of external access in one region, an unused-access one in the other; CIS 1.20 finds the region
in use without an active external-access analyzer and not the one that has it."""

from __future__ import annotations

from pathlib import Path

import boto3

from cloudsift.collect.runner import collect_aws
from cloudsift.commands.base import Context
from cloudsift.config import AwsConfig, Config
from cloudsift.report import CheckRunner, Scope, load_library
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _one

WATCHED, UNWATCHED = "eu-west-1", "us-east-1"
CHECK = "aws_accessanalyzer_missing_in_region"


def _make_analyzers() -> None:
    boto3.client("accessanalyzer", region_name=WATCHED).create_analyzer(
        analyzerName="external", type="ACCOUNT", tags={"team": "security"}
    )
    boto3.client("accessanalyzer", region_name=UNWATCHED).create_analyzer(
        analyzerName="unused", type="ACCOUNT_UNUSED_ACCESS"
    )
    for region in (WATCHED, UNWATCHED):  # both regions in use
        sqs = boto3.client("sqs", region_name=region)
        for n in range(4):
            sqs.create_queue(QueueName=f"work-{n}")


def _collect(store: DuckDBStore, tmp_path: Path) -> None:
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[WATCHED, UNWATCHED])))
    assert summary.ok, list(summary.lines())


def test_analyzers_are_collected_per_region(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_analyzers()
    store = DuckDBStore()
    _collect(store, tmp_path)
    node = _one(store, "is(aws_iam_access_analyzer) and name == external")
    assert (node["analyzer_type"], node["analyzer_status"], node["tags"]) == (
        "ACCOUNT",
        "ACTIVE",
        {"team": "security"},
    )
    assert node["arn"] == f"arn:aws:access-analyzer:{WATCHED}:123456789012:analyzer/external"
    assert node["ctime"] is not None
    below = {d["reported"]["name"] for d in store.search(store.bind(
        f"is(aws_region) and name == {UNWATCHED} --> is(aws_iam_access_analyzer)"))}  # fmt: skip
    assert below == {"unused"}


def test_cis_1_20_finds_the_region_without_an_external_access_analyzer(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
) -> None:
    _make_analyzers()
    store = DuckDBStore()
    _collect(store, tmp_path)
    library = load_library()
    result = CheckRunner(Context(config=Config(), open_store=lambda: store), library, Scope()).run(
        library.check(CHECK)
    )
    assert result.status == "failed" and {r.region for r in result.failed} == {UNWATCHED}
    assert result.passed >= 1
    assert CHECK in library.benchmarks["aws_cis_3_0"].check_ids()
