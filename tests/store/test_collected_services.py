"""The record of each collected (account, region, service), written in one statement on both engines."""

from __future__ import annotations

import datetime as dt

from cloudsift.store.base import CollectedService, Store

FIRST = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
LATER = FIRST + dt.timedelta(hours=1)


def _record(
    service: str, when: dt.datetime, error: str | None = None, region: str = "us-east-1"
) -> CollectedService:
    return CollectedService("aws", "123456789012", region, service, (f"aws_{service}_thing",), error, when)


def test_services_are_upserted_at_once_the_last_record_of_a_place_winning_and_a_failure_keeping_its_last_success(
    store: Store,
) -> None:
    many = [_record(f"svc{i}", FIRST, region=r) for r in ("us-east-1", "eu-west-1") for i in range(40)]
    store.record_partitions(
        [], [*many, _record("svc0", FIRST, "AccessDenied")]
    )  # the same place twice: the last
    got = {(r.region, r.service): r for r in store.collected_services()}
    assert len(got) == 80
    assert (
        got[("us-east-1", "svc0")].error == "AccessDenied" and got[("us-east-1", "svc0")].last_success is None
    )
    assert got[("eu-west-1", "svc39")].last_success == FIRST and got[("eu-west-1", "svc39")].provides == (
        "aws_svc39_thing",
    )
    store.record_partitions([], [_record("svc1", LATER, "throttled"), _record("svc0", LATER)])
    got = {(r.region, r.service): r for r in store.collected_services()}
    assert (got[("us-east-1", "svc1")].error, got[("us-east-1", "svc1")].last_success) == ("throttled", FIRST)
    assert (got[("us-east-1", "svc0")].error, got[("us-east-1", "svc0")].last_success) == (None, LATER)
    assert got[("us-east-1", "svc1")].collected_at == LATER and len(got) == 80
