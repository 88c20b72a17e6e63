"""DynamoDB tables (with their continuous backups) and EFS file systems (with their policies)."""

from __future__ import annotations

import math
from typing import Any

from cloudsift.collect.aws.convert import Field, json_document, last_arn_part, struct, tag_list, to_float
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service

_SSE_ENCRYPTED = {"ENABLING": True, "ENABLED": True, "DISABLING": False, "DISABLED": False}


def sse_encrypted(status: Any) -> bool | None:
    """A table's SSEDescription.Status as whether it is encrypted with a key of its own (Fix's reading)."""
    return _SSE_ENCRYPTED.get(status) if isinstance(status, str) else None


def gibibytes(size: Any) -> int | None:
    """Bytes as whole GiB, rounded up."""
    return None if size is None else math.ceil(int(size) / 1024**3)


def mib_to_bytes(value: Any) -> float | None:
    """MiB/s as bytes/s."""
    return None if value is None else float(value) * 1024**2


def always_dynamodb(_: Any) -> str:
    """A table's database type: dynamodb, as Fix says."""
    return "dynamodb"


def table_id(table: Any) -> Any:
    """A table's TableId, as Fix names it (its name where the answer has none: moto)."""
    return (table.get("t") or {}).get("TableId") or table.get("item")


def name_or_id(file_system: Any) -> Any:
    """A file system's Name tag, else its id."""
    return file_system.get("Name") or file_system.get("FileSystemId")


TABLE = AwsKind(
    "aws_dynamodb_table",
    Listing("dynamodb", "ListTables", "TableNames"),
    id=Field("", table_id), name="item", arn="t.TableArn", ctime="t.CreationDateTime", node="dynamodb/",
    details=(
        Detail("DescribeTable", "t", {"TableName": "item"}, key="Table", missing=("ResourceNotFoundException",)),
        Detail("DescribeContinuousBackups", "backup", {"TableName": "item"}, key="ContinuousBackupsDescription",
               missing=("TableNotFoundException", "ResourceNotFoundException")),
    ),
    props={
        "db_type": Field("item", always_dynamodb), "db_status": "t.TableStatus",
        "volume_encrypted": Field("t.SSEDescription.Status", sse_encrypted),
        "volume_size": Field("t.TableSizeBytes", gibibytes),
        "dynamodb_table_status": "t.TableStatus", "dynamodb_table_size_bytes": "t.TableSizeBytes",
        "dynamodb_item_count": "t.ItemCount",
        "dynamodb_provisioned_throughput": Field("t.ProvisionedThroughput", struct({
            "last_increase_date_time": "LastIncreaseDateTime", "last_decrease_date_time": "LastDecreaseDateTime",
            "number_of_decreases_today": "NumberOfDecreasesToday", "read_capacity_units": "ReadCapacityUnits",
            "write_capacity_units": "WriteCapacityUnits",
        })),
        "dynamodb_billing_mode_summary": Field("t.BillingModeSummary", struct({
            "billing_mode": "BillingMode",
            "last_update_to_pay_per_request_date_time": "LastUpdateToPayPerRequestDateTime",
        })),
        "dynamodb_latest_stream_arn": "t.LatestStreamArn", "dynamodb_global_table_version": "t.GlobalTableVersion",
        "dynamodb_sse_description": Field("t.SSEDescription", struct({
            "status": "Status", "sse_type": "SSEType", "kms_master_key_arn": "KMSMasterKeyArn",
            "inaccessible_encryption_date_time": "InaccessibleEncryptionDateTime",
        })),
        "dynamodb_continuous_backup": Field("backup", struct({
            "status": "ContinuousBackupsStatus",
            "point_in_time_recovery": Field("PointInTimeRecoveryDescription", struct({
                "status": "PointInTimeRecoveryStatus", "earliest_restorable_date_time": "EarliestRestorableDateTime",
                "latest_restorable_date_time": "LatestRestorableDateTime",
            })),
        })),
    },
    edges=(Edge("aws_kms_key", "t.SSEDescription.KMSMasterKeyArn", last_arn_part),),
)  # fmt: skip

FILE_SYSTEM = AwsKind(
    "aws_efs_file_system",
    Listing("efs", "DescribeFileSystems", "FileSystems"),
    id="FileSystemId", name=Field("", name_or_id), arn="FileSystemArn",
    ctime="CreationTime", node="efs/", tags=Field("Tags", tag_list),
    details=(Detail("DescribeFileSystemPolicy", "policy", {"FileSystemId": "FileSystemId"}, key="Policy",
                    missing=("PolicyNotFound", "FileSystemNotFound")),),
    props={
        "share_status": "LifeCycleState", "share_size": Field("SizeInBytes.Value", gibibytes),
        "share_encrypted": "Encrypted", "share_throughput": Field("ProvisionedThroughputInMibps", mib_to_bytes),
        "owner_id": "OwnerId", "creation_token": "CreationToken", "number_of_mount_targets": "NumberOfMountTargets",
        "performance_mode": "PerformanceMode", "throughput_mode": "ThroughputMode",
        "provisioned_throughput_in_mibps": Field("ProvisionedThroughputInMibps", to_float),
        "availability_zone_name": "AvailabilityZoneName",
        "file_system_policy": Field("policy", json_document),
    },
    edges=(Edge("aws_kms_key", "KmsKeyId", last_arn_part),),
)  # fmt: skip

aws_service("dynamodb", TABLE)
aws_service("efs", FILE_SYSTEM)
