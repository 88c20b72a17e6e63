"""Kinds of Systems Manager: the account's own documents, its managed instances and the resources that fail
its compliance (Fix Inventory's kind, property and struct names; tests/model/test_fix_names.py holds them).
A document's content is kept as its JSON or YAML says it (`content`), outside the typed model, as is a
managed instance's `association_overview`."""

from __future__ import annotations

import datetime as dt
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


@kind_class
class AwsSsmInstance(AwsResource):
    """A node SSM manages (an EC2 instance or an on-premises server); it leads to its EC2 instance.
    `ping_status` other than Online: the agent is not reachable, so no patch or command gets there.
    `association_overview` (counts of association states) is kept outside the typed model."""

    kind: ClassVar[str] = "aws_ssm_instance"
    untyped: ClassVar[tuple[str, ...]] = ("association_overview",)  # its counts are a map of numbers
    instance_id: str
    ping_status: str
    last_ping: dt.datetime
    agent_version: str
    is_latest_version: bool
    platform_type: str
    platform_name: str
    platform_version: str
    activation_id: str
    iam_role: str
    registration_date: dt.datetime
    resource_type: str
    ip_address: str
    computer_name: str
    association_status: str
    last_association_execution_date: dt.datetime
    last_successful_association_execution_date: dt.datetime
    source_id: str
    source_type: str


@struct
class AwsSsmComplianceExecutionSummary:
    execution_time: dt.datetime
    execution_id: str
    execution_type: str


@struct
class AwsSsmSeveritySummary:
    critical_count: int
    high_count: int
    medium_count: int
    low_count: int
    informational_count: int
    unspecified_count: int


@struct
class AwsSsmCompliantSummary:
    compliant_count: int
    severity_summary: AwsSsmSeveritySummary


@struct
class AwsSsmNonCompliantSummary:
    non_compliant_count: int
    severity_summary: AwsSsmSeveritySummary


@kind_class
class AwsSsmResourceCompliance(AwsResource):
    """A resource that fails one compliance type of SSM (patches, an association, a custom one): listed, as
    Fix lists it, for NON_COMPLIANT only, and leading to the resource it is about (an EC2 instance, an S3
    bucket, an SSM document), so `is(aws_ssm_resource_compliance) --> is(aws_ec2_instance)` finds those."""

    kind: ClassVar[str] = "aws_ssm_resource_compliance"
    compliance_type: str
    resource_type: str
    resource_id: str
    status: str
    overall_severity: str
    execution_summary: AwsSsmComplianceExecutionSummary
    compliant_summary: AwsSsmCompliantSummary
    non_compliant_summary: AwsSsmNonCompliantSummary
