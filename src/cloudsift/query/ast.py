"""The query AST: small frozen classes whose str() is the canonical query text.

Every class prints itself so that parse(str(query)) == query. Positions (`pos`) are
kept for error messages and do not take part in equality.
"""

from __future__ import annotations

import json
import re
from dataclasses import field
from typing import Literal

from cloudsift.frozen import frozen

Index = int | Literal["*"] | None
Modifier = Literal["any", "all", "none"]
Op = Literal["==", "!=", "<", "<=", ">", ">=", "=~", "!~", "in", "not in"]
Direction = Literal["out", "in", "inout"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
KEYWORDS = frozenset(
    [
        "and",
        "or",
        "not",
        "all",
        "any",
        "none",
        "in",
        "with",
        "sort",
        "limit",
        "asc",
        "desc",
        "as",
        "true",
        "false",
        "null",
        "reversed",
    ]
)


@frozen
class Duration:
    """A span of time in seconds, with the text it was written as."""

    seconds: float
    text: str

    def __str__(self) -> str:
        return self.text


Value = str | int | float | bool | None | Duration | tuple["Value", ...] | dict[str, "Value"]


def quote(text: str) -> str:
    """A double-quoted literal as the parser reads it back: only `\\` and `"` are escaped, so that
    regular expressions keep their backslashes and control characters stay as they are."""
    return '"' + _ESCAPED.sub(lambda m: "\\" + m.group(0), text) + '"'


# A backslash is doubled only where the parser would otherwise read an escape (or the closing quote).
_ESCAPED = re.compile(r'"|\\(?=[\\"/\']|\Z)')


def value_str(value: Value, raw: str | None = None) -> str:
    if raw is not None:
        return raw
    if isinstance(value, Duration):
        return value.text
    if isinstance(value, tuple):
        return "[" + ", ".join(value_str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote(k)}: {value_str(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return quote(value)
    return json.dumps(value)


@frozen
class Segment:
    name: str
    index: Index = None

    def __str__(self) -> str:
        name = self.name if _IDENT.match(self.name) and self.name not in KEYWORDS else f"`{self.name}`"
        if self.index is None:
            return name
        return f"{name}[{self.index}]"


@frozen
class Path:
    segments: tuple[Segment, ...]
    absolute: bool = False
    pos: int = field(default=-1, compare=False, repr=False)

    def __str__(self) -> str:
        return ("/" if self.absolute else "") + ".".join(str(s) for s in self.segments)

    @property
    def is_multi(self) -> bool:
        return any(s.index == "*" for s in self.segments)

    @staticmethod
    def of(text: str) -> Path:
        absolute = text.startswith("/")
        parts = text.lstrip("/").split(".")
        segments = []
        for part in parts:
            match = re.fullmatch(r"(.+)\[(\*|\d+)\]", part)
            if match:
                index = match.group(2)
                segments.append(Segment(match.group(1), "*" if index == "*" else int(index)))
            else:
                segments.append(Segment(part))
        return Path(tuple(segments), absolute)


@frozen
class AllTerm:
    def __str__(self) -> str:
        return "all"


@frozen
class IdTerm:
    ids: tuple[str, ...]

    def __str__(self) -> str:
        return "id(" + ", ".join(quote(i) for i in self.ids) + ")"


@frozen
class IsTerm:
    kinds: tuple[str, ...]
    pos: int = field(default=-1, compare=False, repr=False)

    def __str__(self) -> str:
        return "is(" + ", ".join(self.kinds) + ")"


@frozen
class Predicate:
    path: Path
    op: Op
    value: Value
    modifier: Modifier | None = None
    raw: str | None = None  # the unquoted text of the value, when it was written unquoted
    pos: int = field(default=-1, compare=False, repr=False)

    def __str__(self) -> str:
        modifier = f" {self.modifier}" if self.modifier else ""
        return f"{self.path}{modifier} {self.op} {value_str(self.value, self.raw)}"


@frozen
class ContextTerm:
    path: Path
    term: Term

    def __str__(self) -> str:
        return f"{self.path}.{{{self.term}}}"


@frozen
class FullTextTerm:
    text: str

    def __str__(self) -> str:
        return quote(self.text)


@frozen
class FunctionTerm:
    name: Literal["has_key", "in_subnet"]
    path: Path
    args: tuple[str, ...]

    def __str__(self) -> str:
        if self.name == "has_key" and len(self.args) != 1:
            arg = "[" + ", ".join(quote(a) for a in self.args) + "]"
        else:
            arg = quote(self.args[0])
        return f"{self.name}({self.path}, {arg})"


@frozen
class NotTerm:
    term: Term

    def __str__(self) -> str:
        inner = str(self.term)
        return f"not ({inner})" if isinstance(self.term, CombinedTerm) else f"not {inner}"


@frozen
class CombinedTerm:
    left: Term
    op: Literal["and", "or"]
    right: Term

    def __str__(self) -> str:
        first, rest = chain(self)
        pieces = [str(first)]
        for op, right in rest:
            pieces.append(f"{op} ({right})" if isinstance(right, CombinedTerm) else f"{op} {right}")
        return " ".join(pieces)


def chain(term: CombinedTerm) -> tuple[Term, list[tuple[Literal["and", "or"], Term]]]:
    """The left spine of `a or b and c ...` without recursion: (a, [(or, b), (and, c), ...]).

    Terms fold left, so a long chain is a deep tree; walking it in a loop keeps any length usable."""
    rest: list[tuple[Literal["and", "or"], Term]] = []
    current: Term = term
    while isinstance(current, CombinedTerm):
        rest.append((current.op, current.right))
        current = current.left
    rest.reverse()
    return current, rest


Term = (
    AllTerm | IdTerm | IsTerm | Predicate | ContextTerm | FullTextTerm | FunctionTerm | NotTerm | CombinedTerm
)


@frozen
class Navigation:
    """`-[start:until]->` over edge types; `<-in[..]out->` walks inwards over `edge_types` and outwards
    over `out_edge_types` (None: the same types); `-{term}->` keeps the edges the term accepts."""

    start: int = 1
    until: int | None = 1  # None: no upper bound
    edge_types: tuple[str, ...] = ("default",)
    direction: Direction = "out"
    out_edge_types: tuple[str, ...] | None = None  # inout only, and only when they differ
    edge_filter: Term | None = None

    def __str__(self) -> str:
        left = "<" if self.direction in ("in", "inout") else ""
        right = ">" if self.direction in ("out", "inout") else ""
        plain = self.out_edge_types is None and self.edge_filter is None
        if plain and self.start == 1 and self.until == 1 and self.edge_types == ("default",):
            return f"{left}--{right}"
        edges = "" if self.edge_types == ("default",) else ",".join(self.edge_types)
        if self.start == 1 and self.until == 1 and self.out_edge_types is None:
            depth = ""
        elif self.until == self.start:
            depth = f"[{self.start}]"
        else:
            depth = f"[{self.start}:{'' if self.until is None else self.until}]"
        edge_filter = "" if self.edge_filter is None else f"{{{self.edge_filter}}}"
        outwards = "" if self.out_edge_types is None else ",".join(self.out_edge_types)
        return f"{left}-{edges}{depth}{edge_filter}{outwards}-{right}"


@frozen
class WithClause:
    kind: Literal["empty", "any", "count"]
    navigation: Navigation
    term: Term | None = None
    op: Op = ">"
    count: int = 0
    with_clause: WithClause | None = None

    def __str__(self) -> str:
        head = f"count {self.op} {self.count}" if self.kind == "count" else self.kind
        rest = f" {self.term}" if self.term is not None else ""
        nested = f" {self.with_clause}" if self.with_clause is not None else ""
        return f"with({head}, {self.navigation}{rest}{nested})"


@frozen
class SortItem:
    path: Path
    order: Literal["asc", "desc"] = "asc"

    def __str__(self) -> str:
        return f"{self.path} {self.order}"


@frozen
class Limit:
    count: int
    offset: int = 0

    def __str__(self) -> str:
        return f"limit {self.offset}, {self.count}" if self.offset else f"limit {self.count}"


_LITERAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


@frozen
class WithUsage:
    """`with_usage(3d::1d, [cpu, mem])`: the usage of the last 3 days up to 1 day ago (Fix's metrics).

    The times are kept as written: a duration back from now or an ISO date-time."""

    start: str
    end: str | None
    metrics: tuple[str, ...]

    def __str__(self) -> str:
        span = self.start if self.end is None else f"{self.start}::{self.end}"
        metrics = ", ".join(m if _LITERAL.match(m) else quote(m) for m in self.metrics)
        return f"with_usage({span}, [{metrics}])"


@frozen
class MergeQuery:
    """`name: query` attaches the first node the query reaches from each node; `name[]: query` all of them."""

    name: Path  # a path without indexes: `vpc`, `a.b` (in reported), `/vpc` (beside reported)
    many: bool
    query: Query

    def __str__(self) -> str:
        return f"{self.name}{'[]' if self.many else ''}: {self.query}"


@frozen
class Part:
    term: Term | None = None
    with_clause: WithClause | None = None
    sort: tuple[SortItem, ...] = ()
    limit: Limit | None = None
    merge: tuple[MergeQuery, ...] = ()
    post: Term | None = None  # the term after the merge, which can use the merged nodes
    tag: str | None = None  # `#red`: Fix marks the part's nodes with it
    reverse: bool = False  # `reversed`: the part's nodes (after sort and limit) in the opposite order
    with_usage: WithUsage | None = None

    def __str__(self) -> str:
        pieces = []
        if self.with_usage is not None:
            pieces.append(str(self.with_usage))
        if self.term is not None:
            pieces.append(str(self.term))
        if self.merge:
            pieces.append("{" + ", ".join(str(m) for m in self.merge) + "}")
        if self.post is not None:
            pieces.append(str(self.post))
        if self.with_clause is not None:
            pieces.append(str(self.with_clause))
        if self.tag is not None:
            pieces.append(f"#{self.tag}")
        if self.sort:
            pieces.append("sort " + ", ".join(str(s) for s in self.sort))
        if self.limit is not None:
            pieces.append(str(self.limit))
        if self.reverse:
            pieces.append("reversed")
        return " ".join(pieces)


@frozen
class Template:
    """A group name built from text and values, as Fix writes it: `"x_{kind}_{account.name}"`."""

    parts: tuple[str | Path, ...]

    def __str__(self) -> str:
        return quote("".join(p if isinstance(p, str) else f"{{{p}}}" for p in self.parts))

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(p for p in self.parts if isinstance(p, Path))


@frozen
class AggregateVariable:
    path: Path | Template
    alias: str | None = None

    @property
    def name(self) -> str:
        """The key of the group's value: the alias, else the path's last name (a template's text, quotes
        and all, as Fix names it)."""
        if self.alias:
            return self.alias
        return str(self.path) if isinstance(self.path, Template) else self.path.segments[-1].name

    def __str__(self) -> str:
        return f"{self.path} as {self.alias}" if self.alias else str(self.path)


@frozen
class Arithmetic:
    """`left op right` in an aggregate function: sum(volume_size * 1024)."""

    left: Operand
    op: Literal["+", "-", "*", "/", "%"]
    right: Operand

    def __str__(self) -> str:
        def side(operand: Operand) -> str:
            return f"({operand})" if isinstance(operand, Arithmetic) else str(operand)

        return f"{side(self.left)} {self.op} {side(self.right)}"


Operand = Path | int | float | Arithmetic


@frozen
class AggregateFunction:
    function: Literal["sum", "count", "min", "max", "avg"]
    argument: Operand
    alias: str | None = None

    @property
    def name(self) -> str:
        return self.alias or self.function

    def __str__(self) -> str:
        text = f"{self.function}({self.argument})"
        return f"{text} as {self.alias}" if self.alias else text


@frozen
class Aggregate:
    group: tuple[AggregateVariable, ...]
    functions: tuple[AggregateFunction, ...]

    def __str__(self) -> str:
        group = ", ".join(str(g) for g in self.group)
        functions = ", ".join(str(f) for f in self.functions)
        return f"{group}: {functions}" if group else functions


@frozen
class Query:
    parts: tuple[Part, ...]
    navigations: tuple[Navigation, ...] = ()
    aggregate: Aggregate | None = None

    def __str__(self) -> str:
        text = str(self.parts[0])
        for navigation, part in zip(self.navigations, self.parts[1:], strict=True):
            text = f"{text} {navigation} {part}".strip()
        if self.aggregate is not None:
            text = f"aggregate({self.aggregate}): {text}"
        return text.strip()
