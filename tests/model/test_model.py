"""The data model: kinds, base kinds, typed properties, one type per property name."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import pytest

from cloudsift.errors import UsageError
from cloudsift.model import MODEL, ListOf, Struct
from cloudsift.model.base import model_from_classes
from cloudsift.model.core import Resource
from cloudsift.model.types import DATETIME, FLOAT, STRING


def test_security_group_has_resotos_properties() -> None:
    props = {p.name: p.type for p in MODEL.props_of("aws_ec2_security_group")}
    for name in ("id", "name", "tags", "ctime", "mtime", "atime", "arn", "description"):
        assert name in props
    permissions = props["group_ip_permissions"]
    assert isinstance(permissions, ListOf) and isinstance(permissions.item, Struct)
    fields = {f.name for f in permissions.item.fields}
    assert fields == {
        "from_port",
        "to_port",
        "ip_protocol",
        "ip_ranges",
        "ipv6_ranges",
        "prefix_list_ids",
        "user_id_group_pairs",
    }
    assert props["ctime"] == DATETIME


def test_base_kinds() -> None:
    assert MODEL.kinds_of("aws_ec2_security_group")[:2] == ("aws_ec2_security_group", "security_group")
    assert "resource" in MODEL.kinds_of("aws_ec2_instance")
    assert {"aws_ec2_instance"} <= set(MODEL.subkinds("instance"))
    assert {p.name: p.type for p in MODEL.props_of("aws_ec2_instance")}["instance_cores"] == FLOAT
    for required in (
        "cloud",
        "account",
        "region",
        "zone",
        "resource",
        "security_group",
        "instance",
        "network",
        "aws_account",
        "aws_region",
        "aws_vpc",
    ):
        assert required in MODEL.kinds


def test_unknown_kind_suggests_the_closest() -> None:
    with pytest.raises(UsageError, match="Did you mean 'aws_ec2_instance'"):
        MODEL.kind("aws_ec2_instanse")


def test_a_property_name_has_one_type_everywhere() -> None:
    class Left(Resource):
        kind: ClassVar[str] = "left"
        size: int

    class Right(Resource):
        kind: ClassVar[str] = "right"
        size: str

    with pytest.raises(TypeError, match="property size has two types"):
        model_from_classes([Resource, Left, Right])
    assert MODEL.property_type("name") == STRING
    assert isinstance(dt.datetime.now(), dt.datetime)
