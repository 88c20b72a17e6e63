"""The discord sink: a Discord webhook, an embed per trigger and one for the resolve."""

from __future__ import annotations

from typing import Any

from cloudsift.alerts import messages
from cloudsift.alerts.chat import ChatSink
from cloudsift.alerts.sink import Alert, sink


@sink
class DiscordSink(ChatSink):
    """Post the resources of a search to a Discord channel (webhook, embed); say when they are fixed.

    The embed has the summary as its title, the count and severity, and the resources by place (cut to
    Discord's limits, saying how many were left out); mentions are off. The webhook URL is a secret.

    Example: `search is(aws_ec2_security_group) and name =~ open | discord --summary "Open groups" --dedup-key open_groups --dry-run`
    """

    name = "discord"
    receiver = "Discord"
    max_summary = 256

    def message(self, alert: messages.Alert) -> dict[str, Any]:
        return messages.discord_trigger(alert)

    def resolved(self, alert: Alert) -> dict[str, Any]:
        return messages.discord_resolve(alert.summary, alert.dedup_key, alert.decided_at)
