"""Binding: resolve every path against the model and coerce every literal to its property's type.

The reference evaluator and the SQL compilers all consume bound queries, so that a
query means one thing everywhere. Binding is where unknown kinds and properties,
impossible comparisons and bad literals are refused, with a position and a suggestion.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import warnings
from collections.abc import Iterable
from functools import cached_property
from typing import Literal

from cloudsift.errors import QueryError, did_you_mean
from cloudsift.frozen import frozen
from cloudsift.model import MODEL, ListOf, Model, Prop, PropType, Scalar, StringMap, Struct
from cloudsift.model.types import DATETIME, INT, STRING
from cloudsift.query import ast
from cloudsift.query.ast import Duration, Index, Modifier, Op, Path, Value
from cloudsift.query.empties import bind_whole, compares_whole, in_list_values
from cloudsift.query.literals import RegexError, check_regex, shifted
from cloudsift.query.literals import parse_datetime as parse_datetime  # the stores read dates alike
from cloudsift.query.navigation import BNavigation, bind_navigation, edge_filter_paths

ANCESTOR_LEVELS = ("cloud", "account", "region", "zone")
UNFILLED_SECTIONS = ("metadata", "desired", "usage")  # Fix's; cloudsift fills only DESCENDANTS in them
DESCENDANTS = ("descendant_count", "descendant_summary")  # in /metadata, on clouds, accounts, regions, zones
DESCENDANT_LEVELS = ("zone", "region", "account", "cloud")  # the nearest first, as Fix decides a node's level
SYNTHETIC = {"age": "ctime", "last_update": "mtime", "last_access": "atime"}
_FLIP: dict[str, Op] = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


@frozen
class Step:
    """One segment of a resolved path: the key, its index, and the type of the value the key yields."""

    name: str
    index: Index
    type: PropType | None  # None: not in the model (untyped JSON)


@frozen
class Resolved:
    """Where a path's values live: a node column or inside `reported` (steps)."""

    root: Literal["reported", "element", "id", "kinds", "ancestor", "merge", "unfilled", "descendants"]
    steps: tuple[Step, ...] = ()
    ancestor: tuple[str, str] | None = None  # (level, id|name)
    merge: str | None = None  # the merge name the path starts with (its first step)
    summary: str | None = None  # descendants: of this kind (/metadata.descendant_summary.<kind>), else all

    @property
    def leaf_type(self) -> PropType | None:
        """The type of one value the path yields (after its last index)."""
        if self.root == "id" or self.root == "ancestor":
            return STRING
        if self.root == "descendants":
            return INT
        if self.root == "kinds":
            return ListOf(STRING)
        if self.root == "unfilled":
            return None
        last = self.steps[-1]
        if last.index is None:
            return last.type
        return last.type.item if isinstance(last.type, ListOf) else None

    @property
    def compare_type(self) -> PropType | None:
        """The type literals are coerced to: the leaf's, or its items' when the leaf is a list."""
        leaf = self.leaf_type
        return leaf.item if isinstance(leaf, ListOf) else leaf

    @property
    def typed(self) -> bool:
        if self.root == "unfilled":
            return False
        return self.root not in ("reported", "element") or self.steps[0].type is not None


@frozen
class BPredicate:
    path: Resolved
    op: Op
    value: object  # coerced: str/int/float/bool/datetime/None, or a tuple of them for in/not in
    modifier: Modifier
    whole: bool = False  # compares the whole value with [] or {} (an Empty), lists not opened up


@frozen
class BContext:
    path: Resolved  # the elements of an array ([*]) or one object (a missing one: every property null)
    term: BTerm


@frozen
class BFunction:
    name: Literal["has_key", "in_subnet"]
    path: Resolved
    keys: tuple[str, ...] = ()
    network: tuple[int, int] = (0, 0)  # IPv4 range, inclusive


@frozen
class BIs:
    kinds: tuple[str, ...]  # every concrete kind that matches


@frozen
class BId:
    ids: tuple[str, ...]


@frozen
class BAll:
    pass


@frozen
class BFullText:
    text: str  # lower-cased


@frozen
class BNot:
    term: BTerm


@frozen
class BCombined:
    left: BTerm
    op: Literal["and", "or"]
    right: BTerm


BTerm = BPredicate | BContext | BFunction | BIs | BId | BAll | BFullText | BNot | BCombined


