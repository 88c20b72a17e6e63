"""The interactive shell: history, completion of commands, options, kinds and properties."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory

from cloudsift.completion import LineCompleter
from cloudsift.home import private_file
from cloudsift.redact import has_secret
from cloudsift.server.client import find_server
from cloudsift.store.open import make_home


def _job_ids(ctx: Any) -> list[str]:
    from cloudsift.jobs.model import load_jobs

    try:
        return [job.id for job in load_jobs(ctx.store)]
    finally:
        ctx.close()  # an idle shell holds no lock on the store


def _run_ids(ctx: Any) -> list[str]:
    from cloudsift.commands.workflow_log import run_ids

    try:
        return run_ids(ctx.store)
    finally:
        ctx.close()


class PrivateHistory(FileHistory):
    """The shell's history file, 0600; a line with a secret (`--routing-key …`) is never written to it
    (it stays in this session's memory, for the up arrow)."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(private_file(path)))

    def store_string(self, string: str) -> None:
        if not has_secret(string):
            super().store_string(string)


def run_shell(ctx: Any, debug: bool, remote: Any = None) -> int:
    """The shell; while a server runs, every line goes to it (it owns the store). Without one, the
    store is opened for each line and closed after it: an idle shell holds no lock on it."""
    from cloudsift.cli import run_one

    make_home(ctx.config.home)
    extra: set[str] = set()
    try:
        if remote is None:
            extra = ctx.store.extra_properties()
    except Exception:  # the shell still starts; the error shows on the first command
        pass
    finally:
        ctx.close()
    session: PromptSession[str] = PromptSession(
        history=PrivateHistory(ctx.config.home / "shell_history"),
        completer=LineCompleter(
            extra,
            job_ids=lambda: [] if remote is not None else _job_ids(ctx),
            run_ids=lambda: [] if remote is not None else _run_ids(ctx),
        ),
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
            remote = find_server(ctx.config)  # a server started (or stopped) since the last line
            run_one(ctx, line.strip(), sys.stdout, sys.stderr, debug, remote)
        except KeyboardInterrupt:  # a second Ctrl-C while the first one was being handled
            print("interrupted", file=sys.stderr)
        finally:
            ctx.close()
