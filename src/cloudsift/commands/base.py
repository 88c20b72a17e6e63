"""The command framework: declared options and a registry. `Context` lives in cloudsift.context
(re-exported here: commands take it)."""

from __future__ import annotations

import inspect
import shlex
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from cloudsift.context import Context
from cloudsift.errors import UsageError, did_you_mean
from cloudsift.registry import Registry

__all__ = ["COMMANDS", "Command", "Context", "Option", "command"]


@dataclass(frozen=True)
class Option:
    """A declared option: feeds parsing, help and completion."""

    name: str  # --name
    help: str
    kind: type = str  # str, int, bool (a flag)
    default: Any = None
    choices: tuple[str, ...] = ()
    short: str = ""  # -n

    @property
    def dest(self) -> str:
        return self.name.lstrip("-").replace("-", "_")


class Command(ABC):
    """One command of a pipeline. The class docstring is its help (markdown)."""

    name: ClassVar[str]
    options: ClassVar[tuple[Option, ...]] = ()
    positional: ClassVar[str] = ""  # how the positional arguments read in the usage line
    source: ClassVar[bool] = False  # starts a stream without input

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

    def _convert(self, option: Option, value: str) -> Any:
        if option.choices and value not in option.choices:
            raise UsageError(
                f"{self.name}: {option.name} must be one of {', '.join(option.choices)}, not {value!r}"
            )
        if option.kind is int:
            try:
                return int(value)
            except ValueError:
                raise UsageError(f"{self.name}: {option.name} needs a whole number, not {value!r}") from None
        return value

    @abstractmethod
    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]: ...

    @classmethod
    def help(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.help().splitlines()[0] if cls.__doc__ else ""


COMMANDS: Registry[type[Command]] = Registry("command")


def command(cls: type[Command]) -> type[Command]:
    """Register a command class under its name."""
    COMMANDS.add(cls.name, cls)
    return cls


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True
