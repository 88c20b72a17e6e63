"""Shared fixtures: a store per engine. PostgreSQL is required in CI (CI=true) and skipped elsewhere."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from cloudsift.store.base import Store
from cloudsift.store.duckdb import DuckDBStore

POSTGRES_URL = os.environ.get("CLOUDSIFT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
_postgres_error: str | None = None


def postgres_available() -> str | None:
    """None when PostgreSQL answers, else why not."""
    global _postgres_error
    if _postgres_error is None:
        try:
            import psycopg

            psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
            _postgres_error = ""
        except Exception as e:  # any failure means: not available here
            _postgres_error = f"PostgreSQL at {POSTGRES_URL} is not available: {e}"
    return _postgres_error or None


def require_postgres() -> None:
    """Skip the test when PostgreSQL does not answer (fail it in CI)."""
    reason = postgres_available()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {reason}")
        pytest.skip(reason)


def _postgres_store() -> Store:
    require_postgres()
    from cloudsift.store.postgres import PostgresStore

    return PostgresStore(POSTGRES_URL, schema=f"test_{uuid.uuid4().hex[:12]}")


def _drop(store: Store) -> None:
    from cloudsift.store.postgres import PostgresStore

    if isinstance(store, PostgresStore):
        store.drop()
    store.close()


@pytest.fixture(params=["duckdb", "postgres"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """A fresh, empty store of each engine."""
    made = DuckDBStore() if request.param == "duckdb" else _postgres_store()
    yield made
    _drop(made)


@pytest.fixture(scope="module")
def engines() -> Iterator[dict[str, Store]]:
    """One store per engine for a whole module (property tests re-import into them)."""
    made: dict[str, Store] = {"duckdb": DuckDBStore()}
    try:
        made["postgres"] = _postgres_store()
    except pytest.skip.Exception as skipped:
        print(f"comparing DuckDB only: {skipped}")
    yield made
    for engine in made.values():
        _drop(engine)
