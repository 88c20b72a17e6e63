"""An application load balancer's listeners as DescribeListeners answers them, every page: ports, protocols,
certificates, SSL policy and the default actions with their configs (Fix Inventory's struct names)."""

from __future__ import annotations

from cloudsift.model.base import struct


@struct
class AwsAlbCertificate:
    certificate_arn: str
    is_default: bool


@struct
class AwsAlbAuthenticateOidcActionConfig:
    """Sign-in through an OpenID Connect provider before the request goes on. `client_secret` keeps Fix's
    name but is never collected (always null): the OAuth client secret DescribeListeners may hand over
    would reach every dump, jq and sink; `use_existing_client_secret` says whether one is set."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    user_info_endpoint: str
    client_id: str
    client_secret: str
    session_cookie_name: str
    scope: str
    session_timeout: int
    authentication_request_extra_params: dict[str, str]
    on_unauthenticated_request: str
    use_existing_client_secret: bool


@struct
class AwsAlbAuthenticateCognitoActionConfig:
    """Sign-in through a Cognito user pool before the request goes on."""

    user_pool_arn: str
    user_pool_client_id: str
    user_pool_domain: str
    session_cookie_name: str
    scope: str
    session_timeout: int
    authentication_request_extra_params: dict[str, str]
    on_unauthenticated_request: str


@struct
class AwsAlbRedirectActionConfig:
    """Where a redirect sends the client; `#{port}`-style placeholders keep the request's own parts
    (so `port` is text, as AWS has it)."""

    protocol: str
    port: str
    host: str
    path: str
    query: str
    status_code: str


@struct
class AwsAlbFixedResponseActionConfig:
    message_body: str
    status_code: str
    content_type: str


@struct
class AwsAlbTargetGroupTuple:
    target_group_arn: str
    weight: int


@struct
class AwsAlbTargetGroupStickinessConfig:
    enabled: bool
    duration_seconds: int


@struct
class AwsAlbForwardActionConfig:
    target_groups: list[AwsAlbTargetGroupTuple]
    target_group_stickiness_config: AwsAlbTargetGroupStickinessConfig


@struct
class AwsAlbAction:
    """A listener's default action: forward, redirect, fixed-response, authenticate-oidc or -cognito."""

    type: str
    target_group_arn: str
    authenticate_oidc_config: AwsAlbAuthenticateOidcActionConfig
    authenticate_cognito_config: AwsAlbAuthenticateCognitoActionConfig
    order: int
    redirect_config: AwsAlbRedirectActionConfig
    fixed_response_config: AwsAlbFixedResponseActionConfig
    forward_config: AwsAlbForwardActionConfig


@struct
class AwsAlbListener:
    listener_arn: str
    load_balancer_arn: str
    port: int
    protocol: str
    certificates: list[AwsAlbCertificate]
    ssl_policy: str
    default_actions: list[AwsAlbAction]
    alpn_policy: list[str]
