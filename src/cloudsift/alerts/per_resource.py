"""`--per-resource`: one alert per resource found, dedup key `KEY:<node id>`, each triggering and
resolving on its own through the rules of the shared lifecycle (no false clear, --resolve-after per
resource). A run decides them all under one lock on KEY, in one transaction, a few statements in all."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cloudsift.alerts.lifecycle import Decision, Wording, held_open, partitions_of
from cloudsift.alerts.outbox import Event, Outbox
from cloudsift.alerts.sink import Alert, Sink
from cloudsift.alerts.state import AlertState, AlertStates, StateRow, unclean
from cloudsift.store.base import Store

MAX_DEDUP_KEY = 255  # PagerDuty's limit, the tightest of the sinks'
MAX_PARENT_KEY = 200  # leaves room for ":" and a node id (or its hash)


def resource_key(parent: str, node_id: str) -> str:
    """`KEY:<node id>`; a node id too long for the receiver's limit is named by its hash instead."""
    key = f"{parent}:{node_id}"
    if len(key) <= MAX_DEDUP_KEY:
        return key
    return f"{parent}:sha256-{hashlib.sha256(node_id.encode()).hexdigest()[:40]}"


@dataclass(frozen=True)
class PerResource:
    """What one run decided: the events (queued unless a dry run), and the alerts held open, by why."""

    decisions: list[Decision] = field(default_factory=list)
    dedup_keys: list[str] = field(default_factory=list)  # of the decisions, in order
    held: dict[str, list[str]] = field(default_factory=dict)  # why -> dedup keys that stay open
    found: int = 0


def decide_each(store: Store, sink: Sink, wording: Wording, nodes: list[dict[str, Any]],
                clock: Callable[[], dt.datetime], dry_run: bool = False) -> PerResource:  # fmt: skip
    """Trigger an alert per resource found; resolve each open alert of KEY whose resource is no longer
    found, once every place it was in was collected cleanly (and --resolve-after clean runs passed)."""
    identity = sink.identity()
    states = AlertStates(store)
    found: dict[str, dict[str, Any]] = {}
    for node in nodes:
        found.setdefault(resource_key(wording.dedup_key, str(node.get("id"))), node)
    with store.transaction():
        store.lock(f"alert:{sink.name}:{identity}:{wording.dedup_key}")
        opened = {s.dedup_key: s for s in states.of_parent(sink.name, identity, wording.dedup_key)
                  if s.state == "triggered"}  # fmt: skip
        now = clock()
        forced = sink.forced_action()
        alerts = [(forced or "trigger", _alert(sink, wording, key, node, now)) for key, node in found.items()]
        held: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        if forced is None and not wording.no_resolve:
            gone = [state for key, state in opened.items() if key not in found]
            statuses = store.partitions() if gone else []
            for state in gone:
                hold = held_open(state, wording, unclean(store, state.partitions, statuses))
                if hold is None:
                    alerts.append(("resolve", _resolved(wording, state, now)))
                    continue
                held.setdefault(hold.why, []).append(state.dedup_key)
                if hold.clean_runs is not None:
                    counts[state.dedup_key] = hold.clean_runs
        requests = [(action, alert, sink.event(action, alert)) for action, alert in alerts]
        keys = [alert.dedup_key for _, alert, _ in requests]
        if dry_run:
            return PerResource([Decision(a, r) for a, _, r in requests], keys, held, len(found))
        events = [Event(a, r, alert.dedup_key, 1 if a == "trigger" else None) for a, alert, r in requests]
        ids = Outbox(store).put_many(sink.name, events, now)
        rows = [StateRow(alert.dedup_key, "triggered" if a == "trigger" else "resolved", alert.summary,
                         len(alert.nodes), alert.partitions)
                for a, alert, _ in requests if a in ("trigger", "resolve")]  # fmt: skip
        states.put_many(sink.name, identity, rows, now, parent=wording.dedup_key)
        states.count_clean(sink.name, identity, counts)
    decisions = [Decision(a, r, i) for (a, _, r), i in zip(requests, ids, strict=True)]
    return PerResource(decisions, keys, held, len(found))


def _alert(sink: Sink, wording: Wording, key: str, node: dict[str, Any], now: dt.datetime) -> Alert:
    """One resource's alert: the line's summary naming the resource, cut at the sink's limit."""
    reported = node.get("reported") or {}
    summary = f"{wording.summary}: {reported.get('name') or reported.get('id') or node.get('id')}"
    if len(summary) > sink.max_summary:
        summary = summary[: sink.max_summary - 1] + "…"
    return Alert(summary, key, wording.severity, [node], now, tuple(partitions_of([node])))


def _resolved(wording: Wording, state: AlertState, now: dt.datetime) -> Alert:
    return Alert(
        state.summary or wording.summary, state.dedup_key, wording.severity, [], now, state.partitions
    )
