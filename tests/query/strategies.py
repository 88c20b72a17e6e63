"""Hypothesis strategies: node documents shaped like the model (and beyond it), and queries from the grammar."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from hypothesis import strategies as st

from cloudsift.query import ast
from cloudsift.query.ast import Duration, Path
from tests.estate import Edge, frame, node

ALPHABET = 'aAbBzZ-_. 0/:éÉü中\\"\n'
WORDS = [
    "-1",
    "tcp",
    "udp",
    "0.0.0.0/0",
    "10.0.0.0/8",
    "alice",
    "Bob",
    "bob",
    "Web",
    "é",
    "",
    "10.1.2.3",
    "a",
]
DATES = ["2020-01-01T00:00:00Z", "2026-11-27T10:00:00Z", "2026-06-01T00:00:00+02:00", "2026-11-28T11:59:00Z"]
KINDS = ["aws_ec2_security_group", "aws_ec2_instance", "aws_ec2_volume", "aws_s3_bucket"]

texts = st.one_of(st.sampled_from(WORDS), st.text(ALPHABET, max_size=4))
maybe = st.none
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 30), st.sampled_from([0.5, 2.5, -1.0, 22.0]), texts
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)
    ),
    max_leaves=6,
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(_MISSING), st.none(), strategy)


_MISSING = object()


def _fields(**strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({k: optional(v) for k, v in strategies.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not _MISSING}
    )


ip_range = _fields(cidr_ip=st.sampled_from(["0.0.0.0/0", "10.0.0.0/8", "a"]), description=texts)
ipv6_range = _fields(cidr_ipv6=st.sampled_from(["::/0", "fe80::/10"]))
permission = _fields(
    ip_protocol=st.sampled_from(["-1", "tcp", "udp"]),
    from_port=st.sampled_from([0, 22, 443]),
    ip_ranges=st.lists(ip_range, max_size=2),
    ipv6_ranges=st.lists(ipv6_range, max_size=2),
)
common = {
    "name": texts,
    "ctime": st.sampled_from(DATES),
    "tags": st.dictionaries(st.sampled_from(["owner", "app"]), texts, max_size=2),
    "x_extra": json_values,
}
resources = {
    "aws_ec2_security_group": _fields(
        group_ip_permissions=st.lists(permission, max_size=3), description=texts, **common
    ),
    "aws_ec2_instance": _fields(
        instance_cores=st.sampled_from([1, 2.5, 16.0]),
        instance_type=texts,
        instance_private_ip_address=st.sampled_from(["10.1.2.3", "192.168.0.1", "10.0.0.256", "x"]),
        **common,
    ),
    "aws_ec2_volume": _fields(volume_size=st.integers(0, 500), volume_encrypted=st.booleans(), **common),
    "aws_s3_bucket": _fields(
        bucket_public_access_block_configuration=_fields(
            block_public_acls=st.booleans(), ignore_public_acls=st.booleans()
        ),
        **common,
    ),
}


@st.composite
def estates(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[Edge]]:
    nodes, edges = frame()
    count = draw(st.integers(0, 9))
    for i in range(count):
        kind = draw(st.sampled_from(KINDS))
        reported = draw(resources[kind])
        doc = node(f"n{i}", kind)
        doc["reported"].pop("name")
        doc["reported"].update(reported)
        nodes.append(doc)
        edges.append(("reg", f"n{i}", "default"))
    for _ in range(draw(st.integers(0, 6)) if count > 1 else 0):
        a, b = sorted(draw(st.lists(st.integers(0, count - 1), min_size=2, max_size=2, unique=True)))
        edge = (f"n{a}", f"n{b}", draw(st.sampled_from(["default", "delete"])))
        if edge not in edges:
            edges.append(edge)
    return nodes, edges


# ---- queries

Values = st.SearchStrategy[Any]
string_values: Values = texts
number_values: Values = st.sampled_from([0, 1, 2, 2.5, 16, 22, 443, -1, 100])
date_values: Values = st.one_of(
    st.sampled_from(DATES),
    st.sampled_from(["-1d", "-3d", "-400d", "1d", "-5h"]).map(_duration := (lambda t: t)),
)
PATHS: list[tuple[str, Values]] = [
    ("name", string_values),
    ("instance_type", string_values),
    ("instance_cores", number_values),
    ("volume_size", number_values),
    ("volume_encrypted", st.booleans()),
    ("ctime", date_values),
    ("tags.owner", string_values),
    ("group_ip_permissions[*].ip_protocol", string_values),
    ("group_ip_permissions[*].from_port", number_values),
    ("group_ip_permissions[*].ip_ranges[*].cidr_ip", string_values),
    ("group_ip_permissions[0].ip_protocol", string_values),
    ("x_extra", json_scalars),
    ("x_extra.a", json_scalars),
    ("x_extra[*].a", json_scalars),
    ("x_extra[*]", json_scalars),  # a scalar is a list of itself
    ("/metadata.descendant_count", st.integers(0, 12)),  # of clouds, accounts, regions: all the rest null
    ("/metadata.descendant_summary.aws_ec2_volume", st.integers(0, 3)),
    ("x_extra[1]", json_scalars),
    ("account.name", string_values),
    ("/kinds", st.sampled_from(["resource", "volume", "aws_ec2_instance"])),
    ("/id", st.sampled_from(["n1", "n2", "reg"])),
    ("kind", st.sampled_from(KINDS)),
    # ancestors of any kind: the nearest up the default edges, by an implied merge
    ("/ancestors.aws_ec2_instance.reported.instance_cores", number_values),
    ("/ancestors.security_group.reported.name", string_values),
    ("ancestors.resource.reported.tags.owner", string_values),
    (
        "/ancestors.aws_s3_bucket.reported.bucket_public_access_block_configuration.block_public_acls",
        st.booleans(),
    ),
    # Fix's sections that nothing fills: null everywhere
    ("/metadata.cleaned", st.booleans()),
    ("/usage.cpu[*].avg", number_values),
]
ELEMENT_PATHS: list[tuple[str, Values]] = [
    ("ip_protocol", string_values),
    ("from_port", number_values),
    ("ip_ranges[*].cidr_ip", string_values),
]
REGEXES = ["^a", "b$", "A.c", "[0-9]+", "tcp|udp", "é", "^$", "0/0"]
ORDER_OPS = ["<", "<=", ">", ">="]


def _literal(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "-1" and value[-1:] in "dh" and value[1:-1].isdigit():
        from cloudsift.query.parser import parse_duration

        duration = parse_duration(value)
        return duration if duration is not None else value
    return value


@st.composite
def predicates(draw: st.DrawFn, paths: list[tuple[str, Values]] = PATHS) -> ast.Term:
    text, values = draw(st.sampled_from(paths))
    path = Path.of(text)
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "=~", "!~", "in", "not in"]))
    modifier = draw(st.sampled_from([None, None, "any", "all", "none"]))
    if op in ("=~", "!~"):
        value: Any = draw(st.sampled_from(REGEXES))
    elif op in ("in", "not in"):
        value = tuple(_literal(v) for v in draw(st.lists(st.one_of(values, st.none()), max_size=3)))
    else:
        value = _literal(draw(values))
        if value is None and op in ORDER_OPS:
            op = "=="
    if isinstance(value, Duration) and text != "ctime":
        value = value.text
    if isinstance(value, list | dict):
        value = None
    return ast.Predicate(path, op, value, modifier)  # type: ignore[arg-type]


# the whole value compared with [] or {}: lists, maps and untyped JSON, at the node and in elements
EMPTY_PATHS = [
    ("group_ip_permissions", [()]), ("group_ip_permissions[*].ip_ranges", [()]), ("tags", [{}]),
    ("x_extra", [(), {}]), ("x_extra.a", [(), {}]), ("x_extra[*]", [(), {}]), ("/kinds", [()]),
    ("bucket_public_access_block_configuration.block_public_acls", [()]),  # refused: a bool is never []
]  # fmt: skip


@st.composite
def empty_predicates(draw: st.DrawFn) -> ast.Term:
    text, empties = draw(st.sampled_from(EMPTY_PATHS))
    op = draw(st.sampled_from(["==", "!=", "in", "not in"]))
    modifier = draw(st.sampled_from([None, None, "all", "none"]))
    if op in ("in", "not in"):
        value: Any = tuple(draw(st.lists(st.sampled_from([None, *empties]), min_size=1, max_size=3)))
        if all(v is None for v in value):
            value = (*value, empties[0])
    else:
        value = draw(st.sampled_from(empties))
    return ast.Predicate(Path.of(text), op, value, modifier)  # type: ignore[arg-type]


# unquoted patterns: the word as written, numbers included (db_version =~ 11)
UNQUOTED_PATTERNS = ["11", "2.5", "0/0", "tcp", "a-b", "-1", "1d"]


@st.composite
def unquoted_regexes(draw: st.DrawFn) -> ast.Term:
    from cloudsift.query.parser import word_value

    text = draw(st.sampled_from(["name", "instance_type", "group_ip_permissions[*].ip_protocol", "x_extra"]))
    word = draw(st.sampled_from(UNQUOTED_PATTERNS))
    op = draw(st.sampled_from(["=~", "!~"]))
    return ast.Predicate(Path.of(text), op, word_value(word), None, word)  # type: ignore[arg-type]


def _combine(children: st.SearchStrategy[ast.Term]) -> st.SearchStrategy[ast.Term]:
    return st.one_of(
        children.map(ast.NotTerm),
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: ast.CombinedTerm(*t)),
    )


BLOCK_PATHS: list[tuple[str, Values]] = [
    ("block_public_acls", st.booleans()),
    ("ignore_public_acls", st.booleans()),
]
element_terms = st.recursive(
    st.one_of(
        predicates(ELEMENT_PATHS),
        predicates([("cidr_ip", string_values)]).map(lambda p: ast.ContextTerm(Path.of("ip_ranges[*]"), p)),
        predicates([("cidr_ip", string_values)]).map(lambda p: ast.ContextTerm(Path.of("ip_ranges[0]"), p)),
    ),
    _combine,
    max_leaves=3,
)
simple_terms = st.one_of(
    predicates(),
    predicates(),
    empty_predicates(),
    unquoted_regexes(),
    element_terms.map(lambda t: ast.ContextTerm(Path.of("group_ip_permissions[*]"), t)),
    predicates([("a", json_scalars)]).map(lambda p: ast.ContextTerm(Path.of("x_extra[*]"), p)),
    # object contexts: a struct of the model, untyped JSON, an indexed element
    st.recursive(predicates(BLOCK_PATHS), _combine, max_leaves=3).map(
        lambda t: ast.ContextTerm(Path.of("bucket_public_access_block_configuration"), t)
    ),
    st.recursive(predicates([("a", json_scalars), ("b", json_scalars)]), _combine, max_leaves=3).map(
        lambda t: ast.ContextTerm(Path.of("x_extra"), t)
    ),
    element_terms.map(lambda t: ast.ContextTerm(Path.of("group_ip_permissions[0]"), t)),
    st.sampled_from(["security_group", "aws_ec2_instance", "volume", "resource", "aws_region"]).map(
        lambda k: ast.IsTerm((k,))
    ),
    st.sampled_from(["bob", "É", "0/0", "a", "tcp"]).map(ast.FullTextTerm),
    st.sampled_from([("tags", ("owner",)), ("tags", ("owner", "app")), ("x_extra", ("a",))]).map(
        lambda t: ast.FunctionTerm("has_key", Path.of(t[0]), t[1])
    ),
    st.sampled_from(["10.0.0.0/8", "10.1.2.0/24", "0.0.0.0/0"]).map(
        lambda n: ast.FunctionTerm("in_subnet", Path.of("instance_private_ip_address"), (n,))
    ),
    st.just(ast.AllTerm()),
)
terms = st.recursive(simple_terms, _combine, max_leaves=5)
EDGE_TYPE_SETS: list[tuple[str, ...]] = [("default",), ("delete",), ("default", "delete"), ("iam",)]
# edge filters: the edges carry no properties, so each filter keeps every edge or none
edge_filters = st.one_of(
    st.none(),
    st.none(),
    st.recursive(predicates([("foo", json_scalars), ("a.b", json_scalars)]), _combine, max_leaves=2),
)


def _navigation(
    start: int,
    span: int | None,
    edges: tuple[str, ...],
    direction: ast.Direction,
    outwards: tuple[str, ...] | None,
    edge_filter: ast.Term | None,
) -> ast.Navigation:
    if direction != "inout" or outwards == edges:
        outwards = None  # as the parser reads it: <-default[1:]default-> is <-[1:]->
    return ast.Navigation(
        start, None if span is None else start + span, edges, direction, outwards, edge_filter
    )


navigations = st.builds(
    _navigation,
    st.integers(0, 2),
    st.one_of(st.none(), st.integers(0, 2)),
    st.sampled_from(EDGE_TYPE_SETS),
    st.sampled_from(["out", "in", "inout"]),
    st.one_of(st.none(), st.sampled_from(EDGE_TYPE_SETS)),
    edge_filters,
)


def _with_clauses(nested: st.SearchStrategy[ast.WithClause | None]) -> st.SearchStrategy[ast.WithClause]:
    return st.builds(
        lambda kind, navigation, term, count, inner: ast.WithClause(
            kind, navigation, term, ">=" if kind == "count" else ">", count if kind == "count" else 0, inner
        ),
        st.sampled_from(["empty", "any", "count"]),
        navigations,
        st.one_of(st.none(), simple_terms),
        st.integers(0, 3),
        nested,
    )


# with() nests up to three deep, with a traversal and a filter at each level
with_clauses = _with_clauses(
    st.one_of(st.none(), _with_clauses(st.one_of(st.none(), _with_clauses(st.none()))))
)
SORT_PATHS = [
    "name", "instance_cores", "ctime", "volume_size", "x_extra", "account.name", "volume_encrypted",
    "/ancestors.aws_ec2_instance.reported.name", "/metadata.descendant_count",
]  # fmt: skip
sorts = st.lists(
    st.builds(ast.SortItem, st.sampled_from(SORT_PATHS).map(Path.of), st.sampled_from(["asc", "desc"])),
    max_size=2,
).map(tuple)
limits = st.one_of(st.none(), st.builds(ast.Limit, st.integers(0, 4), st.integers(0, 2)))
usages = st.one_of(
    st.none(),
    st.sampled_from([ast.WithUsage("3d", None, ("cpu",)), ast.WithUsage("2w", "1w", ("cpu", "mem-x"))]),
)
parts = st.builds(
    ast.Part,
    st.one_of(st.none(), terms),
    st.one_of(st.none(), st.none(), with_clauses),
    sorts,
    limits,
    reverse=st.booleans(),
    with_usage=usages,
)


@st.composite
def queries(draw: st.DrawFn) -> ast.Query:
    count = draw(st.integers(1, 2))
    chosen = [draw(parts) for _ in range(count)]
    # a tag only marks the last part (on an earlier one Fix adds its nodes to the result: refused)
    chosen[-1] = dataclasses.replace(chosen[-1], tag=draw(st.sampled_from([None, None, "red", "4_x"])))
    return ast.Query(tuple(chosen), tuple(draw(navigations) for _ in range(count - 1)))


def _group(text: str) -> Path | ast.Template:
    """A group path, or a template ("…{path}…") with its text around the paths."""
    if not text.startswith('"'):
        return Path.of(text)
    pieces = text[1:-1].replace("}", "{").split("{")
    return ast.Template(tuple(Path.of(p) if i % 2 else p for i, p in enumerate(pieces) if p))


GROUPS = [
    "kind", "account.name", "instance_type", "volume_encrypted", "x_extra", "not_in_the_model",
    # one group per element; paths through the same list share its element
    "group_ip_permissions[*].ip_protocol", "group_ip_permissions[*].from_port",
    "group_ip_permissions[*].ip_ranges[*].cidr_ip", "x_extra[*].a", "group_ip_permissions[0].ip_protocol",
    "x_extra[*]", '"[{x_extra[*]}]"',  # a scalar is a list of itself: one row
    # templates: text, typed and untyped values, numbers, dates, missing ones
    '"{kind}_{volume_size}"', '"x-{instance_cores}/{volume_encrypted}"', '"{ctime}"', '"é{x_extra}{nope}"',
    '"{group_ip_permissions[*].ip_protocol}:{group_ip_permissions[*].from_port}"',
]  # fmt: skip
aggregates = st.builds(
    ast.Aggregate,
    st.lists(st.sampled_from(GROUPS), max_size=2, unique=True).map(
        lambda ps: tuple(ast.AggregateVariable(_group(p), f"g{i}") for i, p in enumerate(ps))
    ),
    st.lists(
        st.sampled_from(
            [
                ("sum", 1),
                ("count", "volume_size"),
                ("min", "ctime"),
                ("max", "instance_cores"),
                ("avg", "volume_size"),
                ("sum", "volume_size"),
                ("min", "name"),
                # arithmetic (a missing operand is 0, / 0 is null), untyped numbers, outside the model
                ("sum", ast.Arithmetic(Path.of("volume_size"), "*", 1024)),
                ("avg", ast.Arithmetic(Path.of("volume_size"), "+", Path.of("instance_cores"))),
                ("sum", ast.Arithmetic(ast.Arithmetic(Path.of("volume_size"), "%", 7), "-", 2.5)),
                ("max", ast.Arithmetic(Path.of("instance_cores"), "/", Path.of("volume_size"))),
                ("sum", "x_extra"),
                ("count", "x_extra"),
                # through lists: per node (or row) the function of its values, then of those
                ("sum", "group_ip_permissions[*].from_port"),
                ("avg", "group_ip_permissions[*].from_port"),
                ("count", "group_ip_permissions[*].ip_ranges[*].cidr_ip"),
                ("max", "group_ip_permissions[*].ip_ranges[*].cidr_ip"),
                ("avg", "x_extra[*]"),
                ("count", "x_extra[*].a"),
                ("min", "x_extra[*].a"),
                ("sum", "not_in_the_model"),
                ("avg", "not_in_the_model"),
            ]
        ),
        min_size=1,
        max_size=3,
        unique=True,
    ).map(
        lambda fs: tuple(
            ast.AggregateFunction(f, a if isinstance(a, int | ast.Arithmetic) else Path.of(a), f"f{i}")
            for i, (f, a) in enumerate(fs)
        )
    ),
)

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


MERGE_PATHS: list[tuple[str, Values]] = [
    ("reported.volume_size", number_values), ("reported.name", string_values), ("id", st.sampled_from(["n1", "n2"])),
    ("reported.ctime", date_values), ("reported.tags.owner", string_values), ("reported.instance_cores", number_values),
]  # fmt: skip


@st.composite
def merge_parts(draw: st.DrawFn, depth: int = 0) -> ast.Part:
    """A part with a merge whose query may use everything a query can: with(), sort, limit, merges."""
    many = draw(st.booleans())
    inner = st.one_of(parts, merge_parts(depth + 1)) if depth < 1 else parts
    count = draw(st.integers(1, 2))
    nested = ast.Query(
        tuple(draw(inner) for _ in range(count)), tuple(draw(navigations) for _ in range(count - 1))
    )
    name = draw(st.sampled_from(["m", "a.m", "/m"]))  # a merge's name may be a path
    prefix = f"{name}[*]" if many else name
    post_paths = [(f"{prefix}.{p}", v) for p, v in MERGE_PATHS]
    if draw(st.integers(0, 3)) == 0:  # the merge aggregates what it reaches: its rows are a list
        nested = ast.Query(nested.parts, nested.navigations, draw(aggregates))
        post_paths = [
            (f"{name}[*].f0", number_values), (f"{name}[0].f1", number_values), (f"{name}[*].f0", date_values),
            (f"{name}[0].group.g0", string_values), (f"{name}[*].group.g0", number_values), (f"{name}[1].group.g1", st.booleans()),
        ]  # fmt: skip
    post = draw(st.one_of(predicates(post_paths), predicates(post_paths).map(ast.NotTerm)))
    return ast.Part(
        draw(st.one_of(st.none(), simple_terms)),
        None,
        draw(sorts),
        draw(limits),
        (ast.MergeQuery(Path.of(name), many, nested),),
        post,
        reverse=draw(st.booleans()),
    )


@st.composite
def merge_queries(draw: st.DrawFn) -> ast.Query:
    first = draw(st.one_of(merge_parts(), parts))
    if draw(st.booleans()):
        return ast.Query((first,))
    return ast.Query((first, draw(st.one_of(merge_parts(), parts))), (draw(navigations),))
