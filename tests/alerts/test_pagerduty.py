"""The pagerduty command against the strict stand-in: the seed's alert, limits, outages, auto-resolve."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.demo import SEED_QUERY
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import PartitionStatus
from cloudsift.store.duckdb import DuckDBStore
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.estate import frame, lines, node

KEY = "R0utingKey0123456789abcdefABCDEF"
SEED = ('pagerduty --summary "Security groups allow ingress from 0.0.0.0/0 or ::/0 to any port." '
        "--dedup-key allow_ingress_from_internet_to_any_port")  # fmt: skip


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


def _run(store: DuckDBStore, line: str, standin: PagerDutyStandIn, tmp_path: Path, **env: str) -> list[Any]:
    environ = {"CLOUDSIFT_PAGERDUTY__ROUTING_KEY": KEY, "CLOUDSIFT_PAGERDUTY__EVENTS_URL": standin.url,
               "CLOUDSIFT_PAGERDUTY__RETRY_BASE_SECONDS": "0", **env}  # fmt: skip
    config = load_config(None, tmp_path, {**environ, "CLOUDSIFT_CONFIG": os.devnull})
    ctx = Context(config=config, open_store=lambda: store, now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))
    return list(run_line(line, ctx))


def test_the_seed_alert_names_exactly_the_violating_groups(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    out = _run(store, f"search {SEED_QUERY} | {SEED}", pagerduty, tmp_path)
    assert out == ["pagerduty: trigger allow_ingress_from_internet_to_any_port sent (4 resources)."]
    [event] = pagerduty.events
    assert event["event_action"] == "trigger" and event["routing_key"] == KEY
    assert event["payload"]["summary"] == "Security groups allow ingress from 0.0.0.0/0 or ::/0 to any port."
    assert event["payload"]["severity"] == "warning" and event["payload"]["source"] == "cloudsift"
    details = event["payload"]["custom_details"]
    assert details["total"] == 4
    regions = details["aws"]["prod (123456789012)"]
    assert set(regions) == {"us-east-1", "eu-central-1"}
    names = sorted(r["name"] for region in regions.values() for r in region.values())
    assert names == ["sg-open-all-0", "sg-open-all-0", "sg-open-v6-1", "sg-open-v6-1"]
    assert all(link["href"].startswith("https://console.aws.amazon.com/ec2/") for link in event["links"])


def test_dry_run_shows_the_event_with_the_key_masked(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    [shown] = _run(store, f'search {SEED_QUERY} | pagerduty --summary "quotes \\" and ünïcode" --dedup-key k --dry-run',
                   pagerduty, tmp_path)  # fmt: skip
    event = orjson.loads(shown)
    assert event["routing_key"] == "****CDEF" and KEY not in shown
    assert event["payload"]["summary"] == 'quotes " and ünïcode'
    [unkeyed] = _run(store, f"search {SEED_QUERY} | pagerduty --summary s --dedup-key k --dry-run", pagerduty,
                     tmp_path, CLOUDSIFT_PAGERDUTY__ROUTING_KEY="")  # fmt: skip
    assert orjson.loads(unkeyed)["routing_key"] == "(not set)"  # a dry run needs no key yet
    assert orjson.loads(unkeyed)["payload"]["custom_details"]["total"] == 4
    assert pagerduty.requests == 0


def test_three_thousand_resources_fit_and_are_accepted(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    nodes, edges = frame()
    for i in range(3000):
        nodes.append(node(f"sg-{i:05d}", "aws_ec2_security_group", name=f"group-with-a-longish-name-{i}"))
        edges.append(("reg", f"sg-{i:05d}", "default"))
    store = DuckDBStore()
    store.import_lines(lines(nodes, edges))
    out = _run(
        store,
        "search is(aws_ec2_security_group) | pagerduty --summary many --dedup-key many",
        pagerduty,
        tmp_path,
    )
    assert out == ["pagerduty: trigger many sent (3000 resources)."]
    event = pagerduty.events[0]
    assert len(orjson.dumps(event)) < 512 * 1024
    assert len(event["payload"]["custom_details"]["c"]["prod (acc)"]["us-east-1"]) == 3000


def test_an_outage_loses_nothing(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    pagerduty.fail_next(3, 500)
    pagerduty.fail_next(3, 429)
    out = _run(store, f"search {SEED_QUERY} | {SEED}", pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__RETRIES="2")
    assert "not delivered yet (HTTP 500)" in out[0] and pagerduty.events == []
    outbox = _run(store, "alerts outbox", pagerduty, tmp_path)
    assert "pending after 3 attempts, last error: HTTP 500" in outbox[0]
    out = _run(store, "alerts deliver", pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__RETRIES="2")
    assert "not delivered yet (HTTP 429)" in out[0]
    out = _run(store, "alerts deliver", pagerduty, tmp_path)
    assert out == ["pagerduty: trigger allow_ingress_from_internet_to_any_port sent (4 resources)."]
    assert len(pagerduty.events) == 1
    assert "delivered after 7 attempts" in _run(store, "alerts outbox", pagerduty, tmp_path)[0]


def test_an_event_another_delivery_sent_first_is_still_reported(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    from cloudsift.alerts.outbox import Outbox
    from cloudsift.alerts.sink import Request
    from cloudsift.commands.sinks import deliver_own, describe

    store = DuckDBStore()
    config = load_config(None, tmp_path, {"CLOUDSIFT_CONFIG": os.devnull})
    ctx = Context(config=config, open_store=lambda: store)
    outbox = Outbox(store)
    request = Request(pagerduty.url, {"routing_key": KEY, "event_action": "resolve", "dedup_key": "k"})
    own = outbox.put("pagerduty", "resolve", request, "k", ctx.now)
    assert [d.outcome for d in Outbox(store).deliver()] == ["delivered"]  # e.g. the server's loop, first
    assert [describe(d, False) for d in deliver_own(ctx, "pagerduty", ["k"], [own])] == [
        "pagerduty: resolve k sent."
    ]
    assert len(pagerduty.events) == 1


def test_a_bad_event_is_not_retried_and_its_errors_are_shown(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    out = _run(store, f"search {SEED_QUERY} | pagerduty --summary x --dedup-key k --webhook-url {pagerduty.url}",
               pagerduty, tmp_path, CLOUDSIFT_PAGERDUTY__SOURCE="")  # fmt: skip
    assert out == [
        "pagerduty: trigger k refused by PagerDuty: HTTP 400 Event object is invalid: 'payload.source' is required."
    ]
    assert pagerduty.requests == 1


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ("--summary s --dedup-key k", {"CLOUDSIFT_PAGERDUTY__ROUTING_KEY": ""}, "no routing key"),
        ("--summary s --dedup-key k --routing-key short", {}, "is not 32 letters and digits"),
        (
            "--summary s --dedup-key k --severity loud",
            {},
            "--severity must be one of critical, error, warning, info",
        ),
        ("--summary s --dedup-key k --event-action page", {}, "--event-action must be one of"),
        ("--summary s", {}, "needs --summary and --dedup-key"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(pagerduty: PagerDutyStandIn, tmp_path: Path, options: str,
                                                      env: dict[str, str], message: str) -> None:  # fmt: skip
    from cloudsift.errors import UsageError

    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    with pytest.raises(UsageError) as caught:
        _run(store, f"search {SEED_QUERY} | pagerduty {options}", pagerduty, tmp_path, **env)
    assert message in str(caught.value)
    assert "R0utingKey" not in str(caught.value)
    assert pagerduty.requests == 0


def test_trigger_fixed_resolve_once_then_nothing(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    line = f"search {SEED_QUERY} | {SEED}"
    _run(store, line, pagerduty, tmp_path)
    store.import_lines(estate_lines(EstateSize(), violations=False), replace=True)  # the groups were fixed
    out = _run(store, line, pagerduty, tmp_path)
    assert out == ["pagerduty: resolve allow_ingress_from_internet_to_any_port sent."]
    assert [e["event_action"] for e in pagerduty.events] == ["trigger", "resolve"]
    assert _run(store, line, pagerduty, tmp_path) == [
        "pagerduty allow_ingress_from_internet_to_any_port: nothing matches, nothing to send."]  # fmt: skip
    assert len(pagerduty.events) == 2
    assert "resolved" in _run(store, "alerts list", pagerduty, tmp_path)[0]


def test_no_false_clear_when_a_region_failed_to_collect(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    now = dt.datetime(2026, 11, 28, 11, tzinfo=dt.UTC)
    store.record_partitions(
        [PartitionStatus("aws", "123456789012", r, None, now) for r in ("us-east-1", "eu-central-1")]
    )
    line = f"search {SEED_QUERY} | {SEED}"
    _run(store, line, pagerduty, tmp_path)
    store.import_lines(estate_lines(EstateSize(), violations=False), replace=True)
    store.record_partitions([PartitionStatus("aws", "123456789012", "eu-central-1", "ec2: throttled", now)])
    out = _run(store, line, pagerduty, tmp_path)
    assert out[0].startswith(
        "pagerduty allow_ingress_from_internet_to_any_port: nothing matches, but the alert stays open"
    )
    assert "123456789012/eu-central-1: ec2: throttled" in out[0]
    assert "will not resolve until collected cleanly" in _run(store, "alerts list", pagerduty, tmp_path)[0]
    store.record_partitions([PartitionStatus("aws", "123456789012", "eu-central-1", None, now)])
    assert _run(store, line, pagerduty, tmp_path) == [
        "pagerduty: resolve allow_ingress_from_internet_to_any_port sent."
    ]


def test_resources_can_be_keyed_described_and_listed_flat(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    [shown] = _run(store, f"search {SEED_QUERY} | pagerduty --summary s --dedup-key k --dry-run --group-resources false "
                          "--resource-id arn --resource-properties name=name,account=account,owner=tags.owner",
                   pagerduty, tmp_path)  # fmt: skip
    details = orjson.loads(shown)["payload"]["custom_details"]
    assert details["total"] == 4
    resources = {k: v for k, v in details.items() if k != "total"}
    assert all(key.startswith("arn:aws:ec2:") for key in resources)
    assert {tuple(sorted(v)) for v in resources.values()} == {("account", "name", "owner")}
    assert {v["account"] for v in resources.values()} == {"prod"}
    with pytest.raises(Exception, match="name=path pairs"):
        _run(store, f"search {SEED_QUERY} | pagerduty --summary s --dedup-key k --dry-run --resource-properties name",
             pagerduty, tmp_path)  # fmt: skip


def test_past_512_kb_the_details_say_how_many_were_left_out(
    pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    nodes, edges = frame()
    for i in range(12000):
        nodes.append(node(f"sg-{i:06d}", "aws_ec2_security_group", name=f"{'x' * 40}-{i}"))
        edges.append(("reg", f"sg-{i:06d}", "default"))
    store = DuckDBStore()
    store.import_lines(lines(nodes, edges))
    long_summary = "open " * 300
    out = _run(store, f'search is(aws_ec2_security_group) | pagerduty --summary "{long_summary}" --dedup-key big',
               pagerduty, tmp_path)  # fmt: skip
    assert out == ["pagerduty: trigger big sent (12000 resources)."]
    event = pagerduty.events[0]
    assert len(orjson.dumps(event)) < 512 * 1024
    details = event["payload"]["custom_details"]
    shown = len(details["c"]["prod (acc)"]["us-east-1"])
    assert details["total"] == 12000 and details["left_out"] == 12000 - shown and shown > 3000
    summary = event["payload"]["summary"]
    assert len(summary) == 1024 and summary.endswith("…")


def test_resolve_after_waits_for_clean_runs_in_a_row(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    now = dt.datetime(2026, 11, 28, 11, tzinfo=dt.UTC)
    places = ("us-east-1", "eu-central-1")
    store.record_partitions([PartitionStatus("aws", "123456789012", r, None, now) for r in places])
    line = f"search {SEED_QUERY} | {SEED} --resolve-after 2"
    _run(store, line, pagerduty, tmp_path)
    store.import_lines(estate_lines(EstateSize(), violations=False), replace=True)
    out = _run(store, line, pagerduty, tmp_path)
    assert out == ["pagerduty allow_ingress_from_internet_to_any_port: nothing matches (1 of 2 clean runs in a "
                   "row before it resolves); the alert stays open."]  # fmt: skip
    store.record_partitions([PartitionStatus("aws", "123456789012", "eu-central-1", "ec2: throttled", now)])
    assert "did not cover cleanly" in _run(store, line, pagerduty, tmp_path)[0]  # the count starts again
    store.record_partitions([PartitionStatus("aws", "123456789012", "eu-central-1", None, now)])
    assert "1 of 2 clean runs" in _run(store, line, pagerduty, tmp_path)[0]
    assert _run(store, line, pagerduty, tmp_path) == [
        "pagerduty: resolve allow_ingress_from_internet_to_any_port sent."
    ]
    assert [e["event_action"] for e in pagerduty.events] == ["trigger", "resolve"]


@pytest.mark.parametrize(
    "options",
    [
        'summary="Open to the world" dedup_key=open --dry-run',
        'summary="Open to the world" dedup-key=open dry_run=true',
        '--summary "Open to the world" dedup_key=open severity=error --severity warning --dry-run',
    ],
)
def test_fix_key_value_options_mean_the_same(
    pagerduty: PagerDutyStandIn, tmp_path: Path, options: str
) -> None:
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    ours = _run(store, f'search {SEED_QUERY} | pagerduty --summary "Open to the world" --dedup-key open --dry-run',
                pagerduty, tmp_path)  # fmt: skip
    assert _run(store, f"search {SEED_QUERY} | pagerduty {options}", pagerduty, tmp_path) == ours
    assert pagerduty.requests == 0


def test_fix_key_value_options_are_checked(pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:
    from cloudsift.errors import UsageError

    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    with pytest.raises(UsageError, match="dry_run takes true or false"):
        _run(
            store, f"search {SEED_QUERY} | pagerduty summary=s dedup_key=k dry_run=maybe", pagerduty, tmp_path
        )
    with pytest.raises(UsageError, match="needs --summary and --dedup-key"):
        _run(store, f"search {SEED_QUERY} | pagerduty summary=s", pagerduty, tmp_path)
    # a value that looks like an option stays the value it is
    [shown] = _run(store, f'search {SEED_QUERY} | pagerduty --summary "severity=high" dedup_key=k --dry-run',
                   pagerduty, tmp_path)  # fmt: skip
    assert orjson.loads(shown)["payload"]["summary"] == "severity=high"
