"""PagerDuty Events API v2: the event body, within the documented limits.

custom_details nests objects (PagerDuty shows objects, not arrays): cloud -> "account (id)" ->
"region" -> {resource id: {id, name, kind}}; every resource is included while the body stays
under 512 KB, and the details say how many were left out past that.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from cloudsift.errors import UsageError

EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
SEVERITIES = ("critical", "error", "warning", "info")
ACTIONS = ("trigger", "acknowledge", "resolve")
MAX_BODY = 512 * 1024
MAX_SUMMARY = 1024
MAX_LINKS = 10
_ROUTING_KEY = re.compile(r"[A-Za-z0-9]{32}\Z")


def mask(routing_key: str) -> str:
    """A routing key as it may be shown: its last four characters."""
    return f"****{routing_key[-4:]}" if len(routing_key) >= 4 else "****"


def check_routing_key(routing_key: str | None) -> str:
    if not routing_key:
        raise UsageError("pagerduty: no routing key: pass --routing-key or set [pagerduty] routing_key "
                         "(CLOUDSIFT_PAGERDUTY__ROUTING_KEY); --dry-run shows the event without one")  # fmt: skip
    if not _ROUTING_KEY.match(routing_key):
        raise UsageError(
            f"pagerduty: the routing key {mask(routing_key)} is not 32 letters and digits (an Events API v2 integration key)"
        )
    return routing_key


@dataclass(frozen=True)
class EventOptions:
    routing_key: str
    summary: str
    dedup_key: str
    severity: str = "warning"
    source: str = "cloudsift"
    component: str | None = None
    group: str | None = None
    class_: str | None = None
    client: str | None = "cloudsift"
    client_url: str | None = None


def _console_link(node: dict[str, Any]) -> dict[str, str] | None:
    reported = node.get("reported", {})
    kind, rid = reported.get("kind"), reported.get("id")
    region = ((node.get("ancestors") or {}).get("region") or {}).get("reported", {}).get("id")
    if not rid or not region or region == "global":
        return None
    pages = {
        "aws_ec2_security_group": f"ec2/home?region={region}#SecurityGroup:groupId={rid}",
        "aws_ec2_instance": f"ec2/home?region={region}#InstanceDetails:instanceId={rid}",
        "aws_ec2_volume": f"ec2/home?region={region}#VolumeDetails:volumeId={rid}",
        "aws_vpc": f"vpc/home?region={region}#VpcDetails:VpcId={rid}",
    }
    page = pages.get(str(kind))
    return {"href": f"https://console.aws.amazon.com/{page}", "text": f"{kind} {rid}"} if page else None


def _where(node: dict[str, Any], level: str, missing: str) -> str:
    found = ((node.get("ancestors") or {}).get(level) or {}).get("reported") or {}
    name, rid = found.get("name"), found.get("id")
    if level == "account" and name and rid and name != rid:
        return f"{name} ({rid})"
    return str(name or rid or missing)


Getter = Callable[[dict[str, Any], str], Any]
DEFAULT_PROPERTIES: tuple[tuple[str, str], ...] = (("id", "id"), ("name", "name"), ("kind", "kind"))


def _plain_get(node: dict[str, Any], path: str) -> Any:
    value: Any = node.get("reported", {})
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


@dataclass(frozen=True)
class Shape:
    """How resources appear in custom_details: grouped by place or flat, keyed and described by paths."""

    get: Getter = _plain_get
    group: bool = True
    resource_id: str = "id"
    properties: tuple[tuple[str, str], ...] = DEFAULT_PROPERTIES


def details(
    nodes: list[dict[str, Any]], limit: int | None = None, shape: Shape | None = None
) -> dict[str, Any]:
    how = shape or Shape()
    tree: dict[str, Any] = {}
    for node in nodes[:limit]:
        place = tree
        if how.group:
            for level, missing in (("cloud", "no-cloud"), ("account", "no-account"), ("region", "no-region")):
                place = place.setdefault(_where(node, level, missing), {})
        key = how.get(node, how.resource_id)
        place[str(key if key is not None else node.get("id"))] = {
            name: how.get(node, path) for name, path in how.properties
        }
    result: dict[str, Any] = {**tree, "total": len(nodes)}
    if limit is not None and limit < len(nodes):
        result["left_out"] = len(nodes) - limit
    return result


def trigger(
    options: EventOptions, nodes: list[dict[str, Any]], now: dt.datetime, shape: Shape | None = None
) -> dict[str, Any]:
    """A trigger event naming every resource that fits in 512 KB."""
    summary = (
        options.summary if len(options.summary) <= MAX_SUMMARY else options.summary[: MAX_SUMMARY - 1] + "…"
    )
    payload: dict[str, Any] = {
        "summary": summary,
        "source": options.source,
        "severity": options.severity,
        "timestamp": now.astimezone(dt.UTC).isoformat(),
    }
    for key, value in (("component", options.component), ("group", options.group), ("class", options.class_)):
        if value:
            payload[key] = value
    body: dict[str, Any] = {"routing_key": options.routing_key, "event_action": "trigger",
                            "dedup_key": options.dedup_key, "payload": payload}  # fmt: skip
    if options.client:
        body["client"] = options.client
    if options.client_url:
        body["client_url"] = options.client_url
    links = [link for link in (_console_link(n) for n in nodes[:MAX_LINKS]) if link]
    if links:
        body["links"] = links
    limit: int | None = None
    while True:
        payload["custom_details"] = details(nodes, limit, shape)
        if len(orjson.dumps(body)) < MAX_BODY:
            return body
        limit = int((limit if limit is not None else len(nodes)) * 0.8)


def resolve(options: EventOptions) -> dict[str, Any]:
    return {"routing_key": options.routing_key, "event_action": "resolve", "dedup_key": options.dedup_key}


def partitions_of(nodes: Iterable[dict[str, Any]]) -> list[str]:
    """The (account, region) places the resources live in, as "account/region"."""
    found = set()
    for node in nodes:
        ancestors = node.get("ancestors") or {}
        account = (ancestors.get("account") or {}).get("reported", {}).get("id")
        region = (ancestors.get("region") or {}).get("reported", {}).get("id")
        if account and region:
            found.add(f"{account}/{region}")
    return sorted(found)
