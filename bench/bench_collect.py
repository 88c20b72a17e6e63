"""Collection benchmark against a moto server process on 127.0.0.1; prints figures.

    python bench/bench_collect.py [--per-region 2000] [--latency-ms 0] [--rounds 1] [--default-amis]

--latency-ms N puts a proxy (bench/latency_proxy.py, its own process) between boto3 and moto that delays
every request by N ms, as the network to an AWS region does (50: the order of AWS's own answers);
populating goes to moto directly.

The baseline is plain boto3 making the same calls one after another: a first collection records every
call it makes (botocore's event hooks: lists, their pages, the calls per resource, by account and region),
and the sequential runs make exactly those again, with default boto3 sessions and one client per account,
service and region (the time spent making clients is printed on its own).

Targets: issue 4, without latency, 0.6x of sequential; issue 13, with 50 ms of latency, at most 0.3x;
storing under 10% of the total; peak memory at most 1 GiB for 100,000 resources.
"""

from __future__ import annotations

import argparse
import copy
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
from typing import Any

import boto3
from botocore import xform_name
from botocore.exceptions import ClientError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cloudsift.collect.aws.accounts as accounts
import cloudsift.collect.runner as runner
from cloudsift.collect.aws.accounts import discover_accounts
from cloudsift.collect.aws.s3_account import single_host
from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.duckdb import DuckDBStore

REGIONS = ["us-east-1", "eu-central-1", "us-west-2"]
SECOND = "222222222222"
# One recorded call: (account, region, boto3 service, operation, its parameters as boto3 was given them)
Recorded = tuple[str, str, str, str, dict[str, Any]]


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
    """EC2's big lists (instances, security groups, volumes), and a few of the kinds that need a call
    per resource (topics, queues, log groups, keys, secrets, tables): per_region // 100 of each."""
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
    few = per_region // 100
    sns, sqs, logs = (session.client(s, region_name=region) for s in ("sns", "sqs", "logs"))
    kms, secrets = (
        session.client("kms", region_name=region),
        session.client("secretsmanager", region_name=region),
    )
    dynamodb = session.client("dynamodb", region_name=region)
    for i in range(few):
        sns.create_topic(Name=f"topic-{i}")
        sqs.create_queue(QueueName=f"queue-{i}")
        logs.create_log_group(logGroupName=f"/bench/{i}")
        kms.create_key(Description=f"key {i}")
        secrets.create_secret(Name=f"secret-{i}", SecretString="x")
        dynamodb.create_table(TableName=f"table-{i}", BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])  # fmt: skip


def _populate_global(session: boto3.Session, account: str, per_region: int) -> None:
    """The account's buckets, users and roles: per_region // 100 of each."""
    s3, iam = session.client("s3", region_name="us-east-1"), session.client("iam")
    trust = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
    for i in range(per_region // 100):
        s3.create_bucket(Bucket=f"bench-{account}-{i}")
        iam.create_user(UserName=f"user-{i}")
        iam.create_role(RoleName=f"role-{i}", AssumeRolePolicyDocument=trust)


def _plain_sessions() -> dict[str, boto3.Session]:
    """The two accounts as a boto3 script would reach them (default sessions, nothing of cloudsift's), by
    account id; with the calls the collector makes to find them (identity, role, alias)."""
    caller = boto3.Session()
    own = caller.client("sts").get_caller_identity()["Account"]
    creds = caller.client("sts").assume_role(RoleArn=f"arn:aws:iam::{SECOND}:role/cloudsift",
                                             RoleSessionName="bench")["Credentials"]  # fmt: skip
    second = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                           aws_session_token=creds["SessionToken"])  # fmt: skip
    sessions = {own: caller, SECOND: second}
    for session in sessions.values():
        session.client("iam").list_account_aliases()
    return sessions


def _sequential(calls: list[Recorded]) -> tuple[float, float, int]:
    """boto3 alone, one call after another: every call the collector made (recorded while it ran: its
    lists, their pages, and the calls per resource), with one client per account, service and region.
    The seconds it took, those of them spent making clients, and how many calls AWS refused (as it
    refused the collector's: "no policy" and the like)."""
    started = time.perf_counter()
    sessions = _plain_sessions()
    clients: dict[tuple[str, str, str], Any] = {}
    making = 0.0
    refused = 0
    for account, region, service, operation, params in sorted(calls, key=lambda c: c[:3]):
        client = clients.get((account, region, service))
        if client is None:
            made = time.perf_counter()
            client = clients[(account, region, service)] = sessions[account].client(
                service, region_name=region
            )
            if service == "s3control" and "amazonaws.com" not in client.meta.endpoint_url:
                single_host(client, account)  # as the collector does for moto (one address for every account)
            making += time.perf_counter() - made
        try:
            getattr(client, xform_name(operation))(**params)
        except ClientError:
            refused += 1
    return time.perf_counter() - started, making, refused


