"""The command line's side of a running server: find it through $CLOUDSIFT_HOME, send lines to it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import orjson

from cloudsift.config import Config
from cloudsift.errors import CloudsiftError, error_line


@dataclass(frozen=True)
class ServerInfo:
    url: str
    pid: int
    token: str


def info_path(home: Path) -> Path:
    return home / "server.json"


def find_server(config: Config) -> ServerInfo | None:
    """The server that owns this home's store, if one runs (a file left by a dead server is ignored)."""
    path = info_path(config.home)
    try:
        data = json.loads(path.read_text())
        pid = int(data["pid"])
        url = str(data["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _alive(pid) or not _healthy(url):
        return None  # a file left behind (or a reused pid): the store is ours to open
    from cloudsift.server.auth import server_token

    # The token the server announced is the one it uses, whatever this process's environment says.
    announced = data.get("token")
    return ServerInfo(url, pid, announced if isinstance(announced, str) else server_token(config))


def _healthy(url: str) -> bool:
    import httpx  # only once a server's file is found: a line without a server never imports it

    try:
        return httpx.get(f"{url}/health", timeout=5.0).status_code == 200
    except httpx.HTTPError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ServerError(CloudsiftError):
    """The server could not be reached or refused the request."""


def execute_remote(
    server: ServerInfo, line: str, out: TextIO, err: TextIO, terminal: bool, width: int
) -> int:
    """Send one line to the server and print what it streams back; the exit code the line would have."""
    import httpx

    from cloudsift.commands.output import Table
    from cloudsift.render import render

    headers = {
        "Authorization": f"Bearer {server.token}",
        "X-Cloudsift-Envelope": "1",
        "X-Cloudsift-Terminal": "1" if terminal else "0",
        "X-Cloudsift-Width": str(width),
        "X-Cloudsift-Cwd": str(Path.cwd()),
    }
    try:
        with httpx.stream("POST", f"{server.url}/cli/execute", content=line.encode(), headers=headers,
                          timeout=httpx.Timeout(10.0, read=None)) as answer:  # fmt: skip
            if answer.status_code == 401:
                err.write(f"error: the server at {server.url} refused the token: set CLOUDSIFT_SERVER__TOKEN "
                          "(or [server] token) here to the token the server runs with\n")  # fmt: skip
                return 1
            for raw in answer.iter_lines():
                if not raw:
                    continue
                item = orjson.loads(raw)
                if "element" not in item and "table" not in item:  # the error that ends the line
                    err.write(error_line(str(item["error"]), bool(item.get("query"))))
                    return int(item.get("exit_code", 1))
                if "table" in item:
                    render([Table(item["table"]["header"], item["table"]["rows"])], out, terminal)
                else:
                    render([item["element"]], out, terminal)
    except KeyboardInterrupt:
        # Leaving the `with` closed the connection; the server cancels a line whose client went away.
        err.write(
            "interrupted: the server stops the line (what it already did, such as an alert sent, stays)\n"
        )
        return 130
    except httpx.TransportError as e:
        raise ServerError(
            f"cannot reach the server at {server.url} ({type(e).__name__}); is `cloudsift serve` still running?"
        ) from None
    return 0
