"""Command-line benchmarks on the 1M store that bench_search.py leaves in bench/data; prints figures.

    python bench/bench_cli.py [--size 1m] [--runs 10]

Targets (issue 3): `cloudsift -c 'search is(aws_ec2_security_group) | count'` as a whole process,
start-up plus query, <= 0.5 s; `search all | head 5` in-process <= 0.2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.estate import DATA


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1m")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    store = DATA / f"estate-{args.size}.duckdb"
    if not store.exists():
        sys.exit(f"{store} is missing: run bench/bench_search.py --size {args.size} first")
    with tempfile.TemporaryDirectory() as home:
        (Path(home) / "inventory.duckdb").symlink_to(store)
        env = {**os.environ, "CLOUDSIFT_HOME": home, "CLOUDSIFT_CONFIG": os.devnull}
        line = "search is(aws_ec2_security_group) | count"
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", line], env=env, capture_output=True,
                                 text=True, check=True)  # fmt: skip
            times.append(time.perf_counter() - started)
        print(f"process `cloudsift -c '{line}'`: p50 {statistics.median(times) * 1000:.0f} ms "
              f"({out.stdout.splitlines()[0]})")  # fmt: skip
        bare = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - started)
        print(f"  of which a bare Python start: p50 {statistics.median(bare) * 1000:.0f} ms")

    from cloudsift import run
    from cloudsift.store.duckdb import DuckDBStore

    opened = DuckDBStore(store)
    for line in ("search all | head 5", "search is(aws_ec2_security_group) | count"):
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = run(line, opened)
            times.append(time.perf_counter() - started)
        print(f"in-process `{line}`: p50 {statistics.median(times) * 1000:.1f} ms ({len(result)} lines)")
    opened.close()


if __name__ == "__main__":
    main()
