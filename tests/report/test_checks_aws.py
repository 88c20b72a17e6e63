"""Every bundled check against moto: a resource built to fail it is found, one built to pass it is not."""

from __future__ import annotations

from typing import Any

import pytest

from cloudsift.commands.base import Context
from cloudsift.config import Config, ReportConfig
from cloudsift.report import CheckRunner, Scope, load_library
from cloudsift.report.model import ParameterValue
from cloudsift.report.result import CheckResult
from cloudsift.store.duckdb import DuckDBStore
from tests.report.aws_estate import PORTS, REGION, collected  # noqa: F401  (the fixture)
from tests.report.test_checks_graph import GRAPH_CASES

LIBRARY = load_library()
SG = "aws_ec2_sg_"
# check id: (what fails it, what passes it, parameter overrides); names or ids, `@key` for an id built in moto
CASES: dict[str, tuple[str, str, dict[str, ParameterValue]]] = {
    **{f"{SG}open_{name}_from_internet": (f"open-{name}", "private", {}) for name in PORTS},
    f"{SG}allow_ingress_from_internet_to_any_port": ("open-all", "private", {}),
    f"{SG}open_all_tcp_udp_ports_from_internet": ("open-tcp-range", "private", {}),
    f"{SG}open_icmp_from_internet": ("open-icmp", "private", {}),
    f"{SG}default_restricts_all_traffic": ("@default_sg", "@closed_default_sg", {}),
    f"{SG}unrestricted_egress_to_internet": ("open-ssh", "private", {}),
    "aws_ec2_instance_public_ip": ("@public_instance", "@stopped_instance", {}),
    "aws_ec2_instance_uses_key_pair": ("@public_instance", "@private_instance", {}),
    "aws_ec2_instance_in_default_vpc": ("@public_instance", "@private_instance", {}),
    "aws_ec2_instance_stopped": ("@stopped_instance", "@private_instance", {}),
    "aws_ec2_instance_previous_generation": ("@public_instance", "@private_instance", {}),
    "aws_ec2_instance_without_owner_tag": ("@stopped_instance", "@private_instance", {}),
    "aws_ec2_volume_not_encrypted": ("@plain_volume", "@encrypted_volume", {}),
    "aws_ec2_volume_unattached": ("@plain_volume", "@encrypted_volume", {}),
    "aws_ec2_volume_gp2": ("@plain_volume", "@encrypted_volume", {}),
    "aws_ec2_snapshot_not_encrypted": ("@plain_snapshot", "@encrypted_snapshot", {}),
    "aws_ec2_default_vpc_exists": ("@default_vpc", "@vpc", {}),
    "aws_ec2_vpc_flow_logs_disabled": ("@default_vpc", "@vpc", {}),
    "aws_ec2_instance_imdsv1_allowed": ("@public_instance", "@imdsv2_instance", {}),
    "aws_ec2_subnet_auto_assigns_public_ip": ("@default_subnet", "@subnet", {}),
    "aws_ec2_network_acl_allows_all_ingress_from_internet": ("@default_acl", "@custom_acl", {}),
    "aws_ec2_network_acl_allows_all_egress_to_internet": ("@default_acl", "@custom_acl", {}),
    "aws_ec2_network_interface_unused": ("@loose_nic", "@instance_nic", {}),
    "aws_ec2_elastic_ip_unassociated": ("@idle_ip", "@used_ip", {}),
    "aws_s3_bucket_public_access_not_blocked": ("open-bucket", "locked-bucket", {}),
    "aws_s3_bucket_default_encryption_missing": ("bare-bucket", "open-bucket", {}),
    "aws_s3_bucket_not_encrypted_with_kms": ("open-bucket", "locked-bucket", {}),
    "aws_s3_bucket_versioning_disabled": ("open-bucket", "locked-bucket", {}),
    "aws_s3_bucket_without_owner_tag": ("open-bucket", "locked-bucket", {}),
    "aws_s3_bucket_policy_allows_http": ("bare-bucket", "locked-bucket", {}),
    "aws_iam_user_mfa_disabled": ("alice", "bob", {}),
    "aws_iam_user_two_active_access_keys": ("carol", "alice", {}),
    "aws_iam_access_key_not_rotated": ("@alice_key", "@dave_key", {"max_age": "0s"}),
    "aws_iam_access_key_unused": ("@alice_key", "@dave_key", {"max_unused": "0s"}),
    "aws_iam_access_key_never_used": ("@alice_key", "@dave_key", {"grace": "0s"}),
    "aws_iam_access_key_inactive": ("@dave_key", "@alice_key", {}),
    "aws_iam_policy_unattached": ("unused", "used", {}),
    "aws_iam_role_long_session_duration": ("marathon", "runner", {}),
    "aws_iam_user_has_inline_policy": ("carol", "bob", {}),
    "aws_iam_user_has_attached_policy": ("alice", "bob", {}),
    "aws_iam_policy_allows_full_admin": ("everything", "used", {}),
    "aws_rds_instance_publicly_accessible": ("orders", "ledger", {}),
    "aws_rds_instance_storage_not_encrypted": ("orders", "ledger", {}),
    "aws_rds_instance_previous_generation_class": ("orders", "ledger", {}),
    "aws_rds_instance_without_owner_tag": ("orders", "ledger", {}),
    "aws_rds_instance_auto_minor_version_upgrade_disabled": ("orders", "ledger", {}),
    "aws_rds_instance_backups_disabled": ("orders", "ledger", {}),
    "aws_rds_instance_deletion_protection_disabled": ("orders", "ledger", {}),
    "aws_rds_instance_not_multi_az": ("orders", "ledger", {}),
    "aws_rds_instance_iam_authentication_disabled": ("orders", "ledger", {}),
    "aws_kms_key_rotation_disabled": ("static", "rotating", {}),
    "aws_kms_key_pending_deletion": ("doomed", "rotating", {}),
    "aws_kms_key_disabled": ("idle", "rotating", {}),
    "aws_cloudtrail_trail_not_multi_region": ("sloppy", "audit", {}),
    "aws_cloudtrail_trail_log_file_validation_disabled": ("sloppy", "audit", {}),
    "aws_cloudtrail_trail_not_logging": ("sloppy", "audit", {}),
    "aws_cloudtrail_trail_not_encrypted_with_kms": ("sloppy", "audit", {}),
    "aws_cloudtrail_trail_not_sent_to_cloudwatch": ("sloppy", "audit", {}),
    "aws_lambda_function_deprecated_runtime": ("legacy", "current", {}),
    "aws_lambda_function_long_timeout": ("legacy", "current", {}),
    "aws_elb_classic_internet_facing": ("classic-public", "classic-internal", {}),
    "aws_elbv2_alb_internet_facing": ("modern-public", "modern-internal", {}),
    "aws_eks_cluster_unsupported_version": ("old", "current", {}),
    "aws_efs_file_system_not_encrypted": ("plain-share", "sealed-share", {}),
    "aws_cloudtrail_bucket_access_logging_disabled": ("sloppy", "audit", {}),
}
# Age limits cannot be aged in moto: the resource fails with the limit at 0s and passes with the default.
AGED = {"aws_ec2_snapshot_older_than_max_age": ("@plain_snapshot", {"max_age": "0s"})}
# moto keeps no MFA Delete setting: only the failing side can be built there.
FAILING_ONLY = {"aws_s3_bucket_mfa_delete_disabled": "open-bucket",
                # every server certificate moto keeps expired in 2012; a valid one: the graph test
                "aws_iam_server_certificate_expired": "legacy-tls",
                # the collected region has no Config recorder (one that records: the graph test)
                "aws_config_recorder_missing_in_region": REGION,
                # nor Security Hub (a region that has it: the graph test)
                "aws_securityhub_disabled_in_region": REGION,
                # the trail records object writes only (reads and writes, a second account: the graph test)
                "aws_cloudtrail_s3_object_read_events_not_logged": "123456789012"}  # fmt: skip


