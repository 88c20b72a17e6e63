"""Suppressions: an owner, a reason and an expiry; suppressed findings shown as such; every change kept."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cloudsift.commands.base import Context
from cloudsift.commands.pipeline import run_line
from cloudsift.config import Config
from cloudsift.errors import UsageError
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store

SEED = "aws_ec2_sg_allow_ingress_from_internet_to_any_port"
FIRST = "123456789012"
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def estate(store: Store) -> Store:
    store.import_lines(estate_lines(EstateSize()))
    return store


def run(line: str, store: Store, now: dt.datetime = NOW) -> list[Any]:
    return list(run_line(line, Context(config=Config(), open_store=lambda: store, now=now)))


def seed(store: Store, now: dt.datetime = NOW) -> dict[str, Any]:
    (text,) = run(f"report checks run {SEED} --json", store, now)
    return dict(json.loads(text)["checks"][0])


def test_a_suppressed_resource_is_shown_as_such_and_no_longer_fails(estate: Store) -> None:
    first = seed(estate)["failing_resources"][0]
    (said,) = run(
        f'report suppress {SEED} --resource {first["id"]} --reason "lab network" --owner alice', estate
    )
    assert said == f"suppressed {SEED} resource {first['id']}: lab network (alice)"
    result = seed(estate)
    assert result["status"] == "failed" and result["failed"] == 3
    (muted,) = result["suppressed_resources"]
    assert (muted["id"], muted["suppressed_by"]) == (first["id"], "lab network (alice)")
    text = run(f"report checks run {SEED}", estate)
    assert any(line.endswith("(suppressed: lab network (alice))") and first["id"] in line for line in text)
    assert "(3 failed, 12 passed, 1 suppressed)" in text[1]


def test_a_whole_account_suppressed_passes_and_sarif_marks_the_suppressions(estate: Store) -> None:
    run(
        f'report suppress {SEED} --account {FIRST} --reason "sandbox" --owner "sec team" --until 2026-06-30',
        estate,
    )
    result = seed(estate)
    assert (result["status"], result["failed"], len(result["suppressed_resources"])) == ("passed", 0, 4)
    (text,) = run(f"report checks run {SEED} --sarif", estate)
    log = json.loads(text)
    jsonschema.validate(log, SCHEMA)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert len(suppressed) == 4
    assert suppressed[0]["suppressions"][0]["justification"] == "sandbox (sec team until 2026-06-30)"


def test_findings_come_back_when_the_suppression_expires(estate: Store) -> None:
    run(f'report suppress {SEED} --reason "migration" --owner bob --until 2026-06-30', estate)
    assert seed(estate)["failed"] == 0
    after = NOW + dt.timedelta(days=40)
    assert seed(estate, after)["failed"] == 4
    (_, row) = run("report suppressions --csv", estate, after)[0].splitlines()
    assert row.startswith(f"{SEED},*,*,bob,migration,") and row.endswith(",expired")


def test_every_change_is_kept_and_listed(estate: Store) -> None:
    run(f'report suppress {SEED} --reason "first try" --owner alice', estate)
    run(f'report suppress {SEED} --reason "second thoughts" --owner bob', estate, NOW + dt.timedelta(hours=1))
    (said,) = run(
        f"report unsuppress {SEED} --owner carol --reason fixed", estate, NOW + dt.timedelta(hours=2)
    )
    assert said == f"unsuppressed {SEED}"
    assert seed(estate)["failed"] == 4
    (text,) = run("report suppressions --history --json", estate)
    changes = [(c["change"], c["owner"], c["reason"]) for c in json.loads(text)]
    assert changes == [("suppress", "alice", "first try"), ("suppress", "bob", "second thoughts"),
                       ("unsuppress", "carol", "fixed")]  # fmt: skip


def test_bad_suppressions_are_refused(estate: Store) -> None:
    with pytest.raises(UsageError, match="needs --reason and --owner"):
        run(f"report suppress {SEED} --owner alice", estate)
    with pytest.raises(UsageError, match="is not in the future"):
        run(f"report suppress {SEED} --reason r --owner o --until 2026-01-01", estate)
    with pytest.raises(UsageError, match="needs a date such as 2027-01-31"):
        run(f"report suppress {SEED} --reason r --owner o --until soon", estate)
    with pytest.raises(UsageError, match="unknown check"):
        run("report suppress aws_ec2_nothing --reason r --owner o", estate)
    with pytest.raises(UsageError, match=f"no suppression of {SEED} for resource sg-1"):
        run(f"report unsuppress {SEED} --resource sg-1", estate)
