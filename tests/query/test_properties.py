"""Every SQL engine returns exactly what the reference evaluator returns, on generated data and queries."""

from __future__ import annotations

import math
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudsift.errors import QueryError
from cloudsift.query import ast, reference
from cloudsift.query.binder import bind
from cloudsift.query.parser import parse_query
from cloudsift.store.base import Store
from tests.estate import Edge, lines, reference_graph, reference_ids
from tests.query.strategies import NOW, aggregates, estates, merge_queries, queries

EXTRA = {"x_extra"}
SETTINGS = settings(
    max_examples=int(os.environ.get("CLOUDSIFT_EXAMPLES", "120")),
    deadline=None,
    derandomize=os.environ.get("CI") == "true",  # CI replays the same examples; local runs explore new ones
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _load(engines: dict[str, Store], estate: tuple[list[dict[str, Any]], list[Edge]]) -> reference.Graph:
    nodes, edges = estate
    for store in engines.values():
        store.import_lines(lines(nodes, edges), replace=True)
    return reference_graph(nodes, edges)


def _bind(query: ast.Query) -> Any:
    text = str(query)
    parsed = parse_query(text)
    assert str(parsed) == text  # the canonical text is a fixpoint of parse and print
    try:
        return bind(parsed, extra=EXTRA, now=NOW, text=text)
    except QueryError:
        return None


@SETTINGS
@given(estate=estates(), generated=st.lists(st.one_of(queries(), merge_queries()), min_size=1, max_size=4))
def test_search_matches_reference(engines: dict[str, Store], estate: Any, generated: list[ast.Query]) -> None:
    graph = _load(engines, estate)
    for query in generated:
        bound = _bind(query)
        if bound is None:
            continue
        expected = reference_ids(bound, graph)
        for name, store in engines.items():
            assert [d["id"] for d in store.search(bound)] == expected, f"{name}: {bound.text}"


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9)
    return bool(a == b)


@SETTINGS
@given(estate=estates(), spec=aggregates, query=queries())
def test_aggregate_matches_reference(
    engines: dict[str, Store], estate: Any, spec: ast.Aggregate, query: ast.Query
) -> None:
    graph = _load(engines, estate)
    bound = _bind(ast.Query(query.parts, query.navigations, spec))
    if bound is None:
        return
    assert bound.aggregate is not None
    expected = reference.aggregate(bound.aggregate, reference.search(bound, graph))
    for name, store in engines.items():
        got = store.aggregate(bound)
        assert len(got) == len(expected), f"{name}: {bound.text}"
        for row, want in zip(got, expected, strict=True):
            assert row.get("group") == want.get("group"), f"{name}: {bound.text}"
            for key in want:
                if key != "group":
                    assert _close(row[key], want[key]), (
                        f"{name}: {bound.text}: {key} {row[key]} != {want[key]}"
                    )


@pytest.mark.parametrize("text", ["x_extra[*].a == 1 and not x_extra.b == null", 'x_extra != "a"'])
def test_untyped_properties_stay_searchable(engines: dict[str, Store], text: str) -> None:
    from tests.estate import frame, node

    nodes, edges = frame()
    nodes.append(node("n1", "aws_ec2_volume", x_extra=[{"a": 1}, {"a": "1"}]))
    edges.append(("reg", "n1", "default"))
    graph = _load(engines, (nodes, edges))
    bound = bind(parse_query(text), extra=EXTRA, now=NOW)
    for store in engines.values():
        assert [d["id"] for d in store.search(bound)] == reference_ids(bound, graph)


def test_model_untyped_properties_bind_on_a_store_that_never_saw_them(engines: dict[str, Store]) -> None:
    # a policy document is kept as AWS wrote it: a job or a check may name it before the first collection
    text = 'is(aws_iam_policy) and policy_document.Statement[*].{Effect == Allow and Action == "*"}'
    for store in engines.values():
        assert "policy_document" not in store.extra_properties()
        assert list(store.search(store.bind(text))) == []
    with pytest.raises(QueryError, match="unknown property"):
        bind(parse_query("is(aws_iam_policy) and policy_documents.Statement == null"))
