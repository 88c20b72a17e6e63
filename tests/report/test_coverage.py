"""Region-level checks know what was collected (the collection record, schema 12): CIS 4.16 (Security Hub)
and 3.3 (Config recorder) are not evaluated where their service was never collected, evaluated after a
full collection, and keep their findings when the service fails after an earlier success; a service that
answered with nothing passes its checks with 0 resources; on both engines."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from cloudsift import run
from cloudsift.collect.runner import collect_aws
from cloudsift.commands.base import Context
from cloudsift.config import AwsConfig, Config
from cloudsift.report import CheckRunner, Scope, load_library
from cloudsift.report.model import Check, Detect
from cloudsift.report.result import CheckResult
from cloudsift.store.base import Store
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.fault_proxy import Fault
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)

LIBRARY = load_library()
HUB, RECORDER = "aws_securityhub_disabled_in_region", "aws_config_recorder_missing_in_region"
# the account's password policy, written on its node by the iam service
SHORT, REUSE = "aws_iam_password_policy_allows_short_passwords", "aws_iam_password_policy_allows_reuse"
REGION, OTHER = "eu-west-1", "us-east-1"
MFA, RDS = "aws_iam_user_mfa_disabled", "aws_rds_instance_publicly_accessible"
ACCOUNT = "123456789012"


def _in_use() -> None:
    """Enough resources of one's own in REGION for it to be in use (a region check then judges it)."""
    sqs = boto3.client("sqs", region_name=REGION)
    for n in range(4):
        sqs.create_queue(QueueName=f"work-{n}")
    ec2 = boto3.client("ec2", region_name=REGION)
    for n in range(4):
        ec2.create_vpc(CidrBlock=f"10.{n}.0.0/16")


def _collect(store: Store, tmp_path: Path, kinds: list[str] | None = None) -> None:
    collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION, OTHER])), kinds=kinds)


def _run(store: Store, check: str | Check, scope: Scope | None = None) -> CheckResult:
    ctx = Context(config=Config(), open_store=lambda: store)
    return CheckRunner(ctx, LIBRARY, scope or Scope()).run(
        LIBRARY.check(check) if isinstance(check, str) else check
    )


def _regions(result: CheckResult) -> set[str]:
    return {r.region for r in result.failed}


