"""`@frozen`: a frozen dataclass whose methods are shared functions, not code generated per class.

`@dataclass(frozen=True)` writes each class's __init__, __repr__, __eq__, __hash__, __setattr__ and
__delattr__ as source text and compiles it: about 3 M instructions a class on Python 3.11, and a one-shot
`cloudsift -c 'search ...'` made some 70 such classes (the query's AST, the binder's, the store's) before
its search, a fifth of its instructions. A `@frozen` class is still a dataclass (fields(), replace(),
is_dataclass(), orjson, match by position) and behaves as `@dataclass(frozen=True)` does: __init__ takes
the fields in order, by position or name, with their defaults and factories, then calls __post_init__;
equality and hash over the compared fields; the repr of the shown ones; FrozenInstanceError on assignment.
Building an instance costs a little more than with generated code: for classes made per query or
command, not per row.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def frozen(cls: type[_T]) -> type[_T]:
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)  # its fields; no code made
    keys = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(key.kw_only for key in keys):
        raise TypeError(f"{cls.__qualname__}: @frozen takes no kw_only fields")
    own = cls.__dict__
    # as dataclass(): a method the class writes itself is kept, except that defining __eq__ leaves
    # Python's implicit `__hash__ = None`, which is not an explicit hash
    explicit_hash = own.get("__hash__", dataclasses.MISSING) not in (dataclasses.MISSING, None)
    if "__setattr__" in own or "__delattr__" in own:
        raise TypeError(f"{cls.__qualname__}: a @frozen class cannot define __setattr__ or __delattr__")
    cls.__frozen__ = _Spec(cls, keys)  # type: ignore[attr-defined]
    for name, method in _METHODS.items():
        if (name == "__hash__" and not explicit_hash) or name not in own:
            setattr(cls, name, method)
    return cls


class _Spec:
    """What the shared methods need to know of one class's fields."""

    __slots__ = (
        "compared",
        "defaults",
        "factories",
        "hashed",
        "init",
        "later",
        "names",
        "post_init",
        "shown",
    )

    def __init__(self, cls: type, keys: tuple[dataclasses.Field[Any], ...]) -> None:
        self.names = frozenset(key.name for key in keys)
        self.init = tuple(key.name for key in keys if key.init)
        self.defaults = {k.name: k.default for k in keys if k.default is not dataclasses.MISSING}
        self.factories: dict[str, Callable[[], Any]] = {
            k.name: k.default_factory for k in keys if k.default_factory is not dataclasses.MISSING
        }
        self.later = tuple(key.name for key in keys if not key.init)  # init=False: default or factory
        self.shown = tuple(key.name for key in keys if key.repr)
        self.compared = _values(tuple(key.name for key in keys if key.compare))
        self.hashed = _values(
            tuple(key.name for key in keys if (key.compare if key.hash is None else key.hash))
        )
        self.post_init = hasattr(cls, "__post_init__")


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The instance's values of `names`, as a tuple (as the generated methods compare and hash them)."""
    if not names:
        return lambda _: ()
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return operator.attrgetter(*names)


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    spec: _Spec = type(self).__frozen__
    name = type(self).__qualname__
    if len(args) > len(spec.init):
        raise TypeError(
            f"{name}.__init__() takes {len(spec.init) + 1} positional arguments but {len(args) + 1} were given"
        )
    values = dict(zip(spec.init, args, strict=False))
    for key, value in kwargs.items():
        if key not in spec.init:
            raise TypeError(f"{name}.__init__() got an unexpected keyword argument {key!r}")
        if key in values:
            raise TypeError(f"{name}.__init__() got multiple values for argument {key!r}")
        values[key] = value
    setter = object.__setattr__
    for key in spec.init:
        if key in values:
            setter(self, key, values[key])
        elif key in spec.defaults:
            setter(self, key, spec.defaults[key])
        elif key in spec.factories:
            setter(self, key, spec.factories[key]())
        else:
            raise TypeError(f"{name}.__init__() missing 1 required positional argument: {key!r}")
    for key in spec.later:
        setter(self, key, spec.defaults[key] if key in spec.defaults else spec.factories[key]())
    if spec.post_init:
        self.__post_init__()


def _repr(self: Any) -> str:
    shown = ", ".join(f"{key}={getattr(self, key)!r}" for key in type(self).__frozen__.shown)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        values = self.__frozen__.compared
        return values(self) == values(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__frozen__.hashed(self))


def _setattr(self: Any, name: str, value: Any) -> None:
    if name in type(self).__frozen__.names or "__frozen__" in type(self).__dict__:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _delattr(self: Any, name: str) -> None:
    if name in type(self).__frozen__.names or "__frozen__" in type(self).__dict__:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
    object.__delattr__(self, name)


_METHODS = {
    "__init__": _init,
    "__repr__": _repr,
    "__eq__": _eq,
    "__hash__": _hash,
    "__setattr__": _setattr,
    "__delattr__": _delattr,
}
