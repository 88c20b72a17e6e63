"""The real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1, with a temporary config.

Required in CI (the project's setup installs it); elsewhere its tests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

BINARY = os.environ.get("CLOUDSIFT_TEST_ALERTMANAGER", "prometheus-alertmanager")
CONFIG = """\
global:
  resolve_timeout: {resolve_timeout}
route:
  receiver: "null"
  group_by: ["alertname"]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: "null"
"""


@dataclass(frozen=True)
class Alertmanager:
    url: str
    log: Path

    def alerts(self) -> list[dict[str, Any]]:
        """The alerts Alertmanager holds that have not ended: a resolved alert is gone from this list."""
        answer = httpx.get(self.url + "/api/v2/alerts", timeout=10)
        answer.raise_for_status()
        alerts: list[dict[str, Any]] = answer.json()
        return alerts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def missing() -> str | None:
    return (
        None
        if shutil.which(BINARY)
        else f"{BINARY} is not installed (apt-get install prometheus-alertmanager)"
    )


@contextmanager
def alertmanager(tmp: Path, resolve_timeout: str = "5m") -> Iterator[Alertmanager]:
    reason = missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Alertmanager: {reason}")
        pytest.skip(reason)
    config = tmp / "alertmanager.yml"
    config.write_text(CONFIG.format(resolve_timeout=resolve_timeout))
    port = _free_port()
    log = tmp / "alertmanager.log"
    process = subprocess.Popen(
        [BINARY, f"--config.file={config}", f"--storage.path={tmp / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
        stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError("alertmanager exited: " + log.read_text())
            try:
                if httpx.get(url + "/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("alertmanager did not start: " + log.read_text())
            time.sleep(0.1)
        yield Alertmanager(url, log)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
