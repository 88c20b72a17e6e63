"""OpenSearch against moto: an encrypted, HTTPS-only domain that publishes audit logs, and an open one with
a policy that lets anyone in; kinds, the properties checks read, failure isolation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, collected_region, record_calls
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _names, _one

REGION = "eu-west-1"
ACCOUNT = "123456789012"
ANYONE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "es:*"}]}


def _make_opensearch_estate() -> dict[str, Any]:
    opensearch = boto3.client("opensearch", region_name=REGION)
    group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:search-audit"
    opensearch.create_domain(DomainName="search", EngineVersion="OpenSearch_2.5",
                             EncryptionAtRestOptions={"Enabled": True}, NodeToNodeEncryptionOptions={"Enabled": True},
                             DomainEndpointOptions={"EnforceHTTPS": True},
                             LogPublishingOptions={"AUDIT_LOGS": {"CloudWatchLogsLogGroupArn": group, "Enabled": True}},
                             TagList=[{"Key": "team", "Value": "search"}])  # fmt: skip
    opensearch.create_domain(DomainName="open", AccessPolicies=json.dumps(ANYONE))
    return {"group": group}


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_opensearch_estate()
    return collected_region(tmp_path, REGION), made


def test_domains_with_encryption_and_logs(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    search = _one(store, "is(aws_opensearch_domain) and name == search")
    assert (search["arn"], search["tags"], search["engine_version"]) == (
        f"arn:aws:es:{REGION}:{ACCOUNT}:domain/search", {"team": "search"}, "OpenSearch_2.5")  # fmt: skip
    assert (
        search["encryption_at_rest_options"]["enabled"] is True and search["node_to_node_encryption_options"]
    )
    assert search["domain_endpoint_options"]["enforce_https"] is True
    assert search["log_publishing_options"]["AUDIT_LOGS"]["CloudWatchLogsLogGroupArn"] == made["group"]
    assert search.get("access_policies") is None and search["cluster_config"]["instance_count"] == 1
    assert _names(store, "is(aws_opensearch_domain) and encryption_at_rest_options.enabled == false") == {
        "open"
    }
    assert _names(store, "is(aws_opensearch_domain) and node_to_node_encryption_options == false") == {"open"}
    assert _names(store, "is(aws_opensearch_domain) and domain_endpoint_options.enforce_https == false") == {
        "open"
    }
    anyone = (
        'is(aws_opensearch_domain) and access_policies.Statement[*].{Effect == Allow and Principal == "*"}'
    )
    assert _names(store, anyone) == {"open"}
    assert _names(store, "is(aws_opensearch_domain) and log_publishing_options.AUDIT_LOGS == null") == {
        "open"
    }


def test_domains_are_described_five_at_a_time(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opensearch = boto3.client("opensearch", region_name=REGION)
    for n in range(7):
        opensearch.create_domain(DomainName=f"domain-{n}", TagList=[{"Key": "n", "Value": str(n)}])
    calls = record_calls(monkeypatch)
    store = collected_region(tmp_path, REGION)
    assert (calls[(REGION, "opensearch", "DescribeDomains")], calls[(REGION, "opensearch", "ListTags")]) == (
        2,
        7,
    )
    assert {d["reported"]["name"]: d["reported"]["tags"] for d in store.search(store.bind("is(aws_opensearch_domain)"))} == {
        f"domain-{n}": {"n": str(n)} for n in range(7)}  # fmt: skip


def test_a_refused_opensearch_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_opensearch_estate()
    store = DuckDBStore()
    assert collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))).ok
    boto3.client("opensearch", region_name=REGION).delete_domain(DomainName="open")
    aws.failing_services.add("es")  # OpenSearch's signing name
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and [e.split(":")[0] for e in failed[REGION]] == ["opensearch"]
    assert _names(store, "is(aws_opensearch_domain)") == {"search", "open"}  # the last good data
