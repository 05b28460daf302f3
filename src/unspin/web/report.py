"""The similarity report as HTML: one template for the web app's pages and ``check --html``.

``build_report`` runs the library verbs for one suspect (``check``, the tortured-phrase ``detect``,
``restore``) and gathers what the report shows; ``render_html`` writes one self-contained page for
one or many reports (styles and scripts inlined, no external request, printable). Escaping is
Jinja2's autoescape, always on; no template marks input-derived text safe.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from ..article import Article
from ..check import CheckResult, check
from ..config import CheckConfig
from ..errors import UsageError
from ..index import Index
from ..tortured import DetectConfig, Restoration, TorturedPhrase, detect, restore
from .view import ReportView, restored_changes, source_view, summary_row, tortured_pieces


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one report shows: the suspect, the check result, the sources' articles as
    indexed, the tortured phrases and (optionally) the restored text."""

    suspect: Article
    result: CheckResult
    sources: dict[str, Article]
    phrases: tuple[TorturedPhrase, ...]
    restoration: Restoration | None = None


def build_report(suspect: Article, index: Index, *, config: CheckConfig | None = None,
                 result: CheckResult | None = None, restored: bool = True,
                 path: str = "") -> Report:
    """Check ``suspect`` (unless ``result`` is given) and gather its report.

    ``restored`` adds the restored text (``unspin.tortured.restore``, which checks again)."""
    if result is None:
        result = check(suspect.text, index, config=config, suspect_id=suspect.id, path=path)
    sources = {s.id: index.get(s.id) or Article(id=s.id, text="") for s in result.sources}
    # as `check --json`: the language model only when no source was found
    phrases = tuple(detect(suspect.text, index=index,
                           config=DetectConfig(use_model=not result.derived)))
    restoration = restore(suspect.text, index=index) if restored else None
    return Report(suspect, result, sources, phrases, restoration)


def report_view(report: Report, key: str) -> ReportView:
    text = report.suspect.text
    sources = []
    for rank, match in enumerate(report.result.sources, 1):
        art = report.sources.get(match.id) or Article(id=match.id, text="")
        sources.append(source_view(key, rank, match, text, art.text, art.url, art.published))
    restoration = report.restoration
    return ReportView(
        key=key,
        name=report.result.path or report.suspect.id,
        result=report.result,
        sources=tuple(sources),
        tortured=tortured_pieces(text, report.phrases),
        phrases=report.phrases,
        restored=restored_changes(restoration) if restoration and restoration.edits else (),
        restored_from=restoration.source_id if restoration else "",
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The templates, autoescaped whatever their file name (the one escaping path)."""
    env = Environment(loader=PackageLoader("unspin.web", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["percent"] = lambda x: f"{float(x):.0%}"
    return env


def asset(name: str) -> str:
    """A file of ``unspin/web/static`` as text (inlined into self-contained reports)."""
    return resources.files("unspin.web").joinpath("static", name).read_text(encoding="utf-8")


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def _inline(name: str) -> tuple[Markup, str]:
    """Our own stylesheet or script, to inline, with its CSP hash; never text from an input."""
    text = asset(name)
    if "</" in text:
        raise ValueError(f"{name} must not contain '</' to be inlined")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"'sha256-{digest}'"


def render_html(reports: Sequence[Report], *, title: str = "unspin report") -> str:
    """One self-contained HTML page: a summary table on top when there are several reports,
    then each report. Opens offline: the stylesheet and the script are inlined, and its
    Content-Security-Policy allows only those two (by hash), so the page fetches nothing."""
    views = [report_view(r, f"r{n}") for n, r in enumerate(reports, 1)]
    rows = [summary_row(v.name, v.result, f"#{v.key}") for v in views]
    style, style_hash = _inline("style.css")
    script, script_hash = _inline("report.js")
    return render("file.html", title=title, reports=views, summary=rows, style=style,
                  script=script, style_hash=style_hash, script_hash=script_hash)


def write_html(path: str, reports: Sequence[Report], *, title: str = "unspin report") -> None:
    """Write ``render_html(reports)`` to ``path`` (UTF-8); ``UsageError`` if it cannot be written."""
    html = render_html(reports, title=title)
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the HTML report ({exc.strerror or exc}); "
                         "check the path") from None


__all__ = ["write_html", "Report", "build_report", "report_view", "render_html", "render", "environment", "asset"]
