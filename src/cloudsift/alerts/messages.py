"""The bodies of the chat and alerting sinks, built from what a search found: Alertmanager (API v2),
Opsgenie (Alert API v2), Slack (Block Kit), Microsoft Teams (Adaptive Card), Discord (embeds).

Pure functions: each takes the alert (summary, dedup key, severity, resources, time) and returns the
JSON the service documents, within its limits (a long list is cut and says how many were left out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cloudsift.alerts.places import by_place, common_label, text_lines

SEVERITIES = ("critical", "error", "warning", "info")


@dataclass(frozen=True)
class Alert:
    """One alert as every sink sees it."""

    summary: str
    dedup_key: str
    severity: str
    nodes: list[dict[str, Any]]
    now: dt.datetime
    source: str = "cloudsift"
    link: str | None = None  # where a person sees the resources (the dashboard, a client URL)
    labels: dict[str, str] = field(default_factory=dict)  # extra labels (Alertmanager) or tags

    @property
    def total(self) -> int:
        return len(self.nodes)


def of(alert: Any, source: str = "cloudsift", link: str | None = None) -> Alert:
    """The body builders' view of the lifecycle's alert (alerts.sink.Alert)."""
    return Alert(alert.summary, alert.dedup_key, alert.severity, alert.nodes, alert.decided_at, source, link)


def labels_of_places(places: tuple[str, ...] | list[str]) -> dict[str, str]:
    """cloud, account and region labels where the alert's "account/region" places share one."""
    accounts = {p.split("/", 1)[0] for p in places}
    regions = {p.split("/", 1)[1] for p in places if "/" in p}
    labels = {"cloud": "aws"} if places else {}
    if len(accounts) == 1:
        labels["account"] = accounts.pop()
    if len(regions) == 1:
        labels["region"] = regions.pop()
    return labels


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _resource_text(alert: Alert, limit_chars: int, limit_resources: int = 200) -> str:
    """The resources by place, one per line; cut to fit, saying how many were left out."""
    lines, _ = text_lines(by_place(alert.nodes), limit_resources)
    while lines and len("\n".join(lines)) > limit_chars - 40:
        lines.pop()
    left = alert.total - sum(1 for line in lines if line.startswith("  "))
    return "\n".join(lines) + (f"\n… and {left} more" if left > 0 else "")


# ---- Alertmanager, API v2: POST /api/v2/alerts with a list of alerts


def alertmanager_labels(alert: Alert) -> dict[str, str]:
    """The labels that name the alert: the same on every re-post and on the resolve."""
    labels = {"alertname": alert.dedup_key, "severity": alert.severity, "source": alert.source}
    for level in ("cloud", "account", "region"):
        value = common_label(alert.nodes, level)
        if value:
            labels[level] = value
    return {**labels, **alert.labels}


def alertmanager_firing(alert: Alert, labels: dict[str, str], valid_for: dt.timedelta) -> dict[str, Any]:
    """A firing alert that ends on its own after `valid_for` unless posted again (re-post before)."""
    body: dict[str, Any] = {
        "labels": labels,
        "annotations": {
            "summary": alert.summary,
            "description": _resource_text(alert, 16000),
            "resources": str(alert.total),
        },
        "startsAt": _iso(alert.now),
        "endsAt": _iso(alert.now + valid_for),
    }
    if alert.link:
        body["generatorURL"] = alert.link
    return body


def alertmanager_resolved(labels: dict[str, str], summary: str, now: dt.datetime) -> dict[str, Any]:
    return {"labels": labels, "annotations": {"summary": summary}, "endsAt": _iso(now)}


# ---- Opsgenie, Alert API v2

OPSGENIE_PRIORITY = {"critical": "P1", "error": "P2", "warning": "P3", "info": "P5"}
OPSGENIE_URLS = {"us": "https://api.opsgenie.com", "eu": "https://api.eu.opsgenie.com"}


def opsgenie_create(alert: Alert) -> dict[str, Any]:
    accounts = sorted({str(p.account) for p in by_place(alert.nodes)})
    details = {"resources": str(alert.total), "accounts": _cut(", ".join(accounts), 1000)}
    if alert.link:
        details["link"] = _cut(alert.link, 1000)
    return {
        "message": _cut(alert.summary, 130),
        "alias": alert.dedup_key,
        "description": _resource_text(alert, 15000),
        "tags": ["cloudsift", alert.severity, *[_cut(v, 50) for v in alert.labels.values()]][:20],
        "details": details,
        "entity": _cut(alert.dedup_key, 512),
        "source": _cut(alert.source, 100),
        "priority": OPSGENIE_PRIORITY.get(alert.severity, "P3"),
    }


