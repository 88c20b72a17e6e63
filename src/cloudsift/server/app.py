"""The HTTP API: POST /cli/execute runs a command line, GET /health, GET /metrics; bearer-token auth.

/cli/execute takes the line as the request body and streams what it yields: JSON Lines by default
(`Accept: application/x-ndjson`: one JSON value per element, nodes as documents, a table as one object
per row) or text
(`Accept: text/plain`: as `cloudsift -c` prints it). An error before the first element answers 400
(a usage or query error) or 422 (the line could not be done) with `{"error", "exit_code"}`; an error
later ends the stream with that object as its last line. The command line client asks for an envelope
(`X-Cloudsift-Envelope: 1`: every line `{"element": …}`, `{"table": …}` or `{"error": …}`).
"""

from __future__ import annotations

import io
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from cloudsift import __version__
from cloudsift.commands.output import Table
from cloudsift.context import Context
from cloudsift.errors import CloudsiftError, QueryError, error_line, internal_error
from cloudsift.server.metrics import render_metrics
from cloudsift.server.service import Service
from cloudsift.server.ui import mount_ui

JSON_LINES = "application/x-ndjson"
_DONE = object()


def create_app(service: Service, token: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start()
        yield
        await run_in_threadpool(service.stop)

    app = FastAPI(title="cloudsift", version=__version__, lifespan=lifespan)
    mount_ui(app, service, token)
    bearer = HTTPBearer(auto_error=False)

    def authorized(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:  # noqa: B008
        if credentials is None or not secrets.compare_digest(
            credentials.credentials.encode(), token.encode()
        ):
            raise HTTPException(
                401,
                "a bearer token is required: Authorization: Bearer <the token in $CLOUDSIFT_HOME/server.token>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "jobs_running": sorted(service.ctx.runner.running())}

    @app.get("/metrics", dependencies=[Depends(authorized)])
    def metrics() -> Response:
        return Response(
            render_metrics(service.context), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    @app.post("/cli/execute", dependencies=[Depends(authorized)])
    async def execute(request: Request) -> Response:
        line = (await request.body()).decode("utf-8", errors="replace").strip()
        if not line:
            return JSONResponse({"error": "the body must hold a command line", "exit_code": 2}, 400)
        envelope = request.headers.get("x-cloudsift-envelope") == "1"
        text = not envelope and "text/plain" in request.headers.get("accept", "")
        width = _width(request.headers.get("x-cloudsift-width"))
        if isinstance(width, str):
            body = {"error": width, "exit_code": 2, "query": False}
            if text:
                return Response(_error_text(body), 400, media_type="text/plain")
            return JSONResponse(body, 400)
        ctx = service.context(
            terminal=request.headers.get("x-cloudsift-terminal") == "1",
            width=width,
            cwd=Path(request.headers["x-cloudsift-cwd"]) if "x-cloudsift-cwd" in request.headers else None,
        )
        elements = _elements(line, ctx, list_nodes=envelope or text)
        first = await run_in_threadpool(_first, elements)
        if isinstance(first, BaseException):
            ctx.close()
            body = _error(first)
            status = 500 if body["exit_code"] == 3 else 400 if body["exit_code"] == 2 else 422
            if text:
                return Response(_error_text(body), status, media_type="text/plain")
            return JSONResponse(body, status)
        encode = _envelope if envelope else _text if text else _json_line
        media = "text/plain; charset=utf-8" if text else JSON_LINES
        return StreamingResponse(_stream(first, elements, ctx, encode), media_type=media)

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


def _elements(line: str, ctx: Context, list_nodes: bool) -> Iterator[Any]:
    from cloudsift.commands.pipeline import run_line

    return iter(run_line(line, ctx, list_nodes))


def _first(elements: Iterator[Any]) -> Any:
    try:
        return next(elements, _DONE)
    except BaseException as e:  # becomes the answer's status and body
        return e


def _stream(
    first: Any, elements: Iterator[Any], ctx: Context, encode: Callable[[Any], bytes]
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
            body = _error(e)
            yield (_error_text(body).encode() if encode is _text else orjson.dumps(body) + b"\n")
    finally:
        ctx.cancelled.set()  # a client that went away stops the line
        ctx.close()


def _error(error: BaseException) -> dict[str, Any]:
    if isinstance(error, CloudsiftError):
        return {"error": error.render(), "exit_code": error.exit_code, "query": isinstance(error, QueryError)}
    return {"error": internal_error(error), "exit_code": 3, "query": False}


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
