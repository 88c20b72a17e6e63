"""The grammar's parser tables are kept in the user's own cache directory, never a shared temp one, and
a missing, unwritable or damaged cache only costs the time to build them again."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from cloudsift.query.parser import grammar_cache


def _count(tmp_path: Path, cache_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLOUDSIFT_HOME": str(tmp_path / "home"), "CLOUDSIFT_CONFIG": os.devnull,
           "XDG_CACHE_HOME": str(cache_home)}  # fmt: skip
    line = "search is(aws_ec2_security_group) and name~open | count"
    return subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", line], capture_output=True, text=True,
                          env=env, timeout=60)  # fmt: skip


def test_the_tables_go_to_a_private_directory_of_the_users_cache(tmp_path: Path) -> None:
    result = _count(tmp_path, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    directory = tmp_path / "cache" / "cloudsift"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert (directory / "query-grammar.lark-cache").stat().st_size > 1000
    assert grammar_cache({"XDG_CACHE_HOME": str(tmp_path / "cache")}) == str(
        directory / "query-grammar.lark-cache"
    )


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    cached = tmp_path / "cache" / "cloudsift" / "query-grammar.lark-cache"
    cached.parent.mkdir(parents=True, mode=0o700)
    cached.write_bytes(b"not the grammar's hash\n\x80\x04garbage")
    result = _count(tmp_path, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("total matched: 0") and result.stderr == ""
    assert cached.read_bytes().split(b"\n")[0] != b"not the grammar's hash"  # written anew


def test_no_cache_where_the_directory_cannot_be_made(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert grammar_cache({"XDG_CACHE_HOME": str(blocked)}) is False
    result = _count(tmp_path, blocked)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
