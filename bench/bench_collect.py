"""Collection benchmark against a moto server process on 127.0.0.1; prints figures.

    python bench/bench_collect.py [--per-region 2000] [--latency-ms 0] [--rounds 1] [--default-amis]

--latency-ms N puts a proxy (bench/latency_proxy.py, its own process) between boto3 and moto that delays
every request by N ms, as the network to an AWS region does; populating goes to moto directly.

Target (issue 4): 2 accounts x 3 regions x 2,000 resources; the collector takes at most 0.6x the time boto3
alone needs for the same describe calls made one after another, and storing takes under 10% of the total.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cloudsift.collect.aws.accounts import discover_accounts
from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore

REGIONS = ["us-east-1", "eu-central-1", "us-west-2"]
SECOND = "222222222222"
# every list/describe call the collector makes, per region (global ones once per account)
CALLS = {
    "ec2": [("describe_vpcs", "Vpcs", {}), ("describe_subnets", "Subnets", {}),
            ("describe_security_groups", "SecurityGroups", {}), ("describe_instances", "Reservations", {}),
            ("describe_volumes", "Volumes", {}), ("describe_snapshots", "Snapshots", {"OwnerIds": ["self"]}),
            ("describe_network_acls", "NetworkAcls", {}), ("describe_internet_gateways", "InternetGateways", {}),
            ("describe_network_interfaces", "NetworkInterfaces", {})],
    "rds": [("describe_db_instances", "DBInstances", {})], "lambda": [("list_functions", "Functions", {})],
    "kms": [("list_keys", "Keys", {})], "elb": [("describe_load_balancers", "LoadBalancerDescriptions", {})],
    "elbv2": [("describe_load_balancers", "LoadBalancers", {})], "eks": [("list_clusters", "clusters", {})],
}  # fmt: skip


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url).close()
            return
        except OSError:
            time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _populate(session: boto3.Session, region: str, per_region: int) -> None:
    ec2 = session.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/17")["Subnet"]["SubnetId"]
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image = images[0]["ImageId"] if images else "ami-12345678"  # moto checks no image id by default
    instances = per_region // 4
    for start in range(0, instances, 1000):
        batch = min(1000, instances - start)
        ec2.run_instances(ImageId=image, MinCount=batch, MaxCount=batch, SubnetId=subnet)
    for i in range(per_region // 2):
        ec2.create_security_group(GroupName=f"sg-{i}", Description="bench", VpcId=vpc)
    zone = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["AvailabilityZone"]
    for _ in range(per_region - instances * 2 - per_region // 2):
        ec2.create_volume(Size=8, AvailabilityZone=zone)


def _plain_sessions() -> list[boto3.Session]:
    """The two accounts as a boto3 script would reach them: default sessions, nothing of cloudsift's."""
    caller = boto3.Session()
    creds = caller.client("sts").assume_role(RoleArn=f"arn:aws:iam::{SECOND}:role/cloudsift",
                                             RoleSessionName="bench")["Credentials"]  # fmt: skip
    second = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                           aws_session_token=creds["SessionToken"])  # fmt: skip
    return [caller, second]


def _sequential() -> float:
    """boto3 alone, one call after another: the same list/describe calls as the collector, pages and all."""
    sessions = _plain_sessions()
    started = time.perf_counter()
    for session in sessions:
        iam = session.client("iam")
        for op, _key in (("list_users", "Users"), ("list_roles", "Roles"), ("list_policies", "Policies")):
            for _ in iam.get_paginator(op).paginate():
                pass
        session.client("s3").list_buckets()
        for region in REGIONS:
            clients = {
                service: session.client(service, region_name=region) for service in [*CALLS, "cloudtrail"]
            }
            for service, calls in CALLS.items():
                for op, _key, params in calls:
                    for _ in clients[service].get_paginator(op).paginate(**params):
                        pass
            clients["ec2"].describe_addresses()
            clients["cloudtrail"].describe_trails()
    return time.perf_counter() - started


