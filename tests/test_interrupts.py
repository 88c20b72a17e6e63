"""Ctrl-C (SIGINT) of `cloudsift -c` during an import and while the store closes: "interrupted", exit 130,
the store as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cloudsift import cli
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.duckdb import DuckDBStore


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("estate") / "estate.jsonl"
    path.write_bytes(b"".join(estate_lines(EstateSize(security_groups=10000))))  # a few seconds to import
    return path


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": os.devnull}


def _count(home: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", "search all | count"], env=_env(home),
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("delay", [1.0, 2.5, 4.0])  # after start: reading, checking, loading, closing
def test_ctrl_c_during_an_import_says_interrupted_and_imports_all_or_nothing(
    estate: Path, tmp_path: Path, delay: float
) -> None:
    before = _count(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "cloudsift.cli", "-c", f"import {estate}"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell's background job ignores SIGINT; a person's terminal does not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the import ended before the signal came")
    assert (process.returncode, err) == (130, "interrupted\n"), out
    # a signal during the close comes after the commit: all of it is in; before, none of it
    full = f"total matched: {EstateSize(security_groups=10000).resources}\ntotal unmatched: 0\n"
    assert _count(tmp_path) in (before, full)


def test_ctrl_c_while_the_store_closes_says_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = tmp_path / "small.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize(accounts=1, regions=1))))
    monkeypatch.setenv("CLOUDSIFT_HOME", str(tmp_path))
    monkeypatch.setenv("CLOUDSIFT_CONFIG", os.devnull)
    close = DuckDBStore.close

    def interrupted_close(self: DuckDBStore) -> None:
        close(self)
        raise KeyboardInterrupt  # the signal came while the database checkpointed on close

    monkeypatch.setattr(DuckDBStore, "close", interrupted_close)
    try:
        status = cli.main(["-c", f"import {estate}"])
    except KeyboardInterrupt:
        pytest.fail("the interrupt escaped as a traceback")
    captured = capsys.readouterr()
    assert (status, captured.err) == (130, "interrupted\n")
    assert captured.out.startswith("Imported ")
