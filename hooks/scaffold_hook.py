"""The scaffold plugin's Claude Code hooks: ``scaffold_hook.py EVENT`` reads the hook's JSON
input on stdin and prints the hook's JSON output, or nothing.

- ``session-start``: a short summary of the repository (``scaffold detect``: each project's
  stack, configs, style and the commands its AGENTS.md lists), an AGENTS.md that a CLAUDE.md
  hides from Claude Code, and the deviations from the conventions the session starts with.
- ``post-tool-use`` (Write, Edit, MultiEdit): ``scaffold adopt --check`` on the repository of
  the edited file; when the project of that file deviates in a way it did not before, the
  agent is told which files and why. Silent when nothing new deviates.

Run by ``run-hook`` with the Python that scaffold is installed in, so the library is called in
process; elsewhere the ``scaffold`` command is run. A hook never fails a session: without
scaffold, outside a git repository, or on any error, it prints nothing and exits 0.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEVIATING = ("create", "merge", "migrate", "conflict")
MAX_PROJECTS = 6
MAX_LISTED = 5
MAX_COMMANDS = 4
MAX_CONTEXT = 1500  # characters: a few hundred tokens
MAX_READ = 64 * 1024
TIMEOUT = 60


def main(argv: list[str]) -> int:
    handler = HANDLERS.get(argv[1]) if len(argv) == 2 else None
    if handler is None:
        return 0
    try:
        payload = json.loads(sys.stdin.read(1024 * 1024) or "{}")
        output = handler(payload) if isinstance(payload, dict) else None
    except Exception:  # a hook never breaks the session it serves
        return 0
    if output is not None:
        sys.stdout.write(json.dumps(output) + "\n")
    return 0


# What scaffold says, in process when this interpreter has it, else from its command.


def _scaffold_command(args: list[str]) -> dict[str, Any] | None:
    scaffold = shutil.which("scaffold")
    if scaffold is None:
        return None
    done = subprocess.run(
        [scaffold, *args], capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    if done.returncode not in (0, 3):
        return None
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _in_process_or_command(
    call: Callable[[], dict[str, Any]], args: list[str]
) -> dict[str, Any] | None:
    """``call()``, the library in this interpreter; when that fails (scaffold is not
    importable here, or only in part), the same from the scaffold command."""
    try:
        return call()
    except Exception:
        return _scaffold_command(args)


def detection(root: Path) -> dict[str, Any] | None:
    def call() -> dict[str, Any]:
        from scaffold.kept_detection import detection_output

        found: dict[str, Any] = json.loads(detection_output(str(root)))
        return found

    return _in_process_or_command(call, ["detect", "--json", "--", str(root)])


def adoption_check(root: Path) -> dict[str, Any] | None:
    def call() -> dict[str, Any]:
        from scaffold.commands.adopt import plan_adoption
        from scaffold.conventions import load_conventions

        return plan_adoption(root, conventions=load_conventions(), allow_dirty=True).to_dict()

    return _in_process_or_command(call, ["adopt", "--check", "--json", "--", str(root)])


# The repository, its projects and what deviates.


def repository_root(folder: Path) -> Path | None:
    """The top of the git work tree that holds ``folder``, if it is in one."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return None
    top = done.stdout.strip()
    return Path(top) if done.returncode == 0 and top else None


def project_of(relative: str, projects: list[str]) -> str | None:
    """The deepest project path holding ``relative`` (both POSIX, from the root)."""
    holding = [p for p in projects if p == "." or relative == p or relative.startswith(p + "/")]
    return max(holding, key=lambda p: (p != ".", p.count("/"), len(p)), default=None)


