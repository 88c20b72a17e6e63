"""Text to AST: lark (LALR, contextual lexer) plus a transformer that builds frozen nodes."""

from __future__ import annotations

import dataclasses
import pathlib
import re
from functools import cache
from typing import Any

from lark import (
    Lark,
    Token,
    Transformer_NonRecursive,
    Tree,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
    v_args,
)
from lark.exceptions import VisitError

from cloudsift.errors import QueryError
from cloudsift.query.ast import (
    Aggregate,
    AggregateFunction,
    AggregateVariable,
    AllTerm,
    Arithmetic,
    CombinedTerm,
    ContextTerm,
    Duration,
    FullTextTerm,
    FunctionTerm,
    IdTerm,
    IsTerm,
    Limit,
    MergeQuery,
    Navigation,
    NotTerm,
    Operand,
    Part,
    Path,
    Predicate,
    Query,
    Segment,
    SortItem,
    Template,
    Term,
    Value,
    WithClause,
    WithUsage,
    quote,
)
from cloudsift.query.navigation import read_navigation, refuse_malformed
from cloudsift.query.options import split_preamble, usage_clause
from cloudsift.query.parser_cache import cached_parser

_INT = re.compile(r"-?\d+\Z")
_FLOAT = re.compile(r"-?\d+\.\d+([eE][+-]?\d+)?\Z")
_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)(years|year|yr|y|months|month|mo|weeks|week|w|days|day|d|hours|hour|h|minutes|minute|min|m|seconds|second|s)"
)
_DURATION = re.compile(r"[+-]?(" + _DURATION_PART.pattern + r")+\Z")
_UNIT_SECONDS = {
    "y": 365 * 86400,
    "yr": 365 * 86400,
    "year": 365 * 86400,
    "years": 365 * 86400,
    "mo": 31 * 86400,
    "month": 31 * 86400,
    "months": 31 * 86400,
    "w": 7 * 86400,
    "week": 7 * 86400,
    "weeks": 7 * 86400,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "min": 60,
    "m": 60,
    "minute": 60,
    "minutes": 60,
    "s": 1,
    "second": 1,
    "seconds": 1,
}
_TOKEN_NAMES = {
    "NAME": "a property name",
    "BQNAME": "a `quoted` name",
    "STRING": 'a "string"',
    "VALUE_WORD": "a value",
    "INT": "a whole number",
    "OP": "an operator (== != < <= > >= =~ !~ in, not in)",
    "NAV": "a navigation (-->)",
    "NAV_OPEN": "a navigation with an edge filter (-{...}->)",
    "NAV_CLOSE": "the end of the navigation (->, -)",
    "BAD_NAV": "a navigation",
    "MERGE_PREAMBLE": "a preamble ((edge_type=delete):)",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "COMMA": "','",
    "DOT": "'.'",
    "COLON": "':'",
    "AND": "'and'",
    "OR": "'or'",
    "NOT": "'not'",
    "ALL": "'all'",
    "WITH": "'with'",
    "SORT": "'sort'",
    "LIMIT": "'limit'",
    "AS": "'as'",
    "MODIFIER": "any/all/none",
    "AGG_NUMBER": "a number",
    "ADD_OP": "+ or -",
    "MUL_OP": "* / or %",
    "ORDER": "asc/desc",
    "TRUE": "true",
    "FALSE": "false",
    "NULL": "null",
    "SLASH": "'/'",
    "STAR": "'*'",
    "$END": "the end of the query",
}


def parse_duration(text: str) -> Duration | None:
    if not _DURATION.match(text):
        return None
    sign = -1 if text.startswith("-") else 1
    seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(text))
    return Duration(sign * seconds, text)


def word_value(text: str) -> Value:
    """Classify an unquoted word: whole number, decimal, duration or string."""
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    duration = parse_duration(text)
    return duration if duration is not None else text


_ESCAPE = re.compile(r"""\\([\\"/'])""")


def unquote(token: str) -> str:
    """A double-quoted literal as Fix reads it: `\\"` is a quote, `\\\\` a backslash (and `\\/`, `\\'`
    their characters); a backslash before anything else stays, so regular expressions pass unchanged."""
    return _ESCAPE.sub(lambda m: m.group(1), token[1:-1])


def _literal(token: Token) -> str:
    text = unquote(str(token))
    if "\x00" in text:
        # PostgreSQL cannot hold NUL in text, and no property value contains one
        raise QueryError("a string cannot contain the NUL character (\\x00)", "", token.start_pos)
    return text


