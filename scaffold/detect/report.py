"""``scaffold detect`` for people: a table of projects, with details and evidence on
``--verbose``. Plain text on the stream it is given."""

from __future__ import annotations

from typing import TextIO

from scaffold.model import Detection, Project

_COLUMNS = ("PATH", "LANGUAGE", "FRAMEWORK", "BUILD TOOL", "STACK", "ARCHITECTURE")


def _row(project: Project) -> tuple[str, ...]:
    return (
        project.path,
        project.language,
        project.framework or "-",
        project.build_tool or "-",
        project.stack or "-",
        project.architecture or "-",
    )


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _details(project: Project) -> list[str]:
    lines = [f"{project.path}:"]
    if project.workspace is not None:
        members = ", ".join(project.workspace.members) or "none"
        lines.append(f"  workspace     {project.workspace.kind}: {members}")
    configs = ", ".join(str(config) for config in project.configs)
    lines.append(f"  configs       {configs or '-'}")
    indent = project.style.indent
    if indent is None:
        indent_text = "unknown"
    elif indent.style == "tab":
        indent_text = "tabs" + (f" ({indent.size} wide)" if indent.size else "")
    else:
        indent_text = f"{indent.size} spaces" if indent.size else "spaces"
    lines.append(
        f"  style         indent {indent_text}, naming {project.style.naming or 'unknown'}"
    )
    lines.append(f"  source dirs   {', '.join(project.source_dirs) or '-'}")
    lines.append("  evidence")
    for item in project.evidence:
        lines.append(f"    {item.claim:<12}  {item.file}: {item.detail}")
    return lines


def print_detection(stream: TextIO, detection: Detection, *, verbose: bool = False) -> None:
    """Write what ``detection`` found, as a table (and details when ``verbose``)."""
    projects = detection.projects
    if not projects:
        stream.write(f"No projects found in {detection.root}.\n")
    else:
        noun = "project" if len(projects) == 1 else "projects"
        stream.write(f"{len(projects)} {noun} in {detection.root}\n\n")
        for line in _table([_COLUMNS, *(_row(p) for p in projects)]):
            stream.write(line + "\n")
        if verbose:
            for project in projects:
                stream.write("\n" + "\n".join(_details(project)) + "\n")
    if detection.warnings:
        noun = "warning" if len(detection.warnings) == 1 else "warnings"
        stream.write(f"\n{len(detection.warnings)} {noun}:\n")
        for warning in detection.warnings:
            stream.write(f"  {warning.file}: {warning.message}\n")
