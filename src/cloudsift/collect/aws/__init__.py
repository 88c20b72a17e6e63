"""The AWS collector: accounts x regions x services, with boto3."""
