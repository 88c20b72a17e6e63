"""What a store knows of a node an import's edges point at, and the levels of its ancestors (apart from
store/loader.py, so that a search, which reads no import file, does not import the loader)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LEVELS = ("cloud", "account", "region", "zone")


@dataclass(frozen=True)
class Known:
    """A node already in the store that the file's edges point at."""

    kind: str
    ancestors: Mapping[str, tuple[str | None, str | None]]  # level -> (reported id, name)
    cloud_node: str | None
