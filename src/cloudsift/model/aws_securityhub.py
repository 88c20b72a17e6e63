"""Security Hub: a region's hub, there when Security Hub is enabled in it. Fix Inventory has no such kind;
the name follows its rule (aws_<boto3 service>_<resource>) and the properties DescribeHub's fields."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.core import kind_class


@kind_class
class AwsSecurityHubHub(AwsResource):
    """Security Hub enabled in a region: `subscribed_at` is when; a region without one has it disabled."""

    kind: ClassVar[str] = "aws_securityhub_hub"
    subscribed_at: dt.datetime
    auto_enable_controls: bool
    control_finding_generator: str
