"""A sink is one registered class: what it sends for trigger and resolve, its limits, its secrets.

What every sink shares lives elsewhere and is not the sink's business: the command and its shared
options (commands/sinks.py), the decision and the no-false-clear rule (alerts/lifecycle.py), the
durable outbox, retries and the time budget (alerts/outbox.py). docs: /work/notes/SINK-API.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import httpx

from cloudsift.errors import UsageError
from cloudsift.registry import Registry

if TYPE_CHECKING:
    from cloudsift.commands.base import Option
    from cloudsift.config import Config

SEVERITIES = ("critical", "error", "warning", "info")


@dataclass(frozen=True)
class Request:
    """One HTTP request a sink wants sent. It is stored in the outbox as it is (secrets included, as the
    receiver needs them) and sent later, maybe by another process: everything it needs is in here."""

    url: str
    body: Any  # the JSON posted: an object, or a list (Alertmanager takes a list of alerts)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    """What the shared lifecycle hands a sink: the alert's words, what was found, when it was decided."""

    summary: str
    dedup_key: str
    severity: str  # one of SEVERITIES; a sink maps it to its own levels
    nodes: list[dict[str, Any]]  # the resources found now (empty for a resolve)
    decided_at: dt.datetime
    # "account/region" places of the resources: found now for a trigger, of the last trigger for a resolve
    partitions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """How the receiver took a request: delivered, failed (final: resending cannot help), or retry."""

    outcome: str  # delivered | failed | retry
    detail: str
    retry_after: float | None = None  # seconds the receiver asked us to wait (Retry-After)


class Sink(ABC):
    """Subclass, set `name` (the command's name), implement `identity`, `trigger`, `resolve`; decorate
    with @sink. `args` are the parsed options (shared and own, by dest); `config` the whole config."""

    name: ClassVar[str]
    receiver: ClassVar[str] = ""  # how people name the receiving service ("PagerDuty"); default: name
    options: ClassVar[tuple[Option, ...]] = ()  # its own options; the shared ones come first
    actions: ClassVar[tuple[str, ...]] = ("trigger", "resolve")  # what `event` can make
    max_summary: ClassVar[int] = 1024  # longer summaries are cut with an ellipsis

    def __init__(self, args: dict[str, Any], config: Config, dry_run: bool = False) -> None:
        """Check the options against the config here (UsageError); a dry run may lack secrets."""
        self.args = args
        self.config = config
        self.dry_run = dry_run

    @classmethod
    def check_args(cls, args: dict[str, Any]) -> None:
        """Refuse bad options when the line is parsed (before the config is known): URLs, syntax."""
        return None

    @abstractmethod
    def identity(self) -> str:
        """Where the alert lives, without a secret in it (hash keys with `secret_hash`): the alert's
        state is kept per (sink, identity, dedup key)."""

    @abstractmethod
    def trigger(self, alert: Alert) -> Request:
        """The request that opens or updates the alert, naming its resources within the sink's limits."""

    @abstractmethod
    def resolve(self, alert: Alert) -> Request:
        """The request that closes the alert."""

    def default_severity(self) -> str:
        """The severity when the line gives no --severity (usually from the sink's config section)."""
        return "warning"

    def forced_action(self) -> str | None:
        """An action the options ask for whatever was found (pagerduty --event-action); None: decide."""
        return None

    def event(self, action: str, alert: Alert) -> Request:
        if action == "trigger":
            return self.trigger(alert)
        if action == "resolve":
            return self.resolve(alert)
        raise UsageError(f"{self.name} cannot {action}: it knows {', '.join(self.actions)}")

    def secrets(self) -> list[str]:
        """The secret values this sink holds (keys, tokens): masked wherever a request is shown."""
        return []

    @classmethod
    def answer(cls, response: httpx.Response) -> Answer:
        """Classify the receiver's answer. Default: 2xx delivered; 408, 425, 429 and 5xx retry
        (Retry-After honoured); any other 4xx failed, with the body's first 300 characters."""
        status = response.status_code
        if 200 <= status < 300:
            return Answer("delivered", str(status))
        if status in (408, 425, 429) or status >= 500:
            return Answer("retry", f"HTTP {status}", retry_after(response))
        return Answer("failed", f"HTTP {status}: {response.text[:300]}".rstrip(": "))


SINKS: Registry[type[Sink]] = Registry("sink")
# The module of each sink, imported when the sink is first asked for (tests/test_imports.py checks it).
SINK_MODULES = {
    "alertmanager": "cloudsift.alerts.alertmanager",
    "discord": "cloudsift.alerts.discord",
    "http": "cloudsift.alerts.webhook",
    "opsgenie": "cloudsift.alerts.opsgenie",
    "pagerduty": "cloudsift.alerts.pagerduty",
    "slack": "cloudsift.alerts.slack",
    "teams": "cloudsift.alerts.teams",
}
for _name, _module in SINK_MODULES.items():
    SINKS.declare(_name, _module)


def sink(cls: type[Sink]) -> type[Sink]:
    """Register a sink; it becomes a command of the same name with the shared options and its own."""
    from cloudsift.commands.base import COMMANDS
    from cloudsift.commands.sinks import sink_command

    SINKS.add(cls.name, cls)
    COMMANDS.add(cls.name, sink_command(cls))
    return cls


def dashboard_url(config: Config, path: str, **query: str) -> str | None:
    """A page of the dashboard, when `[server] public_url` says where people reach it."""
    from urllib.parse import urlencode

    base = config.server.public_url
    if not base:
        return None
    return f"{base}/ui{path}" + (f"?{urlencode(query)}" if query else "")


def resource_links(config: Config, nodes: list[dict[str, Any]], limit: int = 10) -> list[dict[str, str]]:
    """Links to the dashboard's pages of the first resources (none without a public URL)."""
    links = []
    for node in nodes[:limit]:
        reported = node.get("reported") or {}
        href = dashboard_url(config, "/resource", id=str(node.get("id")))
        if href:
            links.append(
                {
                    "href": href,
                    "text": f"{reported.get('kind')} {reported.get('name') or reported.get('id')} in cloudsift",
                }
            )
    return links


def mask(secret: str) -> str:
    """A secret as it may be shown: its last four characters."""
    return f"****{secret[-4:]}" if len(secret) >= 8 else "****"


def secret_hash(*parts: str) -> str:
    """Names a secret (or a URL with one) without keeping it."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def url_problem(url: str, secret: bool = False) -> str | None:
    """What is wrong with an events URL, if anything: `not a url`, ftp:// or file:// would be retried
    forever (or read a file), so only http(s) with a host is taken. A secret URL (a chat webhook's) is
    not quoted in the message: it would reach the terminal and the logs."""
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:  # e.g. a malformed IPv6 host
        scheme, host = "", None
    if scheme not in ("http", "https") or not host or any(c.isspace() for c in url):
        shown = "the URL (a secret: not shown)" if secret else repr(url)
        return f"{shown} is not an http(s) URL with a host"
    return None


def check_url(url: str, where: str, secret: bool = False) -> str:
    problem = url_problem(url, secret)
    if problem:
        raise UsageError(f"{where}: {problem}")
    return url


def retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (a number; an HTTP date is read as its distance from now)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
