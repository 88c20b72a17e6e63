"""Secrets in a command line, as it may be shown: `--routing-key ****abcd` (the last four characters,
enough to tell two keys apart). Wherever a line is shown (jobs, errors, the dashboard) it goes through
`mask_secrets`; a typed line with a secret is kept out of the shell history (`has_secret`)."""

from __future__ import annotations

import re
from functools import cache

# Option names that hold a secret in any command, declared or not (a sink added later is covered).
_SECRET_NAME = r"(?:routing|api|integration|access|secret)[-_]key|(?:[a-z]+[-_])*(?:token|password|secret)"
_VALUE = r"\"(?:\\.|[^\"\\])*\"|'[^']*'|[^\s|;'\"]+"
_SHOWN = 4  # characters of a secret left visible
_SHORTEST_SHOWN = 12  # a shorter secret shows none of its characters


@cache
def _secret_option() -> re.Pattern[str]:
    from cloudsift.commands import COMMANDS

    declared = {
        option.name[2:]
        for name in COMMANDS
        for option in COMMANDS.get(name).options
        if getattr(option, "secret", False)
    }
    names = "|".join([_SECRET_NAME, *sorted(map(re.escape, declared))])
    # --routing-key KEY, --routing-key=KEY, and the config's routing_key = "KEY"
    return re.compile(rf"(?P<option>--(?:{names})(?:\s+|=)|\b(?:{names})\s*=\s*)(?P<value>{_VALUE})")


def _masked(match: re.Match[str]) -> str:
    value = match.group("value")
    quote = value[0] if value[:1] in ("'", '"') and len(value) > 1 and value[-1] == value[0] else ""
    bare = value[1:-1] if quote else value
    tail = bare[-_SHOWN:] if len(bare) >= _SHORTEST_SHOWN else ""
    return f"{match.group('option')}{quote}****{tail}{quote}"


def mask_secrets(text: str) -> str:
    """The text with every secret option's value masked."""
    return _secret_option().sub(_masked, text)


_URL_PASSWORD = re.compile(r"(?P<user>[a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@", re.IGNORECASE)


def mask_url_password(text: str, url: str = "") -> str:
    """The text without a URL's password: every `scheme://user:password@` masked, and the password
    of `url` (a store URL) wherever it shows on its own, as written or decoded."""
    from urllib.parse import unquote, urlsplit

    password = urlsplit(url).password if url else None
    for secret in {password, unquote(password or "")} - {None, ""}:
        text = text.replace(str(secret), "****")
    return _URL_PASSWORD.sub(r"\g<user>****@", text)


def has_secret(text: str) -> bool:
    return _secret_option().search(text) is not None
