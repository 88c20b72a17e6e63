"""Walking the graph from what a search found: successors, predecessors, descendants, ancestors.

Each folds into the search as one more navigation (`search is(volume) | ancestors` runs as
`is(volume) <-[1:]- all`), so the walk happens in the database, not in Python.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Literal

from cloudsift.commands.base import Command, Context, Option, command
from cloudsift.commands.search import NodeStream, _single_node_stream
from cloudsift.errors import UsageError
from cloudsift.query.binder import BAll, BPart
from cloudsift.query.navigation import EDGE_TYPES, BNavigation


class WalkCommand(Command):
    """The shared walk; subclasses name the direction and the depth."""

    direction: ClassVar[Literal["in", "out"]]
    until: ClassVar[int | None]  # 1: one step; None: all the way
    positional = "[EDGE_TYPE]"
    options = (Option("--with-origin", "Include the nodes the walk starts from.", bool, False),)

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if len(self.rest) > 1:
            raise UsageError(f"{self.name} takes at most one edge type ({', '.join(EDGE_TYPES)})")
        edge_type = self.rest[0] if self.rest else "default"
        if edge_type not in EDGE_TYPES:
            raise UsageError(f"{self.name}: unknown edge type {edge_type!r}; known: {', '.join(EDGE_TYPES)}")
        nodes, rest = _single_node_stream(stream)
        if nodes is None:
            if next(rest, None) is None:
                return iter(())
            raise UsageError(f"{self.name} walks from the nodes of a search: search … | {self.name}")
        if nodes.query.aggregate is not None:
            raise UsageError(f"{self.name} needs nodes, not the rows of an aggregate")
        start = 0 if self.args["with_origin"] else 1
        navigation = BNavigation.plain(start, self.until, (edge_type,), self.direction)
        query = dataclasses.replace(
            nodes.query,
            parts=(*nodes.query.parts, BPart(BAll(), None, (), None)),
            navigations=(*nodes.query.navigations, navigation),
        )
        return iter([NodeStream(nodes.store, query)])


@command
class SuccessorsCommand(WalkCommand):
    """The nodes one edge below each found node (`-->`); `--with-origin` keeps the found nodes too.

    Example: `search is(aws_vpc) | successors | count kind`
    """

    name = "successors"
    direction = "out"
    until = 1


@command
class PredecessorsCommand(WalkCommand):
    """The nodes one edge above each found node (`<--`); `--with-origin` keeps the found nodes too.

    Example: `search is(aws_ec2_instance) | predecessors | count kind`
    """

    name = "predecessors"
    direction = "in"
    until = 1


@command
class DescendantsCommand(WalkCommand):
    """Every node below the found nodes, all the way down (`-[1:]->`).

    Example: `search is(aws_account) and name == prod | descendants | count kind`
    """

    name = "descendants"
    direction = "out"
    until = None


@command
class AncestorsCommand(WalkCommand):
    """Every node above the found nodes, up to the cloud (`<-[1:]-`).

    Example: `search is(aws_ec2_volume) | ancestors | count kind`
    """

    name = "ancestors"
    direction = "in"
    until = None
