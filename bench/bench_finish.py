"""The workers' finish at scale (issue 17): a run's part tasks staged in PostgreSQL as the workers
write them (one row per account x region x service group, its node lines, ids and edges), for many
accounts x regions, then the finish timed as a worker runs it: the one import of the whole
collection, the statuses, the run's log and post_collect with one job claimed for the run.

    python bench/bench_finish.py [--accounts 200,2000] [--regions 20] [--home 100] [--runs 2]

Each account has the default VPC's resources in every region (a VPC, its subnets, a security group,
a network ACL, a route table, an internet gateway: --default per region), --home more in its first
region (instances, volumes, interfaces, security groups, functions, queues) and --global account-wide
ones (IAM roles and policies, S3 buckets). Run 1 imports into an empty store; run 2 replaces the
same estate with a tenth of each partition's resources changed (a tag), as an hourly collection does.
Each finish runs in a process of its own (its peak memory is the worker's). The store is a fresh
schema of CLOUDSIFT_BENCH_POSTGRES (default the test database), dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

POSTGRES = os.environ.get("CLOUDSIFT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
GROUPS = 3  # [workers] service_groups' default
REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-central-1", "eu-west-1",
    "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1", "me-south-1", "af-south-1",
]  # fmt: skip
# the default VPC of a region, by service: (kind, count)
DEFAULT_VPC = {
    "ec2": [("aws_vpc", 1), ("aws_ec2_subnet", 6)],
    "ec2_security_groups": [("aws_ec2_security_group", 1)],
    "ec2_network": [("aws_ec2_network_acl", 1), ("aws_ec2_internet_gateway", 1)],
    "ec2_routing": [("aws_ec2_route_table", 1)],
}
# a region in use: its share of --home, by service (an equal share per kind)
HOME = {
    "ec2": ["aws_ec2_instance", "aws_ec2_network_interface"], "ec2_volumes": ["aws_ec2_volume"],
    "ec2_security_groups": ["aws_ec2_security_group"], "lambda": ["aws_lambda_function"], "sqs": ["aws_sqs_queue"],
}  # fmt: skip
HOME_KINDS = sum(len(kinds) for kinds in HOME.values())
GLOBAL_KINDS = {"iam": ["aws_iam_role", "aws_iam_policy"], "s3": ["aws_s3_bucket"]}


def _node(kind: str, account: str, region: str, n: int, changed: bool) -> tuple[str, dict[str, Any]]:
    short = kind.removeprefix("aws_").removeprefix("ec2_")
    resource = f"{short}-{account[-6:]}{n:05d}"
    reported: dict[str, Any] = {
        "kind": kind,
        "id": resource,
        "name": f"{short} {n}",
        "arn": f"arn:aws:{short}:{region}:{account}:{resource}",
        "ctime": "2026-01-15T10:00:00Z",
        "tags": {
            "team": f"team-{n % 7}",
            "env": "prod" if n % 3 else "staging",
            **({"rev": "2"} if changed else {}),
        },
    }
    return f"aws/{account}/{region}/{kind}/{resource}", reported


def _part(
    account: str, region: str, services: list[str], home: int, glob: int, run: int
) -> tuple[bytes, bytes]:
    """A part task's `lines` and `found`, as collect_part writes them."""
    wanted: list[tuple[str, int]] = []
    if region == "global":
        for name in services:
            kinds = GLOBAL_KINDS.get(name, [])
            wanted += [(kind, glob // len(GLOBAL_KINDS) // len(kinds)) for kind in kinds]
    else:
        for name in services:
            wanted += DEFAULT_VPC.get(name, [])
            if home:
                wanted += [(kind, home // HOME_KINDS) for kind in HOME.get(name, [])]
    lines: list[bytes] = []
    ids: list[str] = []
    edges: list[tuple[str, str, str]] = []
    vpc: str | None = None
    n = 0
    for kind, count in wanted:
        for _ in range(count):
            n += 1
            node_id, reported = _node(kind, account, region, n, changed=run > 1 and n % 10 == 0)
            lines.append(orjson.dumps({"id": node_id, "reported": reported}) + b"\n")
            ids.append(node_id)
            if kind == "aws_vpc":
                vpc = node_id
            elif vpc is not None and kind in ("aws_ec2_subnet", "aws_ec2_security_group"):
                edges.append((vpc, node_id, "default"))
    own = len(ids)
    return b"".join(lines), orjson.dumps({"ids": ids, "edges": edges, "own": own, "account": {}})


def _rows(
    run_id: str, accounts: int, regions: int, args: argparse.Namespace, run: int
) -> Iterator[tuple[Any, ...]]:
    import cloudsift.collect.aws  # noqa: F401  (registers the services)
    from cloudsift.collect.aws.service import services_for
    from cloudsift.collect.run_log import done_step, steps_json
    from cloudsift.workers.tasks import part_key, service_groups

    now = dt.datetime.now(dt.UTC)
    services = services_for(None)
    for a in range(accounts):
        account = f"{100000000000 + a}"
        places = REGIONS[:regions]
        yield (run_id, f"account:{account}", account, None, None, now, "[]", True, f"alias-{a}",
               orjson.dumps(places).decode(), "[]", None, None, None, None)  # fmt: skip
        for group, (region, names) in enumerate(service_groups(services, places, GROUPS)):
            home = args.home if region == places[0] else 0
            lines, found = _part(account, region, names, home, args.glob, run)
            steps = steps_json(done_step(account, region, name, 0.1, 1) for name in names)
            yield (run_id, part_key(account, region, group), account, region, orjson.dumps(names).decode(), now,
                   "[]", None, None, None, None, lines, found, 0.1 * len(names), steps)  # fmt: skip


COLUMNS = "run_id, key, account, region, services, ended_at, errors, opened, alias, regions, problems, lines, found, seconds, steps"


def stage(schema: str, accounts: int, regions: int, args: argparse.Namespace, run: int) -> tuple[str, int]:
    """A run whose tasks all ended, as the workers leave it before the finish: its id and rows."""
    from cloudsift.collect.run_log import new_run_id
    from cloudsift.store.postgres import PostgresStore
    from cloudsift.workers.queue import ensure_tables

    store = PostgresStore(POSTGRES, schema)
    try:
        ensure_tables(store)
        run_id = new_run_id()
        rows = 0
        with store.transaction():
            store.execute("INSERT INTO collect_runs (id, started_at, kinds, problems, account_errors) "
                          "VALUES (?, now(), NULL, '[]', '[]')", [run_id])  # fmt: skip
            with store.conn.cursor().copy(f"COPY collect_tasks ({COLUMNS}) FROM STDIN") as copy:
                for row in _rows(run_id, accounts, regions, args, run):
                    copy.write_row(row)
                    rows += 1
    finally:
        store.close()
    return run_id, rows


def _config(root: Path, schema: str) -> Path:
    path = root / "config.toml"
    path.write_text(f'[store]\nurl = "{POSTGRES}"\nschema = "{schema}"\n[workers]\nenabled = true\n'
                    '[workflows.collect]\nschedule = ""\n')  # fmt: skip
    return path


def finish_in_process(config_path: str, run_id: str) -> None:
    """The finish as a worker runs it, with where its time went (printed as one JSON line)."""
    from cloudsift.config import load_config
    from cloudsift.store.postgres import PostgresStore
    from cloudsift.workers import finish as finishing

    config = load_config(Path(config_path))
    spent: dict[str, float] = {}

    def timed(name: str, function: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return run

    imports: list[float] = []
    write = finishing.write_collection

    def write_timed(*args: Any, **kwargs: Any) -> Any:
        summary = write(*args, **kwargs)
        imports.append(summary.store_seconds)
        return summary

    finishing.write_collection = write_timed  # type: ignore[assignment]
    finishing._partitions = timed("partitions", finishing._partitions)  # type: ignore[method-assign]
    finishing._event_jobs = timed("jobs", finishing._event_jobs)  # type: ignore[method-assign]
    finishing.prune = timed("prune", finishing.prune)  # type: ignore[assignment]
    store = PostgresStore(config.store.url, config.store.schema)
    started = time.perf_counter()
    profile = None
    if os.environ.get("BENCH_FINISH_PROFILE"):  # where the finish's own time goes, on stderr
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    try:
        finishing.finish(store, config, run_id)
    finally:
        store.close()
    if profile is not None:
        import pstats

        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(40)
        stats.print_callers("connection.py.*execute")
    total = time.perf_counter() - started
    peak = next(int(line.split()[1]) / 1024 for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith("VmHWM:"))  # fmt: skip
    print(json.dumps({"total": total, "import": imports[0] if imports else None, **spent, "peak_mib": peak}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", default="200,2000", help="comma-separated account counts")
    parser.add_argument("--regions", type=int, default=20, choices=range(1, len(REGIONS) + 1), metavar="N")
    parser.add_argument("--home", type=int, default=120, help="resources in each account's first region")
    parser.add_argument("--glob", type=int, default=20, help="account-wide resources per account")
    parser.add_argument("--runs", type=int, default=2, help="1: into an empty store; 2: then replace it")
    parser.add_argument("--keep", action="store_true", help="keep the schema")
    parser.add_argument("--finish", nargs=2, metavar=("CONFIG", "RUN_ID"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.finish:
        finish_in_process(*args.finish)
        return
    import psycopg

    print("| accounts | partitions | resources | run | staging | finish | import | rest | peak MiB | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for accounts in [int(n) for n in args.accounts.split(",")]:
        schema = f"bench_finish_{uuid.uuid4().hex[:8]}"
        try:
            with tempfile.TemporaryDirectory(prefix="bench-finish-") as root:
                config = _config(Path(root), schema)
                env = {**os.environ, "CLOUDSIFT_CONFIG": str(config), "CLOUDSIFT_HOME": root}
                for run in range(1, args.runs + 1):
                    started = time.perf_counter()
                    run_id, _ = stage(schema, accounts, args.regions, args, run)
                    staging = time.perf_counter() - started
                    if run == 1:  # a job on post_collect: claimed for the run, then run, by the finish
                        subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", "jobs add --id bench_count "
                                        "--wait-for-event post_collect 'search is(aws_vpc) | count'"],
                                       env=env, check=True, capture_output=True)  # fmt: skip
                    out = subprocess.run([sys.executable, __file__, "--finish", str(config), run_id], env=env,
                                         check=True, stdout=subprocess.PIPE, text=True).stdout  # fmt: skip
                    figures = json.loads(out.strip().splitlines()[-1])
                    with psycopg.connect(POSTGRES) as conn:
                        nodes = conn.execute(f'SELECT count(*) FROM "{schema}".nodes').fetchone()
                    partitions = accounts * (args.regions + 1)
                    load = os.getloadavg()[0]
                    rest = figures["total"] - figures["import"]
                    print(f"| {accounts:,} | {partitions:,} | {nodes[0] if nodes else 0:,} | {run} | {staging:.1f} s "
                          f"| {figures['total']:.1f} s | {figures['import']:.1f} s | {rest:.1f} s "
                          f"(partitions {figures.get('partitions', 0):.1f}, jobs {figures.get('jobs', 0):.1f}, "
                          f"prune {figures.get('prune', 0):.1f}) | {figures['peak_mib']:.0f} | {load:.1f} |",
                          flush=True)  # fmt: skip
        finally:
            if not args.keep:
                with psycopg.connect(POSTGRES, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
