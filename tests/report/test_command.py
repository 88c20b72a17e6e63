"""The report command over the sample estate, on both engines: runs, filters and every output format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from py_ocsf_models.events.findings.detection_finding import DetectionFinding

from cloudsift.commands.base import Context
from cloudsift.commands.output import Table
from cloudsift.commands.pipeline import run_line
from cloudsift.config import Config, ReportConfig
from cloudsift.errors import UsageError
from cloudsift.report import load_library
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store

SEED = "aws_ec2_sg_allow_ingress_from_internet_to_any_port"
FIRST, SECOND = "123456789012", "210987654321"
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def estate(store: Store) -> Store:
    store.import_lines(estate_lines(EstateSize()))
    return store


def run(line: str, store: Store, config: Config | None = None, terminal: bool = False) -> list[Any]:
    ctx = Context(config=config or Config(), open_store=lambda: store, terminal=terminal)
    return list(run_line(line, ctx))


def one_json(line: str, store: Store, config: Config | None = None) -> Any:
    (text,) = run(line, store, config)
    return json.loads(text)


def _checks(node: dict[str, Any]) -> list[dict[str, Any]]:
    return node.get("checks", []) + [c for child in node.get("children", []) for c in _checks(child)]


def test_the_seed_check_fails_with_the_open_groups_and_passes_for_the_clean_account(estate: Store) -> None:
    found = one_json(f"report checks run {SEED} --json", estate)
    (result,) = found["checks"]
    assert result["status"] == "failed"
    names = sorted(r["name"] for r in result["failing_resources"])
    assert names == ["sg-open-all-0", "sg-open-all-0", "sg-open-v6-1", "sg-open-v6-1"]
    assert {r["account"] for r in result["failing_resources"]} == {FIRST}
    assert result["failed"] + result["passed"] == 16  # every security group of the estate
    clean = one_json(f"report checks run {SEED} --accounts {SECOND} --json", estate)["checks"][0]
    assert (clean["status"], clean["failed"], clean["passed"]) == ("passed", 0, 8)
    by_name = one_json(f"report checks run {SEED} --accounts prod --regions us-east-1 --json", estate)
    assert by_name["checks"][0]["failed"] == 2


def test_a_check_whose_kinds_were_never_collected_is_not_evaluated(estate: Store) -> None:
    found = one_json("report checks run aws_rds_instance_publicly_accessible --json", estate)
    (result,) = found["checks"]
    assert result["status"] == "not_evaluated"
    assert result["reason"] == "not collected: no aws_rds_instance in the scope"
    assert found["share_passed"] is None


def test_without_a_collection_record_a_check_whose_own_kind_is_missing_is_not_evaluated(
    estate: Store,
) -> None:
    # the estate (imported, so no record says what was collected) has security groups (service ec2) but
    # no network ACLs: nothing says the ACLs are clean (tests/report/test_coverage.py: with a record)
    assert not estate.collected_services()
    found = one_json(
        f"report checks run {SEED} aws_ec2_network_acl_allows_all_ingress_from_internet --json", estate
    )
    seed, acl = found["checks"]
    assert seed["status"] == "failed"
    assert (acl["status"], acl["passed"]) == ("not_evaluated", 0)
    assert acl["reason"] == "not collected: no aws_ec2_network_acl in the scope"
    assert found["share_passed"] == 0.0


def test_a_check_is_not_evaluated_in_a_scope_where_its_kind_was_not_collected(estate: Store) -> None:
    everywhere = one_json(f"report checks run {SEED} --json", estate)["checks"][0]
    assert everywhere["status"] == "failed"
    nowhere = one_json(f"report checks run {SEED} --regions nowhere-1 --json", estate)["checks"][0]
    assert (nowhere["status"], nowhere["passed"]) == ("not_evaluated", 0)


def test_benchmark_run_gives_the_share_passed_per_section(estate: Store) -> None:
    found = one_json("report benchmark run cloudsift_aws_baseline --json", estate)
    groups = found["children"][0]
    assert groups["title"] == "Security groups open to the internet"
    statuses = {c["id"]: c["status"] for c in groups["checks"]}
    assert statuses[SEED] == "failed"
    assert statuses["aws_ec2_sg_open_postgresql_from_internet"] == "failed"  # -1 opens every port
    counted = groups["counts"]
    assert groups["share_passed"] == pytest.approx(
        counted["passed"] / (counted["passed"] + counted["failed"])
    )
    failing_only = one_json("report benchmark run cloudsift_aws_baseline --only-failing --json", estate)
    assert {c["status"] for c in _checks(failing_only)} == {"failed"}


def test_cis_benchmark_reports_manual_recommendations_as_manual(estate: Store) -> None:
    found = one_json("report benchmark run aws_cis_3_0 --json", estate)
    results = {c["id"]: c for c in _checks(found)}
    assert results["aws_iam_cis_1_1_manual"]["status"] == "manual"
    assert results[SEED]["status"] == "failed"
    library = load_library()
    manual = {i for i in library.benchmark("aws_cis_3_0").check_ids() if library.check(i).manual}
    assert {i for i, c in results.items() if c["status"] == "manual"} == manual
    assert found["counts"]["manual"] == len(manual) > 0


def test_text_output_and_a_table_in_a_terminal(estate: Store) -> None:
    lines = run(f"report checks run {SEED}", estate)
    assert lines[0] == "checks: 0 of 1 checks passed (0%)"
    assert lines[1].startswith(f"FAILED        critical {SEED}: ") and lines[1].endswith(
        "(4 failed, 12 passed)"
    )
    shown = run(f"report checks run {SEED}", estate, terminal=True)
    assert isinstance(shown[0], Table)
    assert shown[0].rows[0][:5] == [SEED, "critical", "FAILED", "4", "12"]


def test_markdown_and_csv(estate: Store) -> None:
    markdown = run("report benchmark run cloudsift_aws_baseline --markdown", estate)
    assert markdown[0] == "# cloudsift AWS network exposure baseline"
    assert "## Security groups open to the internet" in markdown
    assert any(line.startswith(f"| {SEED} | critical | FAILED | 4 | 12 |") for line in markdown)
    (text,) = run(f"report checks run {SEED} --csv", estate)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4 and {r["status"] for r in rows} == {"failed"}
    assert {r["resource_name"] for r in rows} == {"sg-open-all-0", "sg-open-v6-1"}


def test_sarif_is_valid_against_the_published_schema(estate: Store) -> None:
    log = one_json("report benchmark run cloudsift_aws_baseline --sarif", estate)
    jsonschema.validate(log, SCHEMA)
    (sarif_run,) = log["runs"]
    rules = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    seed = [r for r in sarif_run["results"] if r["ruleId"] == SEED]
    assert len(seed) == 4 and rules[seed[0]["ruleIndex"]] == SEED
    assert seed[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith(f"aws/{FIRST}/")
    broken = {**log, "runs": [{**sarif_run, "results": [{"level": "fatal"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_ocsf_records_are_detection_findings(estate: Store) -> None:
    records = one_json(f"report checks run {SEED} --ocsf", estate)
    assert len(records) == 4
    for record in records:
        finding = DetectionFinding.model_validate(record)
        assert finding.class_uid == 2004 and finding.metadata.event_code == SEED
        assert finding.cloud is not None and finding.cloud.account is not None
        assert finding.cloud.account.uid == FIRST
        assert finding.severity_id == 5


def test_checks_list_filters_and_show(estate: Store) -> None:
    rows = one_json("report checks list --service rds --severity high --json", estate)
    assert [r["id"] for r in rows] == [
        "aws_rds_instance_backups_disabled",
        "aws_rds_instance_publicly_accessible",
        "aws_rds_instance_storage_not_encrypted",
    ]
    cost = one_json("report checks list --category cost --json", estate)
    assert "aws_ec2_volume_gp2" in {r["id"] for r in cost}
    shown = run("report checks show aws_ec2_sg_open_ssh_from_internet", estate)
    assert any("from_port <= 22 and to_port >= 22" in line for line in shown)
    with pytest.raises(UsageError, match=r"unknown check 'aws_ec2_sg_open_shh_from_internet'\. Did you mean"):
        run("report checks show aws_ec2_sg_open_shh_from_internet", estate)
    with pytest.raises(UsageError, match="unknown benchmark"):
        run("report benchmark run aws_cis_9", estate)
    listed = one_json("report benchmark list --json", estate)
    assert {b["id"] for b in listed} == {"aws_cis_3_0", "cloudsift_aws_baseline"}


def test_a_parameter_overridden_in_config_changes_what_fails(estate: Store) -> None:
    check = "aws_ec2_sg_open_ssh_from_internet"
    https = Config(report=ReportConfig(override_values={check: {"port": 443}}))
    failing = one_json(f"report checks run {check} --accounts {FIRST} --json", estate, https)["checks"][0]
    # port 443 is open to 0.0.0.0/0 in the third group of each region, beside the two that open everything
    assert sorted({r["name"] for r in failing["failing_resources"]}) == [
        "sg-open-all-0",
        "sg-open-v6-1",
        "sg-split-2",
    ]


def _file(tmp_path: Path, checks: list[dict[str, Any]]) -> Path:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"provider": "aws", "service": "mine", "checks": checks}))
    return path


def _own(name: str, detect: dict[str, str]) -> dict[str, Any]:
    return {"name": name, "title": "Mine", "result_kinds": ["aws_ec2_security_group"], "risk": "r",
            "severity": "high", "detect": detect, "remediation": {"text": "fix it"}}  # fmt: skip


def test_checks_test_runs_a_users_file_and_a_fix_cmd(estate: Store, tmp_path: Path) -> None:
    path = _file(
        tmp_path, [_own("web", {"fix_cmd": "search is(aws_ec2_security_group) and name =~ web | head 1"})]
    )
    (ok,) = run(f"report checks test {path} --syntax", estate)
    assert ok == f"1 checks of {path}: every query parses and binds"
    found = one_json(f"report checks test {path} --json", estate)
    assert found["checks"][0]["failed"] == 1 and found["checks"][0]["id"] == "aws_mine_web"


def test_checks_test_names_every_broken_query(estate: Store, tmp_path: Path) -> None:
    path = _file(tmp_path, [_own("typo", {"fix": "is(aws_ec2_security_group) and nmae == x"}),
                            _own("kind", {"fix": "is(aws_ec2_securty_group)"})])  # fmt: skip
    with pytest.raises(UsageError) as raised:
        run(f"report checks test {path} --syntax", estate)
    text = str(raised.value)
    assert "2 problem(s)" in text
    assert f"{path}: check typo: detect.fix: " in text and "nmae" in text
    assert f"{path}: check kind: detect.fix: unknown kind 'aws_ec2_securty_group'" in text


def test_usage_errors(estate: Store) -> None:
    with pytest.raises(UsageError, match="report needs what and how"):
        run("report checks", estate)
    with pytest.raises(UsageError, match="unknown checks 'runn'"):
        run("report checks runn x", estate)
    with pytest.raises(UsageError, match="choose one output format"):
        run(f"report checks run {SEED} --json --csv", estate)


def test_max_resources_lists_some_and_counts_all(estate: Store) -> None:
    result = one_json(f"report checks run {SEED} --max-resources 2 --json", estate)["checks"][0]
    assert (result["status"], result["failed"], result["unlisted"], result["passed"]) == ("failed", 4, 2, 12)
    assert len(result["failing_resources"]) == 2
    text = run(f"report checks run {SEED} --max-resources 2", estate)
    assert f"  {SEED}: and 2 more (--max-resources 0 lists all)" in text
    with pytest.raises(UsageError, match="--max-resources needs 0"):
        run(f"report checks run {SEED} --max-resources -1", estate)


def test_a_brief_row_becomes_a_resource_by_column_name() -> None:
    from cloudsift.report.result import Resource
    from cloudsift.store.sql.compiler import BRIEF_COLUMNS

    found = Resource.of_brief(tuple(BRIEF_COLUMNS))  # each value is its column's name
    assert (found.node_id, found.id, found.name, found.kind) == ("node_id", "id", "name", "kind")
    assert (found.cloud, found.account, found.account_name, found.region) == (
        "cloud_name", "account_id", "account_name", "region_name")  # fmt: skip


def _aged_volumes(store: Store, tmp_path: Path) -> tuple[Path, Callable[[str], Config]]:
    """One account with two volumes, made 200 and 10 days ago; a check file in Fix's form that finds
    volumes older than {{volume_age.ago}} (90d by default); and the config that loads it, given an override."""
    now = dt.datetime.now(dt.UTC)

    def node(node_id: str, kind: str, name: str, days: int, **props: Any) -> bytes:
        ctime = (now - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        reported = {"kind": kind, "id": name, "name": name, "ctime": ctime, "tags": {}, **props}
        return json.dumps({"id": node_id, "reported": reported}).encode() + b"\n"

    def edge(source: str, target: str) -> bytes:
        return json.dumps({"from": source, "to": target, "edge_type": "default"}).encode() + b"\n"

    account, region = f"aws/{FIRST}", f"aws/{FIRST}/eu-west-1"
    store.import_lines([
        node("aws", "cloud", "aws", 900), node(account, "aws_account", FIRST, 900), edge("aws", account),
        node(region, "aws_region", "eu-west-1", 900), edge(account, region),
        node(f"{region}/old", "aws_ec2_volume", "vol-old", 200, volume_size=8), edge(region, f"{region}/old"),
        node(f"{region}/new", "aws_ec2_volume", "vol-new", 10, volume_size=8), edge(region, f"{region}/new"),
    ])  # fmt: skip
    old = {**_own("old", {"fix": "is(aws_ec2_volume) and ctime<{{volume_age.ago}}"}),
           "result_kinds": ["aws_ec2_volume"], "default_values": {"volume_age": "90d"},
           "title": "Volume older than {{volume_age.ago}}", "risk": "kept past ${volume_age}",
           "remediation": {"text": "delete volumes older than {{ volume_age }}"}}  # fmt: skip
    path = _file(tmp_path, [old])

    def config(age: str = "") -> Config:
        overrides = {"aws_mine_old": {"volume_age": age}} if age else {}
        return Config(report=ReportConfig(paths=[tmp_path], override_values=overrides))

    return path, config


def test_a_check_in_fixs_form_with_ago_finds_the_old_volume_and_passes_the_new(
    store: Store, tmp_path: Path
) -> None:
    path, config = _aged_volumes(store, tmp_path)
    (ok,) = run(f"report checks test {path} --syntax", store)
    assert ok == f"1 checks of {path}: every query parses and binds"
    (found,) = one_json("report checks run aws_mine_old --json", store, config(""))["checks"]
    assert (found["status"], found["failed"], found["passed"]) == ("failed", 1, 1)
    assert [r["name"] for r in found["failing_resources"]] == ["vol-old"]
    (both,) = one_json("report checks run aws_mine_old --json", store, config("5d"))["checks"]
    assert sorted(r["name"] for r in both["failing_resources"]) == ["vol-new", "vol-old"]
    assert (
        one_json("report checks run aws_mine_old --json", store, config("1y"))["checks"][0]["status"]
        == "passed"
    )


def test_a_checks_texts_show_its_parameters_values(store: Store, tmp_path: Path) -> None:
    _, config = _aged_volumes(store, tmp_path)
    (found,) = one_json("report checks run aws_mine_old --json", store, config(""))["checks"]
    assert found["title"] == "Volume older than 90d"
    (listed,) = [
        r for r in one_json("report checks list --json", store, config("30d")) if r["id"] == "aws_mine_old"
    ]
    assert listed["title"] == "Volume older than 30d"
    shown = run("report checks show aws_mine_old", store, config("30d"))
    assert shown[0] == "aws_mine_old: Volume older than 30d"
    assert "  risk: kept past 30d" in shown and "  remediation: delete volumes older than 30d" in shown
    table = run("report checks run aws_mine_old", store, config(""))
    assert any("Volume older than 90d" in line for line in table)


def test_an_override_that_is_no_duration_used_with_ago_is_refused_clearly(
    store: Store, tmp_path: Path
) -> None:
    path, config = _aged_volumes(store, tmp_path)
    problem = (
        f"{path}: check old: detect uses {{{{volume_age.ago}}}} but override_values gives volume_age = 'old'"
    )
    (result,) = one_json("report checks run aws_mine_old --json", store, config("old"))["checks"]
    assert result["status"] == "error" and problem in result["reason"]
    with pytest.raises(UsageError, match="which is no duration"):
        run(f"report checks test {path} --syntax", store, config("old"))


def test_a_benchmark_in_fix_s_format_loads_from_paths_and_runs_its_checks_by_id(
    estate: Store, tmp_path: Path
) -> None:
    # As Fix publishes them: no id (the file's name is one), clouds in capitals, sections nested two deep,
    # checks named by id, a manual check with result_kinds [].
    web = _own("web_group", {"fix": "is(aws_ec2_security_group) and name =~ web"})
    by_hand = {**_own("contacts", {"manual": "Check the account's contacts."}), "result_kinds": []}
    _file(tmp_path, [web, by_hand])
    benchmark = {
        "title": "My Fix benchmark", "framework": "CIS", "clouds": ["AWS"], "version": "2.0",
        "description": "Written as Fix writes its benchmarks.",
        "children": [{"title": "Section 1: Everything", "description": "", "children": [
            {"title": "1.1 Web groups", "description": "", "checks": ["aws_mine_web_group"]},
            {"title": "1.2 Contacts", "description": "", "checks": ["aws_mine_contacts"]},
        ]}],
    }  # fmt: skip
    (tmp_path / "my_fix_benchmark.json").write_text(json.dumps(benchmark))
    config = Config(report=ReportConfig(paths=[tmp_path]))
    assert any(line.startswith("my_fix_benchmark") for line in run("report benchmark list", estate, config))
    found = one_json("report benchmark run my_fix_benchmark --json", estate, config)
    statuses = {c["id"]: (c["status"], c.get("failed")) for c in _checks(found)}
    (matched, _) = run("search is(aws_ec2_security_group) and name =~ web | count", estate)
    assert statuses["aws_mine_web_group"] == ("failed", int(matched.removeprefix("total matched: ")))
    assert statuses["aws_mine_web_group"][1] > 0
    assert statuses["aws_mine_contacts"][0] == "manual"
    assert [s["title"] for s in found["children"][0]["children"]] == ["1.1 Web groups", "1.2 Contacts"]


def test_a_check_without_result_kinds_whose_query_does_not_parse_is_an_error_not_uncollected(
    estate: Store, tmp_path: Path
) -> None:
    # with no kinds of its own and none read from its query, it said 'not collected: no  in the scope'
    broken = {**_own("broken", {"fix": "is(aws_ec2_security_group) and ("}), "result_kinds": []}
    valued = {**_own("valued", {"fix": "is(aws_ec2_security_group) and ${test}"}), "result_kinds": [],
              "default_values": {"test": "("}}  # fmt: skip
    _file(tmp_path, [broken, valued])
    config = Config(report=ReportConfig(paths=[tmp_path]))
    (result,) = one_json("report checks run aws_mine_broken --json", estate, config)["checks"]
    assert result["status"] == "error" and "unexpected end of the query" in result["reason"]
    # the query parses with this config's value: its kinds are read from it then
    overridden = Config(report=ReportConfig(paths=[tmp_path], override_values={"aws_mine_valued": {"test": "name != null"}}))  # fmt: skip
    (result,) = one_json("report checks run aws_mine_valued --json", estate, overridden)["checks"]
    groups = len(run("search is(aws_ec2_security_group)", estate))
    assert groups > 1 and (result["status"], result["failed"]) == ("failed", groups)
