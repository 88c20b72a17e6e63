"""IAM Access Analyzer for the emulated AWS: moto has no backend for it (its server answers HTTP 500,
"Unable to find appropriate backend"), so this one serves the calls the demo, the tests and CIS 1.20 need.

CreateAnalyzer, ListAnalyzers, GetAnalyzer and DeleteAnalyzer, in the shapes of botocore's accessanalyzer
model (2019-11-01, rest-json: `PUT /analyzer`, `GET /analyzer`, `GET|DELETE /analyzer/{analyzerName}`),
per account and region. Served by moto's own server over HTTP (requests signed for `access-analyzer` go
here), its state in a moto backend, so that moto's reset clears it as it clears the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, unquote

SIGNING_NAME = "access-analyzer"
TYPES = ("ACCOUNT", "ORGANIZATION", "ACCOUNT_UNUSED_ACCESS", "ORGANIZATION_UNUSED_ACCESS",
         "ACCOUNT_INTERNAL_ACCESS", "ORGANIZATION_INTERNAL_ACCESS")  # fmt: skip
_SCOPE = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,254}\Z")
_backends: Any = None

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _analyzers(account: str, region: str) -> dict[str, dict[str, Any]]:
    """The analyzers of one account and region, kept in a moto backend (moto's reset clears them)."""
    global _backends
    if _backends is None:
        from moto.core.base_backend import BackendDict, BaseBackend

        class AccessAnalyzerBackend(BaseBackend):
            def __init__(self, region_name: str, account_id: str) -> None:
                super().__init__(region_name, account_id)
                self.analyzers: dict[str, dict[str, Any]] = {}

        _backends = BackendDict(AccessAnalyzerBackend, "accessanalyzer")
    found: dict[str, dict[str, Any]] = _backends[account][region].analyzers
    return found


class _Failure(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def _create(account: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
    name, kind = body.get("analyzerName"), body.get("type")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _Failure(400, "ValidationException", "analyzerName is missing or not a valid name")
    if kind not in TYPES:
        raise _Failure(400, "ValidationException", f"type must be one of {', '.join(TYPES)}")
    analyzers = _analyzers(account, region)
    if name in analyzers:
        raise _Failure(409, "ConflictException", f"Analyzer {name} already exists")
    arn = f"arn:aws:access-analyzer:{region}:{account}:analyzer/{name}"
    analyzers[name] = {"arn": arn, "name": name, "type": kind, "status": "ACTIVE",
                       "createdAt": dt.datetime.now(dt.UTC).timestamp(), "tags": body.get("tags") or {},
                       **({"configuration": body["configuration"]} if body.get("configuration") else {})}  # fmt: skip
    return {"arn": arn}


def _one(account: str, region: str, name: str) -> dict[str, Any]:
    found = _analyzers(account, region).get(name)
    if found is None:
        raise _Failure(404, "ResourceNotFoundException", f"Analyzer {name} not found")
    return found


def _answer(
    method: str, path: str, query: dict[str, list[str]], account: str, region: str, body: bytes
) -> Any:
    if path == "/analyzer" and method == "PUT":
        return _create(account, region, json.loads(body or b"{}"))
    if path == "/analyzer" and method == "GET":
        wanted = query.get("type", [None])[0]
        listed = [a for a in _analyzers(account, region).values() if wanted in (None, a["type"])]
        return {"analyzers": listed}
    match = re.fullmatch(r"/analyzer/([^/]+)", path)
    if match and method == "GET":
        return {"analyzer": _one(account, region, unquote(match.group(1)))}
    if match and method == "DELETE":
        _one(account, region, unquote(match.group(1)))
        del _analyzers(account, region)[unquote(match.group(1))]
        return {}
    raise _Failure(404, "ResourceNotFoundException", f"{method} {path} is not served by this emulator")


def serve(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The WSGI application of the four calls."""
    from moto.iam.models import get_account_id_from

    scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    access_key, region = (scope.group(1), scope.group(2)) if scope else ("", "us-east-1")
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    headers = [("Content-Type", "application/json")]
    try:
        answer = _answer(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""),
                         parse_qs(environ.get("QUERY_STRING", "")), get_account_id_from(access_key), region, body)  # fmt: skip
        status = "200 OK"
    except _Failure as failure:
        answer = {"message": str(failure)}
        status = f"{failure.status} {'Conflict' if failure.status == 409 else 'Error'}"
        headers.append(("x-amzn-ErrorType", failure.code))
    payload = json.dumps(answer).encode()
    start_response(status, [*headers, ("Content-Length", str(len(payload)))])
    return [payload]


def serve_access_analyzer() -> None:
    """Make moto's server (every one started in this process) answer IAM Access Analyzer's calls."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    if getattr(DomainDispatcherApplication, "serves_access_analyzer", False):
        return
    moto_application = DomainDispatcherApplication.get_application

    def get_application(self: Any, environ: dict[str, Any]) -> Any:
        scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if scope is not None and scope.group(3) == SIGNING_NAME:
            return serve
        return moto_application(self, environ)

    DomainDispatcherApplication.get_application = get_application  # type: ignore[method-assign]
    DomainDispatcherApplication.serves_access_analyzer = True  # type: ignore[attr-defined]
