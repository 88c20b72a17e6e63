"""Checks and benchmarks as data, in Fix Inventory's published JSON format, validated by pydantic.

A check file is `{provider, service, checks: [...]}`; a check's id is `<provider>_<service>_<name>`.
A benchmark is a tree of sections (`children`) whose leaves list check ids.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cloudsift.errors import UsageError

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
ParameterValue = str | int | float | bool | list[str | int | float | bool]

# A parameter in a check's query: `${name}` (ours), or as Fix's files write it `{{name}}`, `{{name.ago}}`
# (now minus the duration) and `{{name.from_now}}` (now plus it).
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PARAMETER = re.compile(
    rf"\$\{{(?P<ours>{_NAME})\}}|\{{\{{\s*(?P<fix>{_NAME})(?:\.(?P<shift>ago|from_now))?\s*\}}\}}"
)
# How Fix writes the moment `.ago` and `.from_now` give: UTC, to the second.
_MOMENT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def severity_rank(severity: str) -> int:
    """info < low < medium < high < critical."""
    return [str(s) for s in SEVERITIES].index(severity)


class Remediation(BaseModel):
    """What to do about a failing resource; `action` holds tool-specific fixes (Fix's format)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    text: str = Field(min_length=1)
    url: str = ""
    complexity: Literal["low", "medium", "high"] | None = None
    action: dict[str, Any] | None = None


class Detect(BaseModel):
    """How a check finds failing resources: a search (`fix`), a command line (`fix_cmd`) or by hand (`manual`)."""

    model_config = ConfigDict(extra="allow", frozen=True)  # Fix files may carry other detectors (sql)
    fix: str | None = None
    fix_cmd: str | None = None
    manual: str | None = None

    @model_validator(mode="after")
    def _one_detector(self) -> Detect:
        given = [name for name in ("fix", "fix_cmd", "manual") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError(
                f"needs exactly one of fix, fix_cmd or manual (got {', '.join(given) or 'none'})"
            )
        return self


class CheckSpec(BaseModel):
    """One check as written in a check file."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # localizations, internal_notes, ... are kept out
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    title: str = Field(min_length=1)
    result_kinds: list[str]  # may be empty, as Fix allows: then the kinds its query's results are
    categories: list[str] = Field(default_factory=list)
    risk: str = Field(min_length=1)
    severity: Severity
    detect: Detect
    remediation: Remediation
    url: str | None = None
    related: list[str] | None = None
    default_values: dict[str, ParameterValue] | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy_result_kind(cls, data: Any) -> Any:
        # Older Fix files name a single `result_kind`.
        if isinstance(data, dict) and "result_kind" in data and "result_kinds" not in data:
            data = {**data, "result_kinds": [data["result_kind"]]}
        return data

    @model_validator(mode="after")
    def _parameters_have_values(self) -> CheckSpec:
        defaults = self.default_values or {}
        uses = sorted(_PARAMETER.finditer(self.detect.fix or self.detect.fix_cmd or ""), key=_parameter_name)
        for use in uses:
            name = _parameter_name(use)
            if name not in defaults:
                raise ValueError(f"detect uses {use.group(0)} but default_values has no {name!r}")
            if use.group("shift"):
                _seconds(use, defaults[name], "default_values")
        return self


class Check(CheckSpec):
    """A loaded check: its spec plus provider, service, id and the file it came from."""

    id: str
    provider: str
    service: str
    source: str

    @property
    def manual(self) -> bool:
        return self.detect.manual is not None

    def filled(self, overrides: dict[str, ParameterValue] | None = None) -> Check:
        """The check with its title, risk and remediation showing its parameters' values (`{{x.ago}}` as
        the duration given), as a reader wants them: "signed in within 90d", not "within ${recent}"."""
        values = {**(self.default_values or {}), **(overrides or {})}
        if not values:
            return self

        def fill(text: str) -> str:
            return _PARAMETER.sub(
                lambda use: (
                    parameter_text(values[name]) if (name := _parameter_name(use)) in values else use.group(0)
                ),
                text,
            )

        remediation = self.remediation.model_copy(update={"text": fill(self.remediation.text)})
        return self.model_copy(
            update={"title": fill(self.title), "risk": fill(self.risk), "remediation": remediation}
        )

    def detector(
        self, overrides: dict[str, ParameterValue] | None = None, now: dt.datetime | None = None
    ) -> tuple[str, str]:
        """('fix' | 'fix_cmd' | 'manual', the text with its parameters replaced by their values).

        `{{name.ago}}` and `{{name.from_now}}` are the moment `now` (the clock when not given) minus or plus
        the duration; an override that is no duration there is a UsageError naming the check."""
        values = {**(self.default_values or {}), **(overrides or {})}
        moment = now or dt.datetime.now(dt.UTC)

        def value(use: re.Match[str]) -> str:
            given = values[_parameter_name(use)]
            if not use.group("shift"):
                return parameter_text(given)
            try:
                seconds = _seconds(use, given, "override_values")
                shifted = moment + dt.timedelta(seconds=-seconds if use.group("shift") == "ago" else seconds)
            except (ValueError, OverflowError) as e:
                problem = (
                    str(e) if isinstance(e, ValueError) else f"{use.group(0)} is outside the years 1 to 9999"
                )
                raise UsageError(f"{self.source}: check {self.name}: {problem}") from None
            return shifted.astimezone(dt.UTC).strftime(_MOMENT_FORMAT)

        for name in ("fix", "fix_cmd", "manual"):
            text = getattr(self.detect, name)
            if text:
                return name, _PARAMETER.sub(value, text)
        raise AssertionError("a validated check has a detector")


def _parameter_name(use: re.Match[str]) -> str:
    return use.group("ours") or use.group("fix")


def _seconds(use: re.Match[str], value: ParameterValue, where: str) -> float:
    """The length of a duration value used with .ago or .from_now; ValueError when it is none."""
    from cloudsift.query.parser import parse_duration

    duration = parse_duration(value) if isinstance(value, str) else None
    if duration is None:
        raise ValueError(
            f"detect uses {use.group(0)} but {where} gives {_parameter_name(use)} = {value!r}, "
            "which is no duration (such as 90d, 12h or 1y2mo)"
        )
    return duration.seconds


def parameter_text(value: ParameterValue) -> str:
    """How a parameter value reads in a query: words as they are, lists as [a, b], booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return (
            "[" + ", ".join(json.dumps(v) if isinstance(v, str) else parameter_text(v) for v in value) + "]"
        )
    return str(value)


class CheckFile(BaseModel):
    """The head of a check file; its checks are validated one by one (a bad one does not hide the others)."""

    model_config = ConfigDict(extra="ignore")
    provider: str = Field(pattern=r"^[a-z0-9]+$")
    service: str = Field(pattern=r"^[a-z0-9_]+$")
    checks: list[dict[str, Any]]


class Section(BaseModel):
    """A section of a benchmark: either checks or children, never both."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    title: str = Field(min_length=1)
    description: str = ""
    documentation: str | None = None
    checks: list[str] | None = None
    children: list[Section] | None = None

    @model_validator(mode="after")
    def _checks_or_children(self) -> Section:
        if self.checks and self.children:
            raise ValueError(f"section {self.title!r} has both checks and children; it may have one of them")
        return self

    def check_ids(self) -> list[str]:
        """Every check id of this section and below, in order."""
        found = list(self.checks or [])
        for child in self.children or []:
            found += child.check_ids()
        return found


class Benchmark(Section):
    """A benchmark: a titled tree of sections with a framework and a version."""

    id: str = Field(pattern=r"^[A-Za-z0-9_\-.]+$")
    framework: str
    version: str
    clouds: list[str] | None = None
    source: str = ""

    @field_validator("clouds")
    @classmethod
    def _lower(cls, clouds: list[str] | None) -> list[str] | None:
        return None if clouds is None else [c.lower() for c in clouds]
