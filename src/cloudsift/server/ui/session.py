"""The dashboard's login: the API token, exchanged once for an HTTP-only cookie; forms carry a CSRF token.

Neither the cookie nor the form token is the API token itself: both are HMACs of it, so a leaked page
or cookie jar does not reveal the token the CLI and the API use.
"""

from __future__ import annotations

import hashlib
import hmac

COOKIE = "cloudsift_ui"


def _derive(token: str, purpose: str) -> str:
    return hmac.new(token.encode(), purpose.encode(), hashlib.sha256).hexdigest()


class Session:
    def __init__(self, token: str) -> None:
        self.token = token
        self.cookie_value = _derive(token, "ui-session")
        self.csrf = _derive(token, "ui-csrf")

    def token_matches(self, given: str) -> bool:
        return hmac.compare_digest(given.strip().encode(), self.token.encode())

    def cookie_matches(self, value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), self.cookie_value.encode())

    def csrf_matches(self, value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), self.csrf.encode())
