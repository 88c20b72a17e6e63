"""The query parser, built once and kept in the user's own cache directory as one pickle of the whole
built parser (tables, rules, lexer, tree callbacks).

lark's own cache (`Lark(cache=...)`) keeps the tables in its serialized form and rebuilds every rule,
state and callback object from it in Python at each start: ~45 ms of a one-shot `cloudsift -c`. Unpickling
the built objects is C's work (~10 ms). The directory is private ($XDG_CACHE_HOME/cloudsift, else
~/.cache/cloudsift, mode 0700, ours), never a shared temp directory: the file is read with pickle, so a
directory others may write to is not used and a file not ours (or that others may write) is not read. The
file's name hashes the grammar, lark's and Python's versions and this format, so two cloudsift versions
(virtualenvs, checkouts) each keep their own; a file nobody has loaded for PRUNE_AFTER is removed when a
new one is written. A missing, damaged or unwritable cache costs only the time to build the parser.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import importlib
import io
import os
import pathlib
import pickle
import stat
import sys
import time
import types
from collections.abc import Callable, Mapping
from typing import Any

from lark import Lark
from lark.parsers.lalr_analysis import Action

FORMAT = 2  # 1: lark's own cache format (the `.lark-cache` files of earlier versions)
PRUNE_AFTER = 7 * 86400  # seconds since a cache file was last written or loaded
_REFRESH_AFTER = 86400  # a file loaded is marked as used (its mtime) at most once a day
_PATTERN = "query-grammar-*"


def grammar_cache(grammar: str, environ: Mapping[str, str] | None = None) -> pathlib.Path | None:
    """The file that keeps the parser built from `grammar`; None (no cache) when the directory cannot
    be had (no home, a read-only file system, a file where the directory goes, not ours)."""
    env = os.environ if environ is None else environ
    try:
        base = pathlib.Path(env.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "cloudsift"
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(base.stat()) or not os.access(base, os.R_OK | os.W_OK | os.X_OK):
            return None
    except (OSError, RuntimeError):
        return None
    import lark

    versions = f"{FORMAT}\n{lark.__version__}\n{sys.version_info[:2]}\n{grammar}"
    return base / f"query-grammar-{hashlib.sha256(versions.encode()).hexdigest()[:16]}.pickle"


def cached_parser(grammar: str, build: Callable[[], Lark], environ: Mapping[str, str] | None = None) -> Lark:
    """The parser of `grammar` from its cache file; built by `build` (and kept) when there is none."""
    path = grammar_cache(grammar, environ)
    if path is None:
        return build()
    loaded = _load(path)
    if loaded is not None:
        return loaded
    parser = build()
    _save(parser, path)
    return parser


def _private(info: os.stat_result) -> bool:
    """Ours and writable by no one else: what pickle reads from there runs as us."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _load(path: pathlib.Path) -> Lark | None:
    try:
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            if not _private(info):  # left by another user while the directory was open to them
                return None
            parser = pickle.load(file)
            used = info.st_mtime
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file, whatever pickle makes of it: the parser is built again
        return None
    if not isinstance(parser, Lark):
        return None
    if time.time() - used > _REFRESH_AFTER:
        with contextlib.suppress(OSError):
            os.utime(path)  # in use: not pruned by another version's write
    return parser


def _save(parser: Lark, path: pathlib.Path) -> None:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parser)
    except (pickle.PicklingError, TypeError, AttributeError):  # a lark whose parser does not pickle
        return
    import tempfile  # only when writing

    try:
        descriptor, written = tempfile.mkstemp(dir=path.parent, prefix=".query-")  # mode 0600
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(buffer.getvalue())
        os.replace(written, path)
    except OSError:  # a full disk: this run goes without a cache
        with contextlib.suppress(OSError):
            os.unlink(written)
        return
    _prune(path)


def _prune(kept: pathlib.Path) -> None:
    """Remove the cache files of other grammars (versions) nobody has loaded for PRUNE_AFTER."""
    now = time.time()
    for other in kept.parent.glob(_PATTERN):
        with contextlib.suppress(OSError):
            if other != kept and now - other.stat().st_mtime > PRUNE_AFTER:
                other.unlink()


def _action(name: str) -> Action:
    """lark's Shift and Reduce, which its parser tells apart by identity (`action is Shift`)."""
    found: Action = getattr(importlib.import_module(Action.__module__), name)
    return found


def _reduce_action(action: Action) -> tuple[Any, ...]:
    return (_action, (action.name,))


def _reduce_module(module: types.ModuleType) -> tuple[Any, ...]:
    return (importlib.import_module, (module.__name__,))  # the lexer's `re` module


class _Pickler(pickle.Pickler):
    dispatch_table = {**copyreg.dispatch_table, Action: _reduce_action, types.ModuleType: _reduce_module}
