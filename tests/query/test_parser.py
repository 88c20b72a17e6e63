"""Parsing: canonical text round-trips, errors point at the character and say what was expected."""

from __future__ import annotations

import pytest

from cloudsift.errors import QueryError
from cloudsift.query import ast
from cloudsift.query.binder import bind
from cloudsift.query.parser import parse_query
from tests.query.test_golden import CASES, SEED


@pytest.mark.parametrize(
    "text",
    [c[0] for c in CASES]
    + [
        "aggregate(kind, /ancestors.region.reported.name as region: sum(1) as count): is(volume)",
        "tags.`app.kubernetes.io/name` == x",
        "a[*].{b[*].{c == 1} and d == 2}",
        "is(a) <-default,delete[1:]- all",
        'x in [1, 2.5, null, "a b"]',
        "ctime > 2021-12-09",
        "",
    ],
)
def test_canonical_text_round_trips(text: str) -> None:
    query = parse_query(text)
    assert parse_query(str(query)) == query
    assert str(parse_query(str(query))) == str(query)


def test_no_precedence_terms_fold_left() -> None:
    query = parse_query("a == 1 or b == 2 and c == 3")
    term = query.parts[0].term
    assert isinstance(term, ast.CombinedTerm) and term.op == "and"
    assert isinstance(term.left, ast.CombinedTerm) and term.left.op == "or"


def test_not_binds_to_the_next_term_only() -> None:
    term = parse_query("not a == 1 and b == 2").parts[0].term
    assert isinstance(term, ast.CombinedTerm) and isinstance(term.left, ast.NotTerm)


def test_values_keep_their_written_form() -> None:
    predicate = parse_query("ip_protocol = -1").parts[0].term
    assert isinstance(predicate, ast.Predicate)
    assert predicate.value == -1 and predicate.raw == "-1" and predicate.op == "=="
    bound = bind(parse_query("group_ip_permissions[*].ip_protocol = -1")).parts[0].term
    assert bound.value == "-1"  # type: ignore[union-attr]
    duration = parse_query("ctime > -3d4h").parts[0].term
    assert isinstance(duration, ast.Predicate) and duration.value == ast.Duration(
        -(3 * 86400 + 4 * 3600), "-3d4h"
    )


def test_seed_query_parses_into_a_context_term() -> None:
    term = parse_query(SEED).parts[0].term
    assert isinstance(term, ast.CombinedTerm) and isinstance(term.right, ast.ContextTerm)
    assert str(term.right.path) == "group_ip_permissions[*]"


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("name == ", 8, "unexpected end of the query"),
        ("is(x) and (a == 1", 17, "expected ')'"),
        ("a = = 1", 4, "unexpected '='"),
        ("a == 1 andd b == 2", 7, "unexpected 'andd'"),
        ("foo", 0, "expected an operator after foo"),
        ("is(a) --- is(b)", 8, "unexpected '-'"),
        ("a[*].{b == 1", 12, "expected"),
    ],
)
def test_parse_errors_point_at_the_character(text: str, position: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert caught.value.position == position
    assert message in caught.value.message
    rendered = caught.value.render().splitlines()
    assert rendered[1] == f"  {text}" and rendered[2] == "  " + " " * position + "^"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "is(aws_ec2_securty_group)",
            "unknown kind 'aws_ec2_securty_group'. Did you mean 'aws_ec2_security_group'?",
        ),
        ("grup_ip_permissions[*].ip_protocol == tcp", "Did you mean 'group_ip_permissions'?"),
        ("group_ip_permissions.ip_protocol == tcp", "is a list: write group_ip_permissions[*].ip_protocol"),
        ("group_ip_permissions[*].{ip_protcol == tcp}", "Did you mean 'ip_protocol'?"),
        ("instance_cores > abc", "expected a number"),
        (
            "is(aws_cloudwatch_log_group) and group_retention_in_days < 365d",
            "365d is a duration but this property is a number: write the number in the property's unit, e.g. 365 "
            "for 365d if it counts days",
        ),
        (
            'volume_size > "12h"',
            "12h is a duration but this property is a number: write the number in the property's unit (Fix",
        ),
        ("ctime > yesterday", "expected a date/time"),
        ('name =~ "("', "invalid regular expression"),
        # Fix's ~"*" and its CloudTrail patterns' stray parenthesis, which ArangoDB refuses too: what to write.
        ('name ~ "*"', "nothing to repeat at position 0; to match a literal *, write \\*"),
        ('name ~ "a+*"', "multiple repeat at position 2; to match a literal *, write \\*"),
        (
            'name ~ "x.+a))b"',
            "unbalanced parenthesis at position 4; to match a literal ), write \\), or remove",
        ),
        ('name ~ "(a"', "unterminated subpattern at position 0; to match a literal (, write \\(, or close"),
        ("name < null", "null compares only with == and !="),
        ("name == [a, b]", "needs `in`"),
        ("tags == x", "can only be compared with null"),
        ("name.{a == 1}", "name holds string values; {...} needs objects"),
        ("group_ip_permissions.{ip_protocol == tcp}", "is a list: write group_ip_permissions[*].{...}"),
        ("account.{id == 1}", "needs objects"),
    ],
)
def test_bind_errors_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        bind(parse_query(text), text=text)
    assert message in caught.value.message


