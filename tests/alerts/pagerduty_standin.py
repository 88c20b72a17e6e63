"""A strict stand-in for PagerDuty's Events API v2 on 127.0.0.1: it validates as the public docs say.

202 {"status": "success", "message": "Event processed", "dedup_key": …} for a good event;
400 {"status": "invalid event", "message": "Event object is invalid", "errors": […]} for a bad one;
and, when told, for the next N requests: 429 (no body, optionally Retry-After) or 500 (`fail_next`),
a hang that never answers (`hang_next`), a reset connection (`reset_next`), or a slow answer after
the event was taken (`slow_next`: PagerDuty took it, the sender may not hear so in time).
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_BODY = 512 * 1024


def validate(event: Any) -> list[str]:
    if not isinstance(event, dict):
        return ["Event object must be a JSON object."]
    errors = []
    if not isinstance(event.get("routing_key"), str) or not re.fullmatch(
        r"[A-Za-z0-9]{32}", event["routing_key"]
    ):
        errors.append("'routing_key' must be a 32 character string.")
    action = event.get("event_action")
    if action not in ("trigger", "acknowledge", "resolve"):
        errors.append("'event_action' must be one of trigger, acknowledge, resolve.")
    dedup = event.get("dedup_key")
    if dedup is not None and (not isinstance(dedup, str) or len(dedup) > 255):
        errors.append("'dedup_key' must be a string of at most 255 characters.")
    if action in ("acknowledge", "resolve") and not dedup:
        errors.append("'dedup_key' is required for acknowledge and resolve.")
    if action == "trigger":
        payload = event.get("payload")
        if not isinstance(payload, dict):
            errors.append("'payload' is required for trigger.")
        else:
            summary = payload.get("summary")
            if not isinstance(summary, str) or not summary:
                errors.append("'payload.summary' is required.")
            elif len(summary) > 1024:
                errors.append("'payload.summary' must be at most 1024 characters.")
            if not isinstance(payload.get("source"), str) or not payload.get("source"):
                errors.append("'payload.source' is required.")
            if payload.get("severity") not in ("critical", "error", "warning", "info"):
                errors.append("'payload.severity' must be one of critical, error, warning, info.")
            details = payload.get("custom_details")
            if details is not None and not isinstance(details, dict):
                errors.append("'payload.custom_details' must be an object.")
    for link in event.get("links") or []:
        if not isinstance(link, dict) or not isinstance(link.get("href"), str):
            errors.append("'links' entries need an 'href'.")
    return errors


@dataclass
class PagerDutyStandIn:
    url: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)  # accepted events, in order
    requests: int = 0
    _failures: list[tuple[str, float]] = field(default_factory=list)  # (mode, its number), in order
    _stopped: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    held: threading.Event = field(default_factory=threading.Event)  # set: a request arrived while holding
    _holding: threading.Event | None = None

    def hold(self) -> threading.Event:
        """Hold the next requests until the returned event is set; they then answer 503 and are not
        processed, as an event whose sender went away mid-request."""
        self._holding = threading.Event()
        return self._holding

    def fail_next(self, count: int, status: int, retry_after: float | None = None) -> None:
        """The next `count` requests answer `status` (429: no body; with Retry-After when given)."""
        with self._lock:
            self._failures.extend([(f"{status}", retry_after if retry_after is not None else -1.0)] * count)

    def hang_next(self, count: int) -> None:
        """The next `count` requests are read and never answered (until the stand-in stops)."""
        with self._lock:
            self._failures.extend([("hang", 0.0)] * count)

    def reset_next(self, count: int) -> None:
        """The next `count` requests are read, then the connection is reset without an answer."""
        with self._lock:
            self._failures.extend([("reset", 0.0)] * count)

    def slow_next(self, count: int, seconds: float) -> None:
        """The next `count` good events are taken at once and answered `seconds` later."""
        with self._lock:
            self._failures.extend([("slow", seconds)] * count)

    def _next_failure(self) -> tuple[str, float] | None:
        with self._lock:
            self.requests += 1
            return self._failures.pop(0) if self._failures else None


def _handler(standin: PagerDutyStandIn) -> type[BaseHTTPRequestHandler]:
    class Events(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any] | None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            holding = standin._holding
            if holding is not None:
                standin.held.set()
                holding.wait(60)
                standin._holding = None
                self._answer(503, {"status": "error", "message": "Service unavailable"})
                return
            failure = standin._next_failure()
            delay = 0.0
            if failure is not None:
                mode, number = failure
                if mode == "hang":
                    standin._stopped.wait(120)
                    return
                if mode == "reset":
                    # SO_LINGER 0: close sends RST, as a peer that crashed mid-request.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                if mode == "slow":
                    delay = number
                else:
                    status = int(mode)
                    self.send_response(status)
                    body = (
                        b""
                        if status == 429
                        else json.dumps({"status": "error", "message": "Internal error"}).encode()
                    )
                    if number >= 0:
                        self.send_header("Retry-After", f"{number:g}")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
            if self.path != "/v2/enqueue":
                self._answer(404, {"status": "error", "message": "Not found"})
                return
            if length > MAX_BODY:
                self._answer(400, {"status": "invalid event", "message": "Event object is invalid",
                                   "errors": ["Event object is larger than 512 KB."]})  # fmt: skip
                return
            try:
                event = json.loads(raw)
            except ValueError:
                self._answer(400, {"status": "invalid event", "message": "Event object is invalid",
                                   "errors": ["Request body is not valid JSON."]})  # fmt: skip
                return
            errors = validate(event)
            if errors:
                self._answer(
                    400, {"status": "invalid event", "message": "Event object is invalid", "errors": errors}
                )
                return
            with standin._lock:
                standin.events.append(event)
            if delay:
                standin._stopped.wait(delay)
            self._answer(202, {"status": "success", "message": "Event processed",
                               "dedup_key": event.get("dedup_key") or "generated"})  # fmt: skip

    return Events


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: PagerDutyStandIn

    def shutdown(self) -> None:
        self.standin._stopped.set()  # hung and slow requests end with the stand-in
        super().shutdown()
        self.server_close()


def start_pagerduty() -> tuple[PagerDutyStandIn, ThreadingHTTPServer]:
    standin = PagerDutyStandIn()
    server = _Server(("127.0.0.1", 0), _handler(standin))
    server.standin = standin
    standin.url = f"http://127.0.0.1:{server.server_address[1]}/v2/enqueue"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return standin, server
