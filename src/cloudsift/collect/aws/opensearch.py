"""OpenSearch domains: listed by name, described five at a time, with their tags asked per domain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudsift.collect.aws.convert import Field, json_document, last_arn_part, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, Scope, aws_service

DESCRIBE_DOMAINS_AT_ONCE = 5  # DescribeDomains takes at most 5 names per call


def domains(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    names = [d["DomainName"] for d in client.list_domain_names().get("DomainNames") or []]
    for start in range(0, len(names), DESCRIBE_DOMAINS_AT_ONCE):
        yield from client.describe_domains(DomainNames=names[start : start + DESCRIBE_DOMAINS_AT_ONCE])[
            "DomainStatusList"
        ]


def policy_or_none(text: Any) -> Any:
    """A domain's access policy document; AWS's empty string for "none" as null."""
    return json_document(text) if text else None


DOMAIN = AwsKind(
    "aws_opensearch_domain",
    Listing("opensearch", "ListDomainNames", "DomainNames", read=domains, also=("DescribeDomains",)),
    id="DomainId", name="DomainName", arn="ARN", tags=Field("tags", tag_list), node="opensearch/",
    details=(Detail("ListTags", "tags", {"ARN": "ARN"}, key="TagList", missing=("ResourceNotFoundException",)),),
    props={
        "created": "Created", "deleted": "Deleted", "endpoint": "Endpoint", "endpoint_v2": "EndpointV2",
        "endpoints": "Endpoints", "processing": "Processing", "upgrade_processing": "UpgradeProcessing",
        "engine_version": "EngineVersion",
        "cluster_config": Field("ClusterConfig", struct({
            "instance_type": "InstanceType", "instance_count": "InstanceCount",
            "dedicated_master_enabled": "DedicatedMasterEnabled", "zone_awareness_enabled": "ZoneAwarenessEnabled",
            "zone_awareness_config": "ZoneAwarenessConfig.AvailabilityZoneCount",
            "dedicated_master_type": "DedicatedMasterType", "dedicated_master_count": "DedicatedMasterCount",
            "warm_enabled": "WarmEnabled", "warm_type": "WarmType", "warm_count": "WarmCount",
            "cold_storage_options": "ColdStorageOptions.Enabled",
            "multi_az_with_standby_enabled": "MultiAZWithStandbyEnabled"})),
        "ebs_options": Field("EBSOptions", struct({
            "ebs_enabled": "EBSEnabled", "volume_type": "VolumeType", "volume_size": "VolumeSize", "iops": "Iops",
            "throughput": "Throughput"})),
        "access_policies": Field("AccessPolicies", policy_or_none), "ip_address_type": "IPAddressType",
        "snapshot_options": "SnapshotOptions.AutomatedSnapshotStartHour",
        "vpc_options": Field("VPCOptions", struct({
            "vpc_id": "VPCId", "subnet_ids": "SubnetIds", "availability_zones": "AvailabilityZones",
            "security_group_ids": "SecurityGroupIds"})),
        "cognito_options": Field("CognitoOptions", struct({
            "enabled": "Enabled", "user_pool_id": "UserPoolId", "identity_pool_id": "IdentityPoolId",
            "role_arn": "RoleArn"})),
        "encryption_at_rest_options": Field("EncryptionAtRestOptions", struct({
            "enabled": "Enabled", "kms_key_id": "KmsKeyId"})),
        "node_to_node_encryption_options": "NodeToNodeEncryptionOptions.Enabled",
        "advanced_options": "AdvancedOptions", "log_publishing_options": "LogPublishingOptions",
        "domain_endpoint_options": Field("DomainEndpointOptions", struct({
            "enforce_https": "EnforceHTTPS", "tls_security_policy": "TLSSecurityPolicy",
            "custom_endpoint_enabled": "CustomEndpointEnabled", "custom_endpoint": "CustomEndpoint",
            "custom_endpoint_certificate_arn": "CustomEndpointCertificateArn"})),
        "advanced_security_options": Field("AdvancedSecurityOptions", struct({
            "enabled": "Enabled", "internal_user_database_enabled": "InternalUserDatabaseEnabled",
            "anonymous_auth_enabled": "AnonymousAuthEnabled"})),
        "auto_tune_options": Field("AutoTuneOptions", struct({
            "state": "State", "error_message": "ErrorMessage", "use_off_peak_window": "UseOffPeakWindow"})),
        "software_update_options": "SoftwareUpdateOptions.AutoSoftwareUpdateEnabled",
    },
    parent=(Edge("aws_vpc", "VPCOptions.VPCId"),),
    edges=(Edge("aws_ec2_security_group", "VPCOptions.SecurityGroupIds", reverse=True),
           Edge("aws_ec2_subnet", "VPCOptions.SubnetIds", reverse=True),
           Edge("aws_kms_key", "EncryptionAtRestOptions.KmsKeyId", last_arn_part)),
)  # fmt: skip

aws_service("opensearch", DOMAIN)
