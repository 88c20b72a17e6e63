"""Worker processes sharing one PostgreSQL store: a collection split over workers, a worker killed
mid-collection, schedules fired once over several servers (issue 17)."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import _estate
from tests.conftest import POSTGRES_URL
from tests.workers.tcp_proxy import TcpProxy
from tests.workers.workers_fixture import ACCOUNTS, REGIONS, Setup, snapshot

CALLER = "123456789012"
PLACES = (1 + len(ACCOUNTS)) * (len(REGIONS) + 1)  # every account's regions and its "global" partition


def _session(account: str) -> boto3.Session:
    if account == CALLER:
        return boto3.Session()
    creds = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/cloudsift", RoleSessionName="estate"
    )["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"])  # fmt: skip


@pytest.fixture
def estate(aws: AwsEmulator) -> AwsEmulator:
    for account in [CALLER, *ACCOUNTS]:
        for region in REGIONS:
            _estate(_session(account), region, open_to_world=region == "eu-central-1")
    return aws


def _collected(setup: Setup) -> str:
    result = setup.cli("collect")
    logs = "".join(f"\n--- {name}:\n{setup.log(name)}" for name in setup.workers)
    assert result.returncode == 0, result.stdout + result.stderr + logs
    assert re.search(rf"in {PLACES} partitions in [\d.]+s, 0 failed", result.stdout), result.stdout
    return result.stdout


def test_two_workers_share_one_collection_and_store_what_one_worker_stores(
    estate: AwsEmulator, setups: list[Setup], tmp_path: Path
) -> None:
    one = Setup(tmp_path / "one")
    setups.append(one)
    one.config()
    one.start_worker("w1")
    _collected(one)
    two = Setup(tmp_path / "two")
    setups.append(two)
    two.config()
    two.start_worker("w1")
    two.start_worker("w2")
    out = _collected(two)
    assert "Events: pre_collect, collect, merge_outer_edges, post_collect." in out
    assert snapshot(two) == snapshot(one)
    assert len(snapshot(two)[0]) > 100
    # both took tasks of it
    assert len(two.sql("SELECT DISTINCT worker FROM collect_tasks")) == 2
    assert len(two.sql("SELECT * FROM partitions WHERE error IS NULL")) == PLACES
    # /metrics of either worker: the queue's figures (the same on both), each one's own task durations
    jobs = two.sql("SELECT count(*) FROM procrastinate_jobs WHERE queue_name = 'collect'")[0][0]
    parts = two.sql("SELECT count(*) FROM collect_tasks WHERE starts_with(key, 'part:')")[0][0]
    w1, w2 = two.metrics("w1"), two.metrics("w2")
    assert w1['cloudsift_tasks{queue="collect",state="succeeded"}'] == jobs
    assert (
        w1['cloudsift_tasks{queue="collect",state="queued"}']
        == w1['cloudsift_tasks{queue="collect",state="running"}']
        == 0
    )
    # as many retries as procrastinate's events tell (none unless a loaded machine delayed a heartbeat)
    retried = two.sql(
        "SELECT count(*) FROM procrastinate_events WHERE type IN ('deferred_for_retry', 'retried')"
    )
    assert w1['cloudsift_task_retries_total{queue="collect"}'] == retried[0][0]
    assert w2['cloudsift_workers{state="alive"}'] == 2
    part = 'cloudsift_task_duration_seconds_count{outcome="succeeded",queue="collect",task="collect_part"}'
    assert w1.get(part, 0) + w2.get(part, 0) == parts
    assert 0 <= w1["cloudsift_collect_age_seconds"] < 60
    # what the iam service writes on the account's node came through the tasks' rows: no policy set
    [(account,)] = two.sql("SELECT reported FROM nodes WHERE id = %s", (f"aws/{CALLER}",))
    assert (account["password_reuse_prevention"], account.get("minimum_password_length")) == (0, None)
    assert _logged_steps(two) == _logged_steps(one)  # the workers' log has every step
    # the collection record (schema 12), written by the finish: every service answered in every place
    assert _answered(two) == _answered(one)
    assert {(a, r) for a, r, s in _answered(two) if s == "securityhub"} == {
        (a, r) for a in [CALLER, *ACCOUNTS] for r in REGIONS
    }


def _answered(setup: Setup) -> set[tuple[str, ...]]:
    rows = setup.sql("SELECT account, region, service FROM collected_services WHERE error IS NULL "
                     "AND last_success = collected_at")  # fmt: skip
    return {tuple(r) for r in rows}


def _logged_steps(setup: Setup) -> set[tuple[str, ...]]:
    """(account, region, service, outcome) of each step in the log of the setup's one run."""
    history = setup.cli("workflows history")
    [run_id] = [line.split()[0] for line in history.stdout.splitlines()]
    log = setup.cli(f"workflows log {run_id}")
    assert log.returncode == 0, log.stderr
    lines = log.stdout.splitlines()
    assert lines[0].startswith(f"Run {run_id}: collect, started ") and lines[0].endswith(", ok."), lines[0]
    steps = [line.split() for line in lines if line.split()[:1] in ([CALLER], *([a] for a in ACCOUNTS))]
    assert any(re.fullmatch(rf"{len(steps)} steps: {len(steps)} ok, 0 failed; \d+ resources found\.", line)
               for line in lines), lines  # fmt: skip
    return {(step[0], step[1], step[2], step[-1]) for step in steps}


