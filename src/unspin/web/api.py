"""The HTTP API (``/api/...``): each route reads its input, makes library calls, returns JSON.

Errors are JSON objects ``{"error": message}`` whose message says what to do (see ``app``).
"""

from __future__ import annotations

import hmac
import os
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Request, UploadFile
from fastapi.responses import JSONResponse

from ..article import Article, BadRecord
from ..check import check
from ..config import CheckConfig
from ..errors import BadInputError, UsageError
from ..index import Index
from ..index.search import find_articles
from ..report.json import check_record
from ..tortured import DetectConfig, detect, restore
from ..tortured.report import phrases_record, restoration_record
from .service import Service, read_upload

router = APIRouter(prefix="/api", tags=["api"])


class NotFound(UsageError):
    """Nothing by that name (404)."""


class AuthError(UsageError):
    """Writes refused: ``status`` is 401 (no token) or 403 (writes off, or a wrong token)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


TextField = Annotated[str | None, Form(description="the text to check (or upload a file)")]
FileField = Annotated[UploadFile | None,
                      File(description="a .txt, .html, .warc(.gz) or .jsonl file (or send text)")]


def service(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


async def suspects(request: Request, text: str | None, file: UploadFile | None,
                   ) -> tuple[list[Article], list[BadRecord]]:
    """The suspects of a request: its ``text`` field, or the articles in its uploaded file."""
    svc = service(request)
    if file is not None and file.filename:
        data = await file.read()
        name = file.filename
        # extraction (trafilatura, warcio) runs on the pool, not on the event loop
        articles, bad = await svc.call(lambda _: read_upload(
            name, data, max_bytes=svc.config.max_bytes, max_records=svc.config.batch_records))
        if not articles:
            reasons = "; ".join(m["message"] for m in _skipped(bad)) or "no article found"
            raise BadInputError(file.filename, f"no readable article in it: {reasons}")
        return articles, bad
    if text is None or not text.strip():
        raise BadInputError("request", "no text; send a non-empty `text` field or a `file`")
    return [Article(id="pasted", text=text)], []


def _skipped(bad: list[BadRecord]) -> list[dict[str, str]]:
    return [{"where": f"{b.path}:{b.location}" if b.location else b.path, "message": b.message}
            for b in bad]


def _checked(article: Article, index: Index, *, tortured: bool) -> dict[str, Any]:
    result = check(article.text, index, config=CheckConfig(), suspect_id=article.id,
                   path=str(article.metadata.get("path", "")))
    page = article.metadata.get("format") in ("html", "warc")
    # as `check --json`: the language model only when no source was found
    phrases = phrases_record("", detect(article.text, index=index, config=DetectConfig(
        use_model=not result.derived)))["tortured_phrases"] if tortured else None
    return check_record(result, suspect_text=article.text if page else None, tortured=phrases)


@router.post("/check", summary="Check a text or a file against the index")
async def api_check(request: Request, text: TextField = None, file: FileField = None,
                    tortured: Annotated[bool, Form(description="add tortured_phrases")] = True,
                    ) -> JSONResponse:
    """The object `unspin check --json` prints, for a text or a one-article file; for a file
    of several articles (WARC, JSON lines), `{"results": [...], "skipped": [...]}`."""
    articles, bad = await suspects(request, text, file)
    svc = service(request)
    results = [await svc.call(partial(_checked, a, tortured=tortured)) for a in articles]
    # returned as a response: plain JSON types already, no need for FastAPI's slower encoder
    if len(results) == 1 and not bad:
        return JSONResponse(results[0])
    return JSONResponse({"results": results, "skipped": _skipped(bad)})


@router.post("/tortured", summary="Flag the tortured phrases of a text")
async def api_tortured(request: Request, text: TextField = None, file: FileField = None,
                       ) -> dict[str, Any]:
    """`{"path": ..., "tortured_phrases": [...]}` as `unspin tortured --json` prints."""
    articles, _ = await suspects(request, text, file)
    art = articles[0]
    found = await service(request).call(lambda index: detect(art.text, index=index))
    return phrases_record(art.id, found)


@router.post("/restore", summary="Restore a text's likely original wording, with its diff")
async def api_restore(request: Request, text: TextField = None, file: FileField = None,
                      ) -> dict[str, Any]:
    """`{"path", "restored", "source_id", "diff"}` as `unspin restore --json` prints."""
    articles, _ = await suspects(request, text, file)
    art = articles[0]
    result = await service(request).call(lambda index: restore(art.text, index=index))
    return restoration_record(art.id, result)


@router.get("/index", summary="What `unspin index info` says; with q, articles by id or title")
async def api_index(request: Request, q: str = "", limit: int = 20) -> dict[str, Any]:
    def info(index: Index) -> dict[str, Any]:
        out: dict[str, Any] = {"index": dict(index.manifest), "articles": len(index)}
        if q:
            out["matches"] = [{"id": i, "title": t}
                              for i, t in find_articles(index, q, limit=max(1, min(limit, 200)))]
        return out

    return await service(request).call(info)


def article_record(article: Article) -> dict[str, Any]:
    return {"id": article.id, "title": article.title, "url": article.url,
            "published": article.published, "source": article.source, "text": article.text}


@router.get("/articles/{article_id:path}", summary="One indexed article")
async def api_article(request: Request, article_id: str) -> dict[str, Any]:
    found = await service(request).call(lambda index: index.get(article_id))
    if found is None:
        raise NotFound(f"no article with id {article_id!r} in the index; "
                       "find ids with GET /api/index?q=WORDS")
    return article_record(found)


def _authorize(request: Request, authorization: str | None) -> None:
    config = service(request).config
    if not config.allow_writes:
        raise AuthError("writes are off on this server; start it with --allow-writes and a token "
                        f"in ${config.token_env}", 403)
    expected = os.environ.get(config.token_env, "")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AuthError("send the write token as `Authorization: Bearer TOKEN`", 401)
    if not expected or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise AuthError("wrong token; use the one in the server's "
                        f"${config.token_env}", 403)


@router.post("/articles", summary="Add articles to the index (needs --allow-writes and a token)",
             status_code=201)
async def api_add(request: Request, file: Annotated[UploadFile, File()],
                  authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    """Adds the articles of an uploaded file (ids already in the index are replaced)."""
    _authorize(request, authorization)
    articles, bad = await suspects(request, None, file)
    svc = service(request)

    def add(_: Index) -> int:
        with svc.write_lock, Index.open(svc.config.index) as writable:
            return writable.add(articles).added

    added = await svc.call(add)
    return JSONResponse({"added": added, "skipped": _skipped(bad)}, status_code=201)


__all__ = ["router", "NotFound", "AuthError", "article_record"]
