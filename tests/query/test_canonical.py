"""Canonical text: every query prints back as a query that parses to the same AST; `search --explain` shows it."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudsift import run
from cloudsift.errors import QueryError
from cloudsift.query import ast
from cloudsift.query.parser import parse_query
from cloudsift.store.base import Store
from tests.estate import frame, lines, node
from tests.query.strategies import aggregates, merge_queries, queries

ROUND_TRIP = settings(
    max_examples=int(os.environ.get("CLOUDSIFT_EXAMPLES", "300")),
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow],
)


@ROUND_TRIP
@given(query=st.one_of(queries(), merge_queries()), spec=st.one_of(st.none(), aggregates))
def test_canonical_text_parses_to_the_same_query(query: ast.Query, spec: ast.Aggregate | None) -> None:
    text = str(ast.Query(query.parts, query.navigations, spec))
    parsed = parse_query(text)
    assert str(parsed) == text
    assert parse_query(str(parsed)) == parsed


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("search is(volume)", "is(volume)"),
        ("  search   is(volume) and name == a", "is(volume) and name == a"),
        ("search aggregate(kind: sum(1) as n): is(volume)", "aggregate(kind: sum(1) as n): is(volume)"),
        ("search", ""),
        ("search == x", "search==x"),  # a property named search
        ("search all == 1", "search all == 1"),
    ],
)
def test_a_search_prefix_is_tolerated(text: str, same_as: str) -> None:
    assert parse_query(text) == parse_query(same_as)


def test_an_error_after_the_prefix_points_into_the_whole_text() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("search is(volume) andd x")
    assert caught.value.position == 18


def test_search_explain_shows_the_canonical_query_and_its_sql(store: Store) -> None:
    nodes, edges = frame()
    nodes.append(node("vol-1", "aws_ec2_volume", volume_size=10))
    edges.append(("reg", "vol-1", "default"))
    store.import_lines(lines(nodes, edges), replace=True)
    shown = run("search --explain search is(volume)   and volume_size>5 sort name", store)
    assert shown[0] == "query: is(volume) and volume_size > 5 sort name asc"
    assert shown[1].startswith(f"sql ({store.dialect.name}): ") and "SELECT" in shown[1]
    assert "'aws_ec2_volume'" in shown[2] and "5" in shown[2]
    assert run("search search is(volume) | count", store)[0] == "total matched: 1"
    assert run("search --explain aggregate(kind: sum(1) as n): all", store)[0].startswith("query: aggregate(")