class _Raw:
    """A value together with the unquoted text it was written as."""

    def __init__(self, value: Value, raw: str | None) -> None:
        self.value = value
        self.raw = raw


def _plain(value: Any) -> Value:
    return value.value if isinstance(value, _Raw) else value


@v_args(inline=True)
class _ToAst(Transformer_NonRecursive[Token, Any]):
    def __init__(self, edge_types: tuple[str, ...] = ("default",)) -> None:
        super().__init__()
        self.edge_types = edge_types  # what a navigation without edge types walks: the preamble's
        # each navigation (by identity) as the preamble makes it; applied only where Fix applies it
        self.preambled: dict[int, Navigation] = {}

    def query(self, *items: Any) -> Query:
        parts = [p for p in items if isinstance(p, Part)]
        navigations = [n for n in items if isinstance(n, Navigation)]
        return Query(tuple(parts), tuple(navigations))

    def navigation(self, token: Token) -> Navigation:
        return self._noted(read_navigation(str(token), token.start_pos or 0), str(token))

    def filtered_navigation(self, opening: Token, edge_filter: Term, closing: Token) -> Navigation:
        read = read_navigation(str(opening), opening.start_pos or 0, edge_filter, str(closing))
        return self._noted(read, str(opening) + str(closing))

    def malformed_navigation(self, token: Token) -> Navigation:
        raise refuse_malformed(str(token), token.start_pos or 0)

    def _noted(self, navigation: Navigation, text: str) -> Navigation:
        """The navigation as written; what the preamble makes of it is noted for apply_preamble."""
        adapted = self._preamble_edges(navigation, text)
        if adapted is not navigation:
            self.preambled[id(navigation)] = adapted
        return navigation

    def apply_preamble(self, query: Query) -> Query:
        """The preamble's edge types in the query's own navigations and with() traversals (nested ones
        too), not in a merge's query: Fix applies them there only."""
        if not self.preambled:
            return query

        def adapted(clause: WithClause | None) -> WithClause | None:
            if clause is None:
                return None
            navigation = self.preambled.get(id(clause.navigation), clause.navigation)
            return dataclasses.replace(clause, navigation=navigation, with_clause=adapted(clause.with_clause))

        parts = tuple(dataclasses.replace(p, with_clause=adapted(p.with_clause)) for p in query.parts)
        navigations = tuple(self.preambled.get(id(n), n) for n in query.navigations)
        return Query(parts, navigations, query.aggregate)

    def _preamble_edges(self, navigation: Navigation, text: str) -> Navigation:
        """A navigation that names no edge types walks the preamble's (edge_type=...). As in Fix, a two-way
        navigation's inward side takes them when it names none (`<-[1]delete->`), and its outward side
        walks the inward side's when it names none (`<-delete[1]->`: delete both ways, whatever the
        preamble)."""
        if self.edge_types == ("default",):
            return navigation
        if navigation.direction != "inout":
            return (
                navigation
                if re.search("[a-z]", text)
                else dataclasses.replace(navigation, edge_types=self.edge_types)
            )
        if re.match("<-[a-z]", text):  # the inward side names its edge types
            return navigation
        outwards = navigation.out_edge_types
        if outwards is None and re.search(
            "[a-z]", text
        ):  # named outwards as the default inwards: <-[1]default->
            outwards = navigation.edge_types
        if outwards == self.edge_types:
            outwards = None
        return dataclasses.replace(navigation, edge_types=self.edge_types, out_edge_types=outwards)

    def part(self, usage: WithUsage | None, term: Term | None, merge: Any, post: Term | None,
             with_clause: WithClause | None, tag: Token | None, sort: Any, limit: Any,
             reverse: Token | None) -> Part:  # fmt: skip
        return Part(
            term, with_clause, tuple(sort or ()), limit, tuple(merge or ()), post,
            None if tag is None else str(tag)[1:], reverse is not None, usage,
        )  # fmt: skip

    def with_usage(self, _w: Token, span: Token, metrics: tuple[str, ...]) -> WithUsage:
        return usage_clause(span, metrics)

    def usage_metrics(self, *items: Token) -> tuple[str, ...]:
        return tuple(_literal(t) if t.type == "STRING" else str(t) for t in items)

    def word_arg(self, token: Token) -> str:
        return str(token)

    def merge(self, *items: MergeQuery) -> tuple[MergeQuery, ...]:
        return items

    def merge_item(self, name: Path, many: Token | None, spec: Aggregate | None, query: Query) -> MergeQuery:
        return MergeQuery(name, many is not None, Query(query.parts, query.navigations, spec))

    def merge_item_preamble(
        self, name: Path, many: Token | None, spec: Aggregate | None, preamble: Token, query: Query
    ) -> MergeQuery:
        _merge_preamble(preamble)
        return self.merge_item(name, many, spec, query)

    def merge_aggregate(self, _a: Token, spec: Aggregate) -> Aggregate:
        return spec

    def merge_name(self, slash: Token | None, *names: Token) -> Path:
        segments = tuple(Segment(str(n)[1:-1] if n.type == "BQNAME" else str(n)) for n in names)
        if slash is not None and len(segments) > 1 and segments[0].name == "reported":
            return Path(segments[1:])  # /reported.a is a
        return Path(segments, slash is not None)

    def and_term(self, left: Term, _op: Token, right: Term) -> Term:
        return CombinedTerm(left, "and", right)

    def or_term(self, left: Term, _op: Token, right: Term) -> Term:
        return CombinedTerm(left, "or", right)

    def not_term(self, _not: Token, term: Term) -> Term:
        return NotTerm(term)

    def all_term(self, _all: Token) -> Term:
        return AllTerm()

    def fulltext(self, token: Token) -> Term:
        return FullTextTerm(_literal(token))

    def bare_path(self, path: Path) -> Term:
        raise QueryError(f"expected an operator after {path} (or quote it to search the text)", "", path.pos)

    def context(self, path: Path, _open: Token, term: Term) -> Term:
        return ContextTerm(path, term)

    def predicate(self, path: Path, modifier: Token | None, op: Token, value: Any) -> Term:
        text = " ".join(str(op).split())
        canonical = {"=": "==", "~": "=~"}.get(text, text)
        raw = value.raw if isinstance(value, _Raw) else None
        return Predicate(path, canonical, _plain(value), str(modifier) if modifier else None, raw, path.pos)  # type: ignore[arg-type]

    def function(self, name: Token, args: list[Any] | None) -> Term:
        arguments = args or []
        fn = str(name)
        if fn == "is":
            kinds = [str(k) for a in arguments for k in (a if isinstance(a, tuple) else (a,))]
            if not kinds or not all(re.match(r"[A-Za-z_][A-Za-z0-9_]*\Z", k) for k in kinds):
                raise QueryError("is() takes kind names: is(aws_ec2_instance)", "", name.start_pos)
            pos = next((a.path.pos for a in arguments if isinstance(a, _BareName)), name.start_pos)
            return IsTerm(tuple(kinds), -1 if pos is None else pos)
        if fn == "id":
            ids = [str(i) for a in arguments for i in (a if isinstance(a, tuple) else (a,))]
            if not ids:
                raise QueryError("id() takes one or more ids", "", name.start_pos)
            return IdTerm(tuple(ids))
        if fn in ("has_key", "in_subnet"):
            first = arguments[0].path if isinstance(arguments[0], _BareName) else arguments[0]
            if (
                len(arguments) < 2
                or not isinstance(first, Path)
                or (fn == "in_subnet" and len(arguments) != 2)
            ):
                raise QueryError(f'{fn}() takes a path and a value: {fn}(tags, "owner")', "", name.start_pos)
            # has_key(tags, a, b) is has_key(tags, [a, b]), as in Fix
            values = tuple(str(v) for a in arguments[1:] for v in (a if isinstance(a, tuple) else (a,)))
            if fn == "in_subnet" and len(values) != 1:
                raise QueryError(
                    'in_subnet() takes one network: in_subnet(ip, "10.0.0.0/8")', "", name.start_pos
                )
            return FunctionTerm(fn, first, values)  # type: ignore[arg-type]
        raise QueryError(f"unknown function {fn!r}; known: is, id, has_key, in_subnet", "", name.start_pos)

    def args(self, *items: Any) -> list[Any]:
        return [_arg(i) for i in items]

    def string_arg(self, token: Token) -> str:
        return _literal(token)

    def path(self, slash: Token | None, *segments: Segment) -> Path:
        first = segments[0]
        pos = slash.start_pos if slash is not None else getattr(first, "_pos", -1)
        return Path(tuple(segments), slash is not None, -1 if pos is None else int(pos))

    def segment(self, name: Token, index: Any) -> Segment:
        text = str(name)
        segment = Segment(text[1:-1] if name.type == "BQNAME" else text, index)
        object.__setattr__(segment, "_pos", name.start_pos)
        return segment

    def index(self, token: Token | None) -> Any:
        if token is None or token.type == "STAR":
            return "*"
        return _count(token)

    def string_value(self, token: Token) -> Any:
        return _Raw(_literal(token), None)

    def word_value(self, token: Token) -> Any:
        return _Raw(word_value(str(token)), str(token))

    def true_value(self, _t: Token) -> Any:
        return _Raw(True, None)

    def false_value(self, _t: Token) -> Any:
        return _Raw(False, None)

    def null_value(self, _t: Token) -> Any:
        return _Raw(None, None)

    def list_value(self, *items: Any) -> tuple[Value, ...]:
        return tuple(_plain(i) for i in items if i is not None)

    def object_value(self, *pairs: Any) -> dict[str, Value]:
        return dict(p for p in pairs if p is not None)

    def pair(self, key: Token, value: Any) -> tuple[str, Value]:
        return (_literal(key) if key.type == "STRING" else str(key), _plain(value))

    def with_clause(
        self,
        _w: Token,
        name: Token,
        op: Token | None,
        count: Token | None,
        navigation: Navigation,
        term: Term | None,
        nested: WithClause | None,
    ) -> WithClause:
        kind = str(name)
        if kind in ("empty", "any") and op is None:
            return WithClause(kind, navigation, term, with_clause=nested)  # type: ignore[arg-type]
        if kind == "count" and op is not None and count is not None:
            text = {"=": "==", "~": "=~"}.get(str(op), str(op))
            if text not in ("==", "!=", "<", "<=", ">", ">="):
                raise QueryError(f"with(count {text} n) needs a comparison", "", op.start_pos)
            return WithClause("count", navigation, term, text, _count(count), nested)  # type: ignore[arg-type]
        raise QueryError("with() starts with empty, any or count <op> <n>", "", name.start_pos)

    def sort_clause(self, _s: Token, *items: SortItem) -> tuple[SortItem, ...]:
        return items

    def sort_item(self, path: Path, order: Token | None) -> SortItem:
        return SortItem(path, str(order) if order else "asc")  # type: ignore[arg-type]

    def limit_clause(self, _l: Token, first: Token, second: Token | None) -> Limit:
        if second is not None:
            return Limit(_count(second), _count(first))
        return Limit(_count(first))

    def aggregate_spec(self, variables: Any, functions: Any) -> Aggregate:
        return Aggregate(tuple(variables or ()), tuple(functions))

    def agg_vars(self, *items: AggregateVariable) -> tuple[AggregateVariable, ...]:
        return items

    def agg_var(self, path: Path, _as: Token | None, alias: Token | None) -> AggregateVariable:
        return AggregateVariable(path, str(alias) if alias else None)

    def template_var(self, token: Token, _as: Token | None, alias: Token | None) -> AggregateVariable:
        return AggregateVariable(
            read_template(_literal(token), token.start_pos or 0), str(alias) if alias else None
        )

    def agg_fns(self, *items: AggregateFunction) -> tuple[AggregateFunction, ...]:
        return items

    def agg_fn(self, name: Token, argument: Any, _as: Token | None, alias: Token | None) -> AggregateFunction:
        fn = str(name)
        if fn not in ("sum", "count", "min", "max", "avg"):
            raise QueryError(
                f"unknown aggregate function {fn!r}; known: sum, count, min, max, avg", "", name.start_pos
            )
        return AggregateFunction(fn, argument, str(alias) if alias else None)  # type: ignore[arg-type]

    def arithmetic(self, left: Operand, op: Token, right: Operand) -> Arithmetic:
        return Arithmetic(left, str(op), right)  # type: ignore[arg-type]

    def agg_number(self, token: Token) -> int | float:
        text = str(token)
        return float(text) if "." in text else _count(token)


