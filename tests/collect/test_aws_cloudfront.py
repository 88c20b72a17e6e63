"""CloudFront and WAF against moto: a logged distribution behind a web ACL and a bare one, a regional web ACL
in front of an API stage; collected, found with the property names Fix's checks read, and their edges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_apigateway import _deploy
from tests.collect.test_aws_managed_services import _names, _one

REGION = "eu-west-1"
HOME = "us-east-1"
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "acl"}


@pytest.fixture(autouse=True)
def _cloudfront_direct(aws: AwsEmulator, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # CloudFront's XML bodies do not pass the failure proxy (as Route 53's): CloudFront goes to moto directly
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFRONT", aws.moto_url)


def _distribution(reference: str, **more: Any) -> dict[str, Any]:
    return {
        "CallerReference": reference, "Comment": reference, "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "site", "DomainName": "site-assets.s3.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https",
                                 "MinTTL": 0, "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}},
        **more,
    }  # fmt: skip


def _make_cloudfront_estate() -> dict[str, Any]:
    boto3.client("s3", region_name=HOME).create_bucket(Bucket="site-assets")
    edge_acl = boto3.client("wafv2", region_name=HOME).create_web_acl(
        Name="edge", Scope="CLOUDFRONT", DefaultAction={"Block": {}}, VisibilityConfig=VISIBILITY, Rules=[],
        Description="in front of the site")["Summary"]  # fmt: skip
    cloudfront = boto3.client("cloudfront", region_name=HOME)
    logged = cloudfront.create_distribution(DistributionConfig=_distribution(
        "logged", WebACLId=edge_acl["ARN"],
        Logging={"Enabled": True, "IncludeCookies": False, "Bucket": "site-assets.s3.amazonaws.com", "Prefix": "cf/"},
    ))["Distribution"]  # fmt: skip
    bare = cloudfront.create_distribution(DistributionConfig=_distribution("bare"))["Distribution"]
    waf = boto3.client("wafv2", region_name=REGION)
    api_acl = waf.create_web_acl(Name="api", Scope="REGIONAL", DefaultAction={"Allow": {}},
                                 VisibilityConfig=VISIBILITY, Rules=[])["Summary"]  # fmt: skip
    apigateway = boto3.client("apigateway", region_name=REGION)
    rest_api = apigateway.create_rest_api(name="guarded")["id"]
    apigateway.create_stage(restApiId=rest_api, stageName="live", deploymentId=_deploy(apigateway, rest_api))
    waf.associate_web_acl(WebACLArn=api_acl["ARN"],
                          ResourceArn=f"arn:aws:apigateway:{REGION}::/restapis/{rest_api}/stages/live")  # fmt: skip
    return {"edge": edge_acl, "api": api_acl, "logged": logged["Id"], "bare": bare["Id"]}


def _collect(store: DuckDBStore, tmp_path: Path) -> Any:
    return collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION, HOME])))


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_cloudfront_estate()
    store = DuckDBStore()
    summary = _collect(store, tmp_path)
    assert summary.ok, list(summary.lines())
    return store, made


def _ids(store: DuckDBStore, query: str) -> set[str]:
    return {d["reported"]["id"] for d in store.search(store.bind(query))}


def test_distributions(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    logged = _one(store, f"is(aws_cloudfront_distribution) and id == {made['logged']}")
    config = logged["distribution_config"]
    assert (config["logging"]["enabled"], config["web_acl_id"]) == (True, made["edge"]["ARN"])
    assert config["default_cache_behavior"]["viewer_protocol_policy"] == "redirect-to-https"
    assert config["origins"][0]["domain_name"] == "site-assets.s3.amazonaws.com" and logged["arn"]
    no_logs = "is(aws_cloudfront_distribution) and distribution_config.logging.enabled != true"
    assert _ids(store, no_logs) == {made["bare"]}
    no_waf = "is(aws_cloudfront_distribution) and distribution_config.web_acl_id == null"
    assert _ids(store, no_waf) == {made["bare"]}
    assert _ids(store, "is(aws_cloudfront_distribution) --> is(aws_waf_web_acl)") == {made["edge"]["Id"]}
    assert _ids(store, "is(aws_waf_web_acl) <-- is(aws_cloudfront_distribution)") == {made["logged"]}
    assert _ids(store, "is(aws_s3_bucket) <-- is(aws_cloudfront_distribution)") == {
        made["logged"],
        made["bare"],
    }
    # global, as Fix has it: collected once per account
    regions = {
        d["ancestors"]["region"]["reported"]["name"]
        for d in store.search(store.bind("is(aws_cloudfront_distribution)"))
    }
    assert regions == {"global"}


def test_web_acls(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    edge = _one(store, "is(aws_waf_web_acl) and name == edge")
    assert (edge["id"], edge["arn"], edge["description"]) == (
        made["edge"]["Id"],
        made["edge"]["ARN"],
        "in front of the site",
    )
    assert edge["visibility_config"] == {"sampled_requests_enabled": True, "cloud_watch_metrics_enabled": True,
                                         "metric_name": "acl"}  # fmt: skip
    assert edge["rules"] == [] and edge.get("logging_configuration") is None
    assert edge["capacity"] is not None
    by_region = {d["reported"]["name"]: d["ancestors"]["region"]["reported"]["name"]
                 for d in store.search(store.bind("is(aws_waf_web_acl)"))}  # fmt: skip
    assert by_region == {"edge": HOME, "api": REGION}  # CloudFront's ACLs live in us-east-1
    stage = _one(store, "is(aws_apigateway_stage)")
    assert stage["stage_web_acl_arn"] == made["api"]["ARN"]
    assert _names(store, "is(aws_waf_web_acl) --> is(aws_apigateway_stage)") == {"live"}


def test_a_refused_waf_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    made = _make_cloudfront_estate()
    store = DuckDBStore()
    assert _collect(store, tmp_path).ok
    boto3.client("wafv2", region_name=REGION).delete_web_acl(
        Name="api", Scope="REGIONAL", Id=made["api"]["Id"], LockToken=made["api"]["LockToken"])  # fmt: skip
    aws.failing_services.add("wafv2")
    summary = _collect(store, tmp_path)
    failed = {p.region: [e.split(":")[0] for e in p.errors] for p in summary.partitions if p.errors}
    assert failed == {REGION: ["wafv2"], HOME: ["wafv2"]}
    assert _names(store, "is(aws_waf_web_acl)") == {"edge", "api"}  # the last good data
    assert len(_ids(store, "is(aws_cloudfront_distribution)")) == 2  # the global partition went on
