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
