"""PostgreSQL indexes the nodes by their zone, region and account (schema 13): Fix's
/metadata.descendant_count and descendant_summary.<kind> count a place's nodes from an index, not by a
scan of every node for each place found."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from cloudsift.store.postgres import PostgresStore
from cloudsift.store.sql.compiler import QueryCompiler
from tests.conftest import _drop, _postgres_store
from tests.estate import lines, node

ACCOUNTS, REGIONS, VOLUMES = 20, 3, 60


@pytest.fixture(scope="module")
def estate() -> Iterator[PostgresStore]:
    """20 accounts x 3 regions x 60 volumes (3,600 nodes beside their places), its statistics taken."""
    store = _postgres_store()
    assert isinstance(store, PostgresStore)
    nodes, edges = [node("c", "cloud")], []
    for a in range(ACCOUNTS):
        nodes.append(node(f"acc{a}", "aws_account"))
        edges.append(("c", f"acc{a}", "default"))
        for r in range(REGIONS):
            region = f"acc{a}-r{r}"
            nodes.append(node(region, "aws_region"))
            edges.append((f"acc{a}", region, "default"))
            for v in range(VOLUMES):
                nodes.append(node(f"{region}-vol{v}", "aws_ec2_volume", volume_size=v))
                edges.append((region, f"{region}-vol{v}", "default"))
    store.import_lines(lines(nodes, edges))
    store.execute("ANALYZE nodes")
    yield store
    _drop(store)


def _plan(store: PostgresStore, query: str) -> str:
    statement = QueryCompiler(store.dialect).search(store.bind(query))
    with store.conn.transaction(), store.conn.cursor() as cursor:
        cursor.execute(f"EXPLAIN {statement.sql}", statement.params)
        return "\n".join(str(row[0]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "index", "found"),
    [
        ("is(aws_region) and /metadata.descendant_count > 1", "nodes_region", ACCOUNTS * REGIONS),
        (
            "is(aws_region) and /metadata.descendant_summary.aws_ec2_volume == 60",
            "nodes_region",
            ACCOUNTS * REGIONS,
        ),
        ("is(aws_account) and /metadata.descendant_count > 180", "nodes_account", ACCOUNTS),
        ("is(aws_account) and /metadata.descendant_summary.aws_region == 3", "nodes_account", ACCOUNTS),
    ],
)
def test_a_places_descendants_are_counted_from_its_ancestor_index(
    estate: PostgresStore, query: str, index: str, found: int
) -> None:
    plan = _plan(estate, query)
    # an index-only scan once the visibility map is set (after a vacuum), a bitmap scan before: the index either way
    assert re.search(rf"(Index Only Scan using|Bitmap Index Scan on) {index}\b", plan), plan
    assert estate.count(estate.bind(query)) == found


def test_the_indexes_come_with_schema_13(estate: PostgresStore) -> None:
    indexes = estate.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND starts_with(indexname, 'nodes_')",
                             [estate.schema])  # fmt: skip
    defs = sorted(str(row[0]).split(" USING ")[1] for row in indexes)
    assert defs == ["btree (account_id, account_name, kind)", "btree (cloud_node)", "btree (id)", "btree (kind)",
                    "btree (region_id, region_name, kind)", "btree (zone_id, zone_name, kind)"]  # fmt: skip
    assert estate.schema_version() == 13
