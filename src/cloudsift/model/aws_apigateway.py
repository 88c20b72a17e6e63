"""Kinds of API Gateway: REST APIs, their stages and authorizers (Fix Inventory's kind, property and struct
names; tests/model/test_fix_names.py holds them).

A REST API's resource policy (`api_policy`) and a stage's method settings (`stage_method_settings`, keyed by
`resource/method`: `*/*` for all) are kept as AWS wrote them, outside the typed model, as Fix keeps them.
"""

from __future__ import annotations

from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsApigatewayEndpointConfiguration:
    types: list[str]
    vpc_endpoint_ids: list[str]


@kind_class
class AwsApiGatewayRestApi(AwsResource):
    """A REST API; `api_endpoint_configuration.types` says whether it is EDGE, REGIONAL or PRIVATE."""

    kind: ClassVar[str] = "aws_apigateway_rest_api"
    untyped: ClassVar[tuple[str, ...]] = ("api_policy",)  # kept as AWS wrote them
    description: str
    api_version: str
    api_warnings: list[str]
    api_binary_media_types: list[str]
    api_minimum_compression_size: int
    api_key_source: str
    api_endpoint_configuration: AwsApigatewayEndpointConfiguration
    api_disable_execute_api_endpoint: bool


@struct
class AwsApigatewayCanarySetting:
    percent_traffic: float
    deployment_id: str
    stage_variable_overrides: dict[str, str]
    use_stage_cache: bool


@kind_class
class AwsApiGatewayStage(AwsResource):
    """A deployed stage of a REST API; `id` is `<api id>_<stage name>`, `api_link` the API's id.
    `stage_access_log_settings` null: no access logs; `stage_web_acl_arn` null: no WAF in front."""

    kind: ClassVar[str] = "aws_apigateway_stage"
    untyped: ClassVar[tuple[str, ...]] = ("stage_method_settings",)  # kept as AWS wrote them
    description: str
    stage_client_certificate_id: str
    stage_cache_cluster_enabled: bool
    stage_cache_cluster_size: str
    stage_cache_status: str
    stage_variables: dict[str, str]
    stage_documentation_version: str
    stage_access_log_settings: dict[str, str]
    stage_canary_settings: AwsApigatewayCanarySetting
    stage_tracing_enabled: bool
    stage_web_acl_arn: str
    api_link: str


@kind_class
class AwsApiGatewayAuthorizer(AwsResource):
    """An authorizer of a REST API (TOKEN or REQUEST: a Lambda function; COGNITO_USER_POOLS)."""

    kind: ClassVar[str] = "aws_apigateway_authorizer"
    authorizer_type: str
    authorizer_provider_arns: list[str]
    authorizer_auth_type: str
    authorizer_uri: str
    authorizer_credentials: str
    authorizer_identity_source: str
    authorizer_identity_validation_expression: str
    authorizer_result_ttl_in_seconds: int
    api_link: str
