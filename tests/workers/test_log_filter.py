"""The worker's log filter drops procrastinate's and psycopg.pool's records about a lost connection (the
worker says once per outage why it takes no tasks) and nothing else: a database's own errors keep theirs."""

from __future__ import annotations

import logging
import sys

import psycopg
import psycopg.errors
import pytest

from cloudsift.workers.worker import Worker


def _record(name: str, error: BaseException | None, message: str = "side task failed") -> logging.LogRecord:
    info = None
    if error is not None:
        try:
            raise RuntimeError("wrapped") from error
        except RuntimeError:
            info = sys.exc_info()
    return logging.LogRecord(name, logging.ERROR, __file__, 1, message, None, info)


@pytest.mark.parametrize(
    "error",
    [
        psycopg.OperationalError("connection failed: Connection refused"),
        ConnectionRefusedError(111, "Connection refused"),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
    ],
    ids=["refused", "socket", "server-shutting-down"],
)
def test_a_lost_connection_is_quiet(error: BaseException) -> None:
    assert not Worker._quiet(_record("procrastinate.worker", error))
    assert not Worker._quiet(_record("psycopg.pool", error))


@pytest.mark.parametrize(
    "error",
    [psycopg.errors.DiskFull("could not extend file"), psycopg.errors.QueryCanceled("canceling statement")],
    ids=["disk-full", "cancelled"],
)
def test_a_database_error_is_kept(error: BaseException) -> None:
    assert Worker._quiet(_record("procrastinate.worker", error))


def test_other_loggers_are_never_filtered() -> None:
    assert Worker._quiet(_record("cloudsift.workers", psycopg.OperationalError("connection failed")))


@pytest.mark.parametrize("message", ["discarding closed connection: %s", "discarding broken connection: %s"])
def test_the_pools_word_about_a_connection_lost_in_the_outage_is_quiet(message: str) -> None:
    record = logging.LogRecord("psycopg.pool", logging.WARNING, __file__, 1, message, ("<conn BAD>",), None)
    assert not Worker._quiet(record)
    assert Worker._quiet(
        logging.LogRecord("psycopg.pool", logging.WARNING, __file__, 1, "rolling back", None, None)
    )
