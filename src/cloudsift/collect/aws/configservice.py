"""AWS Config: each region's configuration recorder and whether it records."""

from __future__ import annotations

from cloudsift.collect.aws.convert import Field, struct
from cloudsift.collect.aws.declare import AwsKind, Detail, Listing, aws_service

RECORDER = AwsKind(
    "aws_config_recorder",
    Listing("config", "DescribeConfigurationRecorders", "ConfigurationRecorders"),
    id="name", node="config-recorder/", mtime="status.lastStatusChangeTime",
    arn_format="arn:aws:config:{region}:{account}:config-recorder/{id}",
    details=(Detail("DescribeConfigurationRecorderStatus", "status",
                    {"ConfigurationRecorderNames": lambda recorder: [recorder["name"]]},
                    key="ConfigurationRecordersStatus.0"),),
    props={
        "recorder_group": Field("recordingGroup", struct({
            "all_supported": "allSupported", "include_global_resource_types": "includeGlobalResourceTypes",
            "resource_types": "resourceTypes",
        })),
        "recorder_status": Field("status", struct({
            "last_start_time": "lastStartTime", "last_stop_time": "lastStopTime", "recording": "recording",
            "last_status": "lastStatus", "last_error_code": "lastErrorCode", "last_error_message": "lastErrorMessage",
            "last_status_change_time": "lastStatusChangeTime",
        })),
    },
)  # fmt: skip

aws_service("config", RECORDER)
