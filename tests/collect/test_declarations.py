"""The kind declarations against the data model: every declared property is a property of its kind."""

from __future__ import annotations

import re

import pytest

from cloudsift import run
from cloudsift.collect.aws.convert import Field, Nested
from cloudsift.collect.aws.declare import (
    ACCOUNT_DECLARED,
    AccountProperties,
    AwsKind,
    Call,
    Listing,
    aws_service,
    declared_kinds,
)
from cloudsift.collect.aws.service import SERVICES
from cloudsift.model import MODEL, Struct
from cloudsift.store.duckdb import DuckDBStore


def _struct_fields(declaration: AwsKind) -> list[tuple[str, str, set[str]]]:
    """(property, struct name, the fields its mapping fills) for each property mapped by struct/each."""
    out = []
    for prop, source in declaration.props.items():
        mapping = (
            source.convert.mapping
            if isinstance(source, Field) and isinstance(source.convert, Nested)
            else None
        )
        typ = next((p.type for p in MODEL.props_of(declaration.kind) if p.name == prop), None)
        item = getattr(typ, "item", typ)
        if mapping is not None and isinstance(item, Struct):
            out.append((prop, item.name, set(mapping)))
    return out


def test_every_declared_property_is_in_the_model() -> None:
    for kind, (declaration, _) in declared_kinds().items():
        props = {p.name for p in MODEL.props_of(kind)}
        typed = set(declaration.sources()) - set(declaration.untyped)
        assert typed <= props, (kind, typed - props)
        assert not set(declaration.untyped) & props, (kind, "typed in the model but declared untyped")
        for prop, struct, fields in _struct_fields(declaration):
            known = {f.name for f in _find_struct(struct).fields}
            assert fields <= known, (kind, prop, fields - known)
        for edge in (*declaration.edges, *declaration.parent):
            assert edge.kind in MODEL.kinds, (kind, edge.kind)
            for prop in edge.by:
                assert prop in {p.name for p in MODEL.props_of(edge.kind)}, (kind, edge.kind, prop)


def _find_struct(name: str) -> Struct:
    for kind in MODEL.kinds:
        for prop in MODEL.props_of(kind):
            found = _walk(prop.type, name)
            if found is not None:
                return found
    raise AssertionError(f"no struct {name}")


def _walk(typ: object, name: str) -> Struct | None:
    typ = getattr(typ, "item", typ)
    if isinstance(typ, Struct):
        if typ.name == name:
            return typ
        for field in typ.fields:
            found = _walk(field.type, name)
            if found is not None:
                return found
    return None


def test_a_declared_service_needs_exactly_its_calls_actions() -> None:
    declared = declared_kinds()
    for kind, (declaration, service) in declared.items():
        actions = SERVICES.get(service).api_calls
        for call in declaration.calls:
            assert call.action in actions, (kind, call)
            assert re.fullmatch(r"[a-z0-9-]+:[A-Z][A-Za-z0-9]+", call.action), call.action
    # where AWS's IAM action is not the API's name
    assert Call("s3", "ListBuckets").action == "s3:ListAllMyBuckets"
    assert Call("s3control", "GetPublicAccessBlock").action == "s3:GetAccountPublicAccessBlock"
    assert Call("logs", "DescribeMetricFilters").method == "describe_metric_filters"


def test_kind_shows_where_each_property_comes_from() -> None:
    lines = run("kind aws_cloud_trail", DuckDBStore())
    status = next(line for line in lines if line.strip().startswith("trail_status:"))
    assert status.endswith("<- cloudtrail GetTrailStatus: (the answer) as struct")
    bucket = next(line for line in lines if line.strip().startswith("trail_s3_bucket_name:"))
    assert bucket.endswith("<- cloudtrail DescribeTrails: S3BucketName")
    assert any(line.strip().startswith("collected by the AWS service 'cloudtrail'") for line in lines)
    assert not any("<-" in line for line in run("kind aws_region", DuckDBStore()))


def test_every_collected_kind_names_its_service() -> None:
    # `collect --kinds` finds the services by the kinds they declare: a kind no service names is never collected
    declared = {k for _, service in SERVICES.items() for k in service.kinds}
    made_by_the_runner = {"aws_account", "aws_region"}
    concrete = {k for k, kind in MODEL.kinds.items() if k.startswith("aws_") and not kind.abstract}
    assert concrete - declared - made_by_the_runner - {"aws_zone"} == set()


def test_what_services_write_on_the_account_is_in_the_model_and_the_policy() -> None:
    declared_kinds()
    props = {p.name for p in MODEL.props_of("aws_account")}
    assert ACCOUNT_DECLARED, "the iam service writes the password policy on the account"
    for declaration, name in ACCOUNT_DECLARED:
        service = SERVICES.get(name)
        assert service.global_ and set(service.account_props) == set(declaration.props) <= props
        assert {c.action for c in declaration.listing.calls} <= set(service.api_calls)
    lines = run("kind aws_account", DuckDBStore())
    length = next(line for line in lines if line.strip().startswith("minimum_password_length:"))
    assert length.endswith("<- iam GetAccountPasswordPolicy: MinimumPasswordLength")
    with pytest.raises(ValueError, match="only a global service"):
        aws_service("regional", on_account=AccountProperties(Listing("ec2", "DescribeRegions", None), {}))
