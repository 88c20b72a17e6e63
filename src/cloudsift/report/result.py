"""The one result type every output format renders: a tree of sections whose leaves are check results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from cloudsift.report.model import Check

Status = Literal["passed", "failed", "not_evaluated", "manual", "error"]


@dataclass(frozen=True)
class Resource:
    """A resource a check found failing, with where it lives."""

    node_id: str
    id: str
    name: str
    kind: str
    cloud: str
    account: str
    account_name: str
    region: str
    suppressed_by: str = ""  # the suppression's reason and owner, when one covers this finding

    @staticmethod
    def of_brief(row: tuple[Any, ...]) -> Resource:
        """From a row of BRIEF_COLUMNS (store.brief)."""
        node_id, kind, rid, name, cloud_id, cloud_name, account_id, account_name, _, region_name, *_ = (
            "" if v is None else str(v) for v in row
        )
        return Resource(
            node_id, rid, name, kind, cloud_name or cloud_id, account_id, account_name, region_name
        )

    @staticmethod
    def of(doc: dict[str, Any]) -> Resource:
        reported = doc.get("reported") or {}
        ancestors = doc.get("ancestors") or {}

        def ancestor(level: str, key: str) -> str:
            value = ((ancestors.get(level) or {}).get("reported") or {}).get(key)
            return "" if value is None else str(value)

        return Resource(
            node_id=str(doc.get("id")),
            id=str(reported.get("id", "")),
            name=str(reported.get("name", "")),
            kind=str(reported.get("kind", "")),
            cloud=ancestor("cloud", "name") or ancestor("cloud", "id"),
            account=ancestor("account", "id"),
            account_name=ancestor("account", "name"),
            region=ancestor("region", "name"),
        )

    def as_dict(self) -> dict[str, str]:
        found = {
            "node_id": self.node_id,
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "cloud": self.cloud,
            "account": self.account,
            "account_name": self.account_name,
            "region": self.region,
        }
        if self.suppressed_by:
            found["suppressed_by"] = self.suppressed_by
        return found


@dataclass(frozen=True)
class CheckResult:
    """How one check went: `failed` lists the failing resources; `passed` counts the others of its kinds."""

    check: Check
    status: Status
    failed: tuple[Resource, ...] = ()
    passed: int = 0
    reason: str = ""  # why not evaluated, the error, or the manual instructions
    suppressed: tuple[Resource, ...] = ()
    unlisted: int = 0  # failing resources counted but not listed (past the run's --max-resources)

    @property
    def failed_total(self) -> int:
        return len(self.failed) + self.unlisted

    @property
    def evaluated(self) -> bool:
        return self.status in ("passed", "failed")


@dataclass(frozen=True)
class SectionResult:
    title: str
    description: str = ""
    checks: tuple[CheckResult, ...] = ()
    children: tuple[SectionResult, ...] = ()

    def all_checks(self) -> Iterator[CheckResult]:
        yield from self.checks
        for child in self.children:
            yield from child.all_checks()

    def counts(self) -> dict[Status, int]:
        counted: dict[Status, int] = {"passed": 0, "failed": 0, "not_evaluated": 0, "manual": 0, "error": 0}
        for result in self.all_checks():
            counted[result.status] += 1
        return counted

    @property
    def share_passed(self) -> float | None:
        """Passed checks over evaluated checks (manual, not evaluated and erroneous ones left out)."""
        counted = self.counts()
        evaluated = counted["passed"] + counted["failed"]
        return None if evaluated == 0 else counted["passed"] / evaluated

    def only_failing(self) -> SectionResult | None:
        checks = tuple(c for c in self.checks if c.status == "failed")
        children = tuple(k for k in (c.only_failing() for c in self.children) if k is not None)
        if not checks and not children:
            return None
        return SectionResult(self.title, self.description, checks, children)


@dataclass(frozen=True)
class Report:
    """A benchmark's (or an ad-hoc set of checks') results over a scope of accounts and regions."""

    id: str
    title: str
    framework: str
    version: str
    root: SectionResult
    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    stale: tuple[str, ...] = ()  # partitions in scope whose last collection failed: their data is old
    dedup_by: str = "check"  # one alert per check, or per check and account, when a sink follows

    def check_results(self) -> list[CheckResult]:
        """Each check once, in the order of the tree."""
        seen: dict[str, CheckResult] = {}
        for result in self.root.all_checks():
            seen.setdefault(result.check.id, result)
        return list(seen.values())
