"""``scaffold adopt``: bring an existing repository onto the conventions without breaking it.

For every project detection finds (or the one ``--project`` names) whose stack has a
template, the template is rendered in its *adopted* mode: only the configuration files
scaffold manages, tuned to the code that is there (line length, indentation, quotes,
language versions read from the manifests), plus the copier answers file that later lets
``scaffold update`` merge from this baseline. Each rendered file is then planned against the
repository:

- a missing file is created, unless the same configuration already lives in another
  accepted place (ruff in ``ruff.toml`` rather than ``pyproject.toml``) or in a parent
  folder that covers the project;
- an existing structured file (TOML) gains only the tables and keys it lacks; a value the
  user set is never changed, comments and order are kept;
- any other existing file is the user's and is kept.

``AGENTS.md`` is written from the detection: the project as it is. Nothing is written
until :func:`apply_adoption` is given the plan, and then all of it or nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from scaffold.errors import TargetError, UsageError
from scaffold.merge import MergeError, merge_toml, toml_has
from scaffold.model import Action, Conventions, DetectWarning, FileAction, Plan, Project

AGENTS_FILE = "AGENTS.md"


# --- how each stack's files are planned --------------------------------------------------


@dataclass(frozen=True, slots=True)
class WholeFile:
    """A file that is created when missing, and otherwise left as the user has it.

    ``alternatives`` are other names the same configuration may have; ``inherited`` means
    the tool also reads it from parent folders, so one there covers the project.
    """

    alternatives: tuple[str, ...] = ()
    inherited: bool = False
    # Keys of a JSON manifest that may hold the same configuration instead (Prettier's
    # "prettier" in package.json). Those of the alternatives and keys named in ``legacy``
    # are an older format the tool is leaving: kept, with a note to migrate them to this
    # file (in the ``legacy_format``).
    manifest_keys: tuple[tuple[str, str], ...] = ()
    legacy: tuple[str, ...] = ()
    legacy_format: str = ""

    def skip_reason(self, name: str, found: str, where: str, verb: str) -> str:
        """Why ``name`` is not created: ``found``, a file or key at ``where``, has its part."""
        if found in self.legacy:
            note = f" ({self.legacy_format})" if self.legacy_format else ""
            return f"legacy config {where} kept; migrate it to {name}{note}"
        return f"{verb} {where}"


@dataclass(frozen=True, slots=True)
class TomlTables:
    """A TOML file that gains the listed tables, or the keys of them it lacks.

    ``alternatives`` maps a table to the files that configure the same tool instead;
    ``requires`` is a table the user's file must have for the merge to make sense
    (Cargo's ``package``: a virtual workspace manifest takes no ``[lints]``).
    """

    tables: tuple[str, ...]
    alternatives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    requires: str | None = None
    unless: tuple[str, ...] = ()


Rule = WholeFile | TomlTables


@dataclass(frozen=True, slots=True)
class Recipe:
    """What adopting a project of one stack means: answers read from it, file rules."""

    stack: str
    infer: Callable[[Path, Project], dict[str, Any]]
    rules: Mapping[str, Rule]
    commands: Callable[[Project], tuple[str, ...]]
    source_suffix: str = ""
    placeholder: str = ".gitkeep"
    never_create: Mapping[str, str] = field(default_factory=dict)
    # Folders that already play a conventions folder's part, beyond its layout names.
    equivalents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A reason the conventions' folders do not apply to this project at all, if any.
    folders_do_not_apply: Callable[[Path], str | None] = lambda folder: None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _project_name(raw: str | None, folder: Path) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", (raw or folder.name).lower()).strip("-")
    if not name or not name[0].isalpha():
        name = f"project-{name}" if name else "project"
    return name


def _sample_lines(folder: Path, suffix: str, limit: int = 200) -> list[str]:
    """Lines of up to ``limit`` source files with ``suffix`` (skipping vendored folders)."""
    skip = {".git", ".venv", "venv", "node_modules", "vendor", "target", "dist", "build"}
    lines: list[str] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(suffix):
                continue
            try:
                text = Path(dirpath, name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            lines.extend(text.splitlines())
            seen += 1
            if seen >= limit:
                return lines
    return lines


def _indent_step(lines: list[str]) -> int | None:
    """The most common increase of indentation from one code line to the next."""
    from collections import Counter

    steps: Counter[int] = Counter()
    previous = 0
    for line in lines:
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("\t"):
            continue
        width = len(line) - len(stripped)
        if 0 < width - previous <= 8:
            steps[width - previous] += 1
        previous = width
    return steps.most_common(1)[0][0] if steps else None


def _python_answers(folder: Path, project: Project) -> dict[str, Any]:
    pyproject = _read_toml(folder / "pyproject.toml")
    declared = pyproject.get("project", {})
    answers: dict[str, Any] = {
        "project_name": _project_name(declared.get("name"), folder),
    }
    match = re.search(r">=\s*3\.(\d+)", str(declared.get("requires-python", "")))
    if match:
        answers["python_version"] = f"3.{max(int(match.group(1)), 8)}"
    lines = _sample_lines(folder, ".py")
    longest = max((len(line) for line in lines), default=0)
    # Room for what is there, in the usual steps, so the existing code passes.
    answers["line_length"] = next((n for n in (88, 100, 120, 160, 200) if longest <= n), 200)
    indent = project.style.indent
    if indent is not None and indent.style == "space" and indent.size:
        answers["indent_width"] = indent.size
    elif (step := _indent_step(lines)) is not None:
        answers["indent_width"] = step
    double = sum(line.count('"') for line in lines)
    single = sum(line.count("'") for line in lines)
    answers["quote_style"] = "single" if single > double else "double"
    return answers


def _python_commands(project: Project) -> tuple[str, ...]:
    run = {"uv": "uv run ", "poetry": "poetry run ", "pdm": "pdm run ", "hatch": "hatch run "}
    prefix = run.get(project.build_tool or "", "")
    return (
        f"{prefix}pytest",
        f"{prefix}ruff check .",
        f"{prefix}ruff format --check .",
    )


def _go_answers(folder: Path, project: Project) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    try:
        gomod = (folder / "go.mod").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        gomod = ""
    module = re.search(r"^module\s+(\S+)", gomod, re.MULTILINE)
    if module:
        answers["module_path"] = module.group(1)
        answers["project_name"] = _project_name(module.group(1).rsplit("/", 1)[-1], folder)
    else:
        answers["project_name"] = _project_name(None, folder)
    version = re.search(r"^go\s+(\d+\.\d+)", gomod, re.MULTILINE)
    if version:
        answers["go_version"] = version.group(1)
    return answers


def _go_commands(project: Project) -> tuple[str, ...]:
    return ("go build ./...", "go vet ./...", "go test ./...", "golangci-lint run")


def _rust_answers(folder: Path, project: Project) -> dict[str, Any]:
    manifest = _read_toml(folder / "Cargo.toml")
    package = manifest.get("package") or {}
    workspace_package = (manifest.get("workspace") or {}).get("package") or {}
    answers: dict[str, Any] = {
        "project_name": _project_name(package.get("name"), folder),
    }
    edition = package.get("edition") or workspace_package.get("edition")
    if edition is None and "workspace" in manifest:
        # A virtual workspace: its members' oldest edition is the style they share.
        member_editions = sorted(
            str((_read_toml(m).get("package") or {}).get("edition", ""))
            for m in sorted(folder.glob("*/**/Cargo.toml"))[:100]
            if "target" not in m.relative_to(folder).parts
        )
        edition = next((e for e in member_editions if e), None)
    if isinstance(edition, str):
        answers["edition"] = edition
    version = package.get("rust-version") or workspace_package.get("rust-version")
    if isinstance(version, str):
        answers["rust_version"] = version
    has_mod_rs = any((folder / "src").rglob("mod.rs")) if (folder / "src").is_dir() else False
    answers["module_style"] = "mod_rs" if has_mod_rs else "self_named"
    return answers


def _rust_commands(project: Project) -> tuple[str, ...]:
    return ("cargo build", "cargo test", "cargo clippy --all-targets", "cargo fmt --check")


# Node.js (Express): package.json, and the style of a sample of the JavaScript and
# TypeScript code, which the formatter and linter configs must keep.

_NODE_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
_NODE_STRING = re.compile(r"""(["'])(?:\\.|(?!\1)[^\\])*\1""")
_NODE_TEMPLATE_STRING = re.compile(r"`(?:\\.|[^`\\])*`")
# The first line of a statement, or the closing of a call: whether these end with a
# semicolon is the project's choice.
_NODE_STATEMENT = re.compile(
    r"(?:const|let|var|return|throw|import|export|await)\b|module\.exports\b|\}?\)+;?$"
)
_NODE_OPEN_END = ("{", "[", "(", ",", ";", ":", "=>", "=", "+", "-", "&&", "||", "?", ".")
# A line that can be the last member of a multi-line object literal.
_NODE_PROPERTY = re.compile(r"""(?:[\w$]+|"[^"]*"|'[^']*')\??\s*:\s*\S|[\w$]+$""")
_NODE_KEYWORDS = frozenset({"return", "break", "continue", "debugger"})
_NODE_WIDTHS = (80, 100, 120, 140, 160, 200)
_NODE_RUNNERS = {"npm": "npx", "pnpm": "pnpm exec", "yarn": "yarn", "bun": "bunx"}
_NODE_FORMAT_CHECKS = ("format:check", "format-check", "check-format", "prettier:check")
# package.json's scripts by project, read while the answers are inferred: the commands
# are given only the project.
_NODE_SCRIPTS: dict[Project, frozenset[str]] = {}


def _node_code(folder: Path, limit: int = 200) -> list[str]:
    """The code lines, comments left out, of up to ``limit`` JavaScript and TypeScript
    files (not those of dependencies, build output or static assets)."""
    skip = {"node_modules", "dist", "build", "coverage", "public", "out", "vendor"}
    lines: list[str] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(_NODE_SUFFIXES) or name.endswith((".min.js", ".d.ts")):
                continue
            try:
                text = Path(dirpath, name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            in_comment = False
            for line in text.splitlines():
                stripped = line.strip()
                if in_comment or stripped.startswith("/*"):
                    in_comment = "*/" not in stripped
                elif stripped and not stripped.startswith("//"):
                    lines.append(line.rstrip())
            seen += 1
            if seen >= limit:
                return lines
    return lines


def _node_quotes(lines: list[str]) -> str | None:
    """The quote most string literals use."""
    counts = {'"': 0, "'": 0}
    for line in lines:
        for match in _NODE_STRING.finditer(_NODE_TEMPLATE_STRING.sub("``", line)):
            counts[match.group(1)] += 1
    if counts['"'] == counts["'"]:
        return None
    return "single" if counts["'"] > counts['"'] else "double"


def _node_semicolons(lines: list[str]) -> bool | None:
    """Whether statements end with a semicolon, from the lines that end one."""
    with_semicolon = without = 0
    for line in lines:
        stripped = line.strip()
        if not _NODE_STATEMENT.match(stripped):
            continue
        if stripped.endswith(";"):
            with_semicolon += 1
        elif not stripped.endswith(_NODE_OPEN_END):
            without += 1
    if not with_semicolon and not without:
        return None
    return with_semicolon >= without


def _node_trailing_comma(lines: list[str], objects: bool) -> str | None:
    """Prettier's trailingComma the code follows, from the last lines of multi-line lists:
    with a comma everywhere ("all"), only in arrays and objects ("es5"), or nowhere
    ("none"). ``objects`` is false when a bare line before ``}`` may end a TypeScript
    type rather than an object (types without semicolons have no separators)."""
    commas = bare = call_commas = call_bare = 0
    previous = ""
    for line in lines:
        current = line.strip()
        closer = current[:1]
        if previous and closer in ("}", "]", ")"):
            if previous.endswith(","):
                commas += 1
                call_commas += closer == ")"
            elif previous.endswith(_NODE_OPEN_END):
                pass
            elif closer == ")":
                call_bare += 1
            elif closer == "]" or (
                objects and previous not in _NODE_KEYWORDS and _NODE_PROPERTY.match(previous)
            ):
                bare += 1
        previous = current
    if not commas and not bare:
        return None
    if bare > commas:
        return "none"
    return "es5" if call_bare > call_commas else "all"


def _node_print_width(lines: list[str], tab_width: int) -> int | None:
    """The narrowest usual width the code fits in; lines that only a long string or a
    template string makes long do not count, as Prettier cannot break them either."""
    widths = [
        len(line.expandtabs(tab_width))
        for line in lines
        if "`" not in line and all(len(m.group(0)) <= 40 for m in _NODE_STRING.finditer(line))
    ]
    if not widths:
        return None
    longest = max(widths)
    return next((n for n in _NODE_WIDTHS if longest <= n), _NODE_WIDTHS[-1])


def _node_answers(folder: Path, project: Project) -> dict[str, Any]:
    package = _read_json(folder / "package.json")
    name = package.get("name")
    answers: dict[str, Any] = {
        "project_name": _project_name(name if isinstance(name, str) else None, folder),
        "package_type": "module" if package.get("type") == "module" else "commonjs",
    }
    dependencies: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        declared = package.get(key)
        if isinstance(declared, dict):
            dependencies |= set(declared)
    typescript = (folder / "tsconfig.json").is_file() or "typescript" in dependencies
    answers["typescript"] = typescript
    answers["test_globals"] = next((t for t in ("jest", "mocha") if t in dependencies), "none")
    scripts = package.get("scripts")
    _NODE_SCRIPTS[project] = frozenset(
        script
        for script, command in (scripts.items() if isinstance(scripts, dict) else ())
        if isinstance(command, str) and "no test specified" not in command
    )

    lines = _node_code(folder)
    indent = project.style.indent
    style, width = (indent.style, indent.size) if indent is not None else (None, None)
    if style is None:
        tabbed = sum(line.startswith("\t") for line in lines)
        spaced = sum(line.startswith(" ") for line in lines)
        style = "tab" if tabbed > spaced else "space"
    if style == "space" and width is None:
        width = _indent_step(lines)
    if style == "tab":
        answers["indent_style"] = "tab"
    if width is not None and 1 <= width <= 8:
        answers["indent_width"] = width
    if (quotes := _node_quotes(lines)) is not None:
        answers["quote_style"] = quotes
    semicolons = _node_semicolons(lines)
    if semicolons is not None:
        answers["semicolons"] = semicolons
    objects = not (typescript and semicolons is False)
    if (comma := _node_trailing_comma(lines, objects)) is not None:
        answers["trailing_comma"] = comma
    if (print_width := _node_print_width(lines, answers.get("indent_width", 2))) is not None:
        answers["print_width"] = print_width
    # JSON and YAML files keep package.json's indentation (npm writes it back as it finds it).
    try:
        manifest = (folder / "package.json").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        manifest = ""
    data_indent = re.search(r"^( +)\S", manifest, re.MULTILINE)
    if data_indent and len(data_indent.group(1)) <= 8:
        answers["data_indent_width"] = len(data_indent.group(1))
    return answers


def _node_commands(project: Project) -> tuple[str, ...]:
    manager = project.build_tool if project.build_tool in _NODE_RUNNERS else "npm"
    tool = _NODE_RUNNERS[manager]
    scripts = _NODE_SCRIPTS.get(project, frozenset())
    commands = [f"{manager} install"]
    commands.append(f"{manager} run lint" if "lint" in scripts else f"{tool} eslint .")
    check = next((s for s in _NODE_FORMAT_CHECKS if s in scripts), None)
    commands.append(f"{manager} run {check}" if check else f"{tool} prettier --check .")
    typecheck = next((s for s in ("typecheck", "type-check") if s in scripts), None)
    commands += [f"{manager} run {s}" for s in (typecheck, "build") if s in scripts]
    if "test" in scripts:
        # bun's own test command is its test runner, not the script.
        commands.append("bun run test" if manager == "bun" else f"{manager} test")
    return tuple(commands)


def _node_places(top: str, *names: str) -> tuple[str, ...]:
    return (f"{top}/", *(f"src/{name}" for name in names))


_ESLINT_LEGACY = (
    ".eslintrc",
    ".eslintrc.json",
    ".eslintrc.js",
    ".eslintrc.cjs",
    ".eslintrc.yml",
    ".eslintrc.yaml",
)
_ESLINT = WholeFile(
    alternatives=(
        "eslint.config.mjs",
        "eslint.config.cjs",
        "eslint.config.ts",
        "eslint.config.mts",
        "eslint.config.cts",
        *_ESLINT_LEGACY,
    ),
    inherited=True,
    manifest_keys=(("package.json", "eslintConfig"),),
    legacy=(*_ESLINT_LEGACY, "eslintConfig"),
    legacy_format="ESLint 9 flat config",
)
# Prettier reads the nearest of these; its ignore file goes with the setup it belongs to.
_PRETTIER = WholeFile(
    alternatives=(
        ".prettierrc",
        ".prettierrc.json",
        ".prettierrc.json5",
        ".prettierrc.yml",
        ".prettierrc.yaml",
        ".prettierrc.toml",
        ".prettierrc.js",
        ".prettierrc.cjs",
        ".prettierrc.mjs",
        ".prettierrc.ts",
        ".prettierrc.cts",
        ".prettierrc.mts",
        "prettier.config.js",
        "prettier.config.cjs",
        "prettier.config.mjs",
        "prettier.config.ts",
        "prettier.config.cts",
        "prettier.config.mts",
    ),
    inherited=True,
    manifest_keys=(("package.json", "prettier"),),
)


EDITORCONFIG = WholeFile(inherited=True)

RECIPES: dict[str, Recipe] = {
    "python-fastapi": Recipe(
        "python-fastapi",
        _python_answers,
        {
            ".editorconfig": EDITORCONFIG,
            "pyproject.toml": TomlTables(
                ("tool.ruff",), alternatives={"tool.ruff": ("ruff.toml", ".ruff.toml")}
            ),
        },
        _python_commands,
        source_suffix=".py",
        placeholder="__init__.py",
    ),
    "go": Recipe(
        "go",
        _go_answers,
        {
            ".editorconfig": EDITORCONFIG,
            ".golangci.yml": WholeFile(
                alternatives=(".golangci.yaml", ".golangci.toml", ".golangci.json"),
                inherited=True,
            ),
        },
        _go_commands,
        source_suffix=".go",
        never_create={"pkg": "a public pkg/ only for a library, on request"},
        equivalents={"internal": ("pkg",)},
    ),
    "rust": Recipe(
        "rust",
        _rust_answers,
        {
            ".editorconfig": EDITORCONFIG,
            "rustfmt.toml": WholeFile(alternatives=(".rustfmt.toml",), inherited=True),
            "clippy.toml": WholeFile(alternatives=(".clippy.toml",), inherited=True),
            "Cargo.toml": TomlTables(("lints",), requires="package", unless=("lints",)),
        },
        _rust_commands,
        source_suffix=".rs",
        folders_do_not_apply=lambda folder: (
            None
            if "package" in _read_toml(folder / "Cargo.toml")
            else "a virtual workspace manifest: its members hold the code"
        ),
    ),
    "node-express": Recipe(
        "node-express",
        _node_answers,
        {
            ".editorconfig": EDITORCONFIG,
            "eslint.config.js": _ESLINT,
            ".prettierrc.json": _PRETTIER,
            ".prettierignore": _PRETTIER,
        },
        _node_commands,
        source_suffix=".js",
        # The conventions' folders are under src/; the same folder at the top of the
        # project ("routes/": the slash tells it from the wanted one) plays their part too.
        equivalents={
            "routes": _node_places("routes", "routers", "router", "api", "endpoints", "http"),
            "controllers": _node_places("controllers", "controller", "handlers"),
            "models": _node_places("models", "model", "entities", "schemas", "types"),
            "services": _node_places("services", "service", "domain", "usecases", "logic"),
        },
    ),
}


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectAdoption:
    path: str
    stack: str | None
    status: Literal["planned", "skipped"]
    reason: str = ""
    answers: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": self.path, "stack": self.stack, "status": self.status}
        if self.reason:
            entry["reason"] = self.reason
        return entry


@dataclass(frozen=True, slots=True)
class AdoptResult:
    root: Path
    plan: Plan
    projects: tuple[ProjectAdoption, ...]
    applied: bool = False
    warnings: tuple[DetectWarning, ...] = ()

    @property
    def pending(self) -> bool:
        return bool(self.plan.writes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "command": "adopt",
            "root": str(self.root),
            "applied": self.applied,
            "projects": [p.to_dict() for p in self.projects],
            "counts": self.plan.counts(),
            "files": [a.to_dict() for a in self.plan.actions],
            "warnings": [{"file": w.file, "message": w.message} for w in self.warnings],
        }


# --- planning ---------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ancestors(root: Path, folder: Path) -> list[Path]:
    """Folders above ``folder`` up to ``root`` included, nearest first."""
    found = []
    current = folder
    while current != root and root in current.parents:
        current = current.parent
        found.append(current)
    return found


class _Planner:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.actions: dict[PurePosixPath, FileAction] = {}

    def rel(self, path: Path) -> PurePosixPath:
        return PurePosixPath(path.relative_to(self.root).as_posix())

    def add(self, action: FileAction) -> None:
        self.actions.setdefault(action.path, action)

    def planned_create(self, path: Path) -> bool:
        action = self.actions.get(self.rel(path))
        return action is not None and action.action is Action.CREATE

    def whole_file(
        self, folder: Path, name: str, content: bytes, mode: int, rule: WholeFile
    ) -> None:
        destination = folder / name
        rel = self.rel(destination)
        if destination.is_symlink():
            self.add(FileAction(rel, Action.SKIP, "a symbolic link; not followed"))
            return
        if destination.exists():
            same = destination.is_file() and destination.read_bytes() == content
            action = Action.IDENTICAL if same else Action.SKIP
            self.add(FileAction(rel, action, "" if same else "exists; yours is kept"))
            return
        for other in rule.alternatives:
            if (folder / other).exists():
                reason = rule.skip_reason(name, other, other, "configured in")
                self.add(FileAction(rel, Action.SKIP, reason))
                return
        for manifest, key in rule.manifest_keys:
            if key in _read_json(folder / manifest):
                reason = rule.skip_reason(name, key, f'{manifest} "{key}"', "configured in")
                self.add(FileAction(rel, Action.SKIP, reason))
                return
        if rule.inherited:
            for parent in _ancestors(self.root, folder):
                for other in (name, *rule.alternatives):
                    if (parent / other).exists() or self.planned_create(parent / other):
                        covered = self.rel(parent / other).as_posix()
                        reason = rule.skip_reason(name, other, covered, "covered by")
                        self.add(FileAction(rel, Action.SKIP, reason))
                        return
                for manifest, key in rule.manifest_keys:
                    if key in _read_json(parent / manifest):
                        where = f'{self.rel(parent / manifest).as_posix()} "{key}"'
                        reason = rule.skip_reason(name, key, where, "covered by")
                        self.add(FileAction(rel, Action.SKIP, reason))
                        return
        self.add(FileAction(rel, Action.CREATE, "", content, mode))

    def toml_tables(self, folder: Path, name: str, content: bytes, rule: TomlTables) -> None:
        destination = folder / name
        rel = self.rel(destination)
        for table in rule.tables:
            for other in rule.alternatives.get(table, ()):
                if (folder / other).exists():
                    self.add(FileAction(rel, Action.SKIP, f"{table} is configured in {other}"))
                    return
        if not destination.is_file() or destination.is_symlink():
            self.add(FileAction(rel, Action.SKIP, f"no {name} to add {', '.join(rule.tables)} to"))
            return
        raw = destination.read_bytes()
        try:
            current = raw.decode("utf-8")
            if rule.requires and not toml_has(current, rule.requires, name):
                reason = f"has no [{rule.requires}] table; not adding {', '.join(rule.tables)}"
                self.add(FileAction(rel, Action.SKIP, reason))
                return
            for table in rule.unless:
                if toml_has(current, table, name):
                    self.add(FileAction(rel, Action.SKIP, f"already has [{table}]"))
                    return
            merged = merge_toml(current, content.decode("utf-8"), rule.tables, name)
        except UnicodeDecodeError:
            self.add(FileAction(rel, Action.SKIP, "not UTF-8 text; left alone"))
            return
        except MergeError as error:
            self.add(FileAction(rel, Action.SKIP, f"{error}; left alone"))
            return
        if not merged.added:
            self.add(FileAction(rel, Action.IDENTICAL, "already configured"))
            return
        self.add(
            FileAction(
                rel,
                Action.MERGE,
                "adds " + ", ".join(merged.added),
                merged.text.encode("utf-8"),
                destination.stat().st_mode & 0o777,
                _sha(raw),
            )
        )


def _plan_folders(
    planner: _Planner,
    folder: Path,
    recipe: Recipe,
    convention_folders: tuple[str, ...],
    layout: Mapping[str, Any] | None,
    answers: Mapping[str, Any],
) -> None:
    """The conventions' folders the project lacks: created only where nothing established
    already plays their part, otherwise listed with the reason."""
    if recipe.folders_do_not_apply(folder) is not None:
        return
    layout = layout or {}
    root_question = layout.get("root") if layout.get("root_is_question") else None
    package = str(answers.get(root_question, "")) if root_question else ""
    names: dict[str, tuple[str, ...]] = {
        str(answers.get(q["question"], "")): tuple(q.get("names", ()))
        for q in layout.get("folders") or ()
    }
    flat = recipe.source_suffix and any(
        p.is_file() and p.name.endswith(recipe.source_suffix) for p in folder.iterdir()
    )
    for wanted in convention_folders:
        if "<" in wanted:
            continue  # a placeholder such as <group path>: not a literal folder
        parts = wanted.split("/")
        if package and parts[0] == package:
            parts = parts[1:]
            base = folder / package
        else:
            base = folder
        if not parts or (base / "/".join(parts)).is_dir():
            continue
        target = base / "/".join(parts)
        rel = planner.rel(target / recipe.placeholder)
        leaf = parts[-1]
        if package and not base.is_dir():
            reason = f"the code is not in the {package}/ package; its own layout is kept"
        elif leaf in recipe.never_create:
            reason = recipe.never_create[leaf]
        elif equivalent := next(
            (
                n
                for n in (*recipe.equivalents.get(leaf, ()), *names.get(leaf, ()))
                if n != leaf and (base / n).is_dir()
            ),
            None,
        ):
            reason = f"{planner.rel(base / equivalent).as_posix()}/ already plays this part"
        elif flat and not package:
            reason = f"the code sits at the top of the project; {wanted}/ is not added"
        else:
            planner.add(FileAction(rel, Action.CREATE, f"the conventions' {wanted}/", b"", 0o644))
            continue
        planner.add(FileAction(rel, Action.SKIP, reason))


def _agents_md(
    project: Project, convention_folders: tuple[str, ...], commands: tuple[str, ...]
) -> str:
    what = project.language + (f" / {project.framework}" if project.framework else "")
    build = f", built with {project.build_tool}" if project.build_tool else ""
    lines = [
        f"# Working on {project.path if project.path != '.' else 'this project'}",
        "",
        f"A {what} project{build}. Follow the layout and style it already has.",
        "",
        "## Layout",
        "",
    ]
    if project.source_dirs:
        lines += [f"- `{folder}/`" for folder in project.source_dirs]
    else:
        lines.append("- the code lives at the top of the project")
    if project.architecture:
        lines += [
            "",
            f"Architecture: {project.architecture}. Put new code beside the code it resembles.",
        ]
    if convention_folders:
        lines += [
            "",
            "Where the project has no established place for a kind of code, the conventions' "
            "folders are: " + ", ".join(f"`{f}/`" for f in convention_folders) + ".",
        ]
    lines += ["", "## Commands", "", "```sh", *commands, "```", "", "## Style", ""]
    indent = project.style.indent
    if indent is not None:
        size = f" of {indent.size}" if indent.size else ""
        lines.append(f"- indentation: {indent.style}s{size}")
    if project.style.naming:
        lines.append(f"- naming: {project.style.naming}")
    if project.configs:
        lines.append("- configuration in force: " + ", ".join(f"`{c}`" for c in project.configs))
    lines.append("- match the formatting of the files you change; do not reformat others")
    return "\n".join(lines) + "\n"


def plan_adoption(
    root: Path,
    *,
    project: str | None = None,
    stack: str | None = None,
    conventions: Conventions | None = None,
    allow_dirty: bool = False,
) -> AdoptResult:
    """Everything ``scaffold adopt`` would do in ``root``; writes nothing in it."""
    from scaffold.conventions import layout_answers, load_conventions
    from scaffold.detect import detect_repository
    from scaffold.render import render_template
    from scaffold.templates import check_answers, get_stack, load_template, template_source

    root = Path(os.path.abspath(root))
    if not root.is_dir():
        raise TargetError(f"{root} is not a folder")
    if not allow_dirty:
        _refuse_dirty(root)
    conventions = conventions or load_conventions()
    detection = detect_repository(root)
    projects = list(detection.projects)
    if project is not None:
        wanted = PurePosixPath(project).as_posix().strip("/") or "."
        projects = [p for p in projects if p.path == wanted]
        if not projects:
            known = ", ".join(p.path for p in detection.projects) or "none"
            raise UsageError(f"no project at {wanted} (projects found: {known})")
    if stack is not None and len(projects) != 1:
        raise UsageError("--stack applies to one project: name it with --project")

    planner = _Planner(root)
    outcomes: list[ProjectAdoption] = []
    # Shallow projects first, so a config planned at a parent covers its children.
    for found in sorted(projects, key=lambda p: (p.path.count("/"), p.path)):
        chosen = stack or found.stack
        recipe = RECIPES.get(chosen or "")
        if recipe is None:
            reason = f"no template for {chosen} yet" if chosen else "no stack recognised"
            outcomes.append(ProjectAdoption(found.path, chosen, "skipped", reason))
            continue
        folder = root / found.path
        template = get_stack(recipe.stack)
        spec = load_template(template.template)
        answers = recipe.infer(folder, found) | {"adopted": True}
        convention = conventions.for_template(recipe.stack)
        layout = spec.metadata.get("layout")
        if layout and convention:
            answers = layout_answers(layout, convention) | answers
        answers = {k: v for k, v in answers.items() if k in spec.questions}
        answers = check_answers(spec, answers, origin=dict.fromkeys(answers, f"{found.path}"))
        source = template_source(template)
        with render_template(source, answers, defaults=True) as rendered:
            for rel, rendered_file in rendered.files.items():
                name = rel.as_posix()
                rule = recipe.rules.get(name, WholeFile())
                if name == ".copier-answers.yml":
                    rule = WholeFile()
                if isinstance(rule, TomlTables):
                    planner.toml_tables(folder, name, rendered_file.content, rule)
                else:
                    planner.whole_file(
                        folder, name, rendered_file.content, rendered_file.mode, rule
                    )
            used = dict(rendered.answers)
        folders = convention.folders if convention else ()
        _plan_folders(planner, folder, recipe, folders, layout, used)
        agents = _agents_md(found, folders, recipe.commands(found)).encode("utf-8")
        planner.whole_file(folder, AGENTS_FILE, agents, 0o644, WholeFile())
        outcomes.append(ProjectAdoption(found.path, recipe.stack, "planned", "", used))
    plan = Plan(root, tuple(sorted(planner.actions.values(), key=lambda a: a.path.as_posix())))
    return AdoptResult(root, plan, tuple(outcomes), warnings=detection.warnings)


def _refuse_dirty(root: Path) -> None:
    from scaffold.git import open_work_tree

    try:
        tree = open_work_tree(root)
    except TargetError:
        return  # not in git: nothing to compare with, the plan is the review
    dirty = tree.status_lines()
    if dirty:
        raise UsageError(
            f"{root} has uncommitted changes ({len(dirty)} paths); commit or stash them, or "
            "pass --allow-dirty: a clean tree lets you review and revert what adopt writes"
        )


def apply_adoption(result: AdoptResult) -> AdoptResult:
    """Write the plan: all of it or nothing (see :func:`scaffold.apply.apply_plan`)."""
    from scaffold.apply import apply_plan

    apply_plan(result.plan)
    return AdoptResult(result.root, result.plan, result.projects, True, result.warnings)
