"""House rules for first-party code: no module over 500 lines, no function over 80 lines.

Walks every first-party ``.py`` file (migrations and tests excluded) with ``ast`` and prints the
offenders, so a failure says exactly which file or function to split.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("kvinnofrid", "agreements", "actionplans", "followup")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# Modules waiting for their split; empty since every module keeps the limits. Nothing may be
# added to it.
PENDING_SPLIT: set[str] = set()


def first_party_files() -> list[Path]:
    """Every first-party Python file outside migrations and tests."""
    files = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts:
                continue
            files.append(path)
    return files


def offenders_in(source: str, name: str) -> list[str]:
    """The module ``name`` if it is too long, and each too long function or method in it."""
    found = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name}: {lines} lines (module)")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.name}: {length} lines (function)")
    return found


def offenders() -> list[str]:
    """Every offender in the first-party code, pending splits excepted."""
    found = []
    for path in first_party_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative not in PENDING_SPLIT:
            found += offenders_in(path.read_text(encoding="utf-8"), relative)
    return found


def test_house_walks_the_first_party_code():
    relative = {path.relative_to(ROOT).as_posix() for path in first_party_files()}
    assert "followup/models.py" in relative
    assert "followup/services/rounds.py" in relative
    assert not any("/migrations/" in name for name in relative)
    assert relative >= PENDING_SPLIT


def test_house_finds_a_long_function_and_a_long_module():
    body = "".join(f"    x{i} = {i}\n" for i in range(80))
    method = "class C:\n    def m(self):\n" + "".join(f"        y{i} = {i}\n" for i in range(79))
    assert offenders_in(f"def f():\n{body}", "a.py") == ["a.py:f: 81 lines (function)"]
    assert offenders_in(method, "b.py") == []
    assert offenders_in(method + "        z = 0\n", "b.py") == ["b.py:m: 81 lines (function)"]
    assert offenders_in("x = 1\n" * 501, "c.py") == ["c.py: 501 lines (module)"]
    assert offenders_in("x = 1\n" * 500, "c.py") == []


def test_no_module_or_function_too_long():
    found = offenders()
    print("\n".join(found))  # noqa: T201 - the offenders, for whoever splits them
    assert not found, "Split these along their seams:\n" + "\n".join(found)
