"""IAM (global, once per account): users with MFA and access keys, roles, customer managed policies."""

from __future__ import annotations

from cloudsift.collect.aws.accounts import Account
from cloudsift.collect.aws.service import Region, service
from cloudsift.collect.aws.values import pages, tags_of
from cloudsift.collect.graph import GraphBuilder


@service(
    "iam",
    api_calls=(
        "iam:ListUsers",
        "iam:ListMFADevices",
        "iam:ListAccessKeys",
        "iam:GetAccessKeyLastUsed",
        "iam:ListRoles",
        "iam:ListPolicies",
    ),
    global_=True,
    kinds=("aws_iam_user", "aws_iam_access_key", "aws_iam_role", "aws_iam_policy"),
)
def collect_iam(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("iam")
    for user in pages(client, "list_users", "Users"):
        name = user["UserName"]
        mfa = client.list_mfa_devices(UserName=name).get("MFADevices", [])
        user_node = graph.add(region.node(f"user/{name}"), "aws_iam_user", {
            "id": user.get("UserId"), "name": name, "arn": user.get("Arn"), "tags": tags_of(user),
            "ctime": user.get("CreateDate"), "path": user.get("Path"), "mfa_active": bool(mfa),
            "password_last_used": user.get("PasswordLastUsed"),
        }, parent=region.id)  # fmt: skip
        for key in client.list_access_keys(UserName=name).get("AccessKeyMetadata", []):
            key_id = key["AccessKeyId"]
            used = client.get_access_key_last_used(AccessKeyId=key_id).get("AccessKeyLastUsed", {})
            graph.add(region.node(f"access-key/{key_id}"), "aws_iam_access_key", {
                "id": key_id, "name": key_id, "ctime": key.get("CreateDate"), "access_key_status": key.get("Status"),
                "arn": f"arn:aws:iam::{account.id}:access-key/{key_id}",
                "access_key_last_used": {
                    "last_used": used.get("LastUsedDate"), "service_name": used.get("ServiceName"),
                    "region": used.get("Region"),
                },
            }, parent=user_node)  # fmt: skip
    for role in pages(client, "list_roles", "Roles"):
        graph.add(region.node(f"role/{role['RoleName']}"), "aws_iam_role", {
            "id": role.get("RoleId"), "name": role["RoleName"], "arn": role.get("Arn"), "tags": tags_of(role),
            "ctime": role.get("CreateDate"), "path": role.get("Path"),
            "description": role.get("Description"),
            "role_max_session_duration": role.get("MaxSessionDuration"),
            "role_assume_role_policy_document": role.get("AssumeRolePolicyDocument"),
        }, parent=region.id)  # fmt: skip
    for policy in pages(client, "list_policies", "Policies", Scope="Local"):
        graph.add(region.node(f"policy/{policy['PolicyName']}"), "aws_iam_policy", {
            "id": policy.get("PolicyId"), "name": policy["PolicyName"], "arn": policy.get("Arn"),
            "ctime": policy.get("CreateDate"), "mtime": policy.get("UpdateDate"), "path": policy.get("Path"),
            "policy_attachment_count": policy.get("AttachmentCount"),
            "policy_default_version_id": policy.get("DefaultVersionId"), "policy_is_attachable": policy.get("IsAttachable"),
        }, parent=region.id)  # fmt: skip
