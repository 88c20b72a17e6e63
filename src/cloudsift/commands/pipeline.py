"""A command line into pipelines: split on unquoted `|` and `;`, replace @NOW@-style placeholders; a
command whose own arguments hold `--help` or `-h` makes its pipeline `help COMMAND`."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cloudsift.commands.base import COMMANDS, Command, Context
from cloudsift.errors import Stopped, UsageError

_PLACEHOLDER = re.compile(
    r"@(UTC|NOW|TODAY|YESTERDAY|TOMORROW|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)@"
)
_HELP_WORDS = frozenset({"--help", "-h"})
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def replace_placeholders(line: str, now: dt.datetime) -> str:
    """@NOW@/@UTC@ is now (UTC), @TODAY@ today's date, @MONDAY@ the last Monday (today if it is one)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ("NOW", "UTC"):
            return now.strftime("%Y-%m-%dT%H:%M:%SZ")
        day = now.date()
        if name == "YESTERDAY":
            day -= dt.timedelta(days=1)
        elif name == "TOMORROW":
            day += dt.timedelta(days=1)
        elif name in _WEEKDAYS:
            day -= dt.timedelta(days=(day.weekday() - _WEEKDAYS.index(name)) % 7)
        return day.isoformat()

    return _PLACEHOLDER.sub(value, line)


def split_unquoted(line: str, separators: str) -> list[tuple[str, int]]:
    """Split at separators outside "…", '…' and `…`; returns (piece, offset of the piece in line)."""
    pieces: list[tuple[str, int]] = []
    start, quote, i = 0, "", 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and quote != "`":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch in separators:
            pieces.append((line[start:i], start))
            start = i + 1
        i += 1
    if quote:
        raise UsageError(f"unclosed {quote} in: {line}")
    pieces.append((line[start:], start))
    return pieces


def asks_help(raw: str) -> bool:
    """Whether a command's arguments hold --help or -h as a word of its own (not inside quotes)."""
    try:
        words = shlex.split(raw, posix=False)  # keeps the quotes: "-h" is a value, not a request
    except ValueError:
        return False  # unbalanced quotes: the command's own parsing names them
    return not _HELP_WORDS.isdisjoint(words)


@dataclass
class Pipeline:
    commands: list[Command]

    def run(self, ctx: Context) -> Iterator[Any]:
        stream: Iterator[Any] = iter(())
        for cmd in self.commands:
            stream = cmd.run(ctx, stream)
        return stream

    @property
    def ends_in_formatter(self) -> bool:
        return bool(self.commands) and getattr(self.commands[-1], "formatter", False)


def parse_line(line: str) -> list[Pipeline]:
    """Parse a whole line (pipelines separated by `;`) into commands; every error is raised before anything runs."""
    pipelines = []
    for statement, _ in split_unquoted(line, ";"):
        if not statement.strip():
            continue
        commands: list[Command] = []
        given: str | None = None  # what the stream holds so far (nothing before the first command)
        for index, (piece, _) in enumerate(split_unquoted(statement, "|")):
            text = piece.strip()
            if not text:
                raise UsageError("empty command in pipeline: nothing between two |")
            name, _, raw = text.partition(" ")
            cls = COMMANDS.get(name)
            if asks_help(raw):  # the newcomer's `search --help`: the whole pipeline is its help
                commands = [COMMANDS.get("help")(cls.name)]
                break
            if index > 0 and cls.source:
                raise UsageError(f"{name} starts a pipeline; it cannot follow |")
            cmd = cls(raw.strip())
            if commands:
                commands[-1].feeds(cmd)
            cmd.check_input(given)
            given = cmd.gives(given)
            commands.append(cmd)
        pipelines.append(Pipeline(_select_before_formatting(commands)))
    return pipelines


def _select_before_formatting(commands: list[Command]) -> list[Command]:
    """`list … | head 5` is `head 5 | list …`: a table, CSV or markdown then holds five rows (not
    the first five lines of its text), and a head after a search still becomes the query's limit."""
    ordered = list(commands)
    for i in range(1, len(ordered)):
        j = i
        while j > 0 and ordered[j].selects and ordered[j - 1].per_node:
            ordered[j - 1], ordered[j] = ordered[j], ordered[j - 1]
            j -= 1
    return ordered


def run_line(line: str, ctx: Context, list_nodes: bool = True) -> Iterator[Any]:
    """Run every pipeline of a line; elements stream out lazily. Without a formatter, nodes are listed
    (for people), or stay JSON documents with `list_nodes=False` (for the API's JSON Lines)."""
    from cloudsift.commands.output import ListCommand

    # Placeholders are replaced now, except in the lines jobs keep: those get them at each run.
    statements = [piece for piece, _ in split_unquoted(line, ";")]
    line = ";".join(
        s if s.strip().startswith("jobs ") else replace_placeholders(s, ctx.now) for s in statements
    )
    for pipeline in parse_line(line):
        if list_nodes and not pipeline.ends_in_formatter:
            pipeline.commands.append(ListCommand(""))
        from cloudsift.commands.search import open_nodes

        for element in open_nodes(pipeline.run(ctx)):
            if ctx.cancelled.is_set():
                raise Stopped("stopped before the end of the line")
            yield element
