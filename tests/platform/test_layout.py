"""House rules about the code's layout that import-linter cannot state."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ("members", "communities", "discussions", "value_cycles", "cop_platform")


def _python_files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return [path for app in APPS for path in sorted((root / app).rglob("*.py"))]


def test_no_module_imports_a_private_name_of_a_view_module() -> None:
    # What several views share lives in a module of its own under a public name.
    offenders = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and ".views" in f".{node.module or ''}":
                offenders += [
                    f"{path.name}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    assert offenders == []
