"""`scaffold adopt` on real repositories built in tmp_path: plans, merges, safety."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.commands.adopt import apply_adoption, plan_adoption
from scaffold.errors import ExitCode, TargetError, UsageError
from scaffold.plan import apply as apply_module
from tests.helpers import (
    adopt,
    adopt_plan,
    assert_nothing_left_to_adopt,
    commit_all,
    committed_repo,
    created,
    planned_adoption,
    planned_files,
    tree_digest,
    write_files,
)

PYPROJECT = """\
# Our service: this comment stays.
[project]
name = "Flat_Service"
version = "1.0.0"
requires-python = ">=3.10"
dependencies = ["fastapi>=0.110"]

[tool.pytest.ini_options]
testpaths = ["tests"]  # and this one
"""
MAIN = """\
from fastapi import FastAPI

app = FastAPI()


@app.get('/health')
def health():
  return {'status': 'ok'}
"""


@pytest.fixture
def fastapi_repo(tmp_path: Path) -> Path:
    """A FastAPI app with a flat layout and 2-space indentation, committed."""
    return committed_repo(
        tmp_path / "flat",
        {
            "pyproject.toml": PYPROJECT,
            "main.py": MAIN,
            "tests/test_main.py": "def test_truth():\n  assert True\n",
        },
    )


def test_the_plan_adds_configs_tuned_to_the_code(fastapi_repo: Path) -> None:
    # A file touched since git last looked: a plain `git status` would rewrite the index.
    main = fastapi_repo / "main.py"
    os.utime(main, (main.stat().st_atime, main.stat().st_mtime + 10))
    payload = planned_adoption(fastapi_repo, "python-fastapi")
    flat = "the code is not in the app/ package; its own layout is kept"
    assert payload["files"] == [
        *created(".copier-answers.yml", ".editorconfig", "AGENTS.md"),
        {"path": "app/api/__init__.py", "action": "skip", "reason": flat},
        {"path": "app/models/__init__.py", "action": "skip", "reason": flat},
        {"path": "app/services/__init__.py", "action": "skip", "reason": flat},
        {"path": "pyproject.toml", "action": "merge", "reason": "adds tool.ruff"},
    ]


def test_apply_merges_without_losing_anything(fastapi_repo: Path) -> None:
    code, output = adopt(str(fastapi_repo), "--yes")
    assert code == 0, output
    assert output.splitlines()[-1] == "Wrote 4 files."
    pyproject = (fastapi_repo / "pyproject.toml").read_text()
    assert pyproject.startswith(PYPROJECT)  # every key, value and comment, in place
    added = pyproject[len(PYPROJECT) :]
    assert 'line-length = 88\nindent-width = 2\ntarget-version = "py310"' in added
    assert 'quote-style = "single"' in added
    assert (fastapi_repo / "main.py").read_text() == MAIN
    assert "indent_size = 2" in (fastapi_repo / ".editorconfig").read_text()
    answers = (fastapi_repo / ".copier-answers.yml").read_text()
    assert "adopted: true" in answers and "project_name: flat-service" in answers
    agents = (fastapi_repo / "AGENTS.md").read_text()
    assert "A python / fastapi project" in agents
    # Neither pytest nor ruff is among its dependencies: their checks are advice, not commands.
    assert "```sh\n# nothing is set up to run here yet\n```\n\nNot set up yet:\n\n" in agents
    assert "- add pytest to the development dependencies; then `pytest` runs the tests\n" in agents
    # The configuration loads in the real tool, and the code already satisfies it.
    subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=fastapi_repo, check=True)
    subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."], cwd=fastapi_repo, check=True
    )

    assert_nothing_left_to_adopt(fastapi_repo)


def test_without_a_terminal_or_yes_the_plan_is_shown_and_nothing_written(
    fastapi_repo: Path,
) -> None:
    before = tree_digest(fastapi_repo)
    code, output = adopt(str(fastapi_repo))
    assert code == ExitCode.CHANGES_PENDING
    assert "pyproject.toml  merge: adds tool.ruff" in output
    assert tree_digest(fastapi_repo) == before


@pytest.mark.parametrize(
    "flags",
    [
        ["--dry-run", "--yes"],
        ["--yes", "--dry-run", "--json"],
        ["-n", "-y", "--diff"],
        ["--check", "--yes"],
        ["--yes", "--check", "--json"],
    ],
)
def test_dry_run_and_check_write_nothing_even_with_yes(
    fastapi_repo: Path, flags: list[str]
) -> None:
    before = tree_digest(fastapi_repo)
    without_yes = [flag for flag in flags if flag not in ("--yes", "-y")]
    code, output = adopt(str(fastapi_repo), *flags)
    assert (code, output) == adopt(str(fastapi_repo), *without_yes)
    assert code == ExitCode.CHANGES_PENDING
    assert "pyproject.toml" in output and "Wrote" not in output
    assert tree_digest(fastapi_repo) == before


def test_a_dirty_tree_is_refused_unless_allowed(fastapi_repo: Path) -> None:
    (fastapi_repo / "main.py").write_text(MAIN + "# wip\n")
    code, output = adopt(str(fastapi_repo), "--yes")
    assert code == ExitCode.ERROR
    assert output == (
        f"scaffold: error: {fastapi_repo} has uncommitted changes (1 paths); commit or stash "
        "them, or pass --allow-dirty: a clean tree lets you review and revert what adopt writes\n"
    )
    assert adopt(str(fastapi_repo), "--yes", "--allow-dirty")[0] == 0


def test_configs_elsewhere_are_not_duplicated(fastapi_repo: Path) -> None:
    write_files(fastapi_repo, {"ruff.toml": "line-length = 79\n", ".editorconfig": "root = true\n"})
    commit_all(fastapi_repo)
    payload = json.loads(adopt(str(fastapi_repo), "--dry-run", "--json")[1])
    actions = {f["path"]: (f["action"], f.get("reason")) for f in payload["files"]}
    assert actions["pyproject.toml"] == ("skip", "tool.ruff is configured in ruff.toml")
    assert actions[".editorconfig"] == ("skip", "exists; yours is kept")


def test_an_interrupted_apply_leaves_the_tree_as_it_was(
    fastapi_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(fastapi_repo)
    result = plan_adoption(fastapi_repo)
    real_place = apply_module._place_new
    calls: list[Path] = []

    def interrupted(staged: Path, destination: Path) -> None:
        calls.append(destination)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_place(staged, destination)

    monkeypatch.setattr(apply_module, "_place_new", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply_adoption(result)
    assert tree_digest(fastapi_repo) == before


def test_a_broken_manifest_is_reported_not_adopted(fastapi_repo: Path) -> None:
    (fastapi_repo / "pyproject.toml").write_text(PYPROJECT + "[tool.ruff\n")
    commit_all(fastapi_repo)
    code, output = adopt(str(fastapi_repo), "--dry-run", "--json")
    assert code == 0
    payload = json.loads(output)
    # Detection cannot read the manifest, so it finds no project to adopt, and says why.
    assert (payload["projects"], payload["files"]) == ([], [])
    assert payload["warnings"][0]["file"] == "pyproject.toml"
    assert payload["warnings"][0]["message"].startswith("invalid TOML at line 10")


def test_a_symlinked_config_is_not_written_through(fastapi_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.editorconfig"
    outside.write_text("root = true\n")
    (fastapi_repo / ".editorconfig").symlink_to(outside)
    commit_all(fastapi_repo)
    assert adopt(str(fastapi_repo), "--yes")[0] == 0
    assert outside.read_text() == "root = true\n"


def test_a_monorepo_gets_one_plan(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "mono",
        {
            "services/api/pyproject.toml": PYPROJECT,
            "services/api/main.py": MAIN,
            "services/billing/go.mod": "module example.com/billing\n\ngo 1.22\n",
            "services/billing/main.go": "package main\n\nfunc main() {}\n",
            "web/package.json": '{"name": "web", "dependencies": {"express": "^4.19.0"}}\n',
            "web/index.js": "require('express')\n",
        },
    )
    payload = json.loads(adopt(str(repo), "--dry-run", "--json")[1])
    projects = {p["path"]: (p["stack"], p["status"]) for p in payload["projects"]}
    assert projects["services/api"] == ("python-fastapi", "planned")
    assert projects["services/billing"] == ("go", "planned")
    assert projects["web"] == ("node-express", "planned")
    paths = {f["path"] for f in payload["files"]}
    assert {
        "services/api/pyproject.toml",
        "services/billing/.golangci.yml",
        "web/eslint.config.js",
    } <= paths


def test_project_and_stack_select_what_is_adopted(fastapi_repo: Path) -> None:
    result = plan_adoption(fastapi_repo, project=".", stack="python-fastapi")
    assert [p.path for p in result.projects] == ["."]
    with pytest.raises(UsageError, match=r"no project at nowhere \(projects found: \.\)"):
        plan_adoption(fastapi_repo, project="nowhere")


def test_missing_folders_are_added_only_without_an_equivalent(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "layered",
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/main.py": MAIN,
            "app/routers/__init__.py": "",
            "app/models.py": "",  # a module plays the part of the package
        },
    )
    folders = planned_files(adopt_plan(repo), "app/")
    assert folders == {
        "app/api/__init__.py": ("skip", "app/routers/ already plays this part"),
        "app/models/__init__.py": ("skip", "app/models.py already plays this part"),
        "app/services/__init__.py": ("create", "the conventions' app/services/"),
    }
    assert adopt(str(repo), "--yes")[0] == 0
    assert (repo / "app" / "services" / "__init__.py").read_bytes() == b""
    assert not (repo / "app" / "api").exists()


GOLANGCI_V1 = (
    "# Keep it strict.\nrun:\n  timeout: 5m\nlinters:\n  enable:\n    - gofmt\n    - errcheck\n"
    "linters-settings:\n  gofmt:\n    simplify: true\n"
)
GO_MODULE = {
    "go.mod": "module example.com/greeter\n\ngo 1.22\n",
    "main.go": "package main\n\nfunc main() {}\n",
}


def golangci_plan(repo: Path, *args: str) -> dict[str, str]:
    code, output = adopt(str(repo), "--dry-run", "--json", *args)
    assert code == ExitCode.CHANGES_PENDING, output
    payload = json.loads(output)
    return next(f for f in payload["files"] if f["path"] == ".golangci.yml")


def test_a_golangci_lint_v1_config_is_kept_and_reported(tmp_path: Path) -> None:
    repo = tmp_path / "greeter"
    write_files(repo, GO_MODULE | {".golangci.yml": GOLANGCI_V1})
    assert golangci_plan(repo) == {
        "path": ".golangci.yml",
        "action": "skip",
        "reason": "legacy format kept; convert it to the golangci-lint v2 format, "
        "as adopt --migrate does with golangci-lint",
    }
    # Under another accepted name, and in v2: the user's own config.
    (repo / ".golangci.yml").unlink()
    (repo / ".golangci.yaml").write_text(GOLANGCI_V1)
    assert golangci_plan(repo)["reason"] == (
        "legacy config .golangci.yaml kept; migrate it to .golangci.yml (the golangci-lint v2 "
        "format), as adopt --migrate does with golangci-lint"
    )
    (repo / ".golangci.yaml").write_text('version: "2"\n')
    assert golangci_plan(repo)["reason"] == "configured in .golangci.yaml"
    (repo / ".golangci.yaml").write_text("version: [unclosed\n")  # not ours to judge
    assert golangci_plan(repo)["reason"] == "configured in .golangci.yaml"


def test_migrating_without_the_tool_keeps_the_config_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "greeter"
    write_files(repo, GO_MODULE | {".golangci.yml": GOLANGCI_V1})
    bin_dir = tmp_path / "bin"  # git, and no golangci-lint
    bin_dir.mkdir()
    git_path = shutil.which("git")
    assert git_path is not None
    (bin_dir / "git").symlink_to(git_path)
    monkeypatch.setenv("PATH", str(bin_dir))
    before = tree_digest(repo)
    assert golangci_plan(repo, "--migrate") == {
        "path": ".golangci.yml",
        "action": "skip",
        "reason": "legacy config .golangci.yml kept; golangci-lint could not migrate it: "
        "golangci-lint is not installed",
    }
    assert tree_digest(repo) == before


def test_something_in_the_way_is_a_conflict_left_to_the_user(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "greeter",
        {
            "go.mod": "module example.com/greeter\n\ngo 1.22\n",
            "cmd/greeter/main.go": "package main\n\nfunc main() {}\n",
            "internal": "notes, not a package\n",  # where internal/ would go
            ".editorconfig/README": "a folder where the config would go\n",
        },
    )
    code, output = adopt(str(repo), "--dry-run", "--json")
    assert code == ExitCode.CHANGES_PENDING, output
    conflicts = {
        f["path"]: f["reason"] for f in json.loads(output)["files"] if f["action"] == "conflict"
    }
    assert conflicts == {
        ".editorconfig": "a folder is in the way",
        "internal/.gitkeep": "internal is in the way, not a folder",
    }

    before = tree_digest(repo)
    code, output = adopt(str(repo), "--yes")
    assert code == ExitCode.CONFLICTS, output
    assert output.splitlines()[-2:] == [
        "Wrote 3 files.",
        "2 left to you: something of yours is in the way (see conflict above).",
    ]
    after = tree_digest(repo)
    assert {path: after[path] for path in before} == before
    assert set(after) - set(before) == {".copier-answers.yml", ".golangci.yml", "AGENTS.md"}

    commit_all(repo)
    assert adopt(str(repo), "--check")[0] == ExitCode.CONFLICTS  # nothing to write, still off
    (repo / "internal").unlink()
    commit_all(repo)
    assert adopt(str(repo), "--check")[0] == ExitCode.CHANGES_PENDING  # internal/ can be added


def test_go_code_in_pkg_gets_no_internal_folder(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "greeter",
        {
            "go.mod": "module example.com/greeter\n\ngo 1.22\n",
            "main.go": "package main\n\nfunc main() {}\n",
            "pkg/greet/greet.go": "package greet\n",
        },
    )
    payload = json.loads(adopt(str(repo), "--dry-run", "--json")[1])
    folders = {
        f["path"]: f.get("reason") for f in payload["files"] if f["path"].endswith(".gitkeep")
    }
    assert folders == {
        "cmd/.gitkeep": "the code sits at the top of the project; cmd/ is not added",
        "internal/.gitkeep": "pkg/ already plays this part",
    }


def test_diffs_shown_with_yes_are_those_of_the_plan(fastapi_repo: Path) -> None:
    dry = adopt(str(fastapi_repo), "--dry-run", "--diff")[1]
    code, output = adopt(str(fastapi_repo), "--yes", "--diff")
    assert code == 0, output
    merge = dry[dry.index("--- a/pyproject.toml") :]
    merge = merge[: merge.index("\n\n")] if "\n\n" in merge else merge
    assert "+[tool.ruff]" in merge
    assert merge in output  # the diff against the file as it was, not as it is now
    assert output.splitlines()[-1] == "Wrote 4 files."


def test_git_failing_in_the_repository_is_a_one_line_error(fastapi_repo: Path) -> None:
    (fastapi_repo / ".git" / "index").write_bytes(b"not an index")
    code, output = adopt(str(fastapi_repo))
    assert code == ExitCode.ERROR, output
    assert output.startswith("scaffold: error: git status failed in "), output
    assert len(output.splitlines()) == 1 and "unexpected" not in output


@pytest.mark.parametrize(
    ("stack", "files"),
    [
        ("python-fastapi", {"pyproject.toml": 'project = "x"\n', "main.py": "x = 1\n"}),
        ("python-fastapi", {"pyproject.toml": "[project]\nname = 3\n", "main.py": "x = 1\n"}),
        (
            "rust",
            {
                "Cargo.toml": "[package]\nname = 3\nedition = 2021\n[workspace]\npackage = 1\n",
                "src/main.rs": "fn main() {}\n",
            },
        ),
    ],
)
def test_manifests_of_odd_shapes_are_adopted_with_the_folder_name(
    tmp_path: Path, stack: str, files: dict[str, str]
) -> None:
    repo = tmp_path / "odd-one"
    write_files(repo, files)
    result = plan_adoption(repo, project=".", stack=stack)
    (project,) = result.projects
    assert project.status == "planned", project
    assert project.answers["project_name"] == "odd-one"


@pytest.mark.parametrize(
    ("cargo", "action", "reason"),
    [
        ('[workspace]\nmembers = ["a"]\n', "skip", "has no [package] table; not adding lints"),
        (
            '[package]\nname = "x"\nedition = "2021"\n\n[lints.rust]\nunsafe_code = "deny"\n',
            "skip",
            "already has [lints]",
        ),
        ('[package]\nname = "x"\nedition = "2021"\n', "merge", "adds lints"),
    ],
)
def test_lints_join_a_crate_manifest_only(
    tmp_path: Path, cargo: str, action: str, reason: str
) -> None:
    repo = tmp_path / "crate"
    write_files(repo, {"Cargo.toml": cargo, "src/main.rs": "fn main() {}\n"})
    result = plan_adoption(repo, project=".", stack="rust")
    [planned] = [a for a in result.plan.actions if a.path.as_posix() == "Cargo.toml"]
    assert planned.action.value == action
    assert planned.reason.startswith(reason), planned.reason


def test_without_git_a_repository_is_not_adopted_unchecked(
    fastapi_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(TargetError, match="git is not installed, or not on PATH"):
        plan_adoption(fastapi_repo)


@pytest.mark.parametrize(
    ("config", "answers"),
    [
        (
            '[tool.ruff]\ntarget-version = "py310"\n\n[tool.ruff.lint]\nselect = ["E"]\n',
            {"line_length": 88, "indent_width": 4, "quote_style": "double"},
        ),
        (
            "[tool.ruff]\nline-length = 100\nindent-width = 2\n\n"
            '[tool.ruff.format]\nquote-style = "single"\n',
            {"line_length": 100, "indent_width": 2, "quote_style": "single"},
        ),
        ("[tool.black]\nline-length = 79\n", {"line_length": 79, "quote_style": "double"}),
        # A setting of the wrong type is no setting: the code's own width stands.
        (
            "[tool.ruff]\nline-length = []\n",
            {"line_length": 160, "indent_width": 4, "quote_style": "double"},
        ),
    ],
)
def test_a_formatter_in_force_keeps_its_settings(
    fastapi_repo: Path, config: str, answers: dict[str, object]
) -> None:
    # Code with long lines and single quotes: the formatter's settings win over it.
    write_files(
        fastapi_repo,
        {"pyproject.toml": PYPROJECT + "\n" + config, "long.py": "x = 1" + " " * 150 + "\n"},
    )
    commit_all(fastapi_repo)
    result = plan_adoption(fastapi_repo)
    (project,) = result.projects
    assert {k: project.answers[k] for k in answers} == answers
    actions = {a.path.as_posix(): a for a in result.plan.actions}
    if "[tool.ruff]" in config:
        pyproject = actions["pyproject.toml"]
        assert (pyproject.action.value, pyproject.reason) == (
            "skip",
            "has its own [tool.ruff]; yours is kept",
        )


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        (
            {".flake8": "[flake8]\nmax-line-length = 100\n"},
            "the project uses Flake8 (.flake8); [tool.ruff] not added beside it",
        ),
        (
            {"setup.cfg": "[isort]\nprofile = black\n"},
            "the project uses isort (setup.cfg[isort]); [tool.ruff] not added beside it",
        ),
        (
            {"pyproject.toml": PYPROJECT + "\n[tool.black]\nline-length = 79\n"},
            "the project uses Black (pyproject.toml[tool.black]); [tool.ruff] not added beside it",
        ),
    ],
)
def test_ruff_is_not_added_beside_the_tools_that_do_its_job(
    fastapi_repo: Path, files: dict[str, str], reason: str
) -> None:
    write_files(fastapi_repo, files)
    commit_all(fastapi_repo)
    before = (fastapi_repo / "pyproject.toml").read_bytes()
    result = apply_adoption(plan_adoption(fastapi_repo))
    actions = {a.path.as_posix(): (a.action.value, a.reason) for a in result.plan.actions}
    assert actions["pyproject.toml"] == ("skip", reason)
    assert (fastapi_repo / "pyproject.toml").read_bytes() == before


def test_members_of_a_workspace_that_shares_lints_get_none_of_their_own(tmp_path: Path) -> None:
    repo = tmp_path / "ws"
    crate = '[package]\nname = "{}"\nedition = "2021"\n'
    write_files(
        repo,
        {
            "Cargo.toml": '[workspace]\nmembers = ["a", "b"]\n\n[workspace.lints.rust]\n'
            'unsafe_code = "forbid"\n',
            "a/Cargo.toml": crate.format("a"),
            "a/src/main.rs": "fn main() {}\n",
            "b/Cargo.toml": crate.format("b") + "\n[lints]\nworkspace = true\n",
            "b/src/lib.rs": "pub fn f() {}\n",
        },
    )
    actions = {
        a.path.as_posix(): (a.action.value, a.reason) for a in plan_adoption(repo).plan.actions
    }
    assert actions["a/Cargo.toml"] == (
        "skip",
        "Cargo.toml has [workspace.lints] for its members ([lints] workspace = true); "
        "[lints] not added",
    )
    assert actions["b/Cargo.toml"] == ("skip", "already has [lints]")
    assert actions["Cargo.toml"] == ("skip", "has no [package] table; not adding lints")


def test_the_database_and_auth_answers_follow_the_dependencies(fastapi_repo: Path) -> None:
    pyproject = PYPROJECT.replace(
        '"fastapi>=0.110"', '"fastapi>=0.110", "psycopg[binary]>=3.2", "PyJWT>=2.8"'
    )
    write_files(fastapi_repo, {"pyproject.toml": pyproject})
    commit_all(fastapi_repo)
    (project,) = plan_adoption(fastapi_repo).projects
    assert (project.answers["database"], project.answers["auth"]) == ("postgresql", "jwt")


def test_a_virtual_workspace_takes_the_edition_of_its_own_members(tmp_path: Path) -> None:
    repo = tmp_path / "ws"
    write_files(
        repo,
        {
            "Cargo.toml": '[workspace]\nmembers = ["core"]\n',
            "core/Cargo.toml": '[package]\nname = "core"\nedition = "2021"\n',
            "core/src/lib.rs": "pub fn f() {}\n",
            # A crate below that is no member (an example of its own) says nothing.
            "examples/old/Cargo.toml": '[package]\nname = "old"\nedition = "2018"\n',
            "examples/old/src/main.rs": "fn main() {}\n",
        },
    )
    # (adopted on purpose: examples are left alone by default)
    answers = {p.path: p.answers for p in plan_adoption(repo, include_examples=True).projects}
    assert answers["."]["edition"] == "2021"
    assert answers["examples/old"]["edition"] == "2018"
