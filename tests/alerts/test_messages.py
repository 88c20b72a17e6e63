"""Every sink's body, for few and for many resources, passes the strict stand-in's validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cloudsift.alerts import messages as m
from tests.alerts.webhook_standins import discord_errors, opsgenie_create_errors, slack_errors, teams_errors

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


def _node(i: int, account: str = "123456789012", region: str = "us-east-1") -> dict[str, Any]:
    return {
        "id": f"aws/{account}/{region}/sg-{i:08x}",
        "reported": {"id": f"sg-{i:08x}", "name": f"open-group-{i}" * 3, "kind": "aws_ec2_security_group"},
        "ancestors": {
            "cloud": {"reported": {"id": "aws", "name": "aws"}},
            "account": {"reported": {"id": account, "name": "prod"}},
            "region": {"reported": {"id": region, "name": region}},
        },
    }


def _alert(count: int, regions: int = 1) -> m.Alert:
    nodes = [_node(i, region=f"r-{i % regions}") for i in range(count)]
    return m.Alert("Security groups allow ingress from 0.0.0.0/0 " * 10, "open_groups", "critical", nodes, NOW,
                   link="http://127.0.0.1:8900/ui/search?q=x")  # fmt: skip


@pytest.mark.parametrize("count", [1, 7, 2000])
def test_every_body_is_valid_for_few_and_many_resources(count: int) -> None:
    alert = _alert(count, regions=3)
    assert opsgenie_create_errors(m.opsgenie_create(alert)) == {}
    assert slack_errors(m.slack_trigger(alert)) is None
    assert teams_errors(m.teams_trigger(alert)) is None
    assert discord_errors(m.discord_trigger(alert)) is None
    assert slack_errors(m.slack_resolve(alert.summary, alert.dedup_key)) is None
    assert teams_errors(m.teams_resolve(alert.summary, alert.dedup_key)) is None
    assert discord_errors(m.discord_resolve(alert.summary, alert.dedup_key, NOW)) is None


def test_a_cut_list_says_how_many_were_left_out() -> None:
    alert = _alert(2000)
    description = m.opsgenie_create(alert)["description"]
    shown = sum(1 for line in description.splitlines() if line.startswith("  "))
    assert 0 < shown < 2000 and description.endswith(f"… and {2000 - shown} more")
    small = m.opsgenie_create(_alert(3))["description"]
    assert "more" not in small and small.count("aws_ec2_security_group") == 3


def test_alertmanager_labels_name_the_one_account_and_region_and_stay_stable() -> None:
    one_region = _alert(5)
    labels = m.alertmanager_labels(one_region)
    assert labels == {"alertname": "open_groups", "severity": "critical", "source": "cloudsift",
                      "cloud": "aws", "account": "123456789012", "region": "r-0"}  # fmt: skip
    assert "region" not in m.alertmanager_labels(_alert(5, regions=2))
    firing = m.alertmanager_firing(one_region, labels, dt.timedelta(minutes=10))
    assert firing["startsAt"] == "2026-12-02T12:00:00Z" and firing["endsAt"] == "2026-12-02T12:10:00Z"
    assert firing["annotations"]["resources"] == "5" and firing["generatorURL"].startswith("http://")
    assert m.alertmanager_resolved(labels, "s", NOW)["labels"] == labels


def test_opsgenie_priority_follows_the_severity() -> None:
    for severity, priority in (("critical", "P1"), ("error", "P2"), ("warning", "P3"), ("info", "P5")):
        alert = m.Alert("x", "k", severity, [_node(1)], NOW)
        assert m.opsgenie_create(alert)["priority"] == priority
