"""A secret typed in a line is never shown back nor kept in clear; $CLOUDSIFT_HOME is private; an idle
shell locks nobody out of the store (issue 19 item 8; issue 18 item 4)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pexpect

from cloudsift.redact import mask_secrets, mask_url_password
from cloudsift.sample import EstateSize, estate_lines
from tests.test_cli import cloudsift

KEY = "R0utingKey0123456789abcdefABCDEF"
SINK = f"pagerduty --summary open --dedup-key open --routing-key {KEY}"


def _mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def _shell(home: Path) -> pexpect.spawn:
    env = {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": os.devnull,
           "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}  # fmt: skip
    child = pexpect.spawn(sys.executable, ["-m", "cloudsift.cli"], env=env, encoding="utf-8", timeout=30,
                          dimensions=(40, 200))  # fmt: skip
    child.expect("Ctrl-D to leave")
    return child


def _type(child: pexpect.spawn, text: str) -> None:
    time.sleep(0.3)  # let the prompt draw before keys arrive
    child.send(text)


def test_jobs_list_and_show_mask_the_routing_key(tmp_path: Path) -> None:
    added = cloudsift(tmp_path, "-c", f"jobs add --id page 'search is(aws_vpc) | {SINK}'")
    assert added.returncode == 0, added.stderr
    for line in ("jobs list", "jobs show page"):
        shown = cloudsift(tmp_path, "-c", line).stdout
        assert KEY not in shown and "--routing-key ****CDEF" in shown, shown


def test_an_error_that_echoes_the_line_masks_the_key(tmp_path: Path) -> None:
    for line in (f"search is(aws_vpc) | {SINK} --summary 'unclosed", f'echo "x | {SINK}'):
        failed = cloudsift(tmp_path, "-c", line)
        assert failed.returncode == 2 and "unclosed" in failed.stderr, failed.stderr
        assert KEY not in failed.stderr and "****CDEF" in failed.stderr


def test_masking_keeps_the_shape_of_the_line() -> None:
    assert (
        mask_secrets(f"a | {SINK}") == "a | pagerduty --summary open --dedup-key open --routing-key ****CDEF"
    )
    assert mask_secrets(f"jobs add 'x | pagerduty --routing-key=\"{KEY}\"'") == (
        "jobs add 'x | pagerduty --routing-key=\"****CDEF\"'"
    )
    assert mask_secrets("pagerduty --routing-key short") == "pagerduty --routing-key ****"
    assert (
        mask_secrets("alertmanager --bearer-token=abcdefghijklmnop") == "alertmanager --bearer-token=****mnop"
    )
    assert mask_secrets("opsgenie --api-key 0123456789abcdef") == "opsgenie --api-key ****cdef"
    assert mask_secrets("search is(token) | list --dedup-key") == "search is(token) | list --dedup-key"


def test_a_store_urls_password_is_masked_in_a_message() -> None:
    url = "postgresql://cloudsift:s%40cret-Pw@db.internal:5432/cloudsift"
    said = f"cannot use {url}: password s@cret-Pw refused (s%40cret-Pw); also https://u:other@x.example/y"
    assert mask_url_password(said, url) == (
        "cannot use postgresql://cloudsift:****@db.internal:5432/cloudsift: password **** refused (****); "
        "also https://u:****@x.example/y"
    )
    assert mask_url_password("connection to server at 127.0.0.1 refused", url) == (
        "connection to server at 127.0.0.1 refused"
    )


def test_the_home_and_its_files_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    estate = tmp_path / "estate.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize())))
    assert cloudsift(home, "-c", f"import {estate}").returncode == 0
    assert _mode(home) == "0o700"
    assert _mode(home / "inventory.duckdb") == "0o600"
    home.chmod(0o755)  # a home made by an older cloudsift is closed on the next use
    assert cloudsift(home, "-c", "search is(aws_vpc) | count").returncode == 0
    assert _mode(home) == "0o700"


def test_a_typed_secret_is_not_written_to_the_shell_history(tmp_path: Path) -> None:
    shell = _shell(tmp_path)
    try:
        _type(shell, "echo kept\r")
        shell.expect("kept")
        _type(shell, f"json [] | {SINK} --dry-run\r")
        shell.expect("nothing (to send|was sent)")
        _type(shell, "\x04")
        shell.expect(pexpect.EOF)
    finally:
        shell.terminate(force=True)
    history = tmp_path / "shell_history"
    assert _mode(history) == "0o600" and _mode(tmp_path) == "0o700"
    assert "echo kept" in history.read_text() and KEY not in history.read_text()


def test_an_idle_shell_does_not_lock_the_store(tmp_path: Path) -> None:
    estate = tmp_path / "estate.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize())))
    assert cloudsift(tmp_path, "-c", f"import {estate}").returncode == 0
    shell = _shell(tmp_path)
    try:
        _type(shell, "search is(aws_vpc) | count\r")
        shell.expect("total matched: 4")
        other = cloudsift(tmp_path, "-c", "search is(aws_vpc) | count")  # while the shell waits at its prompt
        assert (other.returncode, other.stderr) == (0, ""), other.stderr
        assert other.stdout.startswith("total matched: 4")
    finally:
        shell.terminate(force=True)


def test_a_store_held_by_another_process_names_that_process(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; "
                               f"c = duckdb.connect({str(tmp_path / 'inventory.duckdb')!r}); print('held', flush=True); "
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        refused = cloudsift(tmp_path, "-c", "search all | count")
    finally:
        holder.kill()
        holder.wait()
    assert refused.returncode == 1
    assert (
        f"is in use by another process (pid {holder.pid}: {sys.executable} -c import duckdb" in refused.stderr
    )
    assert "run `cloudsift serve`" in refused.stderr
    assert "Conflicting lock" not in refused.stderr