def bound_chain(term: BCombined) -> tuple[BTerm, list[tuple[Literal["and", "or"], BTerm]]]:
    """The left spine of a bound and/or chain, walked in a loop (chains have any length)."""
    rest: list[tuple[Literal["and", "or"], BTerm]] = []
    current: BTerm = term
    while isinstance(current, BCombined):
        rest.append((current.op, current.right))
        current = current.left
    rest.reverse()
    return current, rest


@frozen
class BWith:
    kind: Literal["empty", "any", "count"]
    op: Op
    count: int
    navigation: BNavigation
    term: BTerm
    with_clause: BWith | None


@frozen
class BSort:
    path: Resolved
    order: Literal["asc", "desc"]


@frozen
class BMerge:
    name: str
    many: bool
    query: BoundQuery


@frozen
class BPart:
    term: BTerm
    with_clause: BWith | None
    sort: tuple[BSort, ...]
    limit: ast.Limit | None
    merges: tuple[BMerge, ...] = ()
    post: BTerm = BAll()
    reverse: bool = False  # after sort and limit, the nodes in the opposite order


@frozen
class BAggregateVariable:
    """A group's value: one path's (a path through [*] gives one group per element, as in Fix), or a
    template's text with the values of its paths filled in."""

    path: Resolved | None  # None: a template
    name: str
    template: tuple[str | Resolved, ...] = ()

    @property
    def paths(self) -> tuple[Resolved, ...]:
        if self.path is not None:
            return (self.path,)
        return tuple(p for p in self.template if isinstance(p, Resolved))


@frozen
class BArithmetic:
    """An aggregate function's arithmetic; a missing operand counts as 0, as in Fix (AQL)."""

    left: BOperand
    op: Literal["+", "-", "*", "/", "%"]
    right: BOperand


BOperand = Resolved | int | float | BArithmetic | None  # None: a property outside the model, always missing


@frozen
class BAggregateFunction:
    function: Literal["sum", "count", "min", "max", "avg"]
    argument: BOperand
    name: str


@frozen
class BAggregate:
    group: tuple[BAggregateVariable, ...]
    functions: tuple[BAggregateFunction, ...]


@frozen
class BoundQuery:
    parts: tuple[BPart, ...]
    navigations: tuple[BNavigation, ...]
    aggregate: BAggregate | None
    text: str
    reverse: bool = False  # return the final order backwards (tail folds into the query this way)