EDGE_FILTERS = [
    "",
    "{foo == bar}",
    "{foo == bar and bla > 23}",
    "{(foo == bar and bla > 23) or  boo < 42}",
    "{permissions[*].{level=read and scope[*].source=resource}}",
]


@pytest.mark.parametrize("edge_type", ["", "default", "delete", "iam"])
@pytest.mark.parametrize("depth", ["", "[1]", "[1:2]", "[1:]"])
@pytest.mark.parametrize("edge_filter", EDGE_FILTERS)
def test_every_navigation_fix_reads_parses_and_round_trips(
    edge_type: str, depth: str, edge_filter: str
) -> None:
    # Fix's own matrix (query_parser_test.test_navigation_filter): out, in, both, both naming both sides
    for navigation in (
        f"-{edge_type}{depth}{edge_filter}->",
        f"<-{edge_type}{depth}{edge_filter}-",
        f"<-{edge_type}{depth}{edge_filter}->",
        f"<-{edge_type}{depth}{edge_filter}{edge_type}->",
    ):
        query = parse_query(f"is(instance) {navigation} is(volume)")
        (parsed,) = query.navigations
        assert (parsed.edge_filter is not None) == bool(edge_filter)
        assert parsed.edge_types == ((edge_type or "default"),)
        assert parse_query(str(query)) == query, navigation
        bind(query)


def test_two_way_navigations_name_each_side() -> None:
    (navigation,) = parse_query("all <-default[1:]delete-> all").navigations
    assert (navigation.edge_types, navigation.out_edge_types, navigation.until) == (
        ("default",),
        ("delete",),
        None,
    )
    assert str(navigation) == "<-[1:]delete->"
    assert parse_query("all <-default[1:]default-> all") == parse_query("all <-[1:]-> all")
    assert parse_query("all -[2]delete-> all") == parse_query("all -delete[2]-> all")
    assert str(parse_query("all <-delete[1]default-> all")) == "all <-delete[1]default-> all"


