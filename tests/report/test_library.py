"""Loading checks and benchmarks in Fix Inventory's format: the bundled library, good files and broken ones."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from cloudsift.config import Config, ReportConfig
from cloudsift.model import MODEL
from cloudsift.report import load_library
from cloudsift.report.testing import query_problem


def _check(name: str, **changes: Any) -> dict[str, Any]:
    check = {
        "name": name,
        "title": "Volume is small",
        "result_kinds": ["aws_ec2_volume"],
        "categories": ["cost"],
        "risk": "Small volumes are slow.",
        "severity": "low",
        "detect": {"fix": "is(aws_ec2_volume) and volume_size < ${min_size}"},
        "default_values": {"min_size": 10},
        "remediation": {"text": "Grow it.", "url": "https://example.com/grow", "complexity": "low"},
        "url": "https://example.com/volumes",
    }
    check.update(changes)
    return check


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


BUNDLED = load_library()


def test_the_bundled_library_loads_without_problems_and_has_80_automated_aws_checks() -> None:
    assert BUNDLED.problems == []
    automated = [c for c in BUNDLED.checks.values() if not c.manual and c.provider == "aws"]
    assert len(automated) >= 80
    for check in automated:
        assert check.id == f"{check.provider}_{check.service}_{check.name}"
        assert check.title and check.risk and check.remediation.text and (check.url or check.remediation.url)
    assert {"aws_cis_3_0", "cloudsift_aws_baseline"} <= set(BUNDLED.benchmarks)


@pytest.mark.parametrize("check_id", sorted(BUNDLED.checks))
def test_every_bundled_query_parses_and_binds_against_the_model(check_id: str) -> None:
    check = BUNDLED.checks[check_id]
    assert query_problem(check) is None
    assert all(kind in MODEL.kinds for kind in check.result_kinds)


def test_cis_benchmark_has_every_section_and_marks_manual_recommendations() -> None:
    cis = BUNDLED.benchmarks["aws_cis_3_0"]
    assert [s.title.split(":")[0] for s in cis.children or []] == [f"Section {i}" for i in range(1, 6)]
    leaves = [s for top in cis.children or [] for s in _leaves(top)]
    assert len(leaves) == 62  # every recommendation of CIS AWS Foundations v3.0.0
    ssh = next(s for s in leaves if s.title.startswith("5.2 "))
    assert "aws_ec2_sg_open_ssh_from_internet" in (ssh.checks or [])
    contact = next(s for s in leaves if s.title.startswith("1.1 "))
    assert all(BUNDLED.checks[c].manual for c in contact.checks or [])


def _leaves(section: Any) -> list[Any]:
    if section.children:
        return [leaf for child in section.children for leaf in _leaves(child)]
    return [section]


def test_a_check_file_from_paths_loads_with_its_id(tmp_path: Path) -> None:
    _write(tmp_path / "mine.json", {"provider": "aws", "service": "ebs", "checks": [_check("small_volume")]})
    library = load_library([tmp_path])
    check = library.check("aws_ebs_small_volume")
    assert check.source == str(tmp_path / "mine.json")
    assert check.detector() == ("fix", "is(aws_ec2_volume) and volume_size < 10")
    assert check.detector({"min_size": 50})[1].endswith("< 50")
    assert "aws_ec2_sg_open_ssh_from_internet" in library.checks  # the bundled ones stay


def test_a_broken_check_names_file_check_and_field_and_the_rest_still_loads(tmp_path: Path) -> None:
    broken = _check("bad_severity", severity="urgent")
    no_title = _check("no_title")
    del no_title["title"]
    _write(
        tmp_path / "a.json",
        {"provider": "aws", "service": "ebs", "checks": [broken, no_title, _check("fine")]},
    )
    _write(tmp_path / "b.json", {"provider": "aws", "service": "other", "checks": [_check("also_fine")]})
    (tmp_path / "c.json").write_text("{not json")
    library = load_library([tmp_path], bundled=False)
    assert set(library.checks) == {"aws_ebs_fine", "aws_other_also_fine"}
    shown = sorted(str(p) for p in library.problems)
    assert shown[0].startswith(f"{tmp_path / 'a.json'}: check bad_severity: severity: Input should be")
    assert shown[1] == f"{tmp_path / 'a.json'}: check no_title: title: Field required"
    assert shown[2].startswith(f"{tmp_path / 'c.json'}: cannot be read: not valid JSON")


def test_a_parameter_without_a_default_value_is_a_problem(tmp_path: Path) -> None:
    check = _check("no_default", default_values={})
    _write(tmp_path / "a.json", {"provider": "aws", "service": "ebs", "checks": [check]})
    library = load_library([tmp_path], bundled=False)
    assert [str(p) for p in library.problems] == [
        f"{tmp_path / 'a.json'}: check no_default: detect uses ${{min_size}} but default_values has no 'min_size'"
    ]


def test_detect_needs_exactly_one_detector(tmp_path: Path) -> None:
    check = _check("two", detect={"fix": "is(aws_ec2_volume)", "fix_cmd": "search is(aws_ec2_volume)"})
    _write(tmp_path / "a.json", {"provider": "aws", "service": "ebs", "checks": [check]})
    (problem,) = load_library([tmp_path], bundled=False).problems
    assert (problem.where, problem.field) == ("check two", "detect")
    assert "exactly one of fix, fix_cmd or manual" in problem.message


def test_a_benchmark_with_an_unknown_check_is_not_loaded_and_says_where(tmp_path: Path) -> None:
    _write(tmp_path / "checks.json", {"provider": "aws", "service": "ebs", "checks": [_check("small")]})
    good = {"title": "Mine", "framework": "own", "version": "1", "clouds": ["aws"], "description": "d",
            "children": [{"title": "Volumes", "description": "", "checks": ["aws_ebs_small"]}]}  # fmt: skip
    bad = {**good, "id": "bad", "children": [{"title": "Typos", "checks": ["aws_ebs_smal"]}]}
    _write(tmp_path / "mine.json", good)
    _write(tmp_path / "bad.json", bad)
    library = load_library([tmp_path], bundled=False)
    assert set(library.benchmarks) == {"mine"}  # the id defaults to the file name, as in Fix
    assert [str(p) for p in library.problems] == [
        f"{tmp_path / 'bad.json'}: section Typos: checks: unknown check 'aws_ebs_smal'. Did you mean 'aws_ebs_small'?"
    ]


def test_a_section_with_checks_and_children_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "checks.json", {"provider": "aws", "service": "ebs", "checks": [_check("small")]})
    both = {"id": "both", "title": "T", "framework": "f", "version": "1",
            "children": [{"title": "S", "checks": ["aws_ebs_small"], "children": [{"title": "X", "checks": []}]}]}  # fmt: skip
    _write(tmp_path / "both.json", both)
    (problem,) = load_library([tmp_path], bundled=False).problems
    assert "has both checks and children" in problem.message


def test_a_missing_path_is_a_problem() -> None:
    library = load_library([Path("/nonexistent/checks")], bundled=False)
    assert [str(p) for p in library.problems] == [
        "/nonexistent/checks: no such file or directory ([report] paths)"
    ]


def test_config_overrides_a_parameter_per_check() -> None:
    config = Config(
        report=ReportConfig(override_values={"aws_iam_access_key_not_rotated": {"max_age": "30d"}})
    )
    check = BUNDLED.check("aws_iam_access_key_not_rotated")
    assert check.detector(config.report.override_values.get(check.id))[1].endswith("age > 30d")
    assert check.detector()[1].endswith("age > 90d")


def _fix_form(name: str, default_values: dict[str, Any]) -> dict[str, Any]:
    """A check written as Fix's published files write one: `{{name}}` parameters, `.ago` and `.from_now`."""
    return _check(
        name,
        detect={"fix": "is(aws_ec2_volume) and ctime<{{old.ago}} and volume_size>={{min_size}}"},
        default_values=default_values,
    )


