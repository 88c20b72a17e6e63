"""Running checks: each check's search (or command line) over the inventory, within a scope of accounts
and regions; per check the failing resources and how many of its kinds passed.

A check looks at the places of the scope holding its resources and at those where the collection record
says a service providing its result kinds ran (report/coverage.py). With no such place it is "not
evaluated", never "passed": without a record, a kind with no resource in the scope may never have been
collected (resources of other kinds of its service are no evidence: a collected security group says
nothing about network ACLs); with one, a service that answered and found nothing passes the check with 0
resources. Places where a kind the check reads was never collected are left out: a check that finds
nothing elsewhere is "not evaluated" there, one that finds failing resources elsewhere fails and names
the places it left out.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cloudsift.errors import CloudsiftError
from cloudsift.query import ast
from cloudsift.query.binder import Binder
from cloudsift.query.parser import parse_aggregate, parse_query
from cloudsift.report.coverage import Coverage, Place, Unjudged, needed_kinds
from cloudsift.report.library import Library
from cloudsift.report.model import Benchmark, Check, ParameterValue, Section, severity_rank
from cloudsift.report.result import CheckResult, Report, Resource, SectionResult, Status
from cloudsift.report.suppressions import Suppression, Suppressions

if TYPE_CHECKING:
    from cloudsift.commands.base import Context
    from cloudsift.commands.pipeline import Pipeline
    from cloudsift.commands.search import SearchCommand

_TOTALS = "kind as kind, /ancestors.account.reported.id as account, /ancestors.region.reported.id as region: sum(1) as count"
# (account, region) of a count: None for a resource outside any account or region
Spot = tuple[str | None, str | None]
# kind -> (account, region) -> resources: a check reads only its own kinds' places, however many the scope has
Totals = dict[str, dict[Spot, int]]


@dataclass(frozen=True)
class Scope:
    """Which accounts and regions a run looks at (empty: all), and the least severity it runs."""

    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    severity: str | None = None

    def term(self) -> ast.Term | None:
        """The search term that keeps a node inside the scope (accounts by id or name)."""
        pieces = []
        if self.accounts:
            values = _list(self.accounts)
            pieces.append(
                f"(/ancestors.account.reported.id in {values} or /ancestors.account.reported.name in {values})"
            )
        if self.regions:
            pieces.append(f"/ancestors.region.reported.name in {_list(self.regions)}")
        if not pieces:
            return None
        return parse_query(" and ".join(pieces)).parts[0].term

    def includes(self, resource: Resource) -> bool:
        in_accounts = (
            not self.accounts or resource.account in self.accounts or resource.account_name in self.accounts
        )
        return in_accounts and (not self.regions or resource.region in self.regions)

    def runs(self, check: Check) -> bool:
        return self.severity is None or severity_rank(check.severity) >= severity_rank(self.severity)


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


class CheckRunner:
    """Runs checks of a library in one process: the totals per kind are counted once per run."""

    def __init__(self, ctx: Context, library: Library, scope: Scope, max_resources: int = 0) -> None:
        self.ctx = ctx
        self.max_resources = max_resources  # failing resources listed per check; 0: all of them
        self.library = library
        self.scope = scope
        self._totals: Totals | None = None
        self._coverage: Coverage | None = None
        self._scope_places: set[Place] | None = None
        self._suppressions: list[Suppression] | None = None

    # ---- one check

    def run(self, check: Check) -> CheckResult:
        overrides = self.ctx.config.report.override_values.get(check.id)
        check = check.filled(overrides)
        if check.manual:
            return CheckResult(check, "manual", reason=check.detect.manual or "")
        if not check.result_kinds:
            derived = self._with_kinds(check, overrides)
            if isinstance(derived, CheckResult):
                return derived
            check = derived
        unknown = [k for k in check.result_kinds if k not in self.ctx.store.model.kinds]
        if unknown:
            return CheckResult(check, "not_evaluated", reason=f"kind {unknown[0]} is not in this data model")
        places = self._places(check.result_kinds)
        if not places:
            kinds = " or ".join(check.result_kinds)
            return CheckResult(check, "not_evaluated", reason=f"not collected: no {kinds} in the scope")
        try:  # the clock is read here, for the {{name.ago}} parameters of this check
            kind, text = check.detector(overrides)
        except CloudsiftError as e:
            return CheckResult(check, "error", reason=e.render())
        try:  # a check whose query does not parse is an error of its own, never the whole report's
            query = parse_query(text) if kind == "fix" else None
            pipelines = _pipelines(text) if kind == "fix_cmd" else []
        except CloudsiftError as e:
            return CheckResult(check, "error", reason=e.render())
        searches = [query] if query is not None else [c.parsed for c in _searches(pipelines)]
        unjudged = self._unjudged(check, searches, places)
        if not places - set(unjudged.places):
            return CheckResult(check, "not_evaluated", reason=unjudged.reason())
        collected = self._count(set(check.result_kinds), unjudged)
        try:
            found, unlisted = (
                self._search(check, query, text, unjudged)
                if query is not None
                else (self._command(pipelines, unjudged), 0)
            )
        except CloudsiftError as e:
            return CheckResult(check, "error", reason=e.render())
        ordered = sorted(found, key=lambda r: (r.account, r.region, r.kind, r.id))
        failed, suppressed = self._split(check, ordered)
        passed = max(0, collected - len(ordered) - unlisted)
        status: Status = "failed" if failed or unlisted else "passed"
        if unjudged and status == "passed":  # what it could not see may fail
            status = "not_evaluated"
        reason = unjudged.reason() if unjudged else ""
        return CheckResult(
            check, status, failed, passed, reason=reason, suppressed=suppressed, unlisted=unlisted
        )

    def _with_kinds(self, check: Check, overrides: dict[str, ParameterValue] | None) -> Check | CheckResult:
        """A check loaded without result kinds (its query did not parse then): the kinds its query's
        results are, with this config's values, or why it cannot run (never 'not collected')."""
        from cloudsift.report.coverage import result_kinds_of

        try:
            kind, text = check.detector(overrides)
            kinds = result_kinds_of(kind, text)
        except CloudsiftError as e:
            return CheckResult(check, "error", reason=e.render())
        if not kinds:
            return CheckResult(
                check, "error", reason="result_kinds is empty and its query's results name no kind"
            )
        return check.model_copy(update={"result_kinds": kinds})

    def _places(self, kinds: Iterable[str]) -> set[Spot]:
        """The places of the scope a check of these kinds looks at: those holding its resources, and those
        where the collection record says a service providing them ran (finding some or none)."""
        concrete = self._concrete(kinds)
        totals = self.totals()
        held = {place for k in concrete for place in totals.get(k, {})}
        if self._scope_places is None:  # every place the scope holds something in
            self._scope_places = {(a, r) for counted in totals.values() for a, r in counted if a is not None}
        return held | self.coverage().expecting(concrete, self._scope_places)

    def coverage(self) -> Coverage:
        """What the collection record says was collected (read once per run)."""
        if self._coverage is None:
            store = self.ctx.store
            self._coverage = Coverage(store.collected_services(), store.partitions())
        return self._coverage

    def _unjudged(self, check: Check, searches: list[ast.Query], places: set[Spot]) -> Unjudged:
        """The places the check looks at where a kind it reads was never collected."""
        coverage = self.coverage()
        if not coverage.recorded:
            return Unjudged({})
        needed = needed_kinds(check.result_kinds, searches, self.ctx.store.model)
        return coverage.unjudged(needed, [(a, r) for a, r in places if a is not None])

    def _active_suppressions(self) -> list[Suppression]:
        if self._suppressions is None:
            self._suppressions = Suppressions(self.ctx.store).active(self.ctx.now)
        return self._suppressions

    def _split(
        self, check: Check, found: list[Resource]
    ) -> tuple[tuple[Resource, ...], tuple[Resource, ...]]:
        """The findings no suppression covers, and those one does (marked with its reason and owner)."""
        if not self._active_suppressions():
            return tuple(found), ()
        failed, suppressed = [], []
        for resource in found:
            cover = next((s for s in self._active_suppressions() if s.covers(check.id, resource)), None)
            if cover is None:
                failed.append(resource)
            else:
                suppressed.append(dataclasses.replace(resource, suppressed_by=cover.describe()))
        return tuple(failed), tuple(suppressed)

    def _search(
        self, check: Check, query: ast.Query, text: str, unjudged: Unjudged
    ) -> tuple[list[Resource], int]:
        """The failing resources (at most max_resources of them, unless a suppression needs to see all)
        and how many more failed, outside the places it cannot judge."""
        scope = self.scope.term()
        left_out = unjudged.term()
        if left_out is not None:
            scope = left_out if scope is None else ast.CombinedTerm(scope, "and", left_out)
        if scope is not None:
            last = query.parts[-1]
            term = scope if last.term is None else ast.CombinedTerm(scope, "and", last.term)
            query = dataclasses.replace(
                query, parts=(*query.parts[:-1], dataclasses.replace(last, term=term))
            )
        store = self.ctx.store
        binder = Binder(store.model, store.extra_properties(), self.ctx.now, text)
        bound = binder.query(query)
        muted = any(s.check_id == check.id for s in self._active_suppressions())
        if self.max_resources and not muted and query.parts[-1].limit is None:
            total = store.count(bound)
            if total > self.max_resources:
                last = dataclasses.replace(query.parts[-1], limit=ast.Limit(self.max_resources))
                limited = binder.query(dataclasses.replace(query, parts=(*query.parts[:-1], last)))
                listed = _unique(Resource.of_brief(row) for row in store.brief(limited))
                return listed, total - len(listed)
        return _unique(Resource.of_brief(row) for row in store.brief(bound)), 0

    def _command(self, pipelines: list[Pipeline], unjudged: Unjudged) -> list[Resource]:
        """The resources a command line gives, inside the scope and outside the places it cannot judge."""
        from cloudsift.commands.search import open_nodes

        found = []
        for pipeline in pipelines:
            for element in open_nodes(pipeline.run(self.ctx)):
                if isinstance(element, dict) and "reported" in element:
                    resource = Resource.of(element)
                    if self.scope.includes(resource) and not unjudged.holds(
                        resource.account, resource.region
                    ):
                        found.append(resource)
        return _unique(found)

    def _count(self, kinds: set[str], unjudged: Unjudged | None = None) -> int:
        """How many resources of these kinds the scope holds, outside the places left out."""
        left_out = unjudged.places if unjudged else {}
        totals = self.totals()
        return sum(
            n
            for k in self._concrete(kinds)
            for place, n in totals.get(k, {}).items()
            if place not in left_out
        )

    def _concrete(self, kinds: Iterable[str]) -> set[str]:
        """These kinds of the model with their subkinds."""
        model = self.ctx.store.model
        return {sub for kind in kinds if kind in model.kinds for sub in model.subkinds(kind)}

    def totals(self) -> Totals:
        """How many resources of each kind each (account, region) of the scope holds (one aggregate per run)."""
        if self._totals is None:
            store = self.ctx.store
            scope = self.scope.term()
            query = ast.Query((ast.Part(term=scope),)) if scope is not None else parse_query("all")
            binder = Binder(store.model, store.extra_properties(), self.ctx.now, _TOTALS)
            bound = dataclasses.replace(
                binder.query(query), aggregate=binder.aggregate(parse_aggregate(_TOTALS))
            )
            totals: Totals = {}
            for row in store.aggregate(bound):
                group = row["group"]
                places = totals.setdefault(str(group["kind"]), {})
                place = (group["account"], group["region"])
                places[place] = places.get(place, 0) + int(row["count"])
            self._totals = totals
        return self._totals

    # ---- many checks

    def benchmark(self, benchmark: Benchmark) -> Report:
        done: dict[str, CheckResult] = {}
        root = self._section(benchmark, done)
        return self._report(benchmark.id, benchmark.title, benchmark.framework, benchmark.version, root)

    def checks(self, checks: list[Check], title: str = "checks") -> Report:
        results = tuple(self.run(c) for c in checks if self.scope.runs(c))
        return self._report(title, title, "cloudsift", "", SectionResult(title, checks=results))

    def _section(self, section: Section, done: dict[str, CheckResult]) -> SectionResult:
        results = []
        for check_id in section.checks or []:
            check = self.library.checks[check_id]
            if check_id in self.ctx.config.report.ignore_checks or not self.scope.runs(check):
                continue
            if check_id not in done:
                done[check_id] = self.run(check)
            results.append(done[check_id])
        children = tuple(self._section(child, done) for child in section.children or [])
        return SectionResult(section.title, section.description, tuple(results), children)

    def _report(self, rid: str, title: str, framework: str, version: str, root: SectionResult) -> Report:
        stale = tuple(
            f"{p.account}/{p.region}: {p.error}"
            for p in self.ctx.store.partitions()
            if p.error is not None
            and (not self.scope.accounts or p.account in self.scope.accounts)
            and (not self.scope.regions or p.region in self.scope.regions)
        )
        return Report(rid, title, framework, version, root, self.scope.accounts, self.scope.regions,
                      self.ctx.now, stale)  # fmt: skip


def _pipelines(line: str) -> list[Pipeline]:
    from cloudsift.commands.pipeline import parse_line

    return parse_line(line)


def _searches(pipelines: list[Pipeline]) -> list[SearchCommand]:
    from cloudsift.commands.search import searches_of

    return searches_of(pipelines)


def _unique(resources: Iterable[Resource]) -> list[Resource]:
    seen: dict[str, Resource] = {}
    for resource in resources:
        seen.setdefault(resource.node_id, resource)
    return list(seen.values())
