"""Systems Manager: the account's own documents, each described, its content read and its sharing asked.

Managed instances (aws_ssm_instance, DescribeInstanceInformation) are not collected yet: moto does not
answer that call (HTTP 500), and a failing service fails its whole partition there."""

from __future__ import annotations

from typing import Any

import yaml

from cloudsift.collect.aws.convert import Field, each, json_document, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Listing, aws_service


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

aws_service("ssm", DOCUMENT)
