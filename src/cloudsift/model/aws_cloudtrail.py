"""CloudTrail: trails with their status and event selectors (Fix Inventory's names)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsCloudTrailStatus:
    """GetTrailStatus: whether the trail logs, and its last deliveries and errors."""

    is_logging: bool
    latest_delivery_error: str
    latest_notification_error: str
    latest_delivery_time: dt.datetime
    latest_notification_time: dt.datetime
    start_logging_time: dt.datetime
    stop_logging_time: dt.datetime
    latest_cloud_watch_logs_delivery_error: str
    latest_cloud_watch_logs_delivery_time: dt.datetime
    latest_digest_delivery_time: dt.datetime
    latest_digest_delivery_error: str
    latest_delivery_attempt_time: dt.datetime
    latest_notification_attempt_time: dt.datetime
    latest_notification_attempt_succeeded: dt.datetime
    latest_delivery_attempt_succeeded: dt.datetime
    time_logging_started: dt.datetime
    time_logging_stopped: dt.datetime


@struct
class AwsCloudTrailDataResource:
    type: str
    values: list[str]


@struct
class AwsCloudTrailEventSelector:
    read_write_type: str
    include_management_events: bool
    data_resources: list[AwsCloudTrailDataResource]
    exclude_management_event_sources: list[str]


@struct
class AwsCloudTrailAdvancedFieldSelector:
    selector_field: str
    equals: list[str]
    starts_with: list[str]
    ends_with: list[str]
    not_equals: list[str]
    not_starts_with: list[str]
    not_ends_with: list[str]


@struct
class AwsCloudTrailAdvancedEventSelector:
    name: str
    field_selectors: list[AwsCloudTrailAdvancedFieldSelector]


@struct
class AwsCloudTrailEventSelectors:
    event_selectors: list[AwsCloudTrailEventSelector]
    advanced_event_selectors: list[AwsCloudTrailAdvancedEventSelector]


@kind_class
class AwsCloudTrail(AwsResource):
    """A CloudTrail trail; it leads to its S3 bucket, log group, KMS key and the role that writes its logs."""

    kind: ClassVar[str] = "aws_cloud_trail"
    trail_s3_bucket_name: str
    trail_s3_key_prefix: str
    trail_sns_topic_name: str
    trail_sns_topic_arn: str
    trail_include_global_service_events: bool
    trail_is_multi_region_trail: bool
    trail_home_region: str
    trail_log_file_validation_enabled: bool
    trail_cloud_watch_logs_log_group_arn: str
    trail_cloud_watch_logs_role_arn: str
    trail_kms_key_id: str
    trail_has_custom_event_selectors: bool
    trail_has_insight_selectors: bool
    trail_is_organization_trail: bool
    trail_status: AwsCloudTrailStatus
    trail_event_selectors: AwsCloudTrailEventSelectors
    trail_insight_selectors: list[str]
