"""Benchmark runs on the 1M-resource estate (DuckDB): one process for the whole benchmark against its
checks as separate `cloudsift -c` lines; prints figures (no pass/fail).

    python bench/bench_report.py [--size 1m] [--benchmark aws_cis_3_0] [--runs 5]

Targets (issue 14 item 7, 2 cores): every check of aws_cis_3_0 in one process <= 5 s, and the whole
benchmark <= 0.2x the time of its checks run as separate `cloudsift -c 'report checks run ID'` lines.
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

from bench.estate import DATA, SIZES, estate_file


def estate_store(size: str) -> Path:
    """The DuckDB file of the estate (bench_search.py leaves the same one); built when missing."""
    path = DATA / f"estate-{size}.duckdb"
    if not path.exists():
        from cloudsift.store.duckdb import DuckDBStore

        source = estate_file(size)
        started = time.perf_counter()
        with DuckDBStore(path) as store:
            store.import_file(source)
        print(
            f"imported {SIZES[size].resources:,} resources into {path.name} in {time.perf_counter() - started:.1f}s"
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1m", choices=sorted(SIZES))
    parser.add_argument("--benchmark", default="aws_cis_3_0")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = estate_store(args.size)

    from cloudsift import run
    from cloudsift.report import load_library
    from cloudsift.store.duckdb import DuckDBStore

    library = load_library()
    benchmark = library.benchmark(args.benchmark)
    checks = sorted({c for c in benchmark.check_ids() if not library.checks[c].manual})
    store = DuckDBStore(path)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        lines = run(f"report benchmark run {args.benchmark}", store)
        times.append(time.perf_counter() - started)
    store.close()
    one_process = statistics.median(times)
    print(f"`report benchmark run {args.benchmark}` in-process over {SIZES[args.size].resources:,} resources: "
          f"p50 {one_process:.2f} s, first {times[0]:.2f} s, {len(checks)} automated checks ({lines[0]})")  # fmt: skip

    with tempfile.TemporaryDirectory() as home:
        (Path(home) / "inventory.duckdb").symlink_to(path)
        env = {**os.environ, "CLOUDSIFT_HOME": home, "CLOUDSIFT_CONFIG": os.devnull}
        started = time.perf_counter()
        for check in checks:
            subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", f"report checks run {check}"], env=env,
                           capture_output=True, text=True, check=True)  # fmt: skip
        separate = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", f"report benchmark run {args.benchmark}"],
                       env=env, capture_output=True, text=True, check=True)  # fmt: skip
        whole = time.perf_counter() - started
    print(f"its {len(checks)} checks as separate `cloudsift -c` lines: {separate:.1f} s in all")
    print(
        f"the benchmark as one `cloudsift -c` line: {whole:.2f} s = {whole / separate:.2f}x the separate lines"
    )


if __name__ == "__main__":
    main()
