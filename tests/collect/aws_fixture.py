"""A moto server on 127.0.0.1, reached over HTTP through a proxy that can make chosen regions fail."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from moto.server import ThreadedMotoServer

from bench.latency_proxy import forward

ACCESS_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code>'
    b"<Message>You are not authorized to perform this operation.</Message></Error></Errors>"
    b"<RequestID>cloudsift-test</RequestID></Response>"
)


@dataclass
class AwsEmulator:
    """moto behind a forwarding proxy; `failing` holds region names whose requests are refused with 403."""

    moto_url: str
    url: str = ""
    failing: set[str] = field(default_factory=set)
    # signing names of services refused with 403 in every region ("logs", "monitoring", "cloudtrail", ...)
    failing_services: set[str] = field(default_factory=set)
    delay: float = 0.0  # seconds each request waits, to make a collection last


def _handler(emulator: AwsEmulator) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(emulator.delay)
            auth = self.headers.get("Authorization", "")
            if any(f"/{region}/" in auth for region in emulator.failing) or any(
                f"/{service}/aws4_request" in auth for service in emulator.failing_services
            ):
                self.send_response(403)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(ACCESS_DENIED)))
                self.end_headers()
                self.wfile.write(ACCESS_DENIED)
                return
            forward(self, emulator.moto_url, body)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

    return Forward


def start_aws() -> Iterator[AwsEmulator]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto logs every request otherwise
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    emulator = AwsEmulator(f"http://{host}:{port}")
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _handler(emulator))
    emulator.url = f"http://127.0.0.1:{proxy.server_address[1]}"
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield emulator
    finally:
        proxy.shutdown()
        moto.stop()
