"""Kinds of CloudFront and WAF: distributions and web ACLs (Fix Inventory's kind, property and struct names;
tests/model/test_fix_names.py holds them). A web ACL's rules are kept as AWS writes them (`rules`), outside
the typed model."""

from __future__ import annotations

from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsCloudfrontLoggingConfig:
    enabled: bool
    include_cookies: bool
    bucket: str
    prefix: str


@struct
class AwsCloudfrontViewerCertificate:
    cloudfront_default_certificate: bool
    iam_certificate_id: str
    acm_certificate_arn: str
    ssl_support_method: str
    minimum_protocol_version: str
    certificate: str
    certificate_source: str


@struct
class AwsCloudfrontOrigin:
    id: str
    domain_name: str
    origin_path: str
    connection_attempts: int
    connection_timeout: int
    origin_access_control_id: str


@struct
class AwsCloudfrontDefaultCacheBehavior:
    """`viewer_protocol_policy` allow-all: viewers may use plain HTTP."""

    target_origin_id: str
    trusted_signers: list[str]
    trusted_key_groups: list[str]
    viewer_protocol_policy: str
    allowed_methods: list[str]
    smooth_streaming: bool
    compress: bool
    field_level_encryption_id: str
    realtime_log_config_arn: str
    cache_policy_id: str
    origin_request_policy_id: str
    response_headers_policy_id: str
    min_ttl: int
    default_ttl: int
    max_ttl: int


@struct
class AwsCloudfrontDistributionConfig:
    """`logging.enabled` false: no access logs; `web_acl_id` empty: no WAF in front."""

    caller_reference: str
    aliases: list[str]
    default_root_object: str
    origins: list[AwsCloudfrontOrigin]
    default_cache_behavior: AwsCloudfrontDefaultCacheBehavior
    comment: str
    logging: AwsCloudfrontLoggingConfig
    price_class: str
    enabled: bool
    viewer_certificate: AwsCloudfrontViewerCertificate
    web_acl_id: str
    http_version: str
    is_ipv6_enabled: bool
    continuous_deployment_policy_id: str
    staging: bool


@kind_class
class AwsCloudfrontDistribution(AwsResource):
    """A CloudFront distribution (global: collected once per account); `name` is its domain name."""

    kind: ClassVar[str] = "aws_cloudfront_distribution"
    distribution_status: str
    distribution_in_progress_invalidation_batches: int
    distribution_config: AwsCloudfrontDistributionConfig


@struct
class AwsWafVisibilityConfig:
    sampled_requests_enabled: bool
    cloud_watch_metrics_enabled: bool
    metric_name: str


@struct
class AwsWafLoggingConfiguration:
    log_destination_configs: list[str]
    managed_by_firewall_manager: bool


@kind_class
class AwsWafWebAcl(AwsResource):
    """A WAF (v2) web ACL: regional, or in us-east-1 for CloudFront. `logging_configuration` null: its
    requests are not logged."""

    kind: ClassVar[str] = "aws_waf_web_acl"
    untyped: ClassVar[tuple[str, ...]] = ("rules",)  # kept as AWS wrote them
    description: str
    visibility_config: AwsWafVisibilityConfig
    capacity: int
    managed_by_firewall_manager: bool
    label_namespace: str
    token_domains: list[str]
    association_inspection_limit: str
    logging_configuration: AwsWafLoggingConfiguration
