"""``AGENTS.md``, written from the detection: the project as it is."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from scaffold.model import ConfigRef, Project

if TYPE_CHECKING:
    pass

AGENTS_FILE = "AGENTS.md"


def _from_project(project_path: str, config: ConfigRef) -> str:
    """``config`` (its file relative to the repository) as seen from the project's folder,
    with its section as ``[table]``."""
    relative = os.path.relpath(config.file, project_path).replace(os.sep, "/")
    return str(replace(config, file=relative))


def agents_md(
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
        # Detection names files from the repository's root; AGENTS.md sits in the project.
        configs = [_from_project(project.path, config) for config in project.configs]
        lines.append("- configuration in force: " + ", ".join(f"`{c}`" for c in configs))
    lines.append("- match the formatting of the files you change; do not reformat others")
    return "\n".join(lines) + "\n"
