"""String literals as Fix reads them, and bad input that must be a QueryError with its position, never a crash."""

from __future__ import annotations

from typing import Any

import pytest

from cloudsift.errors import QueryError
from cloudsift.query import ast
from cloudsift.query.binder import bind
from cloudsift.query.parser import MAX_NESTING, parse_query, unquote
from cloudsift.store.base import Store
from tests.estate import frame, lines, node, reference_graph, reference_ids
from tests.query.test_golden import NOW


def _estate() -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    nodes, edges = frame()
    nodes += [
        node("trail-kms", "aws_ec2_volume", filter_pattern="{ ($.eventSource = kms.amazonaws.com) }"),
        node("trail-s3", "aws_ec2_volume", filter_pattern="{ ($.eventSource = s3.amazonaws.com) }"),
        node("quoted", "aws_ec2_volume", name='say "hi"\\now'),
        node("multi", "aws_ec2_volume", name="line one\nline two\ttabbed"),
        node("cidr-private", "aws_ec2_volume", cidr_ip="172.20.0.0/16"),
        node("cidr-public", "aws_ec2_volume", cidr_ip="8.8.8.0/24"),
    ]
    edges += [("reg", n["id"], "default") for n in nodes[3:]]
    return nodes, edges


def _search(store: Store, text: str) -> list[str]:
    nodes, edges = _estate()
    store.import_lines(lines(nodes, edges), replace=True)
    bound = bind(parse_query(text), extra=store.extra_properties(), now=NOW, text=text)
    found = [d["id"] for d in store.search(bound)]
    assert found == reference_ids(bound, reference_graph(nodes, edges))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a backslash before anything but \ " / ' stays: regular expressions pass unchanged
        (r'filter_pattern =~ "\$\.eventSource\s*=\s*kms"', ["trail-kms"]),
        (r'cidr_ip !~ "^(10\.|172\.(1[6-9]|2[0-9]|3[0-1])\.|192\.168\.)"', ["cidr-public"]),
        # \" is a quote and \\ a backslash
        (r'name == "say \"hi\"\\now"', ["quoted"]),
        (r'"\"hi\""', ["quoted"]),
        # a string may span lines and hold tabs
        ('name == "line one\nline two\ttabbed"', ["multi"]),
        ('is(volume) and\n  name =~ "^line"\n  and name =~ "two"', ["multi"]),
        # control characters and ANSI escapes are plain characters that match nothing here
        ('name == "\x1b[31mred\x01"', []),
    ],
)
def test_string_literals_as_fix_reads_them(store: Store, text: str, expected: list[str]) -> None:
    assert sorted(_search(store, text)) == expected


@pytest.mark.parametrize(
    ("token", "value"),
    [
        (r'"a\b"', r"a\b"),
        (r'"\\"', "\\"),
        (r'"\""', '"'),
        (r'"\/\'"', "/'"),
        (r'"\\\d"', "\\\\d"),
        ('"tab\there"', "tab\there"),
    ],
)
def test_unquote_keeps_other_backslashes(token: str, value: str) -> None:
    assert unquote(token) == value


@pytest.mark.parametrize("value", ["a\\b", "\\", 'say "x"', "end\\", "\\\\d", "\\/", "a\nb\x1b[0m", "\\'"])
def test_strings_print_back_to_themselves(value: str) -> None:
    query = ast.Query((ast.Part(ast.Predicate(ast.Path.of("name"), "==", value)),))
    assert parse_query(str(query)) == query


def test_parentheses_alone_do_not_nest(store: Store) -> None:
    assert _search(store, "(" * 300 + "id(quoted)" + ")" * 300) == ["quoted"]


def test_six_hundred_chained_ors_and_mixed_chains_run(store: Store) -> None:
    ors = " or ".join(f"name == n{i}" for i in range(600)) + " or id(quoted)"
    assert _search(store, ors) == ["quoted"]
    mixed = " or ".join(f"name == n{i} and is(volume)" for i in range(1500)) + " or id(multi)"
    assert _search(store, mixed) == ["multi"]


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        ("not " * 500 + "name == a", 4 * MAX_NESTING, "nests deeper than 50 levels"),
        ("(name == a or " * 100 + "name == b" + ")" * 100, 14 * (MAX_NESTING + 1) + 1, "nests deeper"),
        ('name =~ "(a*)*\\1b"', 0, "back-references (\\1) are not supported by every engine"),
        ('name =~ "a(?=b)"', 0, "lookahead"),
        ('name =~ "\\bword"', 0, "\\b"),
        ('name =~ "a{1000}"', 0, "at most 255"),
        ('name =~ "[[:alpha:]]"', 0, "POSIX classes"),
        ("ctime > -99999999999d", 0, "is too long: it reaches outside the years 1 to 9999"),
        ("is(volume) and age > 99999999999d", 15, "is too long: it reaches outside the years 1 to 9999"),
        ("all limit 99999999999999999999999", 10, "too large"),
        ("is(volume) -[1:100]-> all", 11, "at most 64 steps"),
        ('name == "a\x00b"', 8, "NUL"),
    ],
)
def test_bad_literals_are_query_errors_with_positions(text: str, at: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        bind(parse_query(text), now=NOW, text=text)
    assert message in caught.value.message
    assert caught.value.position == at


def test_an_error_shows_control_characters_as_escapes() -> None:
    text = 'name == "\x1b[31m" andd x'
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    rendered = caught.value.render()
    assert "\x1b" not in rendered
    line, caret = rendered.splitlines()[1:]
    assert line == '  name == "\\x1b[31m" andd x' and caret.index("^") == line.index("andd")