class _Receiver:
    """An HTTP endpoint on 127.0.0.1 that keeps every request body it is sent."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        bodies = self.bodies = []

        class Keep(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                bodies.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Keep)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def slow_aws(estate: AwsEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsEmulator]:
    """Every AWS call of the workers takes 0.15 s more (a proxy process in front of moto)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proxy = subprocess.Popen([sys.executable, "bench/latency_proxy.py", "--target", estate.url, "--port", str(port),
                              "--latency-ms", "150"])  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    yield estate
    proxy.kill()
    proxy.wait()


def _group_ids() -> set[str]:
    """The security groups moto holds, in every account and region: what a collection must find."""
    return {g["GroupId"] for account in [CALLER, *ACCOUNTS] for region in REGIONS
            for g in _session(account).client("ec2", region_name=region).describe_security_groups()["SecurityGroups"]}  # fmt: skip


def _sending_groups(tmp_path: Path, setups: list[Setup]) -> tuple[Setup, _Receiver]:
    """A setup whose post_collect job sends the security groups found to a receiver."""
    receiver = _Receiver()
    setup = Setup(tmp_path)
    setups.append(setup)
    setup.config("delivery_interval_seconds = 1\n")
    added = setup.cli(
        f"jobs add --id groups --wait-for-event post_collect 'search is(aws_ec2_security_group) | http {receiver.url}'"
    )
    assert added.returncode == 0, added.stderr
    return setup, receiver


def _every_group_stored_and_sent_once(setup: Setup, receiver: _Receiver, expected: set[str]) -> None:
    """The store has every group, once; the post_collect job ran once and its request was sent once."""
    nodes = setup.sql("SELECT reported->>'id' FROM nodes WHERE kind = 'aws_ec2_security_group'")
    assert sorted(r[0] for r in nodes) == sorted(expected)
    assert setup.sql("SELECT count(*) FROM job_runs WHERE job = 'groups'")[0][0] == 1
    deadline = time.monotonic() + 30
    while not receiver.bodies and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # a doubled request would come within the delivery loop's interval
    assert len(receiver.bodies) == 1
    assert len(json.loads(receiver.bodies[0])) == len(expected)


