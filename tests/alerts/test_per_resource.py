"""`--per-resource`: one alert per resource found, each triggering and resolving on its own, on both
engines, against the PagerDuty stand-in, the Slack stand-in and the real Alertmanager."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.errors import UsageError
from cloudsift.jobs.runs import run_event_jobs
from cloudsift.store.base import PartitionStatus, Store
from tests.alerts import webhook_standins as standins
from tests.alerts.alertmanager_process import alertmanager
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.estate import lines, node

KEY = "R0utingKey0123456789abcdefABCDEF"
NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
QUERY = "search is(aws_ec2_security_group) and name =~ open"
LINE = f"{QUERY} | pagerduty --summary 'Open group' --dedup-key open --per-resource"


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


def _estate(store: Store, open_groups: dict[str, str]) -> None:
    """Groups in two regions of one account; those in `open_groups` (id -> region) are open."""
    nodes = [node("c", "cloud"), node("acc", "aws_account", name="prod"),
             node("east", "aws_region", name="us-east-1"), node("west", "aws_region", name="us-west-2")]  # fmt: skip
    edges = [("c", "acc", "default"), ("acc", "east", "default"), ("acc", "west", "default")]
    for group, region in {
        "sg-a": "east",
        "sg-b": "east",
        "sg-c": "west",
        "sg-ok": "west",
        **open_groups,
    }.items():
        nodes.append(
            node(
                group,
                "aws_ec2_security_group",
                name=f"{'open' if group in open_groups else 'closed'}-{group}",
            )
        )
        edges.append((region, group, "default"))
    store.import_lines(lines(nodes, edges), replace=True)


ALL_OPEN = {"sg-a": "east", "sg-b": "east", "sg-c": "west"}


def _collected(store: Store, west_error: str | None = None) -> None:
    store.record_partitions([PartitionStatus("aws", "acc", "east", None, NOW),
                             PartitionStatus("aws", "acc", "west", west_error, NOW)])  # fmt: skip


def _ctx(store: Store, tmp_path: Path, env: dict[str, str], now: dt.datetime = NOW) -> Context:
    environ = {"CLOUDSIFT_CONFIG": os.devnull, "CLOUDSIFT_PAGERDUTY__RETRY_BASE_SECONDS": "0",
               "CLOUDSIFT_PAGERDUTY__DELIVER_WITHIN": "20", **env}  # fmt: skip
    return Context(config=load_config(None, tmp_path, environ), open_store=lambda: store, now=now)


def _pd(standin: PagerDutyStandIn) -> dict[str, str]:
    return {"CLOUDSIFT_PAGERDUTY__ROUTING_KEY": KEY, "CLOUDSIFT_PAGERDUTY__EVENTS_URL": standin.url}


def _run(store: Store, tmp_path: Path, env: dict[str, str], line: str, now: dt.datetime = NOW) -> list[Any]:
    return list(run_line(line, _ctx(store, tmp_path, env, now)))


def _sent(standin: PagerDutyStandIn) -> list[tuple[str, str]]:
    return sorted((e["event_action"], e["dedup_key"]) for e in standin.events)


def test_one_alert_per_group_and_fixing_one_resolves_only_its_own(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    _estate(store, ALL_OPEN)
    _collected(store)
    assert _run(store, tmp_path, _pd(pagerduty), LINE) == [
        "pagerduty open: trigger sent for 3 resources (sg-a, sg-b, sg-c)."
    ]
    assert _sent(pagerduty) == [("trigger", "open:sg-a"), ("trigger", "open:sg-b"), ("trigger", "open:sg-c")]
    summaries = sorted(e["payload"]["summary"] for e in pagerduty.events)
    assert summaries == ["Open group: open-sg-a", "Open group: open-sg-b", "Open group: open-sg-c"]
    assert pagerduty.events[0]["payload"]["custom_details"]["total"] == 1
    pagerduty.events.clear()
    _estate(store, {"sg-a": "east", "sg-c": "west"})  # sg-b was fixed
    assert _run(store, tmp_path, _pd(pagerduty), LINE) == [
        "pagerduty open: trigger sent for 2 resources (sg-a, sg-c).",
        "pagerduty open: resolve sent for 1 resource (sg-b).",
    ]
    assert _sent(pagerduty) == [("resolve", "open:sg-b"), ("trigger", "open:sg-a"), ("trigger", "open:sg-c")]
    listed = _run(store, tmp_path, {}, "alerts list")
    assert listed[0].startswith("pagerduty open (per resource): 2 triggered, 1 resolved")
    assert [x.split(":")[0:2] for x in listed[1:]] == [
        ["  pagerduty open", "sg-a"],
        ["  pagerduty open", "sg-c"],
    ]
    pagerduty.events.clear()
    _estate(store, {})
    assert _run(store, tmp_path, _pd(pagerduty), LINE) == [
        "pagerduty open: resolve sent for 2 resources (sg-a, sg-c)."
    ]
    assert _run(store, tmp_path, _pd(pagerduty), LINE) == [
        "pagerduty open: nothing matches, no alert of it is open, nothing to send."
    ]
    assert _sent(pagerduty) == [("resolve", "open:sg-a"), ("resolve", "open:sg-c")]


def test_a_failed_partition_keeps_its_resources_open(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    _estate(store, ALL_OPEN)
    _collected(store)
    _run(store, tmp_path, _pd(pagerduty), LINE)
    pagerduty.events.clear()
    _estate(store, {})  # nothing found: fixed in east, but west failed to collect
    _collected(store, west_error="ec2: throttled")
    out = _run(store, tmp_path, _pd(pagerduty), LINE)
    assert out == [
        "pagerduty open: resolve sent for 2 resources (sg-a, sg-b).",
        "pagerduty open: 1 resource no longer found, still open (sg-c): the last collection did not cover "
        "cleanly acc/west: ec2: throttled.",
    ]
    assert _sent(pagerduty) == [("resolve", "open:sg-a"), ("resolve", "open:sg-b")]
    listed = _run(store, tmp_path, {}, "alerts list")
    assert "open:sg-c: triggered" in listed[1] and "will not resolve until collected cleanly" in listed[1]
    _collected(store)
    assert _run(store, tmp_path, _pd(pagerduty), LINE) == [
        "pagerduty open: resolve sent for 1 resource (sg-c)."
    ]


def test_resolve_after_counts_clean_runs_per_resource(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    line = LINE + " --resolve-after 2"
    _estate(store, ALL_OPEN)
    _collected(store)
    _run(store, tmp_path, _pd(pagerduty), line)
    _estate(store, {"sg-a": "east", "sg-c": "west"})
    assert _run(store, tmp_path, _pd(pagerduty), line)[1] == (
        "pagerduty open: 1 resource no longer found, still open (sg-b): 1 of 2 clean runs in a row before it "
        "resolves."
    )
    _estate(store, {"sg-c": "west"})  # sg-b's second clean run, sg-a's first
    out = _run(store, tmp_path, _pd(pagerduty), line)
    assert out[1:] == [
        "pagerduty open: resolve sent for 1 resource (sg-b).",
        "pagerduty open: 1 resource no longer found, still open (sg-a): 1 of 2 clean runs in a row before it "
        "resolves.",
    ]
    assert [k for a, k in _sent(pagerduty) if a == "resolve"] == ["open:sg-b"]


def test_an_outage_then_recovery_delivers_each_once(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    _estate(store, ALL_OPEN)
    pagerduty.fail_next(2, 500)
    pagerduty.fail_next(2, 429, retry_after=0.2)
    assert _run(store, tmp_path, _pd(pagerduty), LINE) == [
        "pagerduty open: trigger sent for 3 resources (sg-a, sg-b, sg-c)."
    ]
    assert Counter(k for _, k in _sent(pagerduty)) == {"open:sg-a": 1, "open:sg-b": 1, "open:sg-c": 1}
    assert pagerduty.requests == 7
    assert "delivered after 5 attempts" in "\n".join(_run(store, tmp_path, {}, "alerts outbox"))


def test_a_job_after_each_collection_and_bad_uses_are_refused(
    store: Store, pagerduty: PagerDutyStandIn, tmp_path: Path
) -> None:
    _estate(store, ALL_OPEN)
    ctx = _ctx(store, tmp_path, _pd(pagerduty))
    assert list(run_line(f'jobs add --id groups --wait-for-event post_collect "{LINE}"', ctx)) == [
        "Job groups added."
    ]
    assert run_event_jobs(ctx, "post_collect") == [
        "job groups: pagerduty open: trigger sent for 3 resources (sg-a, sg-b, sg-c)."
    ]
    assert len(pagerduty.events) == 3
    with pytest.raises(UsageError, match="at most 200 characters"):
        _run(store, tmp_path, _pd(pagerduty), LINE.replace("--dedup-key open", f"--dedup-key {'k' * 201}"))
    with pytest.raises(UsageError, match="one alert per failing check"):
        _run(
            store,
            tmp_path,
            _pd(pagerduty),
            "report checks run aws_ec2_volume_not_encrypted | pagerduty --per-resource",
        )


def test_slack_posts_a_message_per_group(store: Store, tmp_path: Path) -> None:
    path = "/services/T000/B000/XXXX"
    with standins.running(standins.slack(), path) as slack:
        env = {"CLOUDSIFT_SLACK__URL": slack.url}
        line = LINE.replace("pagerduty", "slack")
        _estate(store, ALL_OPEN)
        assert _run(store, tmp_path, env, line) == [
            "slack open: trigger sent for 3 resources (sg-a, sg-b, sg-c)."
        ]
        assert sorted("open-sg-b" in str(r.body) for r in slack.accepted) == [False, False, True]
        _estate(store, {"sg-a": "east", "sg-c": "west"})
        assert _run(store, tmp_path, env, line)[-1] == "slack open: resolve sent for 1 resource (sg-b)."
        [resolved] = [r for r in slack.accepted[3:] if "Resolved" in str(r.body)]
        assert "sg-b" in str(resolved.body) and len(slack.accepted) == 6


def test_alertmanager_holds_one_alert_per_group_for_real(store: Store, tmp_path: Path) -> None:
    with alertmanager(tmp_path) as am:
        env = {"CLOUDSIFT_ALERTMANAGER__URL": am.url}
        line = LINE.replace("pagerduty", "alertmanager")
        now = dt.datetime.now(dt.UTC)  # Alertmanager drops an alert whose endsAt has passed
        _estate(store, ALL_OPEN)
        _collected(store)
        _run(store, tmp_path, env, line, now)
        assert sorted(a["labels"]["alertname"] for a in am.alerts()) == [
            "open:sg-a",
            "open:sg-b",
            "open:sg-c",
        ]
        _estate(store, {"sg-a": "east", "sg-c": "west"})
        assert (
            _run(store, tmp_path, env, line, now)[-1]
            == "alertmanager open: resolve sent for 1 resource (sg-b)."
        )
        deadline = time.monotonic() + 10
        while len(am.alerts()) > 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sorted(a["labels"]["alertname"] for a in am.alerts()) == ["open:sg-a", "open:sg-c"]
