"""One check side by side with Cloud Custodian (issue 13 item 8): security groups open to 0.0.0.0/0.

    python bench/bench_peer.py [--per-region 400] [--latency-ms 50] [--rounds 1] [--custodian PATH]

One moto server (its own process) holds bench/bench_collect.py's estate in one account and three
regions, with a few groups open to the world; every request goes through bench/latency_proxy.py, which
waits --latency-ms and counts the calls. Each tool runs as a user runs it, a fresh command line:

- Custodian: `custodian run` with a policy on aws.security-group (filter: ingress from 0.0.0.0/0), its
  resource cache off, every region;
- cloudsift: `collect --kinds aws_ec2_security_group; search <the same check> | count` on a store that
  holds an earlier full collection (a user's store; the other kinds stay as they were);
- for reference, cloudsift's full collection and the search.

Custodian is not a dependency: it is looked for as `custodian` in --custodian, $CUSTODIAN or /work/c7n-venv
(`python -m venv /work/c7n-venv && /work/c7n-venv/bin/pip install c7n`); without it the script says so
and stops. Target: with --kinds, cloudsift no slower than Custodian.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_collect import REGIONS, _free_port, _load, _populate, _wait

CLI = [sys.executable, "-m", "cloudsift.cli"]
CHECK = 'is(aws_ec2_security_group) and group_ip_permissions[*].ip_ranges[*].cidr_ip == "0.0.0.0/0"'
POLICY = """policies:
  - name: sg-open-to-world
    resource: aws.security-group
    filters:
      - type: ingress
        Cidr:
          value: "0.0.0.0/0"