def deviations(check: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """The files adopt would write, or that something is in the way of, by project."""
    projects = [entry["path"] for entry in check.get("projects", [])]
    found: dict[str, list[dict[str, str]]] = {}
    for entry in check.get("files", []):
        if entry.get("action") in DEVIATING:
            owner = project_of(entry["path"], projects)
            if owner is not None:
                found.setdefault(owner, []).append(entry)
    return found


def _state_file(payload: dict[str, Any]) -> Path | None:
    session = re.sub(r"[^A-Za-z0-9_.-]", "", str(payload.get("session_id", "")))[:128]
    if not session:
        return None
    base = os.environ.get("CLAUDE_PLUGIN_DATA") or os.path.join(
        tempfile.gettempdir(), f"scaffold-hooks-{os.getuid()}"
    )
    return Path(base, f"{session}.json")


def _load_state(path: Path | None) -> dict[str, list[str]]:
    if path is None or not path.is_file():
        return {}
    with path.open(encoding="utf-8") as file:
        state = json.loads(file.read(MAX_READ))
    return (
        {str(k): [str(v) for v in vs] for k, vs in state.items()} if isinstance(state, dict) else {}
    )


def _save_state(path: Path | None, state: dict[str, list[str]]) -> None:
    if path is None:
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(state), encoding="utf-8")
    os.replace(scratch, path)


def _keys(root: Path, found: dict[str, list[dict[str, str]]]) -> dict[str, list[str]]:
    return {
        f"{root}::{project}": sorted(f"{e['action']} {e['path']}" for e in entries)
        for project, entries in found.items()
    }


# SessionStart


def _read_text(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return file.read(MAX_READ)
    except OSError:
        return ""


def agents_commands(folder: Path) -> list[str]:
    """The commands an AGENTS.md lists in its ``## Commands`` block (its comments left out)."""
    text = _read_text(folder / "AGENTS.md")
    match = re.search(r"^## Commands\s*\n+```[a-z]*\n(.*?)^```", text, re.M | re.S)
    lines = [line.strip() for line in match.group(1).splitlines()] if match else []
    return [line for line in lines if line and not line.startswith("#")]


def _claude_files(folder: Path) -> list[Path]:
    return [p for p in (folder / "CLAUDE.md", folder / ".claude" / "CLAUDE.md") if p.is_file()]


def hidden_agents_md(root: Path, folder: Path) -> Path | None:
    """The CLAUDE.md that keeps Claude Code from reading ``folder``'s AGENTS.md, if one does:
    Claude Code reads AGENTS.md only where no CLAUDE.md sits in the folder or above, unless a
    CLAUDE.md imports it (``@AGENTS.md``)."""
    agents = folder / "AGENTS.md"
    if not agents.is_file():
        return None
    hiding: Path | None = None
    for above in [folder, *folder.parents]:
        for claude in _claude_files(above):
            base = claude.parent.parent if claude.parent.name == ".claude" else claude.parent
            wanted = "@" + os.path.relpath(agents, base).replace(os.sep, "/")
            if any(line.strip() == wanted for line in _read_text(claude).splitlines()):
                return None
            hiding = hiding or claude
        if above == root:
            break
    return hiding


def _project_line(project: dict[str, Any], root: Path) -> str:
    kind = ", ".join(
        str(value)
        for value in (project["language"], project.get("framework"), project.get("build_tool"))
        if value
    )
    line = f"- `{project['path']}`: {project.get('stack') or 'no scaffold stack'} ({kind})"
    if project.get("architecture"):
        line += f", {project['architecture']}"
    configs = project.get("configs") or []
    if configs:
        more = f" and {len(configs) - MAX_LISTED} more" if len(configs) > MAX_LISTED else ""
        line += "; configs " + ", ".join(configs[:MAX_LISTED]) + more
    style = project.get("style") or {}
    indent = style.get("indent") or {}
    if indent.get("style"):
        size = f"{indent['size']}-" if indent.get("size") else ""
        line += f"; {size}{indent['style']} indent"
    if style.get("naming"):
        line += f", {style['naming']}"
    commands = agents_commands(root / project["path"])[:MAX_COMMANDS]
    if commands:
        line += "; must pass: " + "; ".join(f"`{c}`" for c in commands)
    return line


def session_start(payload: dict[str, Any]) -> dict[str, Any] | None:
    root = repository_root(Path(str(payload.get("cwd") or os.getcwd())))
    if root is None:
        return None
    detected = detection(root)
    if detected is None:
        return None
    projects = detected.get("projects", [])
    lines = []
    if projects:
        count = f"{len(projects)} project" + ("s" if len(projects) != 1 else "")
        lines.append(f"scaffold detect: {count} in this repository ({root}):")
        lines += [_project_line(project, root) for project in projects[:MAX_PROJECTS]]
        if len(projects) > MAX_PROJECTS:
            lines.append(f"- and {len(projects) - MAX_PROJECTS} more: `scaffold detect --json`")
        lines.append("Follow each project's layout, configs and style.")
    for folder in sorted({root, *(root / p["path"] for p in projects)}):
        claude = hidden_agents_md(root, folder)
        if claude is not None:
            where = folder.relative_to(root).as_posix()
            lines.append(
                f"{where}/AGENTS.md is not read by Claude Code: "
                f"{claude.relative_to(root).as_posix()} hides it. Read it yourself; a "
                f"CLAUDE.md in {where} with the line `@AGENTS.md` would import it."
            )
    check = adoption_check(root)
    if check is not None:
        found = deviations(check)
        _save_state(_state_file(payload), _keys(root, found))
        total = sum(len(entries) for entries in found.values())
        if total:
            lines.append(
                f"The conventions ask for {total} file(s) the repository lacks: "
                "`scaffold adopt --dry-run` lists them; /scaffold:adopt applies them."
            )
    if not lines:
        return None
    context = "\n".join(lines)
    if len(context) > MAX_CONTEXT:
        context = context[: MAX_CONTEXT - 1] + "…"
    return {"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": context}}


