"""`aws policy` holds every action a full collection calls: the calls are recorded with botocore's event
hooks while the collector runs against moto over every kind, and each one must be granted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cloudsift import run
from cloudsift.collect.aws.declare import Call
from cloudsift.collect.aws.policy import NOT_GRANTED_HERE
from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, record_calls
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_apigateway import _make_apigateway_estate
from tests.collect.test_aws_baseline import _make_baseline_estate
from tests.collect.test_aws_cloudformation import _make_stacks
from tests.collect.test_aws_cloudfront import (
    _cloudfront_direct,  # noqa: F401  (autouse: CloudFront straight to moto)
    _make_cloudfront_estate,
)
from tests.collect.test_aws_ecs import _make_ecs_estate
from tests.collect.test_aws_elasticache import _make_elasticache_estate
from tests.collect.test_aws_logging import _make_logging_estate
from tests.collect.test_aws_managed_services import _make_estate as _make_managed_estate
from tests.collect.test_aws_managed_services import _route53_direct  # noqa: F401  (autouse: Route 53 straight to moto)
from tests.collect.test_aws_opensearch import _make_opensearch_estate
from tests.collect.test_aws_rds import _make_rds_estate
from tests.collect.test_aws_redshift import _make_redshift_estate
from tests.collect.test_aws_sagemaker import _make_sagemaker_estate
from tests.collect.test_aws_securityhub import _make_securityhub_estate
from tests.collect.test_aws_services import REGION, _make_everything
from tests.collect.test_aws_ssm import _make_ssm_estate


def test_every_call_of_a_full_collection_is_in_the_policy(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _make_everything()
    _make_logging_estate()
    _make_baseline_estate()
    _make_managed_estate()
    _make_ecs_estate()
    _make_sagemaker_estate()
    _make_rds_estate()
    _make_redshift_estate()
    _make_apigateway_estate()
    _make_opensearch_estate()
    _make_elasticache_estate()
    _make_cloudfront_estate()
    _make_ssm_estate()
    _make_securityhub_estate()
    _make_stacks()
    calls = record_calls(monkeypatch)
    store = DuckDBStore()
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    assert summary.ok, list(summary.lines())
    granted = set(json.loads("\n".join(run("aws policy", store)))["Statement"][0]["Action"])
    made = {Call(service, operation).action for _, service, operation in calls}
    assert len(made) > 40  # the recording saw the whole collection
    assert made - granted - set(NOT_GRANTED_HERE) == set()
    # and the policy asks for little more than was called (what moto's estate could not exercise)
    assert len(granted - made) <= 6, sorted(granted - made)


def test_the_policy_command_refuses_what_it_does_not_know() -> None:
    store = DuckDBStore()
    assert "cloudtrail:GetTrailStatus" in run("aws policy --actions", store)
    with pytest.raises(Exception, match="aws policy"):
        run("aws polcy", store)
