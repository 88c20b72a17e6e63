"""search, and the commands that fold into its SQL: head, tail, count, aggregate."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from cloudsift.commands.base import MAX_COUNT, RESOURCES, Command, Context, Option, command, whole_number
from cloudsift.errors import UsageError
from cloudsift.query import ast
from cloudsift.query.binder import Binder, BoundQuery, BSort
from cloudsift.query.parser import parse_aggregate, parse_query
from cloudsift.store.base import Store

if TYPE_CHECKING:
    from cloudsift.commands.pipeline import Pipeline


class NodeStream:
    """The nodes a search finds, not yet fetched: following commands may fold into the query."""

    def __init__(self, store: Store, query: BoundQuery) -> None:
        self.store = store
        self.query = query

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.store.search(self.query)

    def last(self, count: int) -> Iterator[dict[str, Any]]:
        """The last `count` nodes in order: the query runs backwards with a limit (when it has none of its own)."""
        if self.query.parts[-1].limit is not None:
            kept: deque[dict[str, Any]] = deque(self, maxlen=count)
            return iter(kept)
        backwards = dataclasses.replace(self.query, reverse=not self.query.reverse)
        found: list[dict[str, Any]] = list(NodeStream(self.store, backwards).limited(count))
        return iter(found[::-1])

    def with_last_part(self, **changes: Any) -> NodeStream:
        last = dataclasses.replace(self.query.parts[-1], **changes)
        return NodeStream(self.store, dataclasses.replace(self.query, parts=(*self.query.parts[:-1], last)))

    def limited(self, count: int) -> NodeStream:
        last = self.query.parts[-1]
        limit = last.limit
        if limit is None and last.reverse:  # all of it backwards: the query's order turned round, then cut
            parts = (*self.query.parts[:-1], dataclasses.replace(last, reverse=False, limit=ast.Limit(count)))
            turned = dataclasses.replace(self.query, parts=parts, reverse=not self.query.reverse)
            return NodeStream(self.store, turned)
        if limit is None:
            new = ast.Limit(count)
        elif last.reverse:  # the window is returned from its end: its first `count` are its last ones
            kept = min(count, limit.count)
            new = ast.Limit(kept, limit.offset + limit.count - kept)
        else:
            new = ast.Limit(min(count, limit.count), limit.offset)
        parts = (*self.query.parts[:-1], dataclasses.replace(last, limit=new))
        return NodeStream(self.store, dataclasses.replace(self.query, parts=parts))


@command
class SearchCommand(Command):
    """Search the inventory.

    `search QUERY` selects nodes with the search language: `is(kind)`, predicates such as
    `name == web` or `ctime > -3d`, context terms `array[*].{...}`, full-text `"text"`,
    navigation `-->`, `sort` and `limit`. An empty query means all nodes.

    `search --explain QUERY` prints the query's canonical text and the SQL it runs (with its bound
    parameters) instead of running it.

    Example: `search is(aws_ec2_security_group) and tags.owner == alice | count`
    """

    name = "search"
    source = True
    positional = "[--explain] QUERY"

    def parse(self, raw: str) -> None:
        explain = re.match(r"\s*--explain(\s+|\Z)", raw)
        self.explain = explain is not None
        self.query_text = raw[explain.end() :] if explain else raw
        self.parsed = parse_query(self.query_text)

    def gives(self, given: str | None) -> str | None:
        return None if self.parsed.aggregate is not None or self.explain else RESOURCES

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        binder = Binder(ctx.store.model, ctx.store.extra_properties(), ctx.now, self.query_text)
        bound = binder.query(self.parsed)
        if self.explain:
            return iter(_explain(self.parsed, bound, ctx.store))
        if bound.aggregate is not None:
            return iter(ctx.store.aggregate(bound))
        return iter([NodeStream(ctx.store, bound)])


def searches_of(pipelines: Iterable[Pipeline]) -> list[SearchCommand]:
    """The searches of parsed command lines, in their order."""
    return [cmd for pipeline in pipelines for cmd in pipeline.commands if isinstance(cmd, SearchCommand)]


def _explain(parsed: ast.Query, bound: BoundQuery, store: Store) -> list[str]:
    from cloudsift.store.sql.compiler import QueryCompiler

    compiler = QueryCompiler(store.dialect)
    statement = (
        compiler.aggregate(bound, bound.aggregate) if bound.aggregate is not None else compiler.search(bound)
    )
    parameters = ", ".join(f"{name}={value!r}" for name, value in statement.params.items())
    return [f"query: {parsed}", f"sql ({store.dialect.name}): {statement.sql}", f"parameters: {parameters}"]


def _nodes(stream: Iterable[Any]) -> Iterator[Any]:
    """Open up a NodeStream element into its nodes."""
    for element in stream:
        if isinstance(element, NodeStream):
            yield from element
        else:
            yield element


_END = object()


def _single_node_stream(stream: Iterable[Any]) -> tuple[NodeStream | None, Iterator[Any]]:
    """The search this stream is, when it is exactly one unopened search; else the stream itself."""
    iterator = iter(stream)
    first = next(iterator, _END)
    if first is _END:
        return None, iter(())
    if isinstance(first, NodeStream):
        second = next(iterator, _END)
        if second is _END:
            return first, iter(())
        return None, itertools.chain([first, second], iterator)
    return None, itertools.chain([first], iterator)


@command
class HeadCommand(Command):
    """The first N elements (default 100). After search it becomes the query's limit.

    Example: `search all | head -n 5`
    """

    name = "head"
    selects = True
    options = (Option("-n", "How many elements.", int, 100, minimum=0, maximum=MAX_COUNT),)
    positional = "[N]"

    def parse(self, raw: str) -> None:
        super().parse(raw)
        self.count = _count_arg(self)

    def gives(self, given: str | None) -> str | None:
        return given  # it only picks or orders what it gets

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        count = self.count
        node_stream, rest = _single_node_stream(stream)
        if node_stream is not None:
            return iter(node_stream.limited(count))
        return _head(_nodes(rest), count)


def _head(stream: Iterable[Any], count: int) -> Iterator[Any]:
    for i, element in enumerate(stream):
        if i >= count:
            return
        yield element


def _count_arg(cmd: Command) -> int:
    """`-n N` or a positional N; `head -5` reads as Unix's `head -5`, five elements."""
    if len(cmd.rest) > 1:
        raise UsageError(f"{cmd.name} takes one count: {cmd.name} 10")
    if cmd.rest:
        text = cmd.rest[0]
        return whole_number(cmd.name, text[1:] if text.startswith("-") and text[1:].isdigit() else text)
    return int(cmd.args["n"])


