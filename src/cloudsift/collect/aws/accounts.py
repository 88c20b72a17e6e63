"""Which AWS accounts to collect and with which credentials; which regions each has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config as BotoConfig

from cloudsift.config import AwsConfig

RETRIES = BotoConfig(retries={"mode": "adaptive", "max_attempts": 8}, connect_timeout=10, read_timeout=60)


@dataclass(frozen=True)
class Account:
    id: str
    alias: str | None
    session: boto3.Session

    def client(self, service: str, region: str | None = None) -> Any:
        return self.session.client(service, region_name=region, config=RETRIES)


def _alias(session: boto3.Session) -> str | None:
    try:
        aliases = session.client("iam", config=RETRIES).list_account_aliases().get("AccountAliases", [])
    except Exception:  # an alias is a nicety: missing permission or API means no alias
        return None
    return aliases[0] if aliases else None


def _assume(base: boto3.Session, account_id: str, cfg: AwsConfig) -> boto3.Session:
    params: dict[str, Any] = {
        "RoleArn": f"arn:aws:iam::{account_id}:role/{cfg.role}",
        "RoleSessionName": "cloudsift",
    }
    if cfg.external_id:
        params["ExternalId"] = cfg.external_id
    creds = base.client("sts", config=RETRIES).assume_role(**params)["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def discover_accounts(cfg: AwsConfig) -> tuple[list[Account], list[tuple[str, str]]]:
    """The accounts to collect, and (account, error) for those that could not be reached."""
    bases = [boto3.Session(profile_name=p) for p in cfg.profiles] or [boto3.Session()]
    found: dict[str, Account] = {}
    errors: list[tuple[str, str]] = []
    for base in bases:
        caller = base.client("sts", config=RETRIES).get_caller_identity()["Account"]
        if cfg.collect_caller_account and caller not in found:
            found[caller] = Account(caller, _alias(base), base)
        targets = list(cfg.accounts)
        if cfg.scrape_org:
            pages = base.client("organizations", config=RETRIES).get_paginator("list_accounts").paginate()
            targets += [a["Id"] for page in pages for a in page["Accounts"] if a.get("Status") == "ACTIVE"]
        for account_id in targets:
            if account_id in found or (account_id == caller and cfg.collect_caller_account):
                continue
            if not cfg.role:
                errors.append((account_id, "no [aws] role to assume in it"))
                continue
            try:
                session = _assume(base, account_id, cfg)
            except Exception as e:  # recorded per account; the other accounts go on
                errors.append((account_id, f"cannot assume role {cfg.role}: {e}"))
                continue
            found[account_id] = Account(account_id, _alias(session), session)
    return list(found.values()), errors


def regions_of(account: Account, cfg: AwsConfig) -> list[str]:
    if cfg.regions:
        return list(cfg.regions)
    regions = account.client("ec2", "us-east-1").describe_regions(AllRegions=False)["Regions"]
    return sorted(r["RegionName"] for r in regions)