def test_fix_form_parameters_take_the_clock_when_the_check_is_rendered(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", {"provider": "aws", "service": "ebs", "checks": [_fix_form("old", {"old": "90d", "min_size": 1})]})  # fmt: skip
    check = load_library([tmp_path], bundled=False).check("aws_ebs_old")
    now = dt.datetime(2026, 12, 4, 2, 30, 15, 999, tzinfo=dt.UTC)
    assert check.detector(now=now) == (
        "fix",
        "is(aws_ec2_volume) and ctime<2026-09-05T02:30:15Z and volume_size>=1",
    )
    assert check.detector({"old": "1h", "min_size": 5}, now)[1].endswith(
        "ctime<2026-12-04T01:30:15Z and volume_size>=5"
    )
    ahead = check.model_copy(
        update={"detect": check.detect.model_copy(update={"fix": "expires>{{ old.from_now }}"})}
    )
    assert ahead.detector(now=now)[1] == "expires>2027-03-04T02:30:15Z"
    assert query_problem(check) is None  # what report checks test --syntax asks


def test_a_fix_form_parameter_without_a_default_or_duration_is_refused_by_name(tmp_path: Path) -> None:
    checks = [
        _fix_form("no_default", {"min_size": 1}),
        _fix_form("no_duration", {"old": "soon", "min_size": 1}),
    ]
    _write(tmp_path / "a.json", {"provider": "aws", "service": "ebs", "checks": checks})
    library = load_library([tmp_path], bundled=False)
    assert sorted(str(p) for p in library.problems) == [
        f"{tmp_path / 'a.json'}: check no_default: detect uses {{{{old.ago}}}} but default_values has no 'old'",
        f"{tmp_path / 'a.json'}: check no_duration: detect uses {{{{old.ago}}}} but default_values gives "
        "old = 'soon', which is no duration (such as 90d, 12h or 1y2mo)",
    ]


def test_the_check_files_in_docs_report_load_and_their_queries_bind(tmp_path: Path) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "report.md").read_text()
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", docs, re.DOTALL)]
    files = [b for b in blocks if "checks" in b and "provider" in b]
    assert len(files) == 2  # ${name} and Fix's {{name.ago}}
    for n, data in enumerate(files):
        _write(tmp_path / f"doc{n}.json", data)
    library = load_library([tmp_path], bundled=False)
    assert library.problems == [] and len(library.checks) == 2
    assert all(query_problem(c) is None for c in library.checks.values())


