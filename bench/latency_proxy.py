"""A forwarding proxy that adds a fixed delay to every request, as the network to an AWS region does.

    python bench/latency_proxy.py --target http://127.0.0.1:5000 --port 5001 --latency-ms 20

Run as its own process so its work does not compete with the measured one for the GIL. It counts the
requests it forwards by API call (`GET /latency-proxy/calls` answers them as JSON, not forwarded), so that
a benchmark can count the calls of a process it cannot hook into (another tool's command line).
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
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


COUNTS = "/latency-proxy/calls"
QUERY_ACTION = re.compile(rb"(?:^|&)Action=(\w+)")


def call_name(request: BaseHTTPRequestHandler, body: bytes) -> str:
    """Which API call a request is, as far as the wire says: the JSON protocols' target, the query
    protocols' Action, else the REST method and path's first part (S3, Route 53, API Gateway)."""
    target = request.headers.get("X-Amz-Target")
    if target:
        return str(target).rsplit(".", 1)[-1]
    found = QUERY_ACTION.search(body) or QUERY_ACTION.search(request.path.partition("?")[2].encode())
    if found:
        return found.group(1).decode()
    return f"{request.command} /{request.path.lstrip('/').split('/', 1)[0].split('?', 1)[0]}"


def handler(target: str, latency: float) -> type[BaseHTTPRequestHandler]:
    calls: Counter[str] = Counter()
    lock = threading.Lock()

    class Delay(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _counts(self) -> None:
            with lock:
                payload = json.dumps(dict(calls)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.command == "GET" and self.path == COUNTS:
                self._counts()
                return
            with lock:
                calls[call_name(self, body)] += 1
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
