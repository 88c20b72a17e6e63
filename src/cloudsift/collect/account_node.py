"""The cloud's and the accounts' nodes, written at the end of a collection: who each account is, and the
properties services write on it (the iam service: the password policy).

A service's account properties come from this collection when it ran in the account's global partition and
that partition was collected cleanly. Otherwise (the partition failed, or `collect --kinds` left the
service out) the account keeps the values it had in the store: a check never passes because the policy
could not be read, and an account whose properties were never read has none of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from cloudsift.collect.aws.service import SERVICES
from cloudsift.collect.graph import edge_line, node_line
from cloudsift.store.base import Store

# account -> service -> what that service found for the account, from clean global partitions only
Found = Mapping[str, Mapping[str, Mapping[str, Any]]]


def head_lines(store: Store, accounts: Iterable[tuple[str, str | None]], found: Found) -> Iterator[bytes]:
    """The cloud's node and those of the (id, alias) accounts that were reached."""
    writers = [(s.name, s.account_props) for _, s in SERVICES.items() if s.account_props]
    accounts = list(accounts)
    stale = [a for a, _ in accounts if any(name not in found.get(a, {}) for name, _ in writers)]
    stored = _stored(store, stale) if stale else {}
    yield node_line("aws", {"kind": "cloud", "id": "aws", "name": "aws"})
    for account, alias in accounts:
        reported: dict[str, Any] = {"kind": "aws_account", "id": account, "name": alias or account,
                                    "account_alias": alias}  # fmt: skip
        for name, props in writers:
            source = found.get(account, {}).get(name)
            values = stored.get(account, {}) if source is None else source
            reported.update({prop: values[prop] for prop in props if values.get(prop) is not None})
        yield node_line(f"aws/{account}", reported)
        yield edge_line("aws", f"aws/{account}")


def _stored(store: Store, accounts: list[str]) -> dict[str, dict[str, Any]]:
    """What the store holds of these accounts' nodes, by account id."""
    query = store.bind(f"is(aws_account) and id in {json.dumps(accounts)}")
    return {doc["reported"]["id"]: doc["reported"] for doc in store.search(query)}
