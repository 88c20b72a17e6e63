"""Delivery against a misbehaving PagerDuty: a line finishes its own events within the time budget
(backoff, Retry-After, a deadline per request), leaves the rest to `serve` / `alerts deliver`, and a
slow PagerDuty does not get six copies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudsift.alerts.outbox import Outbox, RetryPolicy
from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.demo import SEED_QUERY
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store
from cloudsift.store.duckdb import DuckDBStore
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.alerts.test_pagerduty import KEY

DEDUP = "open"
LINE = f"search {SEED_QUERY} | pagerduty --summary Open --dedup-key {DEDUP}"


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


def _ctx(store: Store, standin: PagerDutyStandIn, tmp_path: Path, **env: str) -> Context:
    environ = {"CLOUDSIFT_PAGERDUTY__ROUTING_KEY": KEY, "CLOUDSIFT_PAGERDUTY__EVENTS_URL": standin.url,
               "CLOUDSIFT_PAGERDUTY__RETRY_BASE_SECONDS": "0.01", "CLOUDSIFT_CONFIG": os.devnull, **env}  # fmt: skip
    return Context(config=load_config(None, tmp_path, environ), open_store=lambda: store)


def _store() -> DuckDBStore:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    return store


def _run(ctx: Context, line: str = LINE) -> list[Any]:
    return list(run_line(line, ctx))


def test_a_one_shot_line_finishes_its_delivery_through_an_outage(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    """Issue 15's new user: 500 three times, then 429 twice; the line keeps trying and sends it."""
    pagerduty.fail_next(3, 500)
    pagerduty.fail_next(2, 429)
    out = _run(_ctx(_store(), pagerduty, tmp_path))
    assert out == [f"pagerduty: trigger {DEDUP} sent (4 resources)."]
    assert pagerduty.requests == 6 and len(pagerduty.events) == 1


