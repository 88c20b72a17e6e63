"""The web dashboard under /ui: server-rendered pages over the same library calls the API uses."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from cloudsift.server.service import Service
from cloudsift.server.ui.routes import LoginRequired, login_redirect, ui_router


def mount_ui(app: FastAPI, service: Service, token: str) -> None:
    """/ui and its pages, /ui/static, and / redirecting to the dashboard."""
    router, static = ui_router(service, token)
    app.include_router(router)
    app.mount("/ui/static", static, name="ui-static")

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse("/ui", 307)

    @app.exception_handler(LoginRequired)
    def to_login(request: Request, error: LoginRequired) -> Response:
        return login_redirect(request, error)


__all__ = ["mount_ui"]
