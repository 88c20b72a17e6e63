"""The API's bearer token and where a server may listen with it."""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

from cloudsift.config import Config
from cloudsift.home import private_home, write_private


def server_token(config: Config) -> str:
    """The API's bearer token: from the config, else the one in $CLOUDSIFT_HOME (made on first start)."""
    if config.server.token is not None:
        return config.server.token.get_secret_value()
    path = token_path(config.home)
    if not path.exists():
        private_home(config.home)
        write_private(path, secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip()


def token_path(home: Path) -> Path:
    return home / "server.token"


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (a name other than localhost may resolve anywhere)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
