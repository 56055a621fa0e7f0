"""Adopting Python services (the python-fastapi template)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffold.adopters.base import (
    EDITORCONFIG,
    Recipe,
    TomlTables,
    description,
    indent_step,
    project_name,
    project_text,
    project_toml,
    sample_lines,
)
from scaffold.detect.parsers import strings, table
from scaffold.detect.requirements import requirement_name
from scaffold.model import Project


def manifest_answers(folder: Path, pyproject: Mapping[str, Any]) -> dict[str, Any]:
    """The project's name and oldest Python version, from its parsed ``pyproject.toml``."""
    declared = table(pyproject.get("project"))
    answers: dict[str, Any] = {
        "project_name": project_name(declared.get("name"), folder),
    }
    match = re.search(r">=\s*3\.(\d+)", str(declared.get("requires-python", "")))
    if match:
        answers["python_version"] = f"3.{max(int(match.group(1)), 8)}"
    return answers


def style_answers(lines: list[str], project: Project) -> dict[str, Any]:
    """The line length, indentation and quotes that the code in ``lines`` already has."""
    answers: dict[str, Any] = {}
    longest = max((len(line) for line in lines), default=0)
    # Room for what is there, in the usual steps, so the existing code passes.
    answers["line_length"] = next((n for n in (88, 100, 120, 160, 200) if longest <= n), 200)
    indent = project.style.indent
    if indent is not None and indent.style == "space" and indent.size:
        answers["indent_width"] = indent.size
    elif (step := indent_step(lines)) is not None:
        answers["indent_width"] = step
    double = sum(line.count('"') for line in lines)
    single = sum(line.count("'") for line in lines)
    answers["quote_style"] = "single" if single > double else "double"
    return answers


def requirement_names(folder: Path, project: Project) -> set[str]:
    """Every distribution the project declares, runtime or development, normalised, from
    its manifests as detection parsed them."""
    specs: list[str] = []
    pyproject = project_toml(folder, project, "pyproject.toml")
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
    pipfile = project_toml(folder, project, "Pipfile")
    keyed += [pipfile.get("packages"), pipfile.get("dev-packages")]
    for section in keyed:
        specs += [key for key in table(section) if isinstance(key, str)]
    requirements = [*folder.glob("*requirements*.txt"), *folder.glob("*requirements*.in")]
    requirements += [*folder.glob("requirements/*.txt"), *folder.glob("requirements/*.in")]
    for path in sorted(requirements):
        text = project_text(folder, project, path.relative_to(folder).as_posix())
        if text is None:
            continue
        specs += [line for line in text.splitlines() if not line.lstrip().startswith("-")]
    return {name for spec in specs if (name := requirement_name(spec)) is not None}


def _tables(value: Any) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else []


_POSTGRES_DRIVERS = frozenset(
    {"psycopg", "psycopg-binary", "psycopg2", "psycopg2-binary", "asyncpg"}
)
_JWT_LIBRARIES = frozenset({"pyjwt", "python-jose"})


def service_answers(names: set[str]) -> dict[str, Any]:
    """The database and authentication the declared distributions ``names`` point to."""
    answers: dict[str, Any] = {}
    if names & _POSTGRES_DRIVERS:
        answers["database"] = "postgresql"
    if names & _JWT_LIBRARIES:
        answers["auth"] = "jwt"
    return answers


def formatter_answers(
    folder: Path, project: Project, pyproject: Mapping[str, Any]
) -> dict[str, Any]:
    """The line length, indentation and quotes the project's formatter is already set to:
    ruff's (its defaults where its config is silent) or black's; nothing if neither is
    configured. They win over what the code shows: that formatter keeps the code so."""
    tool = table(pyproject.get("tool"))
    ruff: dict[str, Any] | None = None
    if "ruff" in tool:
        ruff = table(tool.get("ruff"))
    else:
        for name in ("ruff.toml", ".ruff.toml"):
            if (folder / name).is_file():  # not read by detection: read now
                ruff = project_toml(folder, project, name)
                break
    answers: dict[str, Any] = {}
    if ruff is not None:
        answers = {
            "line_length": ruff.get("line-length", 88),
            "indent_width": ruff.get("indent-width", 4),
            "quote_style": table(ruff.get("format")).get("quote-style", "double"),
        }
    elif "black" in tool:
        black = table(tool.get("black"))
        answers = {"line_length": black.get("line-length", 88)}
        if not black.get("skip-string-normalization"):
            answers["quote_style"] = "double"
    # Values of the wrong type are the user's typo, not a setting to copy.
    kinds = {"line_length": int, "indent_width": int, "quote_style": str}
    return {
        name: value
        for name, value in answers.items()
        if isinstance(value, kinds[name]) and not isinstance(value, bool)
    }


