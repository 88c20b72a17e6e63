"""IAM Access Analyzer: the analyzers of a region. Fix Inventory has no such kind; the name follows its
IAM kinds (aws_iam_…) and the properties ListAnalyzers' fields."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from cloudsift.model.aws import AwsResource
from cloudsift.model.core import kind_class


@kind_class
class AwsIamAccessAnalyzer(AwsResource):
    """An analyzer of IAM Access Analyzer in a region: `analyzer_type` is what it watches (ACCOUNT or
    ORGANIZATION for external access, *_UNUSED_ACCESS, *_INTERNAL_ACCESS), `analyzer_status` ACTIVE once
    it runs. A region without an ACTIVE external-access analyzer fails CIS 1.20."""

    kind: ClassVar[str] = "aws_iam_access_analyzer"
    analyzer_type: str
    analyzer_status: str
    analyzer_status_reason: str
    last_resource_analyzed: str
    last_resource_analyzed_at: dt.datetime
