"""The engine is pure Python: no Django anywhere in its import graph."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent


def test_engine_source_imports_nothing_from_django() -> None:
    offenders = []
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_importing_and_running_the_engine_loads_no_django_module() -> None:
    code = (
        "import json, sys\n"
        "from parindex.engine import evaluate\n"
        "from parindex.engine.evalfile import loads, results_document\n"
        f"text = open({str(ENGINE / 'tests' / 'fixtures' / 'hanam_2022.json')!r}).read()\n"
        "results_document(evaluate(loads(text)))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
