"""Security checks and benchmarks: checks as data (Fix Inventory's format), run over the inventory."""

from cloudsift.report import sarif as _sarif  # noqa: F401  (registers the format)
from cloudsift.report.formats import FORMATS
from cloudsift.report.library import Library, LoadProblem, load_library
from cloudsift.report.model import Benchmark, Check, Section
from cloudsift.report.result import CheckResult, Report, Resource, SectionResult
from cloudsift.report.run import CheckRunner, Scope

__all__ = [
    "FORMATS",
    "Benchmark",
    "Check",
    "CheckResult",
    "CheckRunner",
    "Library",
    "LoadProblem",
    "Report",
    "Resource",
    "Scope",
    "Section",
    "SectionResult",
    "load_library",
]
