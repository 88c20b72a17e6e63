"""A forwarding proxy that adds a fixed delay to every request, as the network to an AWS region does.

    python bench/latency_proxy.py --target http://127.0.0.1:5000 --port 5001 --latency-ms 20

Run as its own process so its work does not compete with the measured one for the GIL.
"""

from __future__ import annotations

import argparse
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def forward(request: BaseHTTPRequestHandler, target: str, body: bytes) -> None:
    """Send the request on to `target` and its answer back (the AWS test fixture uses this too)."""
    onward = urllib.request.Request(target + request.path, data=body or None, method=request.command)
    for key, value in request.headers.items():
        if key.lower() not in ("host", "content-length", "expect", "connection"):
            onward.add_header(key, value)
    try:
        with urllib.request.urlopen(onward, timeout=300) as answer:
            status, headers, payload = answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as e:
        status, headers, payload = e.code, e.headers, e.read()
    request.send_response(status)
    for key, value in headers.items():
        if key.lower() not in ("transfer-encoding", "content-length", "connection", "server", "date"):
            request.send_header(key, value)
    request.send_header("Content-Length", str(len(payload)))
    request.end_headers()
    request.wfile.write(payload)


def handler(target: str, latency: float) -> type[BaseHTTPRequestHandler]:
    class Delay(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(latency)
            forward(self, target, body)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

    return Delay


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler(args.target, args.latency_ms / 1000))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
