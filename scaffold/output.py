"""Rendering results for people (text) and programs (JSON). The stream is passed in.

Imported when the command line starts: what it needs besides is imported where it is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from scaffold.commands.adopt import AdoptResult
    from scaffold.commands.conventions import ConventionsResult, StacksResult
    from scaffold.commands.detect import DetectResult
    from scaffold.commands.new import NewResult
    from scaffold.commands.update import ProjectUpdate, UpdateResult
    from scaffold.model import FileAction
    from scaffold.results import Result


def show(result: Result, as_json: bool, text: Callable[..., None], **options: Any) -> None:
    """Print ``result`` on standard output: its JSON envelope with ``--json``, else
    ``text(stdout, result, **options)``."""
    import sys

    if as_json:
        write_json(sys.stdout, result)
    else:
        text(sys.stdout, result, **options)


def write_json(stream: TextIO, result: Result) -> None:
    """``result``'s JSON envelope (see :mod:`scaffold.results`)."""
    stream.write(json_text(result))


def json_text(result: Result) -> str:
    """``result``'s JSON envelope as ``--json`` prints it."""
    import json

    return json.dumps(result.to_dict(), indent=2, sort_keys=False, default=str) + "\n"


def print_detection(stream: TextIO, result: DetectResult, *, verbose: bool = False) -> None:
    from scaffold.detect.report import print_detection as print_report

    print_report(stream, result.detection, verbose=verbose)


def file_tree(
    root_label: str, paths: Iterable[PurePosixPath], notes: Mapping[str, str] | None = None
) -> list[str]:
    """Lines of an ASCII-art tree of ``paths`` (folders first, then files, each sorted).

    ``notes`` maps a POSIX path to a few words printed after its name.
    """
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for part in path.parts[:-1]:
            node = node.setdefault(part + "/", {})
        node[path.parts[-1]] = path.as_posix()
    lines = [root_label]

    def walk(node: dict[str, Any], prefix: str) -> None:
        names = sorted(node, key=lambda n: (not n.endswith("/"), n))
        for index, name in enumerate(names):
            last = index == len(names) - 1
            child = node[name]
            note = (
                f"  {notes[child]}" if notes and isinstance(child, str) and child in notes else ""
            )
            lines.append(f"{prefix}{'└── ' if last else '├── '}{name}{note}")
            if isinstance(child, dict):
                walk(child, prefix + ("    " if last else "│   "))

    walk(tree, "")
    return lines


def print_new(stream: TextIO, result: NewResult) -> None:
    files = [a.path for a in result.plan.actions]
    label = f"{result.target.name}/"
    if result.dry_run:
        stream.write(
            f"Dry run: would create {len(files)} files in {result.target} "
            f"({result.stack.id}); nothing was written.\n"
        )
        if line := _lockfile_line(result, would=True):
            stream.write(line + "\n")
        if line := _git_line(result, would=True):
            stream.write(line + "\n")
        stream.write("\n".join(file_tree(label, files)) + "\n")
        return
    stream.write(f"Created {result.target} ({result.stack.id}, {len(files)} files).\n")
    if line := _lockfile_line(result, would=False):
        stream.write(line + "\n")
    if line := _git_line(result, would=False):
        stream.write(line + "\n")
    if result.next_steps:
        stream.write("\nNext steps:\n")
        for step in result.next_steps:
            stream.write(f"  {step}\n")
    if missing := [tool for tool in result.tools if not tool.found]:
        width = max(len(tool.name) for tool in missing)
        stream.write("\nNot on PATH (how to install):\n")
        for tool in missing:
            stream.write(f"  {tool.name.ljust(width)}  {tool.install}\n")


def _lockfile_line(result: NewResult, *, would: bool) -> str:
    """One line on the project's lockfile ("" when none was asked for, or the stack has none)."""
    from scaffold.commands.lockfile import LockStatus

    lockfile = result.lockfile
    step = lockfile.step
    if step is None or lockfile.status is LockStatus.SKIPPED:
        return ""
    if lockfile.status is LockStatus.CREATED:
        return f"Created {step.file} ({step.shell_line})."
    if lockfile.status is LockStatus.PLANNED:
        return f"Would create {step.file} ({step.shell_line})."
    if would:
        return f"Would create no {step.file}: {lockfile.reason}."
    return f"No {step.file}: {lockfile.reason}; the next steps make it."


