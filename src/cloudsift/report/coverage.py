"""Where a check can be judged: the places whose collections brought every kind it reads.

A check reads its result kinds and every kind its query names (`is(...)`, also inside `with(...)` and after
a navigation: 4.16's region needs the hubs below it; a `fix_cmd`'s, those its searches name). A place is an
(account, region) of the collection record (`collected_services`); a kind is there when a service that
provides it answered there once at least, or in the account's pseudo-region `global` (IAM, S3; a kind
collected per region is never expected there). An account-level node (the account itself) needs each kind in
`global` or in every region of its account. A place where a kind was never collected is left out of the
check: its resources neither fail nor pass, and the check says which places it could not judge. What a
failed service kept from an earlier success is judged as it was kept.

A check looks at the places holding its resources and, with a record, also at those where a service
providing its result kinds ran: one that answered and found nothing there leaves the kind collected and
empty (the check passes there with 0 resources); one that never answered leaves the place unjudged.

An account with no record at all (imported from a file, or collected before the store kept records) is
judged by its data, as before: nothing says what was collected there, so a kind without a resource in the
scope is not evaluated.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cloudsift.model import Model
from cloudsift.query import ast
from cloudsift.query.parser import parse_query
from cloudsift.store.base import CollectedService, PartitionStatus

GLOBAL = "global"
ACCOUNT_WIDE = "*"
# Kinds the collector writes for every place it collects, whatever services ran.
PLACE_KINDS = frozenset({"graph_root", "cloud", "aws_account", "aws_region", "aws_zone"})
ACCOUNT_KIND = "aws_account"

Place = tuple[str, str | None]  # (account id, region id); None: the account's own node


def _parts(query: ast.Query) -> Iterator[object]:
    """Every node of the query's tree."""
    pending: list[object] = [query]
    while pending:
        item = pending.pop()
        yield item
        if isinstance(item, tuple | list):
            pending.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            pending.extend(getattr(item, f.name) for f in dataclasses.fields(item))


def query_kinds(query: ast.Query) -> set[str]:
    """Every kind an `is()` of the query names, wherever it stands."""
    return {kind for item in _parts(query) if isinstance(item, ast.IsTerm) for kind in item.kinds}


def result_kinds_of(detector: str, text: str) -> list[str]:
    """The kinds a check's results are, as its query says: the `is()` kinds of the last part's term (not
    those inside a `not`, a context or a `with()`); for a command line, of its last search."""
    if detector == "fix_cmd":
        from cloudsift.commands.pipeline import parse_line
        from cloudsift.commands.search import searches_of

        searches = searches_of(parse_line(text))
        if not searches:
            return []
        text = searches[-1].query_text
    term = parse_query(text).parts[-1].term
    kinds: list[str] = []
    pending = [term]
    while pending:
        item = pending.pop(0)
        if isinstance(item, ast.CombinedTerm):
            pending += [item.left, item.right]
        elif isinstance(item, ast.IsTerm):
            kinds += [k for k in item.kinds if k not in kinds]
    return kinds


def account_properties(model: Model) -> set[str]:
    """The properties services write on the account's node (the password policy), not the collector."""
    account = model.kinds[ACCOUNT_KIND]
    inherited = {p.name for base in account.bases if base in model.kinds for p in model.kinds[base].props}
    return {p.name for p in account.props} - inherited - {"account_alias"}


def needed_kinds(
    result_kinds: Iterable[str], queries: Iterable[ast.Query], model: Model
) -> dict[str, frozenset[str]]:
    """The kinds a check reads that some service provides, each with its concrete subkinds; for a check of
    accounts, also the account properties its queries read (a record names those its service writes)."""
    queries = list(queries)
    kinds = set(result_kinds).union(*(query_kinds(q) for q in queries))
    needed = {
        kind: frozenset(model.subkinds(kind))
        for kind in sorted(kinds)
        if kind in model.kinds and kind not in PLACE_KINDS
    }
    if ACCOUNT_KIND in result_kinds and ACCOUNT_KIND in model.kinds:
        written = account_properties(model)
        for item in (part for query in queries for part in _parts(query)):
            if isinstance(item, ast.Predicate) and not item.path.absolute:
                name = item.path.segments[0].name
                if name in written:
                    needed[name] = frozenset({name})
    return needed