"""
OPEN_PER_REGION = 5


def _custodian(given: str | None) -> str | None:
    """The custodian command line to run, if it is installed anywhere we look."""
    for candidate in (
        given,
        os.environ.get("CUSTODIAN"),
        "/work/c7n-venv/bin/custodian",
        shutil.which("custodian"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _open_groups(session: boto3.Session, region: str) -> None:
    ec2 = session.client("ec2", region_name=region)
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    for i in range(OPEN_PER_REGION):
        group = ec2.create_security_group(GroupName=f"open-{i}", Description="open", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])  # fmt: skip


def _calls(proxy: str) -> Counter[str]:
    with urllib.request.urlopen(f"{proxy}/latency-proxy/calls") as answer:
        return Counter(json.loads(answer.read()))


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(
    command: list[str], env: dict[str, str], proxy: str, cwd: Path
) -> tuple[float, float, Counter[str], str]:
    """Wall and CPU seconds of one command line, the API calls it made (by name), and what it printed.
    On a loaded machine the CPU seconds say more than the wall time: the calls wait little."""
    before, cpu = _calls(proxy), _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:3])} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}"
        )
    made = _calls(proxy)
    made.subtract(before)
    return took, cpu, +made, done.stdout + done.stderr


def _found_by_search(out: str) -> str:
    """The count a `search ... | count` printed ("total matched: N")."""
    return next((line.split(":")[-1].strip() for line in out.splitlines() if "total matched" in line), "?")


def _found_by_custodian(out: Path) -> int:
    return sum(len(json.loads(f.read_text())) for f in out.glob("**/resources.json"))


def _summary(calls: Counter[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in calls.most_common(4)) + (" ..." if len(calls) > 4 else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-region", type=int, default=400)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument(
        "--rounds", type=int, default=1, help="each round: Custodian, cloudsift twice, Custodian"
    )
    parser.add_argument(
        "--custodian", help="the custodian command (default: $CUSTODIAN, /work/c7n-venv, PATH)"
    )
    args = parser.parse_args()
    custodian = _custodian(args.custodian)
    if custodian is None:
        print("SKIPPED: Cloud Custodian is not installed (no custodian in --custodian, $CUSTODIAN, "
              "/work/c7n-venv/bin or PATH); install it with: python -m venv /work/c7n-venv && "
              "/work/c7n-venv/bin/pip install c7n")  # fmt: skip
        return
    port, proxy_port = _free_port(), _free_port()
    env = {**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("moto_server.py")), "-p", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    proxy = subprocess.Popen([sys.executable, str(Path(__file__).with_name("latency_proxy.py")), "--target",
                              f"http://127.0.0.1:{port}", "--port", str(proxy_port), "--latency-ms", str(args.latency_ms)])  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="bench-peer-"))
    try:
        moto, through = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{proxy_port}"
        _wait(moto + "/moto-api/")
        _wait(through + "/latency-proxy/calls")
        aws = {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        os.environ.update(AWS_ENDPOINT_URL=moto, **aws)
        session = boto3.Session()
        started = time.perf_counter()
        for region in REGIONS:
            _populate(session, region, args.per_region)
            _open_groups(session, region)
        groups = sum(len(session.client("ec2", region_name=r).describe_security_groups()["SecurityGroups"])
                     for r in REGIONS)  # fmt: skip
        print(f"populated 1 account x 3 regions x {args.per_region} resources ({groups:,} security groups, "
              f"{OPEN_PER_REGION * len(REGIONS)} open to the world) in {time.perf_counter() - started:.0f}s")  # fmt: skip
        print(f"every request waits {args.latency_ms:.0f} ms in a proxy that counts them")
        tools = {**os.environ, "AWS_ENDPOINT_URL": through, **aws, "CLOUDSIFT_HOME": str(work / "home")}
        config = work / "config.toml"
        config.write_text(f"[aws]\nregions = {json.dumps(REGIONS)}\n")
        (work / "policy.yml").write_text(POLICY)
        cloudsift = [*CLI, "--config", str(config), "-c"]
        # a user's store, made first (not timed), then one full collection; --kinds refreshes one kind in it
        subprocess.run(
            [*cloudsift, "search all | count"], env=tools, cwd=work, capture_output=True, check=True
        )
        took, cpu, calls, out = _timed([*cloudsift, f"collect; search {CHECK} | count"], tools, through, work)
        full = (took, sum(calls.values()), _found_by_search(out))
        print(f"  cloudsift, full collection and the search: {took:.1f}s (CPU {cpu:.1f}s), {full[1]} calls "
              f"({_summary(calls)}); found {full[2]} ({_load()})")  # fmt: skip
        runs: dict[str, list[tuple[float, float, int]]] = {"custodian": [], "cloudsift": []}
        for step in ["custodian", "cloudsift", "cloudsift", "custodian"] * args.rounds:
            if step == "custodian":
                out_dir = work / f"custodian-{len(runs['custodian'])}"
                command = [custodian, "run", "--cache-period", "0", "-s", str(out_dir),
                           *(f"--region={r}" for r in REGIONS), str(work / "policy.yml")]  # fmt: skip
                took, cpu, calls, _ = _timed(command, tools, through, work)
                found = str(_found_by_custodian(out_dir))
            else:
                line = f"collect --kinds aws_ec2_security_group; search {CHECK} | count"
                took, cpu, calls, out = _timed([*cloudsift, line], tools, through, work)
                found = _found_by_search(out)
            runs[step].append((took, cpu, sum(calls.values())))
            print(f"  {step}: {took:.1f}s (CPU {cpu:.1f}s), {sum(calls.values())} calls ({_summary(calls)}); found {found} "
                  f"({_load()})")  # fmt: skip
        mean = {tool: sum(t for t, _, _ in done) / len(done) for tool, done in runs.items()}
        cpus = {tool: sum(c for _, c, _ in done) / len(done) for tool, done in runs.items()}
        print(f"Custodian: {mean['custodian']:.1f}s (CPU {cpus['custodian']:.1f}s), {runs['custodian'][0][2]} calls "
              f"(mean of {len(runs['custodian'])})")  # fmt: skip
        print(f"cloudsift --kinds: {mean['cloudsift']:.1f}s (CPU {cpus['cloudsift']:.1f}s), {runs['cloudsift'][0][2]} "
              f"calls = {mean['cloudsift'] / mean['custodian']:.2f}x Custodian's time, "
              f"{cpus['cloudsift'] / cpus['custodian']:.2f}x its CPU (target <= 1.0x)")  # fmt: skip
        print(
            f"cloudsift full collection: {full[0]:.1f}s, {full[1]} calls = {full[0] / mean['custodian']:.2f}x"
        )
    finally:
        proxy.terminate()
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