class Binder:
    """Binds queries for one model, one set of extra (not modelled) property names and one `now`;
    `kinds` are the kinds of generic resources (imported, not modelled) that `is()` also knows."""

    def __init__(
        self,
        model: Model = MODEL,
        extra: Iterable[str] = (),
        now: dt.datetime | None = None,
        text: str = "",
        kinds: Iterable[str] = (),
    ) -> None:
        self.model = model
        self.extra = frozenset(extra) | model.untyped
        self.generic_kinds = frozenset(kinds) - set(model.kinds)
        self.now = now or dt.datetime.now(dt.UTC)
        self.text = text
        self.merge_scope: dict[str, bool] = {}  # merge names usable in the term after a merge
        self.merge_rows: set[str] = set()  # those of them that hold aggregate rows (untyped)
        self.implied: set[str] = set()  # kinds of ancestors.<kind> paths seen in the current part

    @cached_property
    def node_struct(self) -> Struct:
        """A merged node as a struct: its id, kinds and reported properties (typed by the model)."""
        props = [Prop(n, t) for n, t in sorted(self.model.properties.items())] + [Prop("kind", STRING)]
        reported = Struct("reported", tuple(props))
        return Struct("node", (Prop("id", STRING), Prop("kinds", ListOf(STRING)), Prop("reported", reported)))

    @cached_property
    def _merged_reported(self) -> PropType | None:
        reported = self.node_struct.field("reported")
        return None if reported is None else reported.type

    def error(self, message: str, pos: int = -1) -> QueryError:
        return QueryError(message, self.text, pos if pos >= 0 else None)

    # ---- paths

    def resolve(self, path: Path, element: PropType | Literal[False] | None = False) -> Resolved:
        """Resolve a path at the node (element=False) or inside an array element of type `element`."""
        segments = list(path.segments)
        if element is not False:
            if path.absolute:
                raise self.error(f"inside {{...}} paths are relative to the array element: {path}", path.pos)
            return Resolved("element", self._steps(segments, element, path, in_element=True))
        if path.absolute:
            head = segments[0]
            if head.name == "reported" and head.index is None and len(segments) > 1:
                return self.resolve(Path(tuple(segments[1:]), False, path.pos))
            merged = self._merged_path(path)
            if merged is not None:
                return merged
            if head.name == "id" and len(segments) == 1 and head.index is None:
                return Resolved("id")
            if head.name == "kinds" and len(segments) == 1:
                return Resolved("kinds") if head.index is None else self._index_error(path)
            if head.name == "metadata" and head.index is None and (counted := self._descendants(path)):
                return counted
            if head.name in UNFILLED_SECTIONS and head.index is None:
                # Fix's sections that nothing fills here: every path into them is null
                rest = tuple(Step(s.name, s.index, None) for s in segments[1:])
                return Resolved("unfilled", rest)
            if head.name == "ancestors":
                if len(segments) < 4 or head.index is not None:
                    raise self.error(
                        f"unknown ancestor path {path}; use /ancestors.<kind>.reported.<property>", path.pos
                    )
                return self._ancestor_path(path)
            raise self.error(
                f"unknown section in {path}; use /reported, /ancestors, /id, /kinds "
                f"(or {', '.join('/' + s for s in UNFILLED_SECTIONS)}, which nothing fills here)",
                path.pos,
            )
        merged = self._merged_path(path)
        if merged is not None:
            return merged
        first = segments[0]
        if first.name == "ancestors" and "ancestors" not in self.extra and len(segments) >= 3:
            return self._ancestor_path(path)
        if first.name in ANCESTOR_LEVELS and first.index is None and first.name not in self.extra:
            # Shortcuts: `account` is /ancestors.account.reported.name, `account.id` its id.
            if len(segments) == 1:
                return Resolved("ancestor", ancestor=(first.name, "name"))
            if len(segments) == 2 and segments[1].name in ("id", "name") and segments[1].index is None:
                return Resolved("ancestor", ancestor=(first.name, segments[1].name))
            raise self.error(f"{path}: after {first.name} only .id or .name can follow", path.pos)
        return Resolved("reported", self._steps(segments, None, path, in_element=False))

    def _descendants(self, path: Path) -> Resolved | None:
        """Fix's /metadata.descendant_count and /metadata.descendant_summary.<kind> of a cloud, account,
        region or zone: how many nodes (of that kind) have it as their ancestor, itself included."""
        names = [s.name for s in path.segments[1:] if s.index is None]
        if len(names) != len(path.segments) - 1 or not names or names[0] not in DESCENDANTS:
            return None
        if names == ["descendant_count"]:
            return Resolved("descendants")
        if len(names) == 2 and names[0] == "descendant_summary":
            return Resolved("descendants", summary=names[1])
        raise self.error(
            f"{path}: write /metadata.descendant_count or /metadata.descendant_summary.<kind>", path.pos
        )

    def _merge_match(self, path: Path) -> tuple[str, int] | None:
        """The merge a path starts with (its name may be a path: `{a.b: ...}`, `{/vpc: ...}`): the
        merge's key and how many segments name it; the longest name wins."""
        segments = path.segments
        for count in range(len(segments), 0, -1):
            if any(s.index is not None for s in segments[: count - 1]):
                continue
            key = str(Path(tuple(ast.Segment(s.name) for s in segments[:count]), path.absolute))
            if key in self.merge_scope:
                return key, count
        return None

    def _merged_path(self, path: Path) -> Resolved | None:
        match = self._merge_match(path)
        if match is None:
            return None
        key, count = match
        if key in self.merge_rows:  # aggregate rows: {"group": {...}, name: value}, read as untyped JSON
            first = path.segments[count - 1]
            rest = [Step(s.name, s.index, None) for s in path.segments[count:]]
            return Resolved("merge", (Step(key, first.index, None), *rest), merge=key)
        node = self.node_struct
        merged = Struct("merged", (Prop(key, ListOf(node) if self.merge_scope[key] else node),))
        segments = [ast.Segment(key, path.segments[count - 1].index), *path.segments[count:]]
        return Resolved("merge", self._steps(segments, merged, path, in_element=True), merge=key)

    def _ancestor_path(self, path: Path) -> Resolved:
        """`ancestors.account.reported.name` is the stored ancestor; `ancestors.aws_vpc.reported.x` the
        nearest aws_vpc up the default edges, found by an implied merge."""
        segments = path.segments
        kind = segments[1].name
        if kind not in self.model.kinds:
            raise self.error(
                f"unknown kind {kind!r} in {path}.{did_you_mean(kind, self.model.kinds)}", path.pos
            )
        if any(s.index is not None for s in segments[:3]) or segments[2].name != "reported":
            raise self.error(f"write ancestors.{kind}.reported.<property>, not {path}", path.pos)
        if (
            kind in ANCESTOR_LEVELS
            and len(segments) == 4
            and segments[3].name in ("id", "name")
            and segments[3].index is None
        ):
            return Resolved("ancestor", ancestor=(kind, segments[3].name))
        self.implied.add(kind)
        name = f"/ancestors.{kind}"
        rest = self._steps(list(segments[2:]), self.node_struct, path, in_element=True)
        return Resolved("merge", (Step(name, None, self.node_struct), *rest), merge=name)

    def _index_error(self, path: Path) -> Resolved:
        raise self.error(f"{path}: only [*] can follow /kinds", path.pos)

    def _steps(
        self, segments: list[ast.Segment], element: PropType | None, path: Path, in_element: bool
    ) -> tuple[Step, ...]:
        steps: list[Step] = []
        current: PropType | Literal["top"] | None = element if in_element else "top"
        untyped = in_element and element is None
        for i, segment in enumerate(segments):
            name = segment.name
            if untyped:
                typ: PropType | None = None
            elif current == "top":
                if name == "kind":
                    typ = STRING
                else:
                    typ = self.model.property_type(name)
                    if typ is None:
                        if name not in self.extra:
                            known = [*self.model.properties, *self.extra, "kind", *SYNTHETIC]
                            raise self.error(
                                f"unknown property {name!r}.{did_you_mean(name, known)}", path.pos
                            )
                        untyped = True
            elif isinstance(current, Struct):
                prop = current.field(name)
                if prop is None and current is self._merged_reported and name in self.extra:
                    untyped, typ = True, None  # a merged node's property outside the model
                elif prop is None:
                    fields = [f.name for f in current.fields]
                    listed = f" It has: {', '.join(fields)}." if len(fields) <= 20 else ""
                    raise self.error(
                        f"{current.name} has no property {name!r}.{did_you_mean(name, fields)}{listed}",
                        path.pos,
                    )
                else:
                    typ = prop.type
            elif isinstance(current, StringMap):
                typ = STRING
            elif isinstance(current, ListOf):
                before = ".".join(str(s) for s in segments[:i])
                raise self.error(
                    f"{before} is a list: write {before}[*].{name} for any of its elements", path.pos
                )
            else:
                before = ".".join(str(s) for s in segments[:i])
                raise self.error(f"{before} is a {current}: it has no property {name!r}", path.pos)
            if segment.index is not None and typ is not None and not isinstance(typ, ListOf):
                raise self.error(f"{name} is a {typ}, not a list: it cannot be indexed", path.pos)
            steps.append(Step(name, segment.index, typ))
            if segment.index is None:
                current = typ
            else:
                current = typ.item if isinstance(typ, ListOf) else None
        return tuple(steps)

    # ---- literals

    def shifted(self, duration: Duration, sign: int, pos: int) -> dt.datetime:
        try:
            return shifted(self.now, sign * duration.seconds)
        except OverflowError:
            raise self.error(
                f"the duration {duration.text} is too long: it reaches outside the years 1 to 9999", pos
            ) from None

    def coerce(self, value: Value, raw: str | None, typ: PropType | None, pos: int) -> object:
        if value is None:
            return None
        if isinstance(value, tuple | dict):
            raise self.error("a list or object value needs `in` or `not in`", pos)
        if typ is None:
            if isinstance(value, Duration):
                return value.text
            return value
        if isinstance(typ, StringMap | Struct | ListOf):
            raise self.error(f"a {typ} can only be compared with null; compare one of its properties", pos)
        name = typ.name
        if name == "string":
            if raw is not None:
                return raw
            if isinstance(value, bool):
                return "true" if value else "false"
            return value.text if isinstance(value, Duration) else str(value)
        if name in ("int", "float"):
            if isinstance(value, bool):
                raise self.error(f"expected a number, got {str(value).lower()}", pos)
            if isinstance(value, int | float):
                return value
            text = value.text if isinstance(value, Duration) else value
            try:
                return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
            except ValueError:
                duration = _quoted_duration(value)
                if isinstance(duration, Duration):
                    raise self.error(_duration_for_a_number(duration), pos) from None
                raise self.error(f"expected a number, got {text!r}", pos) from None
        if name == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise self.error(f"expected true or false, got {value!r}", pos)
        if isinstance(value, Duration):
            return self.shifted(value, 1, pos)
        if isinstance(value, str):
            duration = _quoted_duration(value)
            if isinstance(duration, Duration):  # ctime > "-3d" is ctime > -3d, as in Fix
                return self.shifted(duration, 1, pos)
            try:
                return parse_datetime(value)
            except ValueError:
                raise self.error(
                    f"expected a date/time (2024-01-31T12:00:00Z) or a duration (-3d), got {value!r}", pos
                ) from None
        raise self.error(f"expected a date/time or a duration, got {value!r}", pos)

    # ---- terms

    def term(self, term: ast.Term | None, element: PropType | Literal[False] | None = False) -> BTerm:
        if term is None or isinstance(term, ast.AllTerm):
            return BAll()
        if isinstance(term, ast.CombinedTerm):
            first, rest = ast.chain(term)
            bound = self.term(first, element)
            for op, right in rest:
                bound = BCombined(bound, op, self.term(right, element))
            return bound
        if isinstance(term, ast.NotTerm):
            return BNot(self.term(term.term, element))
        if isinstance(term, ast.Predicate):
            return self.predicate(term, element)
        if isinstance(term, ast.ContextTerm):
            path = self.resolve(term.path, element)
            item = path.leaf_type
            if isinstance(item, ListOf) and path.steps[-1].type is not None:
                raise self.error(f"{term.path} is a list: write {term.path}[*].{{...}}", term.path.pos)
            if path.root not in ("reported", "element", "merge") or not isinstance(
                item, Struct | StringMap | None
            ):
                raise self.error(f"{term.path} holds {item} values; {{...}} needs objects", term.path.pos)
            return BContext(path, self.term(term.term, item))
        if isinstance(term, ast.FunctionTerm):
            return self.function(term, element)
        if element is not False:
            raise self.error(f"inside {{...}} only predicates combine: {term}")
        if isinstance(term, ast.IsTerm):
            kinds: set[str] = set()
            for name in term.kinds:
                if name in self.generic_kinds:
                    kinds.add(name)
                    continue
                if name not in self.model.kinds:
                    known = [*self.model.kinds, *self.generic_kinds]
                    raise self.error(f"unknown kind {name!r}.{did_you_mean(name, known)}", term.pos)
                kinds.update(self.model.subkinds(name))
                if name == "resource":  # a generic resource's kinds are its own and resource
                    kinds.update(self.generic_kinds)
            return BIs(tuple(sorted(kinds)))
        if isinstance(term, ast.IdTerm):
            return BId(term.ids)
        if isinstance(term, ast.FullTextTerm):
            if "\x1f" in term.text:
                raise self.error("a text search cannot contain control character \\x1f")
            return BFullText(term.text.lower())
        raise self.error(f"unsupported term {term}")

    def predicate(self, term: ast.Predicate, element: PropType | Literal[False] | None) -> BTerm:
        path, op, value, raw = term.path, term.op, term.value, term.raw
        first = path.segments[0]
        if (
            element is False
            and not path.absolute
            and len(path.segments) == 1
            and first.index is None
            and first.name in SYNTHETIC
            and first.name not in self.extra
        ):
            if op not in _FLIP:
                raise self.error(f"{first.name} compares with == != < <= > >= and a duration", term.pos)
            value = _quoted_duration(value)
            if value is not None and not isinstance(value, Duration):
                raise self.error(
                    f"{first.name} compares with a duration such as 30d, got {value!r}", term.pos
                )
            resolved = self.resolve(Path((ast.Segment(SYNTHETIC[first.name]),)))
            since = None if value is None else self.shifted(value, -1, term.pos)
            return BPredicate(resolved, _FLIP[op], since, term.modifier or "any")
        segments = path.segments
        if (
            element is False
            and len(segments) >= 3
            and self._merge_match(path) is not None
            and segments[-2].name == "reported"
            and segments[-1].name in SYNTHETIC
            and segments[-1].index is None
        ):
            # access_keys[*].reported.age > 90d: the merged node's ctime, like age at the top
            value = _quoted_duration(value)
            if op not in _FLIP or (value is not None and not isinstance(value, Duration)):
                raise self.error(
                    f"{segments[-1].name} compares with == != < <= > >= and a duration", term.pos
                )
            real = Path((*segments[:-1], ast.Segment(SYNTHETIC[segments[-1].name])), path.absolute, path.pos)
            since = None if value is None else self.shifted(value, -1, term.pos)
            return BPredicate(self.resolve(real), _FLIP[op], since, term.modifier or "any")
        resolved = self.resolve(path, element)
        typ = resolved.compare_type
        value = in_list_values(op, value)
        if compares_whole(op, value):
            whole = bind_whole(op, value, resolved.leaf_type, str(path), lambda m: self.error(m, term.pos))
            return BPredicate(resolved, op, whole, term.modifier or "any", whole=True)
        if op in ("=~", "!~") and raw is not None:
            value = raw  # an unquoted pattern is the text as written: db_version =~ 11
        if op in ("in", "not in"):
            if not isinstance(value, tuple):
                raise self.error(f"{op} needs a list: {path} {op} [a, b]", term.pos)
            coerced: object = tuple(self.coerce(v, None, typ, term.pos) for v in value)
        elif op in ("=~", "!~"):
            if not isinstance(value, str) or (raw is not None and not isinstance(value, str)):
                raise self.error(f'{op} needs a regular expression in quotes: {path} {op} "^prod"', term.pos)
            if typ is not None and typ != STRING:
                raise self.error(f"{path} is a {typ}: {op} matches strings only", term.pos)
            try:
                check_regex(value)
                with warnings.catch_warnings():  # "possible nested set": [[a] means the same everywhere
                    warnings.simplefilter("ignore", FutureWarning)
                    re.compile(value)
            except re.error as e:
                raise self.error(
                    f"invalid regular expression {ast.quote(value)}: {e}{_regex_hint(value, e)}", term.pos
                ) from None
            except RegexError as e:
                raise self.error(
                    f"regular expression {ast.quote(value)}, at {e.offset}: {e}", term.pos
                ) from None
            coerced = value
        else:
            if value is None and op not in ("==", "!="):
                raise self.error(f"null compares only with == and !=, not {op}", term.pos)
            coerced = self.coerce(value, raw, typ, term.pos)
        return BPredicate(resolved, op, coerced, term.modifier or "any")

    def function(self, term: ast.FunctionTerm, element: PropType | Literal[False] | None) -> BTerm:
        resolved = self.resolve(term.path, element)
        typ = resolved.compare_type
        if term.name == "has_key":
            if typ is not None and not isinstance(typ, StringMap):
                raise self.error(f"has_key needs a map such as tags; {term.path} is a {typ}")
            return BFunction("has_key", resolved, keys=term.args)
        if typ is not None and typ != STRING:
            raise self.error(
                f"in_subnet needs a string property holding an IP address; {term.path} is a {typ}"
            )
        try:
            network = ipaddress.ip_network(term.args[0], strict=False)
        except ValueError:
            raise self.error(f"in_subnet: {term.args[0]!r} is not a network such as 10.0.0.0/8") from None
        if not isinstance(network, ipaddress.IPv4Network):
            raise self.error("in_subnet supports IPv4 networks")
        return BFunction(
            "in_subnet", resolved, network=(int(network.network_address), int(network.broadcast_address))
        )

    # ---- parts and queries

    def with_clause(self, clause: ast.WithClause) -> BWith:
        nested = self.with_clause(clause.with_clause) if clause.with_clause else None
        navigation = self.navigation(clause.navigation)
        return BWith(clause.kind, clause.op, clause.count, navigation, self.term(clause.term), nested)

    def navigation(self, navigation: ast.Navigation) -> BNavigation:
        return bind_navigation(navigation, self.edge_filter)

    def edge_filter(self, term: ast.Term) -> BTerm:
        """An edge filter's paths are relative to the edge's properties, which no model types."""
        for path in edge_filter_paths(term):
            raise self.error(f"an edge filter's paths are relative to the edge: {path} is absolute", path.pos)
        return self.term(term, element=None)

    def sort_path(self, path: Path) -> Resolved:
        """A path that yields one value per node: usable to sort and to group by. Untyped sorts by text."""
        resolved = self.resolve(path)
        typ = resolved.leaf_type
        if path.is_multi or isinstance(typ, ListOf | Struct | StringMap):
            raise self.error(f"cannot sort or group by {path}: it holds {typ or 'many'} values", path.pos)
        return resolved

    def _outside_model(self, path: Path) -> bool:
        """A relative path whose property no kind has (nor the stored ones beside the model)."""
        first = path.segments[0]
        return (
            not path.absolute
            and self.model.property_type(first.name) is None
            and first.name not in self.extra
            and first.name not in ("kind", "ancestors", *ANCESTOR_LEVELS)
            and self._merge_match(path) is None
        )

    def group_path(self, path: Path) -> Resolved:
        """A path to group by: one value per node, or through [*] one value per element (Fix unfolds
        the list: each element is a row of its own; a missing or empty list gives no row). A property
        outside the model is missing everywhere, as in Fix: its group is null."""
        if self._outside_model(path):
            return Resolved("unfilled", tuple(Step(s.name, None, None) for s in path.segments))
        if not path.is_multi:
            return self.sort_path(path)
        resolved = self.resolve(path)
        typ = resolved.leaf_type
        if resolved.root != "reported" or isinstance(typ, ListOf | Struct | StringMap):
            raise self.error(
                f"cannot group by {path}: it holds {typ or 'many'} values; group by one value per node or per "
                "element of a list (labels[*], group_ip_permissions[*].ip_protocol)",
                path.pos,
            )
        return resolved

    def part(self, part: ast.Part) -> BPart:
        merges = tuple(self.merge(m) for m in part.merge)
        names = [m.name for m in merges]
        if len(set(names)) != len(names):
            raise self.error(f"a merge name is used twice: {', '.join(names)}")
        with_clause = self._without_implied(part.with_clause)
        outer_implied, self.implied = self.implied, set()
        try:
            pre = self.term(part.term)
            self.merge_scope = {m.name: m.many for m in merges}
            self.merge_rows = {m.name for m in merges if m.query.aggregate is not None}
            try:
                post = self.term(part.post) if part.post is not None else BAll()
                sort = tuple(BSort(self.sort_path(s.path), s.order) for s in part.sort)
            finally:
                self.merge_scope, self.merge_rows = {}, set()
            implied = tuple(self._implied_merge(kind) for kind in sorted(self.implied))
        finally:
            self.implied = outer_implied
        if implied:  # the implied merges must be known before the term: all of it moves after them
            pre, post, merges = BAll(), BCombined(pre, "and", post), merges + implied
        return BPart(pre, with_clause, sort, part.limit, merges, post, part.reverse)

    def _without_implied(self, clause: ast.WithClause | None) -> BWith | None:
        """with() filters the nodes it reaches, which carry no merges: ancestors.<kind> paths are refused."""
        if clause is None:
            return None
        outer_implied, self.implied = self.implied, set()
        try:
            bound = self.with_clause(clause)
            if self.implied:
                kinds = ", ".join(sorted(self.implied))
                raise self.error(
                    f"inside with() only the stored ancestors (cloud, account, region, zone) can be used, "
                    f"not ancestors.{kinds}"
                )
            return bound
        finally:
            self.implied = outer_implied

    def _implied_merge(self, kind: str) -> BMerge:
        upwards = ast.Query(
            (ast.Part(), ast.Part(ast.IsTerm((kind,)))), (ast.Navigation(1, None, ("default",), "in"),)
        )
        return BMerge(f"/ancestors.{kind}", False, self.query(upwards))

    def merge(self, merge: ast.MergeQuery) -> BMerge:
        name = merge.name
        if name.absolute and (
            len(name.segments) == 1 and name.segments[0].name in ("id", "kinds", "reported")
        ):
            raise self.error(
                f"a merge cannot replace {name}: name it otherwise, such as {name.segments[0].name}_of"
            )
        outer, self.merge_scope = self.merge_scope, {}
        outer_rows, self.merge_rows = self.merge_rows, set()
        try:
            query = self.query(merge.query)
        finally:
            self.merge_scope, self.merge_rows = outer, outer_rows
        # an aggregate's rows are always a list, as in Fix
        return BMerge(str(name), merge.many or query.aggregate is not None, query)

    def aggregate(self, aggregate: ast.Aggregate) -> BAggregate:
        group = []
        for var in aggregate.group:
            if isinstance(var.path, ast.Template):
                parts = tuple(p if isinstance(p, str) else self.group_path(p) for p in var.path.parts)
                group.append(BAggregateVariable(None, var.name, parts))
            else:
                group.append(BAggregateVariable(self.group_path(var.path), var.name))
        functions = [
            BAggregateFunction(fn.function, self.operand(fn.argument, fn.function), fn.name)
            for fn in aggregate.functions
        ]
        return BAggregate(tuple(group), tuple(functions))

    def operand(self, operand: ast.Operand, function: str, arithmetic: bool = False) -> BOperand:
        """What an aggregate function reads: a number, arithmetic, one value per node, or the values of a
        path through lists (sum(a[*].b): see cloudsift.store.sql.aggregates); a property outside the model
        (and not stored beside it) is always missing, as in Fix: sum() gives 0."""
        if isinstance(operand, ast.Arithmetic):
            return BArithmetic(
                self.operand(operand.left, "sum", True), operand.op, self.operand(operand.right, "sum", True)
            )
        if not isinstance(operand, Path):
            return operand
        if self._outside_model(operand):
            return None
        if operand.is_multi and arithmetic:
            raise self.error(
                f"a path through a list ({operand}) is not allowed in arithmetic: an aggregate function takes "
                f"it alone, sum({operand}) adds up every value it reaches",
                operand.pos,
            )
        resolved = self.resolve(operand) if operand.is_multi else self.sort_path(operand)
        typ = resolved.leaf_type
        if operand.is_multi and (resolved.root != "reported" or isinstance(typ, ListOf | Struct | StringMap)):
            raise self.error(f"{function}() needs one value per node or element; {operand} holds {typ}")
        if (
            function in ("sum", "avg")
            and typ is not None
            and not (isinstance(typ, Scalar) and typ.name in ("int", "float"))
        ):
            raise self.error(f"{function}() and arithmetic need a number property; {operand} is {typ}")
        return resolved

    def query(self, query: ast.Query) -> BoundQuery:
        for part in query.parts[:-1]:
            if part.tag is not None:
                # Fix adds a tagged part's nodes to the result; a tag on the last part only marks them
                raise self.error(
                    f"a tag (#{part.tag}) on a part before a navigation is not supported: Fix adds that "
                    "part's nodes to the result; tag the last part or remove the tag"
                )
        return BoundQuery(
            tuple(self.part(p) for p in query.parts),
            tuple(self.navigation(n) for n in query.navigations),
            self.aggregate(query.aggregate) if query.aggregate else None,
            self.text or str(query),
        )


