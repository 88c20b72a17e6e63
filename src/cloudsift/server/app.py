"""The HTTP API: POST /cli/execute runs a command line, GET /health, GET /metrics; bearer-token auth.

/cli/execute takes the line as the request body and streams what it yields: JSON Lines by default
(`Accept: application/x-ndjson`: one JSON value per element, nodes as documents, a table as one object
per row) or text
(`Accept: text/plain`: as `cloudsift -c` prints it). An error before the first element answers 400
(a usage or query error) or 422 (the line could not be done) with `{"error", "exit_code"}`; an error
later ends the stream with that object as its last line. The command line client asks for an envelope
(`X-Cloudsift-Envelope: 1`: every line `{"element": …}`, `{"table": …}` or `{"error": …}`).

Without the token only `/health` answers, and only `{"status": "ok"}`; the OpenAPI document wants the
token and there are no /docs pages. A line runs at most `[server] line_timeout_seconds`, a request body
is at most `[server] max_request_bytes` (413), and a client that goes away cancels its line.
"""

from __future__ import annotations

import asyncio
import io
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from cloudsift import __version__
from cloudsift.commands.output import Table
from cloudsift.context import Context
from cloudsift.errors import CloudsiftError, QueryError, error_line, internal_error
from cloudsift.redact import mask_secrets
from cloudsift.server.lines import RunningLine, RunningLines
from cloudsift.server.metrics import render_metrics
from cloudsift.server.service import Service
from cloudsift.server.ui import mount_ui

JSON_LINES = "application/x-ndjson"
_DONE = object()


