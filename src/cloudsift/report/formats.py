"""Output formats of a report, one registered function each: text (a rich table in a terminal), markdown,
JSON, CSV, SARIF and OCSF. Each renders the same `Report`."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from cloudsift.registry import Registry
from cloudsift.report.result import CheckResult, Report, SectionResult

Formatter = Callable[[Report, bool], Iterator[Any]]  # (report, in a terminal) -> elements to print
FORMATS: Registry[Formatter] = Registry("report format")
FORMATS.declare("ocsf", "cloudsift.report.ocsf")  # py_ocsf_models takes 200 ms to import: only for --ocsf

STATUS_TEXT = {
    "passed": "passed",
    "failed": "FAILED",
    "not_evaluated": "not evaluated",
    "manual": "manual",
    "error": "error",
}


def share_text(section: SectionResult) -> str:
    counted = section.counts()
    evaluated = counted["passed"] + counted["failed"]
    share = section.share_passed
    text = f"{counted['passed']} of {evaluated} checks passed"
    text += f" ({share:.0%})" if share is not None else ""
    extra = [f"{counted[s]} {STATUS_TEXT[s]}" for s in ("not_evaluated", "manual", "error") if counted[s]]
    return text + (f", {', '.join(extra)}" if extra else "")


def _check_line(result: CheckResult) -> str:
    check = result.check
    text = f"{STATUS_TEXT[result.status]:<13} {check.severity:<8} {check.id}: {check.title}"
    if result.evaluated:
        text += f" ({result.failed_total} failed, {result.passed} passed"
        text += f", {len(result.suppressed)} suppressed)" if result.suppressed else ")"
    elif result.status in ("not_evaluated", "error"):
        text += f" ({result.reason})"
    return text


@FORMATS.register("text")
def text_lines(report: Report, terminal: bool) -> Iterator[Any]:
    if terminal:
        from cloudsift.commands.output import Table

        rows = [
            [r.check.id, r.check.severity, STATUS_TEXT[r.status], str(r.failed_total) if r.evaluated else "",
             str(r.passed) if r.evaluated else "", r.check.title]
            for r in report.check_results()
        ]  # fmt: skip
        yield Table(["check", "severity", "result", "failed", "passed", "title"], rows)
    yield f"{report.title}: {share_text(report.root)}"
    yield from _section_lines(report.root, 0, with_checks=not terminal)
    for result in report.check_results():
        for resource in result.failed:
            yield f"  {result.check.id}: {resource.kind} {resource.id} {resource.name} {resource.account} {resource.region}".rstrip()
        if result.unlisted:
            yield f"  {result.check.id}: and {result.unlisted} more (--max-resources 0 lists all)"
        for resource in result.suppressed:
            yield f"  {result.check.id}: {resource.kind} {resource.id} {resource.name} {resource.account} {resource.region} (suppressed: {resource.suppressed_by})"
    for stale in report.stale:
        yield f"warning: the last collection of {stale}; its resources are from an earlier collection"


def _section_lines(section: SectionResult, depth: int, with_checks: bool) -> Iterator[str]:
    indent = "  " * depth
    for child in section.children:
        yield f"{indent}{child.title}: {share_text(child)}"
        if with_checks:
            yield from (f"{indent}  {_check_line(r)}" for r in child.checks)
        yield from _section_lines(child, depth + 1, with_checks)
    if with_checks and depth == 0:
        yield from (_check_line(r) for r in section.checks)


@FORMATS.register("markdown")
def markdown_lines(report: Report, terminal: bool) -> Iterator[Any]:
    yield f"# {report.title}"
    yield ""
    yield share_text(report.root)
    yield from _markdown_section(report.root, 2)


def _markdown_section(section: SectionResult, level: int) -> Iterator[str]:
    if section.checks:
        yield ""
        yield "| check | severity | result | failed | passed | title |"
        yield "|---|---|---|---|---|---|"
        for r in section.checks:
            counts = (str(r.failed_total), str(r.passed)) if r.evaluated else ("", "")
            title = r.check.title.replace("|", "\\|")
            yield f"| {r.check.id} | {r.check.severity} | {STATUS_TEXT[r.status]} | {counts[0]} | {counts[1]} | {title} |"
        for r in section.checks:
            if r.failed:
                yield ""
                yield f"Failing for `{r.check.id}`:"
                yield from (f"- {x.kind} `{x.id}` {x.name} ({x.account}, {x.region})" for x in r.failed)
            if r.suppressed:
                yield ""
                yield f"Suppressed for `{r.check.id}`:"
                yield from (
                    f"- {x.kind} `{x.id}` {x.name} ({x.account}, {x.region}): {x.suppressed_by}"
                    for x in r.suppressed
                )
    for child in section.children:
        yield ""
        yield f"{'#' * min(level, 6)} {child.title}"
        yield ""
        yield share_text(child)
        yield from _markdown_section(child, level + 1)


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "title": report.title,
        "framework": report.framework,
        "version": report.version,
        "generated_at": report.generated_at.isoformat(),
        "accounts": list(report.accounts),
        "regions": list(report.regions),
        "stale_partitions": list(report.stale),
        **_section_dict(report.root),
    }


def _section_dict(section: SectionResult) -> dict[str, Any]:
    found: dict[str, Any] = {
        "title": section.title,
        "share_passed": section.share_passed,
        "counts": section.counts(),
    }
    if section.checks:
        found["checks"] = [check_dict(r) for r in section.checks]
    if section.children:
        found["children"] = [_section_dict(c) for c in section.children]
    return found


def check_dict(result: CheckResult) -> dict[str, Any]:
    check = result.check
    return {
        "id": check.id,
        "title": check.title,
        "severity": check.severity,
        "status": result.status,
        "reason": result.reason or None,
        "passed": result.passed,
        "failed": result.failed_total,
        "unlisted": result.unlisted,
        "failing_resources": [r.as_dict() for r in result.failed],
        "suppressed_resources": [r.as_dict() for r in result.suppressed],
        "risk": check.risk,
        "remediation": check.remediation.text,
        "url": check.url or check.remediation.url or None,
    }


@FORMATS.register("json")
def json_lines(report: Report, terminal: bool) -> Iterator[Any]:
    yield orjson.dumps(report_dict(report), option=orjson.OPT_INDENT_2).decode()


CSV_HEADER = ["report", "section", "check", "severity", "status", "passed", "failed",
              "kind", "resource_id", "resource_name", "account", "region"]  # fmt: skip


@FORMATS.register("csv")
def csv_lines(report: Report, terminal: bool) -> Iterator[Any]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for section, result in _with_sections(report.root, ""):
        head = [report.id, section, result.check.id, result.check.severity, result.status,
                result.passed if result.evaluated else "", result.failed_total if result.evaluated else ""]  # fmt: skip
        if not result.failed:
            writer.writerow([*head, "", "", "", "", ""])
        for r in result.failed:
            writer.writerow([*head, r.kind, r.id, r.name, r.account, r.region])
    yield out.getvalue().rstrip("\n")


def _with_sections(section: SectionResult, path: str) -> Iterator[tuple[str, CheckResult]]:
    for result in section.checks:
        yield path, result
    for child in section.children:
        yield from _with_sections(child, f"{path} / {child.title}" if path else child.title)
