"""AWS Organizations (global, once per account): whether the account belongs to an organization, on the
account's node as Fix has it."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field
from cloudsift.collect.aws.declare import AccountProperties, Listing, Scope, aws_service


def organization_of(client: Any, scope: Scope) -> list[dict[str, Any]]:
    """DescribeOrganization's organization, with whether this account is its management account."""
    org = client.describe_organization()["Organization"]
    return [{**org, "is_master": org.get("MasterAccountId") == scope.account.id}]


ORGANIZATION = AccountProperties(
    Listing("organizations", "DescribeOrganization", "Organization", read=organization_of),
    missing=("AWSOrganizationsNotInUseException",),
    absent={"is_organization_member": False, "is_organization_master": False},
    props={
        "is_organization_member": Field("Id", bool), "is_organization_master": "is_master",
        "organization_id": "Id", "organization_arn": "Arn",
    },
)  # fmt: skip

aws_service("organizations", global_=True, on_account=ORGANIZATION)
