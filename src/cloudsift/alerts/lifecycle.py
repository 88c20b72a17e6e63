"""What every sink shares between the search and the outbox: deciding trigger or resolve, once per
alert, with the no-false-clear rule, and writing the decision (the state and the outbox) in one
transaction under a lock on the alert, so that concurrent lines and processes decide in turn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cloudsift.alerts.outbox import Outbox
from cloudsift.alerts.sink import Alert, Request, Sink
from cloudsift.alerts.state import AlertState, AlertStates, unclean
from cloudsift.store.base import Store


@dataclass(frozen=True)
class Wording:
    """The shared options of a sink line, as the lifecycle needs them."""

    summary: str
    dedup_key: str
    severity: str
    no_resolve: bool = False
    resolve_after: int = 1  # clean runs in a row (finding nothing over a clean collection) before a resolve


@dataclass(frozen=True)
class Decision:
    """What a line decided: an event (queued in the outbox unless a dry run), or why nothing is sent."""

    action: str | None  # trigger | resolve | another action the sink knows | None: nothing to send
    request: Request | None = None
    event_id: str | None = None  # the outbox item, when queued
    reason: str = ""  # why nothing is sent


def decide(store: Store, sink: Sink, wording: Wording, nodes: list[dict[str, Any]],
           clock: Callable[[], dt.datetime], dry_run: bool = False) -> Decision:  # fmt: skip
    """Decide and queue the alert's next event; the clock is read once the alert is ours (after the
    lock), so events are stamped, and ordered, as they were decided."""
    identity = sink.identity()
    states = AlertStates(store)
    with store.transaction():
        store.lock(f"alert:{sink.name}:{identity}:{wording.dedup_key}")
        current = states.get(sink.name, identity, wording.dedup_key)
        forced = sink.forced_action()
        action = forced or ("trigger" if nodes else "resolve")
        if action == "resolve" and forced is None:
            reason = _held_back(store, states, sink.name, identity, wording, current, dry_run)
            if reason:
                return Decision(None, reason=reason)
        now = clock()
        summary = wording.summary
        if len(summary) > sink.max_summary:
            summary = summary[: sink.max_summary - 1] + "…"
        places = tuple(partitions_of(nodes)) if nodes else (current.partitions if current else ())
        alert = Alert(summary, wording.dedup_key, wording.severity, nodes, now, places)
        request = sink.event(action, alert)
        if dry_run:
            return Decision(action, request)
        count = len(nodes) if action == "trigger" else None
        event_id = Outbox(store).put(sink.name, action, request, wording.dedup_key, now, count)
        if action in ("trigger", "resolve"):
            state = "triggered" if action == "trigger" else "resolved"
            states.put(sink.name, identity, wording.dedup_key, state, wording.summary, len(nodes),
                       partitions_of(nodes), now)  # fmt: skip
    return Decision(action, request, event_id)


def _held_back(store: Store, states: AlertStates, sink: str, identity: str, wording: Wording,
               current: AlertState | None, dry_run: bool) -> str | None:  # fmt: skip
    """Why nothing found does not resolve (yet): not open, --no-resolve, or `held_open`."""
    if current is None or current.state != "triggered" or wording.no_resolve:
        return "nothing matches, nothing to send."
    hold = held_open(current, wording, unclean(store, current.partitions))
    if hold is None:
        return None
    if hold.clean_runs is not None and not dry_run:
        states.count_clean(sink, identity, {wording.dedup_key: hold.clean_runs})
    if hold.unclean:
        return f"nothing matches, but the alert stays open: {hold.why}"
    return f"nothing matches ({hold.why}); the alert stays open."


@dataclass(frozen=True)
class Hold:
    """Why an open alert whose resources are no longer found stays open, and its clean-run count to keep."""

    why: str
    unclean: bool  # a place of it was not collected cleanly (else: fewer clean runs than --resolve-after)
    clean_runs: int | None  # the count to store, None: unchanged


def held_open(current: AlertState, wording: Wording, problems: list[str]) -> Hold | None:
    """None when the open alert resolves now; else why not: a place of its resources that the last
    collection did not cover cleanly (no false clear), or fewer clean runs in a row than --resolve-after."""
    if problems:
        # "in a row" starts again
        return Hold(f"the last collection did not cover cleanly {'; '.join(problems)}", True,
                    0 if current.clean_runs else None)  # fmt: skip
    runs = current.clean_runs + 1
    if runs < wording.resolve_after:
        return Hold(f"{runs} of {wording.resolve_after} clean runs in a row before it resolves", False, runs)
    return None


def partitions_of(nodes: Iterable[dict[str, Any]]) -> list[str]:
    """The (account, region) places the resources live in, as "account/region": a resolve waits until
    each was collected cleanly."""
    found = set()
    for node in nodes:
        ancestors = node.get("ancestors") or {}
        account = (ancestors.get("account") or {}).get("reported", {}).get("id")
        region = (ancestors.get("region") or {}).get("reported", {}).get("id")
        if account and region:
            found.add(f"{account}/{region}")
    return sorted(found)
