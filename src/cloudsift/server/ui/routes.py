"""The dashboard's routes: a login that sets an HTTP-only cookie, then one page per view."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from cloudsift import __version__
from cloudsift.context import Context
from cloudsift.errors import CloudsiftError, error_line
from cloudsift.server.service import Service
from cloudsift.server.ui import baseline, views
from cloudsift.server.ui.session import COOKIE, Session

HERE = Path(__file__).parent


class LoginRequired(Exception):
    """The request has no valid session cookie: the page answers with the login form."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def ui_router(service: Service, token: str) -> tuple[APIRouter, StaticFiles]:
    session = Session(token)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(
        version=__version__,
        csrf=session.csrf,
        quote=quote,
        percent=baseline.percent,
        ordered=baseline.ordered,
        failing_first=baseline.failing_first,
    )
    templates.env.filters["when"] = _when
    router = APIRouter(prefix="/ui", include_in_schema=False)

    def logged_in(request: Request) -> None:
        if not session.cookie_matches(request.cookies.get(COOKIE)):
            raise LoginRequired(
                str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")
            )

    def checked_form(csrf: str = Form("")) -> None:
        if not session.csrf_matches(csrf):
            raise HTTPException(403, "the form is stale or came from another site: reload the page")

    @contextmanager
    def opened() -> Iterator[Context]:
        ctx = service.context()
        try:
            yield ctx
        finally:
            ctx.close()

    def page(request: Request, name: str, active: str, **values: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"active": active, **values})

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/ui", failed: bool = False) -> HTMLResponse:
        return page(request, "login.html", "", next=_local(next), failed=failed)

    @router.post("/login")
    def login(token: str = Form(""), next: str = Form("/ui")) -> Response:
        if not session.token_matches(token):
            return RedirectResponse(f"/ui/login?failed=1&next={quote(_local(next))}", 303)
        answer = RedirectResponse(_local(next), 303)
        answer.set_cookie(COOKIE, session.cookie_value, httponly=True, samesite="strict", path="/")
        return answer

    @router.post("/logout", dependencies=[Depends(checked_form)])
    def logout() -> Response:
        answer = RedirectResponse("/ui/login", 303)
        answer.delete_cookie(COOKIE, path="/")
        return answer

    @router.get("", response_class=HTMLResponse, dependencies=[Depends(logged_in)])
    def overview(request: Request) -> HTMLResponse:
        with opened() as ctx:
            data = views.overview(ctx.store, ctx.now)
        return page(request, "overview.html", "overview", data=data)

    @router.get("/search", response_class=HTMLResponse, dependencies=[Depends(logged_in)])
    def search(request: Request, q: str = "", sort: str = "", desc: bool = False) -> HTMLResponse:
        with opened() as ctx:
            result = views.search(ctx.store, q, ctx.now)
        if sort in result.columns:
            result.rows.sort(key=lambda r: _sort_key(r.get(sort)), reverse=desc)
        return page(request, "search.html", "search", result=result, text=q, sort=sort, desc=desc)

    @router.get("/search.csv", dependencies=[Depends(logged_in)])
    def search_csv(q: str = "") -> Response:
        with opened() as ctx:
            result = _found(views.search(ctx.store, q, ctx.now, limit=100_000))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in result.columns])
        return Response(out.getvalue(), media_type="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="cloudsift-search.csv"'})  # fmt: skip

    @router.get("/search.json", dependencies=[Depends(logged_in)])
    def search_json(q: str = "") -> Response:
        with opened() as ctx:
            result = _found(views.search(ctx.store, q, ctx.now, limit=100_000))
        return Response(orjson.dumps(result.rows), media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="cloudsift-search.json"'})  # fmt: skip

    @router.get("/resource", response_class=HTMLResponse, dependencies=[Depends(logged_in)])
    def resource(request: Request, id: str) -> HTMLResponse:
        with opened() as ctx:
            found = views.resource(ctx.store, id, ctx.now)
        if found is None:
            return page(request, "missing.html", "search", what=f"no resource with id {id!r}")
        return page(request, "resource.html", "search", data=found,
                    properties=orjson.dumps(found.doc["reported"], option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())  # fmt: skip

    @router.get("/alerts", response_class=HTMLResponse, dependencies=[Depends(logged_in)])
    def alerts(request: Request) -> HTMLResponse:
        with opened() as ctx:
            data = views.alerts(ctx.store)
        return page(request, "alerts.html", "alerts", data=data)

    @router.get("/jobs", response_class=HTMLResponse, dependencies=[Depends(logged_in)])
    def jobs(request: Request, ran: str = "", output: str = "") -> HTMLResponse:
        with opened() as ctx:
            data = views.jobs(ctx.store)
        return page(request, "jobs.html", "jobs", data=data, ran=ran, output=output)

    @router.post("/jobs/run", dependencies=[Depends(logged_in), Depends(checked_form)])
    def run_job(request: Request, id: str = Form(...)) -> HTMLResponse:
        from cloudsift.commands.pipeline import run_line

        with opened() as ctx:
            try:
                output = "\n".join(str(e) for e in run_line(f"jobs run {shlex.quote(id)}", ctx))
            except CloudsiftError as e:
                output = error_line(e.render(), False)
            data = views.jobs(ctx.store)
        return page(request, "jobs.html", "jobs", data=data, ran=id, output=output)

    @router.get("/baseline", response_class=HTMLResponse, dependencies=[Depends(logged_in)])
    def baseline_page(request: Request) -> HTMLResponse:
        with opened() as ctx:
            rows = baseline.benchmarks(ctx)
        return page(request, "baseline.html", "baseline", rows=rows)

    @router.get("/baseline/{benchmark_id}", response_class=HTMLResponse, dependencies=[Depends(logged_in)])
    def benchmark_page(request: Request, benchmark_id: str) -> HTMLResponse:
        with opened() as ctx:
            try:
                report = baseline.benchmark(ctx, benchmark_id)
            except CloudsiftError as e:
                return page(request, "missing.html", "baseline", what=e.render())
        return page(request, "benchmark.html", "baseline", report=report)

    @router.post(
        "/baseline/{benchmark_id}/suppress", dependencies=[Depends(logged_in), Depends(checked_form)]
    )
    def suppress(request: Request, benchmark_id: str, check: str = Form(...), reason: str = Form(""),
                 owner: str = Form(""), until: str = Form(""), resource: str = Form("")) -> HTMLResponse:  # fmt: skip
        words = ["report", "suppress", check, "--reason", reason, "--owner", owner]
        words += ["--until", until] if until.strip() else []
        words += ["--resource", resource] if resource.strip() else []
        return benchmark_after(request, benchmark_id, words)

    @router.post(
        "/baseline/{benchmark_id}/unsuppress", dependencies=[Depends(logged_in), Depends(checked_form)]
    )
    def unsuppress(
        request: Request, benchmark_id: str, check: str = Form(...), resource: str = Form("")
    ) -> HTMLResponse:
        words = ["report", "unsuppress", check] + (["--resource", resource] if resource.strip() else [])
        return benchmark_after(request, benchmark_id, words)

    def benchmark_after(request: Request, benchmark_id: str, words: list[str]) -> HTMLResponse:
        """Run the report command line a form stands for, then show the benchmark with what it said."""
        from cloudsift.commands.pipeline import run_line

        with opened() as ctx:
            try:
                said, failed = "\n".join(str(e) for e in run_line(shlex.join(words), ctx)), False
            except CloudsiftError as e:
                said, failed = e.render(), True
            try:
                report = baseline.benchmark(ctx, benchmark_id)
            except CloudsiftError as e:
                return page(request, "missing.html", "baseline", what=e.render())
        return page(request, "benchmark.html", "baseline", report=report, said=said, failed=failed)

    @router.get("/complete", dependencies=[Depends(logged_in)])
    def complete() -> Response:
        with opened() as ctx:
            words = views.completions(ctx.store)
        return Response(orjson.dumps(words), media_type="application/json")

    return router, StaticFiles(directory=HERE / "static")


def login_redirect(request: Request, error: LoginRequired) -> Response:
    return RedirectResponse(f"/ui/login?next={quote(error.next_url)}", 303)


def _found(result: views.SearchResult) -> views.SearchResult:
    if result.error:
        raise HTTPException(400, result.error)
    return result


def _local(url: str) -> str:
    """Only paths of the dashboard are followed after the login (no open redirect)."""
    return url if url.startswith("/ui") and "//" not in url and "\\" not in url else "/ui"


def _sort_key(value: Any) -> tuple[int, float, str]:
    if value is None:
        return (0, 0.0, "")
    if isinstance(value, bool | int | float):
        return (1, float(value), "")
    return (2, 0.0, str(value))


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return "" if value is None else str(value)
