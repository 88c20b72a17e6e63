"""The docs cannot rot: every command line in docs/*.md runs against the demo's sample estate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cloudsift import run
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.duckdb import DuckDBStore

DOCS = Path(__file__).resolve().parent.parent / "docs"
EXAMPLES = [
    (path.name, match.group(1))
    for path in sorted(DOCS.glob("*.md"))
    for match in re.finditer(r"^> (.+)$", path.read_text(), re.MULTILINE)
]


@pytest.fixture(scope="module")
def store() -> DuckDBStore:
    made = DuckDBStore()
    made.import_lines(estate_lines(EstateSize()))
    return made


@pytest.mark.parametrize(("doc", "line"), EXAMPLES, ids=[f"{d}:{line[:50]}" for d, line in EXAMPLES])
def test_documented_example_runs(store: DuckDBStore, doc: str, line: str) -> None:
    result = run(line, store)
    assert result, f"{doc}: `{line}` printed nothing"


def test_the_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 20


def test_configuration_reference_is_current() -> None:
    from cloudsift.config import config_reference

    assert (DOCS / "configuration.md").read_text() == config_reference(), "regenerate docs/configuration.md"


def test_data_model_reference_is_current(store: DuckDBStore) -> None:
    generated = "\n".join(run("kinds --markdown", store)) + "\n"
    assert (DOCS / "data-model.md").read_text() == generated, (
        "regenerate docs/data-model.md (cloudsift kinds --markdown)"
    )
