"""Configuration: one TOML file validated by pydantic; every key overridable as CLOUDSIFT_<SECTION>__<KEY>.

Where the file is: --config, $CLOUDSIFT_CONFIG, or ~/.config/cloudsift/config.toml (optional).
Where the data is: --home, $CLOUDSIFT_HOME, or ~/.local/share/cloudsift.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from cloudsift.errors import ConfigError, UsageError

ENV_PREFIX = "CLOUDSIFT_"
_Table = TypeVar("_Table", bound=BaseModel)


# Every table refuses keys it does not know. Its validator is built on its first validation, not at
# import: a line run without a config file or CLOUDSIFT_* variables validates nothing (see load_config).
TABLE = ConfigDict(extra="forbid", defer_build=True)

_RETENTION = re.compile(r"0|(\d+[smhdw])+")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class StoreConfig(BaseModel):
    model_config = TABLE
    url: str = Field("", description="Empty: DuckDB in $CLOUDSIFT_HOME. postgresql://... for a shared store.")
    schema_name: str = Field(
        "cloudsift", alias="schema", description="PostgreSQL schema that holds the tables."
    )
    duckdb_memory_limit: str = Field(
        "1600MB", description="Most memory DuckDB uses; past it, it spills to disk."
    )
    retention: str = Field(
        "30d",
        description="How long finished runs are kept (workflow and job runs, the workers' tasks and queue jobs) "
        "and delivered alert events: 12h, 30d, 8w; 0 keeps them for ever. Pending events, running runs and "
        "each key's newest delivered event stay; `history` (node changes) is not affected.",
    )

    @field_validator("retention")
    @classmethod
    def _retention(cls, value: str) -> str:
        if _RETENTION.fullmatch(value.strip()) is None:
            raise ValueError(f"expected a duration such as 12h, 30d or 8w (0: for ever), not {value!r}")
        return value.strip()

    @property
    def retention_seconds(self) -> float | None:
        """The retention in seconds; None: kept for ever."""
        seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in re.findall(r"(\d+)([smhdw])", self.retention))
        return float(seconds) or None


class AwsConfig(BaseModel):
    model_config = TABLE
    regions: list[str] = Field(
        default_factory=list, description="Regions to collect; empty: every region enabled."
    )
    profiles: list[str] = Field(
        default_factory=list, description="Named profiles; empty: the standard credential chain."
    )
    role: str = Field(
        "",
        description="Role name assumed in each of `accounts` (and in every account of the org); renewed before its credentials expire.",
    )
    accounts: list[str] = Field(default_factory=list, description="Account ids to collect through `role`.")
    external_id: str = Field("", description="External id passed when assuming `role`.")
    scrape_org: bool = Field(
        False, description="Collect every account of the AWS Organization through `role`."
    )
    collect_caller_account: bool = Field(True, description="Collect the account the credentials belong to.")
    max_workers: int = Field(8, ge=1, le=128, description="Parallel (account, region, service) collections.")
    connect_timeout: float = Field(
        10, gt=0, le=600, description="Seconds to wait for an AWS endpoint to accept a connection."
    )
    read_timeout: float = Field(
        30, gt=0, le=3600, description="Seconds to wait for an AWS endpoint to answer a request once sent."
    )
    max_attempts: int = Field(
        5,
        ge=1,
        le=20,
        description="Tries of one AWS call, the first included (botocore's total_max_attempts, adaptive "
        "retries): a hung endpoint fails the call after about this many read timeouts.",
    )


class PagerDutyConfig(BaseModel):
    model_config = TABLE
    routing_key: SecretStr | None = Field(None, description="Events API v2 integration key (32 characters).")
    events_url: str = Field("https://events.pagerduty.com/v2/enqueue", description="Where events are sent.")
    allowed_urls: list[str] = Field(
        default_factory=list,
        description="Other events URLs a line's --webhook-url may send the configured routing_key to "
        "(a proxy, a PagerDuty region); any other URL needs the line's own --routing-key.",
    )
    source: str = Field("cloudsift", description="payload.source of every event.")
    severity: str = Field("warning", description="Default severity: critical, error, warning or info.")
    client: str = Field("cloudsift", description="Name shown in PagerDuty as the sender.")
    client_url: str = Field("", description="Link shown in PagerDuty to the sender.")
    deliver_within: float = Field(
        60,
        ge=0,
        le=3600,
        description="Seconds a line (or `alerts deliver`) keeps retrying its events, for every sink; "
        "then they stay pending for `cloudsift serve` or `alerts deliver`.",
    )
    retries: int = Field(
        10,
        ge=0,
        le=100,
        description="Retries of one event after its first try, within `deliver_within` (429, 5xx, timeouts, "
        "network errors; 0: one try).",
    )
    retry_base_seconds: float = Field(
        0.5,
        ge=0,
        le=60,
        description="First backoff; it doubles, with jitter, up to 8s (or as Retry-After asks).",
    )

    @field_validator("events_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        from cloudsift.alerts.sink import url_problem

        problem = url_problem(url)
        if problem:
            raise ValueError(problem)
        return url

    @field_validator("allowed_urls")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            cls._http_url(url)
        return urls


def _http_url(value: str, where: str) -> str:
    from cloudsift.alerts.sink import check_url

    if value:
        try:
            check_url(value, where)
        except UsageError as e:
            raise ValueError(str(e)) from None
    return value


class AlertmanagerConfig(BaseModel):
    model_config = TABLE
    url: str = Field(
        "",
        description="Alertmanager's base URL, e.g. http://alertmanager:9093 (alerts go to /api/v2/alerts).",
    )
    severity: str = Field("warning", description="Default severity label: critical, error, warning or info.")
    username: str = Field("", description="Basic auth user, when Alertmanager sits behind basic auth.")
    password: SecretStr | None = Field(None, description="Basic auth password.")
    bearer_token: SecretStr | None = Field(
        None, description="Bearer token, when Alertmanager sits behind one."
    )
    valid_for_minutes: int = Field(
        180,
        ge=5,
        le=10080,
        description="A firing alert's endsAt is this far ahead; each run of the line that still finds resources "
        "posts it again, so run it more often than this (a collection every hour: keep 180).",
    )
    generator_url: str = Field(
        "", description="generatorURL of every alert (default: the dashboard, when public)."
    )

    @field_validator("url", "generator_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _http_url(value, "alertmanager.url")


class OpsgenieConfig(BaseModel):
    model_config = TABLE
    api_key: SecretStr | None = Field(None, description="API integration key (GenieKey); never printed.")
    region: str = Field("us", description="us (api.opsgenie.com) or eu (api.eu.opsgenie.com).")
    url: str = Field("", description="Another API base URL (overrides region).")
    severity: str = Field(
        "warning", description="Default severity (critical P1, error P2, warning P3, info P5)."
    )

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if value not in ("us", "eu"):
            raise ValueError("must be us or eu")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _http_url(value, "opsgenie.url")


class WebhookConfig(BaseModel):
    """A chat webhook: its URL holds the secret."""

    model_config = TABLE
    url: SecretStr | None = Field(None, description="The webhook URL (it is the secret: never printed).")
    severity: str = Field("warning", description="Default severity: critical, error, warning or info.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            _http_url(value.get_secret_value(), "webhook url")
        return value


class ServerConfig(BaseModel):
    model_config = TABLE

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        return _http_url(value, "server.public_url").rstrip("/")

    host: str = Field(
        "127.0.0.1", description="Address `cloudsift serve` listens on; keep it local unless you must."
    )
    port: int = Field(8900, ge=0, le=65535, description="Port of `cloudsift serve` (0: any free port).")
    token: SecretStr | None = Field(
        None,
        description="Bearer token of the API; empty: generated on first start into $CLOUDSIFT_HOME/server.token.",
    )
    public_url: str = Field(
        "",
        description="Where people reach this server (https://cloudsift.example.com): alerts then link to the "
        "dashboard's pages of their resources.",
    )
    timezone: str = Field(
        "UTC", description="Time zone of every cron schedule (an IANA name such as Europe/Berlin)."
    )
    delivery_interval_seconds: float = Field(
        30, gt=0, le=3600, description="How often `serve` retries alerts still in the outbox."
    )
    line_timeout_seconds: float = Field(
        600,
        gt=0,
        description="Longest a line sent to the API runs; then it is stopped (jobs: their --timeout).",
    )
    max_request_bytes: int = Field(
        1 << 20, ge=1024, description="Largest request body the API takes; a larger one is answered 413."
    )


class WorkersConfig(BaseModel):
    model_config = TABLE
    enabled: bool = Field(
        False,
        description="On a PostgreSQL store: `collect` queues its tasks (one per account, region and service "
        "group) for `cloudsift serve --worker` processes and waits for them; off: it collects in-process.",
    )
    concurrency: int = Field(8, ge=1, le=256, description="Tasks one worker process runs at once (threads).")
    per_account: int = Field(
        4,
        ge=1,
        le=64,
        description="Tasks of one account that run at once over all workers (AWS throttles per account).",
    )
    service_groups: int = Field(
        3,
        ge=1,
        le=64,
        description="Tasks per (account, region): its services are split into this many groups.",
    )
    heartbeat_seconds: float = Field(5, gt=0, le=300, description="How often a worker says it is alive.")
    stalled_after_seconds: float = Field(
        20,
        gt=0,
        description="A worker silent this long is taken for dead: its tasks are run again by another.",
    )
    collect_timeout_seconds: float = Field(
        3600, gt=0, description="Longest `collect` waits for the workers to finish a collection."
    )


class JqConfig(BaseModel):
    model_config = TABLE
    cpu_seconds: int = Field(
        60, ge=1, description="CPU time one line's `jq` filter may use; then it is stopped."
    )
    memory_mb: int = Field(
        1024, ge=64, description="Memory one line's `jq` filter may use (its child process)."
    )


class CollectWorkflowConfig(BaseModel):
    model_config = TABLE
    schedule: str = Field(
        "0 * * * *",
        description="Cron schedule of the collect workflow under `serve`; empty: never on its own.",
    )
    kinds: list[str] = Field(
        default_factory=list,
        description="Collect only these kinds (the services they need); every other kind keeps its data. "
        "Empty: everything.",
    )


class WorkflowsConfig(BaseModel):
    model_config = TABLE
    collect: CollectWorkflowConfig = Field(default_factory=CollectWorkflowConfig)  # type: ignore[arg-type]


ParameterValue = str | int | float | bool | list[str | int | float | bool]


class ReportConfig(BaseModel):
    model_config = TABLE
    paths: list[Path] = Field(
        default_factory=list,
        description="Files or directories of check and benchmark files (Fix Inventory's format) loaded besides the bundled ones.",
    )
    override_values: dict[str, dict[str, ParameterValue]] = Field(
        default_factory=dict,
        description='Per check id, values of its ${name} and {{name}} parameters: `[report.override_values.aws_iam_access_key_rotated] max_age = "30d"`.',
    )
    ignore_checks: list[str] = Field(default_factory=list, description="Check ids that never run.")


class Config(BaseModel):
    model_config = TABLE
    home: Path = Field(default_factory=lambda: Path.home() / ".local" / "share" / "cloudsift")
    store: StoreConfig = Field(default_factory=StoreConfig)  # type: ignore[arg-type]
    pagerduty: PagerDutyConfig = Field(default_factory=PagerDutyConfig)  # type: ignore[arg-type]
    aws: AwsConfig = Field(default_factory=AwsConfig)  # type: ignore[arg-type]
    alertmanager: AlertmanagerConfig = Field(default_factory=AlertmanagerConfig)  # type: ignore[arg-type]
    opsgenie: OpsgenieConfig = Field(default_factory=OpsgenieConfig)  # type: ignore[arg-type]
    slack: WebhookConfig = Field(default_factory=WebhookConfig)  # type: ignore[arg-type]
    teams: WebhookConfig = Field(default_factory=WebhookConfig)  # type: ignore[arg-type]
    discord: WebhookConfig = Field(default_factory=WebhookConfig)  # type: ignore[arg-type]
    server: ServerConfig = Field(default_factory=ServerConfig)  # type: ignore[arg-type]
    workflows: WorkflowsConfig = Field(default_factory=WorkflowsConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    jq: JqConfig = Field(default_factory=JqConfig)  # type: ignore[arg-type]
    workers: WorkersConfig = Field(default_factory=WorkersConfig)  # type: ignore[arg-type]

    @field_validator("server")
    @classmethod
    def _known_timezone(cls, server: ServerConfig) -> ServerConfig:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(server.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {server.timezone!r}; use an IANA name such as UTC") from None
        return server

    @field_validator("workflows")
    @classmethod
    def _valid_schedule(cls, workflows: WorkflowsConfig) -> WorkflowsConfig:
        from cloudsift.schedule import check_cron

        if workflows.collect.schedule:
            check_cron(workflows.collect.schedule)
        return workflows

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


def settings(model: type[BaseModel] | None = None, prefix: tuple[str, ...] = ()) -> list[Setting]:
    """Every key below `model` (the whole config by default), nested tables flattened."""
    found: list[Setting] = []
    for name, info in (model or Config).model_fields.items():
        path = (*prefix, info.alias or name)
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            found += settings(info.annotation, path)
        elif path != ("home",):  # CLOUDSIFT_HOME: read on its own, after --home
            found.append(Setting(path, info.annotation))
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
    known = {s.variable: s for s in settings()}
    data: dict[str, Any] = {}
    sources: dict[tuple[str, ...], str] = {}
    for key, value in sorted(environ.items()):
        if not key.startswith(ENV_PREFIX) or key in OTHER_VARIABLES:
            continue
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
    if data.keys() <= {"home"}:  # nothing but the defaults, which pydantic never validates either
        return _defaults(Config, **({"home": Path(data["home"])} if "home" in data else {}))
    try:
        return Config.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = tuple(str(p) for p in first["loc"])
        key = sources.get(loc) or ".".join(loc)
        raise ConfigError(key, first["msg"]) from None


def _defaults(model: type[_Table], **values: Any) -> _Table:
    """`model` with its defaults and `values`, its tables too, built without a validator (a one-shot
    `cloudsift -c` without a config file then builds none: 20 ms of its start)."""
    for name, info in model.model_fields.items():
        table = info.annotation
        if name not in values and isinstance(table, type) and issubclass(table, BaseModel):
            values[name] = _defaults(table)
    return model.model_construct(**values)


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
    for section, model in _sections(Config, ""):
        lines += [f"## [{section}]", "", "| key | environment | default | meaning |", "|---|---|---|---|"]
        for name, info in model.model_fields.items():
            key = info.alias or name
            default = info.get_default(call_default_factory=True)
            shown = "" if default in ("", None, []) else f"`{default}`"
            env = f"`CLOUDSIFT_{section.upper().replace('.', '__')}__{key.upper()}`"
            lines.append(f"| `{key}` | {env} | {shown} | {info.description or ''} |")
        lines.append("")
    return "\n".join(lines)


def _sections(model: type[BaseModel], prefix: str) -> list[tuple[str, type[BaseModel]]]:
    """The config's tables, nested ones (workflows.collect) by their dotted name; only tables with keys."""
    found: list[tuple[str, type[BaseModel]]] = []
    for name, info in model.model_fields.items():
        inner = info.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            section = f"{prefix}{name}"
            scalars = [f for f in inner.model_fields.values() if not _is_table(f.annotation)]
            if scalars:
                found.append((section, inner))
            found += _sections(inner, section + ".")
    return found


def _is_table(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
