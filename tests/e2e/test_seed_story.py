"""The seed's story, its lines verbatim: a job that pages on open security groups after every collection,
against AWS emulated by moto over HTTP and the strict PagerDuty stand-in; fixing the group resolves it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.store.duckdb import DuckDBStore
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)

KEY = "R0utingKey0123456789abcdefABCDEF"
JOB = (
    "jobs add --id sec_network_open_ingress_from_internet --wait-for-event post_collect "
    '\'search is(aws_ec2_security_group) and group_ip_permissions[*].{ip_protocol="-1" and '
    '(ip_ranges[*].cidr_ip="0.0.0.0/0" or ipv6_ranges[*].cidr_ipv6="::/0") } | pagerduty --summary '
    '"Security groups allow ingress from 0.0.0.0/0 or ::/0 to any port." --dedup-key '
    "allow_ingress_from_internet_to_any_port'"
)


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


def test_seed_story(aws: AwsEmulator, pagerduty: PagerDutyStandIn, tmp_path: Path) -> None:  # noqa: F811
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="everything", Description="x", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])  # fmt: skip
    (tmp_path / "config.toml").write_text(
        f'[aws]\nregions = ["us-east-1"]\n[pagerduty]\nrouting_key = "{KEY}"\nevents_url = "{pagerduty.url}"\n'
    )
    config = load_config(tmp_path / "config.toml", tmp_path)
    store = DuckDBStore(tmp_path / "inventory.duckdb")

    def cloudsift(line: str) -> list[Any]:
        return list(
            run_line(line, Context(config=config, open_store=lambda: store, now=dt.datetime.now(dt.UTC)))
        )

    assert cloudsift(JOB) == ["Job sec_network_open_ingress_from_internet added."]
    out = cloudsift("workflows run collect")
    assert out[-1] == ("job sec_network_open_ingress_from_internet: pagerduty: trigger "
                       "allow_ingress_from_internet_to_any_port sent (1 resources).")  # fmt: skip
    [event] = pagerduty.events
    assert event["dedup_key"] == "allow_ingress_from_internet_to_any_port"
    account = event["payload"]["custom_details"]["aws"]["123456789012"]
    assert list(account["us-east-1"]) == [group]
    # the group is fixed; the next collection resolves the alert, once
    ec2.revoke_security_group_ingress(GroupId=group, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])  # fmt: skip
    out = cloudsift("collect")
    assert (
        out[-1]
        == "job sec_network_open_ingress_from_internet: pagerduty: resolve allow_ingress_from_internet_to_any_port sent."
    )
    out = cloudsift("collect")
    assert out[-1].endswith("nothing matches, nothing to send.")
    assert [e["event_action"] for e in pagerduty.events] == ["trigger", "resolve"]
    assert "done" in cloudsift("jobs history sec_network_open_ingress_from_internet")[0]


def test_a_bad_job_is_refused_with_the_caret(tmp_path: Path) -> None:
    from cloudsift.errors import QueryError

    store = DuckDBStore()
    ctx = Context(config=load_config(None, tmp_path), open_store=lambda: store)
    with pytest.raises(QueryError) as caught:
        list(
            run_line(
                "jobs add --id bad --wait-for-event post_collect 'search is(aws_ec2_securty_group) | count'",
                ctx,
            )
        )
    assert "Did you mean 'aws_ec2_security_group'" in caught.value.render()
    assert list(run_line("jobs list", ctx)) == ["No jobs."]
    added = list(run_line("jobs add --id later --schedule '0 * * * *' 'search ctime < @NOW@ | count'", ctx))
    assert added == ["Job later added."]
    assert (
        list(run_line("jobs show later", ctx))[-1] == "line: search ctime < @NOW@ | count"
    )  # kept for each run