def _recording(calls: list[Recorded]) -> None:
    """From now on, every call the collector's sessions make is appended to `calls` (botocore's event
    hooks; the account is known once the sessions are opened)."""
    owners: dict[int, str] = {}
    made, discover = accounts.new_session, runner.discover_accounts

    def new_session(*args: Any, **kwargs: Any) -> boto3.Session:
        session = made(*args, **kwargs)

        def record(params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
            account = owners.get(id(session))
            if account is not None:
                calls.append((account, context["client_region"], model.service_model.service_name, model.name,
                              copy.deepcopy(params)))  # fmt: skip

        session.events.register("provide-client-params", record)
        return session

    def discover_accounts(cfg: AwsConfig) -> Any:
        found, errors = discover(cfg)
        owners.update({id(a.session): a.id for a in found})
        return found, errors

    accounts.new_session, runner.discover_accounts = new_session, discover_accounts  # type: ignore[assignment]


def _collect(config: AwsConfig, record: bool) -> tuple[float, float, int, float, float, list[Recorded]]:
    """One collection into a new store: duration, storing seconds, nodes, CPU seconds, peak MiB, and
    (`record`) the calls it made."""
    calls: list[Recorded] = []
    if record:
        _recording(calls)
    with tempfile.TemporaryDirectory() as home:
        store = DuckDBStore(Path(home) / "inventory.duckdb")
        summary = collect_aws(store, Config(home=Path(home), aws=config))
        assert summary.ok, list(summary.lines())
        total = summary.imported.nodes if summary.imported else 0
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return summary.duration, summary.store_seconds, total, time.process_time(), peak, calls


def _load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def start_moto(default_amis: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """moto's server in a process of its own on 127.0.0.1, and its address; this process's boto3 now goes
    there (AWS_ENDPOINT_URL and test credentials in the environment).

    Without `default_amis`, moto starts without its built-in Amazon images: it answers
    describe_snapshots(OwnerIds=["self"]) with their ~1,300 snapshots per region (AWS answers with the
    account's own), a second of moto's CPU per call spent on an answer the collector throws away."""
    port = _free_port()
    env = {**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "true" if default_amis else "false"}
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("moto_server.py")), "-p", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    _wait(url + "/moto-api/")
    os.environ.update(AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_DEFAULT_REGION="us-east-1")  # fmt: skip
    return server, url


def populate(per_region: int) -> AwsConfig:
    """The estate in moto (2 accounts, the second through STS, x 3 regions x `per_region` resources), and
    the [aws] config that collects it."""
    config = AwsConfig(regions=REGIONS, role="cloudsift", accounts=[SECOND], max_workers=8)
    opened, _ = discover_accounts(config)
    for account in opened:
        _populate_global(account.session, account.id, per_region)
        for region in REGIONS:
            _populate(account.session, region, per_region)
    return config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-region", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument(
        "--rounds", type=int, default=1, help="each round: sequential, collector twice, sequential"
    )
    parser.add_argument("--default-amis", action="store_true", help="let moto load its ~1,300 Amazon images")
    args = parser.parse_args()
    proxy: subprocess.Popen[bytes] | None = None
    server, url = start_moto(args.default_amis)
    try:
        started = time.perf_counter()
        config = populate(args.per_region)
        print(
            f"populated 2 accounts x 3 regions x {args.per_region} resources in {time.perf_counter() - started:.0f}s"
        )
        if args.latency_ms > 0:
            proxy_port = _free_port()
            proxy = subprocess.Popen([sys.executable, str(Path(__file__).with_name("latency_proxy.py")),
                                      "--target", url, "--port", str(proxy_port), "--latency-ms", str(args.latency_ms)])  # fmt: skip
            _wait(f"http://127.0.0.1:{proxy_port}/moto-api/")
            os.environ.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{proxy_port}")
            print(f"every request now waits {args.latency_ms:.0f} ms in a proxy")
        # A first collection, not counted, records the calls the sequential runs make again; it also pays
        # moto's first answers in each region (its backends are made on first use: twice the CPU).
        # Then seq, collector, collector, seq: moto's speed drifts during a run, and this order evens it out.
        seq: list[float] = []
        cols: list[tuple[float, float, int, float, float, float]] = []
        calls: list[Recorded] = []
        for step in ["record", *["seq", "col", "col", "seq"] * args.rounds]:
            moto_cpu, own_cpu = _cpu_seconds(server.pid), time.process_time()
            if step == "seq":
                took, making, refused = _sequential(calls)
                seq.append(took)
                print(f"  sequential boto3: {took:.1f}s (making clients {making:.1f}s), {len(calls):,} calls ({refused} "
                      f"refused, as they were the collector's; CPU: moto {_cpu_seconds(server.pid) - moto_cpu:.1f}s, boto3 "
                      f"{time.process_time() - own_cpu:.1f}s; {_load()})")  # fmt: skip
                continue
            # The collection runs in a process of its own, so its peak memory is its own.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
                duration, store_seconds, total, col_own, peak, made = child.submit(
                    _collect, config, step == "record"
                ).result()
            if step == "record":
                calls = made
                print(
                    f"  recording collection (not counted): {duration:.1f}s, {len(calls):,} calls ({_load()})"
                )
                continue
            cols.append((duration, store_seconds, total, col_own, peak, _cpu_seconds(server.pid) - moto_cpu))
            print(f"  collector: {duration:.1f}s, storing {store_seconds:.1f}s ({total:,} nodes; CPU: moto "
                  f"{cols[-1][5]:.1f}s, collector {col_own:.1f}s; {_load()})")  # fmt: skip
        baseline = sum(seq) / len(seq)
        duration = sum(c[0] for c in cols) / len(cols)
        store_seconds = sum(c[1] for c in cols) / len(cols)
        print(f"sequential boto3, same {len(calls):,} calls: {baseline:.1f}s (mean of {len(seq)})")
        print(f"collector: {duration:.1f}s = {duration / baseline:.2f}x of sequential (mean of {len(cols)}); "
              f"storing {store_seconds:.1f}s = {100 * store_seconds / duration:.0f}% of the total")  # fmt: skip
        print(f"peak memory of the collecting process: {max(c[4] for c in cols):,.0f} MiB")
    finally:
        server.terminate()
        if proxy is not None:
            proxy.terminate()


if __name__ == "__main__":
    main()
