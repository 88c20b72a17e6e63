"""A workflow run as it is kept: its id, outcome and summary, and its steps (one AWS service in one
account and region, or one worker's task), for `workflows history` and `workflows log RUN_ID`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from cloudsift.collect.steps import StepFailed, not_run, short_error
from cloudsift.store.base import Store

_STEP_COLUMNS = "run_id, account, region, service, started_at, seconds, resources, error"


@dataclass(frozen=True)
class Step:
    account: str
    region: str
    service: str  # a worker's task: its services, comma-separated
    started_at: dt.datetime | None
    seconds: float
    resources: int
    error: str | None = None  # None: it went well


def done_step(account: str, region: str, service: str, seconds: float, resources: int) -> Step:
    return Step(account, region, service, _since(seconds), seconds, resources)


def failed_step(account: str, region: str, service: str, failed: StepFailed) -> Step:
    error = failed.describe(service, account, region) if failed.timed_out else short_error(failed.error)
    return Step(account, region, service, _since(failed.seconds), failed.seconds, 0, error)


def not_run_step(account: str, region: str, service: str) -> Step:
    """A step not called: an earlier step of its partition timed out."""
    return Step(account, region, service, None, 0.0, 0, not_run([service]))


def _since(seconds: float) -> dt.datetime:
    """When a step that just ended after `seconds` started."""
    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)


def steps_json(steps: Iterable[Step]) -> str:
    """Steps as JSON, to keep on a worker's task row until the run's finish records them."""
    import orjson

    return orjson.dumps([asdict(step) for step in steps]).decode()


def steps_from_json(items: Iterable[dict[str, Any]]) -> list[Step]:
    return [Step(**{**item, "started_at": item["started_at"] and dt.datetime.fromisoformat(item["started_at"])})
            for item in items]  # fmt: skip


def new_run_id() -> str:
    """A run's id: short enough to type, unique enough for a store's history."""
    return uuid.uuid4().hex[:12]


def record_run(store: Store, run_id: str, workflow: str, started_at: dt.datetime, seconds: float,
               outcome: str, summary: str, steps: Iterable[Step]) -> None:  # fmt: skip
    """Write the run and its steps in one transaction."""
    names = [f.name for f in fields(Step)]
    with store.transaction():
        store.execute(
            "INSERT INTO workflow_runs (id, workflow, started_at, seconds, outcome, summary) VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, workflow, started_at, seconds, outcome, summary],
        )
        # a step's fields by name: astuple deep-copies each (a run of 10,000 accounts has millions)
        store.insert_rows("workflow_steps", _STEP_COLUMNS.split(", "),
                          ((run_id, *(getattr(step, name) for name in names)) for step in steps))  # fmt: skip


def steps_of(store: Store, run_id: str) -> list[Step]:
    rows = store.execute(
        f"SELECT {_STEP_COLUMNS} FROM workflow_steps WHERE run_id = ? ORDER BY account, region, service",
        [run_id],
    )
    return [Step(*row[1:]) for row in rows]
