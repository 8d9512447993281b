"""The module maps of docs/architecture.md and docs/stories.md against the code:
every module is listed, and the entry points a table row names exist."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "newsweave"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
STORIES = (ROOT / "docs" / "stories.md").read_text(encoding="utf-8")
# the table rows of a map: "| `a.py`, `b.py` | job | entry points |"
_ROW = re.compile(r"^\| ((?:`[a-z_]+\.py`(?:, )?)+) \|(.*)$", re.M)
_CALL = re.compile(r"`(?:[A-Z]\w*\.)?([A-Za-z_]\w*)\(")


def _modules(under: Path) -> set[str]:
    return {p.name for p in under.glob("*.py") if p.name != "__init__.py"}


def _rows(text: str, heading: str, end: str) -> list[tuple[list[str], str]]:
    part = text[text.index(heading) :]
    part = part[: part.index(end)] if end in part else part
    return [(re.findall(r"`([a-z_]+\.py)`", m[1]), m[2]) for m in _ROW.finditer(part)]


def _defines(module, name: str) -> bool:
    """``name`` is a function or class of ``module``, or a method of one of its classes."""
    if hasattr(module, name):
        return True
    return any(isinstance(v, type) and hasattr(v, name) for v in vars(module).values())


def _named(text: str, heading: str, end: str) -> set[str]:
    part = text[text.index(heading) :]
    part = part[: part.index(end)] if end in part else part
    return set(re.findall(r"`([a-z_]+\.py)`", part))


def test_every_module_is_in_a_module_map():
    core = _named(ARCHITECTURE, "| module | job |", "Cross-source analysis")
    assert _modules(PACKAGE) <= core, sorted(_modules(PACKAGE) - core)
    analysis = _named(ARCHITECTURE, "Cross-source analysis (", "Evaluation (")
    assert _modules(PACKAGE / "analysis") <= analysis
    evaluation = _named(ARCHITECTURE, "Evaluation (", "Web (")
    assert _modules(PACKAGE / "eval") <= evaluation
    web = _named(ARCHITECTURE, "Web (", "Stories at scale")
    assert _modules(PACKAGE / "web") <= web
    stories = _named(STORIES, "## Modules", "## Library")
    assert _modules(PACKAGE / "stories") <= stories


def test_entry_points_named_in_the_tables_exist():
    tables = [
        ("newsweave", _rows(ARCHITECTURE, "| module | job |", "Cross-source analysis")),
        ("newsweave.analysis", _rows(ARCHITECTURE, "Cross-source analysis (", "Evaluation (")),
    ]
    checked = 0
    for package, rows in tables:
        for files, rest in rows:
            names = set(_CALL.findall(rest))
            mods = [
                importlib.import_module(
                    package if f == "__init__.py" else f"{package}.{f.removesuffix('.py')}"
                )
                for f in files
            ]
            for name in names:
                assert any(_defines(m, name) for m in mods), (files, name)
                checked += 1
    assert checked > 30


def _recipe(makefile: str, target: str) -> list[str]:
    lines = makefile[makefile.index(f"\n{target}:") + 1 :].splitlines()[1:]
    return [ln.strip() for ln in lines[: next(i for i, ln in enumerate(lines) if not ln)]]


def test_ci_runs_the_readme_test_command_and_fails_on_what_pytest_fails():
    """README: `.ci/run` runs `make test`, the whole suite. A skipped browser
    or a pytest exit code 5 (no test collected) must fail CI, not pass it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`.ci/run` runs `make test`." in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci and ci.rstrip().endswith("make test")
    assert 'export CI="${CI:-1}"' in ci  # test_browser then fails without Chromium
    recipe = _recipe((ROOT / "Makefile").read_text(encoding="utf-8"), "test")
    assert recipe[-1] == "$(PY) -m pytest"  # no '-' prefix, no '|| true', no path
    assert 'testpaths = ["tests"]' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
