"""What each dashboard page shows, read through the library (the store, the alert state, the jobs)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cloudsift.alerts.outbox import Outbox, OutboxItem
from cloudsift.alerts.state import AlertState, AlertStates, unclean
from cloudsift.errors import QueryError
from cloudsift.jobs.model import Job, load_jobs
from cloudsift.model.types import Scalar
from cloudsift.redact import mask_secrets
from cloudsift.store.base import HistoryEntry, PartitionStatus, Store

# The columns every kind shows first in a result table; the kind's own properties follow.
BASE_COLUMNS = ("kind", "name", "id", "account", "region")
SKIPPED_PROPS = {"id", "name", "kind", "tags", "arn", "ctime", "mtime", "atime"}
MAX_ROWS = 1000
MAX_NEIGHBOURS = 100
STALE_AFTER = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Health:
    """One (account, region) as the last collection left it."""

    status: PartitionStatus
    age: str
    state: str  # ok | stale | failed

    @property
    def last_clean(self) -> str:
        success = self.status.last_success
        return success.isoformat(timespec="seconds") if success else "never"


@dataclass(frozen=True)
class Overview:
    total: int
    by_kind: list[tuple[str, int]]
    by_account: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    health: list[Health]

    @property
    def problems(self) -> int:
        return sum(1 for h in self.health if h.state != "ok")


def human_age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def overview(store: Store, now: dt.datetime) -> Overview:
    rows = store.aggregate(
        store.bind(
            "aggregate(kind as kind, /ancestors.account.reported.name as account, "
            "/ancestors.region.reported.name as region: sum(1) as count): is(resource)",
            now,
        )
    )
    kinds: Counter[str] = Counter()
    accounts: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    for row in rows:
        group, count = row["group"], int(row["count"] or 0)
        kinds[str(group["kind"])] += count
        accounts[str(group["account"] or "(none)")] += count
        regions[str(group["region"] or "(none)")] += count
    health = []
    for status in store.partitions():
        age = (now - status.collected_at).total_seconds()
        state = "failed" if status.error else "stale" if now - status.collected_at > STALE_AFTER else "ok"
        health.append(Health(status, human_age(age), state))
    health.sort(
        key=lambda h: ({"failed": 0, "stale": 1, "ok": 2}[h.state], h.status.account, h.status.region)
    )
    return Overview(
        sum(kinds.values()), kinds.most_common(), accounts.most_common(), regions.most_common(), health
    )


@dataclass
class SearchResult:
    query: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False


def strip_search(text: str) -> str:
    """The box takes a query; `search …` as typed in the shell is the same query."""
    query = text.strip()
    return query[len("search ") :].strip() if query.startswith("search ") else query


def search(store: Store, text: str, now: dt.datetime, limit: int = MAX_ROWS) -> SearchResult:
    query = strip_search(text)
    result = SearchResult(query)
    if not query:
        return result
    try:
        bound = store.bind(query, now)
        if bound.aggregate is not None:
            result.error = "aggregates are not shown here: use the shell or the API"
            return result
        docs: list[dict[str, Any]] = []
        for doc in store.search(bound):
            if len(docs) == limit:
                result.truncated = True
                break
            docs.append(doc)
    except QueryError as e:
        result.error = e.render()
        return result
    own: list[str] = []
    for kind in dict.fromkeys(str(doc["reported"].get("kind")) for doc in docs):
        for prop in store.model.props_of(kind) if kind in store.model.kinds else ():
            if prop.name not in SKIPPED_PROPS and prop.name not in own and isinstance(prop.type, Scalar):
                own.append(prop.name)
    result.columns = [*BASE_COLUMNS, *own[:6]]
    result.rows = [row_of(doc, result.columns) for doc in docs]
    return result


def row_of(doc: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    reported = doc.get("reported") or {}
    ancestors = doc.get("ancestors") or {}
    row: dict[str, Any] = {"_id": doc["id"]}
    for column in columns:
        if column in ("account", "region"):
            where = (ancestors.get(column) or {}).get("reported") or {}
            row[column] = where.get("name") or where.get("id")
        else:
            row[column] = reported.get(column)
    return row


@dataclass(frozen=True)
class ResourcePage:
    doc: dict[str, Any]
    outgoing: list[tuple[str, str, str]]  # (edge type, other id, other's kind:name)
    incoming: list[tuple[str, str, str]]
    history: list[HistoryEntry]


def resource(store: Store, node_id: str, now: dt.datetime) -> ResourcePage | None:
    found = list(store.search(store.bind(f"id({_quoted(node_id)})", now)))
    if not found:
        return None
    edges = store.execute("SELECT from_id, to_id, edge_type FROM edges WHERE from_id = ? OR to_id = ?",
                          [node_id, node_id])  # fmt: skip
    others = {str(r[1]) if r[0] == node_id else str(r[0]) for r in edges}
    labels = _labels(store, sorted(others), now)
    outgoing = [(str(r[2]), str(r[1]), labels.get(str(r[1]), "")) for r in edges if r[0] == node_id]
    incoming = [(str(r[2]), str(r[0]), labels.get(str(r[0]), "")) for r in edges if r[1] == node_id]
    history = [h for h in store.history() if h.id == node_id]
    return ResourcePage(found[0], sorted(outgoing), sorted(incoming), history[-50:])


def _labels(store: Store, ids: list[str], now: dt.datetime) -> dict[str, str]:
    labels = {}
    for node_id in ids[:MAX_NEIGHBOURS]:
        for doc in store.search(store.bind(f"id({_quoted(node_id)})", now)):
            labels[node_id] = f"{doc['reported'].get('kind')} {doc['reported'].get('name')}"
    return labels


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class AlertRow:
    state: AlertState
    why_open: list[str]
    events: list[OutboxItem] = field(default_factory=list)  # its history: every event, newest first


@dataclass(frozen=True)
class AlertsPage:
    alerts: list[AlertRow]
    outbox: list[OutboxItem]


def alerts(store: Store) -> AlertsPage:
    items = sorted(Outbox(store).items(), key=lambda i: i.created_at, reverse=True)
    rows = []
    for state in AlertStates(store).all():
        why = unclean(store, state.partitions) if state.state == "triggered" else []
        events = [i for i in items if i.sink == state.sink and i.dedup_key == state.dedup_key]
        rows.append(AlertRow(state, why, events[:50]))
    return AlertsPage(rows, items[:200])


@dataclass(frozen=True)
class JobRun:
    started_at: dt.datetime
    seconds: float | None
    outcome: str
    output: str


@dataclass(frozen=True)
class JobRow:
    job: Job
    runs: list[JobRun]

    @property
    def line(self) -> str:
        return mask_secrets(self.job.line)


def jobs(store: Store, runs_per_job: int = 5) -> list[JobRow]:
    result = []
    for job in load_jobs(store):
        rows = store.execute(
            "SELECT started_at, seconds, outcome, output FROM job_runs WHERE job = ? ORDER BY started_at DESC "
            "LIMIT ?",
            [job.id, runs_per_job],
        )
        runs = [JobRun(r[0], r[1], str(r[2]), str(r[3] or "")) for r in rows]
        result.append(JobRow(job, runs))
    return result


def completions(store: Store) -> list[str]:
    """Words the search box offers: kinds, then property names."""
    kinds = sorted(store.model.kinds)
    props = sorted(set(store.model.properties) | store.extra_properties())
    return [*kinds, *props]
