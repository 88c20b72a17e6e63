"""The checks that judge a whole account or region, on an imported estate (tests/report/graph_estate.py),
on both engines: the accounts built to fail are found, the ones built to pass are not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from cloudsift.commands.base import Context
from cloudsift.config import Config
from cloudsift.report import CheckRunner, Scope, load_library
from cloudsift.report.result import CheckResult
from cloudsift.store.base import Store
from tests.report.graph_estate import ALL_BUCKETS, BAD, CIS_PATTERNS, GOOD, PER_BUCKET, SINGLE, estate_lines

LIBRARY = load_library()
CLOUDWATCH = {
    "4_1": "unauthorized_api_calls", "4_2": "console_login_without_mfa", "4_3": "root_usage",
    "4_4": "iam_policy_changes", "4_5": "cloudtrail_changes", "4_6": "console_login_failures",
    "4_7": "kms_key_disabled_or_deleted", "4_8": "s3_bucket_policy_changes", "4_9": "config_changes",
    "4_10": "security_group_changes", "4_11": "network_acl_changes", "4_12": "network_gateway_changes",
    "4_13": "route_table_changes", "4_14": "vpc_changes", "4_15": "organizations_changes",
}  # fmt: skip


def _root(account: str) -> str:
    return f"aws/{account}/global/root"


def _regions(account: str) -> list[str]:
    return [f"aws/{account}/eu-west-1", f"aws/{account}/us-east-1"]


# check id: (the node ids it must find, the node ids it must not find)
GRAPH_CASES: dict[str, tuple[list[str], list[str]]] = {
    # SINGLE has an inactive key only
    "aws_iam_root_access_key_exists": ([_root(BAD)], [_root(GOOD), _root(SINGLE)]),
    "aws_iam_root_mfa_disabled": ([_root(BAD)], [_root(GOOD), _root(SINGLE)]),
    "aws_iam_root_virtual_mfa": ([_root(BAD), _root(SINGLE)], [_root(GOOD)]),
    "aws_iam_root_used_recently": ([_root(BAD)], [_root(GOOD), _root(SINGLE)]),  # SINGLE's: never
    "aws_iam_server_certificate_expired": (
        [f"aws/{BAD}/global/cert/lapsed"],
        [f"aws/{GOOD}/global/cert/current"],
    ),
    "aws_config_recorder_missing_in_region": (_regions(BAD), _regions(GOOD)),
    "aws_securityhub_disabled_in_region": (
        [f"aws/{BAD}/us-east-1"],
        [*_regions(GOOD), f"aws/{BAD}/eu-west-1"],
    ),
    "aws_accessanalyzer_missing_in_region": (_regions(BAD), [*_regions(GOOD), f"aws/{GOOD}/global"]),
    "aws_iam_no_support_role": ([f"aws/{BAD}"], [f"aws/{GOOD}"]),
    # SINGLE has no password policy of its own: it fails both
    "aws_iam_password_policy_allows_short_passwords": ([f"aws/{BAD}", f"aws/{SINGLE}"], [f"aws/{GOOD}"]),
    "aws_iam_password_policy_allows_reuse": ([f"aws/{BAD}", f"aws/{SINGLE}"], [f"aws/{GOOD}"]),
    "aws_iam_cloudshell_full_access_attached": (
        [f"aws/{BAD}/global/policy/AWSCloudShellFullAccess"],
        [f"aws/{GOOD}/global/policy/AWSSupportAccess"],
    ),
    "aws_cloudtrail_s3_object_write_events_not_logged": (
        [f"aws/{BAD}", f"aws/{SINGLE}", f"aws/{PER_BUCKET}"],
        [f"aws/{GOOD}", f"aws/{ALL_BUCKETS}"],
    ),
    "aws_cloudtrail_s3_object_read_events_not_logged": (
        [f"aws/{BAD}", f"aws/{PER_BUCKET}"],
        [f"aws/{GOOD}", f"aws/{SINGLE}", f"aws/{ALL_BUCKETS}"],
    ),
    **{
        f"aws_cloudwatch_no_alarm_on_{name}": (
            [f"aws/{BAD}"] + ([] if number == "4_4" else [f"aws/{SINGLE}"]),
            [f"aws/{GOOD}"] + ([f"aws/{SINGLE}"] if number == "4_4" else []),
        )
        for number, name in CLOUDWATCH.items()
    },
}


@pytest.fixture(scope="module")
def imported(engines: dict[str, Store]) -> Iterator[dict[str, Store]]:
    for store in engines.values():
        store.import_lines(list(estate_lines(dt.datetime.now(dt.UTC))), replace=True)
    yield engines


def _run(store: Store, check_id: str) -> CheckResult:
    ctx = Context(config=Config(), open_store=lambda: store)
    return CheckRunner(ctx, LIBRARY, Scope()).run(LIBRARY.check(check_id))


def test_the_cases_cover_every_cis_section_4_recommendation() -> None:
    assert set(CLOUDWATCH) == set(CIS_PATTERNS)
    cis = LIBRARY.benchmarks["aws_cis_3_0"]
    mapped = set(cis.check_ids())
    assert {f"aws_cloudwatch_no_alarm_on_{name}" for name in CLOUDWATCH.values()} <= mapped
    assert set(GRAPH_CASES) <= mapped


@pytest.mark.parametrize("check_id", sorted(GRAPH_CASES))
def test_account_and_region_checks(imported: dict[str, Store], check_id: str) -> None:
    failing, passing = GRAPH_CASES[check_id]
    for engine, store in imported.items():
        result = _run(store, check_id)
        found = {r.node_id for r in result.failed}
        assert result.status == "failed", (engine, result.status, result.reason)
        assert set(failing) <= found, (engine, found)
        assert not found & set(passing), (engine, found)
        assert result.passed >= len(passing), engine
