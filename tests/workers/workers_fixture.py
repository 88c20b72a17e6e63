"""Worker processes on a fresh PostgreSQL schema, against moto (multi-account through STS assume-role).

Each test gets its own schema (store, queue and runs), so tests of other sessions on the same
PostgreSQL are not disturbed; workers are `cloudsift serve --worker` processes started here.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import POSTGRES_URL, require_postgres

ACCOUNTS = ["222222222222", "333333333333"]
REGIONS = ["us-east-1", "eu-central-1"]
CLI = [sys.executable, "-m", "cloudsift.cli"]


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@dataclass
class Setup:
    """A config on its own schema, and the worker processes started on it."""

    root: Path
    schema: str = field(default_factory=lambda: f"w_{uuid.uuid4().hex[:12]}")
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def config(self, extra: str = "", workers: bool = True, url: str = POSTGRES_URL) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / "config.toml"
        path.write_text(
            f'[store]\nurl = "{url}"\nschema = "{self.schema}"\n'
            f'[aws]\nregions = {json.dumps(REGIONS)}\nrole = "cloudsift"\naccounts = {json.dumps(ACCOUNTS)}\n'
            f"[workers]\nenabled = {str(workers).lower()}\nheartbeat_seconds = 1\nstalled_after_seconds = 4\n"
            'collect_timeout_seconds = 170\n[workflows.collect]\nschedule = ""\n[server]\nport = 0\n' + extra
        )
        return path

    def env(self, home: str) -> dict[str, str]:
        return {**os.environ, "CLOUDSIFT_CONFIG": str(self.root / "config.toml"),
                "CLOUDSIFT_HOME": str(self.root / home)}  # fmt: skip

    def start_worker(self, name: str, wait: bool = True) -> subprocess.Popen[bytes]:
        log = (self.root / f"{name}.log").open("wb")
        process = subprocess.Popen([*CLI, "serve", "--worker"], env=self.env(name), stdout=log, stderr=log)
        self.workers[name] = process
        if wait:
            self.wait_health(name, lambda h: h.get("worker", {}).get("state") == "running")
        return process

    def health(self, name: str, token: bool = True) -> tuple[int, dict[str, Any]]:
        info = json.loads((self.root / name / "server.json").read_text())
        headers = {"Authorization": f"Bearer {info['token']}"} if token else {}
        request = urllib.request.Request(info["url"] + "/health", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def metrics(self, name: str) -> dict[str, float]:
        """The worker's /metrics, each sample (its name and labels as written) to its value."""
        info = json.loads((self.root / name / "server.json").read_text())
        request = urllib.request.Request(
            info["url"] + "/metrics", headers={"Authorization": f"Bearer {info['token']}"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read().decode()
        samples = (line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
        return {sample: float(value) for sample, value in samples}

    def wait_health(self, name: str, ok: Any, seconds: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        last: Any = None
        while time.monotonic() < deadline:
            if self.workers[name].poll() is not None:
                raise AssertionError(f"worker {name} exited: {self.log(name)}")
            try:
                last = self.health(name)[1]
                if ok(last):
                    return dict(last)
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"worker {name}: {last}; {self.log(name)}")

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")[-3000:]

    def cli(self, line: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, "-c", line], env=self.env("cli"), capture_output=True, text=True, timeout=timeout
        )

    def popen_cli(self, line: str) -> subprocess.Popen[str]:
        return subprocess.Popen([*CLI, "-c", line], env=self.env("cli"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(POSTGRES_URL, options=f"-c search_path={self.schema}") as conn:
            return conn.execute(query, params).fetchall()  # type: ignore[arg-type]

    def stop(self) -> None:
        for process in self.workers.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def setups(tmp_path: Path) -> Iterator[list[Setup]]:
    """Make setups (each its own schema) with `setups.append(Setup(path))`; all are stopped and dropped."""
    require_postgres()
    made: list[Setup] = []
    yield made
    for setup in made:
        setup.stop()
        drop_schema(setup.schema)


def snapshot(setup: Setup) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """The store's nodes (id, reported as JSON) and edges."""
    nodes = {(r[0], json.dumps(r[1], sort_keys=True)) for r in setup.sql("SELECT id, reported FROM nodes")}
    edges = {(r[0], r[1], r[2]) for r in setup.sql("SELECT from_id, to_id, edge_type FROM edges")}
    return nodes, edges
