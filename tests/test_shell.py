"""The interactive shell, driven through a pseudo-terminal: type a line, see the answer; Tab completes."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from cloudsift.sample import EstateSize, estate_lines
from cloudsift.shell import LineCompleter
from tests.test_cli import cloudsift


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[pexpect.spawn]:
    estate = tmp_path / "estate.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize())))
    assert cloudsift(tmp_path, "-c", f"import {estate}").returncode == 0
    env = {**os.environ, "CLOUDSIFT_HOME": str(tmp_path), "CLOUDSIFT_CONFIG": os.devnull,
           "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}  # fmt: skip
    child = pexpect.spawn(
        sys.executable, ["-m", "cloudsift.cli"], env=env, encoding="utf-8", timeout=20, dimensions=(40, 200)
    )
    child.expect("Ctrl-D to leave")
    yield child
    child.terminate(force=True)


def _type(child: pexpect.spawn, text: str) -> None:
    time.sleep(0.2)  # let the prompt draw before keys arrive
    child.send(text)


def test_lines_typed_in_the_shell_show_their_result(shell: pexpect.spawn) -> None:
    _type(shell, "search is(aws_vpc) | count\r")
    shell.expect("total matched: 4")
    _type(shell, "search is(aws_vpc) and name ==\r")
    shell.expect("query error: unexpected end of the query")
    _type(shell, "search is(aws_account) sort name | list name\r")
    shell.expect("dev")
    shell.expect("prod")
    _type(shell, "\x04")  # Ctrl-D leaves
    shell.expect(pexpect.EOF)


def test_tab_completes_a_kind_and_ctrl_c_keeps_the_shell(shell: pexpect.spawn) -> None:
    _type(shell, "search is(aws_ec2_securi")
    _type(shell, "\t")
    _type(shell, ") | count\r")
    shell.expect("total matched: 16")  # only the completed kind name gives this answer
    _type(shell, "search all")
    shell.sendintr()
    _type(shell, "search is(cloud) | count\r")
    shell.expect("total matched: 1\r")


def test_completion_offers_commands_options_kinds_and_properties() -> None:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    completer = LineCompleter(["team"])

    def offered(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text), CompleteEvent())]

    assert "search" in offered("sea")
    assert offered("search all | cou") == ["count"]
    assert offered("search all | list --cs") == ["--csv"]
    assert offered("search is(aws_ec2_inst") == ["aws_ec2_instance"]
    assert "group_ip_permissions" in offered("search is(security_group) and group_")
    assert offered("search tea") == ["team"]


def test_ctrl_c_interrupts_a_long_running_line_and_the_shell_lives_on(tmp_path: Path) -> None:
    estate = tmp_path / "estate.jsonl"
    size = EstateSize(accounts=3, regions=4, vpcs=5, security_groups=20, instances=200, volumes=200)
    estate.write_bytes(b"".join(estate_lines(size)))
    assert cloudsift(tmp_path, "-c", f"import {estate}").returncode == 0
    env = {**os.environ, "CLOUDSIFT_HOME": str(tmp_path), "CLOUDSIFT_CONFIG": os.devnull,
           "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}  # fmt: skip
    child = pexpect.spawn(sys.executable, ["-m", "cloudsift.cli"], env=env, encoding="utf-8", timeout=60,
                          dimensions=(40, 200))  # fmt: skip
    try:
        child.expect("Ctrl-D to leave")
        long_line = "search all | jq '[range(0;100000)] | length' | count\r"  # minutes of work, little memory
        _type(child, long_line)
        time.sleep(3.0)  # let the line start, even on a busy machine
        for _ in range(5):  # ask again if the first one came early
            child.sendintr()
            if child.expect(["interrupted", pexpect.TIMEOUT], timeout=10) == 0:
                break
        else:
            raise AssertionError("the running line was not interrupted")
        _type(child, "search is(cloud) | count\r")
        child.expect("total matched: 1\r")
    finally:
        child.terminate(force=True)


def test_completion_of_sub_commands_job_ids_nested_paths_and_the_searched_kind() -> None:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    completer = LineCompleter(job_ids=lambda: ["sec_network_open_ingress", "nightly"])

    def offered(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text), CompleteEvent())]

    assert offered("jobs a") == ["add", "activate"]
    assert offered("alerts o") == ["outbox"]
    assert offered("jobs show sec") == ["sec_network_open_ingress"]
    assert offered("jobs run n") == ["nightly"]
    assert offered("search group_ip_permissions[*].ip_pro") == ["group_ip_permissions[*].ip_protocol"]
    assert "group_ip_permissions[*].ip_ranges[*].cidr_ip" in offered(
        "search group_ip_permissions[*].ip_ranges[*].ci"
    )
    assert offered("search group_ip_permissions.ip_ranges[*].ci") == [
        "group_ip_permissions.ip_ranges[*].cidr_ip"
    ]
    searched = offered("search is(aws_ec2_volume) and vol")
    assert searched and all(p.startswith("volume_") for p in searched)
    assert "instance_cores" not in offered("search is(aws_ec2_volume) and inst")
