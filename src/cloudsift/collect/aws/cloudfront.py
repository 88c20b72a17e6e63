"""CloudFront distributions (global, once per account) and WAF web ACLs (each region's own; those for
CloudFront live in us-east-1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudsift.collect.aws.convert import Field, each, last_arn_part, non_empty, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, Scope, aws_service
from cloudsift.collect.aws.sagemaker import bucket_of

CLOUDFRONT_HOME = "us-east-1"  # where AWS keeps the web ACLs of CloudFront (Scope CLOUDFRONT)


def origin_buckets(origins: Any) -> list[str]:
    """The S3 buckets a distribution serves from (`<bucket>.s3.<region>.amazonaws.com` origins)."""
    names = [o.get("DomainName", "") for o in origins or [] if isinstance(o, dict)]
    return [n.split(".s3", 1)[0] for n in names if ".s3" in n and n.endswith(".amazonaws.com")]


def log_bucket(bucket: Any) -> str | None:
    """The bucket of a distribution's logs (`<bucket>.s3.amazonaws.com`)."""
    return bucket_of(f"s3://{bucket.split('.s3', 1)[0]}") if isinstance(bucket, str) and bucket else None


def _web_acls(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    scopes = ["REGIONAL", "CLOUDFRONT"] if scope.region_name == CLOUDFRONT_HOME else ["REGIONAL"]
    for acl_scope in scopes:
        params: dict[str, Any] = {"Scope": acl_scope}
        while True:  # ListWebACLs has a NextMarker but no paginator
            page = client.list_web_acls(**params)
            yield from ({**acl, "Scope": acl_scope} for acl in page.get("WebACLs") or [])
            if not page.get("NextMarker") or not page.get("WebACLs"):
                break
            params["NextMarker"] = page["NextMarker"]


DISTRIBUTION = AwsKind(
    "aws_cloudfront_distribution",
    Listing("cloudfront", "ListDistributions", "DistributionList.Items"),
    id="Id", name="DomainName", arn="ARN", mtime="LastModifiedTime", node="distribution/",
    tags=Field("tags", tag_list),
    details=(
        Detail("GetDistribution", "d", {"Id": "Id"}, key="Distribution", missing=("NoSuchDistribution",)),
        Detail("ListTagsForResource", "tags", {"Resource": "ARN"}, key="Tags.Items", missing=("NoSuchResource",)),
    ),
    props={
        "distribution_status": "Status",
        "distribution_in_progress_invalidation_batches": "d.InProgressInvalidationBatches",
        "distribution_config": Field("d.DistributionConfig", struct({
            "caller_reference": "CallerReference", "aliases": "Aliases.Items", "default_root_object": "DefaultRootObject",
            "origins": Field("Origins.Items", each({
                "id": "Id", "domain_name": "DomainName", "origin_path": "OriginPath",
                "connection_attempts": "ConnectionAttempts", "connection_timeout": "ConnectionTimeout",
                "origin_access_control_id": "OriginAccessControlId",
            })),
            "default_cache_behavior": Field("DefaultCacheBehavior", struct({
                "target_origin_id": "TargetOriginId", "trusted_signers": "TrustedSigners.Items",
                "trusted_key_groups": "TrustedKeyGroups.Items", "viewer_protocol_policy": "ViewerProtocolPolicy",
                "allowed_methods": "AllowedMethods.Items", "smooth_streaming": "SmoothStreaming", "compress": "Compress",
                "field_level_encryption_id": "FieldLevelEncryptionId", "realtime_log_config_arn": "RealtimeLogConfigArn",
                "cache_policy_id": "CachePolicyId", "origin_request_policy_id": "OriginRequestPolicyId",
                "response_headers_policy_id": "ResponseHeadersPolicyId", "min_ttl": "MinTTL",
                "default_ttl": "DefaultTTL", "max_ttl": "MaxTTL",
            })),
            "comment": "Comment",
            "logging": Field("Logging", struct({
                "enabled": "Enabled", "include_cookies": "IncludeCookies", "bucket": "Bucket", "prefix": "Prefix",
            })),
            "price_class": "PriceClass", "enabled": "Enabled",
            "viewer_certificate": Field("ViewerCertificate", struct({
                "cloudfront_default_certificate": "CloudFrontDefaultCertificate",
                "iam_certificate_id": "IAMCertificateId", "acm_certificate_arn": "ACMCertificateArn",
                "ssl_support_method": "SSLSupportMethod", "minimum_protocol_version": "MinimumProtocolVersion",
                "certificate": "Certificate", "certificate_source": "CertificateSource",
            })),
            "web_acl_id": Field("WebACLId", non_empty), "http_version": "HttpVersion",
            "is_ipv6_enabled": "IsIPV6Enabled", "continuous_deployment_policy_id": "ContinuousDeploymentPolicyId",
            "staging": "Staging",
        })),
    },
    edges=(
        Edge("aws_waf_web_acl", "d.DistributionConfig.WebACLId", last_arn_part, region=CLOUDFRONT_HOME),
        Edge("aws_s3_bucket", "d.DistributionConfig.Origins.Items", origin_buckets),
        Edge("aws_s3_bucket", "d.DistributionConfig.Logging.Bucket", log_bucket),
        Edge("aws_acm_certificate", "d.DistributionConfig.ViewerCertificate.ACMCertificateArn", last_arn_part,
             region=CLOUDFRONT_HOME),
    ),
)  # fmt: skip

WEB_ACL = AwsKind(
    "aws_waf_web_acl",
    Listing("wafv2", "ListWebACLs", "WebACLs", read=_web_acls),
    id="Id", name="Name", arn="ARN", node="webacl/", tags=Field("tags", tag_list),
    details=(
        Detail("GetWebACL", "acl", {"Name": "Name", "Id": "Id", "Scope": "Scope"}, key="WebACL",
               missing=("WAFNonexistentItemException",)),
        Detail("GetLoggingConfiguration", "logging", {"ResourceArn": "ARN"}, key="LoggingConfiguration",
               missing=("WAFNonexistentItemException",)),
        Detail("ListTagsForResource", "tags", {"ResourceARN": "ARN"}, key="TagInfoForResource.TagList",
               missing=("WAFNonexistentItemException",)),
    ),
    props={
        "description": "acl.Description", "rules": "acl.Rules",
        "visibility_config": Field("acl.VisibilityConfig", struct({
            "sampled_requests_enabled": "SampledRequestsEnabled",
            "cloud_watch_metrics_enabled": "CloudWatchMetricsEnabled", "metric_name": "MetricName",
        })),
        "capacity": "acl.Capacity", "managed_by_firewall_manager": "acl.ManagedByFirewallManager",
        "label_namespace": "acl.LabelNamespace", "token_domains": "acl.TokenDomains",
        "association_inspection_limit": "acl.AssociationConfig.RequestBody.DefaultSizeInspectionLimit",
        "logging_configuration": Field("logging", struct({
            "log_destination_configs": "LogDestinationConfigs", "managed_by_firewall_manager": "ManagedByFirewallManager",
        })),
    },
)  # fmt: skip

aws_service("wafv2", WEB_ACL)
aws_service("cloudfront", DISTRIBUTION, global_=True)
