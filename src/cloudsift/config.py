"""Configuration: one TOML file; every key overridable as CLOUDSIFT_<SECTION>__<KEY>.

Where the file is: --config, $CLOUDSIFT_CONFIG, or ~/.config/cloudsift/config.toml (optional).
Where the data is: --home, $CLOUDSIFT_HOME, or ~/.local/share/cloudsift.

Each table is a plain dataclass whose fields declare their default, meaning and bounds. What a file or
the environment sets is validated by pydantic models made from these declarations (config_schema.py),
imported only then: a line run without a config file or CLOUDSIFT_* variables imports no pydantic.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import logging
import os
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cloudsift.errors import ConfigError, UsageError

ENV_PREFIX = "CLOUDSIFT_"

_RETENTION = re.compile(r"0|(\d+[smhdw])+")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class Secret:
    """A secret value (a routing key, a token): never shown by str() or repr()."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __str__(self) -> str:
        return "**********" if self._value else ""

    def __repr__(self) -> str:
        return f"Secret('{self}')"


def setting(
    default: Any = dataclasses.MISSING,
    *,
    doc: str = "",
    factory: Callable[[], Any] | None = None,
    check: Callable[[Any], Any] | None = None,
    **bounds: float,
) -> Any:
    """One key of a table: its default (or `factory`), what it means (`doc`, the docs' text), its bounds
    (ge, gt, le: pydantic's) and a `check` run on a value given (it returns the value kept, or raises
    ValueError)."""
    metadata = {"doc": doc, "check": check, "bounds": bounds}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


class Table:
    """A config table: the values given to it pass their keys' checks (the file's and the environment's
    also their types and bounds, in config_schema.py)."""

    def __post_init__(self) -> None:
        for key in dataclasses.fields(self):  # type: ignore[arg-type]
            check = key.metadata.get("check")
            value = getattr(self, key.name)
            if check is not None and value != _default(key):  # a default is valid: not checked, as pydantic
                setattr(self, key.name, check(value))


def keys(table: type[Table]) -> list[tuple[dataclasses.Field[Any], Any]]:
    """A table's keys, each with its type (annotations are text here: `from __future__`)."""
    hints = _hints(table)
    return [(key, hints[key.name]) for key in dataclasses.fields(table)]  # type: ignore[arg-type]


def _hints(table: type[Table]) -> dict[str, Any]:
    if table not in _HINTS:
        _HINTS[table] = typing.get_type_hints(table)
    return _HINTS[table]


_HINTS: dict[type[Table], dict[str, Any]] = {}


def is_table(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Table)


def _default(key: dataclasses.Field[Any]) -> Any:
    if key.default_factory is not dataclasses.MISSING:
        return key.default_factory()
    return key.default


def _retention(value: str) -> str:
    if _RETENTION.fullmatch(value.strip()) is None:
        raise ValueError(f"expected a duration such as 12h, 30d or 8w (0: for ever), not {value!r}")
    return value.strip()


def _events_url(url: str) -> str:
    from cloudsift.alerts.sink import url_problem

    problem = url_problem(url)
    if problem:
        raise ValueError(problem)
    return url


def _events_urls(urls: list[str]) -> list[str]:
    for url in urls:
        _events_url(url)
    return urls