def _quoted_duration(value: Value) -> Value:
    """A string that is written like a duration ("23h") reads as one where a duration is expected."""
    from cloudsift.query.parser import parse_duration

    duration = parse_duration(value) if isinstance(value, str) else None
    return duration if duration is not None else value


def bind(
    query: ast.Query,
    model: Model = MODEL,
    extra: Iterable[str] = (),
    now: dt.datetime | None = None,
    text: str = "",
    kinds: Iterable[str] = (),
) -> BoundQuery:
    return Binder(model, extra, now, text, kinds).query(query)


def is_datetime(typ: PropType | None) -> bool:
    return typ == DATETIME


def _duration_for_a_number(duration: Duration) -> str:
    """Why a duration is refused where a number is compared, and what to write instead.

    Fix keeps such a literal as text and ArangoDB orders every number before every text, so there
    `n < 365d` holds for every number and `n > 90d` for none: refused rather than guessed."""
    days = duration.seconds / 86400
    example = (
        f", e.g. {int(days)} for {duration.text} if it counts days" if days == int(days) and days else ""
    )
    return (
        f"{duration.text} is a duration but this property is a number: write the number in the property's "
        f"unit{example} (Fix compares a number with {duration.text} as with a text, true for every number "
        "with < and for none with >)"
    )


def _regex_hint(pattern: str, error: re.error) -> str:
    """What to write instead, for the mistakes that mean a literal character (Fix's `~"*"`, a CloudTrail
    filter pattern's unbalanced parenthesis); ArangoDB, Fix's engine, refuses these patterns too."""
    at = error.pos if error.pos is not None and error.pos < len(pattern) else None
    if error.msg.startswith(("nothing to repeat", "multiple repeat")) and at is not None:
        char = pattern[at]
        return f"; to match a literal {char}, write \\{char}"
    if error.msg.startswith("unbalanced parenthesis"):
        return "; to match a literal ), write \\), or remove the ) that opens no group"
    if error.msg.startswith("missing ), unterminated subpattern"):
        return "; to match a literal (, write \\(, or close the group with )"
    return ""
