"""Isolation for every test: a fresh HOME and git identity, fixed terminal settings."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from tests.ecosystems.service import postgres_server_url
from tests.helpers import toolchain_cache_env

# Property tests run fixed examples by default, so that every run (in CI too) tries the same
# ones; each test's budget is set so that the bugs it guards against are caught on every run.
# HYPOTHESIS_PROFILE=nightly runs ten times as many examples, from fresh random seeds.
settings.register_profile("ci", max_examples=100, derandomize=True, database=None, deadline=None)
settings.register_profile("nightly", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Author")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "author@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Author")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "author@example.com")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("SCAFFOLD_DEBUG", raising=False)
    monkeypatch.delenv("SCAFFOLD_AGENT", raising=False)
    monkeypatch.delenv("SCAFFOLD_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    # `scaffold new` makes no lockfile (its tool would reach the package registry) unless a
    # test of lockfiles asks for one: tests/test_new_lockfile.py.
    monkeypatch.setenv("SCAFFOLD_NO_LOCK", "1")
    # Toolchains keep their downloads and build caches in the real home, so that a
    # fake HOME does not make every test download the world again.
    for name, value in toolchain_cache_env().items():
        monkeypatch.setenv(name, value)
    yield home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def scratch_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private temporary folder, to prove that failures leave no scratch files behind."""
    folder = tmp_path_factory.mktemp("tmpdir")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The URL of a PostgreSQL server, for the slow tests of the stacks that can use one."""
    return postgres_server_url()
