"""AWS commands: `aws policy` prints the IAM policy the collector needs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from cloudsift.commands.base import Command, Context, Option, command
from cloudsift.errors import UsageError


@command
class AwsCommand(Command):
    """`aws policy`: the least-privilege IAM policy for the role the collector uses, as JSON.

    It holds exactly the read actions of the collected kinds' declarations (and of finding the accounts
    and regions): attach it to the role named by `[aws] role` in every collected account, or to the user
    whose credentials collect. `aws policy --actions` lists the actions one per line.

    Example: `aws policy`
    """

    name = "aws"
    source = True
    positional = "policy"
    options = (Option("--actions", "Only the actions, one per line.", bool, False),)

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        from cloudsift.collect.aws.policy import collector_actions, policy_document

        if not self.rest:
            raise UsageError("aws needs a subcommand: aws policy [--actions]")
        if self.rest != ["policy"]:
            raise UsageError(
                f"aws knows one subcommand, policy: aws policy [--actions] (not {' '.join(self.rest)!r})"
            )
        if self.args["actions"]:
            yield from collector_actions()
        else:
            yield json.dumps(policy_document(), indent=2)
