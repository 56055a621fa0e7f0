"""`scaffold new` on a fresh machine: the project becomes a git repository with a first commit
(or says exactly why not), git's own settings run no code, and the next steps work from the
folder the command ran in, naming how to get each program they use."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.first_commit import FirstCommit, GitStatus
from scaffold.commands.new import cd_path, new_project
from scaffold.errors import ExitCode
from scaffold.templates import list_stacks, load_template
from tests.helpers import files_under, git, tree_digest

GO_FILES = 41  # what `scaffold new go DIR --defaults` creates


def new(*args: str) -> Any:
    """``scaffold new ARGS --defaults``: its result (exit code and separate streams)."""
    return CliRunner().invoke(app, ["new", *args, "--defaults"])


def tracked(repo: Path) -> set[str]:
    return set(git(repo, "ls-files").splitlines())


def git_result(
    status: str, *, initialised: bool, committed: bool, reason: str | None = None
) -> dict[str, Any]:
    """The "git" member of `scaffold new --json`'s result, exactly."""
    return {
        "status": status,
        "initialised": initialised,
        "committed": committed,
        "reason": reason,
    }


def without_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """git with no user.name or user.email anywhere, on a host it could guess one from."""
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{name}_NAME")
        monkeypatch.delenv(f"GIT_{name}_EMAIL")
    monkeypatch.setenv("EMAIL", "guessed@example.com")


# --- the repository and its first commit ------------------------------------------------


def test_a_new_project_is_a_git_repository_with_every_file_in_a_first_commit(
    tmp_path: Path,
) -> None:
    target = tmp_path / "svc"
    result = new("go", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        f"Created {target} (go, {GO_FILES} files).",
        "Initialised a git repository with the files in a first commit.",
    ]
    assert git(target, "log", "--format=%s%n%an <%ae>") == (
        "Initial commit (scaffold new go)\nTest Author <author@example.com>\n"
    )
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ""
    assert tracked(target) == files_under(target) - {
        p for p in files_under(target) if p.startswith(".git/")
    }
    assert len(tracked(target)) == GO_FILES


def test_the_json_result_says_what_was_done_with_git(tmp_path: Path) -> None:
    target = tmp_path / "svc"
    payload = json.loads(new("go", str(target), "--json").stdout)
    assert list(payload)[-3:] == ["git", "next_steps", "tools"]
    assert payload["git"] == git_result("committed", initialised=True, committed=True)


def test_a_dry_run_says_it_would_initialise_and_changes_nothing(
    tmp_path: Path, scratch_tmp: Path
) -> None:
    target = tmp_path / "svc"
    before = tree_digest(tmp_path)
    result = new("go", str(target), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "Would initialise a git repository with the files in a first commit."
    )
    payload = json.loads(new("go", str(target), "--dry-run", "--json").stdout)
    assert payload["git"] == git_result("committed", initialised=True, committed=True)
    assert tree_digest(tmp_path) == before
    assert list(scratch_tmp.iterdir()) == []


def test_no_git_makes_no_repository(tmp_path: Path) -> None:
    target = tmp_path / "svc"
    result = new("go", str(target), "--no-git", "--json")
    assert result.exit_code == 0, result.output
    assert not (target / ".git").exists()
    assert len(files_under(target)) == GO_FILES
    payload = json.loads(result.stdout)
    assert payload["git"] == git_result(
        "skipped", initialised=False, committed=False, reason="not asked for"
    )
    assert not any(step.startswith("git ") for step in payload["next_steps"])


def test_inside_a_work_tree_the_project_is_left_to_that_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    target = repo / "services" / "svc"
    result = new("go", str(target))
    assert result.exit_code == 0, result.output
    assert not (target / ".git").exists()
    assert result.stdout.splitlines()[1] == (
        f"No new git repository: {target} is inside the git work tree of {repo}."
    )
    assert git(repo, "status", "--porcelain") == "?? services/\n"


def test_without_an_identity_the_files_are_staged_and_the_commit_is_the_next_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_identity(monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = new("go", "svc", "--json")
    assert result.exit_code == 0, result.output
    target = tmp_path / "svc"
    payload = json.loads(result.stdout)
    assert payload["git"] == git_result(
        "staged",
        initialised=True,
        committed=False,
        reason="git has no identity to commit with (user.name and user.email)",
    )
    # No commit with an identity git made up (from $EMAIL or the host name).
    head = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=target, check=False)
    assert head.returncode != 0
    staged = set(git(target, "diff", "--cached", "--name-only").splitlines())
    assert len(staged) == GO_FILES
    assert payload["next_steps"][:4] == [
        "cd svc",
        'git config --global user.name "Your Name"',
        'git config --global user.email "you@example.com"',
        "git commit -m 'Initial commit (scaffold new go)'",
    ]
    # The steps, as printed, finish the job.
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Ada")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ada@example.com")
    subprocess.run(shlex.split(payload["next_steps"][3]), cwd=target, check=True)
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ""
    assert len(tracked(target)) == GO_FILES


