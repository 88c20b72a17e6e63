"""Strict local stand-ins for the SaaS alert APIs that cannot run here: Opsgenie (Alert API v2), Slack
(incoming webhooks, Block Kit), Microsoft Teams (Workflows webhook, Adaptive Card), Discord (webhooks),
and a plain HTTP receiver for the generic `http` sink.

Each validates a request as the service's public documentation describes it and answers as the service
does, errors included. Faults for the next requests: an HTTP status (with Retry-After for 429), a hang
(the request waits until released, then the connection drops) or a reset.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any = None  # dict → JSON, str → text/plain, None → empty
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Fault:
    kind: str  # status | hang | reset
    status: int = 500
    retry_after: float | None = None


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class StandIn:
    """Records what it accepted; `faults` are applied to the next requests, one each."""

    name: str
    handle: Callable[[StandIn, Received], Answer]
    url: str = ""
    accepted: list[Received] = field(default_factory=list)
    requests: int = 0
    faults: list[Fault] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    state: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, count: int, status: int, retry_after: float | None = None) -> None:
        with self._lock:
            self.faults.extend([Fault("status", status, retry_after)] * count)

    def hang_next(self, count: int = 1) -> None:
        with self._lock:
            self.faults.extend([Fault("hang")] * count)

    def reset_next(self, count: int = 1) -> None:
        with self._lock:
            self.faults.extend([Fault("reset")] * count)

    def _take_fault(self) -> Fault | None:
        with self._lock:
            self.requests += 1
            return self.faults.pop(0) if self.faults else None


def _handler(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, answer: Answer) -> None:
            if isinstance(answer.body, dict | list):
                data, kind = json.dumps(answer.body).encode(), "application/json"
            elif isinstance(answer.body, str):
                data, kind = answer.body.encode(), "text/plain; charset=utf-8"
            else:
                data, kind = b"", ""
            self.send_response(answer.status)
            if kind:
                self.send_header("Content-Type", kind)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            fault = standin._take_fault()
            if fault is not None and fault.kind == "hang":
                standin.release.wait(120)
                self.close_connection = True
                return
            if fault is not None and fault.kind == "reset":
                # SO_LINGER 0: the close sends RST, as a load balancer dropping the request does.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            if fault is not None:
                headers = (
                    (("Retry-After", f"{fault.retry_after:g}"),) if fault.retry_after is not None else ()
                )
                self._send(Answer(fault.status, {"message": "stand-in fault"}, headers))
                return
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            received = Received(
                self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
            )
            answer = standin.handle(standin, received)
            if 200 <= answer.status < 300:
                standin.accepted.append(received)
            self._send(answer)

        do_POST = _serve
        do_PUT = _serve
        do_PATCH = _serve
        do_DELETE = _serve
        do_GET = _serve

    return Handler


@contextmanager
def running(standin: StandIn, path: str = "") -> Iterator[StandIn]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(standin))
    server.daemon_threads = True
    standin.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        standin.release.set()
        server.shutdown()
        server.server_close()


# ---- Opsgenie: Alert API v2 (https://docs.opsgenie.com/docs/alert-api)

OPSGENIE_KEY = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
_PRIORITIES = ("P1", "P2", "P3", "P4", "P5")


def _opsgenie_error(status: int, message: str, errors: dict[str, str] | None = None) -> Answer:
    body: dict[str, Any] = {"message": message, "took": 0.001, "requestId": str(uuid.uuid4())}
    if errors:
        body["errors"] = errors
    return Answer(status, body)


def _opsgenie_accepted() -> Answer:
    return Answer(202, {"result": "Request will be processed", "took": 0.002, "requestId": str(uuid.uuid4())})


def opsgenie_create_errors(body: Any) -> dict[str, str]:
    if not isinstance(body, dict):
        return {"message": "Message can not be empty."}
    errors: dict[str, str] = {}
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        errors["message"] = "Message can not be empty."
    elif len(message) > 130:
        errors["message"] = "Message can not be longer than 130 characters."
    for name, limit in (("alias", 512), ("description", 15000), ("entity", 512), ("source", 100), ("user", 100), ("note", 25000)):  # fmt: skip
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            errors[name] = f"{name.capitalize()} can not be longer than {limit} characters."
    tags = body.get("tags")
    if tags is not None and (
        not isinstance(tags, list)
        or len(tags) > 20
        or any(not isinstance(t, str) or len(t) > 50 for t in tags)
    ):
        errors["tags"] = "Tags can have at most 20 tags of at most 50 characters."
    details = body.get("details")
    if details is not None and (
        not isinstance(details, dict) or any(not isinstance(v, str) for v in details.values())
    ):
        errors["details"] = "Details must be a map of string keys to string values."
    elif details is not None and sum(len(k) + len(v) for k, v in details.items()) > 8000:
        errors["details"] = "Details can not be longer than 8000 characters in total."
    if body.get("priority") is not None and body.get("priority") not in _PRIORITIES:
        errors["priority"] = "Priority should be one of [P1, P2, P3, P4, P5]."
    return errors


def _opsgenie(standin: StandIn, request: Received) -> Answer:
    if request.headers.get("authorization") != f"GenieKey {OPSGENIE_KEY}":
        return _opsgenie_error(401, "Could not authenticate.")
    path, _, query = request.path.partition("?")
    open_alerts: dict[str, dict[str, Any]] = standin.state.setdefault("open", {})
    if request.method == "POST" and path == "/v2/alerts":
        errors = opsgenie_create_errors(request.body)
        if errors:
            return _opsgenie_error(422, "Request body is not processable. Please check the errors.", errors)
        alias = request.body.get("alias") or request.body["message"]
        open_alerts[alias] = request.body
        return _opsgenie_accepted()
    if request.method == "POST" and path.startswith("/v2/alerts/") and path.endswith("/close"):
        identifier = path[len("/v2/alerts/") : -len("/close")]
        if "identifierType=alias" not in query:
            return _opsgenie_error(422, "identifierType must be alias for this stand-in.")
        if request.body is not None and not isinstance(request.body, dict):
            return _opsgenie_error(422, "Request body is not processable.")
        open_alerts.pop(identifier, None)  # closing a closed alert is accepted too, as Opsgenie does
        return _opsgenie_accepted()
    return _opsgenie_error(404, "Not found.")


def opsgenie() -> StandIn:
    return StandIn("opsgenie", _opsgenie)


# ---- Slack: incoming webhooks (https://api.slack.com/messaging/webhooks, Block Kit)


def slack_errors(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "invalid_payload"
    blocks = body.get("blocks")
    text = body.get("text")
    if not blocks and not (isinstance(text, str) and text.strip()):
        return "no_text"
    if blocks is None:
        return None
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "invalid_blocks"
    for block in blocks:
        if not isinstance(block, dict) or block.get("type") not in (
            "section",
            "header",
            "divider",
            "context",
        ):
            return "invalid_blocks"
        kind = block["type"]
        if kind == "header":
            header = block.get("text") or {}
            if header.get("type") != "plain_text" or not 0 < len(header.get("text", "")) <= 150:
                return "invalid_blocks"
        if kind == "section":
            section = block.get("text")
            fields = block.get("fields")
            if section is None and not fields:
                return "invalid_blocks"
            if section is not None and (
                section.get("type") not in ("mrkdwn", "plain_text")
                or not 0 < len(section.get("text", "")) <= 3000
            ):
                return "invalid_blocks"
            if fields is not None and (not isinstance(fields, list) or len(fields) > 10 or any(
                len(f.get("text", "")) > 2000 for f in fields)):  # fmt: skip
                return "invalid_blocks"
        if kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 0 < len(elements) <= 10:
                return "invalid_blocks"
    return None


def _slack(standin: StandIn, request: Received) -> Answer:
    if request.method != "POST" or not request.path.startswith("/services/"):
        return Answer(404, "no_service")
    if request.path != standin.state.get("path", "/services/T000/B000/XXXX"):
        return Answer(403, "invalid_token")
    error = slack_errors(request.body)
    return Answer(400, error) if error else Answer(200, "ok")


def slack() -> StandIn:
    return StandIn("slack", _slack)


# ---- Microsoft Teams: a Workflows webhook that posts an Adaptive Card


def teams_errors(body: Any) -> str | None:
    if not isinstance(body, dict) or body.get("type") != "message":
        return 'The request body must be a message: {"type": "message", "attachments": [...]}'
    attachments = body.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        return "attachments must hold one Adaptive Card"
    for attachment in attachments:
        if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
            return "attachments[].contentType must be application/vnd.microsoft.card.adaptive"
        card = attachment.get("content") or {}
        if card.get("type") != "AdaptiveCard" or not isinstance(card.get("version"), str):
            return "content must be an AdaptiveCard with a version"
        if not isinstance(card.get("body"), list) or not card["body"]:
            return "an AdaptiveCard needs a body"
        for element in card["body"]:
            if not isinstance(element, dict) or "type" not in element:
                return "every card element needs a type"
    if len(json.dumps(body)) > 28 * 1024:
        return "the message is larger than 28 KB"
    return None


def _teams(standin: StandIn, request: Received) -> Answer:
    if request.method != "POST" or not request.path.startswith("/workflows/"):
        return Answer(404, {"error": {"code": "NotFound", "message": "no such workflow"}})
    if "sig=" not in request.path:
        return Answer(401, {"error": {"code": "DirectApiAuthorizationRequired", "message": "sig is missing"}})
    error = teams_errors(request.body)
    if error:
        return Answer(400, {"error": {"code": "InvalidRequestContent", "message": error}})
    return Answer(202, None)


def teams() -> StandIn:
    return StandIn("teams", _teams)


# ---- Discord: webhooks (https://discord.com/developers/docs/resources/webhook#execute-webhook)


def discord_errors(body: Any) -> dict[str, Any] | None:
    if not isinstance(body, dict):
        return {"code": 50109, "message": "The request body contains invalid JSON."}
    content = body.get("content")
    embeds = body.get("embeds") or []
    if not content and not embeds:
        return {"code": 50006, "message": "Cannot send an empty message"}
    if content is not None and len(content) > 2000:
        return {
            "code": 50035,
            "message": "Invalid Form Body",
            "errors": {"content": "Must be 2000 or fewer in length."},
        }
    if len(embeds) > 10:
        return {
            "code": 50035,
            "message": "Invalid Form Body",
            "errors": {"embeds": "Must be 10 or fewer in length."},
        }
    total = 0
    for embed in embeds:
        title, description = embed.get("title") or "", embed.get("description") or ""
        fields = embed.get("fields") or []
        if len(title) > 256 or len(description) > 4096 or len(fields) > 25:
            return {
                "code": 50035,
                "message": "Invalid Form Body",
                "errors": {"embeds": "An embed is too long."},
            }
        for f in fields:
            if not f.get("name") or not f.get("value") or len(f["name"]) > 256 or len(f["value"]) > 1024:
                return {
                    "code": 50035,
                    "message": "Invalid Form Body",
                    "errors": {"embeds": "A field is invalid."},
                }
            total += len(f["name"]) + len(f["value"])
        total += len(title) + len(description)
    if total > 6000:
        return {
            "code": 50035,
            "message": "Invalid Form Body",
            "errors": {"embeds": "Embed size exceeds maximum size of 6000"},
        }
    return None


def _discord(standin: StandIn, request: Received) -> Answer:
    if request.method != "POST" or not request.path.startswith("/api/webhooks/"):
        return Answer(404, {"message": "404: Not Found", "code": 0})
    if request.path.split("?")[0] != standin.state.get("path", "/api/webhooks/123/token"):
        return Answer(401, {"message": "Invalid Webhook Token", "code": 50027})
    error = discord_errors(request.body)
    if error:
        return Answer(400, error)
    return Answer(204, None)


def discord() -> StandIn:
    return StandIn("discord", _discord)


# ---- a plain receiver for `http`: accepts any JSON body


def _receiver(standin: StandIn, request: Received) -> Answer:
    return Answer(200, {"received": True})


def receiver() -> StandIn:
    return StandIn("http", _receiver)
