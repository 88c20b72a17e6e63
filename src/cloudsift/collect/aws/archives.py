"""ECR repositories and Glacier vaults: scanning, encryption, and their resource policies."""

from __future__ import annotations

from cloudsift.collect.aws.convert import (
    Field,
    constant,
    json_document,
    last_arn_part,
    struct,
    tag_list,
    tag_map,
)
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service

REPOSITORY = AwsKind(
    "aws_ecr_repository",
    Listing("ecr", "DescribeRepositories", "repositories"),
    id="repositoryName", arn="repositoryArn", ctime="createdAt", node="ecr/", tags=Field("tags", tag_list),
    details=(
        Detail("GetRepositoryPolicy", "policy", {"repositoryName": "repositoryName"}, key="policyText",
               missing=("RepositoryPolicyNotFoundException",)),
        Detail("GetLifecyclePolicy", "lifecycle", {"repositoryName": "repositoryName"}, key="lifecyclePolicyText",
               missing=("LifecyclePolicyNotFoundException",)),
        Detail("ListTagsForResource", "tags", {"resourceArn": "repositoryArn"}, key="tags",
               missing=("RepositoryNotFoundException",)),
    ),
    props={
        "repository_arn": "repositoryArn", "registry_id": "registryId", "repository_uri": "repositoryUri",
        "repository_visibility": Field("", constant("private")),
        "image_tag_mutability": "imageTagMutability", "image_scan_on_push": "imageScanningConfiguration.scanOnPush",
        "encryption_configuration": Field("encryptionConfiguration", struct({
            "encryption_type": "encryptionType", "kms_key": "kmsKey"})),
        "repository_policy": Field("policy", json_document),
        "lifecycle_policy": Field("lifecycle", json_document),
    },
    edges=(Edge("aws_kms_key", "encryptionConfiguration.kmsKey", last_arn_part),),
)  # fmt: skip

VAULT = AwsKind(
    "aws_glacier_vault",
    Listing("glacier", "ListVaults", "VaultList", {"accountId": "-"}),
    id="VaultName", arn="VaultARN", ctime="CreationDate", node="glacier/", tags=Field("tags", tag_map),
    details=(
        # "404": moto answers that (no code) for every vault; AWS says ResourceNotFoundException without a policy
        Detail("GetVaultAccessPolicy", "access", {"accountId": lambda _: "-", "vaultName": "VaultName"},
               key="policy", missing=("ResourceNotFoundException", "404")),
        Detail("ListTagsForVault", "tags", {"accountId": lambda _: "-", "vaultName": "VaultName"}, key="Tags",
               missing=("ResourceNotFoundException", "404")),
    ),
    props={
        "glacier_last_inventory_date": "LastInventoryDate", "glacier_number_of_archives": "NumberOfArchives",
        "glacier_size_in_bytes": "SizeInBytes",
        "glacier_access_policy": Field("access.Policy", json_document),
    },
)  # fmt: skip

aws_service("ecr", REPOSITORY)
aws_service("glacier", VAULT)
