"""Adopting Node.js services (the node-express template; adopt_nestjs.py builds on it)."""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffold.adopters.base import (
    EDITORCONFIG,
    Migration,
    Recipe,
    WholeFile,
    description,
    fact,
    indent_step,
    project_json,
    project_name,
    project_text,
    source_texts,
)
from scaffold.detect.paths import ancestors
from scaffold.ecosystems.node import ESLINT_FLAT, ESLINT_LEGACY, PRETTIER_FILES
from scaffold.model import Facts, Project

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


def _node_source(name: str) -> bool:
    return name.endswith(_NODE_SUFFIXES) and not name.endswith((".min.js", ".d.ts"))


def _node_code(folder: Path, limit: int = 50) -> list[str]:
    """The code lines, comments left out, of up to ``limit`` JavaScript and TypeScript
    files (not those of dependencies, build output or static assets)."""
    skip = {"node_modules", "dist", "build", "coverage", "public", "out", "vendor"}
    lines: list[str] = []
    for text in source_texts(folder, _node_source, skip, limit):
        in_comment = False
        for line in text.splitlines():
            stripped = line.strip()
            if in_comment or stripped.startswith("/*"):
                in_comment = "*/" not in stripped
            elif stripped and not stripped.startswith("//"):
                lines.append(line.rstrip())
    return lines


def _node_quotes(lines: list[str]) -> str | None:
    """The quote most string literals use."""
    counts = {'"': 0, "'": 0}
    for line in lines:
        if '"' not in line and "'" not in line:
            continue
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
        if "`" not in line
        and (
            ('"' not in line and "'" not in line)
            or all(len(m.group(0)) <= 40 for m in _NODE_STRING.finditer(line))
        )
    ]
    if not widths:
        return None
    longest = max(widths)
    return next((n for n in _NODE_WIDTHS if longest <= n), _NODE_WIDTHS[-1])


def node_answers(folder: Path, project: Project) -> dict[str, Any]:
    package = project_json(folder, project, "package.json")
    name = package.get("name")
    answers: dict[str, Any] = {
        "project_name": project_name(name if isinstance(name, str) else None, folder),
        "package_type": "module" if package.get("type") == "module" else "commonjs",
    }
    dependencies: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        declared = package.get(key)
        if isinstance(declared, dict):
            dependencies |= set(declared)
    typescript = (folder / "tsconfig.json").is_file() or "typescript" in dependencies
    answers["typescript"] = typescript
    language = "TypeScript" if typescript else "JavaScript"
    found = f"An HTTP service written in {language} with Express."
    answers["description"] = description(package.get("description"), found)
    answers["test_globals"] = next((t for t in ("jest", "mocha") if t in dependencies), "none")

    lines = _node_code(folder)
    indent = project.style.indent
    style, width = (indent.style, indent.size) if indent is not None else (None, None)
    if style is None:
        tabbed = sum(line.startswith("\t") for line in lines)
        spaced = sum(line.startswith(" ") for line in lines)
        style = "tab" if tabbed > spaced else "space"
    if style == "space" and width is None:
        width = indent_step(lines)
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
    manifest = project_text(folder, project, "package.json") or ""
    data_indent = re.search(r"^( +)\S", manifest, re.MULTILINE)
    if data_indent and len(data_indent.group(1)) <= 8:
        answers["data_indent_width"] = len(data_indent.group(1))
    return answers


def node_scripts(folder: Path, project: Project) -> frozenset[str]:
    """The package.json scripts that do something (npm's placeholder test does not)."""
    scripts = project_json(folder, project, "package.json").get("scripts")
    return frozenset(
        script
        for script, command in (scripts.items() if isinstance(scripts, dict) else ())
        if isinstance(command, str) and "no test specified" not in command
    )


def node_manager(project: Project) -> str:
    """The package manager the project's commands run with (npm unless it uses another)."""
    return project.build_tool if project.build_tool in _NODE_RUNNERS else "npm"


