"""Find articles in an index by id or title (the web app's index search)."""

from __future__ import annotations

from . import Index


def _like(text: str) -> str:
    """``text`` as a LIKE pattern matched anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_articles(index: Index, query: str, *, limit: int = 20) -> list[tuple[str, str]]:
    """``(id, title)`` of the articles whose id is ``query``, then those whose id or title holds
    it (case-insensitive for ASCII), at most ``limit``; ids in order within each group."""
    query = query.strip()
    if not query or limit < 1:
        return []
    conn = index.storage.conn
    found: dict[str, str] = {}
    exact = conn.execute("SELECT id, title FROM articles WHERE id = ?", (query,)).fetchone()
    if exact:
        found[exact[0]] = exact[1]
    rows = conn.execute(
        "SELECT id, title FROM articles WHERE id LIKE ?1 ESCAPE '\\' OR title LIKE ?1 ESCAPE '\\' "
        "ORDER BY id LIMIT ?2", (_like(query), limit))
    for aid, title in rows:
        found.setdefault(aid, title)
    return list(found.items())[:limit]


__all__ = ["find_articles"]
