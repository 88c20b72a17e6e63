"""The durable outbox, shared by every sink: each event is stored when decided and stays until its
receiver took it (or refused it for good).

Events of one (sink, dedup key) leave in the order they were decided (`seq`), from one place at a
time across processes (`Store.hold`); an event older than one already delivered is never sent.
Retries (network errors, timeouts, 408/425/429, 5xx; the sink classifies) back off with jitter, honour
Retry-After and stop at the time budget; what is left stays pending for `cloudsift serve` or
`alerts deliver`. At least once: a crash between sending and marking may send again, which the dedup
key makes harmless.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from cloudsift.alerts.sink import SINKS, Answer, Request
from cloudsift.store.base import Store
from cloudsift.store.batch import insert_rows, select_in


@dataclass(frozen=True)
class OutboxItem:
    id: str
    sink: str
    created_at: dt.datetime
    url: str
    dedup_key: str | None
    body: Any  # the JSON the sink posts: an object, or a list (Alertmanager)
    state: str  # pending | delivered | failed | superseded
    attempts: int
    last_error: str | None
    seq: int = 0
    headers: dict[str, str] | None = None
    not_before: dt.datetime | None = None
    action: str = "event"  # trigger | resolve | …
    resources: int | None = None  # how many resources a trigger named

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.sink, self.dedup_key)


@dataclass(frozen=True)
class Event:
    """One event to queue (`Outbox.put_many`)."""

    action: str
    request: Request
    dedup_key: str
    resources: int | None = None


@dataclass(frozen=True)
class Delivery:
    item: OutboxItem
    outcome: str  # delivered | failed | pending | superseded
    detail: str


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one delivery tries. `within` bounds it all (tries and waits); `timeout` one request."""

    within: float = 60.0
    retries: int = 10  # retries of one event after its first try, within the budget
    base: float = 0.5
    cap: float = 8.0
    timeout: float = 10.0

    def backoff(self, attempt: int) -> float:
        return float(min(self.cap, self.base * 2**attempt) * random.uniform(0.5, 1.0))


_COLUMNS = (
    "id, sink, created_at, url, dedup_key, body, state, attempts, last_error, seq, headers, not_before, action, "
    "resources"
)


