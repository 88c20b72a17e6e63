"""The durable outbox: every event is stored before it is sent, and stays until PagerDuty took it.

Delivery retries network errors, 429 and 5xx with bounded exponential backoff and jitter; a 400
is final (the event is wrong and resending cannot help). Events of one dedup key leave in order.
At least once: a crash between sending and marking may send again, which the dedup key makes harmless.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from cloudsift.store.base import Store


@dataclass(frozen=True)
class OutboxItem:
    id: str
    sink: str
    created_at: dt.datetime
    url: str
    dedup_key: str | None
    body: dict[str, Any]
    state: str  # pending | delivered | failed
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class Delivery:
    item: OutboxItem
    outcome: str  # delivered | failed | pending
    detail: str


class Outbox:
    def __init__(self, store: Store) -> None:
        self.store = store

    def put(self, sink: str, url: str, dedup_key: str | None, body: dict[str, Any], now: dt.datetime) -> str:
        item_id = uuid.uuid4().hex
        self.store.execute(
            "INSERT INTO outbox (id, sink, created_at, url, dedup_key, body, state, attempts) "
            "VALUES (?, ?, ?, ?, ?, ?, 'pending', 0)",
            [item_id, sink, now, url, dedup_key, orjson.dumps(body).decode()],
        )
        return item_id

    def items(self, state: str | None = None) -> list[OutboxItem]:
        rows = self.store.execute(
            "SELECT id, sink, created_at, url, dedup_key, body, state, attempts, last_error FROM outbox "
            "WHERE (CAST(? AS VARCHAR) IS NULL OR state = ?) ORDER BY created_at, id",
            [state, state],
        )
        return [
            OutboxItem(r[0], r[1], r[2], r[3], r[4], orjson.loads(r[5]), r[6], int(r[7]), r[8]) for r in rows
        ]

    def _mark(self, item: OutboxItem, state: str, attempts: int, error: str | None) -> None:
        delivered = dt.datetime.now(dt.UTC) if state == "delivered" else None
        self.store.execute(
            "UPDATE outbox SET state = ?, attempts = ?, last_error = ?, delivered_at = ? WHERE id = ?",
            [state, attempts, error, delivered, item.id],
        )

    def deliver(
        self,
        client: httpx.Client | None = None,
        tries: int = 5,
        base: float = 0.5,
        cap: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> list[Delivery]:
        """Send every pending event; what cannot go now stays pending for the next run."""
        own = client is None
        http = client or httpx.Client(timeout=10.0)
        results: list[Delivery] = []
        blocked: set[str] = set()  # dedup keys whose earlier event is still waiting: keep their order
        try:
            for item in self.items("pending"):
                if item.dedup_key in blocked:
                    results.append(
                        Delivery(item, "pending", "waits for an earlier event of the same dedup key")
                    )
                    continue
                result = self._send(http, item, tries, base, cap, sleep)
                if result.outcome == "pending" and item.dedup_key:
                    blocked.add(item.dedup_key)
                results.append(result)
        finally:
            if own:
                http.close()
        return results

    def _send(self, http: httpx.Client, item: OutboxItem, tries: int, base: float, cap: float,
              sleep: Callable[[float], None]) -> Delivery:  # fmt: skip
        error = ""
        attempts = item.attempts
        for attempt in range(tries):
            attempts += 1
            try:
                answer = http.post(item.url, json=item.body)
            except httpx.TransportError as e:
                error = f"network error: {type(e).__name__}"
            else:
                if 200 <= answer.status_code < 300:
                    self._mark(item, "delivered", attempts, None)
                    return Delivery(item, "delivered", f"{answer.status_code}")
                if answer.status_code == 400:
                    error = _errors(answer)
                    self._mark(item, "failed", attempts, error)
                    return Delivery(item, "failed", error)
                error = f"HTTP {answer.status_code}"
            if attempt < tries - 1:
                sleep(min(cap, base * 2**attempt) * random.uniform(0.5, 1.0))
        self._mark(item, "pending", attempts, error)
        return Delivery(item, "pending", error)


def _errors(answer: httpx.Response) -> str:
    try:
        body = answer.json()
    except ValueError:
        return f"HTTP 400: {answer.text[:300]}"
    errors = body.get("errors") or []
    return f"HTTP 400 {body.get('message', '')}: {'; '.join(str(e) for e in errors)}".strip()