def python_answers(folder: Path, project: Project, lines: list[str]) -> dict[str, Any]:
    """What a Python project's template is rendered with: its name and Python version, the
    style of the code ``lines`` (or of the formatter in force), and the database and
    authentication its dependencies point to, from its manifests as detection parsed them."""
    pyproject = project_toml(folder, project, "pyproject.toml")
    return (
        manifest_answers(folder, pyproject)
        | style_answers(lines, project)
        | formatter_answers(folder, project, pyproject)
        | service_answers(requirement_names(folder, project))
    )


def declared_description(folder: Path, project: Project) -> object:
    """The ``description`` of the project's ``pyproject.toml``, if any."""
    pyproject = project_toml(folder, project, "pyproject.toml")
    return table(pyproject.get("project")).get("description")


def _python_answers(folder: Path, project: Project) -> dict[str, Any]:
    answers = python_answers(folder, project, sample_lines(folder, ".py"))
    answers["description"] = description(
        declared_description(folder, project), "A FastAPI service."
    )
    return answers


# The tools that do ruff's job, with the check each runs.
_RIVAL_CHECKS = {"black": "black --check .", "isort": "isort --check-only .", "flake8": "flake8"}

# Ruff's settings, unless ruff is configured elsewhere or another tool does its job.
RUFF = TomlTables(
    ("tool.ruff",),
    alternatives={"tool.ruff": ("ruff.toml", ".ruff.toml")},
    rivals=tuple(_RIVAL_CHECKS),
    inherited=True,
)


def lint_commands(project: Project, prefix: str, declared: set[str]) -> tuple[str, ...]:
    """The lint and format checks in force: those of the tools that do ruff's job where the
    project configures them (ruff is then not added, see :data:`RUFF`), else ruff's where
    the project ``declared`` ruff (otherwise they cannot run: see :func:`lint_advice`)."""
    rivals = _rival_checks(project)
    if rivals:
        return tuple(prefix + check for check in rivals)
    if "ruff" in declared:
        return (f"{prefix}ruff check .", f"{prefix}ruff format --check .")
    return ()


def lint_advice(project: Project, declared: set[str]) -> tuple[str, ...]:
    """What to add for ruff's checks to run, where the project lints with nothing else and
    has not ``declared`` ruff."""
    if _rival_checks(project) or "ruff" in declared:
        return ()
    return (
        "add ruff to the development dependencies; then `ruff check .` and "
        "`ruff format --check .` check the code with the settings in pyproject.toml",
    )


def _rival_checks(project: Project) -> list[str]:
    from scaffold.detect.conventions import config_tool

    kinds = {kind.kind for config in project.configs if (kind := config_tool(config))}
    return [check for tool, check in _RIVAL_CHECKS.items() if tool in kinds]


def declares_pytest(declared: set[str]) -> bool:
    """Whether ``declared`` names pytest, or a plugin of it (which brings it along)."""
    return any(name == "pytest" or name.startswith("pytest-") for name in declared)


#: What runs a command in the project's environment, by build tool.
RUN_PREFIXES = {
    "uv": "uv run ",
    "poetry": "poetry run ",
    "pdm": "pdm run ",
    "hatch": "hatch run ",
    "pipenv": "pipenv run ",
}


def _python_commands(folder: Path, project: Project) -> tuple[str, ...]:
    prefix = RUN_PREFIXES.get(project.build_tool or "", "")
    declared = requirement_names(folder, project)
    tests = (f"{prefix}pytest",) if declares_pytest(declared) else ()
    return (*tests, *lint_commands(project, prefix, declared))


def _python_advice(folder: Path, project: Project) -> tuple[str, ...]:
    declared = requirement_names(folder, project)
    tests = () if declares_pytest(declared) else (_PYTEST_ADVICE,)
    return (*tests, *lint_advice(project, declared))


_PYTEST_ADVICE = "add pytest to the development dependencies; then `pytest` runs the tests"


RECIPE = Recipe(
    "python-fastapi",
    _python_answers,
    {
        ".editorconfig": EDITORCONFIG,
        "pyproject.toml": RUFF,
    },
    _python_commands,
    advice=_python_advice,
    source_suffix=".py",
    placeholder="__init__.py",
    modules_are_packages=True,
)
