"""head, tail, limit, chunk and list as a Resoto user types them, and their bad counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cloudsift.commands.base import Context
from cloudsift.commands.output import Table
from cloudsift.commands.pipeline import run_line
from cloudsift.config import load_config
from cloudsift.errors import CloudsiftError, UsageError
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store

NAMES = "search is(aws_ec2_security_group) sort name"


@pytest.fixture
def ctx(store: Store, tmp_path: Path) -> Context:
    (tmp_path / "config.toml").touch()
    store.import_lines(estate_lines(EstateSize(accounts=1, regions=1)))
    return Context(config=load_config(tmp_path / "config.toml", tmp_path), open_store=lambda: store)


def cli(ctx: Context, line: str) -> list[Any]:
    return list(run_line(line, ctx))


def _names(ctx: Context) -> list[str]:
    return [line.removeprefix("name=") for line in cli(ctx, f"{NAMES} | list name")]


def test_head_after_list_keeps_n_rows_in_a_terminal(ctx: Context) -> None:
    names = _names(ctx)
    ctx.terminal = True
    (table,) = cli(ctx, f"{NAMES} | list name, kind | head 2")
    assert isinstance(table, Table)
    assert table.header == ["name", "kind"]
    assert [row[0] for row in table.rows] == names[:2]
    (last,) = cli(ctx, f"{NAMES} | list name | tail -n 1")
    assert [row[0] for row in last.rows] == names[-1:]


def test_head_after_list_keeps_n_rows_of_csv_and_markdown(ctx: Context) -> None:
    names = _names(ctx)
    assert len(names) > 3
    assert cli(ctx, f"{NAMES} | list name --csv | head 2") == ["\n".join(["name", *names[:2]])]
    assert cli(ctx, f"{NAMES} | list name --markdown | tail 1") == ["| name |", "|---|", f"| {names[-1]} |"]
    assert cli(ctx, f"{NAMES} | list name --csv | limit 1, 2") == ["\n".join(["name", *names[1:3]])]
    assert cli(ctx, f"{NAMES} | list name | head 2") == [f"name={n}" for n in names[:2]]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("head -n -5", "head: -n needs a whole number from 0 to 9223372036854775807, not '-5'"),
        ("head -n 1e20", "head: -n needs a whole number from 0 to 9223372036854775807, not '1e20'"),
        ("tail -n -1", "tail: -n needs a whole number from 0 to 9223372036854775807, not '-1'"),
        ("head 99999999999999999999999", "head needs a whole number from 0 to 9223372036854775807"),
        ("head 1 2", "head takes one count"),
        ("chunk 0", "chunk needs a whole number from 1 to 9223372036854775807, not '0'"),
        ("chunk -1", "chunk needs a whole number from 1 to 9223372036854775807, not '-1'"),
        ("chunk lots", "chunk needs a whole number from 1 to 9223372036854775807, not 'lots'"),
    ],
)
@pytest.mark.parametrize("source", [NAMES, "json [1, 2, 3]"])
def test_a_bad_count_is_a_usage_error_before_anything_runs(
    ctx: Context, source: str, line: str, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        cli(ctx, f"{source} | {line}")
    assert str(caught.value) == message or str(caught.value).startswith(message)


@pytest.mark.parametrize(
    "limit", ["99999999999999999999999", "99999999999999999999999, 1", "1, 99999999999999999999999"]
)
@pytest.mark.parametrize("source", [NAMES, "json [1, 2, 3]"])
def test_a_limit_too_large_is_refused(ctx: Context, source: str, limit: str) -> None:
    # the query parser or the command refuses it, by name, before anything runs
    with pytest.raises(CloudsiftError, match=r"99999999999999999999999 is too large.*9223372036854775807"):
        cli(ctx, f"{source} | limit {limit}")


def test_good_counts(ctx: Context) -> None:
    assert cli(ctx, "json [1, 2, 3] | head -2") == [1, 2]  # Unix's `head -2`
    assert cli(ctx, "json [1, 2, 3] | head -n 0") == []
    assert cli(ctx, "json [1, 2, 3] | tail -n 2") == [2, 3]
    assert cli(ctx, "json [1, 2, 3] | chunk 2") == [[1, 2], [3]]
    assert cli(ctx, "json [1, 2, 3] | chunk") == [[1, 2, 3]]
    assert len(cli(ctx, f"{NAMES} | head 9223372036854775807")) == len(_names(ctx))


def test_kinds_name_shows_that_kind(ctx: Context) -> None:
    assert cli(ctx, "kinds aws_ec2_volume") == cli(ctx, "kind aws_ec2_volume")
    assert cli(ctx, "kinds aws_ec2_volume")[0].startswith("aws_ec2_volume: ")
    with pytest.raises(UsageError, match="Did you mean 'aws_ec2_volume'"):
        cli(ctx, "kinds aws_ec2_volum")
    with pytest.raises(UsageError, match="kinds takes at most one kind name"):
        cli(ctx, "kinds aws_ec2_volume aws_ec2_instance")


def test_kinds_lists_each_service_s_kinds_below_it(ctx: Context) -> None:
    lines = cli(ctx, "kinds")
    rds = lines.index("collected by the AWS service rds:")
    below = [line.strip().split(":")[0] for line in lines[rds + 1 : rds + 5]]
    assert below == ["aws_rds_cluster", "aws_rds_cluster_snapshot", "aws_rds_instance", "aws_rds_snapshot"]
    assert lines[rds + 5].startswith("collected by the AWS service ")
    ecs = lines.index("collected by the AWS service ecs:")
    assert lines[ecs + 1] == "  aws_ecs_cluster: aws_resource, resource"
    # the kinds no service collects come first, once: base kinds, the account and its regions
    first = lines[: next(i for i, line in enumerate(lines) if line.startswith("collected by"))]
    assert {"aws_account: account, aws_resource, resource", "database (abstract): resource"} <= set(first)
    assert not any(line.startswith("aws_rds_") for line in first)
    assert len(first) == len(set(first))
