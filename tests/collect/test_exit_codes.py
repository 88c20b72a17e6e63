"""Exit codes say what happened: a partial collection, a region that does not exist and a failed job are
not "fine"; a usage error is 2. The same through a running server. moto over HTTP, no AWS_DEFAULT_REGION."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.server.test_serve import Server

PARTIAL, FAILED, USAGE = 4, 1, 2


def _cloudsift(home: Path, line: str) -> subprocess.CompletedProcess[str]:
    env = {"CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": str(home / "config.toml")}
    import os

    return subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", line], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=180)  # fmt: skip


def test_regions_that_do_not_exist_are_one_line_each_and_collect_nothing(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")  # environment credentials and a config that lists regions
    (tmp_path / "config.toml").write_text('[aws]\nregions = ["us-east-1", "us-east-9", "US-East-1"]\n')
    result = _cloudsift(tmp_path, "collect")
    assert result.returncode == PARTIAL, result.stderr
    lines = result.stdout.splitlines()
    unknown = (
        "aws: error: [aws] regions: 'us-east-9' is not a region of partition aws; nothing is collected there."
    )
    assert any(line.startswith(unknown) for line in lines), lines
    assert ("aws: error: [aws] regions: 'US-East-1' is not a region of partition aws; nothing is collected there. "
            "Did you mean 'us-east-1'?") in lines  # fmt: skip
    assert all(len(line) < 300 for line in lines)
    assert lines[-2].endswith(", 2 failed."), "\n".join(lines)
    assert any(line.startswith("aws 123456789012 us-east-1: ") and line.endswith(", ok") for line in lines)
    assert result.stderr.startswith("error: collect: 2 parts of the collection failed")
    regions = _cloudsift(tmp_path, "search is(aws_region) | list --csv name")
    assert sorted(regions.stdout.splitlines()[1:]) == ["global", "us-east-1"]  # no fake region node
    assert all(
        "us-east-9" not in line for line in _cloudsift(tmp_path, "workflows show collect").stdout.splitlines()
    )


def test_exit_codes_here_and_through_the_server(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "config.toml").write_text(
        '[aws]\nregions = ["us-east-1", "eu-central-1"]\n[workflows.collect]\nschedule = ""\n'
    )
    assert _cloudsift(tmp_path, "collect").returncode == 0
    assert _cloudsift(tmp_path, "jobs add --id again --schedule '0 0 1 1 *' 'collect'").returncode == 0
    aws.failing.add("eu-central-1")
    server = Server(tmp_path)
    for where in ("here", "through the server"):
        collected = _cloudsift(tmp_path, "collect")
        assert collected.returncode == PARTIAL, (where, collected.stderr)
        shown = collected.stdout.splitlines()
        assert any(
            line.startswith("aws 123456789012 eu-central-1: ") and ", error: " in line for line in shown
        )
        assert "1 part of the collection failed" in collected.stderr
        job = _cloudsift(tmp_path, "jobs run again")
        assert job.returncode == FAILED, (where, job.stderr)
        assert (
            "job again: aws 123456789012 eu-central-1: " in job.stdout
            and "UnauthorizedOperation" in job.stdout
        )
        assert "jobs run again: the job failed" in job.stderr
        usage = _cloudsift(tmp_path, "collect now")
        assert usage.returncode == USAGE and usage.stderr.startswith("error: collect takes no arguments")
        if where == "here":
            server.start()
    assert server.stop(signal.SIGTERM) == 0
