"""jq as Fix Inventory users write it: the `.name` shorthand on a filter's first stage, `--no-rewrite`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from cloudsift import run
from cloudsift.commands.jq import jq_filter
from cloudsift.errors import UsageError
from cloudsift.report import load_library
from cloudsift.report.testing import query_problem
from cloudsift.store.duckdb import DuckDBStore

ACL = {
    "id": "acl-1",
    "kinds": ["aws_ec2_network_acl"],
    "reported": {
        "name": "acl-1",
        "acl_entries": [
            {"rule_number": 200, "egress": False, "rule_action": "deny"},
            {"rule_number": 100, "egress": False, "rule_action": "allow"},
            {"rule_number": 100, "egress": True, "rule_action": "allow"},
        ],
    },
}


def jq_line(filter_part: str, element: Any = ACL) -> list[Any]:
    store = DuckDBStore()
    try:
        return run(f"json {orjson.dumps(element).decode()} | jq {filter_part}", store, list_nodes=False)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        (".a,.b", ".reported.a,.reported.b"),
        ("{a: .a, b: .path.to.b}", "{a: .reported.a, b: .reported.path.to.b}"),
        ("./reported", ".reported"),
        ("./id", ".id"),
        (".ancestors.account.reported.name", ".ancestors.account.reported.name"),
        ("map(.color) | {a: .a, b: .b}", "map(.reported.color) | {a: .a, b: .b}"),
        ('select(.name == "a|b") | .x', 'select(.reported.name == "a|b") | .x'),
    ],
)
def test_only_the_first_stage_is_rewritten(written: str, rewritten: str) -> None:
    assert jq_filter(written) == rewritten


def test_after_the_first_pipe_a_path_reads_that_stage_s_output() -> None:
    assert jq_line("'[.acl_entries[] | .rule_number] | max'") == [200]


def test_no_rewrite_gives_the_filter_as_written() -> None:
    assert jq_line("--no-rewrite '.reported.name'") == ["acl-1"]
    assert jq_line("--no-rewrite  .id") == ["acl-1"]  # two spaces and an unquoted filter, as Fix's files have
    assert jq_line("'--no-rewrite .reported.name'") == ["acl-1"]  # the whole argument quoted


def test_a_fix_style_keep_or_drop_filter_keeps_the_node_whole() -> None:
    # The shape of Fix's network ACL checks: a list of the node or an empty list, then flatten.
    keep = (
        "--no-rewrite 'if ([.reported.acl_entries | sort_by(.rule_number) | .[] | select(.egress == false)]"
        ' | first | .rule_action) == "allow" then [.] else [] end\' | flatten'
    )
    assert jq_line(keep) == [ACL]
    denied = {**ACL, "reported": {**ACL["reported"], "acl_entries": ACL["reported"]["acl_entries"][:1]}}
    assert jq_line(keep, denied) == []


@pytest.mark.parametrize("bad", ["--no-rewrite", "--no-rewrite ''", "'--no-rewrite'"])
def test_no_rewrite_without_a_filter_is_refused(bad: str) -> None:
    with pytest.raises(UsageError, match="jq needs a filter"):
        jq_line(bad)


def test_no_rewrite_still_refuses_file_access() -> None:
    with pytest.raises(UsageError, match="import is not available"):
        jq_line("--no-rewrite 'import \"a\" as a; .'")


def test_a_check_file_whose_fix_cmd_uses_no_rewrite_parses(tmp_path: Path) -> None:
    check = {
        "name": "acl_allows_first", "title": "ACL allows first", "result_kinds": ["aws_ec2_network_acl"],
        "categories": ["security"], "risk": "r", "severity": "low", "url": "https://example.com",
        "remediation": {"text": "t", "url": "https://example.com", "complexity": "low"},
        "detect": {"fix_cmd": "search is(aws_ec2_network_acl) | jq --no-rewrite  'if [.reported.acl_entries[]?"
                              ' | select(.egress == false)] | any then [.] else [] end\' | flatten'},
    }  # fmt: skip
    (tmp_path / "acl.json").write_text(json.dumps({"provider": "aws", "service": "ec2", "checks": [check]}))
    library = load_library([tmp_path], bundled=False)
    assert library.problems == []
    assert query_problem(library.check("aws_ec2_acl_allows_first")) is None


def test_a_fix_style_check_with_no_rewrite_fails_only_the_resources_its_filter_keeps(tmp_path: Path) -> None:
    from cloudsift.commands.base import Context
    from cloudsift.commands.pipeline import run_line
    from cloudsift.config import Config, ReportConfig

    account, region = "aws/111111111111", "aws/111111111111/eu-west-1"
    allow = {"rule_number": 100, "egress": False, "rule_action": "allow"}
    acls = {"acl-open": [allow], "acl-denied": [allow, {**allow, "rule_number": 50, "rule_action": "deny"}]}
    nodes = [{"id": "aws", "reported": {"kind": "cloud", "id": "aws", "name": "aws"}},
             {"id": account, "reported": {"kind": "aws_account", "id": "111111111111", "name": "a"}},
             {"id": region, "reported": {"kind": "aws_region", "id": "eu-west-1", "name": "eu-west-1"}}] + [
        {"id": f"{region}/{name}", "reported": {"kind": "aws_ec2_network_acl", "id": name, "name": name, "acl_entries": entries}}
        for name, entries in acls.items()
    ]  # fmt: skip
    edges = [("aws", account), (account, region)] + [(region, f"{region}/{name}") for name in acls]
    store = DuckDBStore()
    store.import_lines(
        [orjson.dumps(n) for n in nodes]
        + [orjson.dumps({"from": a, "to": b, "edge_type": "default"}) for a, b in edges]
    )
    first_rule_allows = (
        "search is(aws_ec2_network_acl) | jq --no-rewrite 'if ([.reported.acl_entries | sort_by(.rule_number)"
        ' | .[] | select(.egress == false)] | first | .rule_action) == "allow" then [.] else [] end\' | flatten'
    )
    check = {
        "name": "first_rule_allows", "title": "First ingress rule allows", "result_kinds": ["aws_ec2_network_acl"],
        "risk": "r", "severity": "low", "remediation": {"text": "t"}, "detect": {"fix_cmd": first_rule_allows},
    }  # fmt: skip
    (tmp_path / "acl.json").write_text(json.dumps({"provider": "aws", "service": "ec2", "checks": [check]}))
    ctx = Context(config=Config(report=ReportConfig(paths=[tmp_path])), open_store=lambda: store)
    (text,) = run_line("report checks run aws_ec2_first_rule_allows --json", ctx)
    (result,) = json.loads(text)["checks"]
    assert (result["status"], result["failed"], result["passed"]) == ("failed", 1, 1)
    assert [r["id"] for r in result["failing_resources"]] == ["acl-open"]
    store.close()
