"""The benchmark estate: about 1,000,000 resources, 100,000 of them security groups (cached in bench/data)."""

from __future__ import annotations

import time
from pathlib import Path

from cloudsift.sample import EstateSize, estate_lines

DATA = Path(__file__).parent / "data"
SIZES = {
    "1m": EstateSize(accounts=10, regions=10, vpcs=10, security_groups=100, instances=450, volumes=448),
    "200k": EstateSize(accounts=10, regions=10, vpcs=2, security_groups=100, instances=450, volumes=448),
    "100k": EstateSize(accounts=10, regions=10, vpcs=1, security_groups=100, instances=450, volumes=448),
}


def estate_file(name: str) -> Path:
    path = DATA / f"estate-{name}.jsonl"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        with partial.open("wb") as f:
            f.writelines(estate_lines(SIZES[name], violations=True))
        partial.rename(path)
        print(
            f"generated {path.name}: {SIZES[name].resources:,} resources in {time.perf_counter() - started:.1f}s"
        )
    return path
