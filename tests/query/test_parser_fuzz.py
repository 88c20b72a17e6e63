"""The parser and binder never crash: random token sequences and random text give results or QueryErrors."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudsift.errors import QueryError
from cloudsift.query.binder import bind
from cloudsift.query.parser import parse_query
from cloudsift.store.sql.compiler import QueryCompiler
from cloudsift.store.sql.duckdb_dialect import DuckDBDialect
from cloudsift.store.sql.postgres_dialect import PostgresDialect
from tests.query.strategies import NOW

FUZZ = settings(
    max_examples=int(os.environ.get("CLOUDSIFT_EXAMPLES", "300")),
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow],
)
TOKENS = [
    "is(", "id(", "has_key(", "in_subnet(", "aggregate(", "with(", "with_usage(", "(", ")", "[", "]", "{", "}",
    "[*]", "[]", "[0]", ".", ",", ":", ".{", "`a.b`", "/", "/ancestors.", "/reported.", "reported.", "#tag",
    "and", "or", "not", "all", "any", "none", "in", "not in", "sort", "limit", "asc", "desc", "as", "reversed",
    "empty", "count", "true", "false", "null", "==", "=", "!=", "<", "<=", ">", ">=", "=~", "~", "!~",
    "-->", "<--", "<-->", "-[1:2]->", "<-[0:]-", "-delete->", "<-default[1:]default->", "-{a == 1}->",
    "name", "ctime", "age", "tags", "tags.owner", "group_ip_permissions", "ip_protocol", "account", "x_extra",
    "aws_ec2_security_group", "volume", "sum(", "min(", "1", "-1", "2.5", "1e400", "99999999999999999999",
    "3d", "-99999999999d", '"a"', '"\\\\"', '"\\1"', '"(a*)*\\1b"', '"', "'", "\\", "\x00", "\x1b[31m",
    "\n", "\t", " ", "0.0.0.0/0", "2021-12-09", "é", "search",
]  # fmt: skip
token_queries = st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join)
glued_queries = st.lists(st.sampled_from(TOKENS), max_size=14).map("".join)
any_text = st.text(max_size=40)
grammar_text = st.text(alphabet='is()[]{}*.,:=!<>~-"\\ /`#abcn01dlw_', max_size=40)


def _run(text: str) -> None:
    try:
        bound = bind(parse_query(text), extra={"x_extra"}, now=NOW, text=text)
    except QueryError as e:
        assert e.position is None or 0 <= e.position <= len(text), (e.position, len(text), e.message)
        assert e.message
        return
    for dialect in (DuckDBDialect(), PostgresDialect()):
        compiler = QueryCompiler(dialect)
        if bound.aggregate is not None:
            compiler.aggregate(bound, bound.aggregate)
        else:
            compiler.search(bound)


@FUZZ
@given(text=st.one_of(token_queries, glued_queries))
def test_random_token_sequences_give_only_query_errors(text: str) -> None:
    _run(text)


@FUZZ
@given(text=st.one_of(any_text, grammar_text))
def test_random_text_gives_only_query_errors(text: str) -> None:
    _run(text)
