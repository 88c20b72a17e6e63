"""`alerts list|outbox|deliver`: the state of every sink's alerts and the outbox they share."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cloudsift.alerts.outbox import Delivery, Outbox, RetryPolicy
from cloudsift.alerts.state import AlertState, AlertStates, unclean
from cloudsift.commands.base import Command, Context, command
from cloudsift.commands.sinks import describe, retry_policy
from cloudsift.errors import UsageError
from cloudsift.store.base import PartitionStatus


def deliver_pending(ctx: Context, sleep: Callable[[float], None] = time.sleep, stop: threading.Event | None = None,
                    policy: RetryPolicy | None = None, due_only: bool = False) -> list[Delivery]:  # fmt: skip
    """Send what the outbox holds, every sink and key, within the budget (`sleep` waits between tries)."""
    with ctx.runner.delivery_lock:  # one delivery at a time per process: each event once, in order
        return Outbox(ctx.store).deliver(policy=policy or retry_policy(ctx.config), sleep=sleep, stop=stop,
                                         due_only=due_only)  # fmt: skip


@command
class AlertsCommand(Command):
    """Alert state and the outbox: `alerts list`, `alerts outbox`, `alerts deliver` (retry what is pending).

    Example: `alerts list`
    """

    name = "alerts"
    source = True
    formatter = True
    positional = "list|outbox|deliver"

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        action = self.rest[0] if self.rest else "list"
        if action == "list":
            yield from _list(ctx)
        elif action == "outbox":
            items = Outbox(ctx.store).items()
            if not items:
                yield "The outbox is empty."
            for item in items:
                error = f", last error: {item.last_error}" if item.last_error else ""
                yield (
                    f"{item.created_at.isoformat()} {item.sink} {item.action} {item.dedup_key}: "
                    f"{item.state} after {item.attempts} attempts{error}"
                )
        elif action == "deliver":
            results = deliver_pending(ctx)
            yield from [describe(r, ctx.served) for r in results] or ["Nothing to deliver."]
        else:
            raise UsageError("alerts list | alerts outbox | alerts deliver")


def _list(ctx: Context) -> Iterator[str]:
    """One line per alert; the alerts of one resource each (--per-resource) under a line for their key:
    how many are open and resolved, then each open one."""
    states = AlertStates(ctx.store).all()
    if not states:
        yield "No alerts yet."
    statuses = ctx.store.partitions()
    groups: dict[tuple[str, str], list[AlertState]] = {}
    for s in states:
        if s.per_resource_of is not None:
            groups.setdefault((s.sink, s.per_resource_of), []).append(s)
    for s in states:
        if s.per_resource_of is None:
            yield _line(ctx, s, statuses)
    for (sink, parent), members in groups.items():
        opened = [m for m in members if m.state == "triggered"]
        yield (f"{sink} {parent} (per resource): {len(opened)} triggered, {len(members) - len(opened)} resolved, "
               f"since {max(m.updated_at for m in members).isoformat()}")  # fmt: skip
        yield from ["  " + _line(ctx, m, statuses) for m in opened]


def _line(ctx: Context, s: AlertState, statuses: list[PartitionStatus]) -> str:
    why = ""
    if s.state == "triggered":
        problems = unclean(ctx.store, s.partitions, statuses)
        why = f"; will not resolve until collected cleanly: {'; '.join(problems)}" if problems else ""
    return (
        f"{s.sink} {s.dedup_key}: {s.state}, {s.resources} resources, since {s.updated_at.isoformat()}{why}"
    )
