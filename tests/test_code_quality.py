"""scaffold's own code passes the linters and the strict type check it asks of others."""

from __future__ import annotations

import sys

import pytest

from tests.helpers import REPO_ROOT, run

pytestmark = pytest.mark.slow


def test_ruff_lint_and_format() -> None:
    run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO_ROOT)
    run([sys.executable, "-m", "ruff", "format", "--check", "."], cwd=REPO_ROOT)


def test_mypy_strict() -> None:
    run([sys.executable, "-m", "mypy"], cwd=REPO_ROOT)


#: The most lines a module of scaffold may have: one that grows past it does several jobs.
MAX_MODULE_LINES = 400


def test_no_module_of_scaffold_is_over_400_lines() -> None:
    for module in sorted((REPO_ROOT / "scaffold").rglob("*.py")):
        lines = len(module.read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_MODULE_LINES, f"{module.relative_to(REPO_ROOT)}: {lines} lines"