class Outbox:
    def __init__(self, store: Store) -> None:
        self.store = store

    def put(self, sink: str, action: str, request: Request, dedup_key: str | None, now: dt.datetime,
            resources: int | None = None) -> str:  # fmt: skip
        """Queue an event; call it in the transaction (and under the lock) that decided it: `seq` then
        counts the decisions about this dedup key in order."""
        item_id = uuid.uuid4().hex
        self.store.execute(
            f"INSERT INTO outbox ({_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, 'pending', 0, NULL, "
            "coalesce(max(seq), 0) + 1, ?, NULL, ?, ? FROM outbox WHERE sink = ? AND dedup_key = ?",
            [item_id, sink, now, request.url, dedup_key, orjson.dumps(request.body).decode(),
             orjson.dumps(request.headers).decode(), action, resources, sink, dedup_key],
        )  # fmt: skip
        return item_id

    def put_many(self, sink: str, events: list[Event], now: dt.datetime) -> list[str]:
        """Queue many events of distinct dedup keys in a few statements (as `put`, under the locks that
        decided them); their ids, in order."""
        keys = [e.dedup_key for e in events]
        if len(set(keys)) != len(keys):
            raise ValueError("put_many takes one event per dedup key")
        last = dict(select_in(self.store, "SELECT dedup_key, max(seq) FROM outbox WHERE sink = ? AND dedup_key IN "
                              "{marks} GROUP BY dedup_key", [sink], keys))  # fmt: skip
        ids = [uuid.uuid4().hex for _ in events]
        rows = [[item_id, sink, now, e.request.url, e.dedup_key, orjson.dumps(e.request.body).decode(), "pending", 0,
                 None, int(last.get(e.dedup_key) or 0) + 1, orjson.dumps(e.request.headers).decode(), None, e.action,
                 e.resources] for item_id, e in zip(ids, events, strict=True)]  # fmt: skip
        insert_rows(self.store, f"INSERT INTO outbox ({_COLUMNS})", rows)
        return ids

    def items(self, state: str | None = None, ids: Iterable[str] | None = None) -> list[OutboxItem]:
        if ids is not None:
            rows = select_in(
                self.store, f"SELECT {_COLUMNS} FROM outbox WHERE id IN {{marks}}", [], sorted(set(ids))
            )
        else:
            rows = self.store.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE (CAST(? AS VARCHAR) IS NULL OR state = ?)",
                [state, state],
            )
        found = [_item(r) for r in rows if state is None or r[6] == state]
        return sorted(found, key=_order)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per sink: events sent, failed, pending, superseded, and the retries they took."""
        found: dict[str, dict[str, int]] = {}
        rows = self.store.execute(
            "SELECT sink, state, count(*), coalesce(sum(CASE WHEN attempts > 1 THEN attempts - 1 ELSE 0 END), 0) "
            "FROM outbox GROUP BY sink, state"
        )
        for sink, state, count, retries in rows:
            figures = found.setdefault(str(sink), {})
            outcome = "sent" if state == "delivered" else str(state)
            figures[outcome] = figures.get(outcome, 0) + int(count)
            figures["retried"] = figures.get("retried", 0) + int(retries)
        return found

    def pending(self, keys: Iterable[tuple[str, str | None]] | None = None) -> list[OutboxItem]:
        """Pending events in the order they leave: per (sink, dedup key) by decision. Only the rows of
        `keys` are read (a run that delivers a thousand keys reads each key's own)."""
        if keys is None:
            found = self.items("pending")
        else:
            rows: list[tuple[Any, ...]] = []
            by_sink: dict[str, set[str | None]] = {}
            for sink, dedup_key in keys:
                by_sink.setdefault(sink, set()).add(dedup_key)
            for sink, dedup_keys in sorted(by_sink.items()):
                named = sorted(k for k in dedup_keys if k is not None)
                rows += select_in(self.store, f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND sink = ? "
                                  "AND dedup_key IN {marks}", [sink], named)  # fmt: skip
                if None in dedup_keys:
                    rows += self.store.execute(f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND sink = ? "
                                               "AND dedup_key IS NULL", [sink])  # fmt: skip
            found = sorted((_item(r) for r in rows), key=_order)
        first: dict[tuple[str, str | None], int] = {}
        for index, item in enumerate(found):
            first.setdefault(item.key, index)
        return sorted(found, key=lambda i: (first[i.key], i.seq))

    def deliver(self, keys: Iterable[tuple[str, str | None]] | None = None, policy: RetryPolicy | None = None,
                client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep,
                stop: threading.Event | None = None, due_only: bool = False) -> list[Delivery]:  # fmt: skip
        """Send the pending events of `keys` (every key: None) within the policy's time budget; what
        cannot go now stays pending. A line names its keys and waits, within the budget, for a key
        another process is sending; `due_only` skips keys whose backoff has not run out and keys held
        elsewhere (the server's loop); `stop` set abandons the wait and the request in flight."""
        how = policy or RetryPolicy()
        deadline = time.monotonic() + how.within
        sender = _Sender(self, how, deadline, client, sleep, stop or threading.Event())
        results: list[Delivery] = []
        groups: dict[tuple[str, str | None], list[OutboxItem]] = {}
        for item in self.pending(keys):
            groups.setdefault(item.key, []).append(item)
        try:
            for key, items in groups.items():
                if due_only and items[0].not_before and items[0].not_before > dt.datetime.now(dt.UTC):
                    continue
                results += self._deliver_key(key, items, sender, wait=not due_only)
        finally:
            sender.close()
        return results

    def _deliver_key(self, key: tuple[str, str | None], items: list[OutboxItem], sender: _Sender,
                     wait: bool) -> list[Delivery]:  # fmt: skip
        sink, dedup_key = key
        while True:
            with self.store.hold(f"deliver:{sink}:{dedup_key}") as held:
                if held:
                    return self._send_in_order(key, sender)
            if not wait or sender.stop.is_set() or time.monotonic() >= sender.deadline:
                return [Delivery(i, "pending", "another process is delivering this dedup key") for i in items]
            time.sleep(0.05)  # the other holder sends this key's events, ours among them maybe

    def _send_in_order(self, key: tuple[str, str | None], sender: _Sender) -> list[Delivery]:
        # Read again under the hold: the process that held it before may have sent some.
        fresh = self.pending([key])
        newest = self._newest_delivered(key)
        results: list[Delivery] = []
        for index, item in enumerate(fresh):
            if item.seq and item.seq < newest:
                self._mark(item, "superseded", item.attempts, "a newer event of this key was delivered")
                results.append(Delivery(item, "superseded", "a newer event of this key was delivered"))
                continue
            result = sender.send(item)
            results.append(result)
            if result.outcome == "pending":
                waiting = "waits for an earlier event of the same dedup key"
                results += [Delivery(later, "pending", waiting) for later in fresh[index + 1 :]]
                break
        return results

    def _newest_delivered(self, key: tuple[str, str | None]) -> int:
        rows = self.store.execute(
            "SELECT coalesce(max(seq), 0) FROM outbox WHERE sink = ? AND dedup_key = ? AND state = 'delivered'",
            list(key),
        )
        return int(rows[0][0] or 0)

    def _mark(self, item: OutboxItem, state: str, attempts: int, error: str | None,
              not_before: dt.datetime | None = None) -> None:  # fmt: skip
        delivered = dt.datetime.now(dt.UTC) if state == "delivered" else None
        self.store.execute(
            "UPDATE outbox SET state = ?, attempts = ?, last_error = ?, delivered_at = ?, not_before = ? WHERE id = ?",
            [state, attempts, error, delivered, not_before, item.id],
        )


class _Sender:
    """Sends one event after another within one budget; a request runs in a thread of its own so that
    a hung receiver costs at most its deadline and a stop abandons it at once."""

    def __init__(self, outbox: Outbox, policy: RetryPolicy, deadline: float, client: httpx.Client | None,
                 sleep: Callable[[float], None], stop: threading.Event) -> None:  # fmt: skip
        self.outbox, self.policy, self.deadline, self.sleep, self.stop = outbox, policy, deadline, sleep, stop
        self.own = client is None
        self.http = client or httpx.Client(timeout=policy.timeout)

    def close(self) -> None:
        if self.own:
            self.http.close()

    def send(self, item: OutboxItem) -> Delivery:
        attempts, error, timeout = item.attempts, "", self.policy.timeout
        for retry in range(self.policy.retries + 1):
            left = self.deadline - time.monotonic()
            if self.stop.is_set() or left <= 0:
                break
            attempts += 1
            answer, timed_out = self._post(item, min(timeout, left))
            if answer.outcome in ("delivered", "failed"):
                self.outbox._mark(
                    item, answer.outcome, attempts, None if answer.outcome == "delivered" else answer.detail
                )
                return Delivery(item, answer.outcome, answer.detail)
            error = answer.detail
            wait = max(self.policy.backoff(retry), answer.retry_after or 0.0)
            if timed_out:
                # The receiver may have taken it and be slow to say so: wait as long as it took, and
                # give the next try longer, rather than resend six copies.
                wait, timeout = max(wait, timeout), timeout * 2
            if retry == self.policy.retries or time.monotonic() + wait >= self.deadline:
                break
            self.sleep(wait)
        not_before = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.policy.backoff(attempts))
        self.outbox._mark(item, "pending", attempts, error or "not tried: no time left", not_before)
        return Delivery(item, "pending", error or "not tried: no time left")

    def _post(self, item: OutboxItem, seconds: float) -> tuple[Answer, bool]:
        """One request, bounded by `seconds` in total; (the answer, whether it timed out)."""
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def post() -> None:
            try:
                outcome["response"] = self.http.post(item.url, json=item.body, headers=item.headers or {},
                                                     timeout=seconds)  # fmt: skip
            except httpx.TimeoutException as e:
                outcome["timeout"] = e
            except httpx.HTTPError as e:
                outcome["error"] = e
            finally:
                done.set()

        threading.Thread(target=post, name="outbox-send", daemon=True).start()
        end = time.monotonic() + seconds
        while not done.wait(min(0.1, max(0.0, end - time.monotonic()))):
            if self.stop.is_set():
                return Answer("retry", "abandoned: the server is stopping"), False
            if time.monotonic() >= end:
                return Answer("retry", f"no answer within {seconds:.0f}s"), True
        if "timeout" in outcome:
            return Answer(
                "retry", f"no answer within {seconds:.0f}s ({type(outcome['timeout']).__name__})"
            ), True
        if "error" in outcome:
            return Answer("retry", f"network error: {type(outcome['error']).__name__}"), False
        return SINKS.get(item.sink).answer(outcome["response"]), False


def _order(item: OutboxItem) -> tuple[Any, ...]:
    """Oldest first, then by sink, dedup key (none last) and decision."""
    return (item.created_at, item.sink, item.dedup_key is None, item.dedup_key or "", item.seq, item.id)


def _item(r: tuple[Any, ...]) -> OutboxItem:
    body = orjson.loads(r[5])
    old = body if isinstance(body, dict) else {}  # a sink may post a JSON list (Alertmanager)
    action = r[12] or str(old.get("event_action") or "event")  # events queued before schema 8
    resources = (
        r[13] if r[13] is not None else ((old.get("payload") or {}).get("custom_details") or {}).get("total")
    )
    return OutboxItem(r[0], r[1], r[2], r[3], r[4], body, r[6], int(r[7]), r[8], int(r[9] or 0),
                      orjson.loads(r[10]) if r[10] else None, r[11], action, resources)  # fmt: skip
