"""Python: pyproject.toml (PEP 621, Poetry 1 and 2, uv, PDM, Hatch), setup.py, setup.cfg,
Pipfile and requirements files (with ``-r`` includes and markers).

Dependency names are normalised as PEP 503 says and compared whole, so
``sentry-sdk[fastapi]``, ``pytest-flask`` or ``django-environ`` never count as a framework.
Only runtime dependencies name the framework; dev groups and extras do not.
"""

from __future__ import annotations

import re
from typing import Any

from scaffold.detect.base import APP, PLAIN, TOOLING, Candidate, Context, Detector, register
from scaffold.detect.choose import FrameworkTable, choose_framework, lockfile_tool
from scaffold.detect.members import table_members
from scaffold.detect.parsers import strings, table
from scaffold.detect.paths import join, nested_projects, parent
from scaffold.detect.requirements import (
    is_dev_requirements,
    is_requirements_file,
    normalize,
    parse_requirements,
    read_ini,
    requirement_name,
    requirements_home,
    setup_py_requires,
)
from scaffold.model import ConfigRef

FRAMEWORKS = FrameworkTable(
    by_dependency={
        "fastapi": "fastapi",
        "django": "django",
        "flask": "flask",
        "starlette": "starlette",
        "litestar": "litestar",
        "sanic": "sanic",
        "tornado": "tornado",
        "pyramid": "pyramid",
        "falcon": "falcon",
        "bottle": "bottle",
        "quart": "quart",
        "robyn": "robyn",
        "masonite": "masonite",
        "aiohttp": "aiohttp",
        "grpcio": "grpc",
        "grpclib": "grpc",
    },
    tiers=(
        frozenset(
            {
                "fastapi",
                "django",
                "flask",
                "litestar",
                "sanic",
                "tornado",
                "pyramid",
                "falcon",
                "bottle",
                "quart",
                "robyn",
                "masonite",
                "starlette",
            }
        ),
        frozenset({"aiohttp"}),
        frozenset({"grpc"}),
    ),
    subsumes={"fastapi": frozenset({"starlette"}), "quart": frozenset({"flask"})},
)

#: Files that make a folder a Python project, and the requirements lists that may.
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile")
REQUIREMENTS = ("*requirements*.txt", "requirements.in")

#: Lockfile -> the tool that writes it.
LOCKFILES = {
    "uv.lock": "uv",
    "poetry.lock": "poetry",
    "pdm.lock": "pdm",
    "Pipfile.lock": "pipenv",
}

#: Build backends -> the project manager they belong to.
BACKENDS = {
    "poetry.core.masonry.api": "poetry",
    "poetry.masonry.api": "poetry",
    "pdm.backend": "pdm",
    "pdm.pep517.api": "pdm",
    "hatchling.build": "hatch",
    "flit_core.buildapi": "flit",
    "uv_build": "uv",
}

#: [tool.X] tables that are lint/format settings: table -> config kind.
EMBEDDED_TOOLS = {
    "ruff": "ruff",
    "black": "black",
    "isort": "isort",
    "mypy": "mypy",
    "pylint": "pylint",
    "pyright": "pyright",
    "flake8": "flake8",
    "autopep8": "autopep8",
    "yapf": "yapf",
}

_IMPORT = re.compile(r"^[^\S\n]*(?:from|import)\s+([A-Za-z_]\w*)", re.MULTILINE)