def test_retry_after_is_honoured(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    pagerduty.fail_next(1, 429, retry_after=1.5)
    started = time.monotonic()
    out = _run(_ctx(_store(), pagerduty, tmp_path))
    assert out == [f"pagerduty: trigger {DEDUP} sent (4 resources)."]
    assert time.monotonic() - started >= 1.5


def test_past_the_budget_the_event_stays_pending_and_says_who_retries_it(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    pagerduty.fail_next(1000, 503)
    store = _store()
    started = time.monotonic()
    out = _run(_ctx(store, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__DELIVER_WITHIN="1"))
    assert time.monotonic() - started < 3
    assert out == [f"pagerduty: trigger {DEDUP} not delivered yet (HTTP 503); it stays in the outbox: "
                   "`cloudsift serve` or `alerts deliver` retries it."]  # fmt: skip
    [item] = Outbox(store).pending()
    assert item.attempts > 1


def test_a_line_delivers_its_own_events_not_every_pending_one(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store = _store()
    ctx = _ctx(store, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__RETRIES="0")
    pagerduty.fail_next(2, 500)
    for key in ("other-1", "other-2"):
        _run(ctx, f"search {SEED_QUERY} | pagerduty --summary Other --dedup-key {key}")
    assert len(Outbox(store).pending()) == 2 and pagerduty.requests == 2
    out = _run(ctx)
    assert out == [f"pagerduty: trigger {DEDUP} sent (4 resources)."]
    assert [e["dedup_key"] for e in pagerduty.events] == [DEDUP] and pagerduty.requests == 3
    assert {i.dedup_key for i in Outbox(store).pending()} == {"other-1", "other-2"}
    delivered = _run(ctx, "alerts deliver")  # what the server's loop does, too
    assert sorted(delivered) == [
        f"pagerduty: trigger {k} sent (4 resources)." for k in ("other-1", "other-2")
    ]


def test_a_hung_request_is_bounded_by_the_budget(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    pagerduty.hang_next(100)
    store = _store()
    started = time.monotonic()
    out = _run(_ctx(store, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__DELIVER_WITHIN="2"))
    assert time.monotonic() - started < 4
    assert "not delivered yet (no answer within 2s" in out[0]
    assert len(Outbox(store).pending()) == 1


def test_a_reset_connection_is_retried(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    pagerduty.reset_next(2)
    out = _run(_ctx(_store(), pagerduty, tmp_path))
    assert out == [f"pagerduty: trigger {DEDUP} sent (4 resources)."]
    assert pagerduty.requests == 3 and len(pagerduty.events) == 1


def test_a_slow_pagerduty_gets_few_copies(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    """Issue 19.11 scaled down: PagerDuty takes each event and answers after 1.2 s, the request
    deadline is 0.5 s. A timed-out send waits and gives the next try longer: two copies, not six."""
    store = _store()
    ctx = _ctx(store, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__RETRIES="0")
    pagerduty.fail_next(1, 500)
    _run(ctx)  # the event waits in the outbox
    pagerduty.slow_next(10, 1.2)
    results = Outbox(store).deliver(policy=RetryPolicy(within=10, retries=5, base=0.01, timeout=0.5))
    assert [r.outcome for r in results] == ["delivered"]
    assert len(pagerduty.events) <= 3  # 0.5 s, then 1 s (both cut off), then 2 s: answered


@pytest.mark.parametrize("url", ["not a url", "ftp://events.example/v2/enqueue", "file:///etc/passwd"])
def test_an_events_url_that_is_not_http_is_refused(
    url: str, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    from cloudsift.errors import ConfigError, UsageError

    store = _store()
    with pytest.raises(UsageError, match="is not an http"):
        _run(_ctx(store, pagerduty, tmp_path), f"{LINE} --webhook-url '{url}'")
    with pytest.raises(ConfigError, match="is not an http"):
        _ctx(store, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__EVENTS_URL=url)
    assert pagerduty.requests == 0 and Outbox(store).items() == []


def test_serve_stops_within_seconds_while_pagerduty_hangs(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    from tests.server.test_serve import Server, wait_for

    (tmp_path / "config.toml").write_text(
        f'[pagerduty]\nrouting_key = "{KEY}"\nevents_url = "{pagerduty.url}"\nretries = 0\n'
        'deliver_within = 1\n[server]\ndelivery_interval_seconds = 0.2\n[workflows.collect]\nschedule = ""\n'
    )
    server = Server(tmp_path)
    estate = tmp_path / "estate.jsonl"
    estate.write_bytes(b"".join(estate_lines(EstateSize())))
    assert server.cli(f"import {estate}").returncode == 0
    pagerduty.fail_next(1, 500)
    assert server.cli(LINE).stdout.startswith("pagerduty: trigger open not delivered yet")  # no server yet
    pagerduty.hang_next(1000)
    server.start()
    try:
        wait_for(lambda: pagerduty.requests >= 2)  # the loop is sending into the hang
        started = time.monotonic()
        assert server.stop(signal.SIGTERM) == 0
        assert time.monotonic() - started < 5
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
    out = subprocess.run([sys.executable, "-m", "cloudsift.cli", "-c", "alerts outbox"], env=server.env,
                         capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    assert "trigger open: pending" in out


def test_metrics_count_every_sinks_events_and_retries(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    from cloudsift.alerts.sink import SINKS
    from cloudsift.server.metrics import render_metrics

    store = _store()
    ctx = _ctx(store, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__RETRIES="1")
    pagerduty.fail_next(1, 500)
    _run(ctx)  # sent after one retry
    pagerduty.fail_next(2, 500)
    _run(ctx, f"search {SEED_QUERY} | pagerduty --summary Other --dedup-key other")  # pending after one retry
    metrics = render_metrics(lambda: _ctx(store, pagerduty, tmp_path)).decode()
    assert 'cloudsift_sink_events{outcome="sent",sink="pagerduty"} 1.0' in metrics
    assert 'cloudsift_sink_events{outcome="pending",sink="pagerduty"} 1.0' in metrics
    assert 'cloudsift_sink_events{outcome="failed",sink="pagerduty"} 0.0' in metrics
    assert 'cloudsift_sink_retries_total{sink="pagerduty"} 2.0' in metrics
    for name in SINKS:  # every registered sink has its figures, zeros included
        assert f'cloudsift_sink_events{{outcome="sent",sink="{name}"}}' in metrics
