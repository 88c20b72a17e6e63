"""cloudsift: an always-fresh inventory of your cloud resources, searchable, with alerts.

The library API: open a store, run a command line.

    >>> from cloudsift import open_inventory, run
    >>> with open_inventory() as store: ...
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cloudsift.store.base import Store


def open_inventory(url: str = "", home: str | None = None) -> Store:
    """Open the inventory: DuckDB under `home` (or $CLOUDSIFT_HOME), or PostgreSQL for a postgresql:// url."""
    from pathlib import Path

    from cloudsift.config import load_config
    from cloudsift.store.open import open_store

    config = load_config(home=Path(home) if home else None)
    if url:
        config.store.url = url
    return open_store(config)


def run(line: str, store: Store, list_nodes: bool = True) -> list[Any]:
    """Run one command line against a store; returns the elements it produced (nodes as lines of
    `list`, or as documents with `list_nodes=False`)."""
    from cloudsift.commands.pipeline import run_line
    from cloudsift.config import load_config
    from cloudsift.context import Context

    ctx = Context(config=load_config(), open_store=lambda: store)
    return list(run_line(line, ctx, list_nodes))


__all__ = ["__version__", "open_inventory", "run"]
