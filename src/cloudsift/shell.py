"""The interactive shell: history, completion of commands, options, kinds and properties."""

from __future__ import annotations

import sys
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory

from cloudsift.completion import LineCompleter


def _job_ids(ctx: Any) -> list[str]:
    from cloudsift.jobs.model import load_jobs

    return [job.id for job in load_jobs(ctx.store)]


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
        completer=LineCompleter(extra, job_ids=lambda: [] if remote is not None else _job_ids(ctx)),
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
