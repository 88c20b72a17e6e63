"""Import lines past what one node may be: refused by line number on both engines, nothing imported."""

from __future__ import annotations

import orjson
import pytest

from cloudsift.errors import ImportError_
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store
from tests.estate import frame, lines, node


def _count(store: Store) -> int:
    return store.count(store.bind("all"))


def _file_with(bad: bytes) -> list[bytes]:
    nodes, edges = frame()
    good = lines(nodes, edges)
    return [*good[:3], bad, *good[3:]]


def test_json_nested_5000_levels_is_refused_by_line(store: Store) -> None:
    store.import_lines(estate_lines(EstateSize(accounts=1, regions=1)))
    before = _count(store)
    deep = (
        b'{"id": "x", "reported": {"kind": "aws_ec2_volume", "id": "x", "tags": '
        + b"[" * 5000
        + b"]" * 5000
        + b"}}"
    )
    with pytest.raises(ImportError_) as caught:
        store.import_lines(_file_with(deep))
    assert str(caught.value) == "line 4: JSON nested more than 1024 levels deep"
    assert _count(store) == before


def test_a_50_mb_line_is_refused_by_line(store: Store) -> None:
    store.import_lines(estate_lines(EstateSize(accounts=1, regions=1)))
    before = _count(store)
    volume = node("vol-big", "aws_ec2_volume", name="a" * 50_000_000)
    nodes, edges = frame()
    file = lines([*nodes, volume], [*edges, ("reg", "vol-big", "default")])
    with pytest.raises(ImportError_) as caught:
        store.import_lines(file)
    assert str(caught.value) == "line 4: the line holds 48 MB; one node or edge may take at most 16 MB"
    assert _count(store) == before


def test_a_line_just_below_the_limit_imports(store: Store) -> None:
    nodes, edges = frame()
    volume = node("vol-big", "aws_ec2_volume", name="a" * 15_000_000)
    store.import_lines(lines([*nodes, volume], [*edges, ("reg", "vol-big", "default")]))
    (found,) = store.search(store.bind("id == vol-big"))
    assert len(found["reported"]["name"]) == 15_000_000
    assert orjson.dumps(found)  # the stored node reads back whole
