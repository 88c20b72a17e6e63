"""Commands of a session rather than of the inventory: sleep, env, clear."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from cloudsift.commands.base import Command, Context, command
from cloudsift.commands.output import Table
from cloudsift.errors import Stopped, UsageError

MAX_SLEEP = 3600.0
CLEAR_SCREEN = "\x1b[2J\x1b[H"


@command
class SleepCommand(Command):
    """Wait SECONDS (up to an hour; fractions allowed) before the next statement of the line.

    Example: `sleep 0.01; search is(aws_vpc) | count`
    """

    name = "sleep"
    source = True
    formatter = True
    positional = "SECONDS"

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if len(self.rest) != 1:
            raise UsageError("sleep needs one number of seconds, e.g. sleep 5")
        try:
            seconds = float(self.rest[0])
        except ValueError:
            raise UsageError(f"sleep needs a number of seconds, not {self.rest[0]!r}") from None
        if not 0 <= seconds <= MAX_SLEEP:
            raise UsageError(f"sleep takes 0 to {MAX_SLEEP:.0f} seconds, not {self.rest[0]}")
        if ctx.cancelled.wait(seconds):  # a stopped line does not sit out its sleep
            raise Stopped("stopped while sleeping")
        return iter(())


@command
class EnvCommand(Command):
    """Where this session works: its home, its store, whether it runs in the server (secrets never shown).

    Example: `env`
    """

    name = "env"
    source = True
    formatter = True

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        config = ctx.config
        store = config.store.url or f"duckdb in {config.home}"
        rows = [
            ["home", str(config.home)],
            ["store", _without_password(store)],
            ["served", "yes (inside cloudsift serve)" if ctx.served else "no"],
            ["now", ctx.now.isoformat(timespec="seconds")],
        ]
        return iter([Table(["name", "value"], rows)])


@command
class ClearCommand(Command):
    """Clear the terminal screen (in the shell; elsewhere it prints nothing).

    Example: `clear`
    """

    name = "clear"
    source = True
    formatter = True

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        return iter([CLEAR_SCREEN] if ctx.terminal else [])


def _without_password(url: str) -> str:
    """postgresql://user:secret@host/db as postgresql://user:****@host/db."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user, colon, _ = credentials.partition(":")
    return f"{scheme}://{user}{':****' if colon else ''}@{host}"