def _git_line(result: NewResult, *, would: bool) -> str:
    """One line on the project's git repository ("" when none was asked for, or git failed:
    that is the error line)."""
    from scaffold.commands.first_commit import GitStatus

    git = result.git
    if git.status is GitStatus.COMMITTED:
        done = "Would initialise" if would else "Initialised"
        return f"{done} a git repository with the files in a first commit."
    if git.status is GitStatus.STAGED:
        done = (
            "Would initialise a git repository and stage"
            if would
            else "Initialised a git repository and staged"
        )
        return f"{done} the files, not committed: {git.reason}."
    if git.status in (GitStatus.INSIDE_WORK_TREE, GitStatus.NO_GIT):
        return f"No new git repository: {git.reason}."
    return ""


def print_stacks(stream: TextIO, result: StacksResult) -> None:
    width = max((len(s.id) for s in result.stacks), default=0)
    for stack in result.stacks:
        stream.write(f"{stack.id.ljust(width)}  {stack.summary}\n")


def print_update(stream: TextIO, result: UpdateResult) -> None:
    from scaffold.model import Action

    verbs = {"update": "updated", "dry-run": "would update", "check": "can update"}
    for outcome in result.projects:
        project = outcome.project
        if outcome.status == "up-to-date":
            stream.write(f"{project.path}: up to date ({project.version or 'no version'})\n")
            continue
        stream.write(
            f"{project.path}: {verbs[result.mode]} from {project.version or 'no version'} "
            f"to {outcome.to_version or 'the newest version'}"
        )
        if result.mode == "check":
            stream.write("\n")
            continue
        stream.write(f", {len(outcome.changed)} files changed\n")
        conflicted = set(outcome.conflicts)
        for action in outcome.files:
            path = action.path.as_posix()
            if action.action is Action.CONFLICT:
                note = f" (conflict: {action.reason})"
            elif path in conflicted:
                note = " (conflict)"
            elif action.action is Action.DELETE:
                note = " (deleted)"
            else:
                note = ""
            stream.write(f"  {path}{note}\n")
        if line := _update_lockfile_line(outcome, would=result.mode == "dry-run"):
            stream.write(line + "\n")
    if result.conflicts:
        where = "would be left" if result.mode == "dry-run" else "left"
        stream.write(f"\nConflicts {where} for you to resolve, then commit:\n")
        for path in result.conflicts:
            stream.write(f"  {path}\n")


def _update_lockfile_line(outcome: ProjectUpdate, *, would: bool) -> str:
    """One line on the lockfile an update made, or could not ("" when it had none to make)."""
    from scaffold.commands.lockfile import LockStatus

    lockfile = outcome.lockfile
    if lockfile is not None and lockfile.step is None and lockfile.status is LockStatus.REFUSED:
        return f"No lockfile: {lockfile.reason}."  # the version's declaration is malformed
    step = lockfile.step if lockfile else None
    if lockfile is None or step is None:
        return ""
    where = outcome.project.path
    shown = step.file.as_posix() if where == "." else f"{where}/{step.file}"
    if lockfile.status is LockStatus.CREATED:
        return f"Created {shown} ({step.shell_line})."
    if lockfile.status is LockStatus.PLANNED:
        return f"Would create {shown} ({step.shell_line})."
    if lockfile.status is LockStatus.REFUSED:
        return f"No {shown}: {lockfile.reason}."
    if lockfile.status in (LockStatus.TOOL_MISSING, LockStatus.FAILED):
        if would:
            return f"Would create no {shown}: {lockfile.reason}."
        folder = "" if where == "." else f"in {where}, "
        return f"No {shown}: {lockfile.reason}; {folder}run {step.shell_line}, then commit it."
    return ""