def node_commands(folder: Path, project: Project) -> tuple[str, ...]:
    manager = node_manager(project)
    tool = _NODE_RUNNERS[manager]
    scripts = node_scripts(folder, project)
    commands = [f"{manager} install"]
    commands.append(f"{manager} run lint" if "lint" in scripts else f"{tool} eslint .")
    check = next((s for s in _NODE_FORMAT_CHECKS if s in scripts), None)
    commands.append(f"{manager} run {check}" if check else _prettier_check(tool, project))
    typecheck = next((s for s in ("typecheck", "type-check") if s in scripts), None)
    commands += [f"{manager} run {s}" for s in (typecheck, "build") if s in scripts]
    if "test" in scripts:
        # bun's own test command is its test runner, not the script.
        commands.append("bun run test" if manager == "bun" else f"{manager} test")
    return tuple(commands)


def _prettier_check(tool: str, project: Project) -> str:
    """Prettier's check of the project's folder. Prettier reads the ignore file of the
    folder it runs in, so one above the project (a workspace's, shared by its packages) is
    named, after the project's own ``.gitignore`` (which naming another replaces)."""
    command = f"{tool} prettier --check ."
    ignore = next(
        (c.file for c in project.configs if posixpath.basename(c.file) == ".prettierignore"),
        None,
    )
    where = posixpath.dirname(ignore) if ignore is not None else ""
    own = "" if project.path == "." else project.path
    if ignore is None or where == own:
        return command
    above = posixpath.relpath(where or ".", own or ".")
    return f"{command} --ignore-path .gitignore --ignore-path {above}/.prettierignore"


def _node_places(top: str, *names: str) -> tuple[str, ...]:
    return (f"{top}/", *(f"src/{name}" for name in names))


def _same_module_system(root: Path, facts: Facts, folder: str, answers: Mapping[str, Any]) -> bool:
    """Whether the nearest package.json at or above ``folder`` makes Node.js load
    ``eslint.config.js`` as the module system it was written in (``package_type``)."""
    written = "module" if answers.get("package_type") == "module" else "commonjs"
    for above in ancestors("" if folder == "." else folder):
        manifest = fact(facts, "json", root, f"{above}/package.json" if above else "package.json")
        if isinstance(manifest, dict):
            return written == ("module" if manifest.get("type") == "module" else "commonjs")
    return written == "commonjs"


# One config at a workspace's root serves its packages (ESLint looks for it in the folders
# above); its plugins are loaded from there, so that is where they are installed.
_ESLINT = WholeFile(
    alternatives=(
        *(name for name in ESLINT_FLAT if name != "eslint.config.js"),
        *ESLINT_LEGACY,
    ),
    inherited=True,
    placed_above=True,
    placeable=_same_module_system,
    manifest_keys=(("package.json", "eslintConfig"),),
    legacy=(*ESLINT_LEGACY, "eslintConfig"),
    legacy_format="ESLint 9 flat config",
    migration=Migration(
        ("npx", "--yes", "@eslint/migrate-config@3", "{file}"),
        writes="eslint.config.mjs",
        note="the legacy file is no longer read; the new config needs "
        "npm install -D globals @eslint/js @eslint/eslintrc",
        manifest_as=".eslintrc.json",
    ),
)
# Prettier reads the nearest of these; its ignore file goes with the setup it belongs to.
_PRETTIER = WholeFile(
    alternatives=PRETTIER_FILES,
    inherited=True,
    manifest_keys=(("package.json", "prettier"),),
)


#: The files scaffold manages in a Node.js project, and how.
NODE_RULES = {
    ".editorconfig": EDITORCONFIG,
    "eslint.config.js": _ESLINT,
    # Prettier looks for its settings above the files it formats, and its ignore file
    # only where it runs: a package's check names the one above it (see _prettier_check).
    ".prettierrc.json": dataclasses.replace(_PRETTIER, placed_above=True),
    ".prettierignore": dataclasses.replace(_PRETTIER, placed_above=True),
}

#: The workspaces whose root takes the configs their packages share.
NODE_WORKSPACES = frozenset({"npm", "pnpm", "yarn", "bun"})

RECIPE = Recipe(
    "node-express",
    node_answers,
    NODE_RULES,
    node_commands,
    source_suffix=".js",
    workspace_kinds=NODE_WORKSPACES,
    # The conventions' folders are under src/; the same folder at the top of the
    # project ("routes/": the slash tells it from the wanted one) plays their part too.
    equivalents={
        "routes": _node_places("routes", "routers", "router", "api", "endpoints", "http"),
        "controllers": _node_places("controllers", "controller", "handlers"),
        "models": _node_places("models", "model", "entities", "schemas", "types"),
        "services": _node_places("services", "service", "domain", "usecases", "logic"),
    },
)
