"""Cron schedules: five fields as in crontab (minute hour day month weekday), or six with seconds last."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from croniter import croniter

from cloudsift.errors import UsageError

# crontab's nicknames, spelled out here so that what each means is ours, not a library default.
NICKNAMES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def cron_fields(schedule: str) -> str:
    """The schedule's fields, a nickname (@daily) spelled out."""
    return NICKNAMES.get(schedule.strip().lower(), schedule)


def check_cron(schedule: str) -> str:
    """The schedule, or an error that says what a schedule looks like."""
    fields = cron_fields(schedule)
    if len(fields.split()) not in (5, 6) or not croniter.is_valid(fields):
        raise UsageError(
            f"{schedule!r} is not a cron schedule: five fields (minute hour day month weekday) such as "
            f"'0 * * * *' (hourly), six with seconds last, or one of {', '.join(NICKNAMES)}"
        )
    return schedule


def next_fire(schedule: str, after: dt.datetime, timezone: str = "UTC") -> dt.datetime:
    """The first time strictly after `after` at which the schedule fires, read in `timezone`, in UTC."""
    local = after.astimezone(ZoneInfo(timezone))
    fire: dt.datetime = croniter(cron_fields(schedule), local).get_next(dt.datetime)
    return fire.astimezone(dt.UTC)


def due(schedule: str, last: dt.datetime, now: dt.datetime, timezone: str = "UTC") -> bool:
    """Whether the schedule fired after `last` and up to `now` (missed fires count once)."""
    return next_fire(schedule, last, timezone) <= now
