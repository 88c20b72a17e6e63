"""A real HTTP proxy on 127.0.0.1 in front of moto that makes chosen AWS requests fail.

A fault names what it matches (the region and service a request is signed for, its API action) and
what happens to it: `403` (access denied in the service's error format), `503` (service unavailable),
`reset` (the connection is reset before any answer) or `hang` (the connection stays open, nothing is
ever answered, until the proxy stops or the fault is cleared).

    proxy = FaultProxy(moto_url).start()
    proxy.add(Fault("hang", region="eu-central-1"))
    proxy.add(Fault("403", action="AssumeRole"))
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.latency_proxy import forward

# The credential scope of a SigV4 signature: .../DATE/REGION/SERVICE/aws4_request
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_EC2_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code>'
    "<Message>{message}</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>"
)
_QUERY_ERROR = (
    "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
    "<RequestId>fault-proxy</RequestId></ErrorResponse>"
)
_ANSWERS = {
    "403": ("AccessDenied", "User is not authorized to perform this operation (fault proxy)."),
    "503": ("ServiceUnavailable", "The service is unavailable (fault proxy)."),
}
_EC2_CODES = {"AccessDenied": "UnauthorizedOperation"}  # EC2 names its refusal differently


@dataclass(frozen=True)
class Fault:
    mode: str  # 403 | 503 | reset | hang
    region: str | None = None  # the region the request is signed for
    service: str | None = None  # the signing name: ec2, sts, iam, …
    action: str | None = None  # Action= of a query request or the X-Amz-Target operation

    def matches(self, region: str, service: str, action: str) -> bool:
        return all(want is None or want == got for want, got in
                   ((self.region, region), (self.service, service), (self.action, action)))  # fmt: skip


@dataclass
class Seen:
    region: str
    service: str
    action: str
    fault: str | None


@dataclass
class FaultProxy:
    target: str
    faults: list[Fault] = field(default_factory=list)
    delay: float = 0.0  # seconds every request waits, to make a collection last
    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    _released: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None

    def add(self, fault: Fault) -> None:
        self.faults.append(fault)

    def clear(self) -> None:
        """No more faults; requests that hang now are let go (answered with a reset)."""
        self.faults.clear()
        self._released.set()
        self._released = threading.Event()

    def start(self) -> FaultProxy:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, name="fault-proxy", daemon=True).start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fault_for(self, region: str, service: str, action: str) -> Fault | None:
        return next((f for f in list(self.faults) if f.matches(region, service, action)), None)


def _what(request: BaseHTTPRequestHandler, body: bytes) -> tuple[str, str, str]:
    scope = _SCOPE.search(request.headers.get("Authorization", ""))
    region, service = scope.groups() if scope else ("", "")
    target = request.headers.get("X-Amz-Target", "")
    if target:
        return region, service, target.rsplit(".", 1)[-1]
    query = urllib.parse.parse_qs(body.decode("latin-1")) if body else {}
    query.update(urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query))
    return region, service, query.get("Action", [""])[0]


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Faulty(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if proxy.delay:
                time.sleep(proxy.delay)
            region, service, action = _what(self, body)
            fault = proxy.fault_for(region, service, action)
            proxy.seen.append(Seen(region, service, action, fault.mode if fault else None))
            if fault is None:
                forward(self, proxy.target, body)
            elif fault.mode in _ANSWERS:
                self._error(fault.mode, service, json_protocol="X-Amz-Target" in self.headers)
            else:
                if fault.mode == "hang":
                    proxy._released.wait()
                self._reset()

        def _error(self, mode: str, service: str, json_protocol: bool) -> None:
            code, message = _ANSWERS[mode]
            content_type = "text/xml"
            if json_protocol:
                payload = json.dumps({"__type": f"{code}Exception", "message": message})
                content_type = "application/x-amz-json-1.1"
            elif service == "ec2":
                payload = _EC2_ERROR.format(code=_EC2_CODES.get(code, code), message=message)
            else:
                payload = _QUERY_ERROR.format(code=code, message=message)
            data = payload.encode()
            self.send_response(int(mode))
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _reset(self) -> None:
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _forward

    return Faulty
