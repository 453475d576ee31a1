"""The façade's size rules: modules to 250 lines, functions to 40, exceptions stated in the docstring."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "facade" / "lemondata_video"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 250
MAX_FUNCTION_LINES = 40


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small_with_a_docstring(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    assert ast.get_docstring(ast.parse(text)), f"{path.name} has no module docstring"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_long_functions_are_stated_in_the_module_docstring(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    stated = ast.get_docstring(tree) or ""
    long = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert [name for name in long if f"{name}` is longer than {MAX_FUNCTION_LINES} lines" not in stated] == []
