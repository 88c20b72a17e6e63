"""CloudTrail: each region's own trails, with their status, event selectors and insight selectors."""

from __future__ import annotations

from cloudsift.collect.aws.convert import (
    Field,
    Source,
    as_datetime,
    each,
    last_arn_part,
    log_group_name,
    struct,
    tag_list,
)
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service

# AWS sends "" for a time that has not come yet: as_datetime makes it null
TRAIL_STATUS: dict[str, Source] = {
    "is_logging": "IsLogging", "latest_delivery_error": "LatestDeliveryError",
    "latest_notification_error": "LatestNotificationError",
    "latest_delivery_time": Field("LatestDeliveryTime", as_datetime),
    "latest_notification_time": Field("LatestNotificationTime", as_datetime),
    "start_logging_time": Field("StartLoggingTime", as_datetime),
    "stop_logging_time": Field("StopLoggingTime", as_datetime),
    "latest_cloud_watch_logs_delivery_error": "LatestCloudWatchLogsDeliveryError",
    "latest_cloud_watch_logs_delivery_time": Field("LatestCloudWatchLogsDeliveryTime", as_datetime),
    "latest_digest_delivery_time": Field("LatestDigestDeliveryTime", as_datetime),
    "latest_digest_delivery_error": "LatestDigestDeliveryError",
    "latest_delivery_attempt_time": Field("LatestDeliveryAttemptTime", as_datetime),
    "latest_notification_attempt_time": Field("LatestNotificationAttemptTime", as_datetime),
    "latest_notification_attempt_succeeded": Field("LatestNotificationAttemptSucceeded", as_datetime),
    "latest_delivery_attempt_succeeded": Field("LatestDeliveryAttemptSucceeded", as_datetime),
    "time_logging_started": Field("TimeLoggingStarted", as_datetime),
    "time_logging_stopped": Field("TimeLoggingStopped", as_datetime),
}  # fmt: skip

EVENT_SELECTORS = {
    "event_selectors": Field("EventSelectors", each({
        "read_write_type": "ReadWriteType", "include_management_events": "IncludeManagementEvents",
        "data_resources": Field("DataResources", each({"type": "Type", "values": "Values"})),
        "exclude_management_event_sources": "ExcludeManagementEventSources",
    })),
    "advanced_event_selectors": Field("AdvancedEventSelectors", each({
        "name": "Name",
        "field_selectors": Field("FieldSelectors", each({
            "selector_field": "Field", "equals": "Equals", "starts_with": "StartsWith", "ends_with": "EndsWith",
            "not_equals": "NotEquals", "not_starts_with": "NotStartsWith", "not_ends_with": "NotEndsWith",
        })),
    })),
}  # fmt: skip


def _insight_types(answer: object) -> list[str] | None:
    """GetInsightSelectors' [{InsightType}] as the list of types."""
    if not isinstance(answer, list):
        return None
    return [s["InsightType"] for s in answer if isinstance(s, dict) and s.get("InsightType")]


TRAIL = AwsKind(
    "aws_cloud_trail",
    # without shadow trails: a multi-region trail is collected once, in its home region
    Listing("cloudtrail", "DescribeTrails", "trailList", {"includeShadowTrails": False}),
    id="Name", arn="TrailARN", node="trail/",
    ctime="status.StartLoggingTime", mtime="status.LatestDeliveryTime",
    tags=Field("tags", tag_list),
    details=(
        Detail("GetTrailStatus", "status", {"Name": "TrailARN"}, missing=("TrailNotFoundException",)),
        # asked of every trail: HasCustomEventSelectors is not always set where selectors exist (moto)
        Detail("GetEventSelectors", "selectors", {"TrailName": "TrailARN"}),
        Detail("GetInsightSelectors", "insights", {"TrailName": "TrailARN"}, key="InsightSelectors",
               missing=("InsightNotEnabledException",)),
        Detail("ListTags", "tags", {"ResourceIdList": lambda trail: [trail["TrailARN"]]}, key="ResourceTagList.0.TagsList",
               missing=("CloudTrailARNInvalidException", "AccessDeniedException")),
    ),
    props={
        "trail_s3_bucket_name": "S3BucketName", "trail_s3_key_prefix": "S3KeyPrefix",
        "trail_sns_topic_name": "SnsTopicName", "trail_sns_topic_arn": "SnsTopicARN",
        "trail_include_global_service_events": "IncludeGlobalServiceEvents",
        "trail_is_multi_region_trail": "IsMultiRegionTrail", "trail_home_region": "HomeRegion",
        "trail_log_file_validation_enabled": "LogFileValidationEnabled",
        "trail_cloud_watch_logs_log_group_arn": "CloudWatchLogsLogGroupArn",
        "trail_cloud_watch_logs_role_arn": "CloudWatchLogsRoleArn", "trail_kms_key_id": "KmsKeyId",
        "trail_has_custom_event_selectors": "HasCustomEventSelectors",
        "trail_has_insight_selectors": "HasInsightSelectors", "trail_is_organization_trail": "IsOrganizationTrail",
        "trail_status": Field("status", struct(TRAIL_STATUS)),
        "trail_event_selectors": Field("selectors", struct(EVENT_SELECTORS)),
        "trail_insight_selectors": Field("insights", _insight_types),
    },
    edges=(
        Edge("aws_s3_bucket", "S3BucketName"),
        Edge("aws_cloudwatch_log_group", "CloudWatchLogsLogGroupArn", log_group_name),
        Edge("aws_kms_key", "KmsKeyId", last_arn_part),
        Edge("aws_iam_role", "CloudWatchLogsRoleArn", last_arn_part),
    ),
    where=lambda scope, trail: trail.get("HomeRegion", scope.region.name) == scope.region.name,
)  # fmt: skip

aws_service("cloudtrail", TRAIL)
