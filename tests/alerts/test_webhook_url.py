"""`--webhook-url` never carries the configured routing key elsewhere: that key goes only to
[pagerduty] events_url (or allowed_urls); a line naming its own URL names its own key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudsift.demo import SEED_QUERY
from cloudsift.errors import UsageError
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.duckdb import DuckDBStore
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.alerts.test_pagerduty import KEY, _run

OWN_KEY = "0wnKey0123456789abcdefABCDEF0123"


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


@pytest.fixture
def collector() -> Iterator[PagerDutyStandIn]:
    """Someone else's endpoint, as a caller of the API would name it."""
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


def _store() -> DuckDBStore:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    return store


def test_the_configured_key_is_not_sent_to_another_url(
    pagerduty: PagerDutyStandIn, collector: PagerDutyStandIn, tmp_path: Path
) -> None:
    line = f"search {SEED_QUERY} | pagerduty --summary s --dedup-key k --webhook-url {collector.url}"
    with pytest.raises(UsageError, match="give this URL its own --routing-key") as caught:
        _run(_store(), line, pagerduty, tmp_path)
    assert KEY not in str(caught.value)
    assert collector.requests == 0 and pagerduty.requests == 0


def test_a_line_with_its_own_url_and_key_sends_its_key_there(
    pagerduty: PagerDutyStandIn, collector: PagerDutyStandIn, tmp_path: Path
) -> None:
    line = (f"search {SEED_QUERY} | pagerduty --summary s --dedup-key k --webhook-url {collector.url} "
            f"--routing-key {OWN_KEY}")  # fmt: skip
    assert _run(_store(), line, pagerduty, tmp_path) == ["pagerduty: trigger k sent (4 resources)."]
    [event] = collector.events
    assert event["routing_key"] == OWN_KEY and pagerduty.requests == 0


def test_an_allowed_url_takes_the_configured_key(
    pagerduty: PagerDutyStandIn, collector: PagerDutyStandIn, tmp_path: Path
) -> None:
    line = f"search {SEED_QUERY} | pagerduty --summary s --dedup-key k --webhook-url {collector.url}"
    out = _run(_store(), line, pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__ALLOWED_URLS=collector.url)
    assert out == ["pagerduty: trigger k sent (4 resources)."]
    assert collector.events[0]["routing_key"] == KEY