# PostToolUse


def post_tool_use(payload: dict[str, Any]) -> dict[str, Any] | None:
    tool_input = payload.get("tool_input") or {}
    file_path = tool_input.get("file_path") if isinstance(tool_input, dict) else None
    if not isinstance(file_path, str) or not file_path:
        return None
    edited = Path(str(payload.get("cwd") or os.getcwd()), file_path)
    root = repository_root(edited.parent) if edited.parent.is_dir() else None
    if root is None:
        return None
    check = adoption_check(root)
    if check is None:
        return None
    relative = os.path.relpath(edited, root).replace(os.sep, "/")
    project = project_of(relative, [entry["path"] for entry in check.get("projects", [])])
    found = deviations(check)
    state_file = _state_file(payload)
    state = _load_state(state_file)
    keys = _keys(root, found)
    key = f"{root}::{project}"
    before = set(state.get(key, []))
    state = {k: v for k, v in state.items() if not k.startswith(f"{root}::")} | keys
    _save_state(state_file, state)
    new = [e for e in found.get(project or "", []) if f"{e['action']} {e['path']}" not in before]
    if project is None or not new:
        return None
    stack = next(p.get("stack") for p in check["projects"] if p["path"] == project)
    lines = [
        f"scaffold adopt --check: project `{project}` ({stack}) now deviates from the "
        "conventions in force:"
    ]
    for entry in new[: MAX_LISTED * 2]:
        reason = f": {entry['reason']}" if entry.get("reason") else ""
        lines.append(f"- {entry['path']} ({entry['action']}){reason}")
    lines.append(
        "The conventions ask for these files and config tables. Put back what the edit "
        "removed, or tell the user; `scaffold adopt --dry-run` shows the whole plan."
    )
    return {"decision": "block", "reason": "\n".join(lines)}


HANDLERS = {"session-start": session_start, "post-tool-use": post_tool_use}

if __name__ == "__main__":
    # A short-lived process: the cyclic garbage collector's passes over everything the
    # library imports would cost about a tenth of the hook's time and free almost nothing
    # (see scaffold.launch.short_lived); what is alive at the end is frozen, so that the
    # interpreter's last pass skips it.
    gc.disable()
    code = main(sys.argv)
    gc.freeze()
    sys.exit(code)