def test_fix_part_options_are_read() -> None:
    query = parse_query("with_usage(2w::1w, [cpu, mem]) is(volume) #red sort name limit 2 reversed")
    part = query.parts[0]
    assert part.with_usage == ast.WithUsage("2w", "1w", ("cpu", "mem")) and part.tag == "red"
    assert part.reverse and part.limit == ast.Limit(2)
    assert parse_query("id(4_0)").parts[0].term == ast.IdTerm(("4_0",))
    preamble = parse_query('(edge_type=delete): id("root") -[0:1]-> all with(any, <-- all)')
    assert preamble == parse_query('id("root") -delete[0:1]-> all with(any, <-delete- all)')
    assert parse_query("aggregate(kind: sum(1))(edge_type=delete): all -->").navigations[0].edge_types == (
        "delete",
    )


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        # the inward side names nothing: the preamble's; the outward side names nothing: the inward side's
        ("(edge_type=iam): all <-[1]delete-> all", "all <-iam[1]delete-> all"),
        ("(edge_type=iam): all <-[1:]default-> all", "all <-iam[1:]default-> all"),
        ("(edge_type=iam): all <-{a == null}delete-> all", "all <-iam[1]{a == null}delete-> all"),
        ("(edge_type=iam): all <-delete[1:]-> all", "all <-delete[1:]delete-> all"),
        ("(edge_type=iam): all <-default[1]delete-> all", "all <-default[1]delete-> all"),
        ("(edge_type=iam): all <--> all", "all <-iam[1]iam-> all"),
        ("(edge_type=delete): all <-[1]delete-> all", "all <-delete-> all"),
        ("(edge_type=delete): all with(any, <-[2]default-> all)", "all with(any, <-delete[2]default-> all)"),
    ],
)
def test_the_preamble_fills_the_unnamed_side_of_a_two_way_navigation(text: str, same_as: str) -> None:
    assert parse_query(text) == parse_query(same_as)
    assert parse_query(str(parse_query(text))) == parse_query(text)


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        # as in Fix: the top level's navigations and with() traversals (nested too), not a merge's query
        ("(edge_type=delete): all {a: --> all} -->", "all {a: --> all} -delete->"),
        ("(edge_type=delete): all {a[]: <-[1:]- with(any, -->)}", "all {a[]: <-[1:]- with(any, -->)}"),
        (
            "(edge_type=delete): all {a: {b: -->} --> all} with(any, --> with(empty, <--))",
            "all {a: {b: -->} --> all} with(any, -delete-> with(empty, <-delete-))",
        ),
    ],
)
def test_the_preamble_stays_out_of_merges(text: str, same_as: str) -> None:
    assert parse_query(text) == parse_query(same_as)
    assert str(parse_query(text)) == str(parse_query(same_as))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("all -cloud-> all", "unknown edge type 'cloud'; known: default, delete, iam"),
        ("all -delete[1]default-> all", "names its edge types before or after [start:until], not both"),
        ("all -[2:1]{a == 1}-> all", "ends before it starts"),
        ("all -{a == 1}- all", "a navigation needs a direction"),
        ("all -{is(volume)}-> all", "only predicates combine"),
        ("all -{/reported.a == 1}-> all", "an edge filter's paths are relative to the edge"),
    ],
)
def test_bad_navigations_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        bind(parse_query(text), text=text)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # a dash too many: Fix refuses these too (it reads <-- and then delete->); the error says what is meant
        ("is(volume) <--delete-> all", "write <-delete-> (delete edges both ways) or <-[1]delete-> (default"),
        ("is(volume) <-delete--> all", "or <-delete[1]default-> (delete edges inwards, default outwards)"),
        (
            "is(volume) --delete-> all",
            "--delete-> is not a navigation: its edge types go between single dashes",
        ),
        ("is(volume) -delete,iam--> all", "write -delete,iam->"),
        ("is(volume) <--[2:]iam- all", "write <-[2:]iam-"),
        ("is(volume) with(any, <--delete-> all)", "write <-delete->"),
        ("is(volume) {a: <--delete- all}", "write <-delete-"),
    ],
)
def test_a_navigation_with_a_dash_too_many_says_what_it_means(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message in caught.value.message
    assert caught.value.position == text.index("-") - (1 if text[text.index("-") - 1] == "<" else 0)


def test_a_dash_before_the_next_navigation_stays_two_navigations() -> None:
    # as in Fix: <-delete- then --> (an empty part between them), and <-- then a term
    assert str(parse_query("all <-delete---> all")) == "all <-delete- --> all"
    assert str(parse_query("all <--is(volume)")) == "all <-- is(volume)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(merge_with_ancestors=account): all", "merge_with_ancestors is not supported in a query preamble"),
        ("(edge_type=cloud): all", "unknown edge type 'cloud'"),
        ("with_usage(3x, cpu) all", "with_usage() takes a duration"),
        ("name =~ foo.*", 'in quotes: name =~ "^web.*"'),
        ("is(volume) #red --> all", "a tag (#red) on a part before a navigation is not supported"),
        ("tags == []", "never a list"),
        ("x == [1]", "needs `in` or `not in`"),
        ("x in [null, [], a]", "cannot mix [] or {}"),
        ("bucket_public_access_block_configuration == {}", "fixed properties"),
        ("x < []", "compare only with ==, !=, in and not in"),
        (
            "/metadata.descendant_summary == null",
            "write /metadata.descendant_count or /metadata.descendant_summary",
        ),
        ("aggregate(sum(x[*].b * 2)): all", "a path through a list (x[*].b) is not allowed in arithmetic"),
        ("aggregate(sum(group_ip_permissions[*])): all", "sum() needs one value per node or element"),
    ],
)
def test_fix_constructs_refused_name_the_reason(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        bind(parse_query(text), extra={"x"}, text=text)
    assert message in caught.value.message


def test_an_unquoted_pattern_is_the_text_as_written() -> None:
    bound = bind(parse_query("db_version~11")).parts[0].term
    assert bound.op == "=~" and bound.value == "11"  # type: ignore[union-attr]
    assert bind(parse_query("name =~ 1.10")).parts[0].term.value == "1.10"  # type: ignore[union-attr]


@pytest.mark.parametrize("pattern", [r"\*", r"x.+a\)b", r"\(a"])
def test_the_pattern_an_invalid_regex_error_suggests_binds(pattern: str) -> None:
    text = f'name ~ "{pattern}"'
    assert bind(parse_query(text), text=text) is not None
