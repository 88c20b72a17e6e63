"""ElastiCache against moto: a Redis cluster with encryption in transit, an AUTH token, backups and alerts to
a topic, and a Memcached one with none of them; kinds, the properties checks read, edges, failure isolation."""

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


def _make_elasticache_estate() -> dict[str, Any]:
    topic = boto3.client("sns", region_name=REGION).create_topic(Name="cache-events")["TopicArn"]
    elasticache = boto3.client("elasticache", region_name=REGION)
    elasticache.create_cache_cluster(CacheClusterId="sessions", Engine="redis", CacheNodeType="cache.t3.micro",
                                     NumCacheNodes=1, SnapshotRetentionLimit=5, TransitEncryptionEnabled=True,
                                     AuthToken="not-a-real-token-0123", NotificationTopicArn=topic,
                                     Tags=[{"Key": "team", "Value": "web"}])  # fmt: skip
    elasticache.create_cache_cluster(CacheClusterId="scratch", Engine="memcached", CacheNodeType="cache.t3.micro",
                                     NumCacheNodes=1)  # fmt: skip
    return {"topic": topic}


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_elasticache_estate()
    return collected_region(tmp_path, REGION), made


def test_cache_clusters(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, _ = collected
    sessions = _one(store, "is(aws_elasticache_cache_cluster) and name == sessions")
    assert (sessions["arn"], sessions["tags"], sessions["cluster_engine"]) == (
        f"arn:aws:elasticache:{REGION}:{ACCOUNT}:cluster:sessions", {"team": "web"}, "redis")  # fmt: skip
    assert (sessions["cluster_transit_encryption_enabled"], sessions["cluster_auth_token_enabled"]) == (
        True,
        True,
    )
    assert sessions["cluster_snapshot_retention_limit"] == 5 and sessions["ctime"]
    assert "not-a-real-token" not in str(sessions)  # the token itself is never collected
    unencrypted = "is(aws_elasticache_cache_cluster) and cluster_transit_encryption_enabled != true"
    assert _names(store, unencrypted) == {"scratch"}
    assert _names(store, "is(aws_elasticache_cache_cluster) and cluster_snapshot_retention_limit == 0") == {
        "scratch"
    }
    assert _names(store, "is(aws_elasticache_cache_cluster) and cluster_auth_token_enabled == false") == {
        "scratch"
    }


def test_a_refused_elasticache_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_elasticache_estate()
    store = DuckDBStore()
    assert collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))).ok
    boto3.client("elasticache", region_name=REGION).delete_cache_cluster(CacheClusterId="scratch")
    aws.failing_services.add("elasticache")
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and [e.split(":")[0] for e in failed[REGION]] == ["elasticache"]
    assert _names(store, "is(aws_elasticache_cache_cluster)") == {"sessions", "scratch"}  # the last good data
    assert _names(store, "is(aws_sns_topic)") == {"cache-events"}
