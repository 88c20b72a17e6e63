"""detect-secrets as Fix's checks use it: planted secrets are found by where and type, never shown."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import orjson
import pytest

from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import Config, ReportConfig
from cloudsift.errors import QueryError, UsageError
from cloudsift.store.base import Store
from cloudsift.store.duckdb import DuckDBStore

# Planted, written in pieces so no scanner of this repository takes the test for a leak.
AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"
PRIVATE_KEY = (
    "-----BEGIN RSA "
    + "PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----"
)
CLEAN = "#!/bin/bash\nyum install -y nginx\nsystemctl start nginx\n"
ACCOUNT, REGION = "aws/111111111111", "aws/111111111111/eu-west-1"


def _node(node_id: str, kind: str, **props: Any) -> dict[str, Any]:
    return {
        "id": node_id,
        "reported": {"kind": kind, "id": node_id.rsplit("/", 1)[-1], "name": node_id, **props},
    }


INSTANCES = {
    "planted": _node(f"{REGION}/i-1", "aws_ec2_instance", instance_user_data=f"#!/bin/sh\nexport AWS_ACCESS_KEY_ID={AWS_KEY}\n"),
    "clean": _node(f"{REGION}/i-2", "aws_ec2_instance", instance_user_data=CLEAN),
}  # fmt: skip


def run(line: str, store: Store | None = None, config: Config | None = None) -> list[Any]:
    made = store or DuckDBStore()
    try:
        return list(run_line(line, Context(config=config or Config(), open_store=lambda: made), False))
    finally:
        if store is None:
            made.close()


def scanned(element: Any, options: str) -> list[Any]:
    return run(f"json {orjson.dumps(element).decode()} | detect-secrets {options}")


def test_an_aws_key_in_user_data_is_found_by_where_and_type_and_never_shown(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    (found,) = scanned(INSTANCES["planted"], "--path instance_user_data --with-secrets")
    assert found["id"] == INSTANCES["planted"]["id"]
    assert found["info"] == {"secret_detected": True, "secret_type": "AWS Access Key",
                             "found_at": ["reported.instance_user_data"]}  # fmt: skip
    assert found["reported"]["instance_user_data"] == "<secret removed: AWS Access Key>"
    shown = json.dumps(found) + caplog.text + "".join(capsys.readouterr())
    assert AWS_KEY not in shown and AWS_KEY[4:] not in shown


def test_a_clean_value_is_dropped_with_with_secrets_and_passes_unchanged_without() -> None:
    assert scanned(INSTANCES["clean"], "--path instance_user_data --with-secrets") == []
    assert scanned(INSTANCES["clean"], "--path instance_user_data") == [INSTANCES["clean"]]


def test_a_private_key_and_every_path_of_a_list() -> None:
    document = _node(f"{REGION}/doc", "aws_ssm_document", content=PRIVATE_KEY)
    (found,) = scanned(document, "--path content --with-secrets")
    assert found["info"]["secret_type"] == "Private Key"
    assert "MIIE" not in json.dumps(found)
    task = _node(f"{REGION}/td", "aws_ecs_task_definition", container_definitions=[
        {"name": "web", "environment": [{"name": "MODE", "value": "prod"}], "environment_files": []},
        {"name": "worker", "environment": [{"name": "MODE", "value": "prod"}, {"name": "K", "value": AWS_KEY}]},
    ])  # fmt: skip
    # Fix's task definition check: two paths after one --path, [*] over both lists.
    options = "--path container_definitions[*].environment_files[*].value container_definitions[*].environment[*].value --with-secrets"
    (found,) = scanned(task, options)
    assert found["info"]["found_at"] == ["reported.container_definitions[1].environment[1].value"]
    assert (
        found["reported"]["container_definitions"][1]["environment"][0]["value"] == "prod"
    )  # only the secret goes
    assert scanned(task, "--path container_definitions[0].environment[*].value --with-secrets") == []


def test_a_variable_named_for_a_secret_counts_by_its_name() -> None:
    function = _node(f"{REGION}/f", "aws_lambda_function", function_environment={"variables": {"DB_PASSWORD": "Tr0ub4dor&3x!"}})  # fmt: skip
    (found,) = scanned(function, "--path function_environment.variables --with-secrets")
    assert found["info"]["secret_type"] == "Secret Keyword"
    assert "Tr0ub4dor" not in json.dumps(found)
    plain = _node(f"{REGION}/g", "aws_lambda_function", function_environment={"variables": {"MODE": "prod"}})
    assert scanned(plain, "--path function_environment.variables --with-secrets") == []


def test_without_a_path_the_whole_reported_section_is_scanned() -> None:
    (found,) = scanned(INSTANCES["planted"], "--with-secrets")
    assert found["info"]["found_at"] == ["reported.instance_user_data"]
    assert scanned(INSTANCES["clean"], "--with-secrets") == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("--path", "--path needs a property path"),
        ("--path --with-secrets", "--path needs a property path"),
        ("--path a..b", "'a..b' is no property path"),
        ("--path 'a[x]'", r"'a\[x\]' is no property path"),
        ("--secrets", "unexpected '--secrets'"),
        ("instance_user_data", "unexpected 'instance_user_data'"),
    ],
)
def test_bad_options_are_usage_errors(options: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        scanned(INSTANCES["clean"], options)


def test_a_fix_check_with_detect_secrets_fails_the_planted_instance_only(
    store: Store, tmp_path: Path
) -> None:
    lines = [
        _node("aws", "cloud"),
        _node(ACCOUNT, "aws_account"),
        _node(REGION, "aws_region"),
        *INSTANCES.values(),
    ]
    edges = [("aws", ACCOUNT), (ACCOUNT, REGION)] + [(REGION, n["id"]) for n in INSTANCES.values()]
    store.import_lines(
        [orjson.dumps(n) for n in lines]
        + [orjson.dumps({"from": a, "to": b, "edge_type": "default"}) for a, b in edges]
    )
    check = {
        "name": "user_data_secrets", "title": "Secrets in user data", "result_kinds": ["aws_ec2_instance"],
        "risk": "Anyone who can read the instance's attributes reads the secret.", "severity": "critical",
        "remediation": {"text": "Move the secret to Secrets Manager."},
        "detect": {"fix_cmd": "search is(aws_ec2_instance) and instance_user_data!=null"
                              " | detect-secrets --path instance_user_data --with-secrets"},
    }  # fmt: skip
    (tmp_path / "mine.json").write_text(json.dumps({"provider": "aws", "service": "ec2", "checks": [check]}))
    config = Config(report=ReportConfig(paths=[str(tmp_path)]))
    (text,) = run("report checks run aws_ec2_user_data_secrets --json", store, config)
    (result,) = json.loads(text)["checks"]
    assert (result["status"], result["failed"], result["passed"]) == ("failed", 1, 1)
    assert [r["id"] for r in result["failing_resources"]] == ["i-1"]
    assert AWS_KEY not in text


def test_a_name_and_value_pair_counts_by_its_name() -> None:
    # A stack output and a container's variable, as AWS writes them: the name says it is a password.
    stack = _node(f"{REGION}/stack", "aws_cloudformation_stack", stack_outputs=[
        {"output_key": "TopicArn", "output_value": "arn:aws:sns:eu-west-1:111111111111:alerts"},
        {"output_key": "AdminPassword", "output_value": "Winter-Is-Coming-42"},
    ])  # fmt: skip
    (found,) = scanned(stack, "--path stack_outputs --with-secrets")
    assert found["info"]["found_at"] == ["reported.stack_outputs[1].output_value"]
    assert "Winter-Is-Coming" not in json.dumps(found)
    task = _node(f"{REGION}/td", "aws_ecs_task_definition", container_definitions=[
        {"name": "web", "environment": [{"name": "MODE", "value": "Winter-Is-Coming-42"},
                                        {"name": "DB_PASSWORD", "value": "Winter-Is-Coming-42"}]},
    ])  # fmt: skip
    (found,) = scanned(task, "--path container_definitions[*].environment[*].value --with-secrets")
    assert found["info"]["found_at"] == ["reported.container_definitions[0].environment[1].value"]
    innocent = {
        **stack,
        "reported": {**stack["reported"], "stack_outputs": stack["reported"]["stack_outputs"][:1]},
    }
    assert scanned(innocent, "--path stack_outputs --with-secrets") == []


@pytest.mark.parametrize(
    "paths",
    [  # the paths of Fix's published secret checks, and one beside reported
        "content",
        "instance_user_data",
        "launch_template_data.user_data",
        "stack_outputs",
        "function_environment.variables",
        "container_definitions[*].environment_files[*].value container_definitions[*].environment[*].value",
        "/id",
    ],
)
def test_the_paths_of_fix_checks_name_properties_of_the_model(paths: str) -> None:
    assert scanned(INSTANCES["clean"], f"--path {paths}") == [INSTANCES["clean"]]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("instance_userdata", "unknown property 'instance_userdata'.*instance_user_data"),
        ("container_definitions[*].enviroment[*].value", "has no property 'enviroment'"),
        ("/secrets", "unknown section"),
    ],
)
def test_a_path_naming_no_property_is_an_error_not_a_clean_pass(path: str, message: str) -> None:
    # a typo scanned nothing: with --with-secrets every element passed as free of secrets
    with pytest.raises(QueryError, match=message):
        scanned(INSTANCES["planted"], f"--path {path} --with-secrets")


def test_a_secret_used_as_a_key_is_removed_with_its_key_and_never_named() -> None:
    # a mapping's key is shown wherever the element goes: a key that is a secret goes, as a value would
    other = "AKIA" + "ZZYLPMN5HHHFPZAM"
    function = _node(f"{REGION}/f", "aws_lambda_function", function_environment={"variables": {
        AWS_KEY: "x", other: {"nested": AWS_KEY}, "MODE": "prod"}})  # fmt: skip
    (found,) = scanned(function, "--path function_environment.variables --with-secrets")
    shown = json.dumps(found)
    assert AWS_KEY not in shown and other not in shown
    variables = found["reported"]["function_environment"]["variables"]
    assert variables == {
        "<secret removed: AWS Access Key>": "x",
        "<secret removed: AWS Access Key 2>": {"nested": "<secret removed: AWS Access Key>"},
        "MODE": "prod",
    }
    at = "reported.function_environment.variables."
    assert set(found["info"]["found_at"]) == {
        f"{at}<secret removed: AWS Access Key>",
        f"{at}<secret removed: AWS Access Key 2>",
        f"{at}<secret removed: AWS Access Key 2>.nested",
    }


def test_checks_test_syntax_names_a_detect_secrets_path_the_model_lacks(tmp_path: Path) -> None:
    def check(name: str, path: str) -> dict[str, Any]:
        return {"name": name, "title": "Secrets", "result_kinds": ["aws_ec2_instance"], "risk": "r",
                "severity": "high", "remediation": {"text": "t"},
                "detect": {"fix_cmd": f"search is(aws_ec2_instance) | detect-secrets --path {path} --with-secrets"}}  # fmt: skip

    path = tmp_path / "mine.json"
    good = {"provider": "aws", "service": "ec2", "checks": [check("fine", "instance_user_data")]}
    path.write_text(json.dumps(good))
    assert run(f"report checks test {path} --syntax") == [f"1 checks of {path}: every query parses and binds"]
    path.write_text(json.dumps({**good, "checks": [check("typo", "instance_userdata")]}))
    with pytest.raises(UsageError) as raised:
        run(f"report checks test {path} --syntax")
    assert f"{path}: check typo: detect.fix_cmd: " in str(raised.value)
    assert "unknown property 'instance_userdata'" in str(raised.value)
