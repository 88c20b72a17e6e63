"""Commands joined with `|` into pipelines; each command is one class registered once."""

# Each sink registers itself, and its command, when its module is imported.
from cloudsift.alerts import alertmanager as _alertmanager  # noqa: F401
from cloudsift.alerts import discord as _discord  # noqa: F401
from cloudsift.alerts import opsgenie as _opsgenie  # noqa: F401
from cloudsift.alerts import pagerduty as _pagerduty  # noqa: F401
from cloudsift.alerts import slack as _slack  # noqa: F401
from cloudsift.alerts import teams as _teams  # noqa: F401
from cloudsift.alerts import webhook as _webhook  # noqa: F401
from cloudsift.commands import alerts as _alerts  # noqa: F401
from cloudsift.commands import aws as _aws  # noqa: F401
from cloudsift.commands import graph as _graph  # noqa: F401
from cloudsift.commands import inventory as _inventory  # noqa: F401
from cloudsift.commands import jobs as _jobs  # noqa: F401
from cloudsift.commands import jq as _jq  # noqa: F401
from cloudsift.commands import output as _output  # noqa: F401
from cloudsift.commands import report as _report  # noqa: F401
from cloudsift.commands import search as _search  # noqa: F401
from cloudsift.commands import session as _session  # noqa: F401
from cloudsift.commands import workflows as _workflows  # noqa: F401
from cloudsift.commands.base import COMMANDS, Command, Context
from cloudsift.commands.pipeline import run_line

__all__ = ["COMMANDS", "Command", "Context", "run_line"]
