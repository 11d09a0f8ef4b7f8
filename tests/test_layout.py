"""The layout rules of the code base, checked on the source (no Django needed):

* the ground floor stays the ground floor: ``core`` imports no app of the project, ``periods``
  nothing of ``assessments`` or ``season``, the engine no Django (``engine/tests/test_purity``);
* one home per concern: no product module over 600 lines, no function over 80, and the
  median function short;
* ``Assessment.status`` is assigned in exactly one function (``assessments.workflow.move``).
"""

from __future__ import annotations

import ast
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "parindex"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
MAX_MEDIAN_FUNCTION_LINES = 10


def _product_modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = set(path.relative_to(PACKAGE).parts)
        if parts & {"migrations", "tests"} or path.name == "conftest.py":
            continue
        yield path


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _apps() -> set[str]:
    return {
        f"parindex.{p.parent.name}"
        for p in PACKAGE.glob("*/apps.py")
        if p.parent.name not in {"core"}
    }


def _imports_any(path: Path, packages: set[str]) -> list[str]:
    return sorted(
        name
        for name in _imported(path)
        if any(name == p or name.startswith(p + ".") for p in packages)
    )


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("core", None),  # None: every app of the project
        ("periods", {"parindex.assessments", "parindex.season"}),
        ("engine", {"django"}),
    ],
)
def test_lower_floors_do_not_import_upper_ones(folder: str, forbidden: set[str] | None) -> None:
    packages = _apps() if forbidden is None else forbidden
    offending = {
        str(path.relative_to(PACKAGE)): names
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        if not (folder == "engine" and "tests" in path.parts)  # tests may drive the command
        and (names := _imports_any(path, packages))
    }
    assert offending == {}


def test_no_product_module_is_longer_than_the_limit() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in _product_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_functions_stay_short() -> None:
    lengths: dict[str, int] = {}
    for path in _product_modules():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                where = f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"
                lengths[where] = node.end_lineno - node.lineno + 1
    long = {where: n for where, n in lengths.items() if n > MAX_FUNCTION_LINES}
    assert long == {}
    assert statistics.median(lengths.values()) <= MAX_MEDIAN_FUNCTION_LINES


def _status_assignments(path: Path) -> Iterator[str]:
    """Functions of ``path`` that assign ``<something>.status`` of an assessment, or pass
    ``status=`` to a query's ``update``."""
    tree = _tree(path)
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if (
                        isinstance(leaf, ast.Attribute)
                        and leaf.attr == "status"
                        and "assessment" in ast.unparse(leaf.value).lower()
                    ):
                        yield f"{path.relative_to(PACKAGE)}:{func.name}"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update"
                and "Assessment.objects" in ast.unparse(node.func.value)
                and any(k.arg == "status" for k in node.keywords)
            ):
                yield f"{path.relative_to(PACKAGE)}:{func.name}"


def test_assessment_status_is_set_in_exactly_one_function() -> None:
    found = {where for path in _product_modules() for where in _status_assignments(path)}
    assert found == {"assessments/workflow.py:move"}
