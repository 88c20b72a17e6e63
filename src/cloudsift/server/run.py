"""`cloudsift serve`: bind, announce the server in $CLOUDSIFT_HOME, serve until SIGTERM or Ctrl-C."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
from types import FrameType

import uvicorn

from cloudsift.config import Config
from cloudsift.errors import CloudsiftError, ConfigError
from cloudsift.home import write_private
from cloudsift.server.auth import is_loopback
from cloudsift.server.client import find_server, info_path

log = logging.getLogger("cloudsift.server")


class ServeError(CloudsiftError):
    """The server cannot start."""


class _Server(uvicorn.Server):
    """uvicorn's server, which on SIGTERM/SIGINT also kills every jq child at once: a collection or a
    search is let finish (it ends, within [server] line_timeout_seconds), a jq filter may never."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        from cloudsift.commands.jq import stop_every_jq

        super().handle_exit(sig, frame)
        stop_every_jq()


def serve(
    config: Config,
    host: str | None = None,
    port: int | None = None,
    insecure: bool = False,
    worker: bool = False,
) -> int:
    from cloudsift.server.app import create_app
    from cloudsift.server.auth import server_token, token_path
    from cloudsift.server.service import Service

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        stream=sys.stderr)  # fmt: skip
    logging.getLogger("cloudsift").setLevel(logging.INFO)  # ours at INFO; libraries only when they warn
    running = find_server(config)
    if running is not None:
        raise ServeError(f"a server runs already for {config.home} (pid {running.pid}, {running.url})")
    host = host or config.server.host
    port = config.server.port if port is None else port
    if not is_loopback(host) and config.server.token is None and not insecure:
        raise ServeError(
            f"serve --host {host} makes the API reachable from other machines: set a token of your own "
            "first (CLOUDSIFT_SERVER__TOKEN in the server's environment, or [server] token), or pass "
            "--insecure to use the generated one"
        )
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise ConfigError("server.port", f"cannot listen on {host}:{port}: {e.strerror}") from None
    bound = sock.getsockname()[1]
    url = f"http://{host if ':' not in host else f'[{host}]'}:{bound}"
    # opens the store: a store another process holds stops us here (a worker waits for PostgreSQL instead)
    service = Service(config, worker)
    token = server_token(config)
    info = info_path(config.home)
    # The token too (the file is 0600 in a 0700 home): a CLI of the same user whose environment lacks
    # the CLOUDSIFT_SERVER__TOKEN that the server's has (systemd's EnvironmentFile) still gets in.
    write_private(info, json.dumps({"url": url, "pid": os.getpid(), "token": token}))
    where = "[server] token" if config.server.token is not None else str(token_path(config.home))
    log.info("listening on %s (bearer token in %s); collect schedule: %s%s", url, where,
             config.workflows.collect.schedule or "none", "; worker" if worker else "")  # fmt: skip
    server = _Server(uvicorn.Config(create_app(service, token), log_level="warning", lifespan="on"))
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then raises the signal again for the handler it
    # found: make that one quiet, so the cleanup below runs and the exit is clean.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    try:
        server.run(sockets=[sock])
    finally:
        try:
            if json.loads(info.read_text()).get("pid") == os.getpid():
                info.unlink()
        except (OSError, ValueError):
            pass
    log.info("stopped")
    return 0 if server.started else 1
