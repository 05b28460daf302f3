"""The pages: Check (paste or upload, one report or a batch table), Index, Article, Tortured, Docs.

Each handler reads its form, hands library calls to the service's threads and renders a template.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..article import Article
from ..check import CheckResult, check
from ..index import Index
from ..index.search import find_articles
from ..tortured import detect
from ..version import __version__
from .api import NotFound, service, suspects
from .batch import Batch, BatchStore, run_batch
from .report import build_report, render, report_view
from .view import safe_url, summary_row, tortured_pieces

router = APIRouter(include_in_schema=False)

TextField = Annotated[str | None, Form()]
FileField = Annotated[UploadFile | None, File()]


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    svc = service(request)
    html = render(template, version=__version__, max_bytes=svc.config.max_bytes,
                  index_path=svc.config.index, **context)
    return HTMLResponse(html, status_code=status)


def batches(request: Request) -> BatchStore:
    store: BatchStore | None = request.app.state.batches
    if store is None:
        store = BatchStore(service(request).config.batch_keep)
        request.app.state.batches = store
    return store


@router.get("/", response_class=HTMLResponse)
async def check_form(request: Request) -> HTMLResponse:
    return page(request, "check.html")


@router.post("/check", response_class=HTMLResponse)
async def check_page(request: Request, text: TextField = None, file: FileField = None) -> Response:
    articles, bad = await suspects(request, text, file)
    if len(articles) == 1 and not bad:
        art = articles[0]
        report = await service(request).call(lambda index: build_report(art, index))
        return page(request, "report.html", report=report_view(report, "r1"), text=art.text)
    name = file.filename if file is not None and file.filename else "upload"
    batch = batches(request).create(name, articles, bad)
    svc = service(request)

    def check_one(art: Article) -> CheckResult:
        return svc.run(lambda index: check(art.text, index, suspect_id=art.id))

    svc.submit(lambda: run_batch(batch, check_one))
    return RedirectResponse(f"/batch/{batch.id}", status_code=303)


def _batch(request: Request, batch_id: str) -> Batch:
    batch = batches(request).get(batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id!r} on this server (batches live in memory and the "
                       "oldest are dropped); upload the file again from the Check page")
    return batch


@router.get("/batch/{batch_id}", response_class=HTMLResponse)
async def batch_page(request: Request, batch_id: str) -> HTMLResponse:
    batch = _batch(request, batch_id)
    done = batch.done  # read first: the checker sets a result before it counts it as done, so
    # the rows below hold every result counted here (a page never says "Done" short of a row)
    rows = [summary_row(a.id, r, f"/batch/{batch.id}/{n}")
            for n, (a, r) in enumerate(zip(batch.articles, batch.results, strict=True))
            if r is not None]
    return page(request, "batch.html", batch=batch, rows=rows, done=done,
                finished=done >= batch.total)


@router.get("/batch/{batch_id}/{number}", response_class=HTMLResponse)
async def batch_report(request: Request, batch_id: str, number: int) -> HTMLResponse:
    batch = _batch(request, batch_id)
    if not 0 <= number < batch.total or batch.results[number] is None:
        raise NotFound(f"record {number} of this batch is not checked (yet); "
                       f"see /batch/{batch_id}")
    art, result = batch.articles[number], batch.results[number]
    report = await service(request).call(lambda index: build_report(art, index, result=result))
    return page(request, "report.html", report=report_view(report, "r1"), text=art.text,
                batch=batch)


@router.get("/index", response_class=HTMLResponse)
async def index_page(request: Request, q: str = "") -> HTMLResponse:
    def info(index: Index) -> tuple[dict[str, str], int, list[tuple[str, str]]]:
        return dict(index.manifest), len(index), find_articles(index, q, limit=50) if q else []

    manifest, count, matches = await service(request).call(info)
    return page(request, "index.html", manifest=manifest, count=count, q=q, matches=matches)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: str) -> HTMLResponse:
    found = await service(request).call(lambda index: index.get(article_id))
    if found is None:
        raise NotFound(f"no article with id {article_id!r} in the index; search for it on the "
                       "Index page")
    return page(request, "article.html", article=found, url=safe_url(found.url))


@router.get("/tortured", response_class=HTMLResponse)
async def tortured_form(request: Request) -> HTMLResponse:
    return page(request, "tortured.html")


@router.post("/tortured", response_class=HTMLResponse)
async def tortured_page(request: Request, text: TextField = None, file: FileField = None,
                        ) -> HTMLResponse:
    articles, _ = await suspects(request, text, file)
    art = articles[0]
    found = await service(request).call(lambda index: detect(art.text, index=index))
    return page(request, "tortured.html", text=art.text, phrases=found,
                marked=tortured_pieces(art.text, found))


@router.get("/docs", response_class=HTMLResponse)
async def docs_page(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    routes = [(path, method.upper(), op) for path, ops in schema.get("paths", {}).items()
              for method, op in ops.items()]
    return page(request, "docs.html", routes=routes, schema=schema)


__all__ = ["router"]
