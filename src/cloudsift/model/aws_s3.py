"""S3 account-level settings (Fix's names)."""

from __future__ import annotations

from typing import ClassVar

from cloudsift.model.aws import AwsResource, AwsS3PublicAccessBlockConfiguration
from cloudsift.model.core import kind_class


@kind_class
class AwsS3AccountSettings(AwsResource):
    """The account's S3 public access block (all false when none is set); it leads to every bucket."""

    kind: ClassVar[str] = "aws_s3_account_settings"
    bucket_public_access_block_configuration: AwsS3PublicAccessBlockConfiguration