@dataclass(frozen=True)
class Unjudged:
    """The places a check cannot be judged in, and why (the first kind missing there)."""

    places: dict[Place, str]

    def __bool__(self) -> bool:
        return bool(self.places)

    def holds(self, account: str, region: str | None) -> bool:
        """Whether this (account, region) is one of the places (a region by its id)."""
        return (account, region or None) in self.places

    def term(self) -> ast.Term | None:
        """The search term that leaves these places out."""
        if not self.places:
            return None
        pieces = []
        by_account: dict[str, list[str | None]] = {}
        for account, region in self.places:
            by_account.setdefault(account, []).append(region)
        for account, regions in sorted(by_account.items()):
            named = sorted(r for r in regions if r is not None)
            where = [f"/ancestors.region.reported.id in {json.dumps(named)}"] if named else []
            if None in regions:
                where.append("/ancestors.region.reported.id == null")
            pieces.append(
                f"(/ancestors.account.reported.id == {json.dumps(account)} and ({' or '.join(where)}))"
            )
        return parse_query(f"not ({' or '.join(pieces)})").parts[0].term

    def reason(self, limit: int = 5) -> str:
        shown = [f"{a}/{r or 'account'} ({why})" for (a, r), why in sorted(self.places.items(), key=str)]
        more = f" and {len(shown) - limit} more" if len(shown) > limit else ""
        return f"not collected in {', '.join(shown[:limit])}{more}"


class Coverage:
    """What the collection record says was collected, per place."""

    def __init__(self, records: list[CollectedService], partitions: Iterable[PartitionStatus]) -> None:
        self.provided: dict[tuple[str, str], set[str]] = {}  # by services that answered once at least
        self.expected: dict[str, set[Place]] = {}  # kind -> where a service providing it ran, answered or not
        for record in records:
            found = self.provided.setdefault((record.account, record.region), set())
            if record.last_success is not None:
                found.update(record.provides)
            for kind in record.provides:
                self.expected.setdefault(kind, set()).add((record.account, record.region))
        self.recorded = {account for account, _ in self.provided}
        # kinds of services that run per region: the pseudo-region `global` never has them
        self.regional = {kind for r in records if r.region != GLOBAL for kind in r.provides}
        self.regions: dict[str, set[str]] = {}
        for status in partitions:
            if status.account in self.recorded and status.region not in (ACCOUNT_WIDE, GLOBAL):
                self.regions.setdefault(status.account, set()).add(status.region)
        for account, region in self.provided:
            if region != GLOBAL:
                self.regions.setdefault(account, set()).add(region)

    def expecting(self, concrete: Iterable[str], scope: set[Place]) -> set[Place]:
        """Of the scope's places, those where a service providing one of these kinds ran: the kinds belong
        there, found or not."""
        return {place for kind in concrete for place in self.expected.get(kind, ()) if place in scope}

    def unjudged(self, needed: dict[str, frozenset[str]], places: Iterable[Place]) -> Unjudged:
        """Of these places (of the check's scope), those a needed kind never reached."""
        missing: dict[Place, str] = {}
        for place in places:
            if place[0] in self.recorded:
                kind = next(self._missing(needed, place), None)
                if kind is not None:
                    # a needed kind, or an account property (named as it is, not aws_...)
                    missing[place] = (
                        f"no {kind} collected" if kind.startswith("aws_") else f"{kind} never read"
                    )
        return Unjudged(missing)

    def _missing(self, needed: dict[str, frozenset[str]], place: Place) -> Iterator[str]:
        account, region = place
        in_global = self.provided.get((account, GLOBAL), set())
        for kind, concrete in needed.items():
            if concrete & in_global or (region == GLOBAL and concrete & self.regional):
                continue
            if region is not None:
                if not concrete & self.provided.get((account, region), set()):
                    yield kind
            else:
                regions = self.regions.get(account, set())
                if not regions or any(not concrete & self.provided.get((account, r), set()) for r in regions):
                    yield kind
