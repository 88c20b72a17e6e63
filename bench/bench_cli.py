"""The command line as a person runs it: fresh `cloudsift -c` processes, p50/p90 of N runs each.

    python bench/bench_cli.py [--runs 15] [--size 200k] [--instructions]

- `help`, the seed query and `search is(aws_ec2_security_group) | count` on a small store the bench makes
  itself (the tests' estate); target (issue 12 item 9) <= 150 ms for the count.
- The seed query on a 200k-resource store against a plain-Python scan of the same export (a fresh process:
  `json.loads` of each line, the seed predicate in Python); target <= 0.4x the scan. Runs alternate.
- `--issue3`: issue 3's figures on the 1M store bench_search.py makes (whole process and in-process).
- `--instructions`: the instructions each line executes (valgrind's callgrind, slow: one run each),
  a figure that does not move with the machine's load as times do.

The child processes write bytecode caches as a user's runs do (PYTHONDONTWRITEBYTECODE is removed from
their environment). The machine's load average is printed with the figures: other processes share it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.estate import DATA, estate_file
from cloudsift.demo import SEED_QUERY
from cloudsift.sample import EstateSize, estate_lines

COUNT = "search is(aws_ec2_security_group) | count"
SEED = f"search {SEED_QUERY}"

# The seed query as plain Python over the export: what a script without cloudsift would do.
SCAN = """
import json, sys

def open_to_all(permission):
    return permission.get("ip_protocol") == "-1" and (
        any(r.get("cidr_ip") == "0.0.0.0/0" for r in permission.get("ip_ranges") or [])
        or any(r.get("cidr_ipv6") == "::/0" for r in permission.get("ipv6_ranges") or [])
    )

found = 0
with open(sys.argv[1], "rb") as export:
    for line in export:
        reported = json.loads(line).get("reported")
        if reported and reported.get("kind") == "aws_ec2_security_group" and any(
            open_to_all(p) for p in reported.get("group_ip_permissions") or []
        ):
            print(reported["id"])
            found += 1
print(f"{found} found", file=sys.stderr)
"""


def child_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "CLOUDSIFT_HOME": str(home), "CLOUDSIFT_CONFIG": os.devnull}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cloudsift_command() -> list[str]:
    """The console script a user runs, next to this Python; `python -m cloudsift.cli` without one."""
    script = Path(sys.executable).parent / "cloudsift"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cloudsift.cli"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def figures(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(times) * 1000:6.0f} ms  p90 {p90 * 1000:6.0f} ms"


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def make_home(home: Path, export: Path) -> None:
    env = child_env(home)
    subprocess.run([*cloudsift_command(), "-c", f"import {export}"], env=env, check=True, capture_output=True)


def instructions(args: list[str], env: dict[str, str]) -> int | None:
    """Instructions the process executes (callgrind's `I refs`), None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.out", *args],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    return int(found.group(1)) if found else None


def small_store(runs: int, count_instructions: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        export = home / "estate.jsonl"
        export.write_bytes(b"".join(estate_lines(EstateSize())))
        make_home(home, export)
        env = child_env(home)
        print(f"small store ({EstateSize().resources} resources), {runs} fresh processes each, {load()}")
        lines = {"help": "help", "seed query": SEED, "count": COUNT}
        for name, line in lines.items():
            times = []
            for _ in range(runs):
                took, out = timed([*cloudsift_command(), "-c", line], env)
                times.append(took)
            print(f"  {name:<12} {figures(times)}   ({out.splitlines()[0][:60]})")
        bare = [timed([sys.executable, "-c", "pass"], env)[0] for _ in range(runs)]
        print(f"  {'bare python':<12} {figures(bare)}")
        if count_instructions:
            for name, line in lines.items():
                counted = instructions([*cloudsift_command(), "-c", line], env)
                print(f"  instructions, {name}: {counted / 1e6:,.0f} M" if counted else "  (no valgrind)")
            counted = instructions([sys.executable, "-c", "pass"], env)
            print(f"  instructions, bare python: {counted / 1e6:,.0f} M" if counted else "")
        print(f"  ({load()})")


def against_a_scan(size: str, runs: int) -> None:
    export = estate_file(size)
    home = DATA / f"cli-{size}"
    if not (home / "inventory.duckdb").exists():
        home.mkdir(parents=True, exist_ok=True)
        make_home(home, export)
    env = child_env(home)
    ours, scan = [], []
    found_ours = found_scan = 0
    for _ in range(runs):  # alternating, so that a change of the machine's load hits both alike
        took, out = timed([*cloudsift_command(), "-c", SEED], env)
        ours.append(took)
        found_ours = len(out.splitlines())
        took, out = timed([sys.executable, "-c", SCAN, str(export)], env)
        scan.append(took)
        found_scan = len(out.splitlines())
    if found_ours != found_scan:
        sys.exit(f"cloudsift found {found_ours} groups, the scan {found_scan}: they must agree")
    lines = sum(1 for _ in export.open("rb"))
    print(f"seed query, {size} store ({lines:,} lines in the export), {runs} runs each, {found_ours} found")
    print(f"  cloudsift -c '{SEED[:40]}…'  {figures(ours)}")
    print(f"  plain-Python scan of the export   {figures(scan)}")
    print(f"  ratio (p50): {statistics.median(ours) / statistics.median(scan):.2f}x   ({load()})")


def one_million(runs: int) -> None:
    """Issue 3's figures on the 1M store bench_search.py leaves in bench/data (`--issue3`)."""
    store = DATA / "estate-1m.duckdb"
    if not store.exists():
        sys.exit(f"{store} is missing: run bench/bench_search.py --size 1m first")
    with tempfile.TemporaryDirectory() as home:
        (Path(home) / "inventory.duckdb").symlink_to(store)
        times = [timed([*cloudsift_command(), "-c", COUNT], child_env(Path(home)))[0] for _ in range(runs)]
        print(f"1M store, process `cloudsift -c '{COUNT}'`: {figures(times)}")

    from cloudsift import run
    from cloudsift.store.duckdb import DuckDBStore

    opened = DuckDBStore(store)
    for line in ("search all | head 5", COUNT):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            run(line, opened)
            times.append(time.perf_counter() - started)
        print(f"1M store, in-process `{line}`: {figures(times)}")
    opened.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", default="200k", help="the estate of the comparison (bench/estate.py)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    parser.add_argument("--issue3", action="store_true", help="also issue 3's figures on the 1M store")
    args = parser.parse_args()
    print(f"{' '.join(cloudsift_command())}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    small_store(args.runs, args.instructions)
    against_a_scan(args.size, args.runs)
    if args.issue3:
        one_million(args.runs)


if __name__ == "__main__":
    main()
