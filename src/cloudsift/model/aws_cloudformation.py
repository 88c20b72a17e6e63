"""CloudFormation: the stacks of a region, with their parameters, outputs and drift (Fix Inventory's kind,
property and struct names). A stack leads to the resources it made that cloudsift collects."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsCloudformationRollbackTrigger:
    arn: str
    type: str


@struct
class AwsCloudformationRollbackConfiguration:
    rollback_triggers: list[AwsCloudformationRollbackTrigger]
    monitoring_time_in_minutes: int


@struct
class AwsCloudformationOutput:
    output_key: str
    output_value: str
    description: str
    export_name: str


@struct
class AwsCloudformationStackDriftInformation:
    """Whether the stack's resources still are as its template says, as of the last drift detection."""

    stack_drift_status: str
    last_check_timestamp: dt.datetime


@kind_class
class AwsCloudformationStack(AwsResource):
    """A CloudFormation stack. `stack_outputs` and `stack_parameters` are what Fix's secrets check reads;
    `stack_enable_termination_protection` false: one call deletes it and all it made."""

    kind: ClassVar[str] = "aws_cloudformation_stack"
    stack_status: str
    stack_status_reason: str
    stack_parameters: dict[str, str]
    stack_change_set_id: str
    description: str
    stack_deletion_time: dt.datetime
    stack_rollback_configuration: AwsCloudformationRollbackConfiguration
    stack_disable_rollback: bool
    stack_notification_ar_ns: list[str]
    stack_timeout_in_minutes: int
    stack_capabilities: list[str]
    stack_outputs: list[AwsCloudformationOutput]
    stack_role_arn: str
    stack_enable_termination_protection: bool
    stack_parent_id: str
    stack_root_id: str
    stack_drift_information: AwsCloudformationStackDriftInformation
