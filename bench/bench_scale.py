"""Scale-out benchmark (issue 17): one collection of many assumed-role accounts by 1, 2 and 4 worker
processes (`cloudsift serve --worker`) sharing one PostgreSQL store; then 4 workers, one of them killed
(SIGKILL) a third of the way through. Prints wall time and throughput per worker count.

    python bench/bench_scale.py [--accounts 200] [--latency-ms 50] [--concurrency 4] [--workers 1,2,4]

moto runs as its own process behind bench/latency_proxy.py (every AWS call waits --latency-ms, as the
network to a region does); each run gets a fresh PostgreSQL schema (CLOUDSIFT_BENCH_POSTGRES, default
the test database). The collection covers the kinds of KINDS, so that moto (one process) keeps up.
Target: 4 workers >= 3x one worker's throughput.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

POSTGRES = os.environ.get("CLOUDSIFT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REGION = "us-east-1"
KINDS = ["aws_vpc", "aws_ec2_subnet", "aws_ec2_security_group", "aws_iam_role", "aws_s3_bucket"]
CLI = [sys.executable, "-m", "cloudsift.cli"]
SUMMARY = re.compile(r"Collected (\d+) resources in (\d+) partitions in ([\d.]+)s, (\d+) failed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def _peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Run:
    """One collection on a fresh schema with `workers` worker processes."""

    def __init__(self, root: Path, accounts: list[str], concurrency: int) -> None:
        self.root = root
        self.schema = f"bench_{uuid.uuid4().hex[:10]}"
        root.mkdir(parents=True)
        (root / "config.toml").write_text(
            f'[store]\nurl = "{POSTGRES}"\nschema = "{self.schema}"\n'
            f'[aws]\nregions = ["{REGION}"]\nrole = "cloudsift"\naccounts = {json.dumps(accounts)}\n'
            "collect_caller_account = false\n"
            f"[workers]\nenabled = true\nconcurrency = {concurrency}\nheartbeat_seconds = 2\n"
            "stalled_after_seconds = 8\ncollect_timeout_seconds = 1800\n"
            f'[workflows.collect]\nschedule = ""\nkinds = {json.dumps(KINDS)}\n[server]\nport = 0\n'
        )
        self.workers: list[subprocess.Popen[bytes]] = []

    def env(self, home: str) -> dict[str, str]:
        return {
            **os.environ,
            "CLOUDSIFT_CONFIG": str(self.root / "config.toml"),
            "CLOUDSIFT_HOME": str(self.root / home),
        }

    def start(self, count: int) -> None:
        for i in range(count):
            log = (self.root / f"worker{i}.log").open("wb")
            self.workers.append(subprocess.Popen([*CLI, "serve", "--worker"], env=self.env(f"w{i}"), stdout=log,
                                                 stderr=log))  # fmt: skip
        for i in range(count):
            self._wait_running(i)

    def _wait_running(self, i: int) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                info = json.loads((self.root / f"w{i}" / "server.json").read_text())
                request = urllib.request.Request(info["url"] + "/health",
                                                 headers={"Authorization": f"Bearer {info['token']}"})  # fmt: skip
                with urllib.request.urlopen(request, timeout=5) as answer:
                    if json.loads(answer.read()).get("worker", {}).get("state") == "running":
                        return
            except (OSError, ValueError):
                pass
            time.sleep(0.3)
        raise SystemExit(f"worker {i} did not start: {(self.root / f'worker{i}.log').read_text()[-2000:]}")

    def collect(self, kill_after: float | None = None) -> tuple[float, str, float | None]:
        """Wall seconds of `collect`, its output, and (killing a worker once that share of the tasks
        ended) how long after the kill the collection ended."""
        started = time.perf_counter()
        process = subprocess.Popen([*CLI, "-c", "collect"], env=self.env("cli"), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)  # fmt: skip
        killed: float | None = None
        if kill_after is not None:
            import psycopg

            with psycopg.connect(POSTGRES, options=f"-c search_path={self.schema}") as conn:
                while process.poll() is None:
                    rows = conn.execute("SELECT count(ended_at), count(*) FROM collect_tasks").fetchall()
                    conn.commit()
                    done, total = rows[0] if rows else (0, 0)
                    if total and done >= kill_after * total and total > 200:
                        self.workers[0].send_signal(signal.SIGKILL)
                        killed = time.perf_counter()
                        print(f"    killed worker 0 (pid {self.workers[0].pid}) at {done} of {total} tasks")
                        break
                    time.sleep(0.1)
        out, _ = process.communicate()
        ended = time.perf_counter()
        if process.returncode != 0:
            raise SystemExit(f"collect failed ({process.returncode}):\n{out[-3000:]}")
        return ended - started, out, None if killed is None else ended - killed

    def breakdown(self, wall: float) -> list[str]:
        """Where the tasks' time went: per task name, their count and mean time (procrastinate's
        started -> succeeded events); for the parts, the share spent in AWS calls (the row's `seconds`)
        and the rest (the task's reads and the write of its row); the finish (the one import) against
        the wall time."""
        import psycopg

        with psycopg.connect(POSTGRES, options=f"-c search_path={self.schema}") as conn:
            spans = conn.execute(
                "SELECT j.task_name, count(*), sum(extract(epoch FROM e.at - s.at)) FROM procrastinate_jobs j "
                "JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'succeeded' "
                "JOIN LATERAL (SELECT max(at) AS at FROM procrastinate_events WHERE job_id = j.id "
                "AND type = 'started' AND at <= e.at) s ON true GROUP BY 1 ORDER BY 1"
            ).fetchall()
            aws = conn.execute(
                "SELECT coalesce(sum(seconds), 0) FROM collect_tasks WHERE key LIKE 'part:%'"
            ).fetchone()
        lines = []
        for task, count, seconds in spans:
            line = f"    {task.removeprefix('cloudsift.')}: {count} task{'s' * (count != 1)}, {float(seconds) / count:.3f}s each"
            if task.endswith("collect_part") and seconds:
                calls = float(aws[0] if aws else 0)
                line += (f" ({calls / float(seconds):.0%} in AWS calls, {1 - calls / float(seconds):.0%} the rest: "
                         "the task's reads and its row's write)")  # fmt: skip
            if task.endswith("finish_collection"):
                line += f", {float(seconds) / wall:.0%} of the wall time"
            lines.append(line)
        return lines

    def stop(self) -> list[float]:
        """Stop the workers; the peak memory (MiB) of each that was still alive."""
        peaks = []
        for worker in self.workers:
            if worker.poll() is None:
                peaks.append(_peak_mib(worker.pid))
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        import psycopg

        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
        return peaks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=4, help="tasks one worker runs at once")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--no-kill", action="store_true", help="skip the run that kills a worker")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    accounts = [f"{100000000000 + i:012d}" for i in range(1, args.accounts + 1)]
    moto_port, proxy_port = _free_port(), _free_port()
    env = {**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
    moto = subprocess.Popen([sys.executable, str(Path(__file__).with_name("moto_server.py")), "-p", str(moto_port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    moto_url = f"http://127.0.0.1:{moto_port}"
    proxy = subprocess.Popen([sys.executable, str(Path(__file__).with_name("latency_proxy.py")), "--target", moto_url,
                              "--port", str(proxy_port), "--latency-ms", str(args.latency_ms)])  # fmt: skip
    try:
        _wait(moto_url + "/moto-api/")
        _wait(f"http://127.0.0.1:{proxy_port}/moto-api/")
        os.environ.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{proxy_port}", AWS_ACCESS_KEY_ID="bench",
                          AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION=REGION)  # fmt: skip
        print(f"{args.accounts} accounts (assumed roles) x {REGION} + global, kinds {', '.join(KINDS)}; "
              f"{args.latency_ms:.0f} ms per AWS call; {args.concurrency} tasks at a time per worker; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
        results: dict[str, tuple[float, int]] = {}
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            plan = [("warm-up", max(counts), None)] + [
                (f"{n} worker{'s' if n > 1 else ''}", n, None) for n in counts
            ]
            if not args.no_kill:
                plan.append((f"{max(counts)} workers, one killed", max(counts), 1 / 3))
            for i, (name, count, kill) in enumerate(plan):
                run = Run(Path(tmp) / f"run{i}", accounts, args.concurrency)
                try:
                    run.start(count)
                    wall, out, after_kill = run.collect(kill)
                    spent = run.breakdown(wall)
                finally:
                    peaks = run.stop()
                found = SUMMARY.search(out)
                assert found, out[-2000:]
                resources, partitions, failed = (int(found.group(g)) for g in (1, 2, 4))
                results[name] = (wall, resources)
                extra = f"; ended {after_kill:.1f}s after the kill" if after_kill is not None else ""
                print(f"  {name}: {wall:.1f}s wall, {args.accounts / wall:.1f} accounts/s, {partitions} partitions, "
                      f"{resources} resources, {failed} failed; peak memory per worker {max(peaks, default=0):.0f} MiB; "
                      f"load {os.getloadavg()[0]:.1f}{extra}")  # fmt: skip
                print("\n".join(spent))
        one = results.get("1 worker")
        if one:
            for name, (wall, _) in results.items():
                if name != "warm-up":
                    print(f"{name}: {one[0] / wall:.2f}x one worker's throughput")
    finally:
        proxy.terminate()
        moto.terminate()


if __name__ == "__main__":
    main()
