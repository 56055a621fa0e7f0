"""Project and package names that equal a dependency of the stack, or a module of the
language's standard library, are refused in one line before anything is rendered."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode, InvalidAnswerError
from scaffold.model import Stack
from scaffold.templates import check_answers, get_stack, list_stacks, load_template
from tests.helpers import refused_answers
from tests.test_answer_checks import _declared_dependencies, _manifest_variants


def test_a_django_project_named_django_is_refused_with_exit_2(tmp_path: Path) -> None:
    # scaffold new django …/django: the name comes from the folder.
    base = tmp_path / "base"
    base.mkdir()
    line = refused_answers("django", base, ["{dir}/../django"])
    assert line == (
        "scaffold: error: project_name='django' (from the folder name; pass --data "
        "project_name=NAME): clashes with django, which the stack depends on"
    )


def test_a_fastapi_project_named_fastapi_is_refused_with_exit_2(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    line = refused_answers("python-fastapi", base, ["{dir}", "-d", "project_name=fastapi"])
    assert line == (
        "scaffold: error: project_name='fastapi': clashes with fastapi, which the stack depends on"
    )


@pytest.mark.parametrize("name", ["http", "fs", "events", "crypto"])
def test_a_node_package_named_like_a_built_in_module_is_refused(tmp_path: Path, name: str) -> None:
    base = tmp_path / "base"
    base.mkdir()
    line = refused_answers("node-express", base, ["{dir}", "-d", f"project_name={name}"])
    assert line == (
        f"scaffold: error: project_name={name!r}: is a built-in module of Node.js, "
        "which a package cannot be named"
    )


def test_the_folder_name_is_checked_against_the_built_in_modules_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["new", "node-express", str(tmp_path / "http"), "--defaults"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "scaffold: error: project_name='http' (from the folder name; pass --data "
        "project_name=NAME): is a built-in module of Node.js, which a package cannot be named\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["http-client", "fs-tools", "my-events"])
def test_node_names_that_only_contain_a_built_in_are_accepted(name: str) -> None:
    spec = load_template(get_stack("node-express").template)
    assert check_answers(spec, {"project_name": name}) == {"project_name": name}


def _as_answer(kind: str, dependency: str) -> str:
    """A dependency's name as a name of ``kind`` is written (a Python module or a crate
    takes underscores where the distribution has hyphens)."""
    if kind in ("python-module", "rust-crate"):
        return dependency.replace("-", "_").replace(".", "_").lower()
    return dependency


@pytest.mark.parametrize("stack", list_stacks(), ids=lambda stack: stack.id)
def test_every_dependency_the_manifest_declares_is_refused_as_every_name(stack: Stack) -> None:
    spec = load_template(stack.template)
    rules: dict[str, Any] = spec.metadata["questions"]
    declared = set().union(*(_declared_dependencies(stack, c) for c in _manifest_variants(spec)))
    accepted = []
    for name, rule in rules.items():
        for dependency in sorted(declared):
            answer = _as_answer(rule["kind"], dependency)
            try:
                check_answers(spec, {name: answer})
            except InvalidAnswerError:
                continue
            accepted.append(f"{name}={answer}")
    assert accepted == []


def test_every_standard_library_module_is_refused_as_a_python_package() -> None:
    spec = load_template(get_stack("python-fastapi").template)
    accepted = []
    for module in sorted(sys.stdlib_module_names):
        try:
            check_answers(spec, {"package_name": module})
        except InvalidAnswerError:
            continue
        accepted.append(module)
    assert accepted == []


@pytest.mark.slow
def test_the_built_in_modules_are_those_node_lists() -> None:
    node = shutil.which("node")
    assert node is not None, "the slow tier needs Node.js"
    script = (
        "console.log(JSON.stringify(require('module').builtinModules"
        ".filter(m => !m.startsWith('_') && !m.startsWith('node:') && !m.includes('/'))))"
    )
    listed = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True,
                                       check=True).stdout)  # fmt: skip
    for stack in ("node-express", "node-nestjs"):
        spec = load_template(get_stack(stack).template)
        assert set(spec.metadata["builtin_modules"]["names"]) >= set(listed), stack
