"""EC2 against moto: the network interfaces' tags (AWS answers them as `TagSet`), listed once per region for
their kind and the VPCs' vpc_in_use; an instance's memory and vCPUs from its type; route tables' names from their
tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

import cloudsift.collect.aws.ec2 as ec2_collector
from cloudsift.store.duckdb import DuckDBStore
from tests.collect.aws_fixture import AwsEmulator, Recorded, collected_region, record_calls
from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
from tests.collect.test_aws_managed_services import _one

REGION = "eu-west-1"


def _tagged(kind: str, **tags: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def _make_network_estate() -> dict[str, str]:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    named = ec2.create_network_interface(
        SubnetId=subnet, TagSpecifications=_tagged("network-interface", Name="frontend", team="web")
    )["NetworkInterface"]["NetworkInterfaceId"]
    bare = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.large", SubnetId=subnet
    )
    table = ec2.create_route_table(VpcId=vpc, TagSpecifications=_tagged("route-table", Name="public"))
    return {"vpc": vpc, "subnet": subnet, "named": named, "bare": bare, "instance": instance["Instances"][0]["InstanceId"],
            "table": table["RouteTable"]["RouteTableId"]}  # fmt: skip


@pytest.fixture
def collected(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[DuckDBStore, dict[str, str], Recorded]:
    made = _make_network_estate()
    calls = record_calls(monkeypatch)
    return collected_region(tmp_path, REGION), made, calls


def test_network_interfaces_have_their_tags_and_names(
    collected: tuple[DuckDBStore, dict[str, str], Recorded],
) -> None:
    store, made, _ = collected
    named = _one(store, f'is(aws_ec2_network_interface) and id == "{made["named"]}"')
    assert (named["name"], named["tags"]) == ("frontend", {"Name": "frontend", "team": "web"})
    bare = _one(store, f'is(aws_ec2_network_interface) and id == "{made["bare"]}"')
    assert (bare["name"], bare["tags"]) == (made["bare"], {})
    assert _one(store, "is(aws_ec2_network_interface) and tags.team == web")["id"] == made["named"]


def test_route_tables_are_named_by_their_name_tag_else_their_id(
    collected: tuple[DuckDBStore, dict[str, str], Recorded],
) -> None:
    store, made, _ = collected
    assert _one(store, f'is(aws_ec2_route_table) and id == "{made["table"]}"')["name"] == "public"
    tables = list(
        store.search(store.bind(f'is(aws_vpc) and id == "{made["vpc"]}" --> is(aws_ec2_route_table)'))
    )
    main = [t["reported"] for t in tables if t["reported"]["id"] != made["table"]]
    assert [t["name"] for t in main] == [t["id"] for t in main] and main  # the VPC's main table has no Name


def test_network_interfaces_are_listed_once_per_region_for_themselves_and_vpc_in_use(
    collected: tuple[DuckDBStore, dict[str, str], Recorded],
) -> None:
    store, made, calls = collected
    assert calls[(REGION, "ec2", "DescribeNetworkInterfaces")] == 1
    assert calls[(REGION, "ec2", "DescribeVpcs")] == 1
    assert _one(store, f'is(aws_vpc) and id == "{made["vpc"]}"')["vpc_in_use"] is True
    assert (
        store.count(store.bind("is(aws_vpc) and vpc_in_use == false")) == 1
    )  # the default VPC: nothing in it
    assert _one(store, f'is(aws_ec2_subnet) and id == "{made["subnet"]}" --> is(aws_ec2_network_interface) '
                       'and tags.team == web')["id"] == made["named"]  # fmt: skip


def test_an_instance_has_the_memory_of_its_type(
    collected: tuple[DuckDBStore, dict[str, str], Recorded],
) -> None:
    store, made, calls = collected
    instance = _one(store, f'is(aws_ec2_instance) and id == "{made["instance"]}"')
    assert (instance["instance_type"], instance["instance_memory"]) == ("m5.large", 8.0)
    assert calls[(REGION, "ec2", "DescribeInstanceTypes")] == 1


def test_instances_and_volumes_have_what_fix_reads_of_them(
    collected: tuple[DuckDBStore, dict[str, str], Recorded],
) -> None:
    store, made, _ = collected
    instance = _one(store, f'is(aws_ec2_instance) and id == "{made["instance"]}"')
    zone = instance["instance_placement"]["availability_zone"]
    assert zone.startswith(REGION) and instance["instance_placement"]["tenancy"] == "default"
    assert (instance["instance_root_device_name"], instance["instance_source_dest_check"]) == (
        "/dev/sda1",
        True,
    )
    assert (instance["instance_hypervisor"], instance["instance_virtualization_type"]) == ("xen", "hvm")
    assert instance["instance_ami_launch_index"] == 0 and instance["instance_client_token"]
    [root] = instance["instance_block_device_mappings"]
    assert (root["device_name"], root["ebs"]["delete_on_termination"], root["ebs"]["status"]) == (
        "/dev/sda1", True, "attached")  # fmt: skip
    volume = _one(store, f'is(aws_ec2_volume) and id == "{root["ebs"]["volume_id"]}"')
    assert volume["availability_zone"] == zone
    [attachment] = volume["volume_attachments"]
    assert (attachment["instance_id"], attachment["device"], attachment["state"]) == (
        made["instance"], "/dev/sda1", "attached")  # fmt: skip
    # the Fix-style search of a volume that goes with its instance
    found = "is(aws_ec2_instance) and instance_block_device_mappings[*].ebs.delete_on_termination == true"
    assert _one(store, found)["id"] == made["instance"]


def test_instance_types_are_described_at_most_a_hundred_a_call(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for size in ("m5.large", "t3.micro", "t3.micro"):
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType=size)
    monkeypatch.setattr(ec2_collector, "DESCRIBE_INSTANCE_TYPES_AT_ONCE", 1)  # as if there were 101 types
    calls = record_calls(monkeypatch)
    store = collected_region(tmp_path, REGION)
    assert calls[(REGION, "ec2", "DescribeInstanceTypes")] == 2
    memory = {d["reported"]["instance_type"]: d["reported"]["instance_memory"]
              for d in store.search(store.bind("is(aws_ec2_instance)"))}  # fmt: skip
    assert memory == {"m5.large": 8.0, "t3.micro": 1.0}


def test_an_instance_has_the_default_vcpus_of_its_type_as_fix_has_them(
    aws: AwsEmulator,  # noqa: F811
    tmp_path: Path,
) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    narrowed = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.xlarge",
                                 CpuOptions={"CoreCount": 1, "ThreadsPerCore": 1})["Instances"][0]["InstanceId"]  # fmt: skip
    plain = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]
    store = collected_region(tmp_path, REGION)
    instance = _one(store, f'is(aws_ec2_instance) and id == "{narrowed}"')
    # Fix copies its instance type's VCpuInfo.DefaultVCpus: 4 for an m5.xlarge, whatever it was launched with
    assert instance["instance_cores"] == 4  # (moto answers no CpuOptions: cores x threads was null here)
    assert _one(store, f'is(aws_ec2_instance) and id == "{plain["InstanceId"]}"')["instance_cores"] == 2
    assert {d["reported"]["id"] for d in store.search(store.bind("is(instance) and instance_cores > 2"))} == {
        narrowed
    }


def test_an_instance_of_an_unknown_type_has_its_core_count() -> None:
    # where DescribeInstanceTypes did not describe the type, Fix's own first mapping: CpuOptions.CoreCount
    launched = {"CpuOptions": {"CoreCount": 3, "ThreadsPerCore": 2}}
    assert ec2_collector.cores({**launched, "type": None}) == 3
    assert ec2_collector.cores({**launched, "type": {"VCpuInfo": {"DefaultVCpus": 8}}}) == 8
    assert ec2_collector.cores({}) is None
