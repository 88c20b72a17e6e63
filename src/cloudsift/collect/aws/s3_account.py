"""S3 settings of the account (global): its public access block, which every bucket falls under."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from cloudsift.collect.aws.convert import Field, struct
from cloudsift.collect.aws.declare import AwsKind, Edge, Listing, Scope, aws_service

NODE_KEY = "account"  # one per account: its node is aws/<account>/global/s3-account-settings/account


def single_host(client: Any, account_id: str) -> Any:
    """An S3 Control client for an emulator at one address (moto): S3 Control puts the account id in
    front of the host, which such an address cannot answer, so it is taken off before each request."""

    def strip(request: Any, **_: Any) -> None:
        request.url = request.url.replace(f"//{account_id}.", "//", 1)

    client.meta.events.register("before-send.s3-control.*", strip)
    return client


def _settings(client: Any, scope: Scope) -> Iterator[dict[str, Any]]:
    """The account's block; none set means nothing is blocked (all false), as Fix shows it."""
    if "amazonaws.com" not in client.meta.endpoint_url:
        client = single_host(scope.account.session.client("s3control", region_name=client.meta.region_name,
                                                          config=scope.account.boto), scope.account.id)  # fmt: skip
    try:
        block = client.get_public_access_block(AccountId=scope.account.id)["PublicAccessBlockConfiguration"]
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") != "NoSuchPublicAccessBlockConfiguration":
            raise
        block = {}
    flags = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    yield {"AccountId": scope.account.id, "Block": {flag: bool(block.get(flag)) for flag in flags}}


SETTINGS = AwsKind(
    "aws_s3_account_settings",
    Listing("s3control", "GetPublicAccessBlock", None, read=_settings),
    id="AccountId", key=Field("", lambda _: NODE_KEY), node="s3-account-settings/",
    arn_format="arn:aws:s3control::{account}:account/{id}",
    props={"bucket_public_access_block_configuration": Field("Block", struct({
        "block_public_acls": "BlockPublicAcls", "ignore_public_acls": "IgnorePublicAcls",
        "block_public_policy": "BlockPublicPolicy", "restrict_public_buckets": "RestrictPublicBuckets",
    }))},
    # below its account, and (for its partition: a failed one keeps it) below the account's "global" region
    edges=(Edge("aws_account", "AccountId", reverse=True),),
)  # fmt: skip

aws_service("s3_account", SETTINGS, global_=True)
