"""The teams sink: a Microsoft Teams Workflows webhook, an Adaptive Card per trigger and one for the resolve."""

from __future__ import annotations

from typing import Any

from cloudsift.alerts import messages
from cloudsift.alerts.chat import ChatSink
from cloudsift.alerts.sink import Alert, sink


@sink
class TeamsSink(ChatSink):
    """Post the resources of a search to a Microsoft Teams channel (Workflows webhook, Adaptive Card); say when they are fixed.

    The card has the summary, the count, severity and dedup key, and the resources by place; the
    resolve posts a "Resolved" card. The webhook URL (with its `sig`) is a secret.

    Example: `search is(aws_ec2_security_group) and name =~ open | teams --summary "Open groups" --dedup-key open_groups --dry-run`
    """

    name = "teams"
    receiver = "Teams"
    max_summary = 500

    def message(self, alert: messages.Alert) -> dict[str, Any]:
        return messages.teams_trigger(alert)

    def resolved(self, alert: Alert) -> dict[str, Any]:
        return messages.teams_resolve(alert.summary, alert.dedup_key)