def _collect(config: AwsConfig) -> tuple[float, float, int, float, float]:
    """One collection into a new store: duration, storing seconds, nodes, CPU seconds, peak MiB."""
    with tempfile.TemporaryDirectory() as home:
        store = DuckDBStore(Path(home) / "inventory.duckdb")
        summary = collect_aws(store, Config(home=Path(home), aws=config))
        assert summary.ok, list(summary.lines())
        total = summary.imported.nodes if summary.imported else 0
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return summary.duration, summary.store_seconds, total, time.process_time(), peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-region", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument(
        "--rounds", type=int, default=1, help="each round: sequential, collector twice, sequential"
    )
    parser.add_argument("--default-amis", action="store_true", help="let moto load its ~1,300 Amazon images")
    args = parser.parse_args()
    port = _free_port()
    proxy: subprocess.Popen[bytes] | None = None
    # Without --default-amis, moto starts without its built-in Amazon images: it answers
    # describe_snapshots(OwnerIds=["self"]) with their ~1,300 snapshots per region (AWS answers with the
    # account's own), a second of moto's CPU per call spent on an answer the collector throws away.
    env = {**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "true" if args.default_amis else "false"}
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        _wait(url + "/moto-api/")
        os.environ.update(AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                          AWS_DEFAULT_REGION="us-east-1")  # fmt: skip
        config = AwsConfig(regions=REGIONS, role="cloudsift", accounts=[SECOND], max_workers=8)
        accounts, _ = discover_accounts(config)
        started = time.perf_counter()
        for account in accounts:
            for region in REGIONS:
                _populate(account.session, region, args.per_region)
        print(
            f"populated 2 accounts x 3 regions x {args.per_region} resources in {time.perf_counter() - started:.0f}s"
        )
        if args.latency_ms > 0:
            proxy_port = _free_port()
            proxy = subprocess.Popen([sys.executable, str(Path(__file__).with_name("latency_proxy.py")),
                                      "--target", url, "--port", str(proxy_port), "--latency-ms", str(args.latency_ms)])  # fmt: skip
            _wait(f"http://127.0.0.1:{proxy_port}/moto-api/")
            os.environ.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{proxy_port}", AWS_ENDPOINT_URL_S3=url)
            print(f"every request now waits {args.latency_ms:.0f} ms in a proxy (S3 goes to moto directly)")
        # seq, collector, collector, seq: moto's speed drifts during a run, and this order evens it out
        seq: list[float] = []
        cols: list[tuple[float, float, int, float, float, float]] = []
        for step in ["seq", "col", "col", "seq"] * args.rounds:
            moto_cpu, own_cpu = _cpu_seconds(server.pid), time.process_time()
            if step == "seq":
                seq.append(_sequential())
                print(f"  sequential boto3: {seq[-1]:.1f}s (CPU: moto {_cpu_seconds(server.pid) - moto_cpu:.1f}s, "
                      f"boto3 {time.process_time() - own_cpu:.1f}s)")  # fmt: skip
                continue
            # The collection runs in a process of its own, so its peak memory is its own.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
                duration, store_seconds, total, col_own, peak = child.submit(_collect, config).result()
            cols.append((duration, store_seconds, total, col_own, peak, _cpu_seconds(server.pid) - moto_cpu))
            print(f"  collector: {duration:.1f}s, storing {store_seconds:.1f}s ({total:,} nodes; CPU: moto "
                  f"{cols[-1][5]:.1f}s, collector {col_own:.1f}s)")  # fmt: skip
        baseline = sum(seq) / len(seq)
        duration = sum(c[0] for c in cols) / len(cols)
        store_seconds = sum(c[1] for c in cols) / len(cols)
        print(f"sequential boto3, same calls: {baseline:.1f}s (mean of {len(seq)})")
        print(f"collector: {duration:.1f}s = {duration / baseline:.2f}x of sequential (mean of {len(cols)}); "
              f"storing {store_seconds:.1f}s = {100 * store_seconds / duration:.0f}% of the total")  # fmt: skip
        print(f"peak memory of the collecting process: {max(c[4] for c in cols):,.0f} MiB")
    finally:
        server.terminate()
        if proxy is not None:
            proxy.terminate()


if __name__ == "__main__":
    main()
