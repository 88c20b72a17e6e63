"""Schema versions and model changes: an existing store gains typed columns for new properties."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cloudsift.errors import StoreError
from cloudsift.model import MODEL, Model
from cloudsift.store.duckdb import DuckDBStore
from tests.estate import frame, lines, node


def _model_without(prop: str) -> Model:
    kinds = []
    for kind in MODEL.kinds.values():
        kinds.append(dataclasses.replace(kind, props=tuple(p for p in kind.props if p.name != prop)))
    return Model(kinds)


def test_a_new_model_property_gets_a_typed_column_filled_from_the_stored_json(tmp_path: Path) -> None:
    path = tmp_path / "inventory.duckdb"
    nodes, edges = frame()
    nodes += [node("big", "aws_ec2_volume", volume_size=500), node("small", "aws_ec2_volume", volume_size=8)]
    edges += [("reg", "big", "default"), ("reg", "small", "default")]
    old = DuckDBStore(path, model=_model_without("volume_size"))
    old.import_lines(lines(nodes, edges))
    assert "volume_size" in old.extra_properties()
    with pytest.raises(Exception, match="expected a number"):
        DuckDBStore(":memory:").bind("volume_size > abc")
    old.close()

    upgraded = DuckDBStore(path)
    typed = upgraded.con.execute(
        "SELECT id, p_volume_size FROM nodes WHERE kind = 'aws_ec2_volume' ORDER BY id"
    )
    assert typed.fetchall() == [("big", 500), ("small", 8)]
    assert [d["id"] for d in upgraded.search(upgraded.bind('volume_size > "100"'))] == ["big"]
    upgraded.close()


def test_a_model_change_keeps_the_typed_columns_whose_type_it_did_not_change(tmp_path: Path) -> None:
    # the catalog spells TIMESTAMPTZ "TIMESTAMP WITH TIME ZONE": a model change once dropped and rebuilt
    # every datetime column (and struct holding one) of the store from its JSON
    path = tmp_path / "inventory.duckdb"

    def positions(model: Model = MODEL) -> dict[str, int]:
        store = DuckDBStore(path, model=model)
        rows = store.con.execute(
            "SELECT column_name, column_index FROM duckdb_columns() WHERE table_name = 'nodes'"
        ).fetchall()
        store.close()
        return dict(rows)

    nodes, edges = frame()
    nodes += [
        node("i-1", "aws_ec2_instance", instance_launch_time="2026-01-02T03:04:05Z"),
        node("k-1", "aws_iam_access_key", access_key_last_used={"last_used": "2026-01-02T03:04:05Z"}),
    ]
    edges += [("reg", "i-1", "default"), ("reg", "k-1", "default")]
    old = DuckDBStore(path, model=_model_without("volume_size"))
    old.import_lines(lines(nodes, edges))
    old.close()
    before = positions(_model_without("volume_size"))
    after = positions()
    assert {"p_ctime", "p_instance_launch_time", "p_access_key_last_used"} <= before.keys()
    assert after == before  # none was dropped and added again (and no volume has volume_size)


def test_a_store_from_a_newer_cloudsift_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inventory.duckdb"
    store = DuckDBStore(path)
    store.con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    store.close()
    with pytest.raises(StoreError, match="has schema 99"):
        DuckDBStore(path)


def test_a_property_gets_its_typed_column_when_it_first_comes_in(tmp_path: Path) -> None:
    path = tmp_path / "inventory.duckdb"
    reader, writer = DuckDBStore(path), DuckDBStore(path)  # two connections of one process
    query = "is(aws_ec2_volume) and volume_size > 100"
    assert "p_volume_size" not in _columns(reader)
    assert list(reader.search(reader.bind(query))) == []
    assert [d["id"] for d in reader.search(reader.bind("is(aws_ec2_volume) and volume_size == null"))] == []
    nodes, edges = frame()
    nodes += [node("big", "aws_ec2_volume", volume_size=500), node("none", "aws_ec2_volume")]
    edges += [("reg", "big", "default"), ("reg", "none", "default")]
    writer.import_lines(lines(nodes, edges))
    assert "p_volume_size" in _columns(writer)
    assert [d["id"] for d in reader.search(reader.bind(query))] == ["big"]  # the reader sees the new column
    nulls = reader.search(reader.bind("is(aws_ec2_volume) and volume_size == null"))
    assert [d["id"] for d in nulls] == ["none"]
    reader.close()
    writer.close()


def _columns(store: DuckDBStore) -> set[str]:
    rows = store.con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'nodes'").fetchall()
    return {r[0] for r in rows}
