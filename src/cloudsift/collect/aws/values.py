"""Small helpers shared by the AWS service collectors: pagination, optional calls, timestamps."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from botocore.exceptions import ClientError

T = TypeVar("T")


def pages(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**params):
        yield from page.get(key, [])


def optional(call: Callable[[], T], *missing: str) -> T | None:
    """The answer of an AWS call, or None when AWS says the thing does not exist (one of `missing` codes)."""
    try:
        return call()
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") in missing:
            return None
        raise


def timestamp(value: Any) -> dt.datetime | None:
    """AWS's date-times as UTC datetimes, whatever their text form ("…T18:05:48.153+0000", nanoseconds, ...)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    try:
        parsed = dt.datetime.fromisoformat(text)  # what AWS sends, as it is (the hot path)
    except ValueError:
        text = text.replace("Z", "+00:00")
        text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
        text = re.sub(r"\.(\d{6})\d+", r".\1", text)
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
