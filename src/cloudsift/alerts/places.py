"""Where the resources of an alert live, for sinks that show them as text: cloud, account, region."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class Place:
    cloud: str
    account: str
    region: str

    def __str__(self) -> str:
        return f"{self.cloud} {self.account} {self.region}"


def where(node: dict[str, Any], level: str, missing: str | None = None) -> str:
    """The node's cloud, account or region as people read it: an account as "name (id)"."""
    found = ((node.get("ancestors") or {}).get(level) or {}).get("reported") or {}
    name, rid = found.get("name"), found.get("id")
    if level == "account" and name and rid and name != rid:
        return f"{name} ({rid})"
    return str(name or rid or (missing if missing is not None else f"no {level}"))


def by_place(nodes: Iterable[dict[str, Any]]) -> dict[Place, list[Resource]]:
    """The resources grouped by where they live, places and resources in a stable order."""
    grouped: dict[Place, list[Resource]] = {}
    for node in nodes:
        reported = node.get("reported") or {}
        place = Place(where(node, "cloud"), where(node, "account"), where(node, "region"))
        rid = str(reported.get("id") or node.get("id"))
        grouped.setdefault(place, []).append(
            Resource(rid, str(reported.get("name") or rid), str(reported.get("kind") or ""))
        )
    return {p: sorted(grouped[p], key=lambda r: (r.kind, r.name, r.id)) for p in sorted(grouped, key=str)}


def common_label(nodes: list[dict[str, Any]], level: str) -> str | None:
    """The one cloud, account or region every resource shares (by id), or None."""
    values = {(((n.get("ancestors") or {}).get(level) or {}).get("reported") or {}).get("id") for n in nodes}
    return str(values.pop()) if len(values) == 1 and None not in values else None


def text_lines(grouped: dict[Place, list[Resource]], limit: int) -> tuple[list[str], int]:
    """One line per place and one per resource, at most `limit` resources; how many were left out."""
    lines: list[str] = []
    shown = 0
    total = sum(len(r) for r in grouped.values())
    for place, resources in grouped.items():
        if shown >= limit:
            break
        lines.append(f"{place}:")
        for resource in resources[: limit - shown]:
            lines.append(f"  {resource.kind} {resource.name} ({resource.id})" if resource.name != resource.id
                         else f"  {resource.kind} {resource.id}")  # fmt: skip
            shown += 1
    return lines, total - shown
