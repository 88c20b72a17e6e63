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
    [cached] = directory.iterdir()
    assert cached.name.startswith("query-grammar-") and cached.stat().st_size > 1000
    assert grammar_cache({"XDG_CACHE_HOME": str(tmp_path / "cache")}) == str(cached)


def test_the_file_is_named_by_the_grammar_so_that_two_versions_keep_theirs(tmp_path: Path) -> None:
    ours = Path(str(grammar_cache({"XDG_CACHE_HOME": str(tmp_path / "cache")})))
    other = ours.with_name("query-grammar-0123456789abcdef.lark-cache")  # another version's grammar
    other.write_bytes(b"another grammar's tables")
    assert _count(tmp_path, tmp_path / "cache").returncode == 0
    written = ours.stat().st_mtime_ns
    assert _count(tmp_path, tmp_path / "cache").returncode == 0
    assert ours.stat().st_mtime_ns == written  # loaded, not built again
    assert other.read_bytes() == b"another grammar's tables"


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    cached = Path(str(grammar_cache({"XDG_CACHE_HOME": str(tmp_path / "cache")})))
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
