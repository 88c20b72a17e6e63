"""The built query parser is kept in the user's own cache directory, never a shared temp one; a
missing, unwritable or damaged cache only costs the time to build it again; other versions' files
nobody loaded for a week are removed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from cloudsift.query.parser import grammar
from cloudsift.query.parser_cache import PRUNE_AFTER, _load, grammar_cache


def _cache_file(cache_home: Path) -> Path | None:
    return grammar_cache(grammar(), {"XDG_CACHE_HOME": str(cache_home)})


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
    assert _cache_file(tmp_path / "cache") == cached
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600


def test_the_file_is_named_by_the_grammar_so_that_two_versions_keep_theirs(tmp_path: Path) -> None:
    ours = Path(str(_cache_file(tmp_path / "cache")))
    other = ours.with_name("query-grammar-0123456789abcdef.lark-cache")  # another version's grammar
    other.write_bytes(b"another grammar's tables")
    assert _count(tmp_path, tmp_path / "cache").returncode == 0
    written = ours.stat().st_mtime_ns
    assert _count(tmp_path, tmp_path / "cache").returncode == 0
    assert ours.stat().st_mtime_ns == written  # loaded, not built again
    assert other.read_bytes() == b"another grammar's tables"


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    cached = Path(str(_cache_file(tmp_path / "cache")))
    cached.write_bytes(b"not the grammar's hash\n\x80\x04garbage")
    result = _count(tmp_path, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("total matched: 0") and result.stderr == ""
    assert cached.read_bytes().split(b"\n")[0] != b"not the grammar's hash"  # written anew


def test_no_cache_where_the_directory_cannot_be_made(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert _cache_file(blocked) is None
    result = _count(tmp_path, blocked)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_files_nobody_loaded_for_a_week_are_removed_when_one_is_written(tmp_path: Path) -> None:
    ours = Path(str(_cache_file(tmp_path / "cache")))
    stale = ours.with_name("query-grammar-0123456789abcdef.lark-cache")  # an earlier version's, unused
    recent = ours.with_name("query-grammar-fedcba9876543210.pickle")  # another version's, in use
    unrelated = ours.with_name("notes.txt")
    for path in (stale, recent, unrelated):
        path.write_bytes(b"x")
    long_ago = time.time() - PRUNE_AFTER - 3600
    os.utime(stale, (long_ago, long_ago))
    os.utime(unrelated, (long_ago, long_ago))
    assert _count(tmp_path, tmp_path / "cache").returncode == 0
    assert ours.exists() and recent.exists() and unrelated.exists()
    assert not stale.exists()


def test_a_file_in_use_is_marked_so_that_no_other_version_removes_it(tmp_path: Path) -> None:
    ours = Path(str(_cache_file(tmp_path / "cache")))
    assert _count(tmp_path, tmp_path / "cache").returncode == 0
    long_ago = time.time() - PRUNE_AFTER + 3600  # not yet stale, but not marked for days
    os.utime(ours, (long_ago, long_ago))
    assert _count(tmp_path, tmp_path / "cache").returncode == 0
    assert time.time() - ours.stat().st_mtime < 600


def test_a_cache_others_may_write_is_never_read(tmp_path: Path) -> None:
    # pickle runs what the file says: a directory or file open to others is no cache
    cache_home = tmp_path / "cache"
    assert _count(tmp_path, cache_home).returncode == 0
    directory = cache_home / "cloudsift"
    [cached] = directory.iterdir()
    cached.chmod(0o666)
    assert _load(cached) is None
    cached.chmod(0o600)
    assert _load(cached) is not None
    directory.chmod(0o777)
    try:
        assert _cache_file(cache_home) is None
        result = _count(tmp_path, cache_home)
        assert result.returncode == 0 and result.stdout.startswith("total matched: 0"), result.stderr
    finally:
        directory.chmod(0o700)
