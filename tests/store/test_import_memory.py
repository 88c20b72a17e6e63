"""An import stays within the memory a collection gives the store (runner.IMPORT_MEMORY_MB at 100,000 nodes)."""

from __future__ import annotations

from pathlib import Path

from cloudsift.store.duckdb import DuckDBStore
from tests.estate import frame, lines, node

MOMENT = "2026-01-02T03:04:05Z"


def test_checking_many_nodes_with_datetimes_stays_within_the_import_budget(tmp_path: Path) -> None:
    # Datetimes and lists of structs holding them are checked row by row (their JSON structure cannot tell
    # a valid one); those checks joined by OR once ran DuckDB out of a budget that holds the lines many
    # times over: a 100,000-resource collection failed with "Out of Memory Error" in 400 MB.
    nodes, edges = frame()
    for i in range(10_000):
        mapping = {"device_name": "/dev/xvda", "ebs": {"attach_time": MOMENT, "volume_id": f"vol-{i}"}}
        nodes.append(node(f"i-{i}", "aws_ec2_instance", ctime=MOMENT, mtime=MOMENT, instance_launch_time=MOMENT,
                          instance_user_data="x" * 1000, instance_block_device_mappings=[mapping]))  # fmt: skip
        attachment = {"attach_time": MOMENT, "device": "/dev/xvda", "instance_id": f"i-{i}"}
        nodes.append(node(f"v-{i}", "aws_ec2_volume", ctime=MOMENT, volume_attachments=[attachment]))
        edges += [("reg", f"i-{i}", "default"), ("reg", f"v-{i}", "default")]
    store = DuckDBStore(tmp_path / "inventory.duckdb")
    with store.memory_budget(170):
        imported = store.import_lines(lines(nodes, edges))
    assert imported.nodes == 20_003
    assert store.count(store.bind(f'is(aws_ec2_instance) and instance_launch_time == "{MOMENT}"')) == 10_000
    store.close()
