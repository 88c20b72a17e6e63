"""Security Hub: whether it is enabled in each region (DescribeHub), as the region's one hub.

An account that has not enabled Security Hub in a region has no hub there: DescribeHub answers
InvalidAccessException ("not subscribed"), which lists nothing. A refusal (AccessDenied) fails the service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from cloudsift.collect.aws.convert import Field, last_arn_part
from cloudsift.collect.aws.declare import AwsKind, Listing, Scope, aws_service

NOT_SUBSCRIBED = "InvalidAccessException"


def _hub(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    try:
        answer = client.describe_hub()
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") == NOT_SUBSCRIBED:
            return
        raise
    answer.pop("ResponseMetadata", None)
    yield answer


HUB = AwsKind(
    "aws_securityhub_hub",
    Listing("securityhub", "DescribeHub", None, read=_hub),
    id=Field("HubArn", last_arn_part), arn="HubArn", ctime="SubscribedAt", node="securityhub/",
    props={
        "subscribed_at": "SubscribedAt", "auto_enable_controls": "AutoEnableControls",
        "control_finding_generator": "ControlFindingGenerator",
    },
)  # fmt: skip

aws_service("securityhub", HUB)