@register
class PythonDetector(Detector):
    """Python projects: pyproject.toml, setup.py, setup.cfg, Pipfile, requirements files."""

    name = "python"
    manifests = (*PROJECT_FILES, *REQUIREMENTS, *LOCKFILES, "hatch.toml", "manage.py", "tox.ini")

    def detect(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        folders: set[str] = set()
        for name in PROJECT_FILES:
            folders.update(parent(p) for p in view.named(name) if not view.excluded(p))
        requirements: dict[str, list[str]] = {}
        for path in (p for name in REQUIREMENTS for p in view.named(name)):
            if is_requirements_file(path) and not view.excluded(path):
                requirements.setdefault(requirements_home(path), []).append(path)
        for home in list(requirements):
            # docs/requirements.txt and the like belong to the project above them
            if _only_auxiliary(home) and _has_python_above(home, folders):
                del requirements[home]
            else:
                folders.add(home)
        pyproject_dirs = [parent(p) for p in view.named("pyproject.toml") if not view.excluded(p)]
        candidates = []
        for folder in sorted(folders):
            cand = self._folder(ctx, folder, requirements.get(folder, []), pyproject_dirs)
            if cand is not None:
                candidates.append(cand)
        return candidates

    def _folder(
        self, ctx: Context, folder: str, requirement_files: list[str], pyproject_dirs: list[str]
    ) -> Candidate | None:
        view = ctx.view
        pyproject_path = join(folder, "pyproject.toml")
        data = ctx.toml(pyproject_path) if view.exists(pyproject_path) else None
        pyproject = table(data)
        project = table(pyproject.get("project"))
        tool = table(pyproject.get("tool"))
        poetry = table(tool.get("poetry"))
        backend = table(pyproject.get("build-system")).get("build-backend")
        main_deps: dict[str, str] = {}  # name -> file
        manifest = ""
        weight = TOOLING
        kind = ""
        cand = Candidate(path=folder, language="python", manifest="", weight=TOOLING)

        if data is not None:
            manifest = pyproject_path
            for spec in strings(project.get("dependencies")):
                name = requirement_name(spec)
                if name:
                    main_deps.setdefault(name, pyproject_path)
            for name, spec in table(poetry.get("dependencies")).items():
                if isinstance(name, str) and name.lower() != "python" and not _optional(spec):
                    main_deps.setdefault(normalize(name), pyproject_path)
            if project or poetry.get("name"):
                weight = APP
                kind = "[project] table" if project else "[tool.poetry] table"
            else:
                tools = sorted(k for k in tool if isinstance(k, str))
                kind = (
                    "tool configuration only ("
                    + ", ".join(f"[tool.{t}]" for t in tools[:4])
                    + (", ..." if len(tools) > 4 else "")
                    + ")"
                    if tools
                    else "no [project] table"
                )
            for table_name, config_kind in EMBEDDED_TOOLS.items():
                if table_name in tool:
                    cand.embedded[config_kind] = ConfigRef(pyproject_path, f"tool.{table_name}")

        setup_py = join(folder, "setup.py")
        if view.exists(setup_py):
            requires = setup_py_requires(ctx, setup_py)
            if requires is not None:
                if weight < APP:
                    manifest, kind = setup_py, "setup.py"
                weight = APP
                for spec in requires:
                    name = requirement_name(spec)
                    if name:
                        main_deps.setdefault(name, setup_py)

        setup_cfg = join(folder, "setup.cfg")
        if view.exists(setup_cfg):
            ini = read_ini(ctx, setup_cfg)
            if ini is not None:
                if ini.has_option("metadata", "name") or ini.has_section("options"):
                    if weight < APP:
                        manifest, kind = setup_cfg, "setup.cfg [metadata]"
                    weight = APP
                    if ini.has_option("options", "install_requires"):
                        for line in ini.get("options", "install_requires").splitlines():
                            name = requirement_name(line.split(";", 1)[0])
                            if name:
                                main_deps.setdefault(name, setup_cfg)
                elif not manifest:
                    manifest = setup_cfg
                    kind = kind or "setup.cfg with tool configuration only"
                for section, config_kind in (
                    ("flake8", "flake8"),
                    ("mypy", "mypy"),
                    ("isort", "isort"),
                ):
                    if ini.has_section(section):
                        cand.embedded.setdefault(config_kind, ConfigRef(setup_cfg, section))

        tox_ini = join(folder, "tox.ini")
        if view.exists(tox_ini):
            ini = read_ini(ctx, tox_ini)
            if ini is not None and ini.has_section("flake8"):
                cand.embedded.setdefault("flake8", ConfigRef(tox_ini, "flake8"))

        pipfile = join(folder, "Pipfile")
        if view.exists(pipfile):
            pip_data = ctx.toml(pipfile)
            if pip_data is not None:
                if weight < APP:
                    manifest, kind = pipfile, "Pipfile"
                weight = APP
                for name in table(pip_data.get("packages")):
                    if isinstance(name, str):
                        main_deps.setdefault(normalize(name), pipfile)

        if requirement_files:
            for path in sorted(requirement_files):
                if not is_dev_requirements(path):
                    parse_requirements(ctx, path, main_deps)
                else:
                    ctx.text(path)  # still checked, so a broken file is reported
            if not manifest:
                manifest = sorted(requirement_files, key=lambda p: (p.count("/"), len(p), p))[0]
                weight = PLAIN
                kind = "requirements files"
            elif weight == TOOLING:
                weight = PLAIN

        if not manifest:
            return None
        cand.manifest = manifest
        cand.weight = weight
        cand.summary = kind
        cand.note("language", manifest, kind)

        self._build_tool(ctx, cand, folder, pyproject, tool, backend, requirement_files)
        self._workspace(ctx, cand, folder, tool, pyproject_dirs)

        found: dict[str, tuple[str, str]] = {}
        for dep, file in main_deps.items():
            framework = FRAMEWORKS.lookup(dep)
            if framework is not None:
                found.setdefault(framework, (file, dep))
        choose_framework(ctx, cand, FRAMEWORKS, found, lambda names: _imported(ctx, folder, names))
        manage = join(folder, "manage.py")
        if view.exists(manage) and "django" not in main_deps:
            cand.note("framework", manage, "manage.py present, but django is not a dependency")
        return cand

    def _build_tool(
        self,
        ctx: Context,
        cand: Candidate,
        folder: str,
        pyproject: dict[str, Any],
        tool: dict[str, Any],
        backend: Any,
        requirement_files: list[str],
    ) -> None:
        view = ctx.view
        locks = [(name, t) for name, t in LOCKFILES.items() if view.exists(join(folder, name))]
        if lockfile_tool(ctx, cand, folder, locks):
            return
        pyproject_path = join(folder, "pyproject.toml")
        for table_name, name in (("poetry", "poetry"), ("pdm", "pdm"), ("uv", "uv")):
            if table_name in tool:
                cand.build_tool = name
                cand.note("build_tool", pyproject_path, f"[tool.{table_name}] table")
                return
        hatch = table(tool.get("hatch"))
        if "envs" in hatch or view.exists(join(folder, "hatch.toml")):
            cand.build_tool = "hatch"
            where = "hatch.toml" if view.exists(join(folder, "hatch.toml")) else "pyproject.toml"
            cand.note("build_tool", join(folder, where), "Hatch environments")
            return
        if isinstance(backend, str) and backend in BACKENDS:
            # Only a guess: the build backend builds the package, while a workspace the
            # project is a member of (uv's, at the root) decides how it is installed and run.
            cand.default_build_tool = BACKENDS[backend]
            cand.default_reason = f"build backend {backend}"
            return
        if view.exists(join(folder, "Pipfile")):
            cand.build_tool = "pipenv"
            cand.note("build_tool", join(folder, "Pipfile"), "Pipfile")
            return
        if cand.weight >= PLAIN and (
            "project" in pyproject
            or requirement_files
            or view.exists(join(folder, "setup.py"))
            or cand.manifest.endswith("setup.cfg")
        ):
            cand.default_build_tool = "pip"
            cand.default_reason = "no lockfile or project manager configured: installed with pip"

    def _workspace(
        self,
        ctx: Context,
        cand: Candidate,
        folder: str,
        tool: dict[str, Any],
        pyproject_dirs: list[str],
    ) -> None:
        workspace = table(table(tool.get("uv")).get("workspace"))
        if not workspace:
            return
        source = join(folder, "pyproject.toml")
        members = table_members(ctx, folder, workspace, pyproject_dirs, source)
        cand.set_workspace("uv", members, source, "[tool.uv.workspace] with {count} members")
        if cand.build_tool is None and not cand.tool_conflict:
            cand.default_build_tool = None
            cand.build_tool = "uv"


def _optional(spec: Any) -> bool:
    """Whether a Poetry dependency is ``optional = true``: one of the extras."""
    specs = spec if isinstance(spec, list) else [spec]
    return any(isinstance(s, dict) and s.get("optional") is True for s in specs)


def _imported(ctx: Context, folder: str, names: list[str]) -> list[str]:
    """Which of the framework ``names`` the project's Python code imports."""
    from scaffold.detect.style import sample_files

    wanted = set(names)
    used: set[str] = set()
    skip = nested_projects(ctx.view, folder)
    for path in sample_files(ctx.view, folder, (".py",), limit=40, skip=skip):
        text = ctx.view.read_sample(path)
        if text:
            used.update(m for m in _IMPORT.findall(text) if m in wanted)
    return sorted(used)


_AUXILIARY = frozenset({"docs", "doc", "tests", "test", "ci", ".github", "scripts", "tools"})


def _only_auxiliary(folder: str) -> bool:
    return folder.rpartition("/")[2] in _AUXILIARY


def _has_python_above(folder: str, folders: set[str]) -> bool:
    current = folder
    while current:
        current = parent(current)
        if current in folders:
            return True
    return False
