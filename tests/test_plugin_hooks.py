"""The plugin's hooks, run as Claude Code runs them: the command from hooks.json, with the
hook's JSON on stdin, and its stdout read as the hook's output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scaffold.commands.adopt import apply_adoption, plan_adoption
from tests.helpers import REPO_ROOT, commit_all, committed_repo

RUN_HOOK = REPO_ROOT / "hooks" / "run-hook"
SERVICE = {
    "pyproject.toml": (
        '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["fastapi"]\n\n'
        '[project.optional-dependencies]\ndev = ["pytest", "ruff"]\n'
    ),
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
}


def installed_scaffold(bin_dir: Path, *, shebang: str = f"#!{sys.executable}") -> None:
    """A ``scaffold`` command as installers write it: a script whose first line names the
    interpreter scaffold is installed in."""
    bin_dir.mkdir()
    script = bin_dir / "scaffold"
    script.write_text(
        f"{shebang}\nimport sys\nfrom scaffold.cli import main\nsys.exit(main())\n",
        encoding="utf-8",
    )
    script.chmod(0o755)


def hook(event: str, payload: dict[str, Any], path: str, data: Path) -> str:
    """The hook's stdout; it always exits 0 and writes nothing on stderr."""
    done = subprocess.run(
        [str(RUN_HOOK), event],
        input=json.dumps(payload),
        env={**os.environ, "PATH": path, "CLAUDE_PLUGIN_DATA": str(data)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout


# The first line of a scaffold command names its Python (the hook then calls the library in
# process), or is a launcher that names none (the hook then runs the scaffold command).
SHEBANGS = {
    "in process": f"#!{sys.executable}",
    "by the command": f"#!/bin/sh\n'''exec' {sys.executable} \"$0\" \"$@\"\n'''",
}


@pytest.fixture(params=sorted(SHEBANGS))
def path(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    installed_scaffold(tmp_path / "bin", shebang=SHEBANGS[request.param])
    return f"{tmp_path / 'bin'}:/usr/bin:/bin"


@pytest.fixture
def conforming(tmp_path: Path) -> Path:
    """A FastAPI service that scaffold adopt brought onto the conventions, committed."""
    repo = committed_repo(tmp_path / "repo", SERVICE)
    apply_adoption(plan_adoption(repo))
    commit_all(repo, "adopt the conventions")
    assert not plan_adoption(repo).pending
    return repo


def hook_input(repo: Path, event: str, **fields: Any) -> dict[str, Any]:
    """What Claude Code sends a hook for ``event`` in a session in ``repo``."""
    return {
        "session_id": "session-1",
        "transcript_path": str(repo / "transcript.jsonl"),
        "cwd": str(repo),
        "hook_event_name": event,
        **fields,
    }


def start(repo: Path) -> dict[str, Any]:
    return hook_input(repo, "SessionStart", source="startup")


def edit(repo: Path, file: str, old: str, new: str) -> dict[str, Any]:
    """What Claude Code sends after its Edit tool changed ``file`` (the edit is made here)."""
    target = repo / file
    target.write_text(target.read_text().replace(old, new))
    return hook_input(
        repo,
        "PostToolUse",
        tool_name="Edit",
        tool_input={"file_path": str(target), "old_string": old, "new_string": new},
        tool_response={"filePath": str(target), "success": True},
    )


def test_session_start_summarises_the_repository(
    conforming: Path, path: str, tmp_path: Path
) -> None:
    output = json.loads(hook("session-start", start(conforming), path, tmp_path / "data"))
    assert output == {
        "hookSpecificOutput": {
            "hookEventName": "SessionStart",
            "additionalContext": (
                f"scaffold detect: 1 project in this repository ({conforming}):\n"
                "- `.`: python-fastapi (python, fastapi, pip), layered; configs .editorconfig, "
                "pyproject.toml[tool.ruff]; 4-space indent; "
                "must pass: `pytest`; `ruff check .`; `ruff format --check .`\n"
                "Follow each project's layout, configs and style."
            ),
        }
    }


def test_session_start_lists_no_check_where_agents_md_has_none_to_run(
    path: str, tmp_path: Path
) -> None:
    """A project declaring neither pytest nor ruff: its AGENTS.md has only advice, so the
    summary names no command (never the block's comment)."""
    repo = committed_repo(
        tmp_path / "bare", SERVICE | {"pyproject.toml": SERVICE["pyproject.toml"].split("\n\n")[0]}
    )
    apply_adoption(plan_adoption(repo))
    commit_all(repo, "adopt the conventions")
    assert "Not set up yet:" in (repo / "AGENTS.md").read_text()

    output = json.loads(hook("session-start", start(repo), path, tmp_path / "data"))

    context = output["hookSpecificOutput"]["additionalContext"]
    assert "pyproject.toml[tool.ruff]; 4-space indent\nFollow each project's" in context


def test_an_edit_that_breaks_a_convention_is_reported_and_one_that_does_not_is_silent(
    conforming: Path, path: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    hook("session-start", start(conforming), path, data)

    assert (
        hook("post-tool-use", edit(conforming, "app/main.py", "app =", "api ="), path, data) == ""
    )

    pyproject = (conforming / "pyproject.toml").read_text()
    ruff = pyproject[pyproject.index("[tool.ruff]") :]  # with its sub-tables, to the end
    broken = edit(conforming, "pyproject.toml", ruff, "")
    output = json.loads(hook("post-tool-use", broken, path, data))
    assert output == {
        "decision": "block",
        "reason": (
            "scaffold adopt --check: project `.` (python-fastapi) now deviates from the "
            "conventions in force:\n"
            "- pyproject.toml (merge): adds tool.ruff\n"
            "The conventions ask for these files and config tables. Put back what the edit "
            "removed, or tell the user; `scaffold adopt --dry-run` shows the whole plan."
        ),
    }
    # Told once: the next edit, with the same deviation, is silent.
    assert (
        hook("post-tool-use", edit(conforming, "app/main.py", "api =", "app ="), path, data) == ""
    )


def test_a_hidden_agents_md_is_named_at_session_start(tmp_path: Path, path: str) -> None:
    repo = committed_repo(
        tmp_path / "repo",
        {
            "CLAUDE.md": "# Team rules\n",
            "services/api/go.mod": "module example.com/api\n\ngo 1.22\n",
            "services/api/main.go": "package main\n\nfunc main() {}\n",
            "services/api/AGENTS.md": "# Working on services/api\n",
            "services/web/go.mod": "module example.com/web\n\ngo 1.22\n",
            "services/web/main.go": "package main\n\nfunc main() {}\n",
            "services/web/AGENTS.md": "# Working on services/web\n",
            "services/web/CLAUDE.md": "@AGENTS.md\n",
        },
    )
    context = json.loads(hook("session-start", start(repo), path, tmp_path / "data"))[
        "hookSpecificOutput"
    ]["additionalContext"]
    assert (
        "services/api/AGENTS.md is not read by Claude Code: CLAUDE.md hides it. Read it "
        "yourself; a CLAUDE.md in services/api with the line `@AGENTS.md` would import it."
    ) in context.splitlines()
    assert "services/web/AGENTS.md" not in context
    assert len(context) <= 1500


def test_hooks_are_quiet_without_scaffold_outside_a_repository_and_on_bad_input(
    conforming: Path, path: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    without_scaffold = "/usr/bin:/bin"
    assert hook("session-start", start(conforming), without_scaffold, data) == ""
    assert (
        hook("post-tool-use", edit(conforming, "app/main.py", "app", "api"), without_scaffold, data)
        == ""
    )

    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "pyproject.toml").write_text(SERVICE["pyproject.toml"])
    assert hook("session-start", start(loose), path, data) == ""
    assert hook("post-tool-use", edit(loose, "pyproject.toml", "svc", "api"), path, data) == ""

    done = subprocess.run(
        [str(RUN_HOOK), "post-tool-use"],
        input="not json",
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