@command
class TailCommand(Command):
    """The last N elements (default 100).

    Example: `search is(volume) | tail -n 2`
    """

    name = "tail"
    selects = True
    options = (Option("-n", "How many elements.", int, 100, minimum=0, maximum=MAX_COUNT),)
    positional = "[N]"

    def parse(self, raw: str) -> None:
        super().parse(raw)
        self.count = _count_arg(self)

    def gives(self, given: str | None) -> str | None:
        return given  # it only picks or orders what it gets

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        count = self.count
        node_stream, rest = _single_node_stream(stream)
        if node_stream is not None:
            return node_stream.last(count)
        return iter(deque(_nodes(rest), maxlen=count))


@command
class SortCommand(Command):
    """Sort the nodes of a search: it becomes the query's sort (nulls first ascending, last descending).

    Example: `search is(volume) | sort volume_size desc, name | head 3`
    """

    name = "sort"
    positional = "PATH [asc|desc], ..."

    def parse(self, raw: str) -> None:
        if not raw.strip():
            raise UsageError("sort needs a property: sort name desc")
        self.text = raw
        self.items = parse_query(f"all sort {raw}").parts[0].sort

    def gives(self, given: str | None) -> str | None:
        return given  # it only picks or orders what it gets

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        node_stream, _ = _single_node_stream(stream)
        if node_stream is None:
            raise UsageError("sort works on the output of search")
        binder = Binder(node_stream.store.model, node_stream.store.extra_properties(), ctx.now, self.text)
        items = tuple(BSort(binder.sort_path(i.path), i.order) for i in self.items)
        return iter([node_stream.with_last_part(sort=items)])


