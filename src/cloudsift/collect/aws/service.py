"""One registry of AWS services: each collects its resources of one (account, region)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cloudsift.collect.aws.accounts import Account
from cloudsift.collect.graph import GraphBuilder
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


SERVICES: Registry[Service] = Registry("AWS service")


def service(name: str, api_calls: tuple[str, ...], global_: bool = False) -> Callable[[Collect], Collect]:
    def add(collect: Collect) -> Collect:
        SERVICES.add(name, Service(name, collect, api_calls, global_))
        return collect

    return add
