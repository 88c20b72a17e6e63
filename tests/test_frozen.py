"""@frozen behaves as @dataclass(frozen=True): the same class written both ways, compared."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from cloudsift.frozen import frozen
from cloudsift.query.ast import Path


def _declare(decorate):  # type: ignore[no-untyped-def]
    @decorate
    class Node:
        """A node."""

        name: str
        parts: tuple[int, ...] = ()
        pos: int = field(default=-1, compare=False, repr=False)
        tags: list[str] = field(default_factory=list, hash=False)
        seen: int = field(default=0, init=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "seen", len(self.name))

    return Node


FROZEN = _declare(frozen)
STDLIB = _declare(dataclass(frozen=True))


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("a",), {}), (("a", (1, 2)), {}), ((), {"name": "b", "pos": 3}), (("c",), {"parts": (4,), "pos": 5})],
)
def test_building_comparing_showing_and_hashing_are_the_dataclass_ones(args: tuple, kwargs: dict) -> None:
    ours, theirs = FROZEN(*args, **kwargs), STDLIB(*args, **kwargs)
    assert repr(ours) == repr(theirs).replace(STDLIB.__qualname__, FROZEN.__qualname__)
    assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
    assert FROZEN(*args, **kwargs) == ours and ours != theirs  # another class is never equal
    assert FROZEN(*args, **{**kwargs, "pos": 99}) == ours  # pos is not compared
    assert hash(ours) == hash(theirs)
    assert FROZEN.__match_args__ == STDLIB.__match_args__
    assert dataclasses.replace(ours, name="z") == FROZEN(
        "z", *args[1:], **{k: v for k, v in kwargs.items() if k != "name"}
    )


def test_assigning_or_deleting_a_field_is_refused() -> None:
    node = FROZEN("a")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
        node.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'name'"):
        del node.name  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.other = 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing 1 required positional argument: 'name'"),
        (("a", (), 1, [], 5), {}, "positional arguments but 6 were given"),
        (("a",), {"name": "b"}, "got multiple values for argument 'name'"),
        (("a",), {"seen": 1}, "got an unexpected keyword argument 'seen'"),
    ],
)
def test_wrong_arguments_are_a_type_error_as_for_a_dataclass(args: tuple, kwargs: dict, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        FROZEN(*args, **kwargs)
    with pytest.raises(TypeError, match=message):
        STDLIB(*args, **kwargs)


def test_a_node_pickles_and_copies() -> None:
    path = Path.of("group_ip_permissions.ip_ranges")
    assert pickle.loads(pickle.dumps(path)) == path and copy.deepcopy(path) == path
