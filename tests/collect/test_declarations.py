"""The kind declarations against the data model: every declared property is a property of its kind."""

from __future__ import annotations

import re

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape

from cloudsift import run
from cloudsift.collect.aws.convert import Field, Nested, Source
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
    # a field a listing's read function adds names the call its value comes from
    lines = run("kind aws_ec2_instance", DuckDBStore())
    memory = next(line for line in lines if line.strip().startswith("instance_memory:"))
    assert memory.endswith(
        "<- ec2 DescribeInstanceTypes: MemoryInfo.SizeInMiB as mib_as_gib (made by instances_with_types)"
    )
    in_use = next(
        line for line in run("kind aws_vpc", DuckDBStore()) if line.strip().startswith("vpc_in_use:")
    )
    assert in_use.endswith("<- ec2 DescribeNetworkInterfaces: in_use (made by vpcs_in_use)")


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


# Kinds whose `read` function yields the API's own items (the key names where they are in the answer), with
# the keys its listing `fills`
READ_AS_ANSWERED = {"aws_ec2_instance", "aws_vpc", "aws_iam_user", "aws_iam_role", "aws_iam_policy"}


def _shape_at(shape: Shape | None, path: str) -> tuple[Shape | None, str | None]:
    """The shape at a dotted path (lists are walked through; a number indexes one), or why there is none;
    None for a shape not known here (a map's values, a listing's strings)."""
    for part in path.split(".") if path else ():
        while shape is not None and isinstance(shape, ListShape):
            shape = shape.member
        if shape is None or part.isdigit():
            continue
        if isinstance(shape, MapShape):
            return None, None
        if not isinstance(shape, StructureShape):
            return None, f"{shape.type_name} has no {part}"
        if part not in shape.members:
            return None, f"no {part}, only {sorted(shape.members)}"
        shape = shape.members[part]
    return shape, None


def _answer(service: str, operation: str, key: str | None) -> Shape | None:
    """The shape of one item of an operation's answer (at `key`); a list of strings is {"item": string}."""
    shape, _ = _shape_at(botocore.session.get_session().get_service_model(service).operation_model(operation).output_shape, key or "")  # fmt: skip
    while isinstance(shape, ListShape):
        shape = shape.member
    return shape if isinstance(shape, StructureShape) else None


def _mismatches(
    shapes: dict[str, Shape | None], fallback: Shape | None, sources: dict[str, Source]
) -> list[str]:
    """Each source whose path is not in its shape: the first part names a detail's or a parent's answer
    (`shapes`), else the path is in the listed item (`fallback`); struct and each mappings are walked too."""
    out = []
    for name, source in sources.items():
        spec = source if isinstance(source, Field) else Field(source)
        first, _, rest = spec.path.partition(".")
        shape, path = (shapes[first], rest) if first in shapes else (fallback, spec.path)
        found, why = _shape_at(shape, path) if shape is not None else (None, None)
        if why:
            out.append(f"{name} ({spec.path}): {why}")
        while isinstance(found, ListShape):
            found = found.member
        if isinstance(spec.convert, Nested) and isinstance(found, StructureShape):
            out += [f"{name}.{m}" for m in _mismatches({}, found, dict(spec.convert.mapping))]
    return out


def test_every_declared_path_is_in_the_answer_aws_gives() -> None:
    # botocore's service models are AWS's answers: a path that is in none is always empty (a network
    # interface's tags are its TagSet, not Tags as in the other EC2 lists)
    checked = 0
    for kind, (declaration, _) in sorted(declared_kinds().items()):
        listing = declaration.listing
        if listing.read is not None and kind not in READ_AS_ANSWERED:
            continue
        item = _answer(listing.service, listing.operation, listing.key)
        shapes: dict[str, Shape | None] = {added: None for added in listing.fills}
        for detail in declaration.details:
            call = detail.call(listing)
            shapes[detail.into] = _answer(call.service, call.operation, detail.key)
        if listing.per is not None:
            parent = listing.per.listing
            shapes[listing.per.into] = _answer(parent.service, parent.operation, parent.key)
        if item is None and listing.key is not None and _answer(listing.service, listing.operation, None):
            shapes["item"] = None  # a list of names: each item is {"item": name}
        sources: dict[str, Source] = {
            "id": declaration.id, **{n: s for n in ("name", "arn", "ctime", "mtime", "atime", "tags", "key")
                                     if (s := getattr(declaration, n)) is not None},
            **declaration.props,
            **{f"edge to {e.kind}": Field(e.path) for e in (*declaration.edges, *declaration.parent)},
        }  # fmt: skip
        assert _mismatches(shapes, item, sources) == [], kind
        checked += 1
    assert checked > 50
