"""The pagerduty sink, PagerDuty Events API v2: the event body, within the documented limits.

custom_details nests objects (PagerDuty shows objects, not arrays): cloud -> "account (id)" ->
"region" -> {resource id: {id, name, kind}}; every resource is included while the body stays
under 512 KB, and the details say how many were left out past that.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from cloudsift.alerts.places import where
from cloudsift.alerts.sink import (
    Alert,
    Answer,
    Request,
    Sink,
    check_url,
    dashboard_url,
    mask,
    resource_links,
    secret_hash,
    sink,
)
from cloudsift.commands.base import Option
from cloudsift.errors import UsageError

if TYPE_CHECKING:
    from cloudsift.config import Config

EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
ACTIONS = ("trigger", "acknowledge", "resolve")
MAX_BODY = 512 * 1024
MAX_SUMMARY = 1024
MAX_LINKS = 10
_ROUTING_KEY = re.compile(r"[A-Za-z0-9]{32}\Z")


def check_routing_key(routing_key: str | None) -> str:
    if not routing_key:
        raise UsageError("pagerduty: no routing key: set [pagerduty] routing_key (CLOUDSIFT_PAGERDUTY__ROUTING_KEY) "
                         "or give --routing-key; --dry-run shows the event without one")  # fmt: skip
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
                place = place.setdefault(where(node, level, missing), {})
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


NO_KEY = "(not set)"


@sink
class PagerDutySink(Sink):
    """Alert PagerDuty (Events API v2) about the nodes of a search; resolve the alert once they are gone.

    Every matching resource goes into `custom_details` (cloud, account, region, resource), up to 512 KB.
    No result sends nothing, unless this dedup key is open: then one resolve is sent, but only when the
    last collection covered cleanly every account and region where its resources lived (no false clears).
    Events go through a durable outbox: a 429 or 5xx is retried now and by later runs, never lost.
    Defaults come from [pagerduty] in the config, so `--summary` and `--dedup-key` are enough.

    Example: `search is(aws_ec2_security_group) and name =~ open | pagerduty --summary "Open groups" --dedup-key open_groups --routing-key 0123456789abcdefABCDEF0123456789 --dry-run`
    """

    name = "pagerduty"
    receiver = "PagerDuty"
    actions = ACTIONS
    max_summary = MAX_SUMMARY
    options = (
        Option(
            "--routing-key",
            "Events API v2 integration key (default: [pagerduty] routing_key).",
            str,
            None,
            secret=True,
        ),
        Option("--source", "payload.source (default: [pagerduty] source).", str, None),
        Option("--component", "payload.component.", str, None),
        Option("--group", "payload.group.", str, None),
        Option("--class", "payload.class.", str, None),
        Option(
            "--event-action", "trigger (default with results), acknowledge or resolve.", str, None, ACTIONS
        ),
        Option("--client", "The sender's name shown in PagerDuty.", str, None),
        Option("--client-url", "The sender's link shown in PagerDuty.", str, None),
        Option("--webhook-url", "Where events go (default: [pagerduty] events_url).", str, None),
        Option(
            "--group-resources",
            "true: resources grouped by cloud, account, region; false: one flat map.",
            str,
            "true",
            ("true", "false"),
        ),
        Option("--resource-id", "The property that keys each resource (default id; e.g. arn).", str, "id"),
        Option(
            "--resource-properties",
            "name=path pairs shown per resource (default id=id,name=name,kind=kind).",
            str,
            None,
        ),
    )

    def __init__(self, args: dict[str, Any], config: Config, dry_run: bool = False) -> None:
        super().__init__(args, config, dry_run)
        section = config.pagerduty
        key = args["routing_key"] or (section.routing_key.get_secret_value() if section.routing_key else None)
        self.url = args["webhook_url"] or section.events_url
        if key and not args["routing_key"] and self.url not in (section.events_url, *section.allowed_urls):
            # Whoever may run a line (the API, a job) must not collect the configured key at their URL.
            raise UsageError(
                f"pagerduty: --webhook-url {self.url} is not [pagerduty] events_url nor in allowed_urls: "
                "the configured routing key is sent only there; give this URL its own --routing-key"
            )
        # A dry run shows the event before there is a key to send it with.
        self.routing_key = NO_KEY if dry_run and not key else check_routing_key(key)
        self.base = EventOptions(
            routing_key=self.routing_key,
            summary="",
            dedup_key="",
            source=args["source"] or section.source,
            component=args["component"],
            group=args["group"],
            class_=args["class"],
            client=args["client"] or section.client or None,
            client_url=args["client_url"] or section.client_url or None,
        )
        self.properties = _properties(args["resource_properties"])

    @classmethod
    def check_args(cls, args: dict[str, Any]) -> None:
        _properties(args["resource_properties"])
        if args["webhook_url"]:
            check_url(args["webhook_url"], "pagerduty --webhook-url")

    def default_severity(self) -> str:
        return self.config.pagerduty.severity

    def identity(self) -> str:
        return secret_hash(self.routing_key)  # as the alerts table has named routing keys since schema 3

    def forced_action(self) -> str | None:
        return self.args["event_action"]  # type: ignore[no-any-return]

    def secrets(self) -> list[str]:
        return [] if self.routing_key == NO_KEY else [self.routing_key]

    def trigger(self, alert: Alert) -> Request:
        options = self._options(alert)
        shape = Shape(_getter(alert.decided_at), self.args["group_resources"] == "true",
                      self.args["resource_id"], self.properties)  # fmt: skip
        body = trigger(options, alert.nodes, alert.decided_at, shape)
        own = resource_links(self.config, alert.nodes)
        if own:  # the dashboard's pages first, then the AWS console's, ten in all
            body["links"] = (own + body.get("links", []))[:MAX_LINKS]
        if not options.client_url and (page := dashboard_url(self.config, "/alerts")):
            body["client_url"] = page
        return Request(self.url, body)

    def resolve(self, alert: Alert) -> Request:
        return Request(self.url, resolve(self._options(alert)))

    def event(self, action: str, alert: Alert) -> Request:
        if action == "acknowledge":
            body = {"routing_key": self.routing_key, "event_action": action, "dedup_key": alert.dedup_key}
            return Request(self.url, body)
        return super().event(action, alert)

    @classmethod
    def answer(cls, response: httpx.Response) -> Answer:
        if response.status_code == 400:  # the event is wrong: resending cannot help; say what PagerDuty said
            return Answer("failed", _errors(response))
        return super().answer(response)

    def _options(self, alert: Alert) -> EventOptions:
        return dataclasses.replace(self.base, summary=alert.summary, dedup_key=alert.dedup_key,
                                   severity=alert.severity)  # fmt: skip


def _getter(now: dt.datetime) -> Getter:
    from cloudsift.commands.output import doc_value

    return lambda node, path: doc_value(node, path, now)


def _properties(text: str | None) -> tuple[tuple[str, str], ...]:
    if not text:
        return DEFAULT_PROPERTIES
    pairs = []
    for item in text.split(","):
        name, sep, path = item.strip().partition("=")
        if not sep or not name or not path:
            raise UsageError(f"pagerduty: --resource-properties takes name=path pairs, not {item.strip()!r}")
        pairs.append((name.strip(), path.strip()))
    return tuple(pairs)


def _errors(answer: httpx.Response) -> str:
    try:
        body = answer.json()
    except ValueError:
        return f"HTTP 400: {answer.text[:300]}"
    errors = body.get("errors") or []
    return f"HTTP 400 {body.get('message', '')}: {'; '.join(str(e) for e in errors)}".strip()
