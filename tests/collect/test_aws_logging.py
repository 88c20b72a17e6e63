"""CloudTrail and CloudWatch against moto: a trail that logs to a log group whose metric filter feeds an alarm."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.model import MODEL
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)

REGION = "eu-west-1"
ACCOUNT = "123456789012"

# Fix Inventory's property names that its checks read (fixcompliance checks/aws_cloudtrail.json and
# aws_cloudwatch.json): a fact list, so a rename cannot slip in unnoticed.
FIX_NAMES = {
    "aws_cloud_trail": {
        "trail_status", "trail_is_multi_region_trail", "trail_log_file_validation_enabled", "trail_kms_key_id",
        "trail_has_custom_event_selectors", "trail_event_selectors", "trail_s3_bucket_name",
        "trail_cloud_watch_logs_log_group_arn", "trail_insight_selectors",
    },
    "aws_cloudwatch_log_group": {"group_retention_in_days", "group_metric_filter_count", "group_stored_bytes"},
    "aws_cloudwatch_metric_filter": {"filter_pattern", "log_group_name", "filter_transformations"},
    "aws_cloudwatch_alarm": {"cloudwatch_metric_name", "cloudwatch_namespace", "cloudwatch_alarm_actions",
                             "cloudwatch_actions_enabled", "cloudwatch_dimensions"},
}  # fmt: skip
FIX_STRUCT_FIELDS = {
    "trail_status": {"is_logging", "latest_delivery_attempt_succeeded", "start_logging_time"},
    "trail_event_selectors": {"event_selectors", "advanced_event_selectors"},
}
ROOT_USAGE = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'


def test_fix_names_are_the_model_names() -> None:
    for kind, names in FIX_NAMES.items():
        assert names <= {p.name for p in MODEL.props_of(kind)}, kind
    trail = {p.name: p.type for p in MODEL.props_of("aws_cloud_trail")}
    for prop, fields in FIX_STRUCT_FIELDS.items():
        assert fields <= {f.name for f in trail[prop].fields}, prop  # type: ignore[union-attr]


def _make_logging_estate() -> dict[str, Any]:
    logs = boto3.client("logs", region_name=REGION)
    logs.create_log_group(logGroupName="trail-events", tags={"team": "sec"})
    logs.put_retention_policy(logGroupName="trail-events", retentionInDays=400)
    logs.create_log_group(logGroupName="app-events")  # kept forever, no filters
    logs.put_metric_filter(logGroupName="trail-events", filterName="root-usage", filterPattern=ROOT_USAGE,
                           metricTransformations=[{"metricName": "RootUsage", "metricNamespace": "CIS",
                                                   "metricValue": "1"}])  # fmt: skip
    group_arn = next(
        g["arn"] for g in logs.describe_log_groups()["logGroups"] if g["logGroupName"] == "trail-events"
    )
    boto3.client("cloudwatch", region_name=REGION).put_metric_alarm(
        AlarmName="root-usage", MetricName="RootUsage", Namespace="CIS", Statistic="Sum", Period=300,
        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts"])  # fmt: skip
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="audit-logs")
    s3.put_bucket_policy(Bucket="audit-logs", Policy=json.dumps({"Version": "2012-10-17", "Statement": []}))
    trail = boto3.client("cloudtrail", region_name=REGION)
    trail.create_trail(Name="audit", S3BucketName="audit-logs", IsMultiRegionTrail=True,
                       EnableLogFileValidation=True, CloudWatchLogsLogGroupArn=group_arn,
                       CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/trail-writer",
                       TagsList=[{"Key": "owner", "Value": "security"}])  # fmt: skip
    trail.start_logging(Name="audit")
    trail.put_event_selectors(TrailName="audit", EventSelectors=[{
        "ReadWriteType": "All", "IncludeManagementEvents": True,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}])  # fmt: skip
    trail.create_trail(Name="quiet", S3BucketName="audit-logs")  # not logging, no validation
    return {"group_arn": group_arn}


def _collect(tmp_path: Path) -> tuple[DuckDBStore, Any]:
    store = DuckDBStore()
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    return store, summary


def _one(store: DuckDBStore, query: str) -> dict[str, Any]:
    found = list(store.search(store.bind(query)))
    assert len(found) == 1, (query, [f["id"] for f in found])
    return dict(found[0]["reported"])


def _names(store: DuckDBStore, query: str) -> set[str]:
    return {d["reported"]["name"] for d in store.search(store.bind(query))}


def test_trail_log_group_metric_filter_and_alarm(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    made = _make_logging_estate()
    store, summary = _collect(tmp_path)
    assert summary.ok, list(summary.lines())
    audit = _one(store, "is(aws_cloud_trail) and name == audit")
    assert audit["trail_status"]["is_logging"] is True
    assert audit["trail_log_file_validation_enabled"] is True
    assert audit["trail_is_multi_region_trail"] is True
    assert audit["trail_cloud_watch_logs_log_group_arn"] == made["group_arn"]
    assert audit["tags"] == {"owner": "security"}
    selector = audit["trail_event_selectors"]["event_selectors"][0]
    assert (selector["read_write_type"], selector["data_resources"][0]["type"]) == ("All", "AWS::S3::Object")
    quiet = _one(store, "is(aws_cloud_trail) and name == quiet")
    assert (quiet["trail_status"]["is_logging"], quiet["trail_log_file_validation_enabled"]) == (False, False)
    # the checks Fix ships, as Fix writes them
    assert _names(store, "is(aws_cloud_trail) and trail_status.is_logging==false") == {"quiet"}
    assert _names(store, "is(aws_cloudwatch_log_group) and group_retention_in_days<365") == set()
    assert (
        _one(store, "is(aws_cloudwatch_log_group) and name == trail-events")["group_retention_in_days"] == 400
    )
    assert (
        _one(store, "is(aws_cloudwatch_log_group) and name == app-events").get("group_retention_in_days")
        is None
    )
    # edges: trail -> log group -> metric filter -> alarm; trail -> its (global) bucket
    assert _names(store, "is(aws_cloud_trail) and name == audit --> is(aws_cloudwatch_log_group)") == {
        "trail-events"
    }
    assert _names(store, "is(aws_cloudwatch_log_group) --> is(aws_cloudwatch_metric_filter)") == {
        "root-usage"
    }
    assert _names(store, "is(aws_cloudwatch_metric_filter) --> is(aws_cloudwatch_alarm)") == {"root-usage"}
    assert _names(store, "is(aws_cloud_trail) --> is(aws_s3_bucket)") == {"audit-logs"}
    root_usage = (
        "is(aws_cloud_trail) and trail_is_multi_region_trail=true and trail_status.is_logging=true with(any, "
        "--> is(aws_cloudwatch_log_group) with(any, --> is(aws_cloudwatch_metric_filter) and "
        'filter_pattern~"userIdentity.type" with(any, --> is(aws_cloudwatch_alarm))))'
    )
    assert _names(store, root_usage) == {"audit"}
    alarm = _one(store, "is(aws_cloudwatch_alarm)")
    assert alarm["cloudwatch_alarm_actions"] == [f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts"]
    assert (alarm["cloudwatch_namespace"], alarm["cloudwatch_metric_name"]) == ("CIS", "RootUsage")
    flt = _one(store, "is(aws_cloudwatch_metric_filter)")
    assert flt["filter_transformations"][0]["metric_name"] == "RootUsage"
    assert flt["arn"].startswith(f"arn:aws:logs:{REGION}:{ACCOUNT}:")


def test_a_refused_service_fails_only_itself_in_its_partition(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    _make_logging_estate()
    store, first = _collect(tmp_path)
    assert first.ok
    boto3.client("logs", region_name=REGION).delete_log_group(logGroupName="app-events")
    boto3.client("cloudtrail", region_name=REGION).delete_trail(Name="quiet")
    aws.failing_services.add("logs")  # AccessDenied from CloudWatch Logs, in every region
    summary = collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION])))
    failed = {p.region: p.errors for p in summary.partitions if p.errors}
    assert list(failed) == [REGION] and failed[REGION][0].startswith("cloudwatch: ")
    assert len(failed[REGION]) == 1  # the partition's other services answered
    # the failed service keeps its last good data; the partition's other services and the global one are
    # replaced (the trail deleted meanwhile is gone, the kept log group still hangs below its trail)
    assert _names(store, "is(aws_cloudwatch_log_group)") == {"trail-events", "app-events"}
    assert _names(store, "is(aws_cloud_trail)") == {"audit"}
    assert _names(store, "is(aws_cloud_trail) --> is(aws_cloudwatch_log_group)") == {"trail-events"}
    assert _names(store, "is(aws_s3_bucket)") == {"audit-logs"}
