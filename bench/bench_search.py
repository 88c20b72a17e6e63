"""Search and import benchmarks on a generated estate; prints figures (no pass/fail).

    python bench/bench_search.py [--size 1m|100k] [--runs 15] [--skip-postgres]

Targets (issue 2, 2 cores): seed query p50 <= 100 ms on DuckDB and <= 300 ms on PostgreSQL;
count of all resources <= 100 ms; import >= 50,000 resources/s with peak memory <= 2 GiB.
The reference evaluator's time on the same data is printed beside each query as a ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.estate import SIZES, estate_file
from cloudsift.demo import SEED_QUERY
from cloudsift.query import reference
from cloudsift.store.base import Store

POSTGRES_URL = os.environ.get("CLOUDSIFT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
QUERIES = {
    "seed query": SEED_QUERY,
    "count all": "all",
}


def import_in_child(engine: str, path: Path, target: str) -> dict[str, Any]:
    """Import in a fresh process so that its peak memory is the import's own."""
    code = f"""
import json, resource, sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from bench.bench_search import open_engine
store = open_engine({engine!r}, {target!r}, fresh=True)
started = time.perf_counter()
from pathlib import Path
summary = store.import_file(Path({str(path)!r}))
seconds = time.perf_counter() - started
store.close()
print(json.dumps({{"nodes": summary.nodes, "seconds": seconds,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def open_engine(engine: str, target: str, fresh: bool = False) -> Store:
    if engine == "duckdb":
        from cloudsift.store.duckdb import DuckDBStore

        for leftover in (Path(target), Path(target + ".wal")):
            if fresh and leftover.exists():
                leftover.unlink()
        return DuckDBStore(target)
    from cloudsift.store.postgres import PostgresStore

    store = PostgresStore(POSTGRES_URL, schema=target)
    if fresh:
        store.drop()
        store.close()
        store = PostgresStore(POSTGRES_URL, schema=target)
    return store


def timed(store: Store, text: str, runs: int) -> tuple[float, int]:
    bound = store.bind(text)
    times = []
    result = 0
    for _ in range(runs):
        started = time.perf_counter()
        result = store.count(bound) if text == "all" else sum(1 for _ in store.search(bound))
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def reference_time(path: Path, text: str) -> tuple[float, int]:
    """The reference evaluator streaming over the same file (node documents without a graph)."""
    from cloudsift.model import MODEL
    from cloudsift.query.binder import bind
    from cloudsift.query.parser import parse_query

    bound = bind(parse_query(text))
    term = bound.parts[0].term
    docs = []
    with path.open("rb") as lines:
        for line in lines:
            doc = orjson.loads(line)
            if "reported" in doc:
                doc["kinds"] = MODEL.kinds_of(doc["reported"]["kind"])
                docs.append(doc)
    started = time.perf_counter()
    found = sum(1 for d in docs if reference.matches(term, d))
    return time.perf_counter() - started, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1m", choices=sorted(SIZES))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    path = estate_file(args.size)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"estate: {SIZES[args.size].resources:,} resources, {SIZES[args.size].accounts * SIZES[args.size].regions * SIZES[args.size].vpcs * SIZES[args.size].security_groups:,} security groups"
    )
    references = {name: reference_time(path, text) for name, text in QUERIES.items()}
    engines = ["duckdb"] + ([] if args.skip_postgres else ["postgres"])
    for engine in engines:
        # The DuckDB store stays in bench/data for bench_cli.py.
        target = str(path.with_suffix(".duckdb")) if engine == "duckdb" else "bench_search"
        imported = import_in_child(engine, path, target)
        rate = imported["nodes"] / imported["seconds"]
        print(
            f"{engine:8} import: {imported['nodes']:,} resources in {imported['seconds']:.1f}s = "
            f"{rate:,.0f}/s, peak memory {imported['peak_mib']:,.0f} MiB"
        )
        store = open_engine(engine, target)
        for name, text in QUERIES.items():
            p50, found = timed(store, text, args.runs)
            ref_seconds, ref_found = references[name]
            assert found == ref_found or text == "all", (found, ref_found)
            print(
                f"{engine:8} {name}: p50 {p50 * 1000:,.1f} ms ({found:,} found); reference evaluator "
                f"{ref_seconds * 1000:,.0f} ms = {ref_seconds / p50:,.0f}x slower"
            )
        if engine == "postgres":
            from cloudsift.store.postgres import PostgresStore

            assert isinstance(store, PostgresStore)
            store.drop()
        store.close()


if __name__ == "__main__":
    main()
