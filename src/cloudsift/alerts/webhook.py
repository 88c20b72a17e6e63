"""The http command: the elements a line made, as one JSON request, through the outbox like every sink.

Resoto's `http [METHOD] URL [Header:Value …]`: the body is the JSON list of the elements (nodes as
documents). It has no alert state (nothing resolves), but it is durable: a 429, 5xx or network error is
retried within the delivery budget, and what is still pending then is sent by `serve` or `alerts deliver`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from cloudsift.alerts.outbox import Outbox
from cloudsift.alerts.sink import SINKS, Alert, Request, Sink, check_url, mask, secret_hash
from cloudsift.commands.base import Command, Context, Option, command
from cloudsift.commands.search import open_nodes
from cloudsift.errors import UsageError

METHODS = ("POST",)  # the outbox posts; other methods would need it to keep the method
_HEADER = re.compile(r"([A-Za-z0-9-]+):(.*)\Z")
# Header names whose values are secrets: masked wherever the request is shown.
_SECRET_HEADERS = {"authorization", "x-api-key", "api-key", "x-auth-token", "cookie"}


class HttpSink(Sink):
    """The outbox's view of `http`: how its answers are read (the default rules of every sink)."""

    name = "http"
    receiver = "the HTTP endpoint"

    def identity(self) -> str:
        return secret_hash(str(self.args.get("url")))

    def trigger(self, alert: Alert) -> Request:
        raise UsageError("http sends requests, not alerts")

    resolve = trigger


SINKS.add(HttpSink.name, HttpSink)


@command
class HttpCommand(Command):
    """Send what the line found to an HTTP endpoint as a JSON list, durably: `http [METHOD] URL [Header:Value …]`.

    METHOD is POST (the default; other methods are refused). The body is the list of the elements (nodes as JSON
    documents). The request goes through the outbox: 429, 5xx and network errors are retried within the
    delivery budget ([pagerduty] deliver_within), and what is left is sent later by `cloudsift serve` or
    `alerts deliver`. Header values such as Authorization are never printed.

    Example: `search is(aws_vpc) | http POST https://hooks.example.com/inventory Authorization:Bearer-t0ken --dry-run`
    """

    name = "http"
    formatter = True
    positional = "[METHOD] URL [Header:Value …]"
    options = (Option("--dry-run", "Print the request instead of sending it.", bool, False),)

    def parse(self, raw: str) -> None:
        super().parse(raw)
        words = list(self.rest)
        if words and words[0].isalpha() and words[0].isupper():
            if words[0] not in METHODS:
                raise UsageError(f"http: {words[0]} is not supported; the outbox sends {', '.join(METHODS)}")
            words.pop(0)
        self.method = "POST"
        if not words:
            raise UsageError("http needs a URL: http [POST] URL [Header:Value …]")
        self.url = check_url(words.pop(0), "http")
        self.headers: dict[str, str] = {}
        for word in words:
            match = _HEADER.match(word)
            if not match:
                raise UsageError(f"http: {word!r} is not a header (Name:Value)")
            self.headers[match.group(1)] = match.group(2).strip()

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        from cloudsift.commands.sinks import retry_policy

        elements = list(open_nodes(stream))
        request = Request(self.url, elements, self.headers)
        if self.args["dry_run"]:
            shown = {name: mask(value) if name.lower() in _SECRET_HEADERS else value
                     for name, value in request.headers.items()}  # fmt: skip
            yield f"{self.method} {self.url} ({len(elements)} elements) headers {shown}"
            return
        key = f"http:{uuid.uuid4().hex}"
        outbox = Outbox(ctx.store)
        with ctx.store.transaction():
            outbox.put(HttpSink.name, self.method.lower(), request, key, ctx.now, len(elements))
        for result in outbox.deliver(keys=[(HttpSink.name, key)], policy=retry_policy(ctx.config)):
            if result.outcome == "delivered":
                yield f"http: {self.method} {self.url} sent ({len(elements)} elements)."
            elif result.outcome == "failed":
                yield f"http: {self.method} {self.url} refused: {result.detail}"
            else:
                later = (
                    "the server retries it"
                    if ctx.served
                    else "`cloudsift serve` or `alerts deliver` retries it"
                )
                yield f"http: {self.method} {self.url} not delivered yet ({result.detail}); it stays in the outbox: {later}."
