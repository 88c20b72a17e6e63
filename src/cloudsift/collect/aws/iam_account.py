"""IAM of the account itself: the root user and its keys, groups, server certificates, and the password
policy on the account's node (collected by the "iam" service, iam.py, with the users and roles: they share
the credential report and the account's authorization details).

The root user comes from the credential report (generated on demand, then read) and the account summary;
a report without a root line (moto's) still gives a root user, from the summary alone.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from cloudsift.collect.aws.convert import Field, as_bool, as_datetime, each, json_document, or_false, or_zero
from cloudsift.collect.aws.declare import AccountProperties, AwsKind, Edge, Listing, Scope
from cloudsift.collect.aws.values import pages

REPORT_WAIT_SECONDS = 60  # AWS makes a report in seconds; after this the root user comes without it
ROOT = "<root_account>"


def credential_report(client: Any) -> dict[str, dict[str, str]]:
    """The credential report's lines by user ("<root_account>" is the root user); {} if AWS has none."""
    deadline = time.monotonic() + REPORT_WAIT_SECONDS
    while client.generate_credential_report().get("State") != "COMPLETE" and time.monotonic() < deadline:
        time.sleep(1)
    try:
        content = client.get_credential_report()["Content"]
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") in (
            "ReportNotPresent",
            "ReportInProgress",
            "ReportExpired",
        ):
            return {}
        raise
    text = content.decode() if isinstance(content, bytes) else str(content)
    return {line["user"]: line for line in csv.DictReader(text.splitlines())}


def report_lines(client: Any, scope: Scope) -> dict[str, dict[str, str]]:
    """The credential report's lines by user, asked once per task."""
    report: dict[str, dict[str, str]] = scope.once("credential-report", lambda: credential_report(client))
    return report


def _root_line(client: Any, scope: Scope) -> dict[str, str]:
    return report_lines(client, scope).get(ROOT, {})


