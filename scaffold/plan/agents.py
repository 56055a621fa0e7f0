"""``AGENTS.md``, written from the detection: the project as it is.

A repository with several adopted projects gets one ``AGENTS.md`` at its root describing
each of them (:func:`repository_agents_md`); a polyglot repository's top-level services,
whose commands differ, also get their own (:func:`nested_agent_folders`). Where a
``CLAUDE.md`` sits in the folder of an ``AGENTS.md`` or above, Claude Code reads only the
``CLAUDE.md``: it gains one import line (:func:`claude_md_import`).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from scaffold.model import Action, ConfigRef, FileAction, Project, sha256_of_bytes

if TYPE_CHECKING:
    from scaffold.plan.adopt import AdoptPlanner

AGENTS_FILE = "AGENTS.md"
CLAUDE_FILES = ("CLAUDE.md", ".claude/CLAUDE.md")


@dataclass(frozen=True, slots=True)
class AgentsEntry:
    """One adopted project as its ``AGENTS.md`` describes it."""

    project: Project
    convention_folders: tuple[str, ...]
    commands: tuple[str, ...]
    #: Checks that cannot run yet, and what to add for them.
    advice: tuple[str, ...] = ()


def _relative(path: str, start: str) -> str:
    """``path`` as seen from the folder ``start``, both relative to the repository's root
    (``posixpath.relpath`` without its look at the working folder, for the common cases)."""
    path = posixpath.normpath(path)
    if start == ".":
        return path
    if path == start:
        return "."
    if path.startswith(start + "/"):
        return path[len(start) + 1 :]
    return posixpath.relpath(path, start)


def _from_project(folder: str, config: ConfigRef) -> str:
    """``config`` (its file relative to the repository) as seen from ``folder``, with its
    section as ``[table]``."""
    return str(replace(config, file=_relative(config.file, folder)))


def _description(project: Project) -> str:
    what = project.language + (f" / {project.framework}" if project.framework else "")
    build = f", built with {project.build_tool}" if project.build_tool else ""
    return f"A {what} project{build}. Follow the layout and style it already has."


def _body(entry: AgentsEntry, heading: str, seen_from: str) -> list[str]:
    """The layout, commands and style of ``entry``'s project, under ``heading`` headings
    (``"##"``), its configs named from the folder ``seen_from``."""
    project = entry.project

    def shown(folder: str) -> str:  # a folder of the project, seen from ``seen_from``
        return _relative(posixpath.join(project.path, folder), seen_from) + "/"

    lines = [f"{heading} Layout", ""]
    if project.source_dirs:
        lines += [f"- `{shown(folder)}`" for folder in project.source_dirs]
    else:
        lines.append("- the code lives at the top of the project")
    if project.architecture:
        lines += [
            "",
            f"Architecture: {project.architecture}. Put new code beside the code it resembles.",
        ]
    if entry.convention_folders:
        lines += [
            "",
            "Where the project has no established place for a kind of code, the conventions' "
            "folders are: " + ", ".join(f"`{shown(f)}`" for f in entry.convention_folders) + ".",
        ]
    lines += ["", f"{heading} Commands", ""]
    if seen_from != project.path:
        lines += [f"Run in `{project.path}/`:", ""]
    commands = entry.commands or ("# nothing is set up to run here yet",)
    lines += ["```sh", *commands, "```", ""]
    if entry.advice:
        lines += ["Not set up yet:", "", *(f"- {advice}" for advice in entry.advice), ""]
    lines += [f"{heading} Style", ""]
    indent = project.style.indent
    if indent is not None:
        size = f" of {indent.size}" if indent.size else ""
        lines.append(f"- indentation: {indent.style}s{size}")
    if project.style.naming:
        lines.append(f"- naming: {project.style.naming}")
    if project.configs:
        # Detection names files from the repository's root.
        configs = [_from_project(seen_from, config) for config in project.configs]
        lines.append("- configuration in force: " + ", ".join(f"`{c}`" for c in configs))
    lines.append("- match the formatting of the files you change; do not reformat others")
    return lines


def agents_md(entry: AgentsEntry) -> str:
    """The ``AGENTS.md`` in the folder of ``entry``'s project."""
    project = entry.project
    lines = [
        f"# Working on {project.path if project.path != '.' else 'this project'}",
        "",
        _description(project),
        "",
        *_body(entry, "##", project.path),
    ]
    return "\n".join(lines) + "\n"


def repository_agents_md(entries: Sequence[AgentsEntry]) -> str:
    """The ``AGENTS.md`` at the root of a repository of several adopted projects: each of
    them, in path order, with its folder, stack, commands and layout."""
    ordered = sorted(entries, key=lambda entry: entry.project.path)
    lines = [
        "# Working on this repository",
        "",
        f"It holds {len(ordered)} projects. Run a project's commands in its folder, and "
        "follow the layout and style it already has.",
        "",
        *(f"- `{e.project.path}`: {e.project.stack or e.project.language}" for e in ordered),
    ]
    for entry in ordered:
        project = entry.project
        title = "the root project" if project.path == "." else project.path
        lines += ["", f"## {title}", "", _description(project), ""]
        lines += _body(entry, "###", ".")
    return "\n".join(lines) + "\n"


def _top_level(path: str, paths: Sequence[str]) -> bool:
    """Whether ``path`` lies inside no other of ``paths`` but the root."""
    return path != "." and not any(other != "." and path.startswith(other + "/") for other in paths)


