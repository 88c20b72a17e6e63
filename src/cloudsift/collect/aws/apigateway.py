"""API Gateway: REST APIs, and each API's stages and authorizers (listed per API, side by side)."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, json_document, last_arn_part, struct, tag_map
from cloudsift.collect.aws.declare import AwsKind, Edge, Listing, Per, aws_service


def authorizer_function(uri: Any) -> str | None:
    """The Lambda function an authorizer calls, from its URI (`…:function:NAME/invocations` -> NAME)."""
    if not isinstance(uri, str) or ":function:" not in uri:
        return None
    return uri.split(":function:", 1)[1].split(":")[0].removesuffix("/invocations")


def stage_id(stage: dict[str, Any]) -> str | None:
    """A stage's id as Fix makes it: `<api id>_<stage name>` (a stage's name is unique only in its API)."""
    if not stage.get("stageName"):
        return None
    return f"{stage['api']['id']}_{stage['stageName']}"


APIS = Listing("apigateway", "GetRestApis", "items")
PER_API = Per(APIS, {"restApiId": "id"}, into="api")
ARN = "arn:aws:apigateway:{region}::/restapis/"

REST_API = AwsKind(
    "aws_apigateway_rest_api",
    APIS,
    id="id", name="name", ctime="createdDate", node="restapi/", arn_format=ARN + "{id}", tags=Field("tags", tag_map),
    props={
        "description": "description", "api_version": "version", "api_warnings": "warnings",
        "api_binary_media_types": "binaryMediaTypes", "api_minimum_compression_size": "minimumCompressionSize",
        "api_key_source": "apiKeySource",
        "api_endpoint_configuration": Field("endpointConfiguration", struct({
            "types": "types", "vpc_endpoint_ids": "vpcEndpointIds",
        })),
        "api_policy": Field("policy", json_document),
        "api_disable_execute_api_endpoint": "disableExecuteApiEndpoint",
    },
)  # fmt: skip

STAGE = AwsKind(
    "aws_apigateway_stage",
    Listing("apigateway", "GetStages", "item", per=PER_API),
    id=Field("", stage_id), name="stageName", ctime="createdDate", mtime="lastUpdatedDate", node="stage/",
    arn_format=ARN + "{item[api][id]}/stages/{item[stageName]}", tags=Field("tags", tag_map),
    props={
        "description": "description", "stage_client_certificate_id": "clientCertificateId",
        "stage_cache_cluster_enabled": "cacheClusterEnabled", "stage_cache_cluster_size": "cacheClusterSize",
        "stage_cache_status": "cacheClusterStatus", "stage_method_settings": "methodSettings",
        "stage_variables": "variables", "stage_documentation_version": "documentationVersion",
        "stage_access_log_settings": "accessLogSettings",
        "stage_canary_settings": Field("canarySettings", struct({
            "percent_traffic": "percentTraffic", "deployment_id": "deploymentId",
            "stage_variable_overrides": "stageVariableOverrides", "use_stage_cache": "useStageCache",
        })),
        "stage_tracing_enabled": "tracingEnabled", "stage_web_acl_arn": "webAclArn", "api_link": "api.id",
    },
    parent=(Edge("aws_apigateway_rest_api", "api.id"),),
    edges=(Edge("aws_waf_web_acl", "webAclArn", last_arn_part, reverse=True),),
)  # fmt: skip

AUTHORIZER = AwsKind(
    "aws_apigateway_authorizer",
    Listing("apigateway", "GetAuthorizers", "items", per=PER_API),
    id="id", name="name", node="authorizer/", arn_format=ARN + "{item[api][id]}/authorizers/{id}",
    props={
        "authorizer_type": "type", "authorizer_provider_arns": "providerARNs", "authorizer_auth_type": "authType",
        "authorizer_uri": "authorizerUri", "authorizer_credentials": "authorizerCredentials",
        "authorizer_identity_source": "identitySource",
        "authorizer_identity_validation_expression": "identityValidationExpression",
        "authorizer_result_ttl_in_seconds": "authorizerResultTtlInSeconds", "api_link": "api.id",
    },
    parent=(Edge("aws_apigateway_rest_api", "api.id"),),
    edges=(
        Edge("aws_lambda_function", "authorizerUri", authorizer_function),
        Edge("aws_iam_role", "authorizerCredentials", last_arn_part, reverse=True),
    ),
)  # fmt: skip

aws_service("apigateway", REST_API, STAGE, AUTHORIZER)
