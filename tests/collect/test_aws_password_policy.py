"""The account's password policy on its node, from the iam service, against moto over HTTP: a policy set,
none set, and the iam service failing (the account keeps what it had; never read, it has nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3

from cloudsift.collect.runner import CollectSummary, collect_aws
from cloudsift.commands.base import Context
from cloudsift.config import AwsConfig, Config
from cloudsift.report import CheckRunner, Scope, load_library
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)

REGION = "eu-west-1"
ACCOUNT = "123456789012"
POLICY_PROPS = (
    "minimum_password_length", "require_symbols", "require_numbers", "require_uppercase_characters",
    "require_lowercase_characters", "allow_users_to_change_password", "expire_passwords", "max_password_age",
    "password_reuse_prevention", "hard_expiry",
)  # fmt: skip
CIS_CHECKS = (
    "aws_iam_password_policy_allows_short_passwords",
    "aws_iam_password_policy_allows_reuse",
)  # 1.8, 1.9
LIBRARY = load_library()
IAM = ["aws_iam_user"]  # collections of the iam service alone (the account's node is written by every one)


def _collect(store: DuckDBStore, home: Path, kinds: list[str] | None = None) -> CollectSummary:
    return collect_aws(store, Config(home=home, aws=AwsConfig(regions=[REGION])), kinds=kinds)


def _policy(store: DuckDBStore) -> dict[str, Any]:
    [account] = [doc["reported"] for doc in store.search(store.bind("is(aws_account)"))]
    return {prop: account[prop] for prop in POLICY_PROPS if account.get(prop) is not None}


def _statuses(store: DuckDBStore) -> dict[str, str]:
    runner = CheckRunner(Context(config=Config(), open_store=lambda: store), LIBRARY, Scope())
    return {check: runner.run(LIBRARY.check(check)).status for check in CIS_CHECKS}


def _failing(store: DuckDBStore) -> list[str]:
    """The CIS password checks the account fails (each passes or fails once the policy was read)."""
    statuses = _statuses(store)
    assert set(statuses.values()) <= {"passed", "failed"}, statuses
    return [check for check, status in statuses.items() if status == "failed"]


def test_a_policy_set_is_on_the_account_with_fix_s_names(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    boto3.client("iam").update_account_password_policy(
        MinimumPasswordLength=16, RequireSymbols=True, RequireNumbers=True, RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=False, AllowUsersToChangePassword=True, MaxPasswordAge=90,
        PasswordReusePrevention=24, HardExpiry=True,
    )  # fmt: skip
    store = DuckDBStore()
    assert _collect(store, tmp_path, IAM).ok
    assert _policy(store) == {
        "minimum_password_length": 16, "require_symbols": True, "require_numbers": True,
        "require_uppercase_characters": True, "require_lowercase_characters": False,
        "allow_users_to_change_password": True, "expire_passwords": True, "max_password_age": 90,
        "password_reuse_prevention": 24, "hard_expiry": True,
    }  # fmt: skip
    assert _failing(store) == []
    # a policy without an age limit or reuse prevention: AWS leaves them out, Fix has 0 (and false)
    iam = boto3.client("iam")
    iam.delete_account_password_policy()
    iam.update_account_password_policy(MinimumPasswordLength=14)
    assert _collect(store, tmp_path, IAM).ok
    policy = _policy(store)
    assert (policy["minimum_password_length"], policy["max_password_age"], policy["password_reuse_prevention"],
            policy["expire_passwords"], policy["hard_expiry"]) == (14, 0, 0, False, False)  # fmt: skip
    assert _failing(store) == ["aws_iam_password_policy_allows_reuse"]


def test_no_policy_reads_apart_from_a_policy_never_read(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    store = DuckDBStore()
    assert _collect(store, tmp_path).ok  # a whole collection
    # none set (NoSuchEntity): no minimum length, and the limits at 0, as Fix writes such an account
    assert _policy(store) == {"max_password_age": 0, "password_reuse_prevention": 0}
    assert _failing(store) == list(CIS_CHECKS)


def test_a_failed_iam_service_keeps_the_account_s_last_good_policy(aws: AwsEmulator, tmp_path: Path) -> None:  # noqa: F811
    store = DuckDBStore()
    aws.failing_services = {"iam"}
    summary = _collect(store, tmp_path, IAM)
    assert [p.region for p in summary.partitions if p.errors] == ["global"]
    assert _policy(store) == {}  # never read: none of its properties, and the checks neither pass nor fail
    assert set(_statuses(store).values()) == {"not_evaluated"}
    aws.failing_services = set()
    iam = boto3.client("iam")
    iam.update_account_password_policy(MinimumPasswordLength=20, PasswordReusePrevention=24)
    assert _collect(store, tmp_path, IAM).ok
    good = _policy(store)
    assert (good["minimum_password_length"], good["password_reuse_prevention"]) == (20, 24)
    # the policy is weakened, but IAM answers 403 to the next collection: the account keeps what was read
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=1)
    aws.failing_services = {"iam"}
    summary = _collect(store, tmp_path, IAM)
    assert [p.region for p in summary.partitions if p.errors] == ["global"]
    assert _policy(store) == good
    assert _failing(store) == []
    # a collection of other kinds leaves it as it was too (a clean one reads the policy again: above)
    aws.failing_services = set()
    assert _collect(store, tmp_path, ["aws_vpc"]).ok
    assert _policy(store) == good
