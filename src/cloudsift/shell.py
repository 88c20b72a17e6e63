"""The interactive shell: history, completion of commands, options, kinds and properties."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory

from cloudsift.commands import COMMANDS
from cloudsift.model import MODEL

_WORD = re.compile(r"[A-Za-z0-9_\-./`]*$")


class LineCompleter(Completer):
    """Commands at the start of a pipe, options after a command, kinds in is(...), properties elsewhere."""

    def __init__(self, extra_properties: Iterable[str] = ()) -> None:
        self.kinds = sorted(MODEL.kinds)
        self.properties = sorted(
            {*MODEL.properties, *extra_properties, "kind", "age", "cloud", "account", "region"}
        )

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        word = _WORD.search(text)
        prefix = word.group(0) if word else ""
        before = text[: len(text) - len(prefix)]
        segment = re.split(r"[|;]", before)[-1]
        if not segment.strip():
            candidates: Iterable[str] = list(COMMANDS)
        elif prefix.startswith("-"):
            name = segment.split()[0] if segment.split() else ""
            candidates = [o.name for o in COMMANDS.get(name).options] if name in COMMANDS else []
        elif re.search(r"is\(\s*(\[?\s*[\w,\s]*)$", before):
            candidates = self.kinds
        else:
            candidates = self.properties
        for candidate in candidates:
            if candidate.startswith(prefix) and candidate != prefix:
                yield Completion(candidate, start_position=-len(prefix))


def run_shell(ctx: Any, debug: bool, remote: Any = None) -> int:
    """The shell; with `remote`, every line goes to the running server (which owns the store)."""
    from cloudsift.cli import run_one

    ctx.config.home.mkdir(parents=True, exist_ok=True)
    extra: set[str] = set()
    try:
        if remote is None:
            extra = ctx.store.extra_properties()
    except Exception:  # the shell still starts; the error shows on the first command
        pass
    session: PromptSession[str] = PromptSession(
        history=FileHistory(str(ctx.config.home / "shell_history")),
        completer=LineCompleter(extra),
        complete_while_typing=False,
    )
    where = f" (on the server at {remote.url})" if remote is not None else ""
    print(f"cloudsift shell{where}: type help for the commands, Ctrl-D to leave.")
    while True:
        try:
            line = session.prompt("> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        while line.rstrip().endswith("\\"):
            try:
                line = line.rstrip()[:-1] + " " + session.prompt(". ")
            except (KeyboardInterrupt, EOFError):
                line = ""
        if not line.strip():
            continue
        if line.strip() in ("quit", "exit"):
            return 0
        try:
            run_one(ctx, line.strip(), sys.stdout, sys.stderr, debug, remote)
        except KeyboardInterrupt:  # a second Ctrl-C while the first one was being handled
            print("interrupted", file=sys.stderr)
