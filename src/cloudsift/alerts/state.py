"""Per (sink, identity, dedup key): is an alert open, and where did its resources live. The identity
names where the alert lives (for PagerDuty a hash of the routing key), never a secret itself."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from cloudsift.store.base import Store


@dataclass(frozen=True)
class AlertState:
    sink: str
    routing_hash: str
    dedup_key: str
    state: str  # triggered | resolved
    summary: str | None
    resources: int
    partitions: tuple[str, ...]
    updated_at: dt.datetime
    clean_runs: int = 0  # runs in a row that found nothing over a clean collection (--resolve-after)


def routing_hash(routing_key: str) -> str:
    """Alerts are kept per routing key without keeping the key: a hash names it."""
    return hashlib.sha256(routing_key.encode()).hexdigest()[:16]


class AlertStates:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, sink: str, identity: str, dedup_key: str) -> AlertState | None:
        rows = self.store.execute(
            "SELECT sink, routing_hash, dedup_key, state, summary, resources, partitions, updated_at, clean_runs FROM alerts "
            "WHERE sink = ? AND routing_hash = ? AND dedup_key = ?",
            [sink, identity, dedup_key],
        )
        return _state(rows[0]) if rows else None

    def put(self, sink: str, identity: str, dedup_key: str, state: str, summary: str | None, resources: int,
            partitions: list[str], now: dt.datetime) -> None:  # fmt: skip
        # One statement: a kill cannot leave the alert without its row (a DELETE then INSERT could).
        self.store.execute(
            "INSERT INTO alerts (sink, routing_hash, dedup_key, state, summary, resources, partitions, updated_at, "
            "clean_runs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (sink, routing_hash, dedup_key) DO UPDATE SET "
            "state = excluded.state, summary = excluded.summary, resources = excluded.resources, "
            "partitions = excluded.partitions, updated_at = excluded.updated_at, clean_runs = 0",
            [sink, identity, dedup_key, state, summary, resources, orjson.dumps(partitions).decode(), now],
        )

    def count_clean(self, sink: str, identity: str, dedup_key: str, runs: int) -> None:
        """How many runs in a row found nothing over a clean collection, while the alert stays open."""
        self.store.execute(
            "UPDATE alerts SET clean_runs = ? WHERE sink = ? AND routing_hash = ? AND dedup_key = ?",
            [runs, sink, identity, dedup_key],
        )

    def all(self) -> list[AlertState]:
        rows = self.store.execute(
            "SELECT sink, routing_hash, dedup_key, state, summary, resources, partitions, updated_at, clean_runs FROM alerts "
            "ORDER BY sink, dedup_key"
        )
        return [_state(r) for r in rows]


def _state(row: tuple[Any, ...]) -> AlertState:
    return AlertState(str(row[0]), str(row[1]), str(row[2]), str(row[3]), None if row[4] is None else str(row[4]),
                      int(row[5] or 0), tuple(orjson.loads(str(row[6]))), row[7], int(row[8] or 0))  # fmt: skip


def unclean(store: Store, partitions: tuple[str, ...]) -> list[str]:
    """Which of the alert's (account/region) places the latest collection did not cover cleanly, and why.

    A place whose region or account left the config is not clean: its data was kept as it was, so an
    empty result says nothing about it. A place without any status was forgotten (`collect --forget`)
    or never collected (imported): nothing of it is stored that could still be open."""
    statuses = {f"{p.account}/{p.region}": p for p in store.partitions()}
    problems = []
    for place in partitions:
        status = statuses.get(place)
        account = statuses.get(f"{place.split('/')[0]}/*")
        if account is not None and account.unconfigured_since is not None:
            problems.append(f"{place}: the account {account.describe()}")
        elif account is not None and account.error:
            problems.append(f"{place}: the account could not be collected: {account.error}")
        elif status is not None and (status.error or status.unconfigured_since is not None):
            problems.append(f"{place}: {status.describe().removeprefix('error: ')}")
    return problems
