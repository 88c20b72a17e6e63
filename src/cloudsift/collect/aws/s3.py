"""S3 (global, once per account): buckets with public access block, encryption, versioning and policy."""

from __future__ import annotations

from cloudsift.collect.aws.convert import Field, constant, each, equals, json_document, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service
from cloudsift.collect.aws.s3_account import NODE_KEY

ENABLED = equals("Enabled")

BUCKET = AwsKind(
    "aws_s3_bucket",
    Listing("s3", "ListBuckets", "Buckets"),
    id="Name", arn_format="arn:aws:s3:::{id}", ctime="CreationDate", tags=Field("tagging", tag_list), node="bucket/",
    details=(
        Detail("GetPublicAccessBlock", "block", {"Bucket": "Name"}, key="PublicAccessBlockConfiguration",
               missing=("NoSuchPublicAccessBlockConfiguration",)),
        Detail("GetBucketEncryption", "encryption", {"Bucket": "Name"}, key="ServerSideEncryptionConfiguration.Rules",
               missing=("ServerSideEncryptionConfigurationNotFoundError",)),
        Detail("GetBucketVersioning", "versioning", {"Bucket": "Name"}),
        Detail("GetBucketPolicy", "policy", {"Bucket": "Name"}, key="Policy", missing=("NoSuchBucketPolicy",)),
        Detail("GetBucketTagging", "tagging", {"Bucket": "Name"}, key="TagSet", missing=("NoSuchTagSet",)),
        Detail("GetBucketLogging", "logging", {"Bucket": "Name"}, key="LoggingEnabled"),
        Detail("GetBucketAcl", "acl", {"Bucket": "Name"}, missing=("NoSuchBucket",)),
    ),
    props={
        "bucket_public_access_block_configuration": Field("block", struct({
            "block_public_acls": "BlockPublicAcls", "ignore_public_acls": "IgnorePublicAcls",
            "block_public_policy": "BlockPublicPolicy", "restrict_public_buckets": "RestrictPublicBuckets",
        })),
        "bucket_encryption_rules": Field("encryption", each({
            "sse_algorithm": "ApplyServerSideEncryptionByDefault.SSEAlgorithm",
            "kms_master_key_id": "ApplyServerSideEncryptionByDefault.KMSMasterKeyID",
            "bucket_key_enabled": "BucketKeyEnabled",
        })),
        "encryption_enabled": Field("encryption", bool), "versioning_enabled": Field("versioning.Status", ENABLED),
        "bucket_versioning": Field("versioning.Status", ENABLED), "bucket_mfa_delete": Field("versioning.MFADelete", ENABLED),
        # the policy document as JSON, as Fix keeps it: its checks read bucket_policy.Statement[*]
        "bucket_policy": Field("policy", json_document),
        "bucket_logging": Field("logging", struct({"target_bucket": "TargetBucket", "target_prefix": "TargetPrefix"})),
        "bucket_acl": Field("acl", struct({
            "owner": Field("Owner", struct({"display_name": "DisplayName", "id": "ID"})),
            "grants": Field("Grants", each({
                "grantee": Field("Grantee", struct({
                    "display_name": "DisplayName", "email_address": "EmailAddress", "id": "ID", "type": "Type",
                    "uri": "URI",
                })),
                "permission": "Permission",
            })),
        })),
    },
    # the account's public access block covers every bucket
    edges=(Edge("aws_s3_account_settings", "", constant(NODE_KEY), reverse=True),),
)  # fmt: skip

aws_service("s3", BUCKET, global_=True)
