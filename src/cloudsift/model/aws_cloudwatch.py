"""CloudWatch kinds: log groups, their metric filters and the alarms on those metrics (Fix Inventory's names)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@kind_class
class AwsCloudwatchLogGroup(AwsResource):
    """A CloudWatch Logs log group; its metric filters hang below it, its KMS key follows it."""

    kind: ClassVar[str] = "aws_cloudwatch_log_group"
    group_retention_in_days: int
    group_metric_filter_count: int
    group_stored_bytes: int
    group_data_protection_status: str
    prop_docs: ClassVar[dict[str, str]] = {"group_retention_in_days": "Days events are kept; null: forever."}


@struct
class AwsCloudwatchMetricTransformation:
    """How a metric filter turns matching log events into a metric."""

    metric_name: str
    metric_namespace: str
    metric_value: str
    default_value: float
    dimensions: dict[str, str]
    unit: str


@kind_class
class AwsCloudwatchMetricFilter(AwsResource):
    """A metric filter of a log group; it leads to the alarms on the metric it writes."""

    kind: ClassVar[str] = "aws_cloudwatch_metric_filter"
    log_group_name: str
    filter_pattern: str
    filter_transformations: list[AwsCloudwatchMetricTransformation]


@struct
class AwsCloudwatchDimension:
    name: str
    value: str


@struct
class AwsCloudwatchMetric:
    namespace: str
    metric_name: str
    dimensions: list[AwsCloudwatchDimension]


@struct
class AwsCloudwatchMetricStat:
    metric: AwsCloudwatchMetric
    period: int
    stat: str
    unit: str


@struct
class AwsCloudwatchMetricDataQuery:
    """One metric or expression of a metric-math alarm."""

    id: str
    metric_stat: AwsCloudwatchMetricStat
    expression: str
    label: str
    return_data: bool
    period: int
    account_id: str


@kind_class
class AwsCloudwatchAlarm(AwsResource):
    """A CloudWatch metric alarm."""

    kind: ClassVar[str] = "aws_cloudwatch_alarm"
    cloudwatch_actions_enabled: bool
    cloudwatch_ok_actions: list[str]
    cloudwatch_alarm_actions: list[str]
    cloudwatch_insufficient_data_actions: list[str]
    cloudwatch_state_value: str
    cloudwatch_state_reason: str
    cloudwatch_state_reason_data: str
    cloudwatch_state_updated_timestamp: dt.datetime
    cloudwatch_metric_name: str
    cloudwatch_namespace: str
    cloudwatch_statistic: str
    cloudwatch_extended_statistic: str
    cloudwatch_dimensions: list[AwsCloudwatchDimension]
    cloudwatch_period: int
    cloudwatch_unit: str
    cloudwatch_evaluation_periods: int
    cloudwatch_datapoints_to_alarm: int
    cloudwatch_threshold: float
    cloudwatch_comparison_operator: str
    cloudwatch_treat_missing_data: str
    cloudwatch_evaluate_low_sample_count_percentile: str
    cloudwatch_metrics: list[AwsCloudwatchMetricDataQuery]
    cloudwatch_threshold_metric_id: str
