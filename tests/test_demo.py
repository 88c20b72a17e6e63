"""`cloudsift demo`, the main job, as a newcomer runs it: emulated AWS, the seed's job, trigger, update, resolve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_tells_the_whole_story(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PAGERDUTY_"))}
    env.update(CLOUDSIFT_HOME=str(tmp_path), CLOUDSIFT_CONFIG=os.devnull)
    result = subprocess.run([sys.executable, "-m", "cloudsift.cli", "demo"], env=env, capture_output=True, text=True,
                            timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    out = result.stdout
    assert "Job sec_network_open_ingress_from_internet added." in out
    sent = [
        line for line in out.splitlines() if line.startswith("job sec_network_open_ingress_from_internet:")
    ]
    assert sent == [
        "job sec_network_open_ingress_from_internet: pagerduty: trigger allow_ingress_from_internet_to_any_port sent (2 resources).",
        "job sec_network_open_ingress_from_internet: pagerduty: trigger allow_ingress_from_internet_to_any_port sent (1 resources).",
        "job sec_network_open_ingress_from_internet: pagerduty: resolve allow_ingress_from_internet_to_any_port sent.",
    ]
    assert '"event_action": "resolve"' in out and "****0000" in out
    assert any(
        line.startswith("pagerduty allow_ingress_from_internet_to_any_port: resolved")
        for line in out.splitlines()
    )
    assert (tmp_path / "inventory.duckdb").exists()
