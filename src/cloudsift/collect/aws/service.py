"""One registry of AWS services: each collects its resources of one (account, region)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cloudsift.collect.aws.accounts import Account
from cloudsift.collect.graph import GraphBuilder
from cloudsift.errors import UsageError
from cloudsift.registry import Registry

Collect = Callable[[Account, "Region", GraphBuilder], None]


@dataclass(frozen=True)
class Region:
    """The region being collected and its node; resources get ids below it."""

    account: str
    name: str

    @property
    def id(self) -> str:
        return f"aws/{self.account}/{self.name}"

    def node(self, resource_id: str) -> str:
        return f"{self.id}/{resource_id}"


@dataclass(frozen=True)
class Service:
    name: str
    collect: Collect
    api_calls: tuple[str, ...]
    global_: bool = False  # collected once per account (IAM, S3), under the pseudo-region "global"
    kinds: tuple[str, ...] = ()  # the kinds it collects (`collect --kinds` runs only the services of those)
    # the properties it writes on its account's node (a global service only: one partition per account)
    account_props: tuple[str, ...] = ()


SERVICES: Registry[Service] = Registry("AWS service")


# Fix's region_in_use: AWS makes these in every region by itself, so they do not make a region "in use"
MADE_BY_AWS = frozenset({
    "aws_athena_work_group", "aws_cloud_trail", "aws_ec2_internet_gateway", "aws_ec2_network_acl",
    "aws_ec2_security_group", "aws_ec2_subnet", "aws_ec2_route_table",
})  # fmt: skip
REGION_IN_USE_ABOVE = 3  # resources of one's own; fewer is what a fresh account has


def own_resources(nodes: dict[str, dict[str, Any]]) -> int:
    """How many of these nodes count toward their region being in use (a default VPC does not)."""
    return sum(
        1
        for reported in nodes.values()
        if reported["kind"] not in MADE_BY_AWS
        and not (reported["kind"] == "aws_vpc" and reported.get("vpc_is_default"))
    )


def services_for(kinds: Iterable[str] | None) -> list[Service]:
    """The services that collect these kinds (or their subkinds: `security_group`); all for None.
    An unknown kind is a UsageError naming it, with the kinds it may have meant."""
    if not kinds:
        return [s for _, s in SERVICES.items()]
    from cloudsift.model import MODEL

    wanted = {sub for kind in kinds for sub in MODEL.subkinds(MODEL.kind(kind).name)}
    found = [s for _, s in SERVICES.items() if wanted & set(s.kinds)]
    if not found:
        raise UsageError(f"no AWS service collects {', '.join(sorted(kinds))}")
    return found
