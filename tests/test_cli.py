"""The command line through the real entry point: lines in, output and exit codes out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cloudsift import run
from cloudsift.demo import SEED_QUERY
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.duckdb import DuckDBStore


def cloudsift(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": os.devnull}
    return subprocess.run(
        [sys.executable, "-m", "cloudsift.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("home")
    estate = path / "estate.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize())))
    result = cloudsift(path, "-c", f"import {estate}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Imported {EstateSize().resources} nodes and 66 edges."
    return path


def test_seed_search_lists_the_violating_groups(home: Path) -> None:
    result = cloudsift(home, "-c", f"search {SEED_QUERY}")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("kind=aws_ec2_security_group, id=sg-") for line in lines)
    assert {line.split("name=")[1].split(",")[0] for line in lines} == {"sg-open-all-0", "sg-open-v6-1"}
    assert all("account=prod" in line for line in lines)


def test_count_and_formats(home: Path) -> None:
    result = cloudsift(home, "-c", "search is(aws_ec2_security_group) | count")
    assert result.stdout.splitlines() == ["total matched: 16", "total unmatched: 0"]
    grouped = cloudsift(home, "-c", "search is(instance) | count account")
    assert grouped.stdout.splitlines() == ["dev: 6", "prod: 6", "total matched: 12", "total unmatched: 0"]
    csv = cloudsift(home, "-c", "search is(aws_region) sort name, account | list name, account --csv")
    assert csv.stdout.splitlines() == [
        "name,account",
        "eu-central-1,dev",
        "eu-central-1,prod",
        "us-east-1,dev",
        "us-east-1,prod",
    ]
    fmt = cloudsift(home, "-c", 'search is(aws_account) sort name | format "{name} is {id}"')
    assert fmt.stdout.splitlines() == ["dev is 210987654321", "prod is 123456789012"]


def test_pipelines_and_semicolons(home: Path) -> None:
    result = cloudsift(home, "-c", "json [1, 2, 2, 3] | uniq | chunk 2; echo done")
    assert result.stdout.split() == ["[", "1,", "2", "]", "[", "3", "]", "done"]
    result = cloudsift(home, "-c", "search all | head 3 | count")
    assert result.stdout.splitlines()[0] == "total matched: 3"


def test_a_query_error_points_at_the_character_and_exits_2(home: Path) -> None:
    result = cloudsift(home, "-c", "search is(volume) and name = ")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("query error: unexpected end of the query")
    assert lines[1] == "  is(volume) and name =" and lines[2] == "  " + " " * 21 + "^"
    assert "Traceback" not in result.stderr


def test_unknown_names_suggest_the_closest(home: Path) -> None:
    result = cloudsift(home, "-c", "serch all")
    assert result.returncode == 2 and "unknown command 'serch'. Did you mean 'search'?" in result.stderr
    result = cloudsift(home, "-c", "search is(aws_ec2_securty_group)")
    assert result.returncode == 2 and "Did you mean 'aws_ec2_security_group'?" in result.stderr
    assert result.stderr.splitlines()[2] == "     ^"
    result = cloudsift(home, "-c", "search all | list --cvs")
    assert result.returncode == 2 and "Did you mean '--csv'?" in result.stderr


def test_a_failing_command_exits_1(home: Path) -> None:
    bad = home / "bad.jsonl"
    bad.write_text('{"id": "x", "reported": {"kind": "cloud", "id": "x"}}\n{"from": "x", "to": "y"}\n')
    result = cloudsift(home, "-c", f"import {bad}")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: line 2: edge points at unknown node 'y'"
    assert cloudsift(home, "-c", "search is(cloud) | count").stdout.startswith("total matched: 1")


def test_lines_on_stdin_run_one_after_another(home: Path) -> None:
    result = cloudsift(
        home, stdin="search is(aws_account) | count\n# a comment\nsearch is(aws_vpc) | count\n"
    )
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "total matched: 2",
        "total unmatched: 0",
        "total matched: 4",
        "total unmatched: 0",
    ]


def test_version_and_help(home: Path) -> None:
    assert cloudsift(home, "--version").stdout.strip() == "cloudsift 0.1.0"
    assert "search" in cloudsift(home, "-c", "help").stdout
    assert "usage: list" in cloudsift(home, "-c", "help list").stdout


def test_help_flag_anywhere_in_a_command_is_its_help(home: Path) -> None:
    for line, name in (("search --help", "search"), ("report checks run --help", "report"),
                       ("report checks run -h --json", "report"), ("search is(aws_vpc) | count -h", "count"),
                       ("jobs add --id x --help | head 1", "jobs")):  # fmt: skip
        result = cloudsift(home, "-c", line)
        assert (result.returncode, result.stderr) == (0, ""), line
        assert result.stdout == cloudsift(home, "-c", f"help {name}").stdout, line
        assert result.stdout.startswith(f"usage: {name}")


def test_every_command_takes_help_and_h() -> None:
    from cloudsift.commands.base import COMMANDS

    store = DuckDBStore()
    for name in COMMANDS:
        shown = run(f"help {name}", store)
        assert shown[0].startswith(f"usage: {name}"), name
        assert run(f"{name} --help", store) == shown == run(f"{name} -h", store), name


def test_a_quoted_help_word_is_a_value_not_a_request() -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    assert run('search name == "-h" | count', store)[0] == "total matched: 0"
    assert run("echo '--help'", store) == ["--help"]


def test_words_after_cloudsift_are_one_command_line(home: Path) -> None:
    words = cloudsift(home, "search", "is(aws_ec2_security_group)", "and", "name =~ open")
    assert words.returncode == 0, words.stderr
    assert words.stdout == cloudsift(home, "-c", "search is(aws_ec2_security_group) and name =~ open").stdout
    assert len(words.stdout.splitlines()) == 4
    counted = cloudsift(home, "search is(aws_vpc) | count")  # a | quoted for cloudsift
    assert counted.stdout.splitlines()[0] == "total matched: 4"
    helped = cloudsift(home, "report", "checks", "run", "--help")
    assert helped.returncode == 0 and helped.stdout.startswith("usage: report")
    unknown = cloudsift(home, "serch", "all")
    assert unknown.returncode == 2 and "Did you mean 'search'?" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    both = cloudsift(home, "-c", "search all", "count")
    assert both.returncode == 2 and both.stderr.startswith("error: cloudsift takes one command line")
    assert "cloudsift search 'is(aws_vpc)' | wc -l" in " ".join(cloudsift(home, "--help").stdout.split())


def test_library_api_runs_a_line() -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    assert run("search is(aws_vpc) | count", store) == ["total matched: 4", "total unmatched: 0"]
    assert len(run(f"search {SEED_QUERY} | format --ndjson", store)) == 4


def test_sort_limit_head_and_tail_fold_into_the_search() -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    names = run("search is(aws_ec2_volume) sort volume_size desc, name, id | format {volume_size}", store)
    assert (
        run("search is(aws_ec2_volume) | sort volume_size desc, name, id | format {volume_size}", store)
        == names
    )
    assert run("search is(aws_ec2_volume) | sort volume_size desc, name, id | limit 2, 3 | format {volume_size}",
               store) == names[2:5]  # fmt: skip
    assert run("search is(aws_ec2_volume) | sort volume_size desc, name, id | tail 4 | format {volume_size}",
               store) == names[-4:]  # fmt: skip
    assert run("search is(aws_ec2_volume) | sort volume_size desc, name, id | head 2 | format {volume_size}",
               store) == names[:2]  # fmt: skip
    everything = run("search all | format {id}", store)
    assert run("search all | tail 3 | format {id}", store) == everything[-3:]
    assert run("search all limit 10 | tail 3 | format {id}", store) == everything[7:10]
    assert run("json [1, 2, 3, 4] | limit 1, 2", store) == [2, 3]
