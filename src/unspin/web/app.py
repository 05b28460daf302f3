"""The web app: ``create_app(config)`` gives the ASGI application ``unspin serve`` runs.

Every response carries a Content-Security-Policy that allows scripts and styles from this server
only (no inline script, no third party). Request bodies over ``ServeConfig.max_bytes`` get 413
before the app reads them. Errors are JSON under ``/api`` and a readable page elsewhere; each
message says what to do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import BadInputError, UnspinError
from ..version import __version__
from .api import AuthError, NotFound
from .api import router as api_router
from .config import ServeConfig
from .pages import router as pages_router
from .report import render
from .service import Service, TimeLimitError

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY"}


class _TooLarge(Exception):
    pass


class LimitsMiddleware:
    """Caps request bodies at ``max_bytes`` (413) and sets the security headers."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        over = False  # the body ran past the limit: whatever the app answers is replaced by 413

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"content-security-policy", CSP.encode()))
                headers.extend((k.lower().encode(), v.encode()) for k, v in HEADERS.items())
                message = {**message, "headers": headers}
            await send(message)

        async def app_send(message: Message) -> None:
            if not over:
                await send_with_headers(message)

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send_with_headers, int(declared))
            return
        seen = 0
        ended = False  # the whole body was read (nothing left to drain)

        async def counted() -> Message:
            nonlocal seen, over, ended
            message = await receive()
            ended = message["type"] != "http.request" or not message.get("more_body", False)
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True
                    raise _TooLarge  # form parsers may turn this into their own 400: ignored
            return message

        try:
            await self.app(scope, counted, app_send)
        except _TooLarge:
            pass
        if over and not started:
            await self._refuse(scope, receive, send_with_headers, seen, drain=not ended)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, size: int, *,
                      drain: bool = True) -> None:
        # read (and drop) a moderate rest of the body, so that a browser sees the answer
        # rather than a reset connection; a huge one is cut off
        budget = 4 * self.max_bytes
        more = drain
        while more and budget > 0:
            chunk = await receive()
            budget -= len(chunk.get("body", b""))
            more = chunk["type"] == "http.request" and chunk.get("more_body", False)
        message = (f"the request is {size:,} bytes or more, over this server's limit of "
                   f"{self.max_bytes:,} bytes; split the file, or start the server with a larger "
                   "--max-bytes")
        response = _error(scope.get("path", ""), 413, message)
        await response(scope, receive, send)


def _error(path: str, status: int, message: str, **extra: Any) -> Response:
    if path.startswith("/api") or path == "/openapi.json":
        return JSONResponse({"error": message, **extra}, status_code=status)
    page = render("error.html", status=status, message=message, version=__version__)
    return HTMLResponse(page, status_code=status)


def _status(exc: UnspinError) -> int:
    if isinstance(exc, AuthError):
        return exc.status
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, TimeLimitError):
        return 503
    return 400


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    return [{"field": ".".join(str(x) for x in e.get("loc", ()) if x != "body"),
             "message": str(e.get("msg", ""))} for e in exc.errors()]


def create_app(config: ServeConfig) -> FastAPI:
    """The app serving ``config.index``, read-only; fails at once if the index cannot open."""
    svc = Service(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        svc.close()

    app = FastAPI(title="unspin", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None, description="Trace rewritten news back to its source.")
    app.state.service = svc
    app.state.batches = None  # set by the pages module on first use

    @app.exception_handler(UnspinError)
    async def unspin_error(request: Request, exc: UnspinError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if _status(exc) == 401 else None
        response = _error(request.url.path, _status(exc), str(exc))
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_fields(request: Request, exc: RequestValidationError) -> Response:
        fields = _field_errors(exc)
        names = ", ".join(f["field"] + ": " + f["message"] for f in fields)
        return _error(request.url.path, 422, f"check the request's fields ({names})", fields=fields)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = {404: "no such page; start from / or see /docs for the API",
                   405: "this address does not take that method; see /docs"}.get(
            exc.status_code, str(exc.detail))
        return _error(request.url.path, exc.status_code, message)

    app.add_exception_handler(BadInputError, unspin_error)  # type: ignore[arg-type]
    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(packages=[("unspin.web", "static")]), name="static")
    app.add_middleware(LimitsMiddleware, max_bytes=config.max_bytes)
    return app


def app_from_env() -> FastAPI:
    """The app for ``unspin serve --workers N`` (each worker process builds its own)."""
    return create_app(ServeConfig.from_env())


__all__ = ["create_app", "app_from_env", "CSP", "LimitsMiddleware"]
