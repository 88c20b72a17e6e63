"""IAM (global, once per account): users, their access keys, roles and managed policies, as declarations.

One GetAccountAuthorizationDetails answer (all its pages, asked once per task) gives the users' and roles'
inline policies and attachments and the managed policies with their default document; the credential
report (shared with the root user, see iam_account.py) gives each user's password and MFA state; the
account's password policy goes on the account's node.
Managed policies are the customer's own and the AWS managed ones attached to something, as Fix has them
(listed by ListPolicies: the details may lack their names).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudsift.collect.aws.convert import Field, as_bool, as_datetime, each, json_document, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, Scope, aws_service
from cloudsift.collect.aws.iam_account import (
    GROUP,
    PASSWORD_POLICY,
    ROOT_KEY,
    ROOT_USER,
    SERVER_CERTIFICATE,
    attached_names,
    authorization,
    inline_policies,
    report_lines,
    virtual_devices,
)
from cloudsift.collect.aws.values import pages

AWS_MANAGED = "arn:aws:iam::aws:policy/"


def _users(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    report = report_lines(client, scope)
    devices = virtual_devices(client, scope)
    for user in authorization(client, scope).get("UserDetailList", []):
        yield {
            **user,
            "report": report.get(user["UserName"], {}),
            "devices": devices.get(user.get("Arn", ""), []),
        }


def _access_keys(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    for user in authorization(client, scope).get("UserDetailList", []):
        yield from pages(client, "list_access_keys", "AccessKeyMetadata", UserName=user["UserName"])


def _roles(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    """ListRoles has the session duration and description; the details (also as `details`) add the
    policies."""
    details = {r["RoleName"]: r for r in authorization(client, scope).get("RoleDetailList", [])}
    for role in pages(client, "list_roles", "Roles"):
        found = details.get(role["RoleName"], {})
        yield {**found, **role, "details": found}


def _policies(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    """The customer's policies and the attached AWS ones; the details (also as `details`) add each one's
    versions."""
    details = {p.get("Arn"): p for p in authorization(client, scope).get("Policies", [])}
    for owner, attached in (("Local", False), ("AWS", True)):
        for policy in pages(client, "list_policies", "Policies", Scope=owner, OnlyAttached=attached):
            found = details.get(policy.get("Arn"), {})
            yield {**found, **policy, "details": found}


def _default_version(versions: Any) -> dict[str, Any] | None:
    for version in versions or []:
        if version.get("IsDefaultVersion"):
            return {"document": json_document(version.get("Document")), "version_id": version.get("VersionId"),
                    "is_default_version": True, "create_date": version.get("CreateDate")}  # fmt: skip
    return None


_DETAILS = {"details": "GetAccountAuthorizationDetails"}  # what a role's or a policy's read adds

USER = AwsKind(
    "aws_iam_user",
    Listing("iam", "GetAccountAuthorizationDetails", "UserDetailList", read=_users, also=("GenerateCredentialReport",),
            fills={"report": "GetCredentialReport", "devices": "ListVirtualMFADevices"}),
    id="UserId", name="UserName", arn="Arn", ctime="CreateDate", tags=Field("Tags", tag_list), node="user/",
    key="UserName",
    # without a credential report line (AWS had none ready), the user's MFA devices say it
    details=(Detail("ListMFADevices", "mfa", {"UserName": "UserName"}, key="MFADevices", when=lambda u: not u["report"]),),
    atime=Field("report.password_last_used", as_datetime),
    props={
        "path": "Path",
        "user_policies": Field("UserPolicyList", inline_policies),
        "password_enabled": Field("report.password_enabled", as_bool),
        "password_last_used": Field("report.password_last_used", as_datetime),
        "password_last_changed": Field("report.password_last_changed", as_datetime),
        "password_next_rotation": Field("report.password_next_rotation", as_datetime),
        "mfa_active": Field("", lambda u: as_bool(u["report"]["mfa_active"]) if u["report"] else bool(u.get("mfa"))),
        "user_virtual_mfa_devices": Field("devices", each({"serial_number": "SerialNumber", "enable_date": "EnableDate"})),
    },
    edges=(
        Edge("aws_iam_policy", "AttachedManagedPolicies", attached_names),
        Edge("aws_iam_group", "GroupList", reverse=True),
    ),
)  # fmt: skip

ACCESS_KEY = AwsKind(
    "aws_iam_access_key",
    Listing("iam", "ListAccessKeys", None, read=_access_keys, also=("GetAccountAuthorizationDetails",)),
    id="AccessKeyId", ctime="CreateDate", node="access-key/",
    arn_format="arn:aws:iam::{account}:access-key/{id}",
    details=(Detail("GetAccessKeyLastUsed", "used", {"AccessKeyId": "AccessKeyId"}, key="AccessKeyLastUsed"),),
    atime=Field("used.LastUsedDate", as_datetime),
    props={
        "access_key_status": "Status",
        "access_key_last_used": Field("used", lambda used: {
            "last_used": (used or {}).get("LastUsedDate"), "service_name": (used or {}).get("ServiceName"),
            "region": (used or {}).get("Region"),
        }),
    },
    parent=(Edge("aws_iam_user", "UserName"),),
)  # fmt: skip

ROLE = AwsKind(
    "aws_iam_role",
    Listing("iam", "ListRoles", "Roles", read=_roles, fills=_DETAILS),
    id="RoleId", name="RoleName", arn="Arn", ctime="CreateDate", tags=Field("Tags", tag_list), node="role/",
    key="RoleName",
    props={
        "path": "Path", "description": "Description", "role_max_session_duration": "MaxSessionDuration",
        "role_assume_role_policy_document": Field("AssumeRolePolicyDocument", json_document),
        "role_policies": Field("details.RolePolicyList", inline_policies),
    },
    edges=(Edge("aws_iam_policy", "details.AttachedManagedPolicies", attached_names),),
)  # fmt: skip

POLICY = AwsKind(
    "aws_iam_policy",
    Listing("iam", "ListPolicies", "Policies", read=_policies, fills=_DETAILS),
    id="PolicyId", name="PolicyName", arn="Arn", ctime="CreateDate", mtime="UpdateDate", node="policy/",
    key="PolicyName",
    props={
        "path": "Path", "policy_attachment_count": "AttachmentCount",
        "policy_permissions_boundary_usage_count": "PermissionsBoundaryUsageCount",
        "policy_default_version_id": "DefaultVersionId", "policy_is_attachable": "IsAttachable",
        "policy_description": "Description",
        "policy_document": Field("details.PolicyVersionList", _default_version),
        "managed": Field("Arn", lambda arn: str(arn or "").startswith(AWS_MANAGED)),
    },
)  # fmt: skip

# policies first (the others point at them), then the root user before its keys, groups before users
aws_service(
    "iam", POLICY, ROOT_USER, ROOT_KEY, GROUP, USER, ACCESS_KEY, ROLE, SERVER_CERTIFICATE, global_=True,
    on_account=PASSWORD_POLICY,
)  # fmt: skip