def nested_agent_folders(entries: Sequence[AgentsEntry]) -> tuple[str, ...]:
    """The folders that get an ``AGENTS.md`` of their own beside the root's: in a polyglot
    repository (projects of more than one language), each top-level service whose commands
    differ from the root project's (every one, when the root is no project)."""
    if len({entry.project.language for entry in entries}) < 2:
        return ()
    root_commands = next((e.commands for e in entries if e.project.path == "."), None)
    paths = [entry.project.path for entry in entries]
    return tuple(
        entry.project.path
        for entry in entries
        if _top_level(entry.project.path, paths) and entry.commands != root_commands
    )


def claude_md_above(
    root: Path, folder: Path, memo: dict[Path, Path | None] | None = None
) -> Path | None:
    """The nearest ``CLAUDE.md`` (or ``.claude/CLAUDE.md``) in ``folder`` or above it, up to
    ``root`` included; Claude Code reads an ``AGENTS.md`` only where there is none. ``memo``
    keeps the answer for each folder looked at, for a caller asking about many folders."""
    looked_at: list[Path] = []
    found: Path | None = None
    for candidate in (folder, *folder.parents):
        if memo is not None and candidate in memo:
            found = memo[candidate]
            break
        looked_at.append(candidate)
        found = next(
            (
                candidate / name
                for name in CLAUDE_FILES
                if (candidate / name).is_file() or (candidate / name).is_symlink()
            ),
            None,
        )
        if found is not None or candidate == root or root not in candidate.parents:
            break
    if memo is not None:
        memo.update(dict.fromkeys(looked_at, found))
    return found


def claude_md_import(claude_md: Path, agents_md_path: Path) -> str:
    """The line that makes ``claude_md`` import ``agents_md_path``: ``@AGENTS.md`` beside
    it, else the path from its folder."""
    relative = os.path.relpath(agents_md_path, claude_md.parent)
    return "@" + PurePosixPath(*Path(relative).parts).as_posix()


def plan_agents_files(
    planner: AdoptPlanner, described: Sequence[AgentsEntry], *, one_per_project: bool
) -> None:
    """The ``AGENTS.md`` files: one at the root describing every adopted project, and one in
    each top-level service of a polyglot repository (see
    :func:`scaffold.plan.agents.nested_agent_folders`); a project adopted alone, or named
    with ``--project``, has its own. An existing one is the user's and is kept.

    Claude Code reads an ``AGENTS.md`` only where no ``CLAUDE.md`` sits in its folder or
    above: that ``CLAUDE.md`` gains the line importing it. A service's own, below the root's
    that describes it too, is imported only by a ``CLAUDE.md`` in its own folder."""
    from scaffold.adopters import WholeFile
    from scaffold.model import Action

    root = planner.root
    written: list[tuple[Path, bytes, bool]] = []  # folder, content, imported from above
    if one_per_project or len(described) == 1:
        written = [(root / e.project.path, agents_md(e).encode(), True) for e in described]
    elif described:
        nested = set(nested_agent_folders(described))
        written = [(root, repository_agents_md(described).encode(), True)]
        written += [
            (root / e.project.path, agents_md(e).encode(), False)
            for e in described
            if e.project.path in nested
        ]
    imports: dict[Path, list[str]] = {}
    nearest_claude_md: dict[Path, Path | None] = {}
    for folder, content, from_above in written:
        planner.whole_file(folder, AGENTS_FILE, content, 0o644, WholeFile())
        agents = folder / AGENTS_FILE
        action = planner.actions.get(planner.rel(agents))
        there = action is not None and action.action is Action.CREATE
        if not there and not (agents.is_file() and not agents.is_symlink()):
            continue
        claude = claude_md_above(root, folder, nearest_claude_md)
        if claude is not None and (from_above or claude.parent in (folder, folder / ".claude")):
            imports.setdefault(claude, []).append(claude_md_import(claude, agents))
    for claude, lines in imports.items():
        import_lines(planner, claude, tuple(lines))


#: The largest ``CLAUDE.md`` adopt reads to add an import line to.
MAX_CLAUDE_MD_BYTES = 1024 * 1024


def import_lines(planner: AdoptPlanner, file: Path, lines: tuple[str, ...]) -> None:
    """``file`` (a ``CLAUDE.md``) with those of ``lines`` it lacks added at its end; the
    rest of its text is left as it is."""
    from scaffold.plan.merge import split_text
    from scaffold.untrusted import UntrustedInputError, read_limited

    rel = planner.rel(file)
    yourself = f"add {', '.join(lines)} yourself"
    if file.is_symlink():
        planner.add(FileAction(rel, Action.SKIP, f"a symbolic link; not followed; {yourself}"))
        return
    try:
        raw = read_limited(file, MAX_CLAUDE_MD_BYTES)
        text, form = split_text(raw)
    except UntrustedInputError as error:
        planner.add(FileAction(rel, Action.SKIP, f"{error.reason}; {yourself}"))
        return
    except UnicodeDecodeError:
        planner.add(FileAction(rel, Action.SKIP, f"not UTF-8 text; {yourself}"))
        return
    except OSError as error:
        planner.add(FileAction(rel, Action.SKIP, f"cannot be read ({error.strerror}); {yourself}"))
        return
    present = {existing.strip() for existing in text.splitlines()}
    missing = [line for line in lines if line not in present]
    if not missing:
        planner.add(FileAction(rel, Action.IDENTICAL, f"already imports {', '.join(lines)}"))
        return
    form_kept = f"; kept: {form.describe()}" if form.describe() else ""
    reason = (
        f"adds {', '.join(missing)}: Claude Code reads AGENTS.md only where it is "
        f"imported{form_kept}"
    )
    merged = form.restore(text + "".join(line + "\n" for line in missing))
    mode = file.stat().st_mode & 0o777
    planner.add(FileAction(rel, Action.MERGE, reason, merged, mode, sha256_of_bytes(raw)))
