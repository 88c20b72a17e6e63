"""Field mappings for kind declarations: a property is a path into AWS's answer and a converter.

A converter is a plain function of one value; `kind NAME` shows its name, so a name says what it does.
`struct` and `each` map nested objects with a mapping of their own (the same form a kind's `props` has).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import orjson

from cloudsift.collect.aws.values import timestamp

Convert = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    """Where a property comes from: a dotted path into the item ("" for the item itself) and a converter."""

    path: str
    convert: Convert | None = None


Source = str | Field


def path_value(item: Any, path: str) -> Any:
    """The value at a dotted path ("Status.IsLogging"; a number indexes a list: "Tags.0.Key"); None if absent."""
    value = item
    for part in path.split(".") if path else ():
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit():
            value = value[int(part)] if int(part) < len(value) else None
        else:
            return None
    return value


def value_of(source: Source, item: dict[str, Any]) -> Any:
    spec = source if isinstance(source, Field) else Field(source)
    value = path_value(item, spec.path)
    return value if spec.convert is None else spec.convert(value)


def map_item(mapping: Mapping[str, Source], item: dict[str, Any]) -> dict[str, Any]:
    return {prop: value_of(source, item) for prop, source in mapping.items()}


def epoch_ms(value: Any) -> dt.datetime | None:
    """Milliseconds since the epoch (CloudWatch Logs' times) as a UTC datetime."""
    if value is None:
        return None
    return dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC)


def tag_list(value: Any) -> dict[str, str]:
    """[{Key, Value}, ...] (any capitalisation AWS uses) as a map."""
    out: dict[str, str] = {}
    for tag in value or []:
        key = tag.get("Key", tag.get("key"))
        if key is not None:
            out[str(key)] = str(tag.get("Value", tag.get("value", "")) or "")
    return out


def tag_map(value: Any) -> dict[str, str]:
    """A {key: value} map of tags, as some services send them."""
    return {str(k): str(v) for k, v in (value or {}).items()}


def json_document(value: Any) -> Any:
    """A policy document: AWS sends some as URL-encoded JSON text, some already parsed."""
    if value is None or isinstance(value, dict | list):
        return value
    text = str(value)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return orjson.loads(unquote(text))


def last_arn_part(value: Any) -> str | None:
    """The name at the end of an ARN or of a path (`arn:...:role/app` -> `app`)."""
    if not value:
        return None
    return str(value).rstrip("/").split("/")[-1].split(":")[-1]


def log_group_name(value: Any) -> str | None:
    """A log group's name from its ARN (`arn:aws:logs:r:a:log-group:NAME:*`)."""
    if not value:
        return None
    text = str(value)
    if ":log-group:" not in text:
        return text
    name = text.split(":log-group:", 1)[1]
    return name[:-2] if name.endswith(":*") else name


def non_empty(value: Any) -> Any:
    """AWS's empty string or list for "none" as null."""
    return value if value not in ("", [], {}) else None


def as_bool(value: Any) -> bool | None:
    """ "true"/"false" (the credential report's CSV) or a real bool."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text == "true" else False if text == "false" else None


def as_datetime(value: Any) -> dt.datetime | None:
    """An ISO time, or the credential report's "N/A", "no_information", "not_supported" as null."""
    if isinstance(value, str) and not value[:1].isdigit():
        return None
    return timestamp(value)


def equals(expected: Any) -> Convert:
    """True when the value is `expected` ("Enabled" for a versioning status, ...)."""

    def equal(value: Any) -> bool:
        return bool(value == expected)

    equal.__name__ = f"equals({expected!r})"
    return equal


def name_tag_or(*paths: str) -> Convert:
    """An EC2 resource's name: its Name tag, else the first of these fields that has a value (its id).
    The tags are where AWS puts them: `Tags`, `TagList`, or `TagSet` (a network interface's)."""

    def name(item: Any) -> Any:
        item = item or {}
        tags = tag_list(item.get("Tags") or item.get("TagList") or item.get("TagSet"))
        return tags.get("Name") or next((v for p in paths if (v := path_value(item, p))), None)

    name.__name__ = f"name_tag_or({', '.join(map(repr, paths))})"
    return name


def constant(value: Any) -> Convert:
    """Always `value`, whatever AWS sent (the kind of load balancer a listing holds)."""

    def always(_: Any) -> Any:
        return value

    always.__name__ = f"constant({value!r})"
    return always


class Nested:
    """A nested object (or, `many`, a list of them) mapped by its own {property: path or Field} table;
    `kind NAME` and the model's tests read `mapping`."""

    def __init__(self, mapping: Mapping[str, Source], many: bool) -> None:
        self.mapping = mapping
        self.many = many
        self.__name__ = "each" if many else "struct"

    def __call__(self, value: Any) -> Any:
        if self.many:
            return [map_item(self.mapping, item) for item in value or [] if isinstance(item, dict)]
        return map_item(self.mapping, value) if isinstance(value, dict) else None


def struct(mapping: Mapping[str, Source]) -> Nested:
    """A nested object, mapped by its own table."""
    return Nested(mapping, many=False)


def each(mapping: Mapping[str, Source]) -> Nested:
    """A list of nested objects, each mapped by the same table."""
    return Nested(mapping, many=True)


def ids_at(key: str, then: Convert | None = None) -> Convert:
    """The `key` of each object of a list (a cluster's members, an instance's security groups);
    `then` converts each (`last_arn_part`: names from ARNs)."""

    def ids(value: Any) -> list[Any]:
        found = [v.get(key) for v in value or [] if isinstance(v, dict)]
        return found if then is None else [then(v) for v in found]

    ids.__name__ = f"ids_at({key!r})"
    return ids


def base64_text(value: Any) -> str | None:
    """Base64 of UTF-8 text (an instance's user data) as the text; null when absent or not text."""
    if not value:
        return None
    try:
        return base64.b64decode(str(value), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def to_int(value: Any) -> int | None:
    """A number AWS sends as text (SQS attributes, the credential report) as an int; absent stays null."""
    return None if value in (None, "") else int(value)


def or_zero(value: Any) -> Any:
    """A limit AWS leaves out when it is not set (a password policy's maximum age) as 0, as Fix has it."""
    return 0 if value is None else value


def or_false(value: Any) -> Any:
    """A flag AWS leaves out when it is off (a password policy's hard expiry) as false, as Fix has it."""
    return False if value is None else value


def to_float(value: Any) -> float | None:
    return None if value in (None, "") else float(value)
