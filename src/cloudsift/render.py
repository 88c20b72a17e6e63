"""Printing a line's elements for people: tables (rich), text, JSON. Shared by the CLI, the shell,
job runs and the server's text answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO


def render(elements: Iterable[Any], out: TextIO, terminal: bool) -> None:
    import orjson

    from cloudsift.commands.output import Table

    for element in elements:
        if isinstance(element, Table):
            _print_table(element, out, terminal)
        elif isinstance(element, str):
            out.write(element + "\n")
        else:
            out.write(orjson.dumps(element, option=orjson.OPT_INDENT_2).decode() + "\n")
        out.flush()


def _print_table(table: Any, out: TextIO, terminal: bool) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    rich_table = RichTable(*table.header, box=None, header_style="bold", pad_edge=False)
    for row in table.rows:
        rich_table.add_row(*row)
    Console(file=out, force_terminal=terminal, soft_wrap=True).print(rich_table)
