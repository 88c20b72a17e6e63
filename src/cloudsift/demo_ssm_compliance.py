"""SSM Compliance for the emulated AWS: PutComplianceItems and ListResourceComplianceSummaries, which moto
does not implement (it answers HTTP 500).

A resource's items of one compliance type are kept as the last PutComplianceItems sent them (a COMPLETE
upload replaces them, a PARTIAL one adds to them), per account and region, and summed up as SSM does: the
resource is NON_COMPLIANT for that type when any item is, its overall severity the highest of those items
(of all items when none fails). Kept with moto's SSM state (its reset drops it too); served by moto's own server, so boto3 and the collector talk to it over HTTP.
"""

from __future__ import annotations

import json
import threading
from typing import Any

SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED")  # highest first
PUT = "put_compliance_items"  # moto's response methods, named after the API's operations
LIST = "list_resource_compliance_summaries"

KEPT = "cloudsift_compliance"  # kept on moto's SSM backend of the account and region: moto's reset drops it
_LOCK = threading.Lock()
Kept = dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, dict[str, Any]]]]


def _kept(response: Any) -> Kept:
    """(resource type, resource id, compliance type) -> (execution summary, items by id)."""
    backend = response.ssm_backend
    if not hasattr(backend, KEPT):
        setattr(backend, KEPT, {})
    return getattr(backend, KEPT)  # type: ignore[no-any-return]


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    return {f"{s.capitalize()}Count": sum(1 for i in items if i.get("Severity") == s) for s in SEVERITIES}


def _summary(
    key: tuple[str, str, str], execution: dict[str, Any], items: list[dict[str, Any]]
) -> dict[str, Any]:
    failing = [i for i in items if i.get("Status") == "NON_COMPLIANT"]
    passing = [i for i in items if i.get("Status") == "COMPLIANT"]
    ranked = [s for s in SEVERITIES if any(i.get("Severity") == s for i in failing or items)]
    return {
        "ResourceType": key[0], "ResourceId": key[1], "ComplianceType": key[2],
        "Status": "NON_COMPLIANT" if failing else "COMPLIANT", "OverallSeverity": (ranked or ["UNSPECIFIED"])[0],
        "ExecutionSummary": execution,
        "CompliantSummary": {"CompliantCount": len(passing), "SeveritySummary": _counts(passing)},
        "NonCompliantSummary": {"NonCompliantCount": len(failing), "SeveritySummary": _counts(failing)},
    }  # fmt: skip


def _matches(summary: dict[str, Any], filters: list[dict[str, Any]]) -> bool:
    for f in filters:
        found = str(summary.get(f.get("Key", ""), "")) in f.get("Values", [])
        if found != (f.get("Type", "EQUAL") == "EQUAL"):
            return False
    return True


def put_compliance_items(self: Any) -> str:
    body = json.loads(self.body or "{}")
    key = (body["ResourceType"], body["ResourceId"], body["ComplianceType"])
    with _LOCK:
        kept = _kept(self)
        items = {} if body.get("UploadType", "COMPLETE") == "COMPLETE" else dict(kept.get(key, ({}, {}))[1])
        items.update({str(i.get("Id") or len(items)): i for i in body.get("Items", [])})
        kept[key] = (body.get("ExecutionSummary") or {}, items)
    return "{}"


def list_resource_compliance_summaries(self: Any) -> str:
    filters = json.loads(self.body or "{}").get("Filters") or []
    with _LOCK:
        kept = dict(_kept(self))
    summaries = [_summary(key, execution, list(items.values())) for key, (execution, items) in kept.items()]
    return json.dumps({"ResourceComplianceSummaryItems": [s for s in summaries if _matches(s, filters)]})


def serve_compliance(served: bool = True) -> None:
    """Make moto answer SSM Compliance (or, `served` False, answer it as moto does: 500)."""
    from moto.ssm.responses import SimpleSystemManagerResponse

    for name, method in ((PUT, put_compliance_items), (LIST, list_resource_compliance_summaries)):
        if served:
            setattr(SimpleSystemManagerResponse, name, method)
        elif hasattr(SimpleSystemManagerResponse, name):
            delattr(SimpleSystemManagerResponse, name)
