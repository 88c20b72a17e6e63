"""$CLOUDSIFT_HOME is private: the folder 0700, its files 0600 (the store holds alert bodies and the
outbox, server.json and server.token the API token, shell_history what was typed)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

HOME_MODE = 0o700
FILE_MODE = 0o600


def private_home(home: Path) -> Path:
    """Make the home (and its parents) if missing; a home of ours that others can read is closed."""
    home.mkdir(mode=HOME_MODE, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a home of another owner (a shared mount) is left as it is
        if home.stat().st_uid == os.getuid() and home.stat().st_mode & 0o077:
            home.chmod(HOME_MODE)
    return home


def private_file(path: Path) -> Path:
    """Make `path` 0600, creating it empty if missing (before anything secret is written to it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, text: str) -> None:
    """Write a 0600 file whole: a reader sees the old text or the new, never half, never world-readable."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, text.encode())
    finally:
        os.close(fd)
    os.replace(partial, path)
