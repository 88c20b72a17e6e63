"""Several `cloudsift serve` processes on one PostgreSQL store: each schedule fires once, on one of them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, postgres_available
from tests.server.test_serve import Server


@pytest.fixture
def schema() -> Iterator[str]:
    reason = postgres_available()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {reason}")
        pytest.skip(reason)
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def _home(tmp_path: Path, name: str, schema: str) -> Path:
    home = tmp_path / name
    home.mkdir()
    (home / "config.toml").write_text(
        f'[store]\nurl = "{POSTGRES_URL}"\nschema = "{schema}"\n[workflows.collect]\nschedule = ""\n'
    )
    return home


def test_two_servers_on_one_store_run_a_scheduled_job_once_per_fire(tmp_path: Path, schema: str) -> None:
    first, second = _home(tmp_path, "a", schema), _home(tmp_path, "b", schema)
    env = {**os.environ, "CLOUDSIFT_HOME": str(first), "CLOUDSIFT_CONFIG": str(first / "config.toml")}
    added = subprocess.run(
        [sys.executable, "-m", "cloudsift.cli", "-c", "jobs add --id every_second --schedule '* * * * * *' 'search all | count'"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    servers = [Server(first).start(), Server(second).start()]
    try:
        time.sleep(8)
    finally:
        for server in servers:
            server.stop()
    import psycopg

    with psycopg.connect(POSTGRES_URL) as conn:
        rows = conn.execute(
            f'SELECT started_at FROM "{schema}".job_runs WHERE job = %s ORDER BY started_at', ["every_second"]
        ).fetchall()
    assert len(rows) >= 4, rows  # both servers ran for 8 s at least: the job fired every second
    span = (rows[-1][0] - rows[0][0]).total_seconds()
    # One run per fire (a run may start a little after its second); two servers firing alike would
    # make about two runs per second.
    assert len(rows) <= span + 2, [r[0].isoformat() for r in rows]
