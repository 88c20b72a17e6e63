"""The dashboard's baseline pages: each benchmark's sections with the share passed, failing checks first."""

from __future__ import annotations

from dataclasses import dataclass

from cloudsift.context import Context
from cloudsift.report.library import load_library
from cloudsift.report.model import severity_rank
from cloudsift.report.result import CheckResult, Report, SectionResult
from cloudsift.report.run import CheckRunner, Scope

# The order checks are listed in a section: what needs attention first.
_STATUS_ORDER = {"failed": 0, "error": 1, "not_evaluated": 2, "manual": 3, "passed": 4}


@dataclass(frozen=True)
class BenchmarkRow:
    id: str
    title: str
    framework: str
    version: str
    report: Report

    @property
    def share(self) -> float | None:
        return self.report.root.share_passed


def ordered(checks: tuple[CheckResult, ...]) -> list[CheckResult]:
    return sorted(
        checks,
        key=lambda c: (_STATUS_ORDER[c.status], -severity_rank(c.check.severity), -len(c.failed), c.check.id),
    )


def failing_first(sections: tuple[SectionResult, ...]) -> list[SectionResult]:
    return sorted(sections, key=lambda s: (-(s.counts()["failed"]), s.title))


def benchmarks(ctx: Context) -> list[BenchmarkRow]:
    library = load_library(ctx.config.report.paths)
    runner = CheckRunner(ctx, library, Scope())
    rows = []
    for benchmark in sorted(library.benchmarks.values(), key=lambda b: b.id):
        report = runner.benchmark(benchmark)
        rows.append(
            BenchmarkRow(benchmark.id, benchmark.title, benchmark.framework, benchmark.version, report)
        )
    return rows


def benchmark(ctx: Context, benchmark_id: str) -> Report:
    library = load_library(ctx.config.report.paths)
    return CheckRunner(ctx, library, Scope()).benchmark(library.benchmark(benchmark_id))


def percent(share: float | None) -> str:
    return "n/a" if share is None else f"{100 * share:.0f}%"