@command
class LimitCommand(Command):
    """Keep N nodes of a search (`limit N` or `limit OFFSET, N`): it becomes the query's limit.

    Example: `search is(volume) | sort volume_size desc | limit 1, 2`
    """

    name = "limit"
    selects = True
    positional = "[OFFSET,] N"

    def parse(self, raw: str) -> None:
        limit = parse_query(f"all limit {raw}").parts[0].limit
        if limit is None:
            raise UsageError("limit needs a number: limit 10")
        for what, number in (("offset", limit.offset), ("count", limit.count)):
            if number > MAX_COUNT:
                raise UsageError(f"limit: the {what} {number} is too large (at most {MAX_COUNT})")
        self.limit = limit

    def gives(self, given: str | None) -> str | None:
        return given  # it only picks or orders what it gets

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        node_stream, rest = _single_node_stream(stream)
        if node_stream is None:
            return itertools.islice(_nodes(rest), self.limit.offset, self.limit.offset + self.limit.count)
        return iter([node_stream.with_last_part(limit=self.limit)])


@command
class CountCommand(Command):
    """Count elements, or group them by a property's value.

    `count` prints `total matched: N` and `total unmatched: 0`; `count PATH` prints one
    `value: n` line per value (smallest count first), then `total matched` (with a value)
    and `total unmatched` (without). After search it runs in the database.

    Example: `search is(instance) | count instance_type`
    """

    name = "count"
    positional = "[PATH]"
    formatter = True

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if len(self.rest) > 1:
            raise UsageError("count takes at most one path")
        path = self.rest[0] if self.rest else None
        node_stream, rest = _single_node_stream(stream)
        if node_stream is not None:
            return iter(self._in_store(ctx, node_stream, path))
        return iter(self._in_python(list(_nodes(rest)), path))

    def _in_store(self, ctx: Context, nodes: NodeStream, path: str | None) -> list[str]:
        if path is None:
            return [f"total matched: {nodes.store.count(nodes.query)}", "total unmatched: 0"]
        spec = parse_aggregate(f"{path} as value: sum(1) as count")
        binder = Binder(nodes.store.model, nodes.store.extra_properties(), ctx.now, path)
        bound = dataclasses.replace(nodes.query, aggregate=binder.aggregate(spec))
        rows = nodes.store.aggregate(bound)
        return _count_lines([(r["group"]["value"], r["count"]) for r in rows])

    def _in_python(self, elements: list[Any], path: str | None) -> list[str]:
        if path is None:
            return [f"total matched: {len(elements)}", "total unmatched: 0"]
        from cloudsift.commands.output import doc_value

        counts: dict[Any, int] = {}
        for element in elements:
            value = doc_value(element, path)
            key = value if isinstance(value, str | int | float | bool) or value is None else str(value)
            counts[key] = counts.get(key, 0) + 1
        return _count_lines(list(counts.items()))


def _count_lines(groups: list[tuple[Any, int]]) -> list[str]:
    present = sorted(((v, n) for v, n in groups if v is not None), key=lambda g: (g[1], str(g[0])))
    lines = [f"{_text(value)}: {n}" for value, n in present]
    unmatched = sum(n for v, n in groups if v is None)
    return [*lines, f"total matched: {sum(n for _, n in present)}", f"total unmatched: {unmatched}"]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@command
class AggregateCommand(Command):
    """Group the nodes of a search and compute sum, count, min, max or avg per group.

    Example: `search is(volume) | aggregate account.name as account: sum(volume_size) as size`
    """

    name = "aggregate"
    positional = "[GROUP, ...:] FUNCTION, ..."

    def parse(self, raw: str) -> None:
        if not raw.strip():
            raise UsageError("aggregate needs functions: aggregate kind: sum(1) as count")
        self.spec = parse_aggregate(raw)
        self.text = raw

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        node_stream, _ = _single_node_stream(stream)
        if node_stream is None:
            raise UsageError("aggregate works on the output of search")
        binder = Binder(node_stream.store.model, node_stream.store.extra_properties(), ctx.now, self.text)
        bound = dataclasses.replace(node_stream.query, aggregate=binder.aggregate(self.spec))
        return iter(node_stream.store.aggregate(bound))


def open_nodes(stream: Iterable[Any]) -> Iterator[Any]:
    return _nodes(stream)
