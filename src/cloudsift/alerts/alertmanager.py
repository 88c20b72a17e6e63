"""The alertmanager sink: Alertmanager's API v2 (`POST /api/v2/alerts`), firing while resources match.

Labels name the alert (alertname = the dedup key, severity, source, and cloud, account, region where
all its resources share one: the same labels on every re-post and on the resolve). Annotations carry
the summary and the resources by place. A firing alert's endsAt lies `valid_for_minutes` ahead: each run
that still finds resources posts it again; the resolve posts endsAt = now.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from cloudsift.alerts import messages
from cloudsift.alerts.sink import Alert, Request, Sink, check_url, dashboard_url, secret_hash, sink
from cloudsift.commands.base import Option
from cloudsift.config import Config
from cloudsift.errors import UsageError

API = "/api/v2/alerts"


@sink
class AlertmanagerSink(Sink):
    """Fire an alert in Prometheus Alertmanager (API v2) for the resources of a search; end it once they are gone.

    The labels are `alertname` (the dedup key), `severity`, `source` and, where all resources share
    one, `cloud`, `account` and `region`; the annotations hold the summary and the resources by place.
    A firing alert ends by itself after `[alertmanager] valid_for_minutes` unless the line runs again.

    Example: `search is(aws_ec2_security_group) and name =~ open | alertmanager --summary "Open groups" --dedup-key open_groups --url http://127.0.0.1:9093 --dry-run`
    """

    name = "alertmanager"
    receiver = "Alertmanager"
    max_summary = 4000
    options = (
        Option("--url", "Alertmanager's base URL (default: [alertmanager] url).", str, None),
        Option("--username", "Basic auth user (default: [alertmanager] username).", str, None),
        Option("--password", "Basic auth password (default: [alertmanager] password).", str, None),
        Option("--bearer-token", "Bearer token (default: [alertmanager] bearer_token).", str, None),
        Option(
            "--generator-url", "The alert's generatorURL (default: [alertmanager] generator_url).", str, None
        ),
        Option("--label", "An extra label, name=value (comma-separated for several).", str, None),
    )

    def __init__(self, args: dict[str, Any], config: Config, dry_run: bool = False) -> None:
        super().__init__(args, config, dry_run)
        section = config.alertmanager
        base = args["url"] or section.url
        if not base and not dry_run:
            raise UsageError(
                "alertmanager: no URL: pass --url or set [alertmanager] url (CLOUDSIFT_ALERTMANAGER__URL)"
            )
        self.url = (
            check_url(base, "alertmanager --url").rstrip("/") + API if base else "http://(not set)" + API
        )
        self.headers: dict[str, str] = {}
        password = args["password"] or (section.password.get_secret_value() if section.password else "")
        username = args["username"] or section.username
        token = args["bearer_token"] or (
            section.bearer_token.get_secret_value() if section.bearer_token else ""
        )
        if username or password:
            pair = base64.b64encode(f"{username}:{password}".encode()).decode()
            self.headers["Authorization"] = f"Basic {pair}"
        elif token:
            self.headers["Authorization"] = f"Bearer {token}"
        self._secrets = [s for s in (password, token, self.headers.get("Authorization", "")) if s]
        self.valid_for = dt.timedelta(minutes=section.valid_for_minutes)
        self.generator_url = (
            args["generator_url"] or section.generator_url or dashboard_url(config, "/alerts")
        )
        self.extra = _labels(args["label"])

    @classmethod
    def check_args(cls, args: dict[str, Any]) -> None:
        for option in ("url", "generator_url"):
            if args[option]:
                check_url(args[option], f"alertmanager --{option.replace('_', '-')}")
        _labels(args["label"])

    def identity(self) -> str:
        return secret_hash(self.url)

    def default_severity(self) -> str:
        return self.config.alertmanager.severity

    def _labels(self, alert: Alert) -> dict[str, str]:
        return {"alertname": alert.dedup_key, "severity": alert.severity, "source": "cloudsift",
                **messages.labels_of_places(alert.partitions), **self.extra}  # fmt: skip

    def trigger(self, alert: Alert) -> Request:
        body = messages.alertmanager_firing(messages.of(alert, link=self.generator_url), self._labels(alert),
                                            self.valid_for)  # fmt: skip
        return Request(self.url, [body], self.headers)

    def resolve(self, alert: Alert) -> Request:
        body = messages.alertmanager_resolved(self._labels(alert), alert.summary, alert.decided_at)
        return Request(self.url, [body], self.headers)

    def secrets(self) -> list[str]:
        return self._secrets


def _labels(text: str | None) -> dict[str, str]:
    labels: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        name, sep, value = item.strip().partition("=")
        if not sep or not name.strip().isidentifier():
            raise UsageError(f"alertmanager: --label takes name=value, not {item.strip()!r}")
        labels[name.strip()] = value.strip()
    return labels