def _http_url(where: str, secret: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        from cloudsift.alerts.sink import check_url

        if value:
            try:
                check_url(value, where, secret)
            except UsageError as e:
                raise ValueError(str(e)) from None
        return value

    return check


def _webhook_url(value: Secret | None) -> Secret | None:
    if value is not None:
        _http_url("webhook url", secret=True)(value.get_secret_value())
    return value


def _opsgenie_region(value: str) -> str:
    if value not in ("us", "eu"):
        raise ValueError("must be us or eu")
    return value


def _public_url(value: str) -> str:
    return _http_url("server.public_url")(value).rstrip("/")


def _several_heartbeats(workers: WorkersConfig) -> WorkersConfig:
    seconds, beat = workers.stalled_after_seconds, workers.heartbeat_seconds
    if seconds < 2 * beat:
        raise ValueError(
            f"stalled_after_seconds {seconds:g} is less than two heartbeats (heartbeat_seconds {beat:g}): every "
            "worker would be taken for dead between its beats; make it several times heartbeat_seconds"
        )
    return workers


def _known_timezone(server: ServerConfig) -> ServerConfig:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(server.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {server.timezone!r}; use an IANA name such as UTC") from None
    return server


def _valid_schedule(workflows: WorkflowsConfig) -> WorkflowsConfig:
    from cloudsift.schedule import check_cron

    if workflows.collect.schedule:
        check_cron(workflows.collect.schedule)
    return workflows


@dataclass
class StoreConfig(Table):
    url: str = setting("", doc="Empty: DuckDB in $CLOUDSIFT_HOME. postgresql://... for a shared store.")
    schema: str = setting("cloudsift", doc="PostgreSQL schema that holds the tables.")
    duckdb_memory_limit: str = setting("1600MB", doc="Most memory DuckDB uses; past it, it spills to disk.")
    retention: str = setting(
        "30d",
        check=_retention,
        doc="How long finished runs are kept (workflow and job runs, the workers' tasks and queue jobs) "
        "and delivered alert events: 12h, 30d, 8w; 0 keeps them for ever. Pending events, running runs and "
        "each key's newest delivered event stay; `history` (node changes) is not affected.",
    )

    @property
    def retention_seconds(self) -> float | None:
        """The retention in seconds; None: kept for ever."""
        seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in re.findall(r"(\d+)([smhdw])", self.retention))
        return float(seconds) or None


@dataclass
class AwsConfig(Table):
    regions: list[str] = setting(factory=list, doc="Regions to collect; empty: every region enabled.")
    profiles: list[str] = setting(factory=list, doc="Named profiles; empty: the standard credential chain.")
    role: str = setting(
        "",
        doc="Role name assumed in each of `accounts` (and in every account of the org); renewed before its credentials expire.",
    )
    accounts: list[str] = setting(factory=list, doc="Account ids to collect through `role`.")
    external_id: str = setting("", doc="External id passed when assuming `role`.")
    scrape_org: bool = setting(False, doc="Collect every account of the AWS Organization through `role`.")
    collect_caller_account: bool = setting(True, doc="Collect the account the credentials belong to.")
    max_workers: int = setting(8, ge=1, le=128, doc="Parallel (account, region, service) collections.")
    connect_timeout: float = setting(
        10, gt=0, le=600, doc="Seconds to wait for an AWS endpoint to accept a connection."
    )
    read_timeout: float = setting(
        30, gt=0, le=3600, doc="Seconds to wait for an AWS endpoint to answer a request once sent."
    )
    max_attempts: int = setting(
        5,
        ge=1,
        le=20,
        doc="Tries of one AWS call, the first included (botocore's total_max_attempts, adaptive "
        "retries): a hung endpoint fails the call after about this many read timeouts.",
    )


@dataclass
class PagerDutyConfig(Table):
    routing_key: Secret | None = setting(None, doc="Events API v2 integration key (32 characters).")
    events_url: str = setting(
        "https://events.pagerduty.com/v2/enqueue", check=_events_url, doc="Where events are sent."
    )
    allowed_urls: list[str] = setting(
        factory=list,
        check=_events_urls,
        doc="Other events URLs a line's --webhook-url may send the configured routing_key to "
        "(a proxy, a PagerDuty region); any other URL needs the line's own --routing-key.",
    )
    source: str = setting("cloudsift", doc="payload.source of every event.")
    severity: str = setting("warning", doc="Default severity: critical, error, warning or info.")
    client: str = setting("cloudsift", doc="Name shown in PagerDuty as the sender.")
    client_url: str = setting("", doc="Link shown in PagerDuty to the sender.")
    deliver_within: float = setting(
        60,
        ge=0,
        le=3600,
        doc="Seconds a line (or `alerts deliver`) keeps retrying its events, for every sink; "
        "then they stay pending for `cloudsift serve` or `alerts deliver`.",
    )
    retries: int = setting(
        10,
        ge=0,
        le=100,
        doc="Retries of one event after its first try, within `deliver_within` (429, 5xx, timeouts, "
        "network errors; 0: one try).",
    )
    retry_base_seconds: float = setting(
        0.5,
        ge=0,
        le=60,
        doc="First backoff; it doubles, with jitter, up to 8s (or as Retry-After asks).",
    )


@dataclass
class AlertmanagerConfig(Table):
    url: str = setting(
        "",
        check=_http_url("alertmanager.url"),
        doc="Alertmanager's base URL, e.g. http://alertmanager:9093 (alerts go to /api/v2/alerts).",
    )
    severity: str = setting("warning", doc="Default severity label: critical, error, warning or info.")
    username: str = setting("", doc="Basic auth user, when Alertmanager sits behind basic auth.")
    password: Secret | None = setting(None, doc="Basic auth password.")
    bearer_token: Secret | None = setting(None, doc="Bearer token, when Alertmanager sits behind one.")
    valid_for_minutes: int = setting(
        180,
        ge=5,
        le=10080,
        doc="A firing alert's endsAt is this far ahead; each run of the line that still finds resources "
        "posts it again, so run it more often than this (a collection every hour: keep 180).",
    )
    generator_url: str = setting(
        "",
        check=_http_url("alertmanager.generator_url"),
        doc="generatorURL of every alert (default: the dashboard, when public).",
    )


@dataclass
class OpsgenieConfig(Table):
    api_key: Secret | None = setting(None, doc="API integration key (GenieKey); never printed.")
    region: str = setting(
        "us", check=_opsgenie_region, doc="us (api.opsgenie.com) or eu (api.eu.opsgenie.com)."
    )
    url: str = setting("", check=_http_url("opsgenie.url"), doc="Another API base URL (overrides region).")
    severity: str = setting("warning", doc="Default severity (critical P1, error P2, warning P3, info P5).")


@dataclass
class WebhookConfig(Table):
    """A chat webhook: its URL holds the secret."""

    url: Secret | None = setting(
        None, check=_webhook_url, doc="The webhook URL (it is the secret: never printed)."
    )
    severity: str = setting("warning", doc="Default severity: critical, error, warning or info.")


@dataclass
class ServerConfig(Table):
    host: str = setting(
        "127.0.0.1", doc="Address `cloudsift serve` listens on; keep it local unless you must."
    )
    port: int = setting(8900, ge=0, le=65535, doc="Port of `cloudsift serve` (0: any free port).")
    token: Secret | None = setting(
        None,
        doc="Bearer token of the API; empty: generated on first start into $CLOUDSIFT_HOME/server.token.",
    )
    public_url: str = setting(
        "",
        check=_public_url,
        doc="Where people reach this server (https://cloudsift.example.com): alerts then link to the "
        "dashboard's pages of their resources.",
    )
    timezone: str = setting(
        "UTC", doc="Time zone of every cron schedule (an IANA name such as Europe/Berlin)."
    )
    delivery_interval_seconds: float = setting(
        30, gt=0, le=3600, doc="How often `serve` retries alerts still in the outbox."
    )
    line_timeout_seconds: float = setting(
        600,
        gt=0,
        doc="Longest a line sent to the API runs; then it is stopped (jobs: their --timeout).",
    )
    max_request_bytes: int = setting(
        1 << 20, ge=1024, doc="Largest request body the API takes; a larger one is answered 413."
    )


@dataclass
class WorkersConfig(Table):
    enabled: bool = setting(
        False,
        doc="On a PostgreSQL store: `collect` queues its tasks (one per account, region and service "
        "group) for `cloudsift serve --worker` processes and waits for them; off: it collects in-process.",
    )
    concurrency: int = setting(8, ge=1, le=256, doc="Tasks one worker process runs at once (threads).")
    per_account: int = setting(
        4,
        ge=1,
        le=64,
        doc="Tasks of one account that run at once over all workers (AWS throttles per account).",
    )
    service_groups: int = setting(
        3,
        ge=1,
        le=64,
        doc="Tasks per (account, region): its services are split into this many groups.",
    )
    heartbeat_seconds: float = setting(5, gt=0, le=300, doc="How often a worker says it is alive.")
    stalled_after_seconds: float = setting(
        60,
        gt=0,
        doc="A worker silent this long is taken for dead: its tasks are run again by another. At least two "
        "heartbeats; a worker only starved this long has its running tasks run twice.",
    )
    collect_timeout_seconds: float = setting(
        3600, gt=0, doc="Longest `collect` waits for the workers to finish a collection."
    )


@dataclass
class JqConfig(Table):
    cpu_seconds: int = setting(60, ge=1, doc="CPU time one line's `jq` filter may use; then it is stopped.")
    memory_mb: int = setting(1024, ge=64, doc="Memory one line's `jq` filter may use (its child process).")


@dataclass
class CollectWorkflowConfig(Table):
    schedule: str = setting(
        "0 * * * *",
        doc="Cron schedule of the collect workflow under `serve`; empty: never on its own.",
    )
    kinds: list[str] = setting(
        factory=list,
        doc="Collect only these kinds (the services they need); every other kind keeps its data. "
        "Empty: everything.",
    )


@dataclass
class WorkflowsConfig(Table):
    collect: CollectWorkflowConfig = setting(factory=CollectWorkflowConfig)


ParameterValue = str | int | float | bool | list[str | int | float | bool]


@dataclass
class ReportConfig(Table):
    paths: list[Path] = setting(
        factory=list,
        doc="Files or directories of check and benchmark files (Fix Inventory's format) loaded besides the bundled ones.",
    )
    override_values: dict[str, dict[str, ParameterValue]] = setting(
        factory=dict,
        doc='Per check id, values of its ${name} and {{name}} parameters: `[report.override_values.aws_iam_access_key_rotated] max_age = "30d"`.',
    )
    ignore_checks: list[str] = setting(factory=list, doc="Check ids that never run.")


@dataclass
class Config(Table):
    home: Path = setting(factory=lambda: Path.home() / ".local" / "share" / "cloudsift")
    store: StoreConfig = setting(factory=StoreConfig)
    pagerduty: PagerDutyConfig = setting(factory=PagerDutyConfig)
    aws: AwsConfig = setting(factory=AwsConfig)
    alertmanager: AlertmanagerConfig = setting(factory=AlertmanagerConfig)
    opsgenie: OpsgenieConfig = setting(factory=OpsgenieConfig)
    slack: WebhookConfig = setting(factory=WebhookConfig)
    teams: WebhookConfig = setting(factory=WebhookConfig)
    discord: WebhookConfig = setting(factory=WebhookConfig)
    server: ServerConfig = setting(factory=ServerConfig, check=_known_timezone)
    workflows: WorkflowsConfig = setting(factory=WorkflowsConfig, check=_valid_schedule)
    report: ReportConfig = setting(factory=ReportConfig)
    jq: JqConfig = setting(factory=JqConfig)
    workers: WorkersConfig = setting(factory=WorkersConfig, check=_several_heartbeats)

    @property
    def duckdb_path(self) -> Path:
        return self.home / "inventory.duckdb"


# Variables of ours that are not config keys: known, so they draw no warning.
OTHER_VARIABLES = {
    "CLOUDSIFT_CONFIG": "the config file",
    "CLOUDSIFT_HOME": "where the inventory lives",
    "CLOUDSIFT_TEST_POSTGRES": "the PostgreSQL URL the tests use",
    "CLOUDSIFT_EXAMPLES": "how many examples the property tests draw",
}

log = logging.getLogger("cloudsift.config")


@dataclass(frozen=True)
class Setting:
    """One config key as the environment names it."""

    path: tuple[str, ...]  # ("aws", "regions")
    annotation: Any

    @property
    def variable(self) -> str:
        return ENV_PREFIX + "__".join(part.upper() for part in self.path)

    @property
    def is_list(self) -> bool:
        return typing.get_origin(self.annotation) is list


def settings(table: type[Table] | None = None, prefix: tuple[str, ...] = ()) -> list[Setting]:
    """Every key below `table` (the whole config by default), nested tables flattened."""
    found: list[Setting] = []
    for key, annotation in keys(table or Config):
        path = (*prefix, key.name)
        if is_table(annotation):
            found += settings(annotation, path)
        elif path != ("home",):  # CLOUDSIFT_HOME: read on its own, after --home
            found.append(Setting(path, annotation))
    return found


def default_config_path(environ: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The config file, and whether it was named (then it must exist) rather than the default."""
    named = (os.environ if environ is None else environ).get("CLOUDSIFT_CONFIG")
    if named:
        return Path(named), True
    return Path.home() / ".config" / "cloudsift" / "config.toml", False


def _env_value(setting: Setting, value: str) -> Any:
    """A list key takes a JSON list or comma-separated words; other keys pydantic converts."""
    if not setting.is_list:
        return value
    if value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as e:
            raise ConfigError(setting.variable, f"not a valid JSON list: {e}") from None
        return parsed
    return [word.strip() for word in value.split(",") if word.strip()]


def _env_overrides(
    environ: Mapping[str, str], warn: Callable[[str], None]
) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """The config keys the environment sets, and which variable set each (for errors)."""
    data: dict[str, Any] = {}
    sources: dict[tuple[str, ...], str] = {}
    ours = sorted((k, v) for k, v in environ.items() if k.startswith(ENV_PREFIX) and k not in OTHER_VARIABLES)
    known = {s.variable: s for s in settings()} if ours else {}
    for key, value in ours:
        setting = known.get(key.upper())
        if setting is None:
            # compared without the prefix every name shares, which would make all of them look close
            names = [name[len(ENV_PREFIX) :] for name in [*known, *OTHER_VARIABLES]]
            close = difflib.get_close_matches(key.upper()[len(ENV_PREFIX) :], names, n=1, cutoff=0.6)
            hint = f" Did you mean {ENV_PREFIX + close[0]!r}?" if close else ""
            warn(f"{key} is not a cloudsift setting; it is ignored.{hint}")
            continue
        target = data
        for part in setting.path[:-1]:
            target = target.setdefault(part, {})
        target[setting.path[-1]] = _env_value(setting, value)
        sources[setting.path] = key
    return data, sources


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(
    path: Path | None = None,
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Config:
    """The config from the file (`path`, else $CLOUDSIFT_CONFIG, else the default, which may be
    absent) and the environment. An unknown CLOUDSIFT_* variable is passed to `warn`, never fatal."""
    env = os.environ if environ is None else environ
    file, named = (path, True) if path is not None else default_config_path(env)
    data = _read_file(file, named, "--config" if path is not None else "CLOUDSIFT_CONFIG")
    overrides, sources = _env_overrides(env, warn or log.warning)
    data = _merge(data, overrides)
    if home is not None:
        data["home"] = str(home)
    elif env.get("CLOUDSIFT_HOME"):
        data["home"] = env["CLOUDSIFT_HOME"]
    if data.keys() <= {"home"}:  # nothing but the defaults, which need no validating
        return Config(home=Path(data["home"])) if "home" in data else Config()
    from cloudsift.config_schema import validate  # pydantic: only for what a file or variable sets

    return validate(Config, data, sources)


def _read_file(file: Path, named: bool, named_by: str) -> dict[str, Any]:
    """The TOML file's tables; {} for the default file when it is absent."""
    try:
        text = file.read_bytes().decode("utf-8")
    except FileNotFoundError:
        if named:
            raise ConfigError(str(file), f"no such file (named by {named_by})") from None
        return {}
    except IsADirectoryError:
        raise ConfigError(str(file), "is a directory; name the TOML file in it") from None
    except PermissionError:
        raise ConfigError(str(file), "cannot be read (permission denied)") from None
    except UnicodeDecodeError as e:
        line = file.read_bytes()[: e.start].count(b"\n") + 1
        raise ConfigError(
            str(file), f"line {line}: not UTF-8 text (byte 0x{e.object[e.start]:02x}); save it as UTF-8"
        ) from None
    except OSError as e:
        raise ConfigError(str(file), f"cannot be read: {e.strerror or e}") from None
    if not text:  # os.devnull, as the tests and benchmarks name it
        return {}
    import tomllib  # only for a file that has something in it

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(str(file), f"not valid TOML: {e}") from None


def config_reference() -> str:
    """docs/configuration.md: every key, its environment override, its default and what it does."""
    lines = [
        "# Configuration",
        "",
        "One TOML file: `--config`, `$CLOUDSIFT_CONFIG`, or `~/.config/cloudsift/config.toml` (only this",
        "default may be absent; a file named by `--config` or `$CLOUDSIFT_CONFIG` must exist, as UTF-8 TOML).",
        "Every key can be overridden in the environment as `CLOUDSIFT_<SECTION>__<KEY>`; a list key takes",
        "comma-separated words (`CLOUDSIFT_AWS__REGIONS=us-east-1,eu-central-1`) or a JSON list",
        "(`CLOUDSIFT_AWS__REGIONS='[\"us-east-1\"]'`). A `CLOUDSIFT_*` variable that is no setting is named in a",
        "warning and ignored. The data lives in `--home`, `$CLOUDSIFT_HOME` or `~/.local/share/cloudsift`.",
        "Secrets (routing keys) are never printed.",
        "This page is generated from the code (`cloudsift.config.config_reference`); a test keeps it current.",
        "",
    ]
    for section, table in _sections(Config, ""):
        lines += [f"## [{section}]", "", "| key | environment | default | meaning |", "|---|---|---|---|"]
        for key, _ in keys(table):
            default = _default(key)
            shown = "" if default in ("", None, []) else f"`{default}`"
            env = f"`CLOUDSIFT_{section.upper().replace('.', '__')}__{key.name.upper()}`"
            lines.append(f"| `{key.name}` | {env} | {shown} | {key.metadata['doc']} |")
        lines.append("")
    return "\n".join(lines)


def _sections(table: type[Table], prefix: str) -> list[tuple[str, type[Table]]]:
    """The config's tables, nested ones (workflows.collect) by their dotted name; only tables with keys."""
    found: list[tuple[str, type[Table]]] = []
    for key, inner in keys(table):
        if is_table(inner):
            section = f"{prefix}{key.name}"
            if any(not is_table(annotation) for _, annotation in keys(inner)):
                found.append((section, inner))
            found += _sections(inner, section + ".")
    return found