def test_without_an_identity_the_text_says_why_there_is_no_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_identity(monkeypatch)
    result = new("go", str(tmp_path / "svc"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "Initialised a git repository and staged the files, not committed: "
        "git has no identity to commit with (user.name and user.email)."
    )


def only_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *programs: str) -> Path:
    """PATH holds ``programs`` (links to the real ones) and nothing else."""
    import shutil

    folder = tmp_path / "bin"
    folder.mkdir()
    for program in programs:
        real = shutil.which(program)
        assert real is not None, program
        (folder / program).symlink_to(real)
    monkeypatch.setenv("PATH", str(folder))
    return folder


def new_with_nothing_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stack: str, *options: str
) -> Any:
    """``scaffold new STACK svc OPTIONS --defaults`` run in ``tmp_path`` with nothing on
    PATH: it succeeds all the same."""
    only_on_path(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = new(stack, "svc", *options)
    assert result.exit_code == 0, result.output
    return result


def test_without_git_the_project_is_written_and_the_steps_say_how_to_get_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = new_with_nothing_on_path(tmp_path, monkeypatch, "go")
    target = tmp_path / "svc"
    assert len(files_under(target)) == GO_FILES
    assert result.stdout == (
        f"Created {target} (go, {GO_FILES} files).\n"
        "No new git repository: git is not installed, or not on PATH.\n"
        "\n"
        "Next steps:\n"
        "  cd svc\n"
        "  git init\n"
        "  git add --all\n"
        "  git commit -m 'Initial commit (scaffold new go)'\n"
        "  make test\n"
        "  make lint\n"
        "  make run\n"
        "\n"
        "Not on PATH (how to install):\n"
        "  git            https://git-scm.com/downloads\n"
        "  go             https://go.dev/doc/install\n"
        "  make           your system's package manager (apt install make; on macOS: "
        "xcode-select --install)\n"
        "  golangci-lint  https://golangci-lint.run/welcome/install/ (version 2)\n"
    )


def test_git_failing_after_the_files_are_written_leaves_them_and_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A global config git cannot read: every git command fails, after the files are written.
    config = tmp_path / "broken.gitconfig"
    config.write_text("[core\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "svc"
    result = new("go", str(target), "--json")
    assert result.exit_code == ExitCode.ERROR
    assert len(files_under(target)) == GO_FILES
    assert not (target / ".git").exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        f"scaffold: error: created {target} ({GO_FILES} files), but git init failed: "
        f"fatal: bad config line 1 in file {config}; the files are in place, "
        "not in a git repository"
    )
    payload = json.loads(result.stdout)
    assert payload["git"] == git_result(
        "failed",
        initialised=False,
        committed=False,
        reason=f"git init failed: fatal: bad config line 1 in file {config}",
    )
    assert payload["next_steps"][1:4] == [
        "git init",
        "git add --all",
        "git commit -m 'Initial commit (scaffold new go)'",
    ]


@pytest.mark.parametrize(
    ("state", "left"),
    [
        ({"initialised": False, "staged": False}, ["git init", "git add --all", "git commit -m M"]),
        ({"initialised": True, "staged": False}, ["git add --all", "git commit -m M"]),
        ({"initialised": True, "staged": True}, ["git commit -m M"]),
    ],
)  # fmt: skip
def test_after_a_failure_the_next_steps_take_up_where_git_stopped(
    state: dict[str, bool], left: list[str]
) -> None:
    failed = FirstCommit(GitStatus.FAILED, reason="git x failed: no", message="M", **state)
    assert list(failed.commands_left()) == left


# --- git's settings run no code -----------------------------------------------------------


def marker_script(folder: Path, name: str, marker: Path) -> Path:
    """An executable that leaves ``marker`` behind when something runs it."""
    script = folder / name
    script.write_text(f"#!/bin/sh\ntouch {shlex.quote(str(marker))}\ncat\n")
    script.chmod(0o755)
    return script


def test_the_users_hooks_signing_program_and_filters_do_not_run(
    tmp_path: Path, isolated_environment: Path
) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    ran = tmp_path / "ran"
    ran.mkdir()
    for hook in ("pre-commit", "commit-msg", "post-commit", "post-checkout"):
        marker_script(hooks, hook, ran / hook)
    templates = tmp_path / "init-template"
    (templates / "hooks").mkdir(parents=True)
    marker_script(templates / "hooks", "post-commit", ran / "template-hook")
    (templates / "info").mkdir()
    (templates / "info" / "attributes").write_text("* filter=spy\n")
    attributes = tmp_path / "attributes"
    attributes.write_text("* filter=spy\n")
    gpg = marker_script(tmp_path, "gpg", ran / "gpg")
    clean = marker_script(tmp_path, "clean", ran / "filter")
    config = isolated_environment / ".gitconfig"
    for key, value in [
        ("core.hooksPath", hooks),
        ("init.templateDir", templates),
        ("core.attributesFile", attributes),
        ("filter.spy.clean", clean),
        ("commit.gpgSign", "true"),
        ("gpg.program", gpg),
    ]:
        subprocess.run(["git", "config", "--file", config, key, str(value)], check=True)

    target = tmp_path / "svc"
    result = new("go", str(target))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in ran.iterdir()) == []
    assert git(target, "log", "--format=%s") == "Initial commit (scaffold new go)\n"
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ""


