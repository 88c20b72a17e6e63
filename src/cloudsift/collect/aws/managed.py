"""Managed services of one region: Lambda functions, KMS keys, ELB/ALB, EKS."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import (
    Field,
    Source,
    constant,
    each,
    ids_at,
    json_document,
    struct,
    tag_map,
)
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service
from cloudsift.collect.aws.values import timestamp


def description_or_id(key: dict[str, Any]) -> Any:
    """A key's name: its description, else its id."""
    return (key.get("meta") or {}).get("Description") or key.get("KeyId")


def rotates(key: dict[str, Any]) -> bool:
    """Only a customer's symmetric key has a rotation status to ask for."""
    meta = key.get("meta") or {}
    return bool(
        meta.get("KeyManager") == "CUSTOMER"
        and meta.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
    )


def dns_name_or_name(lb: dict[str, Any]) -> Any:
    """Fix's id of a classic load balancer is its DNS name."""
    return lb.get("DNSName") or lb.get("LoadBalancerName")


def listed(value: Any) -> list[Any]:
    """A list AWS may leave out, as an empty one."""
    return list(value or [])


FUNCTION = AwsKind(
    "aws_lambda_function",
    Listing("lambda", "ListFunctions", "Functions"),
    id="FunctionName", arn="FunctionArn", mtime=Field("LastModified", timestamp), node="lambda/",
    details=(
        Detail("GetPolicy", "policy", {"FunctionName": "FunctionName"}, key="Policy",
               missing=("ResourceNotFoundException",)),
        Detail("GetFunctionUrlConfig", "url", {"FunctionName": "FunctionName"},
               missing=("ResourceNotFoundException",)),
    ),
    props={
        "function_runtime": "Runtime", "function_handler": "Handler", "function_memory_size": "MemorySize",
        "function_timeout": "Timeout", "function_role": "Role",
        "function_environment": Field("Environment", struct({
            "variables": "Variables", "error": Field("Error", struct({"error_code": "ErrorCode", "message": "Message"})),
        })),
        "function_policy": Field("policy", json_document),
        "function_url_config": Field("url", struct({
            "function_url": "FunctionUrl", "function_arn": "FunctionArn", "auth_type": "AuthType",
            "cors": Field("Cors", struct({
                "allow_credentials": "AllowCredentials", "allow_headers": "AllowHeaders",
                "allow_methods": "AllowMethods", "allow_origins": "AllowOrigins", "expose_headers": "ExposeHeaders",
                "max_age": "MaxAge",
            })),
            "creation_time": "CreationTime", "last_modified_time": "LastModifiedTime",
        })),
    },
)  # fmt: skip

KEY = AwsKind(
    "aws_kms_key",
    Listing("kms", "ListKeys", "Keys"),
    id="KeyId", name=Field("", description_or_id), arn="meta.Arn", ctime="meta.CreationDate", node="kms/",
    details=(
        Detail("DescribeKey", "meta", {"KeyId": "KeyId"}, key="KeyMetadata"),
        Detail("GetKeyRotationStatus", "rotation", {"KeyId": "KeyId"}, when=rotates, after=True,
               missing=("AccessDeniedException",)),
        Detail("GetKeyPolicy", "policy", {"KeyId": "KeyId", "PolicyName": constant("default")}, key="Policy",
               missing=("AccessDeniedException",)),
    ),
    props={
        "kms_key_manager": "meta.KeyManager", "access_key_status": "meta.KeyState", "kms_enabled": "meta.Enabled",
        "kms_description": "meta.Description", "kms_key_usage": "meta.KeyUsage", "kms_key_spec": "meta.KeySpec",
        "kms_key_rotation_enabled": "rotation.KeyRotationEnabled",
        "kms_key_policy": Field("policy", json_document),
    },
)  # fmt: skip

CLASSIC = AwsKind(
    "aws_elb",
    Listing("elb", "DescribeLoadBalancers", "LoadBalancerDescriptions"),
    id=Field("", dns_name_or_name), name="LoadBalancerName", key="LoadBalancerName", node="elb/",
    arn_format="arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{item[LoadBalancerName]}",
    ctime="CreatedTime",
    details=(
        Detail("DescribeLoadBalancerAttributes", "attributes", {"LoadBalancerName": "LoadBalancerName"},
               key="LoadBalancerAttributes", missing=("LoadBalancerNotFound",)),
    ),
    props={
        "lb_type": Field("", constant("elb")), "scheme": "Scheme", "backends": Field("Instances", ids_at("InstanceId")),
        "elb_listener_descriptions": Field("ListenerDescriptions", each({
            "listener": Field("Listener", struct({
                "protocol": "Protocol", "load_balancer_port": "LoadBalancerPort",
                "instance_protocol": "InstanceProtocol", "instance_port": "InstancePort",
                "ssl_certificate_id": "SSLCertificateId",
            })),
            "policy_names": "PolicyNames",
        })),
        "elb_attributes": Field("attributes", struct({
            "cross_zone_load_balancing": "CrossZoneLoadBalancing.Enabled",
            "access_log": Field("AccessLog", struct({
                "enabled": "Enabled", "s3_bucket_name": "S3BucketName", "emit_interval": "EmitInterval",
                "s3_bucket_prefix": "S3BucketPrefix",
            })),
            "connection_draining": Field("ConnectionDraining", struct({"enabled": "Enabled", "timeout": "Timeout"})),
            "connection_settings": "ConnectionSettings.IdleTimeout",
            "additional_attributes": Field("AdditionalAttributes", each({"key": "Key", "value": "Value"})),
        })),
    },
    parent=(Edge("aws_vpc", "VPCId"),),
    edges=(Edge("aws_ec2_instance", "Instances", ids_at("InstanceId")),),
)  # fmt: skip

