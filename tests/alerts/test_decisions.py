"""The alert's state and its outbox event change together, in the order decisions were made, on both
engines; concurrent lines for one dedup key all succeed; two processes never send one key at once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudsift.alerts.outbox import Outbox
from cloudsift.alerts.state import AlertStates
from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.demo import SEED_QUERY
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.alerts.test_pagerduty import KEY, SEED

LINE = f"search {SEED_QUERY} | {SEED}"
DEDUP = "allow_ingress_from_internet_to_any_port"


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


def _context(store: Store, standin: PagerDutyStandIn, tmp_path: Path, now: dt.datetime | None = None,
             **env: str) -> Context:  # fmt: skip
    environ = {"CLOUDSIFT_PAGERDUTY__ROUTING_KEY": KEY, "CLOUDSIFT_PAGERDUTY__EVENTS_URL": standin.url,
               "CLOUDSIFT_PAGERDUTY__RETRY_BASE_SECONDS": "0", "CLOUDSIFT_CONFIG": os.devnull,
               **env}  # fmt: skip
    config = load_config(None, tmp_path, environ)
    if now is None:
        return Context(config=config, open_store=lambda: store)
    return Context(config=config, open_store=lambda: store, now=now)


def _run(ctx: Context, line: str) -> list[Any]:
    return list(run_line(line, ctx))


def test_a_failed_state_write_queues_no_event(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a kill between the outbox and the state would: neither is written, nothing is sent later."""
    store.import_lines(estate_lines(EstateSize()))

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(AlertStates, "put", killed)
    with pytest.raises(KeyboardInterrupt):
        _run(_context(store, pagerduty, tmp_path), LINE)
    assert Outbox(store).items() == [] and AlertStates(store).all() == []
    assert pagerduty.requests == 0


def test_thirty_concurrent_lines_for_one_key_all_succeed(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store.import_lines(estate_lines(EstateSize()))
    outputs: list[list[Any]] = []
    errors: list[BaseException] = []

    def line() -> None:
        handle = store.session()
        try:
            outputs.append(_run(_context(handle, pagerduty, tmp_path), LINE))
        except BaseException as e:
            errors.append(e)
        finally:
            handle.close()

    threads = [threading.Thread(target=line) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert len(outputs) == 30
    [state] = AlertStates(store).all()
    assert state.state == "triggered" and state.dedup_key == DEDUP
    items = Outbox(store).items()
    assert sorted(i.seq for i in items) == list(range(1, 31))  # one place per decision
    assert {i.state for i in items} == {"delivered"}
    assert len(pagerduty.events) == 30


def test_events_leave_in_the_order_they_were_decided(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    """A resolve decided after a trigger, by a line whose context was made earlier (a long collection),
    goes out after it: PagerDuty ends resolved, as cloudsift says."""
    store.import_lines(estate_lines(EstateSize()))
    early = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
    pagerduty.fail_next(2, 500)  # PagerDuty is down: both events wait in the outbox
    policy = {"CLOUDSIFT_PAGERDUTY__RETRIES": "0"}
    _run(_context(store, pagerduty, tmp_path, now=early + dt.timedelta(minutes=5), **policy), LINE)
    store.import_lines(estate_lines(EstateSize(), violations=False), replace=True)
    _run(_context(store, pagerduty, tmp_path, now=early, **policy), LINE)
    assert [i.action for i in Outbox(store).pending()] == ["trigger", "resolve"]
    _run(_context(store, pagerduty, tmp_path), "alerts deliver")
    assert [e["event_action"] for e in pagerduty.events] == ["trigger", "resolve"]
    assert AlertStates(store).all()[0].state == "resolved"


def test_an_older_event_is_never_sent_after_a_newer_one(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store.import_lines(estate_lines(EstateSize()))
    ctx = _context(store, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__RETRIES="0")
    pagerduty.fail_next(1, 500)
    _run(ctx, LINE)  # the trigger stays pending
    [older] = Outbox(store).pending()
    _run(ctx, f"search {SEED_QUERY} | pagerduty --summary again --dedup-key {DEDUP}")  # sends both, in order
    assert [e["payload"]["summary"] for e in pagerduty.events][-1] == "again"
    # Someone marks the older one pending again (a restore, a bug): it must not overtake the newer.
    store.execute("UPDATE outbox SET state = 'pending' WHERE id = ?", [older.id])
    before = len(pagerduty.events)
    out = _run(ctx, "alerts deliver")
    assert len(pagerduty.events) == before
    assert out == [f"pagerduty: trigger {DEDUP} not sent: a newer event of this key was delivered."]


def test_two_processes_never_deliver_one_key_at_once(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    """On the real PostgreSQL: two `alerts deliver` processes over the same pending events of one key,
    PagerDuty slow to answer; each event goes out once, in the order decided."""
    from tests.conftest import POSTGRES_URL, _drop, _postgres_store

    store = _postgres_store()
    try:
        schema = store.schema  # type: ignore[attr-defined]
        store.import_lines(estate_lines(EstateSize()))
        ctx = _context(store, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__RETRIES="0")
        pagerduty.fail_next(4, 500)  # each line tries the oldest event once, and leaves them all pending
        for summary in ("first", "second", "third", "fourth"):
            _run(ctx, f"search {SEED_QUERY} | pagerduty --summary {summary} --dedup-key {DEDUP}")
        assert len(Outbox(store).pending()) == 4
        pagerduty.slow_next(4, 0.3)
        env = {**os.environ, "CLOUDSIFT_HOME": str(tmp_path), "CLOUDSIFT_CONFIG": os.devnull,
               "CLOUDSIFT_STORE__URL": POSTGRES_URL, "CLOUDSIFT_STORE__SCHEMA": schema}  # fmt: skip
        command = [sys.executable, "-m", "cloudsift.cli", "-c", "alerts deliver"]
        processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                     for _ in range(2)]  # fmt: skip
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, (out, err)
        assert [e["payload"]["summary"] for e in pagerduty.events] == ["first", "second", "third", "fourth"]
        assert {i.state for i in Outbox(store).items()} == {"delivered"}
    finally:
        _drop(store)
