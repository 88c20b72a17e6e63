"""Suppressions: a check's findings (all, one resource's, or one account's) muted with an owner, a reason and
an optional expiry. Every change is kept: who, when, why. The tables live in the store, created on first use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cloudsift.errors import UsageError
from cloudsift.report.result import Resource
from cloudsift.store.base import Store

_TABLES = (
    "CREATE TABLE IF NOT EXISTS report_suppressions (check_id VARCHAR NOT NULL, resource VARCHAR NOT NULL, "
    "account VARCHAR NOT NULL, reason VARCHAR NOT NULL, owner VARCHAR NOT NULL, until TIMESTAMPTZ, "
    "created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (check_id, resource, account))",
    "CREATE TABLE IF NOT EXISTS report_suppression_changes (changed_at TIMESTAMPTZ NOT NULL, change VARCHAR NOT NULL, "
    "check_id VARCHAR NOT NULL, resource VARCHAR NOT NULL, account VARCHAR NOT NULL, reason VARCHAR, "
    "owner VARCHAR, until TIMESTAMPTZ)",
)
_COLUMNS = "check_id, resource, account, reason, owner, until, created_at"


@dataclass(frozen=True)
class Suppression:
    """Mutes `check_id` for `resource` (an id; "" for every resource) in `account` ("" for every account)."""

    check_id: str
    resource: str
    account: str
    reason: str
    owner: str
    until: dt.datetime | None
    created_at: dt.datetime

    def active(self, now: dt.datetime) -> bool:
        return self.until is None or _utc(self.until) > now

    def covers(self, check_id: str, resource: Resource) -> bool:
        return (
            check_id == self.check_id
            and (not self.resource or self.resource in (resource.id, resource.node_id))
            and (not self.account or self.account in (resource.account, resource.account_name))
        )

    def describe(self) -> str:
        # --until DAY holds through that day: it is stored as the next midnight, and shown as the day.
        last_day = (_utc(self.until) - dt.timedelta(microseconds=1)).date() if self.until else None
        until = f" until {last_day.isoformat()}" if last_day else ""
        return f"{self.reason} ({self.owner}{until})"


@dataclass(frozen=True)
class SuppressionChange:
    at: dt.datetime
    change: str  # suppress | unsuppress
    check_id: str
    resource: str
    account: str
    reason: str | None
    owner: str | None
    until: dt.datetime | None


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Suppressions:
    """The suppressions of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        for statement in _TABLES:
            store.execute(statement)

    def add(self, suppression: Suppression) -> None:
        if not suppression.reason.strip() or not suppression.owner.strip():
            raise UsageError("report suppress needs --reason and --owner: who mutes this, and why")
        if suppression.until is not None and _utc(suppression.until) <= suppression.created_at:
            raise UsageError(f"report suppress: --until {suppression.until.date()} is not in the future")
        key = [suppression.check_id, suppression.resource, suppression.account]
        self.store.execute(
            "DELETE FROM report_suppressions WHERE check_id = ? AND resource = ? AND account = ?", key
        )
        self.store.execute(
            f"INSERT INTO report_suppressions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [*key, suppression.reason, suppression.owner, suppression.until, suppression.created_at],
        )
        self._change(
            suppression.created_at, "suppress", key, suppression.reason, suppression.owner, suppression.until
        )

    def remove(
        self, check_id: str, resource: str, account: str, owner: str, reason: str, now: dt.datetime
    ) -> None:
        key = [check_id, resource, account]
        found = self.store.execute(
            "SELECT check_id FROM report_suppressions WHERE check_id = ? AND resource = ? AND account = ?",
            key,
        )
        if not found:
            what = " ".join(f"{n} {v}" for n, v in (("resource", resource), ("account", account)) if v)
            raise UsageError(
                f"report unsuppress: no suppression of {check_id}{' for ' + what if what else ''}"
            )
        self.store.execute(
            "DELETE FROM report_suppressions WHERE check_id = ? AND resource = ? AND account = ?", key
        )
        self._change(now, "unsuppress", key, reason or None, owner or None, None)

    def _change(self, at: dt.datetime, change: str, key: list[str], reason: str | None, owner: str | None,
                until: dt.datetime | None) -> None:  # fmt: skip
        self.store.execute(
            "INSERT INTO report_suppression_changes (changed_at, change, check_id, resource, account, reason, owner, until) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [at, change, *key, reason, owner, until],
        )

    def all(self) -> list[Suppression]:
        rows = self.store.execute(
            f"SELECT {_COLUMNS} FROM report_suppressions ORDER BY check_id, resource, account"
        )
        return [Suppression(*row) for row in rows]

    def active(self, now: dt.datetime) -> list[Suppression]:
        return [s for s in self.all() if s.active(now)]

    def changes(self) -> list[SuppressionChange]:
        rows = self.store.execute(
            "SELECT changed_at, change, check_id, resource, account, reason, owner, until "
            "FROM report_suppression_changes ORDER BY changed_at, check_id"
        )
        return [SuppressionChange(*row) for row in rows]


def parse_until(text: str | None) -> dt.datetime | None:
    """--until 2027-01-31 (end of that day, UTC) or a full ISO date and time."""
    if not text:
        return None
    try:
        if len(text) == 10:
            return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
        return _utc(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise UsageError(f"report suppress: --until needs a date such as 2027-01-31, not {text!r}") from None
