"""Route 53 (global, once per account): hosted zones and where their DNS queries are logged."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, last_arn_part, struct
from cloudsift.collect.aws.declare import AwsKind, Detail, Listing, aws_service


def _zone_id(zone: dict[str, Any]) -> str | None:
    """The zone id without its "/hostedzone/" prefix, as the other Route 53 calls take it."""
    return last_arn_part(zone.get("Id"))


ZONE = AwsKind(
    "aws_route53_zone",
    Listing("route53", "ListHostedZones", "HostedZones"),
    id=Field("Id", last_arn_part), name="Name", node="route53/", arn_format="arn:aws:route53:::hostedzone/{id}",
    details=(Detail("ListQueryLoggingConfigs", "logging", {"HostedZoneId": _zone_id}, key="QueryLoggingConfigs",
                    missing=("NoSuchHostedZone",)),),
    props={
        "private_zone": "Config.PrivateZone", "zone_resource_record_set_count": "ResourceRecordSetCount",
        "zone_caller_reference": "CallerReference",
        "zone_config": Field("Config", struct({"comment": "Comment", "private_zone": "PrivateZone"})),
        # the zone's (first) query logging configuration; null: its queries are not logged
        "zone_logging_config": Field("logging.0", struct({"cloud_watch_logs_log_group_arn": "CloudWatchLogsLogGroupArn"})),
    },
)  # fmt: skip

aws_service("route53", ZONE, global_=True)
