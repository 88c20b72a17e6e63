"""Stored partitions that a collection did not cover, and forgetting them on purpose.

A partition (account, region) that left the config (a region removed or misspelled, an account
dropped) is not clean: nothing says its resources are gone. Its data stays as it was, marked "no
longer configured", and the alerts on it stay open, until `collect --forget` retires it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from cloudsift.errors import UsageError, did_you_mean
from cloudsift.store.base import PartitionStatus, Store

CLOUD = "aws"
ACCOUNT_WIDE = "*"  # the region of an account's own status row: could it be reached at all


def forget_hint(status: PartitionStatus) -> str:
    """The command that retires a partition that left the config."""
    return (
        f"`collect --forget {status.account if status.region == ACCOUNT_WIDE else status.region}` retires it"
    )


def uncovered(
    stored: Iterable[PartitionStatus], collected: set[tuple[str, str]], reached: set[str], failed: set[str]
) -> list[PartitionStatus]:
    """The stored partitions this collection did not cover: neither collected, nor of an account that
    is configured but could not be reached (those keep their data as failed ones)."""
    gone = []
    for status in stored:
        if status.cloud != CLOUD or status.account in failed:
            continue
        if status.region == ACCOUNT_WIDE and status.account in reached:
            continue  # the account answered: its account-wide error is cleared by the caller
        if (status.account, status.region) in collected:
            continue
        gone.append(status)
    return gone


def marked(gone: Iterable[PartitionStatus], now: dt.datetime) -> list[PartitionStatus]:
    """The statuses to write for partitions that left the config; those marked before keep their date."""
    return [dataclasses.replace(s, unconfigured_since=now) for s in gone if s.unconfigured_since is None]


def place_query(account: str, region: str | None = None) -> str:
    """The query of one account's (or one partition's) stored nodes; names quoted as JSON strings are."""
    query = f"/ancestors.account.reported.id == {json.dumps(account)}"
    return query if region is None else f"{query} and /ancestors.region.reported.id == {json.dumps(region)}"


def kept_lines(store: Store, gone: list[PartitionStatus], reached: set[str]) -> Iterator[bytes]:
    """The stored data of the partitions that left the config, as import lines: the import replaces
    the whole cloud, so what is not written again would be deleted."""
    for account in sorted({s.account for s in gone if s.account not in reached}):
        yield from store.export(place_query(account), outside_parent=CLOUD)
    for status in gone:
        if status.account in reached and status.region != ACCOUNT_WIDE:
            yield from store.export(
                place_query(status.account, status.region), outside_parent=f"{CLOUD}/{status.account}"
            )


def forget(store: Store, name: str) -> list[str]:
    """Delete the data and status of the partitions `name` (a region, an account id or ACCOUNT/REGION)
    names; only partitions that left the config can be forgotten (a configured one would come back)."""
    stored = [s for s in store.partitions() if s.cloud == CLOUD]
    chosen = [s for s in stored if name in (s.account, s.region, f"{s.account}/{s.region}")]
    if not chosen:
        known = sorted({s.account for s in stored} | {s.region for s in stored if s.region != ACCOUNT_WIDE})
        raise UsageError(
            f"collect --forget: no collected region or account is named {name!r}.{did_you_mean(name, known)}"
            + ("" if known else " Nothing was collected yet.")
        )
    configured = [s for s in chosen if s.unconfigured_since is None]
    if configured:
        places = ", ".join(f"{s.account} {s.region}" for s in configured)
        raise UsageError(
            f"collect --forget {name}: still configured ({places}); the next collection would collect it again. "
            "Remove it from [aws] regions or accounts and collect, then forget it."
        )
    removed = _remove(store, {(s.account, s.region) for s in chosen})
    store.delete_partitions(chosen)
    return [f"Forgot {CLOUD} {s.account} {s.region} ({removed.get((s.account, s.region), 0)} resources)."
            for s in chosen if s.region != ACCOUNT_WIDE] or [f"Forgot {CLOUD} {name}."]  # fmt: skip


def _remove(store: Store, places: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Write the cloud again without these partitions (one import: atomic, its deletions kept as history);
    how many nodes each lost. An account all of whose partitions go loses every node below it too."""
    accounts = {account for account, _ in places}
    whole = {
        a for a in accounts if all((a, s.region) in places for s in store.partitions() if s.account == a)
    }
    kept: list[dict[str, Any]] = []
    removed: dict[tuple[str, str], int] = {}
    for doc in store.search(store.bind(f"/ancestors.cloud.reported.id == {json.dumps(CLOUD)}")):
        account = _ancestor(doc, "account")
        place = (account or "", _ancestor(doc, "region") or "")
        if place in places or account in whole:  # a whole account: also what hangs below it directly
            removed[place] = removed.get(place, 0) + 1
        else:
            kept.append(doc)
    ids = {d["id"] for d in kept}
    lines = [orjson.dumps({"id": d["id"], "reported": d["reported"]}) + b"\n" for d in kept]
    lines += [orjson.dumps({"from": source, "to": target, "edge_type": edge_type}) + b"\n"
              for source, target, edge_type in store.edges_to(sorted(ids)) if source in ids]  # fmt: skip
    store.import_lines(lines, replace=True)
    return removed


def _ancestor(doc: dict[str, Any], level: str) -> str | None:
    found = doc.get("ancestors", {}).get(level)
    return None if found is None else found["reported"]["id"]
