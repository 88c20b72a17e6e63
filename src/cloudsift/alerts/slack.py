"""The slack sink: an incoming webhook, a Block Kit message per trigger and one for the resolve."""

from __future__ import annotations

from typing import Any

from cloudsift.alerts import messages
from cloudsift.alerts.chat import ChatSink
from cloudsift.alerts.sink import Alert, sink


@sink
class SlackSink(ChatSink):
    """Post the resources of a search to a Slack channel (incoming webhook, Block Kit); say when they are fixed.

    The message has the summary as its header, the count and severity, and the resources by cloud,
    account and region; the resolve posts a short "Resolved" message. The webhook URL is a secret.

    Example: `search is(aws_ec2_security_group) and name =~ open | slack --summary "Open groups" --dedup-key open_groups --dry-run`
    """

    name = "slack"
    receiver = "Slack"
    max_summary = 150

    def message(self, alert: messages.Alert) -> dict[str, Any]:
        return messages.slack_trigger(alert)

    def resolved(self, alert: Alert) -> dict[str, Any]:
        return messages.slack_resolve(alert.summary, alert.dedup_key)
