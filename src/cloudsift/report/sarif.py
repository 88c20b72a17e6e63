"""SARIF 2.1.0 (for GitHub code scanning): one rule per check, one result per failing resource.

Resources are not files: each result's location is the resource's path `cloud/account/region/kind/id`
as an artifact URI, and the same as a logical location.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import orjson

from cloudsift.report.formats import FORMATS
from cloudsift.report.result import CheckResult, Report, Resource

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# GitHub ranks code-scanning alerts by `security-severity` (0.0-10.0); SARIF's own levels are coarser.
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def sarif_log(report: Report) -> dict[str, Any]:
    from cloudsift import __version__

    results = [r for r in report.check_results() if r.status != "manual"]
    rules = [_rule(r) for r in results]
    index = {r.check.id: i for i, r in enumerate(results)}
    findings = [_result(r, resource, index[r.check.id]) for r in results for resource in r.failed]
    for r in results:
        for resource in r.suppressed:
            muted = _result(r, resource, index[r.check.id])
            muted["suppressions"] = [
                {"kind": "external", "status": "accepted", "justification": resource.suppressed_by}
            ]
            findings.append(muted)
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "cloudsift", "version": __version__,
                            "informationUri": "https://github.com/cloudsift/cloudsift", "rules": rules}},
        "automationDetails": {"id": f"{report.id}/{report.generated_at.strftime('%Y-%m-%dT%H:%M:%SZ')}"},
        "results": findings,
        "properties": {"benchmark": report.id, "title": report.title},
    }  # fmt: skip
    not_run = [r for r in results if not r.evaluated]
    if not_run:
        run["invocations"] = [{
            "executionSuccessful": not any(r.status == "error" for r in not_run),
            "toolExecutionNotifications": [
                {"level": "error" if r.status == "error" else "note",
                 "message": {"text": f"{r.check.id}: {r.status.replace('_', ' ')}: {r.reason}"},
                 "descriptor": {"id": r.check.id}}
                for r in not_run
            ],
        }]  # fmt: skip
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(result: CheckResult) -> dict[str, Any]:
    check = result.check
    rule: dict[str, Any] = {
        "id": check.id,
        "name": "".join(word.capitalize() for word in check.id.split("_")),
        "shortDescription": {"text": check.title},
        "fullDescription": {"text": check.risk},
        "help": {"text": check.remediation.text,
                 "markdown": f"**Risk**: {check.risk}\n\n**Remediation**: {check.remediation.text}"},
        "defaultConfiguration": {"level": _LEVEL[check.severity]},
        "properties": {"security-severity": _SECURITY_SEVERITY[check.severity],
                       "tags": list(dict.fromkeys(["security", *check.categories]))},
    }  # fmt: skip
    url = check.url or check.remediation.url
    if url:
        rule["helpUri"] = url
    return rule


def _result(result: CheckResult, resource: Resource, rule_index: int) -> dict[str, Any]:
    path = "/".join(quote(p, safe="") for p in (resource.cloud or "aws", resource.account, resource.region,
                                                 resource.kind, resource.id))  # fmt: skip
    return {
        "ruleId": result.check.id,
        "ruleIndex": rule_index,
        "level": _LEVEL[result.check.severity],
        "message": {"text": f"{resource.kind} {resource.id} ({resource.name}) in {resource.account}/{resource.region}: {result.check.title}"},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": path}},
            "logicalLocations": [{"name": resource.id, "fullyQualifiedName": path, "kind": "resource"}],
        }],
        "partialFingerprints": {"resource": f"{result.check.id}/{resource.node_id}"},
    }  # fmt: skip


@FORMATS.register("sarif")
def sarif_lines(report: Report, terminal: bool) -> Iterator[Any]:
    yield orjson.dumps(sarif_log(report), option=orjson.OPT_INDENT_2).decode()