_TEMPLATE_PART = re.compile(
    r"\{\s*(/?(?:[A-Za-z_][A-Za-z0-9_-]*|`[^`]+`)(?:\[(?:\*|\d+)?\])?"
    r"(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|`[^`]+`)(?:\[(?:\*|\d+)?\])?)*)\s*\}|[^{]+"
)


def read_template(text: str, pos: int) -> Template:
    """`"x_{kind}_{tags[*]}"`: text, and between braces the paths whose values fill it in."""
    parts: list[str | Path] = []
    at = 0
    while at < len(text):
        match = _TEMPLATE_PART.match(text, at)
        if match is None:
            raise QueryError(
                'a group name template holds text and {path}s: "x_{kind}", not ' + quote(text), "", pos
            )
        if match.group(1) is None:
            parts.append(match.group(0))
        else:
            parts.append(_template_path(match.group(1)))
        at = match.end()
    if not any(isinstance(p, Path) for p in parts):
        raise QueryError(
            f"a group name template names a {{path}}: {quote(text)}; or group by a path", "", pos
        )
    return Template(tuple(parts))


def _template_path(text: str) -> Path:
    absolute = text.startswith("/")
    segments = []
    for name, index in re.findall(r"(`[^`]+`|[^.`\[]+)(\[[^\]]*\])?", text.lstrip("/")):
        mark = index[1:-1]
        segments.append(
            Segment(name.strip("`"), None if not index else ("*" if mark in ("", "*") else int(mark)))
        )
    return Path(tuple(segments), absolute)


