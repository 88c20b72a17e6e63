"""The AWS collector: accounts x regions x services, with boto3. Importing it registers every service."""

from cloudsift.collect.aws import cloudtrail, cloudwatch, ec2, ec2_network, iam, managed, s3

__all__ = ["cloudtrail", "cloudwatch", "ec2", "ec2_network", "iam", "managed", "s3"]
