"""`cloudsift serve` as a real process: the CLI sends its lines to it, httpx talks to its API, moto is
AWS and the strict stand-in is PagerDuty."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import httpx
import pytest

from cloudsift.demo import SEED_QUERY
from cloudsift.sample import EstateSize, estate_lines
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.collect.aws_fixture import AwsEmulator
from tests.e2e.test_seed_story import JOB, KEY


class Server:
    """One `cloudsift serve` process on a free port, and the CLI pointed at the same home."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": str(home / "config.toml")}
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> Server:
        log = (self.home / "serve.log").open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "cloudsift.cli", "serve", "--port", "0"],
                                        env=self.env, stdout=log, stderr=log)  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.home / "serve.log").read_text()
            try:
                info = json.loads((self.home / "server.json").read_text())
                if info["pid"] == self.process.pid and httpx.get(info["url"] + "/health").status_code == 200:
                    self.url = info["url"]
                    return self
            except (OSError, ValueError, httpx.TransportError):
                pass
            time.sleep(0.1)
        raise AssertionError("the server did not start: " + (self.home / "serve.log").read_text())

    @property
    def token(self) -> str:
        return (self.home / "server.token").read_text().strip()

    def api(
        self, line: str, accept: str = "application/x-ndjson", token: str | None = None
    ) -> httpx.Response:
        headers = {"Accept": accept, "Authorization": f"Bearer {token or self.token}"}
        return httpx.post(self.url + "/cli/execute", content=line, headers=headers, timeout=120)

    def cli(self, line: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", line], env=self.env,
                              capture_output=True, text=True, timeout=180)  # fmt: skip

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        return self.process.wait(60)


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


@pytest.fixture
def server(tmp_path: Path, pagerduty: PagerDutyStandIn) -> Iterator[Server]:
    (tmp_path / "config.toml").write_text(
        f'[aws]\nregions = ["us-east-1"]\n[pagerduty]\nrouting_key = "{KEY}"\nevents_url = "{pagerduty.url}"\n'
        "retries = 2\nretry_base_seconds = 0.05\n[server]\ndelivery_interval_seconds = 0.5\n"
        '[workflows.collect]\nschedule = ""\n'
    )
    instance = Server(tmp_path)
    yield instance
    if instance.process is not None and instance.process.poll() is None:
        instance.stop(signal.SIGKILL)


def wait_for(condition: Callable[[], object], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.1)


def test_the_seed_story_through_the_server(
    aws: AwsEmulator, pagerduty: PagerDutyStandIn, server: Server
) -> None:
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="everything", Description="x", VpcId=vpc)["GroupId"]
    rule = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=rule)
    server.start()

    added = server.cli(JOB)
    assert (added.returncode, added.stdout) == (0, "Job sec_network_open_ingress_from_internet added.\n"), (
        added.stderr
    )
    collected = server.cli("workflows run collect")
    assert collected.returncode == 0, collected.stderr
    assert collected.stdout.splitlines()[-1] == (
        "job sec_network_open_ingress_from_internet: pagerduty: trigger "
        "allow_ingress_from_internet_to_any_port sent (1 resources)."
    )
    [event] = pagerduty.events
    assert list(event["payload"]["custom_details"]["aws"]["123456789012"]["us-east-1"]) == [group]

    # the API: JSON Lines and text, errors with their status
    nodes = [
        json.loads(line)
        for line in server.api("search is(aws_ec2_security_group) and name=everything").text.splitlines()
    ]
    assert [n["reported"]["id"] for n in nodes] == [group]
    text = server.api("search is(aws_ec2_security_group) and name=everything | count", accept="text/plain")
    assert text.text == "total matched: 1\ntotal unmatched: 0\n"
    bad = server.api("search is(aws_ec2_securty_group)")
    assert bad.status_code == 400
    assert "Did you mean 'aws_ec2_security_group'" in bad.json()["error"] and "^" in bad.json()["error"]
    refused = server.cli("search is(aws_ec2_securty_group)")
    assert refused.returncode == 2 and refused.stderr.startswith("query error: unknown kind")
    metrics = httpx.get(server.url + "/metrics", headers={"Authorization": f"Bearer {server.token}"}).text
    assert 'cloudsift_resources{kind="aws_ec2_security_group"}' in metrics
    assert 'cloudsift_job_runs_total{outcome="done"} 1.0' in metrics
    assert 'cloudsift_outbox_events{state="delivered"} 1.0' in metrics
    assert 'cloudsift_collect_runs_total{outcome="ok"} 1.0' in metrics

    # fixed: the next collection resolves the alert
    ec2.revoke_security_group_ingress(GroupId=group, IpPermissions=rule)
    resolved = server.cli("collect")
    assert resolved.stdout.splitlines()[-1] == (
        "job sec_network_open_ingress_from_internet: pagerduty: resolve allow_ingress_from_internet_to_any_port sent."
    )
    assert [e["event_action"] for e in pagerduty.events] == ["trigger", "resolve"]

    # SIGTERM: a clean exit, and the command line works on its own again
    assert server.stop() == 0
    assert not (server.home / "server.json").exists()
    history = server.cli("jobs history sec_network_open_ingress_from_internet")
    assert history.returncode == 0 and history.stdout.count(" done in ") == 2


