"""successors, predecessors, descendants, ancestors as Resoto has them, and sleep, env, clear."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from cloudsift import run
from cloudsift.errors import UsageError
from cloudsift.sample import EstateSize, estate_lines
from cloudsift.store.base import Store


@pytest.fixture
def estate(store: Store) -> Iterator[Store]:
    store.import_lines(estate_lines(EstateSize()))
    yield store


def _ids(store: Store, line: str) -> list[str]:
    return sorted(str(node["id"]) for node in run(line, store, list_nodes=False))


@pytest.mark.parametrize(
    ("command", "navigation"),
    [
        ("successors", "-->"),
        ("predecessors", "<--"),
        ("descendants", "-[1:]->"),
        ("ancestors", "<-[1:]-"),
        ("successors --with-origin", "-[0:1]->"),
        ("ancestors --with-origin", "<-[0:]-"),
        ("descendants delete", "-delete[1:]->"),
    ],
)
@pytest.mark.parametrize(
    "query", ["is(aws_ec2_volume) and volume_size > 100", "is(aws_vpc)", "is(aws_account)"]
)
def test_a_walk_is_the_search_with_one_more_navigation(
    estate: Store, command: str, navigation: str, query: str
) -> None:
    walked = _ids(estate, f"search {query} | {command}")
    assert walked == _ids(estate, f"search {query} {navigation} all")


def test_ancestors_of_a_volume_reach_its_instance_region_account_and_cloud(estate: Store) -> None:
    kinds = {str(n["reported"]["kind"]) for n in run("search is(aws_ec2_volume) limit 1 | ancestors", estate,
                                                      list_nodes=False)}  # fmt: skip
    assert {"aws_ec2_instance", "aws_region", "aws_account", "cloud"} <= kinds
    assert "aws_ec2_volume" not in kinds


def test_a_walk_needs_the_nodes_of_a_search(estate: Store) -> None:
    with pytest.raises(UsageError, match="walks from the nodes of a search"):
        run("echo hi | ancestors", estate)
    with pytest.raises(UsageError, match="unknown edge type 'acl'; known: default, delete, iam"):
        run("search is(aws_vpc) | successors acl", estate)


def test_a_walk_over_iam_edges_follows_those_of_an_imported_graph(estate: Store) -> None:
    instances = _ids(estate, "search is(aws_ec2_instance)")[:1]
    volumes = _ids(estate, "search is(aws_ec2_volume)")[-2:]
    estate.import_lines([f'{{"from": "{instances[0]}", "to": "{b}", "edge_type": "iam"}}' for b in volumes])
    assert _ids(estate, f'search id("{instances[0]}") | successors iam') == volumes
    assert _ids(estate, f'search id("{volumes[0]}") | predecessors iam') == instances
    assert _ids(estate, "search is(aws_vpc) | successors iam") == []


def test_sleep_waits_and_refuses_what_is_not_a_duration(estate: Store) -> None:
    started = time.monotonic()
    assert run("sleep 0.2; search is(aws_vpc) | count", estate)[0].startswith("total matched")
    assert time.monotonic() - started >= 0.2
    for bad in ("sleep", "sleep soon", "sleep -1", "sleep 99999"):
        with pytest.raises(UsageError, match="sleep"):
            run(bad, estate)


def test_env_names_the_home_and_masks_a_store_password(estate: Store) -> None:
    from cloudsift.commands.session import _without_password

    table = run("env", estate)[0]
    assert [row[0] for row in table.rows][:2] == ["home", "store"]
    assert _without_password("postgresql://app:s3cret@db:5432/x") == "postgresql://app:****@db:5432/x"
    assert "s3cret" not in _without_password("postgresql://app:s3cret@db/x")