def test_only_vpcs_collected_on_a_fresh_store_leaves_region_checks_not_evaluated(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    _in_use()
    _collect(store, tmp_path, kinds=["aws_vpc"])
    assert store.search(store.bind(f"is(aws_region) and name == {REGION}")).__next__()["reported"][
        "region_in_use"
    ]
    for check_id in (HUB, RECORDER):
        result = _run(store, check_id)
        assert result.status == "not_evaluated", (check_id, result.status, result.failed)
        assert f"{REGION}" in result.reason and "collected" in result.reason
    for check_id, read in ((SHORT, "minimum_password_length"), (REUSE, "password_reuse_prevention")):
        result = _run(store, check_id)  # never read: no finding of a policy nobody looked at
        assert (result.status, result.reason) == (
            "not_evaluated",
            f"not collected in 123456789012/account ({read} never read)",
        )
    # the record says what ran, where; workflows show names what never answered in each place
    services = {(r.region, r.service) for r in store.collected_services()}
    assert (REGION, "ec2") in services and not any(s == "securityhub" for _, s in services)
    [line] = [s for s in run("workflows show collect", store) if f" {REGION}: " in s]
    assert line.startswith(f"aws 123456789012 {REGION}: ok at ") and "; never collected here: " in line
    never = line.split("; never collected here: ")[1].split(", ")
    assert "securityhub" in never and "config" in never and "ec2" not in never


def test_a_full_collection_evaluates_them(aws: AwsEmulator, tmp_path: Path, store: Store) -> None:  # noqa: F811
    _in_use()
    for n in range(4):  # the pseudo-region global in use too: it is no AWS region, the checks leave it out
        boto3.client("iam").create_user(UserName=f"user-{n}")
    boto3.client("securityhub", region_name=OTHER).enable_security_hub(EnableDefaultStandards=False)
    _collect(store, tmp_path)
    for check_id in (HUB, RECORDER):
        result = _run(store, check_id)
        assert result.status == "failed" and _regions(result) == {REGION}, (check_id, result.reason)
        assert result.reason == ""
    for check_id in (SHORT, REUSE):  # read, and the account has no policy of its own: both fail
        assert _run(store, check_id).status == "failed"
    assert store.search(store.bind("is(aws_region) and id == global")).__next__()["reported"]["region_in_use"]


def test_a_failed_security_hub_is_not_evaluated_then_keeps_its_findings(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    _in_use()
    aws.failing_services.add("securityhub")
    _collect(store, tmp_path)
    result = _run(store, HUB)
    assert result.status == "not_evaluated" and "no aws_securityhub_hub collected" in result.reason
    assert _run(store, RECORDER).status == "failed"  # the other region check is judged
    failed = {(r.region, r.service): r.error for r in store.collected_services() if r.error}
    assert set(failed) == {(REGION, "securityhub"), (OTHER, "securityhub")}
    assert all(e.startswith("securityhub:") for e in failed.values())
    # once collected, a later failure keeps the findings of the last good data
    aws.failing_services.discard("securityhub")
    _collect(store, tmp_path)
    assert _regions(_run(store, HUB)) == {REGION}
    aws.failing_services.add("securityhub")
    _collect(store, tmp_path)
    kept = _run(store, HUB)
    assert kept.status == "failed" and _regions(kept) == {REGION}
    records = {(r.region, r.service): r for r in store.collected_services()}
    assert records[(REGION, "securityhub")].error and records[(REGION, "securityhub")].last_success


def test_one_region_never_collected_leaves_only_that_region_out(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    _in_use()
    _collect(store, tmp_path)
    # a region added later, collected with some kinds only: the others stay judged
    collect_aws(store, Config(home=tmp_path, aws=AwsConfig(regions=[REGION, OTHER, "eu-central-1"])),
                kinds=["aws_vpc"])  # fmt: skip
    result = _run(store, HUB)
    assert result.status == "failed" and _regions(result) == {REGION}
    assert "eu-central-1" in result.reason
    assert _run(store, HUB, Scope(regions=("eu-central-1",))).status == "not_evaluated"


@pytest.mark.parametrize("failing", ["lambda"])
def test_an_unrelated_failed_service_leaves_region_in_use_decided(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
    failing: str,
) -> None:
    _in_use()
    aws.failing_services.add(failing)
    _collect(store, tmp_path)
    in_use = {d["reported"]["name"]: d["reported"]["region_in_use"]
              for d in store.search(store.bind("is(aws_region)"))}  # fmt: skip
    assert in_use[REGION] is True and in_use[OTHER] is False
    assert _regions(_run(store, HUB)) == {REGION}


def test_a_check_whose_query_does_not_parse_is_an_error_of_its_own_on_a_recorded_store(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    _in_use()
    _collect(store, tmp_path)
    assert store.collected_services()  # the record exists: the check's kinds are read from its query
    broken = LIBRARY.check(RECORDER).model_copy(update={"detect": Detect(fix="is(aws_region) and (")})
    result = _run(store, broken)
    assert result.status == "error" and "unexpected end" in result.reason, result.reason
    assert _run(store, RECORDER).status == "failed"  # the others still run


def test_a_service_that_answered_with_nothing_passes_its_checks_with_zero_resources(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    _collect(store, tmp_path)  # IAM (in global) and RDS (per region) answered: no user, no instance
    assert not list(store.search(store.bind("is(aws_iam_user) or is(aws_rds_instance)")))
    for check_id in (MFA, RDS):
        result = _run(store, check_id)
        assert (result.status, result.passed, result.failed, result.reason) == ("passed", 0, (), ""), check_id
    assert _run(store, RDS, Scope(regions=(REGION,))).status == "passed"
    # a scope naming a region never collected holds nothing the record vouches for
    nowhere = _run(store, RDS, Scope(regions=("eu-central-1",)))
    assert (nowhere.status, nowhere.reason) == (
        "not_evaluated",
        "not collected: no aws_rds_instance in the scope",
    )
    (report,) = run("report benchmark run aws_cis_3_0 --json", store)
    assert "in the scope" not in report  # no IAM check is left out for want of a user
    boto3.client("iam").create_user(UserName="no-mfa")
    _collect(store, tmp_path)
    found = _run(store, MFA)
    assert (found.status, [r.name for r in found.failed], found.passed) == ("failed", ["no-mfa"], 0)


def test_a_service_that_failed_leaves_its_checks_not_evaluated_never_passed(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    aws.failing_services.add("iam")
    aws.add(Fault("403", region=OTHER, service="rds"))  # RDS answers in REGION only
    _collect(store, tmp_path)
    users = _run(store, MFA)
    assert users.status == "not_evaluated" and "collected" in users.reason, users.reason
    instances = _run(store, RDS)
    assert instances.status == "not_evaluated", (instances.status, instances.reason)
    assert instances.reason == f"not collected in {ACCOUNT}/{OTHER} (no aws_rds_instance collected)"
    assert _run(store, RDS, Scope(regions=(REGION,))).status == "passed"  # where it answered
    assert _run(store, RDS, Scope(regions=(OTHER,))).status == "not_evaluated"


def test_a_fix_cmd_check_is_judged_on_the_kinds_its_search_names(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    store: Store,
) -> None:
    _in_use()
    _collect(store, tmp_path, kinds=["aws_vpc"])  # regions collected, Security Hub never
    hub = LIBRARY.check(HUB)
    # the same search as a command line: its result kind (the region) is there, its hubs never were
    line = f"search {hub.detect.fix} | jq ."
    as_cmd = hub.model_copy(update={"detect": Detect(fix_cmd=line)})
    result = _run(store, as_cmd)
    assert result.status == "not_evaluated" and "no aws_securityhub_hub collected" in result.reason, (
        result.status,
        result.reason,
    )
    _collect(store, tmp_path)
    judged = _run(store, as_cmd)
    assert (judged.status, _regions(judged), judged.reason) == ("failed", {REGION}, "")
    assert [r.id for r in judged.failed] == [r.id for r in _run(store, HUB).failed]