def test_a_worker_killed_mid_collection_has_its_tasks_run_by_another_and_nothing_doubled(
    slow_aws: AwsEmulator, setups: list[Setup], tmp_path: Path
) -> None:
    expected = _group_ids()
    setup, receiver = _sending_groups(tmp_path, setups)
    first = setup.start_worker("a")
    collect = setup.popen_cli("collect")
    deadline = time.monotonic() + 300  # a loaded machine starts processes slowly
    pid = f":{first.pid}"
    while time.monotonic() < deadline:  # kill it once it ended some tasks and runs others
        ended = setup.sql(
            "SELECT count(*) FROM collect_tasks WHERE ended_at IS NOT NULL AND worker LIKE %s", (f"%{pid}",)
        )
        doing = (
            setup.sql(
                "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing' AND queue_name = 'collect'"
            )
            if ended[0][0]
            else [(0,)]
        )
        if ended[0][0] >= 2 and doing[0][0] >= 1:
            break
        assert collect.poll() is None, "the collection ended before a worker could be killed in it"
        time.sleep(0.1)
    else:
        raise AssertionError("the first worker never ran tasks: " + setup.log("a"))
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed = time.monotonic()
    in_flight = setup.sql(
        "SELECT id FROM procrastinate_jobs WHERE status = 'doing' AND queue_name = 'collect'"
    )
    assert in_flight
    assert setup.sql("SELECT count(*) FROM nodes")[0][0] == 0  # nothing of the collection is written yet
    setup.start_worker("b")
    out, err = collect.communicate(timeout=180)
    assert collect.returncode == 0, out + err + setup.log("b")
    assert re.search(rf"in {PLACES} partitions in [\d.]+s, 0 failed", out), out
    # the killed worker's tasks ran again, on the other worker, within a bounded time
    ids = [row[0] for row in in_flight]
    retried = setup.sql("SELECT id, attempts FROM procrastinate_jobs WHERE id = ANY(%s)", (ids,))
    assert all(attempts >= 1 for _, attempts in retried), retried
    assert time.monotonic() - killed < 90
    health = setup.wait_health("b", lambda h: h["worker"]["retried_stalled"] >= 1)
    assert health["status"] == "ok"
    assert setup.metrics("b")['cloudsift_task_retries_total{queue="collect"}'] >= len(in_flight)
    _every_group_stored_and_sent_once(setup, receiver, expected)


def test_two_servers_run_each_scheduled_job_once_per_fire_and_a_waiting_job_once_per_event(
    estate: AwsEmulator, setups: list[Setup], tmp_path: Path
) -> None:
    setup = Setup(tmp_path)
    setups.append(setup)
    setup.config()
    for line in ("jobs add --id every_minute --schedule '* * * * *' 'search is(aws_region) | count'",
                 "jobs add --id after_collect --schedule '* * * * *' --wait-for-event post_collect 'search is(aws_account) | count'"):  # fmt: skip
        added = setup.cli(line)
        assert added.returncode == 0, added.stderr
    # both were due two minutes ago: a missed schedule fires once, on one of the servers
    setup.sql("UPDATE jobs SET created_at = now() - interval '150 seconds' RETURNING id")
    setup.start_worker("a", wait=False)
    setup.start_worker("b", wait=False)
    for name in ("a", "b"):
        setup.wait_health(name, lambda h: h.get("worker", {}).get("state") == "running")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not setup.sql(
        "SELECT * FROM schedule_state WHERE starts_with(name, 'waiting:')"
    ):
        time.sleep(0.2)
    time.sleep(2)
    assert setup.sql("SELECT count(*) FROM job_runs WHERE job = 'every_minute'")[0][0] == 1
    # the fire of the waiting one is kept in the store: the worker that finishes the collection runs it, once
    assert setup.sql("SELECT count(*) FROM job_runs WHERE job = 'after_collect'")[0][0] == 0
    out = _collected(setup)
    assert "job after_collect:" in out
    assert setup.sql("SELECT count(*) FROM job_runs WHERE job = 'after_collect'")[0][0] == 1