# --- next steps ---------------------------------------------------------------------------


def steps(*args: str) -> list[str]:
    result = new(*args, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["next_steps"])


def test_a_relative_dir_is_reached_by_a_relative_cd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert steps("rust", "services/orders")[0] == "cd services/orders"


def test_an_absolute_dir_below_the_working_folder_is_reached_by_a_relative_cd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert steps("rust", str(tmp_path / "services" / "orders"))[0] == "cd services/orders"


def test_an_absolute_dir_elsewhere_is_reached_by_an_absolute_cd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    target = tmp_path / "orders"
    assert steps("rust", str(target))[0] == f"cd {target}"
    # A relative DIR that climbs out is named absolutely too: the shell reads ".." from
    # its own (logical) folder, which a symbolic link can make another one.
    assert steps("rust", "../orders")[0] == f"cd {target}"


def test_the_cd_is_quoted_for_the_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    step = steps("rust", "my orders", "-d", "project_name=orders")[0]
    assert step == "cd 'my orders'"
    assert shlex.split(step) == ["cd", "my orders"]
    assert cd_path(tmp_path / "-x", tmp_path) == "./-x"
    assert cd_path(tmp_path / "a$b", tmp_path) == "'a$b'"


def test_a_project_made_in_the_working_folder_needs_no_cd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert steps("go", ".", "-d", "project_name=svc") == ["make test", "make lint", "make run"]


def test_the_library_call_gives_the_same_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = new_project("go", Path("svc"), dry_run=True, git=True)
    assert result.next_steps == ("cd svc", "make test", "make lint", "make run")
    assert result.git.status == "committed"
    assert result.exit_code == 0


def test_the_library_makes_a_repository_only_when_asked(tmp_path: Path) -> None:
    plain = new_project("go", tmp_path / "plain")
    assert plain.git.status == "skipped"
    assert not (tmp_path / "plain" / ".git").exists()
    new_project("go", tmp_path / "svc", git=True)
    assert git(tmp_path / "svc", "log", "--format=%s") == "Initial commit (scaffold new go)\n"


def test_a_program_found_on_path_gets_no_install_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = only_on_path(tmp_path, monkeypatch, "git")
    uv = folder / "uv"
    uv.write_text("#!/bin/sh\n")
    uv.chmod(0o755)
    result = new("django", str(tmp_path / "svc"))
    assert result.exit_code == 0, result.output
    assert "Not on PATH" not in result.stdout
    payload = json.loads(new("django", str(tmp_path / "other"), "--json").stdout)
    assert payload["tools"] == [
        {
            "name": "uv",
            "found": True,
            "install": "https://docs.astral.sh/uv/getting-started/installation/",
        }
    ]


@pytest.mark.parametrize("stack", list_stacks(), ids=lambda stack: stack.id)
def test_every_program_the_next_steps_run_has_an_install_hint(stack: Any) -> None:
    spec = load_template(stack.template)
    tools = spec.metadata["tools"]
    answers = {name: q.default for name, q in spec.questions.items()} | {"target": "x"}
    programs = {step.split()[0] for step in spec.next_steps(answers)} - {"cd"}
    # A script of the project (./mvnw) runs on a program the metadata names instead.
    scripts = {program for program in programs if program.startswith("./")}
    assert programs - scripts <= set(tools), stack.id
    assert all(isinstance(hint, str) and "\n" not in hint for hint in tools.values())
    if scripts:
        assert scripts == {"./mvnw"} and "java" in tools


# --- the MCP server's new tool --------------------------------------------------------------


def test_the_mcp_tool_makes_the_repository_unless_told_not_to(tmp_path: Path) -> None:
    from tests.test_mcp_server import new_with_and_without

    with_git, without_git = new_with_and_without("go", tmp_path, "git")
    assert with_git["git"]["status"] == "committed"
    assert git(tmp_path / "made", "log", "--format=%s") == "Initial commit (scaffold new go)\n"
    assert without_git["git"]["status"] == "skipped"
    assert not (tmp_path / "skipped" / ".git").exists()


def test_the_command_runs_as_a_fresh_process_too(tmp_path: Path) -> None:
    # What a user runs: a new process, its working folder the parent of DIR.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.run(
        [sys.executable, "-m", "scaffold", "new", "go", "svc", "--defaults"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "\n  cd svc\n  make test\n" in proc.stdout
    assert git(tmp_path / "svc", "log", "--format=%s") == "Initial commit (scaffold new go)\n"
