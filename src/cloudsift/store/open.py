"""Open the store the config names."""

from __future__ import annotations

import os
from pathlib import Path

from cloudsift.config import Config
from cloudsift.errors import ConfigError
from cloudsift.home import private_file, private_home
from cloudsift.store.base import Store


def make_home(home: Path) -> Path:
    """The data directory, created when missing; one that cannot hold the store is a clear error."""
    if home.exists() and not home.is_dir():
        raise ConfigError(
            "home", f"{home} is a file, not a directory; name a directory (--home, $CLOUDSIFT_HOME)"
        )
    try:
        private_home(home)
    except OSError as e:
        raise ConfigError(
            "home",
            f"cannot create {home}: {e.strerror or e}; name a directory you can write (--home, $CLOUDSIFT_HOME)",
        ) from None
    if not os.access(home, os.W_OK | os.X_OK):
        raise ConfigError(
            "home", f"{home} is not writable; name a directory you can write (--home, $CLOUDSIFT_HOME)"
        )
    return home


def open_store(config: Config) -> Store:
    url = config.store.url
    if not url:
        from cloudsift.store.duckdb import DuckDBStore

        make_home(config.home)
        store = DuckDBStore(config.duckdb_path, memory_limit=config.store.duckdb_memory_limit)
        for path in (config.duckdb_path, config.duckdb_path.with_name(config.duckdb_path.name + ".wal")):
            if path.exists():  # alert bodies and the outbox are in it
                private_file(path)
        return store
    if url.startswith(("postgresql://", "postgres://")):
        from cloudsift.store.postgres import PostgresStore

        try:
            import psycopg  # noqa: F401 (the optional driver: say which extra brings it)
        except ModuleNotFoundError:
            raise ConfigError(
                "store.url",
                "a PostgreSQL store needs the psycopg driver, which is not installed: "
                "install `pip install 'cloudsift[postgres]'`",
            ) from None

        return PostgresStore(url, schema=config.store.schema)
    raise ConfigError(
        "store.url", f"expected empty (DuckDB) or a postgresql:// URL, not {url.split(':')[0]}://..."
    )
