"""The paper-package contract (theory/papers/README.md): import rules, module sizes, claim order.

* no module of ``theory/papers/<key>/`` imports its own package's ``__init__`` or a sibling part (a part may
  import ``.paper``, ``.common``, ``.datasets``); ``common`` imports no part; no paper imports another paper;
* every module imports on its own with the paper's modules unloaded (the cycle the old layout had);
* no file in ``theory/``, ``numerics/``, ``checks/`` is over 800 lines;
* a paper's CLAIMS come out in the order of its result graph.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from theory import registry

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ROOT / "theory" / "papers"
PACKAGES = sorted(p for p in PAPERS.iterdir() if (p / "__init__.py").is_file())
SHARED_PARTS = {"paper", "common", "datasets"}
ALLOWED = {"paper": set(), "datasets": {"paper"}, "common": {"paper", "datasets"}}


def _imports(path: Path, key: str):
    """(kind, target) of every import of a module of package ``key``: kind 'rel' (a module of the same
    package, by its short name, '' for the package itself) or 'abs' (a dotted module name)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                if node.module:
                    out.append(("rel", node.module.split(".")[0]))
                else:  # from . import x, y
                    out.extend(("rel", a.name) for a in node.names)
            elif node.level > 1:
                out.append(("rel-up", node.module or ""))
            else:
                out.append(("abs", node.module or ""))
                out.extend(("abs", f"{node.module}.{a.name}") for a in node.names)
        elif isinstance(node, ast.Import):
            out.extend(("abs", a.name) for a in node.names)
    return out


@pytest.mark.parametrize("pkg", PACKAGES, ids=lambda p: p.name)
def test_import_rules(pkg):
    key = pkg.name
    problems = []
    for mod in sorted(pkg.glob("*.py")):
        name = mod.stem
        if name == "__init__":
            continue
        allowed = ALLOWED.get(name, SHARED_PARTS)
        for kind, target in _imports(mod, key):
            if kind == "rel" and target not in allowed:
                problems.append(f"{key}/{mod.name} imports .{target or '(the package)'}")
            elif kind == "rel-up":
                problems.append(f"{key}/{mod.name} imports from a parent package ({target})")
            elif kind == "abs" and target.startswith("theory.papers"):
                parts = target.split(".")
                if len(parts) == 2:
                    problems.append(f"{key}/{mod.name} imports theory.papers")
                elif parts[2] != key:
                    problems.append(f"{key}/{mod.name} imports another paper: {target}")
                elif len(parts) == 3 or parts[3] not in allowed:
                    problems.append(f"{key}/{mod.name} imports {target}")
    assert not problems, "\n".join(problems)


def test_every_paper_module_imports_alone():
    """Each module of each paper package imports in an interpreter where no paper module is loaded yet
    (sys.modules purged of theory.papers.* before each one)."""
    mods = [f"theory.papers.{p.name}.{m.stem}" for p in PACKAGES for m in sorted(p.glob("*.py"))
            if m.stem != "__init__"]
    assert mods, "no paper package found"
    code = (
        "import importlib, sys\n"
        f"mods = {mods!r}\n"
        "bad = []\n"
        "for m in mods:\n"
        "    for k in [k for k in sys.modules if k.startswith('theory.papers')]:\n"
        "        del sys.modules[k]\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except Exception as exc:\n"
        "        bad.append(f'{m}: {type(exc).__name__}: {exc}')\n"
        "print('\\n'.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_source_file_over_800_lines():
    long = []
    for top in ("theory", "numerics", "checks"):
        for f in sorted((ROOT / top).rglob("*.py")):
            n = len(f.read_text().splitlines())
            if n > 800:
                long.append(f"{f.relative_to(ROOT)}: {n} lines")
    assert not long, "\n".join(long)


def test_claims_in_the_order_of_the_result_graph():
    for paper in registry.papers():
        pos = {r.id: i for i, r in enumerate(paper.results)}
        keys = [pos.get(c.result, len(pos)) for c in registry.claims(paper.key)]
        assert keys == sorted(keys), f"{paper.key}: claims not in the order of the result graph"