def test_a_worker_cut_off_from_postgresql_says_so_without_the_password_and_goes_on_when_it_answers(
    setups: list[Setup], tmp_path: Path
) -> None:
    from urllib.parse import urlsplit

    real = urlsplit(POSTGRES_URL)
    proxy = TcpProxy((real.hostname or "127.0.0.1", real.port or 5432))  # the worker's way to PostgreSQL
    password = "pg-Secret-4711"  # the machine's PostgreSQL trusts local users: any password gets in
    setup = Setup(tmp_path)
    setups.append(setup)
    setup.config(url=f"postgresql://{real.username}:{password}@127.0.0.1:{proxy.port}{real.path}")

    def cut_off() -> dict[str, Any]:
        down = setup.wait_health("w", lambda h: h["status"] == "degraded")
        assert down["worker"]["state"] == "cannot reach PostgreSQL"
        assert "Connection refused" in down["worker"]["error"], down
        assert setup.health("w", token=False) == (
            503,
            {"status": "degraded"},
        )  # nothing more without the token
        return down

    def back() -> None:
        up = setup.wait_health("w", lambda h: h["status"] == "ok" and h["worker"]["state"] == "running")
        assert up["worker"]["error"] is None
        assert setup.health("w", token=False) == (200, {"status": "ok"})

    try:
        setup.start_worker("w", wait=False)  # PostgreSQL is not there when it starts
        seen = [cut_off()]
        time.sleep(4)  # a few tries (after 1 s, 2 s): each one is not a line of its own
        proxy.start()
        back()
        proxy.stop()  # and it goes away while the worker runs (its open connections cut)
        seen.append(cut_off())
        proxy.start()
        back()
        # it is a worker again: its heartbeat is in the queue's table
        deadline = time.monotonic() + 20
        while not setup.sql(
            "SELECT id FROM procrastinate_workers WHERE last_heartbeat > now() - interval '5 seconds'"
        ):
            assert time.monotonic() < deadline, "no heartbeat of the worker after PostgreSQL came back"
            time.sleep(0.2)
    finally:
        setup.stop()
        proxy.stop()
    log = (tmp_path / "w.log").read_text()
    said = [line for line in log.splitlines() if "cannot reach PostgreSQL" in line]
    assert len(said) == 2, log  # one line per outage
    assert len(re.findall(r"PostgreSQL answers again after \d+s; taking collection tasks", log)) == 2, log
    # and nothing of procrastinate's or psycopg.pool's tries, nor their tracebacks
    assert "Traceback" not in log and not re.search(
        r"(procrastinate|psycopg\.pool)\S* (WARNING|ERROR)", log
    ), log
    for line in said:  # what is wrong and what it does about it
        assert re.search(
            r"worker: cannot reach PostgreSQL \(.*Connection refused\); retrying in \d+s$", line
        ), line
    assert password not in log + json.dumps(seen)


def test_a_worker_whose_heartbeat_comes_late_keeps_its_own_tasks_and_still_runs_a_dead_workers(
    setups: list[Setup], tmp_path: Path
) -> None:
    """Under CPU starvation a worker's heartbeat can be older than stalled_after_seconds (4 s here)
    while it runs: it never hands its own tasks back (another worker would run them twice), it still
    runs again those of a worker that is really silent, and its heartbeat comes from a thread of its
    own (every heartbeat_seconds, 1 s here)."""
    setup = Setup(tmp_path)
    setups.append(setup)
    setup.config()
    setup.start_worker("w")
    deadline = time.monotonic() + 20
    while not (registered := setup.sql("SELECT id FROM procrastinate_workers")):
        assert time.monotonic() < deadline, setup.log("w")
        time.sleep(0.1)
    own = registered[0][0]
    dead = setup.sql(
        "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour') RETURNING id"
    )[0][0]

    def running_task(worker: int) -> int:  # a finish of a run that is gone: it does nothing, and ends
        return int(setup.sql(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status, args, worker_id) "
            "VALUES ('collect', 'cloudsift.finish_collection', 'doing', '{\"run_id\": \"gone\"}', %s) RETURNING id",
            (worker,),
        )[0][0])  # fmt: skip

    mine, theirs = running_task(own), running_task(dead)

    def status() -> dict[int, str]:
        rows = setup.sql(
            "SELECT id, status::text FROM procrastinate_jobs WHERE id IN (%s, %s)", (mine, theirs)
        )
        return dict(rows)

    started, deadline = time.monotonic(), time.monotonic() + 60  # polled: a loaded machine is slow, not wrong
    while time.monotonic() - started < 8 or status()[theirs] != "succeeded":
        assert time.monotonic() < deadline, (status(), setup.log("w"))
        setup.sql(  # the worker's heartbeat, always an hour late, for 8 s at least
            "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' WHERE id = %s RETURNING id",
            (own,),
        )
        time.sleep(0.2)
    assert status() == {mine: "doing", theirs: "succeeded"}, setup.log("w")
    assert setup.health("w")[1]["worker"]["retried_stalled"] == 1
    deadline = time.monotonic() + 30  # and it beats again (an hour late no more)
    while not setup.sql("SELECT last_heartbeat > now() - interval '30 seconds' FROM procrastinate_workers "
                        "WHERE id = %s", (own,))[0][0]:  # fmt: skip
        assert time.monotonic() < deadline, setup.log("w")
        time.sleep(0.2)


