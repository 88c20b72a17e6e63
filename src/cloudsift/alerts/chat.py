"""What the chat sinks share (Slack, Teams, Discord): a webhook URL that is the secret, one message for
a trigger and one for the resolve."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from cloudsift.alerts import messages
from cloudsift.alerts.sink import Alert, Request, Sink, check_url, dashboard_url, secret_hash
from cloudsift.commands.base import Option
from cloudsift.config import Config, WebhookConfig
from cloudsift.errors import UsageError

URL_OPTION = Option(
    "--url", "The webhook URL (default: the config's url; it is a secret: never printed).", str, None
)


class ChatSink(Sink):
    """A chat webhook: subclasses name their config section and their two message builders."""

    options = (URL_OPTION,)

    @abstractmethod
    def message(self, alert: messages.Alert) -> dict[str, Any]:
        """The message that names the resources."""

    @abstractmethod
    def resolved(self, alert: Alert) -> dict[str, Any]:
        """The message that says they are fixed."""

    def __init__(self, args: dict[str, Any], config: Config, dry_run: bool = False) -> None:
        super().__init__(args, config, dry_run)
        url = args["url"] or (self.section.url.get_secret_value() if self.section.url else "")
        if not url and not dry_run:
            variable = f"CLOUDSIFT_{self.name.upper()}__URL"
            raise UsageError(f"{self.name}: no webhook URL: pass --url or set [{self.name}] url ({variable})")
        self.url = (
            check_url(url, f"{self.name} --url", secret=True)
            if url
            else f"https://{self.name}.invalid/(not set)"
        )

    @property
    def section(self) -> WebhookConfig:
        found: WebhookConfig = getattr(self.config, self.name)
        return found

    @classmethod
    def check_args(cls, args: dict[str, Any]) -> None:
        if args["url"]:
            check_url(args["url"], f"{cls.name} --url", secret=True)

    def identity(self) -> str:
        return secret_hash(self.url)

    def default_severity(self) -> str:
        return self.section.severity

    def trigger(self, alert: Alert) -> Request:
        return Request(self.url, self.message(messages.of(alert, link=dashboard_url(self.config, "/alerts"))))

    def resolve(self, alert: Alert) -> Request:
        return Request(self.url, self.resolved(alert))

    def secrets(self) -> list[str]:
        return [self.url]
