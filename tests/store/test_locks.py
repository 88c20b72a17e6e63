"""A PostgreSQL store's locks are its schema's: stores on other schemas of the same database do not
hold each other's (a collection or a delivery on one does not stop those on another)."""

from __future__ import annotations

import uuid

from cloudsift.store.postgres import PostgresStore
from tests.conftest import POSTGRES_URL, require_postgres


def test_a_lock_held_on_one_schema_is_free_on_another_and_taken_on_the_same() -> None:
    require_postgres()
    schema, other = f"test_{uuid.uuid4().hex[:12]}", f"test_{uuid.uuid4().hex[:12]}"
    stores = [PostgresStore(POSTGRES_URL, schema=name) for name in (schema, schema, other)]
    try:
        with (
            stores[0].hold("collect") as first,
            stores[1].hold("collect") as same,
            stores[2].hold("collect") as elsewhere,
        ):
            assert (first, same, elsewhere) == (True, False, True)
    finally:
        stores[0].drop()
        stores[2].drop()
        for store in stores:
            store.close()
