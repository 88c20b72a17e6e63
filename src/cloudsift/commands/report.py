"""report: security checks and benchmarks over the inventory (Fix Inventory's `report` command)."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from cloudsift.commands.base import Command, Context, Option, command
from cloudsift.commands.sinks import FINDINGS, SINK_INPUTS
from cloudsift.errors import UsageError, did_you_mean
from cloudsift.report import FORMATS
from cloudsift.report.alerting import alert_per_check
from cloudsift.report.library import Library, load_library
from cloudsift.report.model import SEVERITIES, Benchmark, Check, Section
from cloudsift.report.result import Report
from cloudsift.report.run import CheckRunner, Scope

CHECK_RESULTS = "check results"
SINK_INPUTS.add(CHECK_RESULTS)
FINDINGS[Report] = alert_per_check
_FORMAT_FLAGS = ("markdown", "json", "csv", "sarif", "ocsf")
Action = Callable[["ReportCommand", Context, list[str]], Iterator[Any]]
_ACTIONS: dict[tuple[str, str], Action] = {}
_SUPPRESSION_ACTIONS: dict[str, Action] = {}


def _action(group: str, verb: str) -> Callable[[Action], Action]:
    def add(fn: Action) -> Action:
        _ACTIONS[(group, verb)] = fn
        return fn

    return add


@command
class ReportCommand(Command):
    """Run security checks and benchmarks over the inventory.

    - `report checks list [--service S] [--severity S] [--category C]`: the checks of the library
    - `report checks show ID`: a check's title, risk, query and remediation
    - `report checks run ID ...`: run checks; per check, the failing resources and how many passed
    - `report checks test FILE [--syntax]`: load a check file and run its checks (`--syntax`: only parse
      and bind each query, no inventory needed)
    - `report benchmark list`, `report benchmark show ID`, `report benchmark run ID`
    - `report suppress CHECK [--resource ID] [--account A] --reason "..." --owner "..." [--until DATE]`,
      `report unsuppress CHECK [--resource ID] [--account A]`, `report suppressions [--history]`:
      suppressed findings are shown as such and never alerted; they come back when the suppression expires

    A run takes `--accounts A,B`, `--regions R,S`, `--severity S` (this and above), `--only-failing` and
    `--max-resources N` (failing resources listed per check, default 1000; all are counted; 0 lists all).
    Output: a table in a terminal, `--markdown`, `--json`, `--csv`, `--sarif` (SARIF 2.1.0) or `--ocsf`
    (OCSF Detection Findings). A check is judged where its kinds' services answered, with 0 resources
    when they found none; where they never answered, or with no collection record and no resource of its
    kinds in the scope, it is "not evaluated", never "passed".
    Checks and benchmarks come with cloudsift and from the files in `[report] paths`.

    Followed by a sink (`report benchmark run aws_cis_3_0 | pagerduty`), each evaluated check is one alert
    (dedup key: the check id; `--dedup-by account`: check id and account), triggered while it fails and
    resolved once it passes after a clean collection; `--summary` and `--dedup-key` are not needed there.

    Example: `report benchmark run cloudsift_aws_baseline --only-failing`
    Example: `report checks list --service ec2 --severity high`
    """

    name = "report"
    source = True
    formatter = True
    positional = "checks|benchmark list|show|run|test ..."
    options = (
        Option("--service", "checks list: only checks of this service."),
        Option("--severity", "Only checks of this severity and above.", choices=SEVERITIES),
        Option("--category", "checks list: only checks of this category."),
        Option("--accounts", "Only these accounts (ids or names, comma-separated)."),
        Option("--regions", "Only these regions (comma-separated)."),
        Option("--only-failing", "Show only failing checks.", bool, False),
        Option(
            "--max-resources",
            "Failing resources listed per check (all are counted); 0: every one.",
            int,
            1000,
        ),
        Option("--syntax", "checks test: only parse and bind the queries.", bool, False),
        Option("--resource", "suppress/unsuppress: only this resource (its id)."),
        Option("--account", "suppress/unsuppress: only this account (id or name)."),
        Option("--reason", "suppress: why the findings are accepted."),
        Option("--owner", "suppress: who answers for the suppression."),
        Option("--until", "suppress: the last day it holds (2027-01-31); the findings come back after it."),
        Option(
            "--dedup-by",
            "With a sink: one alert per check, or per check and account.",
            str,
            "check",
            ("check", "account"),
        ),
        Option("--history", "suppressions: every change, who made it, when and why.", bool, False),
        *(Option(f"--{name}", f"Output as {name}.", bool, False) for name in _FORMAT_FLAGS),
    )

    sink_follows = False

    def gives(self, given: str | None) -> str | None:
        return CHECK_RESULTS if self.rest[1:2] in (["run"], ["test"]) else None

    def feeds(self, following: Command) -> None:
        from cloudsift.commands.sinks import SinkCommand

        self.sink_follows = isinstance(following, SinkCommand)

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if self.rest and self.rest[0] in _SUPPRESSION_ACTIONS:
            return _SUPPRESSION_ACTIONS[self.rest[0]](self, ctx, self.rest[1:])
        if len(self.rest) < 2:
            raise UsageError("report needs what and how: report checks list, report benchmark run ID, ...")
        group, verb, *args = self.rest
        group = {"check": "checks", "benchmarks": "benchmark"}.get(group, group)
        action = _ACTIONS.get((group, verb))
        if action is None:
            known = sorted({f"{g} {v}" for g, v in _ACTIONS})
            raise UsageError(f"report: unknown {group} {verb!r}.{did_you_mean(f'{group} {verb}', known)}")
        chosen = [name for name in _FORMAT_FLAGS if self.args[name]]
        if len(chosen) > 1:
            raise UsageError(
                f"report: choose one output format, not {' and '.join('--' + c for c in chosen)}"
            )
        return action(self, ctx, args)

    @property
    def format(self) -> str:
        return next((name for name in _FORMAT_FLAGS if self.args[name]), "text")

    def library(self, ctx: Context) -> tuple[Library, list[str]]:
        library = load_library(ctx.config.report.paths)
        return library, [f"warning: not loaded: {p}" for p in library.problems]

    def scope(self) -> Scope:
        return Scope(_csv(self.args["accounts"]), _csv(self.args["regions"]), self.args["severity"])

    def runner(self, ctx: Context, library: Library) -> CheckRunner:
        if self.args["max_resources"] < 0:
            raise UsageError("report: --max-resources needs 0 (all) or more")
        return CheckRunner(ctx, library, self.scope(), self.args["max_resources"])

    def render(self, ctx: Context, report: Report) -> Iterator[Any]:
        if self.sink_follows:  # the sink alerts per check on the results themselves
            return iter([dataclasses.replace(report, dedup_by=self.args["dedup_by"])])
        if self.args["only_failing"]:
            root = report.root.only_failing() or type(report.root)(report.root.title)
            report = Report(report.id, report.title, report.framework, report.version, root,
                            report.accounts, report.regions, report.generated_at, report.stale)  # fmt: skip
        return FORMATS.get(self.format)(report, ctx.terminal)


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _table(cmd: ReportCommand, ctx: Context, header: list[str], rows: list[list[str]]) -> Iterator[Any]:
    if cmd.format == "json":
        yield orjson.dumps(
            [dict(zip(header, r, strict=True)) for r in rows], option=orjson.OPT_INDENT_2
        ).decode()
    elif cmd.format == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *rows])
        yield out.getvalue().rstrip("\n")
    elif cmd.format == "markdown":
        yield "| " + " | ".join(header) + " |"
        yield "|" + "|".join("---" for _ in header) + "|"
        yield from ("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows)
    elif cmd.format in ("sarif", "ocsf"):
        raise UsageError(f"report: --{cmd.format} is an output of run, not of list or show")
    elif ctx.terminal:
        from cloudsift.commands.output import Table

        yield Table(header, rows)
    else:
        yield from ("  ".join(row) for row in rows)


@_action("checks", "list")
def _checks_list(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    library, warnings = cmd.library(ctx)
    yield from warnings
    service, category, scope = cmd.args["service"], cmd.args["category"], cmd.scope()
    checks = [c for c in sorted(library.checks.values(), key=lambda c: c.id)
              if (service is None or c.service == service) and (category is None or category in c.categories)
              and scope.runs(c)]  # fmt: skip
    values = ctx.config.report.override_values
    rows = [[c.id, c.severity, "manual" if c.manual else "automated", c.filled(values.get(c.id)).title]
            for c in checks]  # fmt: skip
    yield from _table(cmd, ctx, ["id", "severity", "detect", "title"], rows)


@_action("checks", "show")
def _checks_show(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    library, warnings = cmd.library(ctx)
    yield from warnings
    if not args:
        raise UsageError("report checks show needs a check id")
    for check_id in args:
        check = library.check(check_id)
        if cmd.format == "json":
            yield orjson.dumps(check.model_dump(exclude_none=True), option=orjson.OPT_INDENT_2).decode()
            continue
        yield from _check_text(check, ctx)


def _check_text(check: Check, ctx: Context) -> Iterator[str]:
    overrides = ctx.config.report.override_values.get(check.id)
    kind, text = check.detector(overrides)
    check = check.filled(overrides)
    yield f"{check.id}: {check.title}"
    yield f"  severity: {check.severity}; kinds: {', '.join(check.result_kinds)}; categories: {', '.join(check.categories)}"
    yield f"  risk: {check.risk}"
    yield f"  detect ({kind}): {text}"
    if check.default_values:
        yield "  parameters: " + ", ".join(f"{k}={v}" for k, v in check.default_values.items())
    yield f"  remediation: {check.remediation.text}"
    for url in dict.fromkeys(u for u in (check.url, check.remediation.url) if u):
        yield f"  see: {url}"
    yield f"  from: {check.source}"


@_action("checks", "run")
def _checks_run(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    library, warnings = cmd.library(ctx)
    yield from warnings
    if not args:
        raise UsageError("report checks run needs check ids (report checks list shows them)")
    checks = [library.check(a) for a in args]
    yield from cmd.render(ctx, cmd.runner(ctx, library).checks(checks))


@_action("checks", "test")
def _checks_test(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    from cloudsift.report.testing import syntax_problems

    if len(args) != 1:
        raise UsageError("report checks test needs one check file: report checks test my_checks.json")
    path = Path(args[0]) if Path(args[0]).is_absolute() else ctx.cwd / args[0]
    own = load_library([path], bundled=False)
    problems = [str(p) for p in own.problems] + syntax_problems(own.checks.values(), ctx)
    if problems:
        raise UsageError(f"report checks test: {len(problems)} problem(s):\n" + "\n".join(problems))
    if cmd.args["syntax"]:
        yield f"{len(own.checks)} checks of {args[0]}: every query parses and binds"
        return
    library = load_library(ctx.config.report.paths)
    library.checks.update(own.checks)
    runner = cmd.runner(ctx, library)
    yield from cmd.render(ctx, runner.checks(sorted(own.checks.values(), key=lambda c: c.id), str(args[0])))


@_action("benchmark", "list")
def _benchmark_list(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    library, warnings = cmd.library(ctx)
    yield from warnings
    rows = [[b.id, b.framework, b.version, str(len(set(b.check_ids()))), b.title]
            for b in sorted(library.benchmarks.values(), key=lambda b: b.id)]  # fmt: skip
    yield from _table(cmd, ctx, ["id", "framework", "version", "checks", "title"], rows)


@_action("benchmark", "show")
def _benchmark_show(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    library, warnings = cmd.library(ctx)
    yield from warnings
    if len(args) != 1:
        raise UsageError("report benchmark show needs one benchmark id (report benchmark list shows them)")
    benchmark = library.benchmark(args[0])
    if cmd.format == "json":
        yield orjson.dumps(benchmark.model_dump(exclude_none=True), option=orjson.OPT_INDENT_2).decode()
        return
    yield f"{benchmark.id}: {benchmark.title} ({benchmark.framework} {benchmark.version})"
    yield from _outline(benchmark, library, 1)


def _outline(section: Section, library: Library, depth: int) -> Iterator[str]:
    indent = "  " * depth
    for check_id in section.checks or []:
        check = library.checks[check_id]
        yield f"{indent}{check_id}{' (manual)' if check.manual else ''}: {check.title}"
    for child in section.children or []:
        yield f"{indent}{child.title}"
        yield from _outline(child, library, depth + 1)


@_action("benchmark", "run")
def _benchmark_run(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    library, warnings = cmd.library(ctx)
    yield from warnings
    if len(args) != 1:
        raise UsageError("report benchmark run needs one benchmark id (report benchmark list shows them)")
    benchmark: Benchmark = library.benchmark(args[0])
    yield from cmd.render(ctx, cmd.runner(ctx, library).benchmark(benchmark))


def _suppression_action(name: str) -> Callable[[Action], Action]:
    def add(fn: Action) -> Action:
        _SUPPRESSION_ACTIONS[name] = fn
        return fn

    return add


@_suppression_action("suppress")
def _suppress(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    from cloudsift.report.suppressions import Suppression, Suppressions, parse_until

    if len(args) != 1:
        raise UsageError(
            'report suppress needs one check id: report suppress ID --reason "..." --owner "..."'
        )
    library, _ = cmd.library(ctx)
    check = library.check(args[0])
    suppression = Suppression(check.id, cmd.args["resource"] or "", cmd.args["account"] or "",
                              cmd.args["reason"] or "", cmd.args["owner"] or "", parse_until(cmd.args["until"]),
                              ctx.now)  # fmt: skip
    Suppressions(ctx.store).add(suppression)
    yield f"suppressed {_target(suppression.check_id, suppression.resource, suppression.account)}: {suppression.describe()}"


@_suppression_action("unsuppress")
def _unsuppress(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    from cloudsift.report.suppressions import Suppressions

    if len(args) != 1:
        raise UsageError(
            "report unsuppress needs one check id: report unsuppress ID [--resource R] [--account A]"
        )
    resource, account = cmd.args["resource"] or "", cmd.args["account"] or ""
    Suppressions(ctx.store).remove(args[0], resource, account, cmd.args["owner"] or "", cmd.args["reason"] or "",
                                   ctx.now)  # fmt: skip
    yield f"unsuppressed {_target(args[0], resource, account)}"


def _target(check_id: str, resource: str, account: str) -> str:
    scope = [f"resource {resource}" if resource else "", f"account {account}" if account else ""]
    return check_id + "".join(f" {s}" for s in scope if s)


@_suppression_action("suppressions")
def _suppressions(cmd: ReportCommand, ctx: Context, args: list[str]) -> Iterator[Any]:
    from cloudsift.report.suppressions import Suppressions

    suppressions = Suppressions(ctx.store)
    if cmd.args["history"]:
        header = ["at", "change", "check", "resource", "account", "owner", "reason", "until"]
        rows = [[c.at.isoformat(), c.change, c.check_id, c.resource, c.account, c.owner or "", c.reason or "",
                 c.until.isoformat() if c.until else ""] for c in suppressions.changes()]  # fmt: skip
        yield from _table(cmd, ctx, header, rows)
        return
    header = ["check", "resource", "account", "owner", "reason", "until", "state"]
    rows = [[s.check_id, s.resource or "*", s.account or "*", s.owner, s.reason,
             s.until.isoformat() if s.until else "", "active" if s.active(ctx.now) else "expired"]
            for s in suppressions.all()]  # fmt: skip
    if not rows and cmd.format == "text":
        yield "no suppressions"
        return
    yield from _table(cmd, ctx, header, rows)
