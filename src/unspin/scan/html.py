"""A scan's summary as one self-contained HTML page, linking each derived page's result.

The page is rendered with the web app's Jinja2 environment (``unspin.web.report.environment``):
autoescape is the one escaping path, so hosts, URLs, titles and reasons taken from a crawl come
out as text. A page's URL is a link only when it is ``http(s)``; each derived page links to the
results file of its shard (``shards/<id>.jsonl``, relative to the HTML file) and names its line.
At most ``MAX_LISTED`` derived pages are listed (in shard order); the rest are counted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ..errors import UsageError
from .plan import Plan, write_atomic
from .shard import results_path
from .summary import done_counts

HTML_NAME = "summary.html"
MAX_LISTED = 2000
_TEMPLATE = "scan_summary.html"


@dataclass(frozen=True, slots=True)
class DerivedRow:
    """One derived page as the HTML page lists it."""

    host: str
    url: str
    href: str  # the page's URL when it is http(s), else ""
    source_id: str
    source_title: str
    coverage: float
    score: float
    result_href: str
    result_name: str
    line: int


def derived_rows(out: Path, plan: Plan, html_dir: Path, limit: int = MAX_LISTED
                 ) -> tuple[list[DerivedRow], int]:
    """The first ``limit`` derived pages of the finished shards, and how many more there are."""
    rows: list[DerivedRow] = []
    more = 0
    for shard_id, line, record in _derived(out, plan):
        if len(rows) >= limit:
            more += 1
            continue
        rows.append(_row(record, results_path(out, shard_id), line, html_dir))
    return rows, more


def _derived(out: Path, plan: Plan) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for counts in done_counts(out, plan):
        with open(results_path(out, counts.shard), encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                record = json.loads(line)
                if record.get("verdict") == "derived":
                    yield counts.shard, line_no, record


def _row(record: dict[str, Any], results: Path, line: int, html_dir: Path) -> DerivedRow:
    top = record["sources"][0] if record.get("sources") else {}
    url = str(record.get("url") or "")
    return DerivedRow(
        host=str(record.get("host") or "(no host)"), url=url or str(record["suspect"]["id"]),
        href=url if _is_web(url) else "", source_id=str(top.get("id", "")),
        source_title=str(top.get("title", "")), coverage=float(top.get("coverage_suspect", 0.0)),
        score=float(top.get("score", 0.0)),
        result_href=quote(os.path.relpath(results, html_dir).replace(os.sep, "/")),
        result_name=results.name, line=line)


def _is_web(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def render_scan_html(summary: dict[str, Any], out: Path, plan: Plan, html_path: Path) -> str:
    """The summary page of the scan in ``out``, to be written at ``html_path``."""
    from ..web.report import _inline, render

    html_dir = html_path.resolve().parent
    rows, more = derived_rows(out.resolve(), plan, html_dir)
    style, style_hash = _inline("style.css")
    script, script_hash = _inline("report.js")
    return render(_TEMPLATE, title=f"unspin scan: {out.name}", shards=summary["shards"],
                  pages=summary["pages"], bad_by_reason=list(summary["bad_by_reason"].items()),
                  bad_inputs=summary["bad_inputs"], hosts=summary["hosts"][:100],
                  sources=summary["sources"][:100], derived=rows, more=more, style=style,
                  script=script, style_hash=style_hash, script_hash=script_hash)


def write_scan_html(summary: dict[str, Any], out: Path, plan: Plan, html_path: Path) -> None:
    """Write the summary page at ``html_path``; ``UsageError`` when it cannot be written."""
    page = render_scan_html(summary, out, plan, html_path)
    try:
        write_atomic(html_path, page)
    except OSError as exc:
        raise UsageError(f"{html_path}: cannot write the scan's HTML summary "
                         f"({exc.strerror or exc}); choose a writable --html path") from None


__all__ = ["write_scan_html", "render_scan_html", "derived_rows", "HTML_NAME", "MAX_LISTED"]
