"""Partitions that a collection did not cover keep their data and their alerts until forgotten on purpose;
an account that failed once and then answers is clean again. moto over HTTP, the strict PagerDuty stand-in."""

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
from cloudsift.demo import SEED_QUERY
from cloudsift.errors import CloudsiftError
from cloudsift.server.metrics import render_metrics
from cloudsift.store.base import Store
from tests.alerts.pagerduty_standin import PagerDutyStandIn, start_pagerduty
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.fault_proxy import Fault
from tests.collect.test_aws import SECOND, _second_account, aws  # noqa: F401  (the fixture)

KEY = "R0utingKey0123456789abcdefABCDEF"
SEED = (f"search {SEED_QUERY} | pagerduty --summary \"Security groups allow ingress from 0.0.0.0/0 or ::/0 "
        'to any port." --dedup-key allow_ingress_from_internet_to_any_port')  # fmt: skip
CALLER = "123456789012"


@pytest.fixture
def pagerduty() -> Iterator[PagerDutyStandIn]:
    standin, server = start_pagerduty()
    yield standin
    server.shutdown()


class Cloudsift:
    """Command lines against one store, with the config written as a user would edit it."""

    def __init__(self, tmp_path: Path, store: Store, pagerduty: PagerDutyStandIn | None = None) -> None:
        self.path = tmp_path / "config.toml"
        self.tmp_path, self.store, self.pagerduty = tmp_path, store, pagerduty

    def configure(self, regions: list[str], accounts: list[str] = ()) -> None:  # type: ignore[assignment]
        assert self.pagerduty is not None, "configure() names the PagerDuty stand-in"
        self.path.write_text(
            f'[aws]\nregions = {list(regions)!r}\nrole = "cloudsift"\naccounts = {list(accounts)!r}\n'
            f'[pagerduty]\nrouting_key = "{KEY}"\nevents_url = "{self.pagerduty.url}"\nretry_base_seconds = 0\n'.replace(
                "'", '"'
            )
        )

    def __call__(self, line: str) -> tuple[list[Any], int]:
        """What the line prints and the exit code it ends with, as `cloudsift -c` would."""
        config = load_config(self.path, self.tmp_path)
        ctx = Context(config=config, open_store=lambda: self.store, now=dt.datetime.now(dt.UTC))
        out: list[Any] = []
        try:
            out.extend(run_line(line, ctx))
        except CloudsiftError as e:
            return [*out, f"error: {e.render()}"], e.exit_code
        return out, 0


def _open_group(session: boto3.Session, region: str) -> str:
    ec2 = session.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="wide-open", Description="oops", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])  # fmt: skip
    return str(group)


def _actions(standin: PagerDutyStandIn) -> list[str]:
    return [e["event_action"] for e in standin.events]


def test_a_misspelled_region_keeps_its_data_and_alert_until_forgotten(
    aws: AwsEmulator,  # noqa: F811
    pagerduty: PagerDutyStandIn,
    tmp_path: Path,
    store: Store,
) -> None:
    group = _open_group(boto3.Session(), "eu-central-1")
    cloudsift = Cloudsift(tmp_path, store, pagerduty)
    cloudsift.configure(["us-east-1", "eu-central-1", "us-west-2"])
    assert cloudsift("collect")[1] == 0
    assert cloudsift(SEED)[0] == [
        "pagerduty: trigger allow_ingress_from_internet_to_any_port sent (1 resources)."
    ]
    # the user edits the config and misspells the region: eu-central-1 is not collected any more
    cloudsift.configure(["us-east-1", "eu-centrall-1", "us-west-2"])
    cloudsift("collect")
    cloudsift(SEED)
    assert "resolve" not in _actions(pagerduty)  # no false resolve: the kept group still matches
    found, _ = cloudsift(f"search {SEED_QUERY} | list --csv id")
    assert group in "\n".join(map(str, found))  # its data stays
    listed, _ = cloudsift("alerts list")
    assert "triggered" in listed[0] and "will not resolve until collected cleanly: " in listed[0]
    assert f"{CALLER}/eu-central-1: not collected since " in listed[0] and "no longer configured" in listed[0]
    shown, _ = cloudsift("workflows show collect")
    [line] = [s for s in shown if " eu-central-1:" in s]
    assert (
        line.startswith(f"aws {CALLER} eu-central-1: not collected since ") and "no longer configured" in line
    )
    assert "collect --forget eu-central-1" in line
    # a second collection changes nothing: still there, still open, the same "since"
    cloudsift("collect")
    assert line in cloudsift("workflows show collect")[0]
    # forgetting is explicit, and only then is the alert clean
    out, code = cloudsift("collect --forget eu-central-1")
    assert code == 0 and out[0].startswith(f"Forgot aws {CALLER} eu-central-1 (")
    assert all(" eu-central-1:" not in s for s in cloudsift("workflows show collect")[0])
    assert cloudsift(SEED)[0] == ["pagerduty: resolve allow_ingress_from_internet_to_any_port sent."]
    assert _actions(pagerduty)[-1] == "resolve" and _actions(pagerduty).count("resolve") == 1


