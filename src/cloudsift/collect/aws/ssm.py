"""Systems Manager: the account's own documents, each described, its content read and its sharing asked;
the managed instances, each leading to its EC2 instance; the resources that fail a compliance type, each
leading to the resource.

moto does not implement DescribeInstanceInformation nor SSM Compliance (it answers HTTP 500): there the ssm
service fails, keeps its kinds' last good data, and the partition's other services are collected
(runner.py). The demo and the tests serve both (cloudsift.demo_ssm, cloudsift.demo_ssm_compliance)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from cloudsift.collect.aws.convert import Field, each, json_document, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service
from cloudsift.collect.aws.values import timestamp


def document_content(document: Any) -> Any:
    """GetDocument's Content as its format says (JSON or YAML), as text otherwise."""
    if not isinstance(document, dict) or document.get("Content") is None:
        return None
    text, form = document["Content"], document.get("DocumentFormat")
    return json_document(text) if form == "JSON" else yaml.safe_load(text) if form == "YAML" else text


DOCUMENT = AwsKind(
    "aws_ssm_document",
    Listing("ssm", "ListDocuments", "DocumentIdentifiers", {"Filters": [{"Key": "Owner", "Values": ["Self"]}]}),
    id="Name", ctime="doc.CreatedDate", node="ssm-document/", tags=Field("Tags", tag_list),
    arn_format="arn:aws:ssm:{region}:{account}:document/{id}",
    details=(
        Detail("DescribeDocument", "doc", {"Name": "Name"}, key="Document", missing=("InvalidDocument",)),
        Detail("GetDocument", "content", {"Name": "Name"}, missing=("InvalidDocument",)),
        Detail("DescribeDocumentPermission", "share", {"Name": "Name", "PermissionType": lambda _: "Share"},
               missing=("InvalidDocument",)),
    ),
    props={
        "sha1": "doc.Sha1", "hash": "doc.Hash", "hash_type": "doc.HashType", "display_name": "doc.DisplayName",
        "version_name": "doc.VersionName", "owner": "doc.Owner", "status": "doc.Status",
        "status_information": "doc.StatusInformation", "document_version": "doc.DocumentVersion",
        "description": "doc.Description",
        "parameters": Field("doc.Parameters", each({
            "name": "Name", "type": "Type", "description": "Description", "default_value": "DefaultValue",
        })),
        "platform_types": "doc.PlatformTypes", "document_type": "doc.DocumentType",
        "schema_version": "doc.SchemaVersion", "latest_version": "doc.LatestVersion",
        "default_version": "doc.DefaultVersion", "document_format": "doc.DocumentFormat",
        "target_type": "doc.TargetType", "author": "doc.Author", "approved_version": "doc.ApprovedVersion",
        "pending_review_version": "doc.PendingReviewVersion", "review_status": "doc.ReviewStatus",
        "category": "doc.Category", "category_enum": "doc.CategoryEnum",
        "content": Field("content", document_content),
        "document_shared_with_accounts": "share.AccountIds",
        "document_sharing_info": Field("share.AccountSharingInfoList", each({
            "account_id": "AccountId", "shared_document_version": "SharedDocumentVersion",
        })),
    },
)  # fmt: skip


def ec2_instance(item: Any) -> str | None:
    """The EC2 instance a managed node is (an on-premises server is none)."""
    return item.get("InstanceId") if item.get("ResourceType") == "EC2Instance" else None


def name_or_id(item: Any) -> Any:
    """A managed node's name; an EC2 instance's is often empty: its id then."""
    return item.get("Name") or item.get("InstanceId")


