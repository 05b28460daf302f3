"""The web app and HTTP API (``unspin serve``) and the HTML report (``unspin check --html``).

``create_app(ServeConfig(index=...))`` gives the ASGI app; ``build_report`` and ``render_html``
give a self-contained HTML report of check results. Both are thin skins over the library verbs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import ServeConfig
from .report import Report, build_report, render_html

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(config: ServeConfig) -> FastAPI:
    """The FastAPI app (imported on call: the HTML report needs only Jinja2)."""
    from .app import create_app as _create

    return _create(config)


__all__ = ["ServeConfig", "Report", "build_report", "render_html", "create_app"]