def test_fix_form_parameters_in_a_fix_cmd(tmp_path: Path) -> None:
    command = {"fix_cmd": "search is(aws_ec2_volume) and ctime<{{old.ago}} | head {{count}}"}
    checks = [_check("cmd", detect=command, default_values={"old": "2d", "count": 3}),
              _check("cmd_no_default", detect=command, default_values={"old": "2d"})]  # fmt: skip
    _write(tmp_path / "a.json", {"provider": "aws", "service": "ebs", "checks": checks})
    library = load_library([tmp_path], bundled=False)
    now = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
    assert library.check("aws_ebs_cmd").detector(now=now) == (
        "fix_cmd",
        "search is(aws_ec2_volume) and ctime<2026-12-02T00:00:00Z | head 3",
    )
    assert query_problem(library.check("aws_ebs_cmd")) is None
    assert [str(p) for p in library.problems] == [
        f"{tmp_path / 'a.json'}: check cmd_no_default: detect uses {{{{count}}}} but default_values has no 'count'"
    ]


def test_empty_result_kinds_are_the_kinds_of_what_the_query_finds(tmp_path: Path) -> None:
    checks = [
        _check("search", result_kinds=[], detect={"fix": "is(aws_ec2_volume) --> is(aws_ec2_instance, aws_ec2_snapshot) and name~x"}),
        _check("command", result_kinds=[], detect={"fix_cmd": "search is(aws_ec2_volume) and volume_size > ${min_size} | head 3"}),
        _check("by_hand", result_kinds=[], detect={"manual": "Look in the console."}),
        _check("nothing_named", result_kinds=[], detect={"fix": "is(aws_ec2_volume) -->"}),
        _check("negated", result_kinds=[], detect={"fix": "not is(aws_ec2_volume)"}),
    ]  # fmt: skip
    _write(tmp_path / "a.json", {"provider": "aws", "service": "ebs", "checks": checks})
    library = load_library([tmp_path], bundled=False)
    assert library.check("aws_ebs_search").result_kinds == ["aws_ec2_instance", "aws_ec2_snapshot"]
    assert library.check("aws_ebs_command").result_kinds == ["aws_ec2_volume"]
    assert library.check("aws_ebs_by_hand").result_kinds == []
    assert query_problem(library.check("aws_ebs_command")) is None
    message = "is empty and the query's results name no kind (an is(...) in the last part of its search)"
    assert sorted(str(p) for p in library.problems) == [
        f"{tmp_path / 'a.json'}: check {name}: result_kinds: {message}: list the kinds of the resources it finds"
        for name in ("negated", "nothing_named")
    ]
