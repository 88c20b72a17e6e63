"""Kinds of Systems Manager: the account's own documents (Fix Inventory's kind, property and struct names;
tests/model/test_fix_names.py holds them). A document's content is kept as its JSON or YAML says it
(`content`), outside the typed model."""

from __future__ import annotations

from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsSsmDocumentParameter:
    name: str
    type: str
    description: str
    default_value: str


@struct
class AwsSsmAccountSharingInfo:
    account_id: str
    shared_document_version: str


@kind_class
class AwsSsmDocument(AwsResource):
    """An SSM document of one's own; `document_shared_with_accounts` holds `all` when anyone may run it."""

    kind: ClassVar[str] = "aws_ssm_document"
    untyped: ClassVar[tuple[str, ...]] = ("content",)  # kept as AWS wrote them
    sha1: str
    hash: str
    hash_type: str
    display_name: str
    version_name: str
    owner: str
    status: str
    status_information: str
    document_version: str
    description: str
    parameters: list[AwsSsmDocumentParameter]
    platform_types: list[str]
    document_type: str
    schema_version: str
    latest_version: str
    default_version: str
    document_format: str
    target_type: str
    author: str
    approved_version: str
    pending_review_version: str
    review_status: str
    category: list[str]
    category_enum: list[str]
    document_shared_with_accounts: list[str]
    document_sharing_info: list[AwsSsmAccountSharingInfo]
