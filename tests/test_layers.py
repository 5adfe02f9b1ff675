"""Imports run one way: models ← app.core ← app.permissions ← app.web ← domains (lower to higher), never back.

Domains are ranked: a domain imports only domains of a lower rank (introductions builds on trials,
trials never imports introductions). The factory, the CLI and the demo data sit on top of everything.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS = {"models": 0, "app.core": 1, "app.permissions": 2, "app.web": 3}
DOMAIN_RANKS = {
    "app.auth": 10, "app.notifications": 10,
    "app.admin": 20, "app.members": 20, "app.privacy": 20,
    "app.groups": 30,
    "app.trials": 40,
    "app.needs": 50,
    "app.introductions": 60,
    "app.kpis": 65,
    "app.main": 70,
    "app.api": 80,  # the JSON API over every domain's services and scopes
}
TOP = ("app", "app.cli", "app.demo", "app.startup")  # the factory, the CLI, the demo data and the
# preparation of gunicorn's workers may import anything


def _unit(module: str) -> str | None:
    """The layer or domain a module belongs to (its longest known prefix)."""
    for name in sorted({**LAYERS, **DOMAIN_RANKS}, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return None


def _rank(unit: str) -> int:
    return LAYERS.get(unit, DOMAIN_RANKS.get(unit, 0))


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    module = _module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def _violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted([*root.glob("app/**/*.py"), *root.glob("models/**/*.py")]):
        module = _module_name(path, root)
        if module in TOP or any(module.startswith(t + ".") for t in TOP if t != "app"):
            continue
        source = _unit(module)
        if source is None:
            problems.append(f"{path.relative_to(root)}: module outside every layer and domain")
            continue
        reported: set[int] = set()
        for line, target in _imports(path, root):
            if not (target.startswith("app") or target.startswith("models")) or line in reported:
                continue
            dest = _unit(target)
            if dest is None or dest == source:
                continue
            if _rank(dest) >= _rank(source):
                reported.add(line)
                problems.append(f"{path.relative_to(root)}:{line} imports {target} ({source} may not depend on {dest})")
    return problems


def test_imports_run_from_higher_layers_to_lower_ones_only():
    assert _violations() == []


@pytest.mark.parametrize("source,statement", [
    ("app/trials/routes.py", "from app.introductions.queries import introductions_for_request"),
    ("app/trials/routes.py", "    from app.introductions import queries  # inside a function, still counted"),
    ("app/core/audit.py", "from ..web.registry import registry"),
    ("models/needs.py", "from app.core.config import Config"),
    ("app/members/labels.py", "from app.groups import labels"),
])
def test_an_upward_import_is_reported(tmp_path, source, statement):
    """The checker itself: a planted upward import is found, so an empty list above means something."""
    planted = tmp_path / source
    planted.parent.mkdir(parents=True)
    planted.write_text(("def f():\n" if statement.startswith(" ") else "") + statement + "\n", encoding="utf-8")
    assert len(_violations(tmp_path)) == 1


def test_no_blueprint_imports_its_views_at_the_bottom():
    late = []
    for path in ROOT.glob("app/*/__init__.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen_definition = False
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Assign)):
                seen_definition = True
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and seen_definition:
                late.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert late == []
