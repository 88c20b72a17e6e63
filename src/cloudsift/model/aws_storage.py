"""Kinds of AWS's data stores beyond S3 and RDS instances: DynamoDB tables, EFS file systems (Fix
Inventory's kind and property names; tests/model/test_fix_names.py holds them)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import Database, Resource, kind_class


@struct
class AwsDynamodbSseDescription:
    """How a table is encrypted at rest: no description means AWS's own key."""

    status: str
    sse_type: str
    kms_master_key_arn: str
    inaccessible_encryption_date_time: dt.datetime


@struct
class AwsDynamodbBillingModeSummary:
    billing_mode: str
    last_update_to_pay_per_request_date_time: dt.datetime


@struct
class AwsDynamodbProvisionedThroughputDescription:
    last_increase_date_time: dt.datetime
    last_decrease_date_time: dt.datetime
    number_of_decreases_today: int
    read_capacity_units: int
    write_capacity_units: int


@struct
class AwsDynamoDbPointInTimeRecovery:
    status: str
    earliest_restorable_date_time: dt.datetime
    latest_restorable_date_time: dt.datetime


@struct
class AwsDynamoDbContinuousBackup:
    """Continuous backups; `point_in_time_recovery.status` ENABLED is what a backup check asks."""

    status: str
    point_in_time_recovery: AwsDynamoDbPointInTimeRecovery


@kind_class
class AwsDynamodbTable(Database, AwsResource):
    """A DynamoDB table (`db_type` dynamodb): encryption, billing, point-in-time recovery."""

    kind: ClassVar[str] = "aws_dynamodb_table"
    dynamodb_table_status: str
    dynamodb_table_size_bytes: int
    dynamodb_item_count: int
    dynamodb_provisioned_throughput: AwsDynamodbProvisionedThroughputDescription
    dynamodb_billing_mode_summary: AwsDynamodbBillingModeSummary
    dynamodb_latest_stream_arn: str
    dynamodb_global_table_version: str
    dynamodb_sse_description: AwsDynamodbSseDescription
    dynamodb_continuous_backup: AwsDynamoDbContinuousBackup


@kind_class
class NetworkShare(Resource):
    """A file system shared over the network."""

    kind: ClassVar[str] = "network_share"
    abstract: ClassVar[bool] = True
    share_size: int
    share_type: str
    share_status: str
    share_iops: int
    share_throughput: float
    share_encrypted: bool


@kind_class
class AwsEfsFileSystem(NetworkShare, AwsResource):
    """An EFS file system: `share_encrypted`, its KMS key, its policy as `file_system_policy`."""

    kind: ClassVar[str] = "aws_efs_file_system"
    untyped: ClassVar[tuple[str, ...]] = ("file_system_policy",)  # kept as AWS wrote them
    owner_id: str
    creation_token: str
    number_of_mount_targets: int
    performance_mode: str
    throughput_mode: str
    provisioned_throughput_in_mibps: float
    availability_zone_name: str
