"""CloudWatch: log groups, their metric filters, and the metric alarms (one task: filters lead to alarms)."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, Source, each, epoch_ms, last_arn_part, struct, tag_map
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service

DIMENSIONS = each({"name": "Name", "value": "Value"})
METRIC: dict[str, Source] = {
    "namespace": "Namespace",
    "metric_name": "MetricName",
    "dimensions": Field("Dimensions", DIMENSIONS),
}


def _written_metrics(transformations: Any) -> list[tuple[Any, Any]]:
    """The (namespace, metric name) each transformation of a metric filter writes."""
    return [(t.get("metricNamespace"), t.get("metricName")) for t in transformations or []]


def _instances(dimensions: Any) -> list[str]:
    """The instance ids an alarm watches (its InstanceId dimensions)."""
    return [d.get("Value") for d in dimensions or [] if d.get("Name") == "InstanceId"]


LOG_GROUP = AwsKind(
    "aws_cloudwatch_log_group",
    Listing("logs", "DescribeLogGroups", "logGroups"),
    id="logGroupName", arn="arn", ctime=Field("creationTime", epoch_ms), node="log-group/",
    tags=Field("tags", tag_map),
    details=(Detail("ListTagsForResource", "tags", {"resourceArn": lambda g: g["arn"].removesuffix(":*")},
                    key="tags", missing=("ResourceNotFoundException",)),),
    props={
        "group_retention_in_days": "retentionInDays", "group_metric_filter_count": "metricFilterCount",
        "group_stored_bytes": "storedBytes", "group_data_protection_status": "dataProtectionStatus",
    },
    edges=(Edge("aws_kms_key", "kmsKeyId", last_arn_part),),
)  # fmt: skip

METRIC_FILTER = AwsKind(
    "aws_cloudwatch_metric_filter",
    Listing("logs", "DescribeMetricFilters", "metricFilters"),
    id="filterName", ctime=Field("creationTime", epoch_ms), node="metric-filter/",
    # a filter's name is unique only within its log group
    key=Field("", lambda f: f"{f.get('logGroupName')}/{f.get('filterName')}"),
    arn_format="arn:aws:logs:{region}:{account}:metric-filter/{id}",
    props={
        "log_group_name": "logGroupName", "filter_pattern": "filterPattern",
        "filter_transformations": Field("metricTransformations", each({
            "metric_name": "metricName", "metric_namespace": "metricNamespace", "metric_value": "metricValue",
            "default_value": "defaultValue", "dimensions": "dimensions", "unit": "unit",
        })),
    },
    parent=(Edge("aws_cloudwatch_log_group", "logGroupName"),),
    edges=(Edge("aws_cloudwatch_alarm", "metricTransformations", _written_metrics,
                by=("cloudwatch_namespace", "cloudwatch_metric_name")),),
)  # fmt: skip

ALARM = AwsKind(
    "aws_cloudwatch_alarm",
    Listing("cloudwatch", "DescribeAlarms", "MetricAlarms"),
    id="AlarmName", arn="AlarmArn", mtime="AlarmConfigurationUpdatedTimestamp", node="alarm/",
    props={
        "cloudwatch_actions_enabled": "ActionsEnabled", "cloudwatch_ok_actions": "OKActions",
        "cloudwatch_alarm_actions": "AlarmActions", "cloudwatch_insufficient_data_actions": "InsufficientDataActions",
        "cloudwatch_state_value": "StateValue", "cloudwatch_state_reason": "StateReason",
        "cloudwatch_state_reason_data": "StateReasonData",
        "cloudwatch_state_updated_timestamp": "StateUpdatedTimestamp", "cloudwatch_metric_name": "MetricName",
        "cloudwatch_namespace": "Namespace", "cloudwatch_statistic": "Statistic",
        "cloudwatch_extended_statistic": "ExtendedStatistic", "cloudwatch_dimensions": Field("Dimensions", DIMENSIONS),
        "cloudwatch_period": "Period", "cloudwatch_unit": "Unit", "cloudwatch_evaluation_periods": "EvaluationPeriods",
        "cloudwatch_datapoints_to_alarm": "DatapointsToAlarm", "cloudwatch_threshold": "Threshold",
        "cloudwatch_comparison_operator": "ComparisonOperator", "cloudwatch_treat_missing_data": "TreatMissingData",
        "cloudwatch_evaluate_low_sample_count_percentile": "EvaluateLowSampleCountPercentile",
        "cloudwatch_metrics": Field("Metrics", each({
            "id": "Id", "expression": "Expression", "label": "Label", "return_data": "ReturnData",
            "period": "Period", "account_id": "AccountId",
            "metric_stat": Field("MetricStat", struct({
                "metric": Field("Metric", struct(METRIC)), "period": "Period", "stat": "Stat", "unit": "Unit",
            })),
        })),
        "cloudwatch_threshold_metric_id": "ThresholdMetricId",
    },
    edges=(Edge("aws_ec2_instance", "Dimensions", _instances, reverse=True),),
)  # fmt: skip

aws_service("cloudwatch", LOG_GROUP, METRIC_FILTER, ALARM)
