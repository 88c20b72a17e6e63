"""The command framework: declared options and a registry. `Context` lives in cloudsift.context
(re-exported here: commands take it)."""

from __future__ import annotations

import inspect
import shlex
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from cloudsift.commands.table import COMMAND_TABLE
from cloudsift.context import Context
from cloudsift.errors import UsageError, did_you_mean
from cloudsift.registry import Registry

__all__ = [
    "COMMANDS",
    "MAX_COUNT",
    "Command",
    "Context",
    "Option",
    "command",
    "command_summary",
    "whole_number",
]


# What a stream holds, as far as the parser can tell (Command.gives): the nodes a search found.
# Other producers (a report's check results) name their own kind; None is anything else.
RESOURCES = "resources"


@dataclass(frozen=True)
class Option:
    """A declared option: feeds parsing, help and completion."""

    name: str  # --name
    help: str
    kind: type = str  # str, int, bool (a flag)
    default: Any = None
    choices: tuple[str, ...] = ()
    short: str = ""  # -n
    minimum: int | None = None  # bounds of an int option, checked when the line is parsed
    maximum: int | None = None
    required: bool = False  # checked when the line is parsed: a job with it missing is refused when added
    secret: bool = False  # its value is masked wherever a line is shown (cloudsift.redact)

    @property
    def dest(self) -> str:
        return self.name.lstrip("-").replace("-", "_")


class Command(ABC):
    """One command of a pipeline. The class docstring is its help (markdown)."""

    name: ClassVar[str]
    options: ClassVar[tuple[Option, ...]] = ()
    positional: ClassVar[str] = ""  # how the positional arguments read in the usage line
    source: ClassVar[bool] = False  # starts a stream without input
    # Keeps some of its input, unchanged and in order (head, tail, limit)...
    selects: ClassVar[bool] = False
    # ...which gives the same as selecting its input first when it formats each node on its own (list)
    per_node: ClassVar[bool] = False

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.args: dict[str, Any] = {}
        self.rest: list[str] = []
        self.parse(raw)

    def parse(self, raw: str) -> None:
        """Declared options and positional words; commands with their own syntax override this."""
        try:
            words = shlex.split(raw)
        except ValueError as e:
            raise UsageError(f"{self.name}: {e}") from None
        self.args = {o.dest: o.default for o in self.options}
        by_name = {o.name: o for o in self.options} | {o.short: o for o in self.options if o.short}
        i = 0
        while i < len(words):
            word = words[i]
            if word.startswith("--") and "=" in word:
                word, value = word.split("=", 1)
                words[i + 1 : i + 1] = [value]
            if word.startswith("-") and len(word) > 1 and not _is_number(word):
                option = by_name.get(word)
                if option is None:
                    known = [o.name for o in self.options]
                    raise UsageError(f"{self.name}: unknown option {word}.{did_you_mean(word, known)}")
                if option.kind is bool:
                    self.args[option.dest] = True
                    i += 1
                    continue
                if option.name.startswith("--no-"):
                    self.args[option.dest] = True
                if i + 1 >= len(words):
                    raise UsageError(f"{self.name}: {option.name} needs a value")
                self.args[option.dest] = self._convert(option, words[i + 1])
                i += 2
                continue
            self.rest.append(word)
            i += 1
        self.check_required()

    def check_required(self) -> None:
        required = [o for o in self.options if o.required]
        missing = [o.name for o in required if self.args[o.dest] in (None, "")]
        if missing:
            names = " and ".join(o.name for o in required)
            raise UsageError(f"{self.name} needs {names} (missing: {', '.join(missing)})")

    def _convert(self, option: Option, value: str) -> Any:
        if option.choices and value not in option.choices:
            raise UsageError(
                f"{self.name}: {option.name} must be one of {', '.join(option.choices)}, not {value!r}"
            )
        if option.kind is int:
            return whole_number(f"{self.name}: {option.name}", value, option.minimum, option.maximum)
        return value

    @abstractmethod
    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]: ...

    def gives(self, given: str | None) -> str | None:
        """What this command's output holds (RESOURCES, another named kind, or None: anything else),
        knowing what its input holds; decided when the line is parsed, before anything runs."""
        return None

    def check_input(self, given: str | None) -> None:
        """Refuse, when the line is parsed, an input this command cannot work on (UsageError)."""
        return None  # most commands take any input

    def feeds(self, following: Command) -> None:
        """Told, when the line is parsed, which command takes this one's output (a report feeding a sink
        hands it its results instead of text)."""
        return None

    @classmethod
    def help(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.help().splitlines()[0] if cls.__doc__ else ""


COMMANDS: Registry[type[Command]] = Registry("command")
for _name, (_module, _) in COMMAND_TABLE.items():
    COMMANDS.declare(_name, _module)  # imported when a line names it


def command_summary(name: str) -> str:
    """A command's one-line summary, from the table when its module is not imported yet."""
    listed = COMMAND_TABLE.get(name)
    return listed[1] if listed else COMMANDS.get(name).summary()


def command(cls: type[Command]) -> type[Command]:
    """Register a command class under its name."""
    COMMANDS.add(cls.name, cls)
    return cls


# The most elements a count can name: what the stores' LIMIT (a 64-bit integer) and Python's islice take.
MAX_COUNT = 2**63 - 1


def whole_number(what: str, text: str, minimum: int | None = 0, maximum: int | None = MAX_COUNT) -> int:
    """`text` as a whole number within the bounds, or a usage error naming `what` and the bounds."""
    try:
        number = int(text)
    except ValueError:
        number = None
    in_bounds = number is not None and (minimum is None or number >= minimum)
    if number is None or not in_bounds or (maximum is not None and number > maximum):
        bounds = (
            f" from {minimum} to {maximum}" if minimum is not None and maximum is not None
            else f" of at least {minimum}" if minimum is not None
            else f" of at most {maximum}" if maximum is not None
            else ""
        )  # fmt: skip
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise UsageError(f"{what} needs a whole number{bounds}, not {shown!r}")
    return number


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True
