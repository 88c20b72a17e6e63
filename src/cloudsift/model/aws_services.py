"""Kinds of AWS's managed services a security baseline looks at: SNS, SQS, Secrets Manager, ACM, ECR,
Glacier, Route 53 (Fix Inventory's kind and property names; tests/model/test_fix_names.py holds them).

A resource policy (`topic_policy`, `sqs_policy`, `policy`, `repository_policy`, `glacier_access_policy`) is
kept as its JSON document, outside the typed model, as Fix keeps it: checks read `x.Statement[*]`.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import Resource, kind_class


@kind_class
class AwsSnsTopic(AwsResource):
    """An SNS topic; `id` is its ARN. `topic_kms_master_key_id` null: not encrypted at rest."""

    kind: ClassVar[str] = "aws_sns_topic"
    untyped: ClassVar[tuple[str, ...]] = ("topic_policy",)  # kept as AWS wrote them
    topic_subscriptions_confirmed: int
    topic_subscriptions_deleted: int
    topic_subscriptions_pending: int
    topic_owner: str
    topic_kms_master_key_id: str
    topic_fifo_topic: bool
    topic_content_based_deduplication: bool


@kind_class
class Queue(Resource):
    """A message queue."""

    kind: ClassVar[str] = "queue"
    abstract: ClassVar[bool] = True


@struct
class AwsSqsRedrivePolicy:
    dead_letter_target_arn: str
    max_receive_count: int


@kind_class
class AwsSqsQueue(Queue, AwsResource):
    """An SQS queue: encrypted with a KMS key (`sqs_kms_master_key_id`) or SQS's own (`sqs_managed_sse_enabled`)."""

    kind: ClassVar[str] = "aws_sqs_queue"
    untyped: ClassVar[tuple[str, ...]] = ("sqs_policy",)  # kept as AWS wrote them
    sqs_queue_url: str
    sqs_approximate_number_of_messages: int
    sqs_redrive_policy: AwsSqsRedrivePolicy
    sqs_fifo_queue: bool
    sqs_kms_master_key_id: str
    sqs_kms_data_key_reuse_period_seconds: int
    sqs_visibility_timeout: int
    sqs_maximum_message_size: int
    sqs_message_retention_period: int
    sqs_delay_seconds: int
    sqs_receive_message_wait_time_seconds: int
    sqs_managed_sse_enabled: bool


@struct
class AwsSecretsmanagerRotationRulesType:
    automatically_after_days: int
    duration: str
    schedule_expression: str


@kind_class
class AwsSecretsmanagerSecret(AwsResource):
    """A Secrets Manager secret (never its value): rotation, its schedule and last use."""

    kind: ClassVar[str] = "aws_secretsmanager_secret"
    untyped: ClassVar[tuple[str, ...]] = ("policy",)  # kept as AWS wrote them
    description: str
    rotation_enabled: bool
    rotation_lambda_arn: str
    rotation_rules: AwsSecretsmanagerRotationRulesType
    last_rotated_date: dt.datetime
    last_changed_date: dt.datetime
    last_accessed_date: dt.datetime
    deleted_date: dt.datetime
    next_rotation_date: dt.datetime
    owning_service: str
    created_date: dt.datetime
    primary_region: str


@kind_class
class Certificate(Resource):
    """A TLS certificate; `expires` is when it stops being valid."""

    kind: ClassVar[str] = "certificate"
    abstract: ClassVar[bool] = True
    expires: dt.datetime


@kind_class
class AwsAcmCertificate(Certificate, AwsResource):
    """An ACM certificate (issued or imported)."""

    kind: ClassVar[str] = "aws_acm_certificate"
    subject_alternative_names: list[str]
    serial: str
    subject: str
    issuer: str
    issued_at: dt.datetime
    imported_at: dt.datetime
    status: str
    revoked_at: dt.datetime
    revocation_reason: str
    not_before: dt.datetime
    not_after: dt.datetime
    key_algorithm: str
    signature_algorithm: str
    in_use_by: list[str]
    failure_reason: str
    type: str
    key_usages: list[str]
    certificate_authority_arn: str
    renewal_eligibility: str
    certificate_transparency_logging: str


@struct
class AwsEcrEncryptionConfiguration:
    encryption_type: str
    kms_key: str


@kind_class
class AwsEcrRepository(AwsResource):
    """An ECR repository: scanning on push, tag mutability, encryption; its policy as `repository_policy`."""

    kind: ClassVar[str] = "aws_ecr_repository"
    untyped: ClassVar[tuple[str, ...]] = ("repository_policy", "lifecycle_policy")  # kept as AWS wrote them
    repository_arn: str
    registry_id: str
    repository_uri: str
    image_tag_mutability: str
    image_scan_on_push: bool
    encryption_configuration: AwsEcrEncryptionConfiguration
    repository_visibility: str
    prop_docs: ClassVar[dict[str, str]] = {
        "repository_visibility": "private: ECR Public's repositories (us-east-1 only, and not in moto) are not "
        "collected yet, so no repository is public here",
    }


@kind_class
class AwsGlacierVault(AwsResource):
    """A Glacier vault; its access policy as `glacier_access_policy`."""

    kind: ClassVar[str] = "aws_glacier_vault"
    untyped: ClassVar[tuple[str, ...]] = ("glacier_access_policy",)  # kept as AWS wrote them
    glacier_last_inventory_date: str
    glacier_number_of_archives: int
    glacier_size_in_bytes: int


@kind_class
class DnsZone(Resource):
    """A DNS zone."""

    kind: ClassVar[str] = "dns_zone"
    abstract: ClassVar[bool] = True
    private_zone: bool


@struct
class AwsRoute53ZoneConfig:
    comment: str
    private_zone: bool


@struct
class AwsRoute53LoggingConfig:
    cloud_watch_logs_log_group_arn: str


@kind_class
class AwsRoute53Zone(DnsZone, AwsResource):
    """A Route 53 hosted zone; `zone_logging_config` says where its DNS queries are logged (null: nowhere)."""

    kind: ClassVar[str] = "aws_route53_zone"
    zone_resource_record_set_count: int
    zone_caller_reference: str
    zone_config: AwsRoute53ZoneConfig
    zone_logging_config: AwsRoute53LoggingConfig