def test_a_worker_stopped_until_a_starting_worker_prunes_its_row_registers_again_and_its_tasks_run_once(
    slow_aws: AwsEmulator, setups: list[Setup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """procrastinate deletes, at any worker's start, the rows of workers silent past that worker's
    threshold, and their running jobs lose their worker. A worker only stopped (SIGSTOP: starved,
    descheduled) past that threshold, then continued, registers again under its id and keeps its
    jobs: the other worker, which sees them without a worker meanwhile, does not run them again."""
    monkeypatch.setenv(
        "CLOUDSIFT_WORKERS__STALLED_AFTER_SECONDS", "60"
    )  # not taken for dead by its heartbeat
    expected = _group_ids()
    setup, receiver = _sending_groups(tmp_path, setups)
    late = setup.start_worker("a")
    [(own,)] = setup.sql("SELECT id FROM procrastinate_workers")
    setup.start_worker("b")
    collect = setup.popen_cli("collect")
    deadline = time.monotonic() + 300  # a loaded machine starts processes slowly
    while not (running := setup.sql(
        "SELECT id, args FROM procrastinate_jobs WHERE status = 'doing' AND worker_id = %s "
        "AND task_name = 'cloudsift.collect_part'", (own,),
    )):  # fmt: skip
        assert collect.poll() is None and time.monotonic() < deadline, setup.log("a")
        time.sleep(0.1)
    late.send_signal(signal.SIGSTOP)
    try:
        time.sleep(3)  # silent past 2 s (it beats every second): what a starting worker's prune does then
        assert (own,) in setup.sql("SELECT worker_id FROM procrastinate_prune_stalled_workers_v1(2)")
        ids = [job for job, _ in running]
        orphans = setup.sql(
            "SELECT id FROM procrastinate_jobs WHERE id = ANY(%s) AND worker_id IS NULL", (ids,)
        )
        assert len(orphans) == len(ids)
        time.sleep(4)  # the other worker sees them without a worker (it used to run them again at once)
    finally:
        late.send_signal(signal.SIGCONT)
    out, err = collect.communicate(timeout=180)
    assert collect.returncode == 0, out + err + setup.log("a") + setup.log("b")
    assert re.search(rf"in {PLACES} partitions in [\d.]+s, 0 failed", out), out
    # it came back under its own id with its jobs, and ended them: every task ran once
    assert "registered again as" in setup.log("a")
    assert setup.sql("SELECT count(*) FROM procrastinate_workers WHERE id = %s", (own,)) == [(1,)]
    twice = setup.sql(
        "SELECT job_id FROM procrastinate_events WHERE type = 'started' GROUP BY job_id HAVING count(*) > 1"
    )
    assert twice == []
    assert setup.sql("SELECT count(*) FROM procrastinate_events WHERE type = 'deferred_for_retry'") == [(0,)]
    keys = [f"part:{args['ref']['id']}:{args['region']}:{args['group']}" for _, args in running]
    ended = setup.sql(
        "SELECT worker FROM collect_tasks WHERE key = ANY(%s) AND ended_at IS NOT NULL", (keys,)
    )
    assert [worker.endswith(f":{late.pid}") for (worker,) in ended] == [True] * len(keys)
    for name in ("a", "b"):
        health = setup.wait_health(name, lambda h: h["worker"]["state"] == "running")
        assert health["worker"]["retried_stalled"] == 0, setup.log(name)
    _every_group_stored_and_sent_once(setup, receiver, expected)
