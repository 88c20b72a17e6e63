"""A line imports only what it uses: the command table matches the commands the modules register, and
a fresh `cloudsift -c` process ends without the heavy modules a search does not need (issue 12 item 9)."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import cloudsift.alerts
import cloudsift.commands
from cloudsift.alerts.sink import SINK_MODULES, SINKS
from cloudsift.commands import COMMANDS
from cloudsift.commands.table import COMMAND_TABLE
from cloudsift.demo import SEED_QUERY
from cloudsift.sample import EstateSize, estate_lines

# Modules a search and its count or listing never need; each cost 10-200 ms to import.
HEAVY = (
    "duckdb",  # the package around the engine (_duckdb): its version lookup alone reads package metadata
    "importlib.metadata",
    "pydantic",  # validating a config file or CLOUDSIFT_* variables (config_schema.py); none here
    "pydantic_core",  # scanning the installed packages (pydantic's plugins, duckdb's version)
    "httpx",  # only to talk to a running server (its address file)
    "py_ocsf_models",  # report --format ocsf
    "email_validator",
    "pyarrow",  # adding edges, importing
    "rich",  # tables in a terminal, progress bars
    "prompt_toolkit",  # the shell
    "fastapi",
    "boto3",
    "botocore",
    "psycopg",
    "jinja2",
    "cloudsift.report",
    "cloudsift.alerts",
    "cloudsift.collect",
    "cloudsift.store.loader",  # reading an import file
    "cloudsift.store.deferred",
    "cloudsift.server.app",
    "cloudsift.commands.report",
    "cloudsift.commands.jobs",
    "cloudsift.commands.jq",
    "cloudsift.commands.secret_scan",
    "detect_secrets",  # the detect-secrets command (its plugins import requests)
    "cloudsift.commands.workflows",
)


def _import_every_module(package: object) -> None:
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):  # type: ignore[attr-defined]
        importlib.import_module(info.name)


def test_the_command_table_is_what_the_modules_register() -> None:
    _import_every_module(cloudsift.commands)
    _import_every_module(cloudsift.alerts)
    registered = {
        name: (cls.__module__, cls.summary()) for name, cls in COMMANDS.loaded().items() if name != "gate"
    }
    missing = {name: registered[name] for name in registered.keys() - COMMAND_TABLE.keys()}
    assert registered == COMMAND_TABLE, (
        "src/cloudsift/commands/table.py is out of date; its entries are:\n"
        + "\n".join(f"    {name!r}: {registered[name]!r}," for name in sorted(registered))
        + f"\n(new: {sorted(missing)})"
    )
    assert {name: cls.__module__ for name, cls in SINKS.loaded().items()} == SINK_MODULES


def test_a_declared_command_is_imported_when_a_line_names_it() -> None:
    for name in COMMANDS:
        assert COMMANDS.get(name).name == name


def _modules_after(home: Path, line: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `cloudsift -c LINE` in a fresh process; what it printed and the modules it had imported."""
    listing = home / "modules.json"
    code = (
        "import json, sys\n"
        "from cloudsift.cli import main\n"
        "status = main(['-c', sys.argv[1]])\n"
        "open(sys.argv[2], 'w').write(json.dumps(sorted(sys.modules)))\n"
        "sys.exit(status)\n"
    )
    env = {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": os.devnull}
    result = subprocess.run([sys.executable, "-c", code, line, str(listing)], capture_output=True, text=True,
                            env=env, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result, set(json.loads(listing.read_text()))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("home")
    estate = path / "estate.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize())))
    _modules_after(path, f"import {estate}")
    return path


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize(
    ("line", "shows"),
    [
        ("search is(aws_ec2_security_group) | count", "total matched: 16\n"),
        (f"search {SEED_QUERY}", "kind=aws_ec2_security_group"),
        (f"search {SEED_QUERY} | list name", "name=sg-open-all-0"),
    ],
)
def test_a_search_imports_nothing_heavy(home: Path, line: str, shows: str) -> None:
    result, modules = _modules_after(home, line)
    assert shows in result.stdout
    assert _heavy(modules) == []
    assert "cloudsift.commands.search" in modules  # the line did run its command


def test_help_lists_every_command_from_the_table(home: Path) -> None:
    result, modules = _modules_after(home, "help")
    assert all(f"  {name:<10} {summary}" in result.stdout for name, (_, summary) in COMMAND_TABLE.items())
    assert _heavy(modules) == []


def test_a_sink_command_is_imported_when_named(home: Path) -> None:
    result, modules = _modules_after(home, "help pagerduty")
    assert "usage: pagerduty" in result.stdout
    assert "cloudsift.alerts.pagerduty" in modules
    assert "cloudsift.alerts.slack" not in modules


def test_ocsf_models_are_imported_only_for_an_ocsf_report(home: Path) -> None:
    line = "report checks run aws_ec2_sg_allow_ingress_from_internet_to_any_port"
    result, modules = _modules_after(home, f"{line} --json")
    assert "cloudsift.commands.report" in modules and "py_ocsf_models" not in modules
    result, modules = _modules_after(home, f"{line} --ocsf")
    assert "py_ocsf_models" in modules
    assert '"event_code": "aws_ec2_sg_allow_ingress_from_internet_to_any_port"' in result.stdout
