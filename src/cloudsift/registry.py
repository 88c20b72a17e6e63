"""One generic registry with did-you-mean, used for kinds, commands and stores.

An item may be declared by the module that registers it (`declare`): the module is imported when the
item is first asked for, so a command line imports only the commands it names."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from cloudsift.errors import UsageError, did_you_mean

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, what: str) -> None:
        self.what = what
        self._items: dict[str, T] = {}
        self._modules: dict[str, str] = {}  # declared names: the module that registers each

    def register(self, name: str) -> Callable[[T], T]:
        def add(item: T) -> T:
            if name in self._items:
                raise ValueError(f"{self.what} {name!r} registered twice")
            self._items[name] = item
            return item

        return add

    def add(self, name: str, item: T) -> None:
        self.register(name)(item)

    def declare(self, name: str, module: str) -> None:
        """`name` is registered by `module`, imported when `name` is first asked for."""
        self._modules[name] = module

    def get(self, name: str) -> T:
        if name not in self._items and name in self._modules:
            importlib.import_module(self._modules[name])
            if name not in self._items:
                raise LookupError(
                    f"{self._modules[name]} does not register the {self.what} {name!r} it declares"
                )
        try:
            return self._items[name]
        except KeyError:
            raise UsageError(f"unknown {self.what} {name!r}.{did_you_mean(name, list(self))}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._items or name in self._modules

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self._items, *self._modules}))

    def items(self) -> list[tuple[str, T]]:
        """Every item, its module imported if it was only declared."""
        return [(name, self.get(name)) for name in self]

    def loaded(self) -> dict[str, T]:
        """The items registered so far (declared ones whose module was imported)."""
        return dict(self._items)

    def declared(self) -> dict[str, str]:
        return dict(self._modules)