def test_a_removed_account_keeps_its_data_until_forgotten(
    aws: AwsEmulator,  # noqa: F811
    pagerduty: PagerDutyStandIn,
    tmp_path: Path,
) -> None:
    from cloudsift.store.duckdb import DuckDBStore

    group = _open_group(_second_account(), "us-east-1")
    cloudsift = Cloudsift(tmp_path, DuckDBStore(tmp_path / "inventory.duckdb"), pagerduty)
    cloudsift.configure(["us-east-1"], [SECOND])
    assert cloudsift("collect")[1] == 0
    assert "trigger" in cloudsift(SEED)[0][0]
    cloudsift.configure(["us-east-1"], ["22222222222l"])  # a typo: the second account is not collected
    out, _ = cloudsift("collect")
    assert (
        "aws: error: [aws] accounts: '22222222222l' is not an AWS account id (12 digits); nothing is collected for it"
        in out
    )
    assert group in "\n".join(map(str, cloudsift(f"search {SEED_QUERY} | list --csv id")[0]))
    cloudsift(SEED)
    assert "resolve" not in _actions(pagerduty)
    listed, _ = cloudsift("alerts list")
    assert f"{SECOND}/us-east-1: not collected since " in listed[0] and "no longer configured" in listed[0]
    # the one still configured cannot be forgotten: it would come back at the next collection
    out, code = cloudsift(f"collect --forget {CALLER}")
    assert code == 2 and "still configured" in out[-1]
    out, code = cloudsift("collect --forget 22222222222")
    assert code == 2 and f"Did you mean '{SECOND}'" in out[-1]
    out, code = cloudsift(f"collect --forget {SECOND}")
    assert code == 0 and out[0].startswith(f"Forgot aws {SECOND} "), out
    assert cloudsift(f'search account.id == "{SECOND}" | count')[0][0] == "total matched: 0"
    assert "resolve" in cloudsift(SEED)[0][0]


def test_an_account_that_failed_once_is_clean_after_it_answers_again(
    aws: AwsEmulator,  # noqa: F811
    pagerduty: PagerDutyStandIn,
    tmp_path: Path,
    store: Store,
) -> None:
    second = _second_account()
    group = _open_group(second, "us-east-1")
    cloudsift = Cloudsift(tmp_path, store, pagerduty)
    cloudsift.configure(["us-east-1"], [SECOND])
    assert cloudsift("collect")[1] == 0
    assert "trigger" in cloudsift(SEED)[0][0]
    second.client("ec2", region_name="us-east-1").delete_security_group(GroupId=group)
    aws.add(Fault("403", action="AssumeRole"))  # the role cannot be assumed this time
    out, _ = cloudsift("collect")
    assert any(line.startswith(f"aws {SECOND}: error: cannot assume role cloudsift") for line in out)
    cloudsift(SEED)
    assert "resolve" not in _actions(pagerduty)
    assert f"{SECOND}/us-east-1: the account could not be collected" in cloudsift("alerts list")[0][0]
    assert any(f"aws {SECOND} *: error" in line for line in cloudsift("workflows show collect")[0])
    assert b"cloudsift_collect_errors 1.0" in render_metrics(lambda: _context(cloudsift))
    aws.clear()
    assert cloudsift("collect")[1] == 0
    assert all("error" not in line for line in cloudsift("workflows show collect")[0])
    assert b"cloudsift_collect_errors 0.0" in render_metrics(lambda: _context(cloudsift))
    assert cloudsift(SEED)[0] == ["pagerduty: resolve allow_ingress_from_internet_to_any_port sent."]
    assert _actions(pagerduty)[-1] == "resolve" and _actions(pagerduty).count("resolve") == 1


def _context(cloudsift: Cloudsift) -> Context:
    class Shared(Context):
        def close(self) -> None:  # the store is the test's: the metrics must not close it
            pass

    return Shared(config=load_config(cloudsift.path, cloudsift.tmp_path), open_store=lambda: cloudsift.store)
