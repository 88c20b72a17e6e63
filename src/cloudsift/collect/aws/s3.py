"""S3 (global, once per account): buckets with public access block, encryption, versioning and policy."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from cloudsift.collect.aws.accounts import Account
from cloudsift.collect.aws.service import Region, service
from cloudsift.collect.aws.values import optional
from cloudsift.collect.graph import GraphBuilder


@service(
    "s3",
    api_calls=(
        "s3:ListAllMyBuckets",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetEncryptionConfiguration",
        "s3:GetBucketVersioning",
        "s3:GetBucketPolicy",
        "s3:GetBucketTagging",
        "s3:GetBucketLogging",
    ),
    global_=True,
    kinds=("aws_s3_bucket",),
)
def collect_s3(account: Account, region: Region, graph: GraphBuilder) -> None:
    client = account.client("s3")
    for bucket in client.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        block: Any = optional(partial(client.get_public_access_block, Bucket=name),
                              "NoSuchPublicAccessBlockConfiguration")  # fmt: skip
        encryption: Any = optional(partial(client.get_bucket_encryption, Bucket=name),
                                   "ServerSideEncryptionConfigurationNotFoundError")  # fmt: skip
        versioning = client.get_bucket_versioning(Bucket=name)
        policy: Any = optional(partial(client.get_bucket_policy, Bucket=name), "NoSuchBucketPolicy")
        tagging: Any = optional(partial(client.get_bucket_tagging, Bucket=name), "NoSuchTagSet")
        logging = client.get_bucket_logging(Bucket=name).get("LoggingEnabled")
        config = (block or {}).get("PublicAccessBlockConfiguration")
        rules = ((encryption or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules", [])
        node = graph.add(region.node(f"bucket/{name}"), "aws_s3_bucket", {
            "id": name, "name": name, "arn": f"arn:aws:s3:::{name}", "ctime": bucket.get("CreationDate"),
            "tags": {t["Key"]: t["Value"] for t in (tagging or {}).get("TagSet", [])},
            "bucket_public_access_block_configuration": None if config is None else {
                "block_public_acls": config.get("BlockPublicAcls"), "ignore_public_acls": config.get("IgnorePublicAcls"),
                "block_public_policy": config.get("BlockPublicPolicy"),
                "restrict_public_buckets": config.get("RestrictPublicBuckets"),
            },
            "bucket_encryption_rules": [{
                "sse_algorithm": r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm"),
                "kms_master_key_id": r.get("ApplyServerSideEncryptionByDefault", {}).get("KMSMasterKeyID"),
                "bucket_key_enabled": r.get("BucketKeyEnabled"),
            } for r in rules],
            "encryption_enabled": bool(rules), "versioning_enabled": versioning.get("Status") == "Enabled",
            "bucket_versioning": versioning.get("Status") == "Enabled",
            "bucket_mfa_delete": versioning.get("MFADelete") == "Enabled",
            # the policy document as JSON, as Fix keeps it: its checks read bucket_policy.Statement[*]
            "bucket_policy": json.loads(policy["Policy"]) if policy and policy.get("Policy") else None,
            "bucket_logging": logging and {"target_bucket": logging.get("TargetBucket"),
                                           "target_prefix": logging.get("TargetPrefix")},
        }, parent=region.id)  # fmt: skip
        graph.edge(region.node("s3-account-settings/account"), node)  # the account's block covers it
