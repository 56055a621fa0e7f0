"""Adopting Django projects (the django template)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scaffold.adopters.base import (
    EDITORCONFIG,
    Recipe,
    description,
    project_text,
    sample_lines,
)
from scaffold.ecosystems.python.adopt import (
    RUFF,
    RUN_PREFIXES,
    declared_description,
    lint_advice,
    lint_commands,
    python_answers,
    requirement_names,
)
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


def _settings_package(folder: Path, project: Project) -> str | None:
    """The package of ``DJANGO_SETTINGS_MODULE`` in manage.py: ``mysite.settings`` → mysite.
    (Detection has no use for manage.py's text: it is read here, through its reader.)"""
    manage = project_text(folder, project, "manage.py")
    if manage is None:
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
    answers = python_answers(folder, project, lines)
    if (package := _settings_package(folder, project)) is not None:
        answers["project_package"] = package
    if (app := _first_app(folder)) is not None:
        answers["app_name"] = app
    rest = "djangorestframework" in requirement_names(folder, project)
    found = "A Django REST framework service." if rest else "A Django site."
    answers["description"] = description(declared_description(folder, project), found)
    return answers  # values the template refuses are left out when adopting


def _django_commands(folder: Path, project: Project) -> tuple[str, ...]:
    prefix = RUN_PREFIXES.get(project.build_tool or "", "")
    manage = (folder / "manage.py").is_file()
    declared = requirement_names(folder, project)
    if "pytest-django" in declared or not manage:
        test = f"{prefix}pytest" if prefix else "python -m pytest"
    else:
        test = f"{prefix}python manage.py test"
    check = (f"{prefix}python manage.py check",) if manage else ()
    return (test, *check, *lint_commands(project, prefix, declared))


def _without_rest_framework(folder: Path, project: Project, leaf: str) -> str | None:
    """Serializers are Django REST framework's: a project without it gets none."""
    if leaf == "serializers" and "djangorestframework" not in requirement_names(folder, project):
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
    advice=lambda folder, project: lint_advice(project, requirement_names(folder, project)),
    source_suffix=".py",
    placeholder="__init__.py",
    folder_does_not_apply=_without_rest_framework,
    modules_are_packages=True,
)
