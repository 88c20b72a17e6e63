"""IAM Access Analyzer per region (ListAnalyzers): each analyzer, as the region's resource."""

from __future__ import annotations

from cloudsift.collect.aws.convert import Field, tag_map
from cloudsift.collect.aws.declare import AwsKind, Listing, aws_service

ANALYZER = AwsKind(
    "aws_iam_access_analyzer",
    Listing("accessanalyzer", "ListAnalyzers", "analyzers"),
    id="name", arn="arn", ctime="createdAt", tags=Field("tags", tag_map), node="accessanalyzer/",
    props={
        "analyzer_type": "type", "analyzer_status": "status", "analyzer_status_reason": "statusReason.code",
        "last_resource_analyzed": "lastResourceAnalyzed", "last_resource_analyzed_at": "lastResourceAnalyzedAt",
    },
)  # fmt: skip

aws_service("accessanalyzer", ANALYZER)
