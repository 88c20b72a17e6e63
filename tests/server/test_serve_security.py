"""`cloudsift serve` against a hostile or careless caller: jq that reads secrets or never ends, a client
that goes away, unauthenticated pages, huge bodies, a public address (issue 19 items 5, 6, 9; issue 18
items 5, 6). Real server processes, httpx and the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_seed_story import KEY
from tests.server.test_serve import Server, wait_for

SPIN = "json 1 | jq 'reduce range(100000000000) as $i (0; . + 1)'"  # minutes of CPU, no memory


def _server(home: Path, extra: str = "", **env: str) -> Server:
    (home / "config.toml").write_text(
        '[aws]\nregions = ["us-east-1"]\n[workflows.collect]\nschedule = ""\n'
        f"[server]\ndelivery_interval_seconds = 0.5\n{extra}"  # extra: [server] keys, then other tables
    )
    server = Server(home)
    server.env.update(env)
    return server


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    made: list[Server] = []
    yield made
    for server in made:
        if server.process is not None and server.process.poll() is None:
            server.stop(signal.SIGKILL)


def _started(servers: list[Server], server: Server) -> Server:
    servers.append(server)
    return server.start()


def _health(server: Server, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(server.url + "/health", headers=headers, timeout=10)


def _in_background(server: Server, line: str) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(server.api(line)), daemon=True)
    thread.start()
    return thread, answers


def test_jq_reveals_neither_the_environment_nor_files(tmp_path: Path, servers: list[Server]) -> None:
    files = tmp_path / "files"
    files.mkdir()
    (files / "data.json").write_text('{"s": "FILE-SECRET"}')
    (files / "m.jq").write_text('def leak: "MODULE-SECRET";')
    server = _started(servers, _server(tmp_path, CLOUDSIFT_PAGERDUTY__ROUTING_KEY=KEY,
                                       AWS_SECRET_ACCESS_KEY="AWS-SECRET-VALUE"))  # fmt: skip
    for leak in ('env["CLOUDSIFT_PAGERDUTY__ROUTING_KEY"]', "env.AWS_SECRET_ACCESS_KEY", "$ENV", "env",
                 '"\\(env)"', "input_filename", "$__loc__"):  # fmt: skip
        answer = server.api(f"json 1 | jq '{leak}'")
        assert answer.status_code == 200, answer.text
        assert KEY not in answer.text and "AWS-SECRET-VALUE" not in answer.text and "PATH" not in answer.text
    for directive in (f'import "data" as $d {{search: "{files}"}}; $d', f'include "m" {{search: "{files}"}}; leak',
                      'import "data" as $d; $d'):  # fmt: skip
        answer = server.api(f"json 1 | jq '{directive}'")
        assert answer.status_code == 400, answer.text
        assert "is not available in cloudsift: it reads files" in answer.json()["error"]
        assert "SECRET" not in answer.text


def test_a_runaway_jq_line_is_stopped_and_the_server_answers_meanwhile(
    tmp_path: Path, servers: list[Server]
) -> None:
    server = _started(servers, _server(tmp_path, "[jq]\ncpu_seconds = 4\nmemory_mb = 256\n"))
    for line, why in (("json 1 | jq 'def f: f; f'", "the limit"),
                      ("json 1 | jq '[range(20000000)] | length'", "256 MB, the limit ([jq] memory_mb)"),
                      (SPIN, "of CPU time, the limit ([jq] cpu_seconds)")):  # fmt: skip
        thread, answers = _in_background(server, line)
        slowest = 0.0
        while thread.is_alive():
            started = time.monotonic()
            assert _health(server).status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.2)
        assert slowest < 2.0, f"/health took {slowest:.1f}s while {line} ran"
        [answer] = answers
        assert answer.status_code == 400 and why in answer.json()["error"], answer.text
    assert server.api("json [1, 2] | jq '. * 10'").text == "10\n20\n"  # the server goes on


def test_an_api_line_stops_at_the_line_timeout(tmp_path: Path, servers: list[Server]) -> None:
    server = _started(servers, _server(tmp_path, "line_timeout_seconds = 2\n"))
    started = time.monotonic()
    answer = server.api(SPIN)
    assert time.monotonic() - started < 15
    assert answer.status_code == 422
    assert answer.json()["error"] == "stopped: the line ran longer than 2s ([server] line_timeout_seconds)"
    token = server.token
    wait_for(lambda: _health(server, token).json()["lines_running"] == 0, 5)


def test_a_jobs_timeout_stops_its_jq_line(tmp_path: Path, servers: list[Server]) -> None:
    server = _started(servers, _server(tmp_path))
    quoted = SPIN.replace("'", '"')
    assert server.cli(f"jobs add --id spin --timeout 2 '{quoted}'").returncode == 0
    started = time.monotonic()
    ran = server.cli("jobs run spin")
    assert time.monotonic() - started < 20, ran.stdout
    assert "stopped: it ran longer than its timeout of 2s" in ran.stdout
    assert " timeout in " in server.cli("jobs history spin").stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_ends_within_seconds_while_a_jq_line_runs(
    tmp_path: Path, servers: list[Server], sig: int
) -> None:
    server = _started(servers, _server(tmp_path))
    token = server.token
    _in_background(server, SPIN)
    wait_for(lambda: _health(server, token).json()["lines_running"] == 1)
    assert (
        server.cli(
            "jobs add --id spin 'json 1 | jq \"reduce range(100000000000) as $i (0; . + 1)\"'"
        ).returncode
        == 0
    )
    jobs = subprocess.Popen([sys.executable, "-m", "cloudsift.cli", "-c", "jobs run spin"], env=server.env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(lambda: _health(server, token).json()["jobs_running"] == ["spin"])
        started = time.monotonic()
        assert server.stop(sig) == 0
        assert time.monotonic() - started < 10
        jobs.wait(30)
    finally:
        jobs.kill()
    assert not [p for p in Path("/proc").glob("[0-9]*") if _is_jq_worker_of(p, server)]


def _is_jq_worker_of(proc: Path, server: Server) -> bool:
    try:
        return (
            b"jq_worker" in (proc / "cmdline").read_bytes()
            and (proc / "status")
            .read_text()
            .find(
                f"PPid:\t{server.process.pid}\n"  # type: ignore[union-attr]
            )
            >= 0
        )
    except OSError:
        return False


def test_ctrl_c_of_the_cli_cancels_its_line_on_the_server(tmp_path: Path, servers: list[Server]) -> None:
    server = _started(servers, _server(tmp_path))
    token = server.token
    client = subprocess.Popen([sys.executable, "-m", "cloudsift.cli", "-c", SPIN], env=server.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        wait_for(lambda: _health(server, token).json()["lines_running"] == 1)
        client.send_signal(signal.SIGINT)
        _, err = client.communicate(timeout=30)
    finally:
        client.kill()
    assert client.returncode == 130
    assert (
        err == "interrupted: the server stops the line (what it already did, such as an alert sent, stays)\n"
    )
    wait_for(lambda: _health(server, token).json()["lines_running"] == 0, 5)


def test_without_the_token_only_a_bare_health_answers(tmp_path: Path, servers: list[Server]) -> None:
    server = _started(servers, _server(tmp_path))
    assert _health(server).json() == {"status": "ok"}
    assert set(_health(server, server.token).json()) >= {"status", "version", "jobs_running"}
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert httpx.get(server.url + path).status_code in (401, 404), path
    schema = httpx.get(server.url + "/openapi.json", headers={"Authorization": f"Bearer {server.token}"})
    assert "/cli/execute" in schema.json()["paths"]


def test_a_request_body_over_the_limit_is_refused_with_413(tmp_path: Path, servers: list[Server]) -> None:
    server = _started(servers, _server(tmp_path, "max_request_bytes = 4096\n"))
    big = "echo " + "x" * 5000
    answer = server.api(big)
    assert answer.status_code == 413
    assert answer.json()["error"] == "the request body is larger than 4096 bytes ([server] max_request_bytes)"
    chunked = httpx.post(server.url + "/cli/execute", content=iter([b"echo ", b"y" * 5000]),
                         headers={"Authorization": f"Bearer {server.token}"})  # fmt: skip
    assert chunked.status_code == 413
    assert server.api("echo " + "x" * 100).json() == "x" * 100


def test_serve_beyond_this_machine_wants_a_token_of_ones_own(tmp_path: Path, servers: list[Server]) -> None:
    server = _server(tmp_path)
    refused = subprocess.run([sys.executable, "-m", "cloudsift.cli", "serve", "--host", "0.0.0.0", "--port", "0"],
                             env=server.env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        "error: serve --host 0.0.0.0 makes the API reachable from other machines"
    )
    assert "CLOUDSIFT_SERVER__TOKEN" in refused.stderr and "--insecure" in refused.stderr
    assert not (tmp_path / "server.json").exists()
    server.env["CLOUDSIFT_SERVER__HOST"] = "0.0.0.0"
    server.env["CLOUDSIFT_SERVER__TOKEN"] = "a-token-of-my-own-0123456789"
    _started(servers, server)
    assert server.api("echo hi", token="a-token-of-my-own-0123456789").json() == "hi"


def test_the_cli_finds_the_token_set_in_the_servers_environment(
    tmp_path: Path, servers: list[Server]
) -> None:
    server = _started(servers, _server(tmp_path, CLOUDSIFT_SERVER__TOKEN="set-for-systemd-0123456789"))
    cli_env = {k: v for k, v in server.env.items() if k != "CLOUDSIFT_SERVER__TOKEN"}
    answer = subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", "echo through the server"],
                            env=cli_env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert (answer.returncode, answer.stdout, answer.stderr) == (0, "through the server\n", "")
    assert oct((tmp_path / "server.json").stat().st_mode & 0o777) == "0o600"
    wrong = subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", "echo x"], capture_output=True,
                           env={**cli_env, "CLOUDSIFT_HOME": str(tmp_path)}, text=True, timeout=60)  # fmt: skip
    assert wrong.returncode == 0  # the announced token wins over none set here
    (tmp_path / "server.json").write_text((tmp_path / "server.json").read_text().replace("set-for", "bad"))
    refused = subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", "echo x"], env=cli_env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert refused.returncode == 1
    assert (
        "set CLOUDSIFT_SERVER__TOKEN (or [server] token) here to the token the server runs with"
        in refused.stderr
    )
    assert os.environ.get("CLOUDSIFT_SERVER__TOKEN") is None