MAX_COUNT = 2**63 - 1  # what a SQL BIGINT holds


def _count(token: Token) -> int:
    value = int(token)
    if value > MAX_COUNT:
        raise QueryError(f"{token} is too large: at most {MAX_COUNT}", "", token.start_pos)
    return value


def _arg(item: Any) -> Any:
    if (
        isinstance(item, Path)
        and len(item.segments) == 1
        and not item.absolute
        and item.segments[0].index is None
    ):
        return _BareName(item.segments[0].name, item)
    return item


class _BareName(str):
    """A one-segment path used where a name is expected (is(kind), has_key(tags, owner))."""

    path: Path

    def __new__(cls, value: str, path: Path) -> _BareName:
        obj = super().__new__(cls, value)
        obj.path = path
        return obj


@cache
def grammar() -> str:
    """The query language's lark grammar, read from beside this module (importlib.resources, which
    would also find it in a zip, is 30 M instructions of a one-shot line's start)."""
    return pathlib.Path(__file__).with_name("grammar.lark").read_text(encoding="utf-8")


@cache
def _lark() -> Lark:
    return cached_parser(grammar(), _build)


def _build() -> Lark:
    return Lark(
        grammar(),
        start=["query", "aggregate_spec"],
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,
        maybe_placeholders=True,
    )


