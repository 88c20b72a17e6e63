"""Per (sink, identity, dedup key): is an alert open, and where did its resources live. The identity
names where the alert lives (for PagerDuty a hash of the routing key), never a secret itself."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from cloudsift.store.base import PartitionStatus, Store
from cloudsift.store.batch import insert_rows, select_in

_SELECT = (
    "SELECT sink, routing_hash, dedup_key, state, summary, resources, partitions, updated_at, clean_runs, "
    "per_resource_of FROM alerts"
)
_UPSERT = (
    "INSERT INTO alerts (sink, routing_hash, dedup_key, state, summary, resources, partitions, updated_at, "
    "clean_runs, per_resource_of)"
)
_ON_CONFLICT = (
    "ON CONFLICT (sink, routing_hash, dedup_key) DO UPDATE SET state = excluded.state, summary = excluded.summary, "
    "resources = excluded.resources, partitions = excluded.partitions, updated_at = excluded.updated_at, "
    "clean_runs = 0, per_resource_of = excluded.per_resource_of"
)


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
    per_resource_of: str | None = None  # the line's dedup key, for an alert of one resource (--per-resource)


@dataclass(frozen=True)
class StateRow:
    """The new state of one alert, as a run that decides many writes it."""

    dedup_key: str
    state: str  # triggered | resolved
    summary: str | None
    resources: int
    partitions: tuple[str, ...]


def routing_hash(routing_key: str) -> str:
    """Alerts are kept per routing key without keeping the key: a hash names it."""
    return hashlib.sha256(routing_key.encode()).hexdigest()[:16]


class AlertStates:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, sink: str, identity: str, dedup_key: str) -> AlertState | None:
        rows = self.store.execute(
            f"{_SELECT} WHERE sink = ? AND routing_hash = ? AND dedup_key = ?", [sink, identity, dedup_key]
        )
        return _state(rows[0]) if rows else None

    def of_parent(self, sink: str, identity: str, parent: str) -> list[AlertState]:
        """The per-resource alerts opened under the dedup key `parent`, open or not."""
        rows = self.store.execute(
            f"{_SELECT} WHERE sink = ? AND routing_hash = ? AND per_resource_of = ? ORDER BY dedup_key",
            [sink, identity, parent],
        )
        return [_state(r) for r in rows]

    def put(self, sink: str, identity: str, dedup_key: str, state: str, summary: str | None, resources: int,
            partitions: list[str], now: dt.datetime) -> None:  # fmt: skip
        self.put_many(
            sink, identity, [StateRow(dedup_key, state, summary, resources, tuple(partitions))], now
        )

    def put_many(self, sink: str, identity: str, rows: list[StateRow], now: dt.datetime,
                 parent: str | None = None) -> None:  # fmt: skip
        """Upsert alerts, a chunk per statement: a kill cannot leave an alert without its row (a DELETE
        then INSERT could). `parent`: the dedup key the per-resource alerts belong to."""
        values = [[sink, identity, r.dedup_key, r.state, r.summary, r.resources, orjson.dumps(r.partitions).decode(),
                   now, 0, parent] for r in rows]  # fmt: skip
        insert_rows(self.store, _UPSERT, values, _ON_CONFLICT)

    def count_clean(self, sink: str, identity: str, counts: dict[str, int]) -> None:
        """How many runs in a row found nothing over a clean collection, per alert that stays open: a
        statement per count (there are at most --resolve-after of them), not per alert."""
        for runs in sorted(set(counts.values())):
            keys = sorted(key for key, value in counts.items() if value == runs)
            select_in(self.store, "UPDATE alerts SET clean_runs = ? WHERE sink = ? AND routing_hash = ? "
                      "AND dedup_key IN {marks}", [runs, sink, identity], keys)  # fmt: skip

    def all(self) -> list[AlertState]:
        return [_state(r) for r in self.store.execute(f"{_SELECT} ORDER BY sink, dedup_key")]


def _state(row: tuple[Any, ...]) -> AlertState:
    return AlertState(str(row[0]), str(row[1]), str(row[2]), str(row[3]), None if row[4] is None else str(row[4]),
                      int(row[5] or 0), tuple(orjson.loads(str(row[6]))), row[7], int(row[8] or 0),
                      None if row[9] is None else str(row[9]))  # fmt: skip


def unclean(
    store: Store, partitions: tuple[str, ...], statuses: list[PartitionStatus] | None = None
) -> list[str]:
    """Which of the alert's (account/region) places the latest collection did not cover cleanly, and why.

    A place whose region or account left the config is not clean: its data was kept as it was, so an
    empty result says nothing about it. A place without any status was forgotten (`collect --forget`)
    or never collected (imported): nothing of it is stored that could still be open. `statuses`: the
    store's partitions, read once for many alerts."""
    by_place = {f"{p.account}/{p.region}": p for p in (store.partitions() if statuses is None else statuses)}
    problems = []
    for place in partitions:
        status = by_place.get(place)
        account = by_place.get(f"{place.split('/')[0]}/*")
        if account is not None and account.unconfigured_since is not None:
            problems.append(f"{place}: the account {account.describe()}")
        elif account is not None and account.error:
            problems.append(f"{place}: the account could not be collected: {account.error}")
        elif status is not None and (status.error or status.unconfigured_since is not None):
            problems.append(f"{place}: {status.describe().removeprefix('error: ')}")
    return problems
