"""Commands joined with `|` into pipelines; each command is one class registered once, by its module,
which is imported when a line first names the command (cloudsift.commands.table lists them)."""

from cloudsift.commands.base import COMMANDS, Command, Context
from cloudsift.commands.pipeline import run_line

__all__ = ["COMMANDS", "Command", "Context", "run_line"]
