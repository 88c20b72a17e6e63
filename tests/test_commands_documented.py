"""Every command documents itself with a summary and an example, and every example runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cloudsift import run
from cloudsift.commands import COMMANDS
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.duckdb import DuckDBStore


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_has_help_with_a_running_example(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = COMMANDS.get(name)
    text = cls.help()
    assert cls.summary(), f"{name} has no summary line"
    examples = re.findall(r"Example: `(.+)`", text)
    assert examples, f"{name} has no example in its help"
    (tmp_path / "estate.jsonl").write_bytes(b"".join(estate_lines(EstateSize())))
    monkeypatch.chdir(tmp_path)
    store = DuckDBStore()
    store.import_lines(estate_lines(EstateSize()))
    for example in examples:
        assert isinstance(run(example, store), list)
    store.close()