def print_conventions(stream: TextIO, result: ConventionsResult) -> None:
    conventions = result.conventions
    named = f" ({conventions.name})" if conventions.name else ""
    stream.write(f"Conventions from {conventions.source}{named}\n")
    width = max(len(stack.label) for stack in conventions.stacks)
    for stack in conventions.stacks:
        if result.has_template(stack.template):
            template = f"template {stack.template}"
        elif stack.template:
            template = f"template {stack.template} (not bundled)"
        else:
            template = "no template"
        stream.write(f"\n{stack.label.ljust(width)}  {template}\n")
        stream.write("  folders  " + "  ".join(f"{f}/" for f in stack.folders) + "\n")
        if stack.files:
            stream.write("  files    " + "  ".join(stack.files) + "\n")
        if stack.configs:
            stream.write("  configs  " + "  ".join(stack.configs) + "\n")


def adoption_diffs(result: AdoptResult) -> str:
    """The unified diffs of every file the plan writes, against the files as they are now
    (so, before the plan is applied)."""
    return "".join("\n" + "".join(_diff(result, action)) for action in result.plan.writes)


def _diff(result: AdoptResult, action: FileAction) -> list[str]:
    """The unified diff of ``action``'s file. Lines are compared byte for byte (a line
    whose ending alone changes is a change) and shown ending in LF, so a CRLF file reads as
    any other; a last line without a newline is marked as diff and git mark it."""
    import difflib

    from scaffold.model import REPLACING_ACTIONS, Action

    path = result.root.joinpath(*action.path.parts)
    before = path.read_bytes() if action.action in REPLACING_ACTIONS else b""
    name = action.path.as_posix()
    shown = []
    for line in difflib.unified_diff(
        _diff_lines(before),
        _diff_lines(action.content or b""),
        fromfile="/dev/null" if action.action is Action.CREATE else f"a/{name}",
        tofile=f"b/{name}",
    ):
        if line.endswith("\r\n"):
            shown.append(line[:-2] + "\n")
        elif line.endswith("\n"):
            shown.append(line)
        else:
            shown.append(line + "\n\\ No newline at end of file\n")
    return shown


def _diff_lines(data: bytes) -> list[str]:
    """``data``'s lines, each with its ending as it is; only LF ends a line (CR, form feed
    and the other breaks ``str.splitlines`` knows are kept inside theirs)."""
    lines = data.decode("utf-8", "replace").split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _counted(counts: Mapping[str, int]) -> str:
    """``{"create": 9, "skip": 7}`` as ``9 create, 7 skip``."""
    return ", ".join(f"{n} {action}" for action, n in counts.items())


def print_adoption(stream: TextIO, result: AdoptResult, *, diffs: str = "") -> None:
    """The plan as a tree with each file's action, then ``diffs`` (see
    :func:`adoption_diffs`), then what was done."""
    planned = [p for p in result.projects if p.status == "planned"]
    stream.write(f"Adopting {result.root}: {len(planned)} of {len(result.projects)} projects\n")
    for project in result.projects:
        detail = project.stack or "unknown stack"
        if project.status == "skipped":
            detail += f"; skipped: {project.reason}"
        elif project.reason:
            detail += f"; {project.reason}"
        stream.write(f"  {project.path}  ({detail})\n")
    for warning in result.warnings:
        stream.write(f"  warning: {warning.file}: {warning.message}\n")
    if not result.plan.actions:
        stream.write("\nNothing to plan.\n")
        return
    notes = {
        a.path.as_posix(): a.action.value + (f": {a.reason}" if a.reason else "")
        for a in result.plan.actions
    }
    stream.write(
        "\n" + "\n".join(file_tree(".", [a.path for a in result.plan.actions], notes)) + "\n"
    )
    stream.write(f"\n{_counted(result.plan.counts())}\n")
    by_folder = result.folder_counts()
    if len(by_folder) > 1:
        stream.write("By folder:\n")
        width = max(len(folder) for folder in by_folder)
        for folder, counts in by_folder.items():
            stream.write(f"  {folder.ljust(width)}  {_counted(counts)}\n")
    stream.write(diffs)
    if result.applied:
        stream.write(f"Wrote {len(result.plan.writes)} files.\n")
    elif not result.plan.writes and not result.plan.conflicts:
        stream.write("Nothing to do: the repository already follows the conventions.\n")
    if result.plan.conflicts:
        stream.write(
            f"{len(result.plan.conflicts)} left to you: something of yours is in the way "
            "(see conflict above).\n"
        )