def authorization(client: Any, scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """The account's authorization details, every page merged (one call chain per task)."""

    def fetch() -> dict[str, list[dict[str, Any]]]:
        merged: dict[str, list[dict[str, Any]]] = {}
        for page in client.get_paginator("get_account_authorization_details").paginate():
            for key in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"):
                merged.setdefault(key, []).extend(page.get(key) or [])
        return merged

    details: dict[str, list[dict[str, Any]]] = scope.once("authorization-details", fetch)
    return details


def virtual_devices(client: Any, scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """Assigned virtual MFA devices by the ARN of their user."""

    def fetch() -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for device in pages(
            client, "list_virtual_mfa_devices", "VirtualMFADevices", AssignmentStatus="Assigned"
        ):
            found.setdefault((device.get("User") or {}).get("Arn", ""), []).append(device)
        return found

    devices: dict[str, list[dict[str, Any]]] = scope.once("virtual-mfa-devices", fetch)
    return devices


def inline_policies(policies: Any) -> list[dict[str, Any]]:
    return [{"policy_name": p.get("PolicyName"), "policy_document": json_document(p.get("PolicyDocument"))}
            for p in policies or []]  # fmt: skip


def attached_names(attached: Any) -> list[str]:
    return [p.get("PolicyName") for p in attached or []]


def _groups(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    yield from authorization(client, scope).get("GroupDetailList", [])


def _root_users(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    summary = client.get_account_summary().get("SummaryMap", {})
    root_arn = f"arn:aws:iam::{scope.account.id}:root"
    devices = virtual_devices(client, scope).get(root_arn, [])
    line = _root_line(client, scope)
    yield {
        "id": "root", "arn": line.get("arn") or root_arn, "account": scope.account.id, "report": line,
        "mfa_active": as_bool(line.get("mfa_active")) if line else summary.get("AccountMFAEnabled") == 1,
        "devices": devices,
    }  # fmt: skip


def _root_keys(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    """The root user's two key slots, as Fix shows them: those active or ever used."""
    line = _root_line(client, scope)
    for n in (1, 2):
        key = {field: line.get(f"access_key_{n}_{field}") for field in
               ("active", "last_rotated", "last_used_date", "last_used_region", "last_used_service")}  # fmt: skip
        if as_bool(key["active"]) or as_datetime(key["last_used_date"]) is not None:
            yield {"id": f"root_key_{n}", **key}


ROOT_USER = AwsKind(
    "aws_root_user",
    Listing("iam", "GetAccountSummary", None, read=_root_users, also=("GenerateCredentialReport",),
            fills={"report": "GetCredentialReport", "devices": "ListVirtualMFADevices"}),
    id="id", name=Field("", lambda _: "root"), arn="arn", node="root-user/",
    ctime=Field("report.user_creation_time", as_datetime),
    props={
        "password_enabled": Field("report.password_enabled", as_bool),
        "password_last_used": Field("report.password_last_used", as_datetime),
        "password_last_changed": Field("report.password_last_changed", as_datetime),
        "password_next_rotation": Field("report.password_next_rotation", as_datetime),
        "mfa_active": "mfa_active",
        "user_virtual_mfa_devices": Field("devices", each({"serial_number": "SerialNumber", "enable_date": "EnableDate"})),
    },
    # below its account, and (for its partition: a failed one keeps it) below the account's "global" region
    edges=(Edge("aws_account", "account", reverse=True),),
)  # fmt: skip

ROOT_KEY = AwsKind(
    "aws_iam_access_key",
    Listing("iam", "GetCredentialReport", None, read=_root_keys),
    id="id", node="access-key/", atime=Field("last_used_date", as_datetime),
    arn_format="arn:aws:iam::{account}:root-access-key/{id}",
    props={
        "access_key_status": Field("active", lambda a: "Active" if as_bool(a) else "Inactive"),
        "access_key_last_used": Field("", lambda k: {
            "last_used": as_datetime(k["last_used_date"]), "last_rotated": as_datetime(k["last_rotated"]),
            "service_name": k["last_used_service"] if k["last_used_service"] not in (None, "N/A") else None,
            "region": k["last_used_region"] if k["last_used_region"] not in (None, "N/A") else None,
        }),
    },
    parent=(Edge("aws_root_user", "", lambda _: "root"),),
)  # fmt: skip

GROUP = AwsKind(
    "aws_iam_group",
    Listing("iam", "GetAccountAuthorizationDetails", None, read=_groups),
    id="GroupId", name="GroupName", arn="Arn", ctime="CreateDate", node="group/", key="GroupName",
    props={
        "path": "Path",
        "group_policies": Field("GroupPolicyList", inline_policies),
    },
    # its members: the users' side draws the edges (each user names its groups)
    edges=(Edge("aws_iam_policy", "AttachedManagedPolicies", attached_names),),
)  # fmt: skip

SERVER_CERTIFICATE = AwsKind(
    "aws_iam_server_certificate",
    Listing("iam", "ListServerCertificates", "ServerCertificateMetadataList"),
    id="ServerCertificateId", name="ServerCertificateName", arn="Arn", ctime="UploadDate", node="server-certificate/",
    props={"path": "Path", "expires": "Expiration"},
)  # fmt: skip

# An account without a policy of its own (NoSuchEntity) gets what Fix writes for it: no minimum length, and
# 0 for the two limits; never read, it has none of these properties.
PASSWORD_POLICY = AccountProperties(
    Listing("iam", "GetAccountPasswordPolicy", "PasswordPolicy"),
    missing=("NoSuchEntity",),
    absent={"max_password_age": 0, "password_reuse_prevention": 0},
    props={
        "minimum_password_length": "MinimumPasswordLength",
        "require_symbols": Field("RequireSymbols", or_false),
        "require_numbers": Field("RequireNumbers", or_false),
        "require_uppercase_characters": Field("RequireUppercaseCharacters", or_false),
        "require_lowercase_characters": Field("RequireLowercaseCharacters", or_false),
        "allow_users_to_change_password": Field("AllowUsersToChangePassword", or_false),
        "expire_passwords": Field("ExpirePasswords", or_false),
        "max_password_age": Field("MaxPasswordAge", or_zero),
        "password_reuse_prevention": Field("PasswordReusePrevention", or_zero),
        "hard_expiry": Field("HardExpiry", or_false),
    },
)  # fmt: skip
