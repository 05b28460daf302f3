"""No import circles between unspin's modules.

Every import counts (at the top, inside functions, under ``TYPE_CHECKING``): a lazy import hides a
circle from Python, not from the reader. Modules are compared at the first level below ``unspin``
(``unspin.index.storage`` belongs to ``unspin.index``), the level at which a design has layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

SRC = ROOT / "src"


def _module(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _target(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _unit(name: str) -> str:
    return ".".join(name.split(".")[:2])


def import_graph() -> dict[str, set[str]]:
    """First-level unit -> the first-level units it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted((SRC / "unspin").rglob("*.py")):
        module, is_package = _module(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [_target(module, is_package, node)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                a, b = _unit(module), _unit(name)
                if name.startswith("unspin.") and a != b and b != "unspin":
                    graph.setdefault(a, set()).add(b)
    return graph


def find_circle(graph: dict[str, set[str]]) -> list[str]:
    """One circle in ``graph`` as a path that ends where it starts, or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_find_circle_finds_one() -> None:
    assert find_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": {"c"}}) == []


def test_no_import_circles() -> None:
    graph = import_graph()
    assert "unspin.semantic" in graph["unspin.index"]  # the graph is read: index uses semantic
    circle = find_circle(graph)
    assert not circle, f"import circle: {' -> '.join(circle)}; pass what is needed as arguments"
