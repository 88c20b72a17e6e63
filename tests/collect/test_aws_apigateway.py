"""API Gateway against moto: a REST API with a logged, traced stage and a bare one, an authorizer calling a
Lambda function; collected, found with the property names Fix's checks read, and their edges."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import PUBLIC, _names, _one
from tests.collect.test_aws_services import _zip

REGION = "eu-west-1"
ACCOUNT = "123456789012"


def _deploy(api: Any, rest_api: str) -> str:
    """A deployment of the API, with one mock GET method (AWS deploys no API without a method)."""
    root = api.get_resources(restApiId=rest_api)["items"][0]["id"]
    api.put_method(restApiId=rest_api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    api.put_integration(restApiId=rest_api, resourceId=root, httpMethod="GET", type="MOCK")
    return str(api.create_deployment(restApiId=rest_api)["id"])


def _make_apigateway_estate() -> dict[str, Any]:
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}  # fmt: skip
    role = boto3.client("iam").create_role(RoleName="api-invoker", AssumeRolePolicyDocument=json.dumps(trust))
    role_arn = role["Role"]["Arn"]
    function = boto3.client("lambda", region_name=REGION).create_function(
        FunctionName="check-token", Runtime="python3.11", Role=role_arn, Handler="handler.handle",
        Code={"ZipFile": _zip()})["FunctionArn"]  # fmt: skip
    api = boto3.client("apigateway", region_name=REGION)
    shop = api.create_rest_api(name="shop", description="the shop's API", policy=json.dumps(PUBLIC),
                               endpointConfiguration={"types": ["REGIONAL"]}, tags={"team": "web"})["id"]  # fmt: skip
    deployment = _deploy(api, shop)
    api.create_stage(restApiId=shop, stageName="prod", deploymentId=deployment, tracingEnabled=True)
    api.update_stage(restApiId=shop, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:api-access"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId"},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"}])  # fmt: skip
    api.create_stage(restApiId=shop, stageName="test", deploymentId=deployment)  # no logs, no tracing
    uri = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function}/invocations"
    authorizer = api.create_authorizer(restApiId=shop, name="token-check", type="TOKEN", authorizerUri=uri,
                                       authorizerCredentials=role_arn, identitySource="method.request.header.Auth",
                                       authorizerResultTtlInSeconds=300)["id"]  # fmt: skip
    internal = api.create_rest_api(name="internal")["id"]
    api.create_stage(restApiId=internal, stageName="prod", deploymentId=_deploy(api, internal))
    return {"shop": shop, "internal": internal, "authorizer": authorizer}


@pytest.fixture
def collected(aws: AwsEmulator, tmp_path: Path) -> tuple[DuckDBStore, dict[str, Any]]:  # noqa: F811
    made = _make_apigateway_estate()
    store = DuckDBStore()
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    assert summary.ok, list(summary.lines())
    return store, made


def test_rest_apis(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    shop = _one(store, "is(aws_apigateway_rest_api) and name == shop")
    assert (shop["id"], shop["arn"]) == (
        made["shop"],
        f"arn:aws:apigateway:{REGION}::/restapis/{made['shop']}",
    )
    assert shop["api_endpoint_configuration"]["types"] == ["REGIONAL"] and shop["tags"] == {"team": "web"}
    assert shop["description"] == "the shop's API" and shop["ctime"]
    assert _names(store, 'is(aws_apigateway_rest_api) and api_policy.Statement[*].Principal == "*"') == {
        "shop"
    }


def test_stages(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    prod = _one(store, f"is(aws_apigateway_stage) and id == {made['shop']}_prod")
    assert (prod["name"], prod["api_link"], prod["stage_tracing_enabled"]) == ("prod", made["shop"], True)
    assert prod["arn"] == f"arn:aws:apigateway:{REGION}::/restapis/{made['shop']}/stages/prod"
    assert prod["stage_access_log_settings"]["format"] == "$context.requestId"
    assert prod["stage_method_settings"]["*/*"]["loggingLevel"] == "INFO"
    # two stages named prod, in two APIs: two resources
    assert len(list(store.search(store.bind("is(aws_apigateway_stage) and name == prod")))) == 2
    unlogged = "is(aws_apigateway_stage) and stage_access_log_settings == null"
    assert {d["reported"]["id"] for d in store.search(store.bind(unlogged))} == {
        f"{made['shop']}_test",
        f"{made['internal']}_prod",
    }
    assert _names(store, "is(aws_apigateway_stage) and stage_tracing_enabled != true") == {"test", "prod"}
    assert _names(store, "is(aws_apigateway_rest_api) and name == shop --> is(aws_apigateway_stage)") == {
        "prod",
        "test",
    }
    assert _names(store, "is(aws_apigateway_rest_api) and name == internal --> is(aws_apigateway_stage)") == {
        "prod"
    }


def test_authorizers(collected: tuple[DuckDBStore, dict[str, Any]]) -> None:
    store, made = collected
    token = _one(store, "is(aws_apigateway_authorizer)")
    assert (token["id"], token["name"], token["api_link"]) == (
        made["authorizer"],
        "token-check",
        made["shop"],
    )
    assert (token["authorizer_type"], token["authorizer_result_ttl_in_seconds"]) == ("TOKEN", 300)
    assert _names(store, "is(aws_apigateway_rest_api) --> is(aws_apigateway_authorizer)") == {"token-check"}
    assert _names(store, "is(aws_apigateway_authorizer) --> is(aws_lambda_function)") == {"check-token"}
    assert _names(store, "is(aws_iam_role) --> is(aws_apigateway_authorizer)") == {"token-check"}


def test_a_refused_apigateway_keeps_its_last_good_data(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    made = _make_apigateway_estate()
    store = DuckDBStore()
    assert collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION]))).ok
    boto3.client("apigateway", region_name=REGION).delete_rest_api(restApiId=made["internal"])
    aws.failing_services.add("apigateway")
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and [e.split(":")[0] for e in failed[REGION]] == ["apigateway"]
    assert _names(store, "is(aws_apigateway_rest_api)") == {"shop", "internal"}  # the last good data
    assert _names(store, "is(aws_iam_role)") == {"api-invoker"}  # the global partition went on