def test_the_api_wants_the_token(server: Server) -> None:
    server.start()
    assert httpx.get(server.url + "/health").json()["status"] == "ok"
    for token in (None, "wrong"):
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        assert (
            httpx.post(server.url + "/cli/execute", content="search all", headers=headers).status_code == 401
        )
        assert httpx.get(server.url + "/metrics", headers=headers).status_code == 401
    assert server.token not in (server.home / "serve.log").read_text()
    assert oct((server.home / "server.token").stat().st_mode & 0o777) == "0o600"
    second = subprocess.run([sys.executable, "-m", "cloudsift.cli", "serve", "--port", "0"], env=server.env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert second.returncode != 0 and "a server runs already" in second.stderr


def test_a_cron_job_fires_in_the_server(server: Server) -> None:
    server.start()
    assert server.cli("jobs add --id tick --schedule '* * * * * */1' 'echo tick'").returncode == 0
    wait_for(lambda: "tick" in server.cli("jobs history tick").stdout)
    assert server.stop() == 0


def test_killed_mid_delivery_the_server_loses_no_event(pagerduty: PagerDutyStandIn, server: Server) -> None:
    estate = server.home / "estate.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize())))
    assert server.cli(f"import {estate}").returncode == 0  # no server yet: the CLI writes the store itself
    server.start()
    release = pagerduty.hold()
    line = f'search {SEED_QUERY} | pagerduty --summary "Open to the world." --dedup-key open_world'
    sending = subprocess.Popen([sys.executable, "-m", "cloudsift.cli", "-c", line], env=server.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert pagerduty.held.wait(60)  # the event is on its way to PagerDuty: kill the server now
    server.stop(signal.SIGKILL)
    _, err = sending.communicate(timeout=60)
    assert sending.returncode == 1 and "cannot reach the server" in err
    release.set()
    assert pagerduty.events == []
    server.start()  # the restarted server delivers what the outbox kept
    wait_for(lambda: pagerduty.events)
    [event] = pagerduty.events
    assert (event["event_action"], event["dedup_key"]) == ("trigger", "open_world")
    assert event["payload"]["custom_details"]["total"] == 4
    wait_for(lambda: "delivered" in server.cli("alerts outbox").stdout)
    assert server.stop() == 0


def test_sigterm_lets_the_running_collection_finish(aws: AwsEmulator, server: Server) -> None:
    boto3.client("ec2", region_name="us-east-1").create_vpc(CidrBlock="10.1.0.0/16")
    server.start()
    aws.delay = 0.3  # every AWS call now takes a while: the collection is still running when SIGTERM comes
    collecting = subprocess.Popen([sys.executable, "-m", "cloudsift.cli", "-c", "workflows run collect"],
                                  env=server.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    wait_for(lambda: "collect: running since" in server.api("workflows running", accept="text/plain").text)
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    out, err = collecting.communicate(timeout=120)
    assert collecting.returncode == 0, err
    assert "aws 123456789012 us-east-1: " in out  # the whole summary came back
    assert server.process.wait(60) == 0
    aws.delay = 0
    history = server.cli("workflows history")  # no server now: the CLI reads the store itself
    assert history.returncode == 0 and history.stdout.split()[1] == "collect" and ": ok in " in history.stdout


def test_the_shell_sends_its_lines_to_the_server(server: Server) -> None:
    import pexpect

    server.start()
    assert server.cli("jobs add --id hello 'echo hello'").returncode == 0
    env = {**server.env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(sys.executable, ["-m", "cloudsift.cli"], env=env, encoding="utf-8", timeout=20,
                          dimensions=(40, 200))  # fmt: skip
    try:
        child.expect(f"on the server at {server.url}")
        time.sleep(0.3)
        child.send("jobs run hello\r")
        child.expect("job hello: hello")
        time.sleep(0.3)
        child.send("search is(aws_vpcc)\r")
        child.expect("query error: unknown kind 'aws_vpcc'")
        child.send("\x04")
        child.expect(pexpect.EOF)
    finally:
        child.terminate(force=True)
    assert server.stop() == 0


def test_a_server_file_left_behind_is_ignored(server: Server) -> None:
    # a live pid that is no server (this test's own), at an address nobody answers: the CLI works alone
    (server.home / "server.json").write_text(json.dumps({"url": "http://127.0.0.1:9", "pid": os.getpid()}))
    result = server.cli("jobs list")
    assert (result.returncode, result.stdout) == (0, "No jobs.\n"), result.stderr


def test_the_server_applies_retention_when_it_starts_without_a_collection(server: Server) -> None:
    """The embedded store is kept within [store] retention by the server itself (at its start, then
    hourly), not only after a collection: a server that collects rarely or never shrinks too."""
    import datetime as dt

    from cloudsift.collect.run_log import record_run
    from cloudsift.config import load_config
    from cloudsift.store.open import open_store

    config = load_config(server.home / "config.toml", server.home)
    now = dt.datetime.now(dt.UTC)
    store = open_store(config)
    try:
        for run_id, days in (("old", 40), ("new", 1)):
            record_run(store, run_id, "collect", now - dt.timedelta(days=days), 1.0, "ok", "", [])
    finally:
        store.close()
    server.start()
    wait_for(lambda: "retention: deleted 1 from workflow_runs" in (server.home / "serve.log").read_text())
    assert server.stop() == 0
    store = open_store(config)
    try:
        assert store.execute("SELECT id FROM workflow_runs") == [("new",)]
    finally:
        store.close()
