"""The AWS collector: accounts x regions x services, with boto3. Importing it registers every service."""

from cloudsift.collect.aws import (
    autoscaling,
    cloudtrail,
    cloudwatch,
    configservice,
    ec2,
    ec2_images,
    ec2_network,
    ec2_routing,
    iam,
    iam_account,
    managed,
    s3,
    s3_account,
)

__all__ = [
    "autoscaling",
    "cloudtrail",
    "cloudwatch",
    "configservice",
    "ec2",
    "ec2_images",
    "ec2_network",
    "ec2_routing",
    "iam",
    "iam_account",
    "managed",
    "s3",
    "s3_account",
]