SIGN_IN: dict[str, Source] = {
    "session_cookie_name": "SessionCookieName", "scope": "Scope", "session_timeout": "SessionTimeout",
    "authentication_request_extra_params": "AuthenticationRequestExtraParams",
    "on_unauthenticated_request": "OnUnauthenticatedRequest",
}  # fmt: skip
LISTENER_ACTION: dict[str, Source] = {
    "type": "Type", "target_group_arn": "TargetGroupArn", "order": "Order",
    "authenticate_oidc_config": Field("AuthenticateOidcConfig", struct({
        "issuer": "Issuer", "authorization_endpoint": "AuthorizationEndpoint", "token_endpoint": "TokenEndpoint",
        "user_info_endpoint": "UserInfoEndpoint", "client_id": "ClientId",
        # no client_secret: the OAuth secret DescribeListeners may hand over never enters the store
        "use_existing_client_secret": "UseExistingClientSecret", **SIGN_IN,
    })),
    "authenticate_cognito_config": Field("AuthenticateCognitoConfig", struct({
        "user_pool_arn": "UserPoolArn", "user_pool_client_id": "UserPoolClientId",
        "user_pool_domain": "UserPoolDomain", **SIGN_IN,
    })),
    "redirect_config": Field("RedirectConfig", struct({
        "protocol": "Protocol", "port": "Port", "host": "Host", "path": "Path", "query": "Query",
        "status_code": "StatusCode",
    })),
    "fixed_response_config": Field("FixedResponseConfig", struct({
        "message_body": "MessageBody", "status_code": "StatusCode", "content_type": "ContentType",
    })),
    "forward_config": Field("ForwardConfig", struct({
        "target_groups": Field("TargetGroups", each({"target_group_arn": "TargetGroupArn", "weight": "Weight"})),
        "target_group_stickiness_config": Field("TargetGroupStickinessConfig", struct({
            "enabled": "Enabled", "duration_seconds": "DurationSeconds",
        })),
    })),
}  # fmt: skip

MODERN = AwsKind(
    "aws_alb",
    Listing("elbv2", "DescribeLoadBalancers", "LoadBalancers"),
    id="LoadBalancerName", arn="LoadBalancerArn", ctime="CreatedTime", node="alb/",
    details=(
        Detail("DescribeListeners", "listeners", {"LoadBalancerArn": "LoadBalancerArn"}, key="Listeners",
               missing=("LoadBalancerNotFound",), paged=True),
    ),
    props={
        "lb_type": Field("", constant("alb")), "alb_type": "Type", "alb_dns_name": "DNSName",
        "alb_scheme": "Scheme", "alb_ip_address_type": "IpAddressType",
        "alb_security_groups": Field("SecurityGroups", listed),
        "alb_listener": Field("listeners", each({
            "listener_arn": "ListenerArn", "load_balancer_arn": "LoadBalancerArn", "port": "Port",
            "protocol": "Protocol", "ssl_policy": "SslPolicy", "alpn_policy": "AlpnPolicy",
            "certificates": Field("Certificates", each({"certificate_arn": "CertificateArn", "is_default": "IsDefault"})),
            "default_actions": Field("DefaultActions", each(LISTENER_ACTION)),
        })),
    },
    parent=(Edge("aws_vpc", "VpcId"),),
)  # fmt: skip

CLUSTER = AwsKind(
    "aws_eks_cluster",
    Listing("eks", "ListClusters", "clusters"),
    id="item", arn="c.arn", tags=Field("c.tags", tag_map), ctime="c.createdAt", node="eks/",
    details=(Detail("DescribeCluster", "c", {"name": "item"}, key="cluster"),),
    props={
        "cluster_status": "c.status", "version": "c.version", "endpoint": "c.endpoint",
        "cluster_role_arn": "c.roleArn",
        "cluster_resources_vpc_config": Field("c.resourcesVpcConfig", struct({
            "subnet_ids": "subnetIds", "security_group_ids": "securityGroupIds",
            "cluster_security_group_id": "clusterSecurityGroupId", "vpc_id": "vpcId",
            "endpoint_public_access": "endpointPublicAccess", "endpoint_private_access": "endpointPrivateAccess",
            "public_access_cidrs": "publicAccessCidrs",
        })),
        "cluster_logging": Field("c.logging", struct({
            "cluster_logging": Field("clusterLogging", each({"types": "types", "enabled": "enabled"})),
        })),
        "cluster_encryption_config": Field("c.encryptionConfig", each({
            "resources": "resources", "provider": "provider.keyArn",
        })),
    },
    parent=(Edge("aws_vpc", "c.resourcesVpcConfig.vpcId"),),
)  # fmt: skip

aws_service("lambda", FUNCTION)
aws_service("kms", KEY)
aws_service("elb", CLASSIC, MODERN)
aws_service("eks", CLUSTER)
