"""The opsgenie sink: Opsgenie's Alert API v2. Create with alias = the dedup key; close by alias."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from cloudsift.alerts import messages
from cloudsift.alerts.sink import Alert, Request, Sink, check_url, secret_hash, sink
from cloudsift.commands.base import Option
from cloudsift.config import Config
from cloudsift.errors import UsageError


@sink
class OpsgenieSink(Sink):
    """Open an Opsgenie alert (Alert API v2) for the resources of a search; close it once they are gone.

    The alias is the dedup key, so each run updates the one alert and the resolve closes it by alias.
    Severity maps to priority: critical P1, error P2, warning P3, info P5. The API key (GenieKey, from
    `--api-key` or `[opsgenie] api_key`) is never printed; `--region eu` uses api.eu.opsgenie.com.

    Example: `search is(aws_ec2_security_group) and name =~ open | opsgenie --summary "Open groups" --dedup-key open_groups --dry-run`
    """

    name = "opsgenie"
    receiver = "Opsgenie"
    max_summary = 130
    options = (
        Option("--api-key", "The API integration key (default: [opsgenie] api_key).", str, None),
        Option("--region", "us or eu (default: [opsgenie] region).", str, None, ("us", "eu")),
        Option("--url", "Another API base URL (default: [opsgenie] url or the region's).", str, None),
    )

    def __init__(self, args: dict[str, Any], config: Config, dry_run: bool = False) -> None:
        super().__init__(args, config, dry_run)
        section = config.opsgenie
        key = args["api_key"] or (section.api_key.get_secret_value() if section.api_key else "")
        if not key and not dry_run:
            raise UsageError(
                "opsgenie: no API key: pass --api-key or set [opsgenie] api_key (CLOUDSIFT_OPSGENIE__API_KEY)"
            )
        self.key = key or "(not set)"
        base = args["url"] or section.url or messages.OPSGENIE_URLS[args["region"] or section.region]
        self.base = check_url(base, "opsgenie --url").rstrip("/")
        self.headers = {"Authorization": f"GenieKey {self.key}"}

    @classmethod
    def check_args(cls, args: dict[str, Any]) -> None:
        if args["url"]:
            check_url(args["url"], "opsgenie --url")

    def identity(self) -> str:
        return secret_hash(self.base, self.key)

    def default_severity(self) -> str:
        return self.config.opsgenie.severity

    def trigger(self, alert: Alert) -> Request:
        return Request(f"{self.base}/v2/alerts", messages.opsgenie_create(messages.of(alert)), self.headers)

    def resolve(self, alert: Alert) -> Request:
        url = f"{self.base}/v2/alerts/{quote(alert.dedup_key, safe='')}/close?identifierType=alias"
        return Request(url, messages.opsgenie_close("cloudsift"), self.headers)

    def secrets(self) -> list[str]:
        return [self.key]
