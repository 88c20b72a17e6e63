"""The check library: bundled check and benchmark files, plus those in `[report] paths`.

A broken file or check is a problem naming the file, the check (or section) and the field; everything
else still loads. A check in `[report] paths` replaces a bundled check with the same id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from cloudsift.errors import CloudsiftError, UsageError, did_you_mean
from cloudsift.report.model import Benchmark, Check, CheckFile, CheckSpec, Section

BUNDLED = Path(__file__).parent / "static"
_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class LoadProblem:
    """Why a file, a check or a benchmark section could not be loaded."""

    file: str
    where: str  # "check NAME", "benchmark ID", "section TITLE" or "" for the whole file
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file] + [p for p in (self.where, self.field) if p]
        return ": ".join(parts) + f": {self.message}"


@dataclass
class Library:
    checks: dict[str, Check] = field(default_factory=dict)
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)

    def check(self, check_id: str) -> Check:
        try:
            return self.checks[check_id]
        except KeyError:
            raise UsageError(f"unknown check {check_id!r}.{did_you_mean(check_id, self.checks)}") from None

    def benchmark(self, benchmark_id: str) -> Benchmark:
        try:
            return self.benchmarks[benchmark_id]
        except KeyError:
            hint = did_you_mean(benchmark_id, self.benchmarks)
            raise UsageError(f"unknown benchmark {benchmark_id!r}.{hint}") from None


def load_library(paths: Sequence[Path] = (), bundled: bool = True) -> Library:
    """Every check and benchmark of the package (when `bundled`) and of `paths` (files or directories)."""
    library = Library()
    benchmark_files: list[tuple[str, dict[str, Any]]] = []
    roots = ([BUNDLED] if bundled else []) + [Path(p).expanduser() for p in paths]
    for root in roots:
        own: set[str] = set()
        for file, data in _documents(root, library.problems):
            if isinstance(data, dict) and "provider" in data:
                for check in _checks_of(file, data, library.problems):
                    if check.id in own:
                        library.problems.append(
                            LoadProblem(file, f"check {check.name}", "name", "defined twice")
                        )
                        continue
                    own.add(check.id)
                    library.checks[check.id] = check
            else:
                benchmark_files.append((file, data))
    for file, data in benchmark_files:
        benchmark = _benchmark_of(file, data, library)
        if benchmark is not None:
            library.benchmarks[benchmark.id] = benchmark
    return library


def _documents(root: Path, problems: list[LoadProblem]) -> Iterator[tuple[str, Any]]:
    if not root.exists():
        problems.append(LoadProblem(str(root), "", "", "no such file or directory ([report] paths)"))
        return
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES)
    for path in files:
        shown = _shown(path)
        try:
            text = path.read_bytes()
            data = _parse(path, text)
        except (OSError, ValueError) as e:
            problems.append(LoadProblem(shown, "", "", f"cannot be read: {e}"))
            continue
        if not isinstance(data, dict):
            problems.append(LoadProblem(shown, "", "", "must hold one object (a check file or a benchmark)"))
            continue
        yield shown, data


def _parse(path: Path, text: bytes) -> Any:
    if path.suffix == ".json":
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError as e:
            raise ValueError(f"not valid JSON: {e}") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ValueError(f"not valid YAML: {e}") from None


def _shown(path: Path) -> str:
    try:
        return f"cloudsift:{path.relative_to(BUNDLED)}"
    except ValueError:
        return str(path)


def _checks_of(file: str, data: dict[str, Any], problems: list[LoadProblem]) -> Iterator[Check]:
    try:
        head = CheckFile.model_validate(data)
    except ValidationError as e:
        problems.extend(_problems(file, "", e))
        return
    for index, raw in enumerate(head.checks):
        name = raw.get("name") if isinstance(raw, dict) else None
        where = f"check {name}" if isinstance(name, str) and name else f"check #{index + 1}"
        try:
            spec = CheckSpec.model_validate(raw)
        except ValidationError as e:
            problems.extend(_problems(file, where, e))
            continue
        check = Check(
            **spec.model_dump(),
            id=f"{head.provider}_{head.service}_{spec.name}",
            provider=head.provider,
            service=head.service,
            source=file,
        )
        if not check.result_kinds and not check.manual:
            try:
                check = _with_kinds_of_its_results(check)
            except ValueError as e:
                problems.append(LoadProblem(file, where, "result_kinds", str(e)))
                continue
        yield check


def _with_kinds_of_its_results(check: Check) -> Check:
    """An empty `result_kinds` (Fix accepts one) is the kinds of what its query finds: the `is()` of the
    query's last part, of the last search of a `fix_cmd`. A query that does not parse keeps none: `report
    checks test` says why."""
    from cloudsift.report.coverage import result_kinds_of

    kind, text = check.detector()
    try:
        kinds = result_kinds_of(kind, text)
    except CloudsiftError:
        return check
    if not kinds:
        raise ValueError(
            "is empty and the query's results name no kind (an is(...) in the last part of its search): "
            "list the kinds of the resources it finds"
        )
    return check.model_copy(update={"result_kinds": kinds})


def _benchmark_of(file: str, data: dict[str, Any], library: Library) -> Benchmark | None:
    data = dict(data)
    data.setdefault("id", Path(file).stem)  # Fix names a bundled benchmark by its file name
    data["source"] = file
    try:
        benchmark = Benchmark.model_validate(data)
    except ValidationError as e:
        library.problems.extend(_problems(file, f"benchmark {data.get('id')}", e))
        return None
    unknown = list(_unknown_checks(benchmark, library.checks))
    for section, check_id in unknown:
        hint = did_you_mean(check_id, library.checks)
        library.problems.append(
            LoadProblem(file, f"section {section}", "checks", f"unknown check {check_id!r}.{hint}")
        )
    previous = library.benchmarks.get(benchmark.id)
    # A benchmark of [report] paths may replace a bundled one, not one of its own kind.
    if previous is not None and not (
        previous.source.startswith("cloudsift:") and not file.startswith("cloudsift:")
    ):
        library.problems.append(LoadProblem(file, f"benchmark {benchmark.id}", "id", "defined twice"))
        return None
    return None if unknown else benchmark


def _unknown_checks(section: Section, checks: dict[str, Check]) -> Iterable[tuple[str, str]]:
    for check_id in section.checks or []:
        if check_id not in checks:
            yield section.title, check_id
    for child in section.children or []:
        yield from _unknown_checks(child, checks)


def _problems(file: str, where: str, error: ValidationError) -> list[LoadProblem]:
    found = []
    for item in error.errors():
        loc = ".".join(str(p) for p in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        found.append(LoadProblem(file, where, loc, message))
    return found
