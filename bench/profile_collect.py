"""Where the collector's own CPU goes: cProfile of one collection against moto; prints figures.

    python bench/profile_collect.py [--per-region 100] [--top 25] [--store duckdb|postgres]

bench_collect's estate (2 accounts, the second through STS, x 3 regions x N resources) in a moto server
process on 127.0.0.1; a first collection, not counted, warms moto up (it makes its backends on first use)
and loads the service models; a second one gives the CPU seconds without a profiler. Then one collection in this process under cProfile, every thread with a profile of its own that counts
that thread's CPU time (`time.thread_time`, so a thread waiting on moto costs nothing), merged: the CPU
seconds (this process only, moto's apart), those spent opening sessions, making clients, calling and
storing, and the functions that took the most.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_collect import _cpu_seconds, _load, populate, start_moto
from cloudsift.collect.runner import collect_aws
from cloudsift.config import AwsConfig, Config
from cloudsift.store.base import Store

# What the profile's CPU is grouped into: a function's cumulative time, by its (file part, name)
SHARES = {
    "making clients": ("botocore/session.py", "create_client"),
    "opening sessions": ("cloudsift/collect/aws/accounts.py", "new_session"),
    "calls (botocore's _make_api_call)": ("botocore/client.py", "_make_api_call"),
    "storing (import_file)": ("", "import_file"),
}


def _store(kind: str, home: Path) -> Store:
    if kind == "duckdb":
        from cloudsift.store.duckdb import DuckDBStore

        return DuckDBStore(home / "inventory.duckdb")
    from cloudsift.store.postgres import PostgresStore

    url = os.environ.get("CLOUDSIFT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
    return PostgresStore(url, schema=f"bench_profile_{os.getpid()}")


class Profiles:
    """A cProfile of each thread's CPU time, this one's and every thread started while it is on."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self.lock = threading.Lock()

    def _new(self) -> cProfile.Profile:
        made = cProfile.Profile(time.thread_time)
        with self.lock:
            self.profiles.append(made)
        return made

    def _start(self, *_: object) -> None:  # a new thread's first event: it profiles itself from now on
        self._new().enable()

    def __enter__(self) -> Profiles:
        threading.setprofile(self._start)
        self._new().enable()
        return self

    def __exit__(self, *_: object) -> None:
        self.profiles[0].disable()
        threading.setprofile(None)  # type: ignore[arg-type]

    def stats(self) -> pstats.Stats:
        merged = pstats.Stats(self.profiles[0])
        for other in self.profiles[1:]:
            merged.add(other)
        return merged


def _collect(config: AwsConfig, kind: str, profiles: Profiles | None) -> tuple[float, float, float, int]:
    """One collection into a fresh store: wall seconds, storing seconds, CPU seconds, nodes; with `profiles`, profiled."""
    with tempfile.TemporaryDirectory() as home:
        store = _store(kind, Path(home))
        try:
            cpu = time.process_time()
            if profiles is None:
                summary = collect_aws(store, Config(home=Path(home), aws=config))
            else:
                with profiles:
                    summary = collect_aws(store, Config(home=Path(home), aws=config))
            cpu = time.process_time() - cpu
            assert summary.ok, list(summary.lines())
        finally:
            if kind == "postgres":
                store.drop()  # type: ignore[attr-defined]
            store.close()
    nodes = summary.imported.nodes if summary.imported else 0
    return summary.duration, summary.store_seconds, cpu, nodes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-region", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1, help="collections measured without a profiler")
    parser.add_argument("--cprofile", action=argparse.BooleanOptionalAction, default=True,
                        help="then one collection under cProfile (--no-cprofile: for py-spy from outside)")  # fmt: skip
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--store", choices=["duckdb", "postgres"], default="duckdb")
    parser.add_argument("--dump", type=Path, help="write the profile's stats here (pstats format)")
    args = parser.parse_args()
    server, _ = start_moto()
    profiles = Profiles()
    try:
        config = populate(args.per_region)
        warm = _collect(config, args.store, None)
        print(f"warm-up collection (not counted): {warm[0]:.1f}s, {warm[3]:,} nodes ({_load()})")
        for run in [*([None] * args.runs), *([profiles] if args.cprofile else [])]:
            moto = _cpu_seconds(server.pid)
            duration, storing, cpu, nodes = _collect(config, args.store, run)
            print(f"{'profiled ' if run else ''}collection: {duration:.1f}s, storing {storing:.2f}s, {nodes:,} nodes; "
                  f"CPU: collector {cpu:.2f}s, moto {_cpu_seconds(server.pid) - moto:.2f}s ({_load()})")  # fmt: skip
    finally:
        server.terminate()
    if args.cprofile:
        _print_profile(profiles.stats(), args.top, args.dump)


def _print_profile(stats: pstats.Stats, top: int, dump: Path | None) -> None:
    if dump:
        stats.dump_stats(dump)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    entries = stats.stats  # type: ignore[attr-defined]
    for label, (file_part, name) in SHARES.items():
        # the outermost entries only: a recursive function's cumulative time counts once
        seconds = sum(e[3] for (f, _, n), e in entries.items() if n == name and file_part in f)
        print(f"  {label}: {seconds:.2f}s = {100 * seconds / total:.0f}% of the profiled {total:.2f}s")
    stats.sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    main()
