"""`search all | jq …` on a few thousand nodes: jq in its bounded child process against jq evaluated in
this process (as it was before the child, issue 19 item 6). Prints figures.

    python bench/bench_jq.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jq

from cloudsift.commands.base import Context
from cloudsift.commands.jq import jq_filter
from cloudsift.commands.pipeline import run_line
from cloudsift.commands.search import open_nodes
from cloudsift.config import load_config
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.duckdb import DuckDBStore

FILTER = "{name: .name, kind: .kind, account: .ancestors.account.reported.name}"
SIZE = EstateSize(accounts=2, regions=2, vpcs=5, security_groups=20, instances=100, volumes=100)


def _in_process(ctx: Context) -> int:
    program = jq.compile(jq_filter(FILTER))
    out = 0
    for element in open_nodes(run_line("search all", ctx, list_nodes=False)):
        out += len(program.input_value(element).all())
    return out


def _child(ctx: Context) -> int:
    return sum(1 for _ in run_line(f"search all | jq '{FILTER}'", ctx, list_nodes=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        estate = Path(home) / "estate.jsonl"
        estate.write_bytes(b"".join(estate_lines(SIZE)))
        store = DuckDBStore(Path(home) / "inventory.duckdb")
        store.import_file(estate)
        ctx = Context(config=load_config(home=Path(home)), open_store=lambda: store)
        baseline = statistics.median(_timed(lambda: run_line("search all", ctx, list_nodes=False), args.runs))
        for name, way in (("in this process (before)", _in_process), ("child process (now)", _child)):
            times = _timed(lambda way=way: [way(ctx)], args.runs)  # type: ignore[misc]
            print(f"search all | jq ({SIZE.resources} nodes), {name}: p50 {statistics.median(times):.3f} s "
                  f"(search alone {baseline:.3f} s)")  # fmt: skip
        store.close()


def _timed(work: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in work():  # type: ignore[operator]
            pass
        times.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    main()
