"""The least-privilege IAM policy of the collector: every read action its declared calls need."""

from __future__ import annotations

from typing import Any

import cloudsift.collect.aws  # noqa: F401  (registers the services)
from cloudsift.collect.aws.service import SERVICES

# What finding the accounts and regions calls (collect/aws/accounts.py) in every collected account.
DISCOVERY = ("ec2:DescribeRegions", "iam:ListAccountAliases", "organizations:ListAccounts")
# Calls that need no grant in the collected account: who the caller is, and the assume-role call, which the
# caller's own identity makes (its policy grants sts:AssumeRole on the role; the role's trust policy allows it).
NOT_GRANTED_HERE = ("sts:GetCallerIdentity", "sts:AssumeRole")


def collector_actions() -> list[str]:
    """Every action the collector may call, sorted."""
    actions = {a for _, service in SERVICES.items() for a in service.api_calls}
    return sorted(actions | set(DISCOVERY))


def policy_document() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "CloudsiftCollect", "Effect": "Allow", "Action": collector_actions(), "Resource": "*"}
        ],
    }
