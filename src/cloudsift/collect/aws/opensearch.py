"""OpenSearch domains: listed by name, described five at a time, with their tags asked per domain."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, json_document, last_arn_part, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Batch, Detail, Edge, Listing, aws_service
from cloudsift.collect.aws.values import timestamp

DESCRIBE_DOMAINS_AT_ONCE = 5  # DescribeDomains takes at most 5 names per call


def policy_or_none(text: Any) -> Any:
    """A domain's access policy document; AWS's empty string for "none" as null."""
    return json_document(text) if text else None


DOMAIN = AwsKind(
    "aws_opensearch_domain",
    Listing("opensearch", "ListDomainNames", "DomainNames"),
    id="d.DomainId", name="DomainName", arn="d.ARN", tags=Field("tags", tag_list), node="opensearch/",
    details=(
        Detail("DescribeDomains", "d", {"DomainNames": "DomainName"}, key="DomainStatusList",
               batch=Batch("DomainNames", DESCRIBE_DOMAINS_AT_ONCE, match="DomainName")),
        Detail("ListTags", "tags", {"ARN": "d.ARN"}, key="TagList", missing=("ResourceNotFoundException",),
               when=lambda item: item["d"] is not None, after=True),
    ),
    props={
        "created": "d.Created", "deleted": "d.Deleted", "endpoint": "d.Endpoint", "endpoint_v2": "d.EndpointV2",
        "endpoints": "d.Endpoints", "processing": "d.Processing", "upgrade_processing": "d.UpgradeProcessing",
        "engine_version": "d.EngineVersion",
        "cluster_config": Field("d.ClusterConfig", struct({
            "instance_type": "InstanceType", "instance_count": "InstanceCount",
            "dedicated_master_enabled": "DedicatedMasterEnabled", "zone_awareness_enabled": "ZoneAwarenessEnabled",
            "zone_awareness_config": "ZoneAwarenessConfig.AvailabilityZoneCount",
            "dedicated_master_type": "DedicatedMasterType", "dedicated_master_count": "DedicatedMasterCount",
            "warm_enabled": "WarmEnabled", "warm_type": "WarmType", "warm_count": "WarmCount",
            "cold_storage_options": "ColdStorageOptions.Enabled",
            "multi_az_with_standby_enabled": "MultiAZWithStandbyEnabled"})),
        "ebs_options": Field("d.EBSOptions", struct({
            "ebs_enabled": "EBSEnabled", "volume_type": "VolumeType", "volume_size": "VolumeSize", "iops": "Iops",
            "throughput": "Throughput"})),
        "access_policies": Field("d.AccessPolicies", policy_or_none), "ip_address_type": "d.IPAddressType",
        "snapshot_options": "d.SnapshotOptions.AutomatedSnapshotStartHour",
        "vpc_options": Field("d.VPCOptions", struct({
            "vpc_id": "VPCId", "subnet_ids": "SubnetIds", "availability_zones": "AvailabilityZones",
            "security_group_ids": "SecurityGroupIds"})),
        "cognito_options": Field("d.CognitoOptions", struct({
            "enabled": "Enabled", "user_pool_id": "UserPoolId", "identity_pool_id": "IdentityPoolId",
            "role_arn": "RoleArn"})),
        "encryption_at_rest_options": Field("d.EncryptionAtRestOptions", struct({
            "enabled": "Enabled", "kms_key_id": "KmsKeyId"})),
        "node_to_node_encryption_options": "d.NodeToNodeEncryptionOptions.Enabled",
        "advanced_options": "d.AdvancedOptions", "log_publishing_options": "d.LogPublishingOptions",
        "domain_endpoint_options": Field("d.DomainEndpointOptions", struct({
            "enforce_https": "EnforceHTTPS", "tls_security_policy": "TLSSecurityPolicy",
            "custom_endpoint_enabled": "CustomEndpointEnabled", "custom_endpoint": "CustomEndpoint",
            "custom_endpoint_certificate_arn": "CustomEndpointCertificateArn"})),
        "advanced_security_options": Field("d.AdvancedSecurityOptions", struct({
            "enabled": "Enabled", "internal_user_database_enabled": "InternalUserDatabaseEnabled",
            "anonymous_auth_enabled": "AnonymousAuthEnabled"})),
        "auto_tune_options": Field("d.AutoTuneOptions", struct({
            "state": "State", "error_message": "ErrorMessage", "use_off_peak_window": "UseOffPeakWindow"})),
        "software_update_options": "d.SoftwareUpdateOptions.AutoSoftwareUpdateEnabled",
        "service_software_options": Field("d.ServiceSoftwareOptions", struct({
            "current_version": "CurrentVersion", "new_version": "NewVersion", "update_available": "UpdateAvailable",
            "cancellable": "Cancellable", "update_status": "UpdateStatus", "description": "Description",
            "automated_update_date": Field("AutomatedUpdateDate", timestamp),
            "optional_deployment": "OptionalDeployment"})),
    },
    parent=(Edge("aws_vpc", "d.VPCOptions.VPCId"),),
    edges=(Edge("aws_ec2_security_group", "d.VPCOptions.SecurityGroupIds", reverse=True),
           Edge("aws_ec2_subnet", "d.VPCOptions.SubnetIds", reverse=True),
           Edge("aws_kms_key", "d.EncryptionAtRestOptions.KmsKeyId", last_arn_part)),
)  # fmt: skip

aws_service("opensearch", DOMAIN)
