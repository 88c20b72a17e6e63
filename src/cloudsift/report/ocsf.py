"""OCSF Detection Finding records (py-ocsf-models, as Prowler does): one per failing resource of a check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from py_ocsf_models.events.findings.activity_id import ActivityID
from py_ocsf_models.events.findings.detection_finding import DetectionFinding
from py_ocsf_models.events.findings.detection_finding_type_id import DetectionFindingTypeID
from py_ocsf_models.events.findings.severity_id import SeverityID
from py_ocsf_models.events.findings.status_id import StatusID
from py_ocsf_models.objects.account import Account, TypeID
from py_ocsf_models.objects.cloud import Cloud
from py_ocsf_models.objects.finding_info import FindingInformation
from py_ocsf_models.objects.metadata import Metadata
from py_ocsf_models.objects.product import Product
from py_ocsf_models.objects.remediation import Remediation
from py_ocsf_models.objects.resource_details import ResourceDetails

from cloudsift.report.formats import FORMATS
from cloudsift.report.result import CheckResult, Report, Resource

_SEVERITY = {"critical": SeverityID.Critical, "high": SeverityID.High, "medium": SeverityID.Medium,
             "low": SeverityID.Low, "info": SeverityID.Informational}  # fmt: skip


def detection_findings(report: Report) -> list[DetectionFinding]:
    found = []
    for result in report.check_results():
        found += [_finding(report, result, r, suppressed=False) for r in result.failed]
        found += [_finding(report, result, r, suppressed=True) for r in result.suppressed]
    return found


def _finding(report: Report, result: CheckResult, resource: Resource, suppressed: bool) -> DetectionFinding:
    from cloudsift import __version__

    check = result.check
    when = report.generated_at
    references = [u for u in (check.url, check.remediation.url) if u]
    return DetectionFinding(
        activity_id=ActivityID.Create,
        activity_name="Create",
        type_uid=DetectionFindingTypeID.Create,
        type_name="Detection Finding: Create",
        severity_id=_SEVERITY[check.severity],
        severity=check.severity.capitalize(),
        status_id=StatusID.Suppressed if suppressed else StatusID.New,
        status="Suppressed" if suppressed else "New",
        status_code="FAIL",
        status_detail=resource.suppressed_by or None,
        time=int(when.timestamp()),
        time_dt=when,
        message=f"{resource.kind} {resource.id}: {check.title}",
        metadata=Metadata(
            event_code=check.id,
            product=Product(name="cloudsift", vendor_name="cloudsift", version=__version__),
            profiles=["cloud"],
        ),
        finding_info=FindingInformation(
            uid=f"{check.id}/{resource.node_id}",
            title=check.title,
            desc=check.risk,
            types=check.categories or None,
            created_time=int(when.timestamp()),
            created_time_dt=when,
        ),
        cloud=Cloud(
            provider=resource.cloud or check.provider,
            region=resource.region or None,
            account=Account(
                name=resource.account_name or resource.account,
                uid=resource.account,
                type_id=TypeID.AWS_Account,
                type="AWS Account",
            ),
        ),
        resources=[
            ResourceDetails(
                uid=resource.id,
                name=resource.name,
                type=resource.kind,
                region=resource.region or None,
                cloud_partition="aws",
                data={"node_id": resource.node_id},
            )
        ],
        remediation=Remediation(desc=check.remediation.text, references=references or None),
        risk_details=check.risk,
        unmapped={"benchmark": report.id},
    )


def _plain(finding: DetectionFinding) -> dict[str, Any]:
    plain: dict[str, Any] = finding.model_dump(mode="json", exclude_none=True)
    return plain


@FORMATS.register("ocsf")
def ocsf_lines(report: Report, terminal: bool) -> Iterator[Any]:
    records = [_plain(f) for f in detection_findings(report)]
    yield orjson.dumps(records, option=orjson.OPT_INDENT_2).decode()
