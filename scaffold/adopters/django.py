"""Adopting Django projects (the django template)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scaffold.adopters.base import EDITORCONFIG, Recipe, read_toml, sample_lines
from scaffold.adopters.python import (
    RUFF,
    formatter_answers,
    lint_commands,
    manifest_answers,
    style_answers,
)
from scaffold.detect.base import strings, table
from scaffold.detect.python import requirement_name
from scaffold.model import Project

# Written by Django's makemigrations in its own style, whatever the team's: neither read for
# the style nor checked by the adopted ruff config.
GENERATED = ("migrations",)
# Folders that never hold one of the project's own Django apps.
_NOT_APPS = {"node_modules", "venv", "static", "templates", "media", "docs", "tests"}
_SETTINGS = re.compile(
    # os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x") or os.environ[...] = "x"
    r"""DJANGO_SETTINGS_MODULE["']\s*(?:,|\]\s*=)\s*"""
    r"""["']([A-Za-z_][\w.]*)["']"""
)
_RUN = {
    "uv": "uv run ",
    "poetry": "poetry run ",
    "pdm": "pdm run ",
    "hatch": "hatch run ",
    "pipenv": "pipenv run ",
}


def _settings_package(folder: Path) -> str | None:
    """The package of ``DJANGO_SETTINGS_MODULE`` in manage.py: ``mysite.settings`` → mysite."""
    try:
        manage = (folder / "manage.py").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = _SETTINGS.search(manage)
    if match is None or "." not in match.group(1):
        return None
    return match.group(1).split(".", 1)[0]


def _first_app(folder: Path) -> str | None:
    """The first folder of the project (by name) that is a Django app: one with models."""
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return None
    for child in children:
        if child.name.startswith((".", "_")) or child.name in _NOT_APPS:
            continue
        if (child / "models.py").is_file() or (child / "models" / "__init__.py").is_file():
            return child.name
    return None


def _django_answers(folder: Path, project: Project) -> dict[str, Any]:
    lines = sample_lines(folder, ".py", also_skip=GENERATED)
    answers = manifest_answers(folder) | style_answers(lines, project) | formatter_answers(folder)
    if (package := _settings_package(folder)) is not None:
        answers["project_package"] = package
    if (app := _first_app(folder)) is not None:
        answers["app_name"] = app
    return answers  # values the template refuses are left out when adopting


def _requirement_names(folder: Path) -> set[str]:
    """Every distribution the project declares, runtime or development, normalised."""
    specs: list[str] = []
    pyproject = read_toml(folder / "pyproject.toml")
    declared = table(pyproject.get("project"))
    specs += strings(declared.get("dependencies"))
    for group in _tables(declared.get("optional-dependencies")):
        specs += strings(group)
    for group in _tables(pyproject.get("dependency-groups")):
        specs += strings(group)
    tool = table(pyproject.get("tool"))
    specs += strings(table(tool.get("uv")).get("dev-dependencies"))
    for group in _tables(table(tool.get("pdm")).get("dev-dependencies")):
        specs += strings(group)
    poetry = table(tool.get("poetry"))
    keyed = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    keyed += [table(group).get("dependencies") for group in _tables(poetry.get("group"))]
    pipfile = read_toml(folder / "Pipfile")
    keyed += [pipfile.get("packages"), pipfile.get("dev-packages")]
    for section in keyed:
        specs += [key for key in table(section) if isinstance(key, str)]
    requirements = [*folder.glob("*requirements*.txt"), *folder.glob("*requirements*.in")]
    requirements += [*folder.glob("requirements/*.txt"), *folder.glob("requirements/*.in")]
    for path in sorted(requirements):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        specs += [line for line in text.splitlines() if not line.lstrip().startswith("-")]
    return {name for spec in specs if (name := requirement_name(spec)) is not None}


def _tables(value: Any) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else []


def _django_commands(folder: Path, project: Project) -> tuple[str, ...]:
    prefix = _RUN.get(project.build_tool or "", "")
    manage = (folder / "manage.py").is_file()
    if "pytest-django" in _requirement_names(folder) or not manage:
        test = f"{prefix}pytest" if prefix else "python -m pytest"
    else:
        test = f"{prefix}python manage.py test"
    check = (f"{prefix}python manage.py check",) if manage else ()
    return (test, *check, *lint_commands(project, prefix))


def _without_rest_framework(folder: Path, leaf: str) -> str | None:
    """Serializers are Django REST framework's: a project without it gets none."""
    if leaf == "serializers" and "djangorestframework" not in _requirement_names(folder):
        return "the project does not use Django REST framework, whose serializers go here"
    return None


RECIPE = Recipe(
    "django",
    _django_answers,
    {
        ".editorconfig": EDITORCONFIG,
        "pyproject.toml": RUFF,
    },
    _django_commands,
    source_suffix=".py",
    placeholder="__init__.py",
    folder_does_not_apply=_without_rest_framework,
    modules_are_packages=True,
)