def _expected(names: set[str]) -> str:
    readable = sorted({_TOKEN_NAMES.get(n, n) for n in names if not n.startswith("__")})
    return ", ".join(readable[:8])


MAX_NESTING = 50  # parentheses, not, {...}, with() and merges inside each other; and/or chains are free
_NESTS = frozenset(
    [
        "not_term",
        "context",
        "with_clause",
        "merge_item",
        "merge_item_preamble",
        "list_value",
        "object_value",
        "filtered_navigation",
    ]
)
_CHAINS = frozenset(["and_term", "or_term"])


def _first_position(node: Tree[Token] | Token) -> int:
    while isinstance(node, Tree):
        tokens = [c for c in node.children if c is not None]
        if not tokens:
            return 0
        node = tokens[0]
    return node.start_pos or 0


def _check_nesting(tree: Tree[Token]) -> None:
    """Refuse a query nested deeper than MAX_NESTING (every later stage recurses over the nesting)."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise QueryError(
                f"the query nests deeper than {MAX_NESTING} levels (parentheses, not, {{...}}, with(), "
                "merges or lists inside each other) here; write it flatter",
                "",
                _first_position(node),
            )
        for i, child in enumerate(node.children):
            if not isinstance(child, Tree):
                continue
            if node.data in _CHAINS:  # the left side continues the chain; a combined right side is in (...)
                stack.append((child, depth + (1 if i > 0 and child.data in _CHAINS else 0)))
            else:
                stack.append((child, depth + (1 if child.data in _NESTS else 0)))


def _merge_preamble(token: Token) -> None:
    """A merge's own `(edge_type=...):` is checked as a query's is, and then, as in Fix, changes nothing:
    Fix parses it into the merge's query and never reads it, so a merge's navigations walk default edges
    unless they name their own (`<-delete[1:]-`)."""
    at = token.start_pos or 0
    try:
        edge_types, _ = split_preamble(str(token), 0)
    except QueryError as e:
        raise QueryError(e.message, "", at + (e.position or 0)) from None
    if edge_types is None:
        raise QueryError("a merge's preamble is (edge_type=NAME): with at least one edge type", "", at)


def _placed(err: QueryError, full_text: str, offset: int) -> QueryError:
    pos = None if err.position is None or err.position < 0 else err.position + offset
    return QueryError(err.message, full_text, pos)


def _parse(
    text: str, start: str, offset: int, full_text: str, edge_types: tuple[str, ...] = ("default",)
) -> Any:
    try:
        tree = _lark().parse(text, start=start)
        _check_nesting(tree)
        transformer = _ToAst(edge_types)
        result = transformer.transform(tree)
        return transformer.apply_preamble(result) if isinstance(result, Query) else result
    except QueryError as err:
        raise _placed(err, full_text, offset) from None
    except VisitError as e:
        if isinstance(e.orig_exc, QueryError):
            raise _placed(e.orig_exc, full_text, offset) from None
        # a literal the transformer could not read: name the place, never crash
        at = _first_position(e.obj) if isinstance(e.obj, Tree | Token) else 0
        raise QueryError(
            f"cannot read this part of the query: {e.orig_exc}", full_text, at + offset
        ) from None
    except UnexpectedCharacters as e:
        at = e.pos_in_stream or 0
        _refuse_unquoted_regex(text, at, full_text, offset)
        raise QueryError(
            f"unexpected character {text[at]!r}; expected {_expected(set(e.allowed or ()))}",
            full_text,
            at + offset,
        ) from None
    except UnexpectedToken as e:
        found = "end of the query" if e.token.type == "$END" else repr(str(e.token))
        pos = len(text) if e.token.type == "$END" else (e.token.start_pos or 0)
        _refuse_unquoted_regex(text, pos, full_text, offset)
        raise QueryError(
            f"unexpected {found}; expected {_expected(set(e.expected))}", full_text, pos + offset
        ) from None
    except UnexpectedInput as e:
        raise QueryError(
            "cannot parse the query", full_text, getattr(e, "pos_in_stream", 0) + offset
        ) from None


# a regular expression operator and the start of an unquoted value, right before an unexpected character
_UNQUOTED_REGEX = re.compile(r"(=~|!~|(?<![=!])~)\s*[A-Za-z0-9_\-:/.]+\Z")


def _refuse_unquoted_regex(text: str, at: int, full_text: str, offset: int) -> None:
    if at < len(text) and _UNQUOTED_REGEX.search(text[:at]):
        raise QueryError(
            f"unexpected {text[at]!r}: an unquoted value holds only letters, digits and _ - : / . "
            '(write a regular expression with other characters in quotes: name =~ "^web.*")',
            full_text,
            at + offset,
        ) from None


def _split_aggregate(text: str) -> tuple[str, int, int] | None:
    """For 'aggregate(...): rest' return (spec, spec offset, rest offset); the colon may follow a
    preamble: 'aggregate(...)(edge_type=delete): rest' (the rest offset is then the preamble's)."""
    match = re.match(r"\s*aggregate\s*\(", text)
    if not match:
        return None
    depth, i, quoted = 1, match.end(), False
    while i < len(text) and depth:
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        i += 1
    if depth:
        raise QueryError("aggregate( is not closed", text, match.start())
    if split_preamble(text, i)[0] is not None:
        return text[match.end() : i - 1], match.end(), i
    colon = re.match(r"\s*:", text[i:])
    if not colon:
        raise QueryError("expected ':' after aggregate(...)", text, i)
    return text[match.end() : i - 1], match.end(), i + colon.end()


# A query that starts with the word `search` (a check's or a job's text) means the query after it, unless
# the word is a property being compared (`search == x`, `search all > 1`).
_SEARCH_PREFIX = re.compile(r"\s*search(?:\s+|\Z)(?!(?:(?:any|all|none)\s*)?(?:[=!<>~]|in\b|not\s+in\b))")


def parse_query(text: str) -> Query:
    """Parse a search query; an empty query means all."""
    prefix = _SEARCH_PREFIX.match(text)
    offset = prefix.end() if prefix else 0
    try:
        split = _split_aggregate(text[offset:])
    except QueryError as e:
        raise _placed(e, text, offset) from None
    aggregate = None
    body = text[offset:]
    if split is not None:
        spec, spec_offset, rest_offset = split
        aggregate = _parse(spec, "aggregate_spec", offset + spec_offset, text)
        offset += rest_offset
        body = text[offset:]
    edge_types, start = split_preamble(text, offset)
    if edge_types is not None:
        offset = start
        body = text[offset:]
    if not body.strip():
        query = Query((Part(),))
    else:
        query = _parse(body, "query", offset, text, edge_types or ("default",))
    if aggregate is not None:
        query = Query(query.parts, query.navigations, aggregate)
    return query


def parse_aggregate(text: str) -> Aggregate:
    result: Aggregate = _parse(text, "aggregate_spec", 0, text)
    return result
