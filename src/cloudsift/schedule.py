"""Cron schedules: five fields as in crontab (minute hour day month weekday), or six with seconds last."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from croniter import croniter

from cloudsift.errors import UsageError


def check_cron(schedule: str) -> str:
    """The schedule, or an error that says what a schedule looks like."""
    if len(schedule.split()) not in (5, 6) or not croniter.is_valid(schedule):
        raise UsageError(
            f"{schedule!r} is not a cron schedule: five fields (minute hour day month weekday) such as "
            "'0 * * * *' (hourly), or six with seconds last"
        )
    return schedule


def next_fire(schedule: str, after: dt.datetime, timezone: str = "UTC") -> dt.datetime:
    """The first time strictly after `after` at which the schedule fires, read in `timezone`, in UTC."""
    local = after.astimezone(ZoneInfo(timezone))
    fire: dt.datetime = croniter(schedule, local).get_next(dt.datetime)
    return fire.astimezone(dt.UTC)


def due(schedule: str, last: dt.datetime, now: dt.datetime, timezone: str = "UTC") -> bool:
    """Whether the schedule fired after `last` and up to `now` (missed fires count once)."""
    return next_fire(schedule, last, timezone) <= now