def create_app(service: Service, token: str) -> FastAPI:
    lines = RunningLines()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start()
        yield
        stop_lines(lines)
        await run_in_threadpool(service.stop)

    app = FastAPI(title="cloudsift", version=__version__, lifespan=lifespan, openapi_url=None,
                  docs_url=None, redoc_url=None)  # fmt: skip
    app.state.lines = lines
    limit = service.config.server.max_request_bytes
    app.add_middleware(_DeclaredBodyLimit, limit=limit)
    mount_ui(app, service, token)
    bearer = HTTPBearer(auto_error=False)

    def valid(credentials: HTTPAuthorizationCredentials | None) -> bool:
        return credentials is not None and secrets.compare_digest(
            credentials.credentials.encode(), token.encode()
        )

    def authorized(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:  # noqa: B008
        if not valid(credentials):
            raise HTTPException(
                401,
                "a bearer token is required: Authorization: Bearer <the token in $CLOUDSIFT_HOME/server.token>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    @app.get("/health")
    def health(
        response: Response,
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
    ) -> dict[str, Any]:
        worker = service.worker
        # a worker cut off from PostgreSQL says so (503) to the load balancer too, without the details
        status = "ok" if worker is None or worker.healthy else "degraded"
        if status != "ok":
            response.status_code = 503
        if not valid(credentials):
            return {"status": status}  # for load balancers: nothing about what runs
        body = {"status": status, "version": __version__, "jobs_running": sorted(service.ctx.runner.running()),
                "lines_running": lines.count()}  # fmt: skip
        if worker is not None:
            body["worker"] = worker.status()
        return body

    @app.get("/openapi.json", dependencies=[Depends(authorized)], include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/metrics", dependencies=[Depends(authorized)])
    def metrics() -> Response:
        return Response(
            render_metrics(service.context, service.worker),
            media_type="text/plain; version=0.0.4; charset=utf-8",
        )

    @app.post("/cli/execute", dependencies=[Depends(authorized)])
    async def execute(request: Request) -> Response:
        body = await _body(request, limit)
        if body is None:
            return JSONResponse(_too_large(limit), 413)
        line = body.decode("utf-8", errors="replace").strip()
        if not line:
            return JSONResponse({"error": "the body must hold a command line", "exit_code": 2}, 400)
        envelope = request.headers.get("x-cloudsift-envelope") == "1"
        text = not envelope and "text/plain" in request.headers.get("accept", "")
        width = _width(request.headers.get("x-cloudsift-width"))
        if isinstance(width, str):
            refused = {"error": width, "exit_code": 2, "query": False}
            if text:
                return Response(_error_text(refused), 400, media_type="text/plain")
            return JSONResponse(refused, 400)
        ctx = service.context(
            terminal=request.headers.get("x-cloudsift-terminal") == "1",
            width=width,
            cwd=Path(request.headers["x-cloudsift-cwd"]) if "x-cloudsift-cwd" in request.headers else None,
        )
        running = lines.start(ctx, service.config.server.line_timeout_seconds)
        elements = _elements(line, ctx, list_nodes=envelope or text)
        first = await _first_unless_gone(request, elements, running)
        if isinstance(first, BaseException):
            running.finish()
            ctx.close()
            error = _error(running.explain(first))
            status = 500 if error["exit_code"] == 3 else 400 if error["exit_code"] == 2 else 422
            if text:
                return Response(_error_text(error), status, media_type="text/plain")
            return JSONResponse(error, status)
        encode = _envelope if envelope else _text if text else _json_line
        media = "text/plain; charset=utf-8" if text else JSON_LINES
        chunks = _stream(first, elements, ctx, encode, running)
        return StreamingResponse(_cancelled_when_gone(chunks, running), media_type=media)

    return app


MAX_WIDTH = 10_000


def _width(header: str | None) -> int | str:
    """The terminal width a client sends (default 120), or what is wrong with it."""
    if not header:
        return 120
    if not header.strip().isdigit() or not 1 <= int(header) <= MAX_WIDTH:
        shown = header if len(header) <= 20 else header[:20] + "…"
        return f"X-Cloudsift-Width must be a number of columns from 1 to {MAX_WIDTH}, not {shown!r}"
    return int(header)


def stop_lines(lines: RunningLines) -> None:
    """The server stops: every line the API runs is cancelled, every jq child killed (jobs' too)."""
    from cloudsift.commands.jq import stop_every_jq

    lines.cancel_all()
    stop_every_jq()


def _too_large(limit: int) -> dict[str, Any]:
    return {"error": f"the request body is larger than {limit} bytes ([server] max_request_bytes)",
            "exit_code": 2}  # fmt: skip


async def _body(request: Request, limit: int) -> bytes | None:
    """The body, or None past `limit` bytes (counted as it comes: a chunked body has no length)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


class _DeclaredBodyLimit:
    """A 413 for every route whose request declares a body larger than the limit, before it is read."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > self.limit:
                await JSONResponse(_too_large(self.limit), 413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _first_unless_gone(request: Request, elements: Iterator[Any], running: RunningLine) -> Any:
    """The line's first element (or its error); a client that goes away meanwhile cancels the line."""
    first: Awaitable[Any] = asyncio.ensure_future(run_in_threadpool(_first, elements))
    while True:
        done, _ = await asyncio.wait({first}, timeout=0.25)  # type: ignore[type-var]
        if done:
            return await first
        if await request.is_disconnected():
            running.cancel()


async def _cancelled_when_gone(chunks: Iterator[bytes], running: RunningLine) -> AsyncIterator[bytes]:
    try:
        async for chunk in iterate_in_threadpool(chunks):
            yield chunk
    finally:
        running.cancel()  # the client went away (or the line ended): stop it where it is


def _elements(line: str, ctx: Context, list_nodes: bool) -> Iterator[Any]:
    from cloudsift.commands.pipeline import run_line

    return iter(run_line(line, ctx, list_nodes))


def _first(elements: Iterator[Any]) -> Any:
    try:
        return next(elements, _DONE)
    except BaseException as e:  # becomes the answer's status and body
        return e


def _stream(
    first: Any, elements: Iterator[Any], ctx: Context, encode: Callable[[Any], bytes], running: RunningLine
) -> Iterator[bytes]:
    try:
        if first is _DONE:
            return
        yield encode(first)
        try:
            for element in elements:
                yield encode(element)
        except BaseException as e:
            if isinstance(e, GeneratorExit):
                raise
            body = _error(running.explain(e))
            yield (_error_text(body).encode() if encode is _text else orjson.dumps(body) + b"\n")
    finally:
        ctx.cancelled.set()  # a client that went away stops the line
        running.finish()
        ctx.close()


def _error(error: BaseException) -> dict[str, Any]:
    if isinstance(error, CloudsiftError):
        return {"error": mask_secrets(error.render()), "exit_code": error.exit_code,
                "query": isinstance(error, QueryError)}  # fmt: skip
    return {"error": mask_secrets(internal_error(error)), "exit_code": 3, "query": False}


def _error_text(body: dict[str, Any]) -> str:
    return error_line(str(body["error"]), bool(body.get("query")))


def _json_line(element: Any) -> bytes:
    if isinstance(element, Table):
        return b"".join(
            orjson.dumps(dict(zip(element.header, row, strict=False))) + b"\n" for row in element.rows
        )
    return orjson.dumps(element, default=str) + b"\n"


def _envelope(element: Any) -> bytes:
    if isinstance(element, Table):
        return orjson.dumps({"table": {"header": element.header, "rows": element.rows}}) + b"\n"
    return orjson.dumps({"element": element}, default=str) + b"\n"


def _text(element: Any) -> bytes:
    from cloudsift.render import render

    out = io.StringIO()
    render([element], out, False)
    return out.getvalue().encode()
