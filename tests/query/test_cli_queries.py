"""Bad queries through the real entry point: a clear query error, exit 2, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import cloudsift


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("not " * 500 + "name == a", "nests deeper than 50 levels"),
        ('name =~ "(a*)*\\1b"', "back-references (\\1) are not supported"),
        ('name == "\x1b[31mred\x07" andd x', "unexpected 'andd'"),
        ("ctime > -99999999999d", "the duration -99999999999d is too long"),
        ("all limit 99999999999999999999999", "is too large"),
    ],
)
def test_bad_queries_are_clear_errors(tmp_path: Path, query: str, message: str) -> None:
    result = cloudsift(tmp_path, "-c", f"search {query}")
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "query error: " in output and message in output
    assert "internal error" not in output and "Traceback" not in output and "\x1b" not in output


def test_six_hundred_ors_run(tmp_path: Path) -> None:
    query = " or ".join(f"name == n{i}" for i in range(600))
    result = cloudsift(tmp_path, "-c", f"search {query} | count")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["total matched: 0", "total unmatched: 0"]
