"""A sink alerts on the result of a search, nothing else: any other input is a usage error that sends nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudsift.commands.pipeline import parse_line
from cloudsift.demo import SEED_QUERY
from cloudsift.errors import UsageError
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.duckdb import DuckDBStore
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.alerts.test_pagerduty import SEED, _run


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


NOT_RESOURCES = [
    "pagerduty --summary x --dedup-key allow_ingress_from_internet_to_any_port",
    "echo hi | pagerduty --summary x --dedup-key allow_ingress_from_internet_to_any_port",
    f"search {SEED_QUERY} | count | pagerduty --summary x --dedup-key allow_ingress_from_internet_to_any_port",
    f"search {SEED_QUERY} | jq .name | pagerduty --summary x --dedup-key allow_ingress_from_internet_to_any_port",
    f"search {SEED_QUERY} | chunk 2 | pagerduty --summary x --dedup-key allow_ingress_from_internet_to_any_port",
    "search aggregate(kind: sum(1) as n): all | pagerduty --summary x --dedup-key allow_ingress_from_internet_to_any_port",
    'json [{"id": "x"}] | pagerduty --summary x --dedup-key allow_ingress_from_internet_to_any_port',
]


@pytest.mark.parametrize("line", NOT_RESOURCES)
def test_a_sink_without_a_search_in_front_resolves_nothing(
    line: str, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    _run(store, f"search {SEED_QUERY} | {SEED}", pagerduty, tmp_path)
    assert [e["event_action"] for e in pagerduty.events] == ["trigger"]
    with pytest.raises(UsageError, match="needs the result of a search") as caught:
        _run(store, line, pagerduty, tmp_path)
    assert "nothing was sent" in str(caught.value)
    assert [e["event_action"] for e in pagerduty.events] == ["trigger"]  # no resolve went out
    assert "triggered" in _run(store, "alerts list", pagerduty, tmp_path)[0]
    assert len(_run(store, "alerts outbox", pagerduty, tmp_path)) == 1


@pytest.mark.parametrize("line", NOT_RESOURCES)
def test_the_line_is_refused_when_parsed(line: str) -> None:
    with pytest.raises(UsageError, match="needs the result of a search"):
        parse_line(line)  # what `jobs add` checks: the job is refused before it is stored


@pytest.mark.parametrize("between", ["", " | head 3", " | tail -n 2", " | sort name | limit 1, 2", " | uniq"])
def test_commands_that_pick_from_a_search_still_feed_a_sink(between: str) -> None:
    [pipeline] = parse_line(f"search {SEED_QUERY}{between} | pagerduty --summary x --dedup-key k")
    assert pipeline.commands[-1].name == "pagerduty"
