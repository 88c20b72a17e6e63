"""Open the store the config names."""

from __future__ import annotations

from cloudsift.config import Config
from cloudsift.errors import ConfigError
from cloudsift.store.base import Store


def open_store(config: Config) -> Store:
    url = config.store.url
    if not url:
        from cloudsift.store.duckdb import DuckDBStore

        config.home.mkdir(parents=True, exist_ok=True)
        return DuckDBStore(config.duckdb_path, memory_limit=config.store.duckdb_memory_limit)
    if url.startswith(("postgresql://", "postgres://")):
        from cloudsift.store.postgres import PostgresStore

        return PostgresStore(url, schema=config.store.schema_name)
    raise ConfigError(
        "store.url", f"expected empty (DuckDB) or a postgresql:// URL, not {url.split(':')[0]}://..."
    )
