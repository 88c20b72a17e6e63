"""AWS Config: the configuration recorder of a region, with its status (Fix's names)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.base import struct
from cloudsift.model.core import kind_class


@struct
class AwsConfigRecorderStatus:
    last_start_time: dt.datetime
    last_stop_time: dt.datetime
    recording: bool
    last_status: str
    last_error_code: str
    last_error_message: str
    last_status_change_time: dt.datetime


@struct
class AwsConfigRecordingGroup:
    all_supported: bool
    include_global_resource_types: bool
    resource_types: list[str]


@kind_class
class AwsConfigRecorder(AwsResource):
    """An AWS Config recorder: Fix's check wants one per region in use that records everything."""

    kind: ClassVar[str] = "aws_config_recorder"
    recorder_group: AwsConfigRecordingGroup
    recorder_status: AwsConfigRecorderStatus