def opsgenie_close(source: str) -> dict[str, Any]:
    return {
        "source": _cut(source, 100),
        "note": "Resolved by cloudsift: nothing matches after a clean collection.",
    }


# ---- Slack, incoming webhook with Block Kit

_EMOJI = {
    "critical": ":red_circle:",
    "error": ":red_circle:",
    "warning": ":large_orange_circle:",
    "info": ":large_blue_circle:",
}


def slack_trigger(alert: Alert) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(alert.summary, 150)}},
        {"type": "section", "fields": [
            {"type": "mrkdwn", "text": f"*Resources*\n{alert.total}"},
            {"type": "mrkdwn", "text": f"*Severity*\n{_EMOJI.get(alert.severity, '')} {alert.severity}"},
        ]},
    ]  # fmt: skip
    for place, resources in list(by_place(alert.nodes).items())[:40]:
        lines = [f"• `{r.kind}` {r.name}" + (f" ({r.id})" if r.name != r.id else "") for r in resources]
        text = _cut(f"*{place}*\n" + "\n".join(lines), 3000)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    context = f"cloudsift · {alert.dedup_key}" + (f" · <{alert.link}|open>" if alert.link else "")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(context, 3000)}]})
    return {"text": _cut(f"{alert.summary} ({alert.total} resources)", 3000), "blocks": blocks[:50]}


def slack_resolve(summary: str, dedup_key: str) -> dict[str, Any]:
    text = f":white_check_mark: Resolved: {summary}"
    return {"text": _cut(text, 3000), "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(f"{text}\nNothing matches after a clean collection.", 3000)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(f"cloudsift · {dedup_key}", 3000)}]},
    ]}  # fmt: skip


# ---- Microsoft Teams, a Workflows webhook with an Adaptive Card


def _card(body: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
        "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                    "version": "1.4", "body": body},
    }]}  # fmt: skip


def teams_trigger(alert: Alert) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": _cut(alert.summary, 500), "weight": "Bolder", "size": "Medium",
         "color": "Attention", "wrap": True},
        {"type": "FactSet", "facts": [{"title": "Resources", "value": str(alert.total)},
                                      {"title": "Severity", "value": alert.severity},
                                      {"title": "Dedup key", "value": alert.dedup_key}]},
        {"type": "TextBlock", "text": _resource_text(alert, 20000), "wrap": True, "fontType": "Monospace"},
    ]  # fmt: skip
    if alert.link:
        body.append(
            {"type": "ActionSet", "actions": [{"type": "Action.OpenUrl", "title": "Open", "url": alert.link}]}
        )
    return _card(body)


def teams_resolve(summary: str, dedup_key: str) -> dict[str, Any]:
    return _card([
        {"type": "TextBlock", "text": _cut(f"Resolved: {summary}", 500), "weight": "Bolder", "color": "Good", "wrap": True},
        {"type": "TextBlock", "text": f"Nothing matches after a clean collection ({dedup_key}).", "wrap": True},
    ])  # fmt: skip


# ---- Discord, webhook with an embed

_RED, _GREEN = 0xD92D20, 0x12B76A


def discord_trigger(alert: Alert) -> dict[str, Any]:
    embed: dict[str, Any] = {
        "title": _cut(alert.summary, 256),
        "description": _resource_text(alert, 3500),
        "color": _RED,
        "fields": [{"name": "Resources", "value": str(alert.total), "inline": True},
                   {"name": "Severity", "value": alert.severity, "inline": True}],
        "footer": {"text": _cut(f"cloudsift · {alert.dedup_key}", 2048)},
        "timestamp": _iso(alert.now),
    }  # fmt: skip
    if alert.link:
        embed["url"] = alert.link
    return {
        "content": _cut(f"**{alert.summary}**", 2000),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }


def discord_resolve(summary: str, dedup_key: str, now: dt.datetime) -> dict[str, Any]:
    embed = {"title": _cut(f"Resolved: {summary}", 256), "color": _GREEN,
             "description": "Nothing matches after a clean collection.",
             "footer": {"text": _cut(f"cloudsift · {dedup_key}", 2048)}, "timestamp": _iso(now)}  # fmt: skip
    return {"embeds": [embed], "allowed_mentions": {"parse": []}}
