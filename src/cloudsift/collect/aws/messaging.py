"""SNS topics and SQS queues: their attributes (encryption, policies) asked per resource, side by side."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cloudsift.collect.aws.convert import (
    Field,
    as_bool,
    json_document,
    last_arn_part,
    struct,
    tag_list,
    tag_map,
    to_int,
)
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service


def epoch_seconds(value: Any) -> dt.datetime | None:
    """Seconds since the epoch, as SQS sends them (text), as a UTC datetime."""
    return None if value in (None, "") else dt.datetime.fromtimestamp(float(value), dt.UTC)


REDRIVE = struct({"dead_letter_target_arn": "deadLetterTargetArn", "max_receive_count": "maxReceiveCount"})


def redrive_policy(text: Any) -> Any:
    """SQS's RedrivePolicy, a JSON text: its dead-letter queue and after how many receives."""
    return REDRIVE(json_document(text))


def _topic_name(topic: dict[str, Any]) -> str | None:
    """A topic's display name, else the name in its ARN."""
    return (topic.get("attrs") or {}).get("DisplayName") or last_arn_part(topic.get("TopicArn"))


TOPIC = AwsKind(
    "aws_sns_topic",
    Listing("sns", "ListTopics", "Topics"),
    id="TopicArn", arn="TopicArn", name=Field("", _topic_name), node="sns/", tags=Field("tags", tag_list),
    details=(
        Detail("GetTopicAttributes", "attrs", {"TopicArn": "TopicArn"}, key="Attributes", missing=("NotFound",)),
        Detail("ListTagsForResource", "tags", {"ResourceArn": "TopicArn"}, key="Tags",
               missing=("ResourceNotFound", "NotFound")),
    ),
    props={
        "topic_subscriptions_confirmed": Field("attrs.SubscriptionsConfirmed", to_int),
        "topic_subscriptions_deleted": Field("attrs.SubscriptionsDeleted", to_int),
        "topic_subscriptions_pending": Field("attrs.SubscriptionsPending", to_int),
        "topic_owner": "attrs.Owner", "topic_kms_master_key_id": "attrs.KmsMasterKeyId",
        "topic_fifo_topic": Field("attrs.FifoTopic", as_bool),
        "topic_content_based_deduplication": Field("attrs.ContentBasedDeduplication", as_bool),
        "topic_policy": Field("attrs.Policy", json_document),
    },
    edges=(Edge("aws_kms_key", "attrs.KmsMasterKeyId", last_arn_part),),
)  # fmt: skip

QUEUE = AwsKind(
    "aws_sqs_queue",
    Listing("sqs", "ListQueues", "QueueUrls"),
    id=Field("item", last_arn_part), arn="attrs.QueueArn", node="sqs/", tags=Field("tags", tag_map),
    ctime=Field("attrs.CreatedTimestamp", epoch_seconds), mtime=Field("attrs.LastModifiedTimestamp", epoch_seconds),
    details=(
        Detail("GetQueueAttributes", "attrs", {"QueueUrl": "item", "AttributeNames": lambda _: ["All"]},
               key="Attributes", missing=("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")),
        Detail("ListQueueTags", "tags", {"QueueUrl": "item"}, key="Tags",
               missing=("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")),
    ),
    props={
        "sqs_queue_url": "item",
        "sqs_approximate_number_of_messages": Field("attrs.ApproximateNumberOfMessages", to_int),
        "sqs_redrive_policy": Field("attrs.RedrivePolicy", redrive_policy),
        "sqs_fifo_queue": Field("attrs.FifoQueue", as_bool),
        "sqs_kms_master_key_id": "attrs.KmsMasterKeyId",
        "sqs_kms_data_key_reuse_period_seconds": Field("attrs.KmsDataKeyReusePeriodSeconds", to_int),
        "sqs_visibility_timeout": Field("attrs.VisibilityTimeout", to_int),
        "sqs_maximum_message_size": Field("attrs.MaximumMessageSize", to_int),
        "sqs_message_retention_period": Field("attrs.MessageRetentionPeriod", to_int),
        "sqs_delay_seconds": Field("attrs.DelaySeconds", to_int),
        "sqs_receive_message_wait_time_seconds": Field("attrs.ReceiveMessageWaitTimeSeconds", to_int),
        "sqs_managed_sse_enabled": Field("attrs.SqsManagedSseEnabled", as_bool),
        "sqs_policy": Field("attrs.Policy", json_document),
    },
    edges=(Edge("aws_kms_key", "attrs.KmsMasterKeyId", last_arn_part),),
)  # fmt: skip

aws_service("sns", TOPIC)
aws_service("sqs", QUEUE)