def _run(store: DuckDBStore, check_id: str, values: dict[str, ParameterValue]) -> CheckResult:
    config = Config(report=ReportConfig(override_values={check_id: values} if values else {}))
    ctx = Context(config=config, open_store=lambda: store)
    return CheckRunner(ctx, LIBRARY, Scope()).run(LIBRARY.check(check_id))


def _names(result: CheckResult) -> set[str]:
    return {r.name for r in result.failed} | {r.id for r in result.failed}


def _resolve(name: str, made: dict[str, str]) -> str:
    return made[name[1:]] if name.startswith("@") else name


def test_every_automated_check_has_a_case() -> None:
    automated = {c.id for c in LIBRARY.checks.values() if not c.manual}
    assert automated == set(CASES) | set(AGED) | set(FAILING_ONLY) | set(GRAPH_CASES)


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_finds_the_failing_resource_and_not_the_passing_one(
    collected: tuple[DuckDBStore, dict[str, str]],  # noqa: F811
    check_id: str,
) -> None:
    store, made = collected
    failing, passing, values = CASES[check_id]
    result = _run(store, check_id, values)
    assert result.status == "failed", (result.status, result.reason)
    assert _resolve(failing, made) in _names(result)
    assert _resolve(passing, made) not in _names(result)
    assert result.passed >= 1


@pytest.mark.parametrize("check_id", sorted(AGED))
def test_an_age_limit_check_fails_past_its_limit_and_passes_within(
    collected: tuple[DuckDBStore, dict[str, str]],  # noqa: F811
    check_id: str,
) -> None:
    store, made = collected
    resource, values = AGED[check_id]
    assert _resolve(resource, made) in _names(_run(store, check_id, values))
    within = _run(store, check_id, {})
    assert within.status == "passed" and _resolve(resource, made) not in _names(within)


@pytest.mark.parametrize("check_id", sorted(FAILING_ONLY))
def test_check_finds_the_failing_resource(
    collected: tuple[DuckDBStore, dict[str, str]],  # noqa: F811
    check_id: str,
) -> None:
    store, made = collected
    assert _resolve(FAILING_ONLY[check_id], made) in _names(_run(store, check_id, {}))


def test_a_trail_recording_object_writes_of_every_bucket_passes_the_write_check(
    collected: tuple[DuckDBStore, dict[str, str]],  # noqa: F811
) -> None:
    store, _ = collected
    result = _run(store, "aws_cloudtrail_s3_object_write_events_not_logged", {})
    assert (result.status, result.passed) == ("passed", 1), (result.status, result.reason)


def test_manual_checks_are_reported_as_manual(collected: tuple[DuckDBStore, dict[str, str]]) -> None:  # noqa: F811
    store, _ = collected
    manual: Any = LIBRARY.check("aws_iam_cis_1_1_manual")
    assert _run(store, manual.id, {}).status == "manual"
