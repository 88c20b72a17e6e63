"""Commands that shape and print elements: list, format, dump, json, echo, chunk, flatten, uniq (jq: jq.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from cloudsift.commands.base import MAX_COUNT, Command, Context, Option, command, whole_number
from cloudsift.commands.search import open_nodes
from cloudsift.errors import UsageError

DEFAULT_COLUMNS = ("kind", "id", "name", "age", "cloud", "account", "region")
_SHORTCUTS = {"cloud", "account", "region", "zone"}
_SYNTHETIC = {"age": "ctime", "last_update": "mtime", "last_access": "atime"}


def is_node(element: Any) -> bool:
    return isinstance(element, dict) and "reported" in element and "id" in element


def human_duration(seconds: float) -> str:
    """3d4h, 2y1mo, 45s: the two largest units."""
    units = (("y", 365 * 86400), ("mo", 31 * 86400), ("d", 86400), ("h", 3600), ("min", 60), ("s", 1))
    remaining = int(max(seconds, 0))
    parts = []
    for unit, size in units:
        if remaining >= size:
            parts.append(f"{remaining // size}{unit}")
            remaining %= size
        if len(parts) == 2:
            break
    return "".join(parts) or "0s"


def doc_value(doc: Any, path: str, now: dt.datetime | None = None) -> Any:
    """A value of a node by path: relative paths read `reported`; cloud/account/region/zone are ancestors."""
    if not isinstance(doc, dict):
        return None
    text = path.strip()
    if text in _SYNTHETIC and is_node(doc):
        ctime = doc["reported"].get(_SYNTHETIC[text])
        if not isinstance(ctime, str):
            return None
        try:
            when = dt.datetime.fromisoformat(ctime)
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return human_duration(((now or dt.datetime.now(dt.UTC)) - when).total_seconds())
    keys = [k.strip("`") for k in re.findall(r"`[^`]*`|[^.]+", text.lstrip("/"))]
    if is_node(doc) and not text.startswith("/"):
        if keys and keys[0] in _SHORTCUTS and len(keys) <= 2:
            field = keys[1] if len(keys) == 2 else "name"
            return ((doc.get("ancestors") or {}).get(keys[0]) or {}).get("reported", {}).get(field)
        value: Any = doc["reported"]
    else:
        value = doc
    for key in keys:
        match = re.fullmatch(r"(.*)\[(\d+)\]", key)
        index = None
        if match:
            key, index = match.group(1), int(match.group(2))
        value = value.get(key) if isinstance(value, dict) else None
        if index is not None:
            value = value[index] if isinstance(value, list) and index < len(value) else None
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return str(value)


def _columns(spec: str) -> list[tuple[str, str]]:
    columns = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        match = re.fullmatch(r"(.+?)\s+as\s+(\S+)", part)
        path, name = (
            (match.group(1), match.group(2)) if match else (part, part.rsplit(".", 1)[-1].lstrip("/"))
        )
        columns.append((path.strip(), name))
    return columns


@command
class ListCommand(Command):
    """Show nodes as a table: a table in a terminal, one `key=value` line per node otherwise.

    Columns default to kind, id, name, age, cloud, account, region; name others as paths,
    with `as` for a header: `list name, instance_type as type, account`.

    Example: `search is(aws_ec2_instance) | list name, instance_type, account --csv`
    """

    name = "list"
    formatter = True
    per_node = True
    positional = "[PATH [as NAME], ...]"
    options = (
        Option("--csv", "Comma-separated values with a header.", bool, False),
        Option("--markdown", "A markdown table.", bool, False),
        Option("--json-table", "One JSON object with columns and rows.", bool, False),
    )

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        columns = _columns(" ".join(self.rest)) or [(c, c) for c in DEFAULT_COLUMNS]
        rows: list[list[str]] = []
        others: list[Any] = []
        for element in open_nodes(stream):
            if is_node(element):
                rows.append([_cell(doc_value(element, path, ctx.now)) for path, _ in columns])
            elif not rows:
                yield element  # not a node: passed through untouched
            else:
                others.append(element)
        if rows or self.args["csv"] or self.args["markdown"] or self.args["json_table"]:
            yield from self._render(ctx, [name for _, name in columns], rows)
        yield from others

    def _render(self, ctx: Context, header: list[str], rows: list[list[str]]) -> Iterator[Any]:
        if self.args["csv"]:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            yield out.getvalue().rstrip("\n")
        elif self.args["markdown"]:
            yield "| " + " | ".join(header) + " |"
            yield "|" + "|".join("---" for _ in header) + "|"
            for row in rows:
                yield "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"
        elif self.args["json_table"]:
            yield {"columns": header, "rows": rows}
        elif ctx.terminal:
            yield Table(header, rows)
        else:
            for row in rows:
                yield ", ".join(f"{h}={c}" for h, c in zip(header, row, strict=True) if c)


class Table:
    """A table for a terminal; the CLI renders it with rich."""

    def __init__(self, header: list[str], rows: list[list[str]]) -> None:
        self.header = header
        self.rows = rows


@command
class FormatCommand(Command):
    """Format each node: a template with {path} placeholders, or --json / --ndjson / --yaml.

    `--ndjson` prints one JSON object per node with the keys id, kinds, reported and ancestors.

    Example: `search is(volume) | format "{name} is {volume_size} GiB in {account}"`
    """

    name = "format"
    formatter = True
    positional = '"TEMPLATE"'
    options = (
        Option("--json", "A JSON array of the elements.", bool, False),
        Option("--ndjson", "One JSON object per line.", bool, False),
        Option("--yaml", "YAML documents.", bool, False),
    )

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        elements = open_nodes(stream)
        if self.args["json"]:
            yield orjson.dumps(list(elements), option=orjson.OPT_INDENT_2).decode()
        elif self.args["ndjson"]:
            for element in elements:
                yield orjson.dumps(_ndjson(element)).decode()
        elif self.args["yaml"]:
            import yaml

            for element in elements:
                yield "---\n" + yaml.safe_dump(element, sort_keys=False, allow_unicode=True).rstrip("\n")
        else:
            if not self.rest:
                raise UsageError(
                    'format needs a template, e.g. format "{name}: {kind}", or --json/--ndjson/--yaml'
                )
            template = " ".join(self.rest)
            for element in elements:
                yield _fill(template, element, ctx.now)


def _fill(template: str, element: Any, now: dt.datetime) -> str:
    return re.sub(r"\{([^{}]+)\}", lambda m: _cell(doc_value(element, m.group(1), now)), template)


def _ndjson(element: Any) -> Any:
    if is_node(element):
        return {k: element.get(k) for k in ("id", "kinds", "reported", "ancestors")}
    return element


@command
class DumpCommand(Command):
    """Print each node whole, as indented JSON.

    Example: `search is(aws_ec2_security_group) | head 1 | dump`
    """

    name = "dump"
    formatter = True

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        for element in open_nodes(stream):
            yield orjson.dumps(element, option=orjson.OPT_INDENT_2).decode()


@command
class JsonCommand(Command):
    """Emit a JSON value; a list emits its elements.

    Example: `json [1, 2, 3] | count`
    """

    name = "json"
    source = True
    positional = "JSON"

    def parse(self, raw: str) -> None:
        try:
            self.value = orjson.loads(raw)
        except orjson.JSONDecodeError as e:
            raise UsageError(f"json: not valid JSON: {e}") from None

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        return iter(self.value if isinstance(self.value, list) else [self.value])


@command
class EchoCommand(Command):
    """Emit the text as it is.

    Example: `echo hello`
    """

    name = "echo"
    source = True
    positional = "TEXT"

    def parse(self, raw: str) -> None:
        self.text = raw[1:-1] if len(raw) > 1 and raw[0] == raw[-1] and raw[0] in "\"'" else raw

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        return iter([self.text])


@command
class ChunkCommand(Command):
    """Group elements into lists of N (default 100).

    Example: `json [1, 2, 3] | chunk 2`
    """

    name = "chunk"
    positional = "[N]"

    def parse(self, raw: str) -> None:
        super().parse(raw)
        if len(self.rest) > 1:
            raise UsageError("chunk takes one size: chunk 100")
        self.size = whole_number("chunk", self.rest[0], 1, MAX_COUNT) if self.rest else 100

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        size = self.size
        chunk: list[Any] = []
        for element in open_nodes(stream):
            chunk.append(element)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


@command
class FlattenCommand(Command):
    """Open lists into their elements.

    Example: `json [[1, 2], [3]] | flatten`
    """

    name = "flatten"

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        for element in open_nodes(stream):
            if isinstance(element, list):
                yield from element
            else:
                yield element


@command
class UniqCommand(Command):
    """Drop elements seen before.

    Example: `json [1, 1, 2] | uniq`
    """

    name = "uniq"

    def gives(self, given: str | None) -> str | None:
        return given  # it only drops repeats of what it gets

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        seen: set[bytes] = set()
        for element in open_nodes(stream):
            key = orjson.dumps(element, option=orjson.OPT_SORT_KEYS)
            if key not in seen:
                seen.add(key)
                yield element
