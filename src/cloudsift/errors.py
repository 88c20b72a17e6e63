"""One root error for cloudsift, and the exit code each kind of error ends a command line with.

Exit codes (the same from the shell's `-c`, lines on stdin, and through a running server):
0 done; 1 the command could not be done (AWS, the store or the server unreachable, a job that failed);
2 usage error (a bad option, query, value or config); 3 internal error (a bug in cloudsift);
4 partial failure (the command ran to its end and printed its output, but part of it failed: a
partition or account that could not be collected, a configured region that does not exist);
130 interrupted (Ctrl-C, SIGINT).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A ' Did you mean X?' suffix naming the closest known name, or '' when none is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def error_line(message: str, query: bool) -> str:
    """How an error is shown to a person, locally or through the server: one prefix, one place (and
    no secret: a line echoed in a message has its keys masked)."""
    from cloudsift.redact import mask_secrets

    return ("query error: " if query else "error: ") + mask_secrets(message) + "\n"


def internal_error(error: BaseException) -> str:
    """How an unexpected error (a bug) is named, wherever it surfaces: the CLI, the API, a job's output."""
    return f"internal error: {type(error).__name__}: {error}"


class CloudsiftError(Exception):
    """Root of every error cloudsift raises on purpose."""

    exit_code = 1

    def render(self) -> str:
        return str(self)


class UsageError(CloudsiftError):
    """The user asked for something that cannot be understood: a bad option, query or value."""

    exit_code = 2


class QueryError(UsageError):
    """A query that cannot be parsed or bound; carries the text and the 0-based position."""

    def __init__(self, message: str, text: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position

    def render(self) -> str:
        if self.position is None or not self.text:
            return _visible(self.message)
        line_start = self.text.rfind("\n", 0, self.position) + 1
        line_end = self.text.find("\n", self.position)
        line = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        column = len(_visible(line[: self.position - line_start]))
        return f"{_visible(self.message)}\n  {_visible(line)}\n  {' ' * column}^"


def _visible(text: str) -> str:
    """Control characters (an ANSI escape, say) shown as escapes, never sent to the terminal."""
    return "".join(
        " " if c == "\t" else (c if c.isprintable() else c.encode("unicode_escape").decode()) for c in text
    )


class ImportError_(UsageError):
    """A line of an import file that cannot be imported; nothing was imported."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


class ConfigError(UsageError):
    """A configuration key with a bad value."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"config {key}: {message}")
        self.key = key


class PartialFailure(CloudsiftError):
    """The command ran to its end, but part of what it did failed; its output says which part."""

    exit_code = 4


class StoreError(CloudsiftError):
    """The store could not be opened or written."""


class Stopped(CloudsiftError):
    """A line stopped before its end: its timeout passed, or the server shuts down."""
