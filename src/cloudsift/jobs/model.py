"""A job as stored: its line and its triggers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cloudsift.errors import UsageError, did_you_mean
from cloudsift.store.base import Store

# The collect workflow's events, in order (collect/runner.py emits them; defined here, away from boto3).
EVENTS = ("pre_collect", "collect", "merge_outer_edges", "post_collect")
# A job with a schedule and an event waits this long for the event when it has no timeout of its own.
DEFAULT_EVENT_WAIT = 3600


@dataclass(frozen=True)
class Job:
    id: str
    line: str
    schedule: str | None
    wait_for_event: str | None
    timeout: int | None
    active: bool
    created_at: dt.datetime

    @property
    def trigger(self) -> str:
        parts = []
        if self.schedule:
            parts.append(f"schedule {self.schedule}")
        if self.wait_for_event:
            parts.append(f"event {self.wait_for_event}")
        return " and ".join(parts) or "manual"


def load_jobs(store: Store, job_id: str | None = None) -> list[Job]:
    rows = store.execute(
        "SELECT id, line, schedule, wait_for_event, timeout, active, created_at FROM jobs "
        "WHERE (CAST(? AS VARCHAR) IS NULL OR id = ?) ORDER BY id",
        [job_id, job_id],
    )
    return [Job(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]


def load_job(store: Store, job_id: str) -> Job:
    found = load_jobs(store, job_id)
    if not found:
        known = [j.id for j in load_jobs(store)]
        raise UsageError(f"no job {job_id!r}.{did_you_mean(job_id, known)}")
    return found[0]
