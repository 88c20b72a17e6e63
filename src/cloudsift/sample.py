"""A generated AWS estate in Resoto's merge format, for the demo, the tests and the benchmarks.

Deterministic for a given seed. A few security groups break the baseline on purpose: one
allows every protocol from 0.0.0.0/0, one from ::/0, and one splits the "-1" rule and the
0.0.0.0/0 range across two permissions (which must NOT match the seed query).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

ACCOUNTS = (("123456789012", "prod"), ("210987654321", "dev"), ("111122223333", "staging"))
REGIONS = ("us-east-1", "eu-central-1", "us-west-2", "ap-southeast-1")
INSTANCE_TYPES = (
    ("t3.micro", 2, 1.0),
    ("m5.large", 2, 8.0),
    ("c5.2xlarge", 8, 16.0),
    ("r5.4xlarge", 16, 128.0),
)


@dataclass(frozen=True)
class EstateSize:
    accounts: int = 2
    regions: int = 2
    vpcs: int = 1
    security_groups: int = 4
    instances: int = 3
    volumes: int = 3

    @property
    def resources(self) -> int:
        per_region = 1 + self.vpcs * (2 + self.security_groups + self.instances + self.volumes)
        return 1 + self.accounts * (1 + self.regions * per_region)


def _line(doc: dict[str, Any]) -> bytes:
    return orjson.dumps(doc) + b"\n"


def _node(node_id: str, kind: str, rid: str, name: str, ctime: str, **props: Any) -> bytes:
    reported = {"kind": kind, "id": rid, "name": name, "ctime": ctime, "tags": props.pop("tags", {}), **props}
    return _line({"id": node_id, "reported": reported})


def _edge(source: str, target: str) -> bytes:
    return _line({"from": source, "to": target, "edge_type": "default"})


def _permission(
    protocol: str, cidr: str | None = None, cidr6: str | None = None, port: int | None = None
) -> dict[str, Any]:
    return {
        "ip_protocol": protocol,
        "from_port": port,
        "to_port": port,
        "ip_ranges": [{"cidr_ip": cidr, "description": "office"}] if cidr else [],
        "ipv6_ranges": [{"cidr_ipv6": cidr6, "description": None}] if cidr6 else [],
        "prefix_list_ids": [],
        "user_id_group_pairs": [],
    }


def security_group_rules(index: int, rng: random.Random) -> list[dict[str, Any]]:
    """Rules of the n-th security group of a region: the first three show the interesting cases."""
    if index == 0:
        return [_permission("-1", cidr="0.0.0.0/0")]
    if index == 1:
        return [_permission("tcp", cidr="10.0.0.0/8", port=22), _permission("-1", cidr6="::/0")]
    if index == 2:
        return [_permission("-1", cidr="10.0.0.0/8"), _permission("tcp", cidr="0.0.0.0/0", port=443)]
    return [_permission("tcp", cidr=f"10.{rng.randrange(256)}.0.0/16", port=rng.choice((22, 80, 443, 5432)))]


def estate_lines(size: EstateSize = EstateSize(), seed: int = 7, violations: bool = True) -> Iterator[bytes]:
    """The estate as JSON lines (nodes and edges)."""
    rng = random.Random(seed)
    yield _node("aws", "cloud", "aws", "aws", "2020-01-01T00:00:00Z")
    for a in range(size.accounts):
        number, alias = ACCOUNTS[a] if a < len(ACCOUNTS) else (f"{100000000000 + a}", f"account-{a}")
        account = f"aws/{number}"
        yield _node(account, "aws_account", number, alias, "2020-01-02T00:00:00Z", account_alias=alias)
        yield _edge("aws", account)
        for r in range(size.regions):
            region_name = REGIONS[r] if r < len(REGIONS) else f"region-{r}"
            region = f"{account}/{region_name}"
            yield _node(region, "aws_region", region_name, region_name, "2020-01-03T00:00:00Z")
            yield _edge(account, region)
            yield from _region(region, number, region_name, size, rng, violations and a == 0)


def _region(
    region: str, account: str, region_name: str, size: EstateSize, rng: random.Random, violations: bool
) -> Iterator[bytes]:
    arn = f"arn:aws:ec2:{region_name}:{account}"
    for v in range(size.vpcs):
        vpc_id = f"vpc-{rng.getrandbits(32):08x}"
        vpc = f"{region}/{vpc_id}"
        yield _node(
            vpc,
            "aws_vpc",
            vpc_id,
            f"main-{v}",
            "2021-03-01T10:00:00Z",
            arn=f"{arn}:vpc/{vpc_id}",
            vpc_cidr_block="10.0.0.0/16",
            vpc_is_default=v == 0,
            vpc_state="available",
        )
        yield _edge(region, vpc)
        subnet_id = f"subnet-{rng.getrandbits(32):08x}"
        subnet = f"{region}/{subnet_id}"
        yield _node(
            subnet,
            "aws_ec2_subnet",
            subnet_id,
            f"private-{v}",
            "2021-03-01T10:05:00Z",
            arn=f"{arn}:subnet/{subnet_id}",
            subnet_cidr_block="10.0.1.0/24",
            subnet_map_public_ip_on_launch=False,
            subnet_available_ip_address_count=250,
        )
        yield _edge(vpc, subnet)
        groups = []
        for g in range(size.security_groups):
            sg_id = f"sg-{rng.getrandbits(40):010x}"
            sg = f"{region}/{sg_id}"
            groups.append(sg)
            index = g if violations and v == 0 else g + 3
            yield _node(
                sg,
                "aws_ec2_security_group",
                sg_id,
                f"sg-{['open-all', 'open-v6', 'split', 'web'][min(index, 3)]}-{g}",
                f"2022-0{1 + g % 9}-15T08:00:00Z",
                arn=f"{arn}:security-group/{sg_id}",
                description="managed by cloudsift sample",
                tags={"owner": rng.choice(("alice", "bob", "ops"))},
                group_ip_permissions=security_group_rules(index, rng),
                group_ip_permissions_egress=[_permission("-1", cidr="0.0.0.0/0")],
            )
            yield _edge(vpc, sg)
        for i in range(size.instances):
            instance_id = f"i-{rng.getrandbits(60):015x}"
            instance = f"{region}/{instance_id}"
            itype, cores, memory = rng.choice(INSTANCE_TYPES)
            yield _node(
                instance,
                "aws_ec2_instance",
                instance_id,
                f"app-{i}",
                f"2023-0{1 + i % 9}-01T12:00:00Z",
                arn=f"{arn}:instance/{instance_id}",
                instance_type=itype,
                instance_cores=cores,
                instance_memory=memory,
                instance_status=rng.choice(("running", "running", "stopped")),
                instance_private_ip_address=f"10.0.1.{10 + i % 240}",
                tags={"app": rng.choice(("api", "web", "batch"))},
            )
            yield _edge(subnet, instance)
            if groups:
                yield _edge(groups[i % len(groups)], instance)
            if i < size.volumes:
                volume_id = f"vol-{rng.getrandbits(60):015x}"
                volume = f"{region}/{volume_id}"
                yield _node(
                    volume,
                    "aws_ec2_volume",
                    volume_id,
                    f"data-{i}",
                    "2023-05-01T00:00:00Z",
                    arn=f"{arn}:volume/{volume_id}",
                    volume_size=rng.choice((8, 100, 500)),
                    volume_type="gp3",
                    volume_status="in-use",
                    volume_encrypted=rng.random() < 0.7,
                )
                yield _edge(instance, volume)
        for i in range(size.instances, size.volumes):
            volume_id = f"vol-{rng.getrandbits(60):015x}"
            volume = f"{region}/{volume_id}"
            yield _node(
                volume,
                "aws_ec2_volume",
                volume_id,
                f"orphan-{i}",
                "2023-05-01T00:00:00Z",
                arn=f"{arn}:volume/{volume_id}",
                volume_size=20,
                volume_type="gp2",
                volume_status="available",
                volume_encrypted=False,
            )
            yield _edge(region, volume)
