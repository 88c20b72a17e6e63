"""Checking a check without an inventory: every query parses and binds against the data model."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cloudsift.errors import CloudsiftError
from cloudsift.model import MODEL
from cloudsift.query.binder import Binder
from cloudsift.query.parser import parse_query
from cloudsift.report.model import Check

if TYPE_CHECKING:
    from cloudsift.commands.base import Context


def query_problem(check: Check, overrides: dict[str, object] | None = None) -> str | None:
    """Why the check's query does not parse or bind (with the kinds it names), or None when it does."""
    try:
        kind, text = check.detector(overrides)  # type: ignore[arg-type]
    except CloudsiftError as e:  # an override that is no duration, used with .ago
        return e.render()
    try:
        if kind == "fix":
            _bind(text)
        elif kind == "fix_cmd":
            from cloudsift.commands.pipeline import parse_line
            from cloudsift.commands.search import searches_of
            from cloudsift.commands.secret_scan import DetectSecretsCommand

            pipelines = parse_line(text)
            for cmd in searches_of(pipelines):
                _bind(cmd.query_text)
            for pipeline in pipelines:  # a detect-secrets path names properties of the model too
                for scan in (c for c in pipeline.commands if isinstance(c, DetectSecretsCommand)):
                    scan.check_paths(MODEL)
    except CloudsiftError as e:
        return f"{check.source}: check {check.name}: detect.{kind}: {e.render()}"
    unknown = [k for k in check.result_kinds if k not in MODEL.kinds]
    if unknown:
        return f"{check.source}: check {check.name}: result_kinds: unknown kind {unknown[0]!r}"
    return None


def _bind(text: str) -> None:
    Binder(MODEL, (), None, text).query(parse_query(text))


def syntax_problems(checks: Iterable[Check], ctx: Context) -> list[str]:
    overrides = ctx.config.report.override_values
    found = (query_problem(c, overrides.get(c.id)) for c in checks)  # type: ignore[arg-type]
    return [p for p in found if p is not None]