INSTANCE = AwsKind(
    "aws_ssm_instance",
    Listing("ssm", "DescribeInstanceInformation", "InstanceInformationList"),
    id="InstanceId", name=Field("", name_or_id), node="ssm-instance/",
    arn_format="arn:aws:ssm:{region}:{account}:instance/{id}",
    props={
        "instance_id": "InstanceId", "ping_status": "PingStatus", "last_ping": "LastPingDateTime",
        "agent_version": "AgentVersion", "is_latest_version": "IsLatestVersion", "platform_type": "PlatformType",
        "platform_name": "PlatformName", "platform_version": "PlatformVersion", "activation_id": "ActivationId",
        "iam_role": "IamRole", "registration_date": "RegistrationDate", "resource_type": "ResourceType",
        "ip_address": "IPAddress", "computer_name": "ComputerName", "association_status": "AssociationStatus",
        "last_association_execution_date": "LastAssociationExecutionDate",
        "last_successful_association_execution_date": "LastSuccessfulAssociationExecutionDate",
        "association_overview": Field("AssociationOverview", struct({
            "detailed_status": "DetailedStatus",
            "instance_association_status_aggregated_count": "InstanceAssociationStatusAggregatedCount",
        })),
        "source_id": "SourceId", "source_type": "SourceType",
    },
    edges=(Edge("aws_ec2_instance", "", ec2_instance),),
)  # fmt: skip

# A compliance summary's ResourceType -> the kind it is about (Fix's table; a DynamoDB table is left out:
# its node is named by its TableId, a summary names the table)
COMPLIANCE_RESOURCE_KINDS = {
    "ManagedInstance": "aws_ec2_instance", "AWS::EC2::Instance": "aws_ec2_instance",
    "Document": "aws_ssm_document", "AWS::S3::Bucket": "aws_s3_bucket",
}  # fmt: skip


def about(kind: str) -> Callable[[Any], Any]:
    """The resource id of a summary about a resource of `kind`."""

    def resource_id(item: Any) -> Any:
        return (
            item.get("ResourceId")
            if COMPLIANCE_RESOURCE_KINDS.get(item.get("ResourceType")) == kind
            else None
        )

    resource_id.__name__ = f"about({kind!r})"
    return resource_id


def compliance_id(item: Any) -> str:
    """Fix's id of a summary: one per compliance type, resource type and resource."""
    return f"{item.get('ComplianceType')}_{item.get('ResourceType')}_{item.get('ResourceId')}"


SEVERITY_SUMMARY = struct({
    "critical_count": "CriticalCount", "high_count": "HighCount", "medium_count": "MediumCount",
    "low_count": "LowCount", "informational_count": "InformationalCount", "unspecified_count": "UnspecifiedCount",
})  # fmt: skip

COMPLIANCE = AwsKind(
    "aws_ssm_resource_compliance",
    # as Fix lists them: only what fails, so that every summary is a finding
    Listing("ssm", "ListResourceComplianceSummaries", "ResourceComplianceSummaryItems",
            {"Filters": [{"Key": "Status", "Values": ["NON_COMPLIANT"], "Type": "EQUAL"}]}),
    id=Field("", compliance_id), node="ssm-compliance/",
    arn_format="arn:aws:ssm:{region}:{account}:resource-compliance/{id}",
    props={
        "compliance_type": "ComplianceType", "resource_type": "ResourceType", "resource_id": "ResourceId",
        "status": "Status", "overall_severity": "OverallSeverity",
        "execution_summary": Field("ExecutionSummary", struct({
            "execution_time": Field("ExecutionTime", timestamp), "execution_id": "ExecutionId",
            "execution_type": "ExecutionType",
        })),
        "compliant_summary": Field("CompliantSummary", struct({
            "compliant_count": "CompliantCount", "severity_summary": Field("SeveritySummary", SEVERITY_SUMMARY),
        })),
        "non_compliant_summary": Field("NonCompliantSummary", struct({
            "non_compliant_count": "NonCompliantCount",
            "severity_summary": Field("SeveritySummary", SEVERITY_SUMMARY),
        })),
    },
    edges=tuple(Edge(kind, "", about(kind)) for kind in dict.fromkeys(COMPLIANCE_RESOURCE_KINDS.values())),
)  # fmt: skip

aws_service("ssm", DOCUMENT, INSTANCE, COMPLIANCE)
