"""Every audit action key the code can write, collected from the source (not from a list kept
by hand): each call with an ``action=`` keyword in the apps' modules, resolved to its string
constants, plus the keys the child writers build (``<kind>_create`` …) from their kinds."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("agreements", "actionplans", "followup", "kvinnofrid")
# calls whose ``action`` is not an audit key
NOT_AUDIT = {"add_argument", "filter", "exclude", "get"}
# f-strings that forward a key built elsewhere (collected from their callers or kinds below)
FORWARDERS = {
    "f'agreements.{action}'",
    "f'actionplans.{action}'",
    "f'{kind.action}_create'",
    "f'{kind.action}_update'",
    "f'{kind.action}_delete'",
    "f'{kind.action}_move'",
}


def _files() -> list[Path]:
    return [
        path
        for top in SOURCES
        for path in sorted((ROOT / top).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _func_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _assigned(tree: ast.Module, name: str) -> list[ast.expr]:
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]


def _params(tree: ast.Module) -> set[str]:
    return {
        arg.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for arg in (*node.args.args, *node.args.kwonlyargs)
    }


def _strings(value: ast.expr, tree: ast.Module, where: str, problems: list[str]) -> list[str]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.IfExp):
        return _strings(value.body, tree, where, problems) + _strings(
            value.orelse, tree, where, problems
        )
    if isinstance(value, ast.Name):
        assigned = _assigned(tree, value.id)
        if assigned:
            return [s for v in assigned for s in _strings(v, tree, where, problems)]
        if value.id in _params(tree):
            return []  # forwarded: the callers pass the key
    if isinstance(value, ast.JoinedStr) and ast.unparse(value) in FORWARDERS:
        return []
    problems.append(f"{where}: cannot read the audit key {ast.unparse(value)}")
    return []


def collect() -> tuple[set[str], list[str]]:
    """(keys, problems): problems name action expressions this collector cannot resolve."""
    keys: set[str] = set()
    problems: list[str] = []
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        app = path.relative_to(ROOT).parts[0]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _func_name(node) in NOT_AUDIT:
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                for key in _strings(keyword.value, tree, where, problems):
                    keys.add(key if "." in key else f"{app}.{key}")
    keys |= _child_keys()
    return keys, problems


def _child_keys() -> set[str]:
    from actionplans.services.parts import PARTS
    from agreements.services import ITEMS

    keys = set()
    for prefix, writer in (("agreements", ITEMS), ("actionplans", PARTS)):
        for kind in writer.kinds.values():
            for suffix in ("create", "update", "delete", "move"):
                keys.add(f"{prefix}.{kind.action}_{suffix}")
    return keys
