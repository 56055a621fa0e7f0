"""What `scaffold adopt` takes on by default: the repository's own projects, never its
examples, fixtures, tests, benchmarks or docs, nor a project its workspace excludes; and
the change summary a reviewer of a monorepo reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaffold.commands.adopt import plan_adoption
from scaffold.plan.scope import sample_folder
from tests.helpers import (
    adopt,
    adopt_plan,
    assert_nothing_left_to_adopt,
    committed_repo,
    git,
    go_work_repo,
    tree_digest,
)

ON_PURPOSE = "--project or --include-examples adopts it"


def crate(name: str, main: bool = False) -> dict[str, str]:
    """A crate's files, in its own folder: ``{"Cargo.toml": ..., "src/...": ...}``."""
    manifest = f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'
    source = ("src/main.rs", "fn main() {}\n") if main else ("src/lib.rs", "pub fn f() {}\n")
    return {"Cargo.toml": manifest, source[0]: source[1]}


def below(folder: str, files: dict[str, str]) -> dict[str, str]:
    return {f"{folder}/{name}": content for name, content in files.items()}


@pytest.fixture
def cargo_workspace(tmp_path: Path) -> Path:
    """A Cargo workspace of 8 member crates and 40 example crates, which its globs make
    members too, and a crate it excludes."""
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*", "examples/*"]\n'
        'exclude = ["crates/legacy"]\nresolver = "2"\n'
    }
    for index in range(8):
        files |= below(f"crates/part{index}", crate(f"part{index}"))
    for index in range(40):
        files |= below(f"examples/ex{index:02}", crate(f"ex{index:02}", main=True))
    files |= below("crates/legacy", crate("legacy"))
    return committed_repo(tmp_path / "cargo", files)


def skipped(path: str, stack: str | None, reason: str) -> dict[str, Any]:
    return {"path": path, "stack": stack, "status": "skipped", "reason": reason}


def planned(path: str, stack: str) -> dict[str, Any]:
    return {"path": path, "stack": stack, "status": "planned"}


def test_a_cargo_workspace_adopts_its_members_not_its_examples(cargo_workspace: Path) -> None:
    payload = adopt_plan(cargo_workspace)
    example = f"an example, under examples/; {ON_PURPOSE}"
    assert payload["projects"] == [
        planned(".", "rust"),
        skipped("crates/legacy", "rust", f"excluded by the workspace in Cargo.toml; {ON_PURPOSE}"),
        *(planned(f"crates/part{index}", "rust") for index in range(8)),
        *(skipped(f"examples/ex{index:02}", "rust", example) for index in range(40)),
    ]
    assert [f["path"] for f in payload["files"] if f["path"].startswith("examples/")] == []
    assert [f["path"] for f in payload["files"] if f["path"].startswith("crates/legacy/")] == []
    member = {"merge": 1, "skip": 4}  # [lints] workspace = true; answers and configs shared
    assert payload["folder_counts"] == {
        ".": {"create": 5, "merge": 1},  # [workspace.lints] for the members
        **{f"crates/part{index}": member for index in range(8)},
    }
    # One answers file for the stack: the workspace's, whose update covers its members.
    answers = {f["path"]: f for f in payload["files"] if f["path"].endswith(".copier-answers.yml")}
    assert answers.pop(".copier-answers.yml")["action"] == "create"
    assert {(f["action"], f["reason"]) for f in answers.values()} == {
        ("skip", "covered by .copier-answers.yml")
    }
    assert len(answers) == 8


def test_a_cargo_workspace_adopted_has_one_answers_file_and_its_update_covers_it(
    cargo_workspace: Path,
) -> None:
    from scaffold.commands.update import update_projects
    from scaffold.errors import TargetError

    assert adopt(str(cargo_workspace), "--yes")[0] == 0
    assert_nothing_left_to_adopt(cargo_workspace)
    written = git(cargo_workspace, "ls-files", "--", "*.copier-answers.yml").split()
    assert written == [".copier-answers.yml"]
    checked = update_projects(cargo_workspace, check=True).projects
    assert [p.project.path for p in checked] == ["."]
    with pytest.raises(TargetError, match=r"its settings come from the project at .*cargo"):
        update_projects(cargo_workspace / "crates" / "part0", check=True)


def test_the_text_plan_lists_each_skipped_project_and_ends_with_the_counts_by_folder(
    tmp_path: Path,
) -> None:
    repo = committed_repo(
        tmp_path / "ws",
        {
            "Cargo.toml": '[workspace]\nmembers = ["core", "examples/*"]\n',
            **below("core", crate("core")),
            **below("examples/hello", crate("hello", main=True)),
        },
    )
    code, output = adopt(str(repo), "--dry-run")
    assert code == 3, output
    lines = output.splitlines()
    assert lines[:4] == [
        f"Adopting {repo}: 2 of 3 projects",
        "  .  (rust)",
        "  core  (rust)",
        f"  examples/hello  (rust; skipped: an example, under examples/; {ON_PURPOSE})",
    ]
    assert lines[-4:] == [
        "5 create, 2 merge, 4 skip",
        "By folder:",
        "  .     5 create, 1 merge",
        "  core  1 merge, 4 skip",
    ]
    assert "examples/" not in "\n".join(lines[4:])


def test_project_adopts_an_example_on_purpose_and_can_be_repeated(
    cargo_workspace: Path,
) -> None:
    payload = adopt_plan(cargo_workspace, "--project", "examples/ex07", "--project", "crates/part1")
    assert payload["projects"] == [
        planned("crates/part1", "rust"),
        planned("examples/ex07", "rust"),
    ]
    folders = {f["path"].rsplit("/", 1)[0] for f in payload["files"]}
    assert folders == {"crates/part1", "examples/ex07"}
    assert list(payload["folder_counts"]) == ["crates/part1", "examples/ex07"]


def test_include_examples_adopts_every_project(cargo_workspace: Path) -> None:
    result = plan_adoption(cargo_workspace, include_examples=True)
    assert [p.status for p in result.projects] == ["planned"] * 50
    paths = {a.path.as_posix() for a in result.plan.actions}
    assert "examples/ex39/AGENTS.md" not in paths
    agents = next(a for a in result.plan.actions if a.path.as_posix() == "AGENTS.md")
    assert agents.content is not None and b"\n## examples/ex39\n" in agents.content


def node_package(name: str) -> dict[str, str]:
    return {
        "package.json": f'{{"name": "{name}", "version": "1.0.0", '
        '"dependencies": {"express": "^4"}}\n',
        "src/index.js": 'const express = require("express");\n',
    }


def test_a_pnpm_workspace_whose_globs_match_test_fixtures_adopts_its_packages(
    tmp_path: Path,
) -> None:
    files = {
        "package.json": '{"name": "mono", "private": true}\n',
        "pnpm-workspace.yaml": 'packages:\n  - "packages/**"\n  - "!packages/legacy"\n',
        "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    }
    for folder in (
        "packages/api",
        "packages/web",
        "packages/legacy",
        "packages/api/test/fixtures/basic",
        "packages/web/__tests__/app",
        "packages/web/Docs/site",
    ):
        files |= below(folder, node_package(folder.replace("/", "-").lower()))
    repo = committed_repo(tmp_path / "pnpm", files)
    payload = adopt_plan(repo)
    assert payload["projects"] == [
        {**planned(".", "node-express"), "reason": "the configs its packages share"},
        planned("packages/api", "node-express"),
        skipped(
            "packages/legacy",
            "node-express",
            f"excluded by the workspace in pnpm-workspace.yaml; {ON_PURPOSE}",
        ),
        planned("packages/web", "node-express"),
        skipped(
            "packages/web/Docs/site",
            "node-express",
            f"part of the documentation, under packages/web/Docs/; {ON_PURPOSE}",
        ),
        skipped(
            "packages/web/__tests__/app",
            "node-express",
            f"part of the tests, under packages/web/__tests__/; {ON_PURPOSE}",
        ),
        skipped(
            "packages/api/test/fixtures/basic",
            "node-express",
            f"test data, under packages/api/test/fixtures/; {ON_PURPOSE}",
        ),
    ]
    # Written: one AGENTS.md for both packages, and at the workspace's root the configs
    # both share with the one answers file of their stack. Nothing in a package.
    shared = (".editorconfig", ".prettierignore", ".prettierrc.json", "eslint.config.js")
    written = {f["path"] for f in payload["files"] if f["action"] != "skip"}
    assert written == {"AGENTS.md", ".copier-answers.yml", *shared}
    member = "a member of the workspace at the root: AGENTS.md gives the layout"
    assert {f["path"]: f["reason"] for f in payload["files"] if f["action"] == "skip"} == {
        f"packages/{package}/{name}": reason
        for package in ("api", "web")
        for name, reason in (
            *((name, f"covered by {name}") for name in (".copier-answers.yml", *shared)),
            *((f"src/{leaf}/.gitkeep", member) for leaf in ("controllers", "models", "routes")),
        )
    }
    assert payload["folder_counts"] == {
        ".": {"create": 6},
        "packages/api": {"skip": 8},
        "packages/web": {"skip": 8},
    }
    before = tree_digest(repo / "packages")
    assert adopt(str(repo), "--yes")[0] == 0
    assert tree_digest(repo / "packages") == before
    assert_nothing_left_to_adopt(repo)
    # A package named on purpose is adopted as a project of its own, folders included.
    named = adopt_plan(repo, "--project", "packages/api")
    assert {f["path"]: f["action"] for f in named["files"] if f["path"].endswith(".gitkeep")} == {
        f"packages/api/src/{leaf}/.gitkeep": "create"
        for leaf in ("controllers", "models", "routes")
    }


def test_a_go_work_repository_leaves_its_examples_alone(tmp_path: Path) -> None:
    repo = go_work_repo(tmp_path / "gowork")
    payload = adopt_plan(repo)
    assert payload["projects"] == [
        planned(".", "go"),
        skipped("examples/hello", "go", f"an example, under examples/; {ON_PURPOSE}"),
        planned("services/api", "go"),
    ]
    # The root holds the one config, answers file and AGENTS.md of the stack; it is no
    # module, so it gets no conventions folder; the module below it writes nothing.
    flat = "the code sits at the top of the project; {}/ is not added"
    assert {f["path"]: (f["action"], f.get("reason", "")) for f in payload["files"]} == {
        ".copier-answers.yml": ("create", ""),
        ".editorconfig": ("create", ""),
        ".golangci.yml": ("create", ""),
        "AGENTS.md": ("create", ""),
        "services/api/.copier-answers.yml": ("skip", "covered by .copier-answers.yml"),
        "services/api/.editorconfig": ("skip", "covered by .editorconfig"),
        "services/api/.golangci.yml": ("skip", "covered by .golangci.yml"),
        "services/api/cmd/.gitkeep": ("skip", flat.format("cmd")),
        "services/api/internal/.gitkeep": ("skip", flat.format("internal")),
        "services/api/pkg/.gitkeep": ("skip", "a public pkg/ only for a library, on request"),
    }
    assert payload["folder_counts"] == {".": {"create": 4}, "services/api": {"skip": 6}}
    assert adopt(str(repo), "--yes")[0] == 0
    config = (repo / ".golangci.yml").read_text()
    assert "local-prefixes:\n        - example.com/api\n        - example.com/hello\n" in config
    assert_nothing_left_to_adopt(repo)


@pytest.mark.parametrize(
    ("path", "folder"),
    [
        (".", None),
        ("services/api", None),
        ("examples/hello", "examples"),
        ("Example/x", "Example"),
        ("crates/core/benches/load", "crates/core/benches"),
        ("tests/fixtures/app", "tests/fixtures"),
        ("pkg/testdata/mod", "pkg/testdata"),
        ("samples/a", "samples"),
        ("demo", "demo"),
        ("playgrounds/p", "playgrounds"),
        ("doc/site", "doc"),
        ("benchmarks/b", "benchmarks"),
        ("testing/app", None),  # not one of the spellings
        ("contest/app", None),  # a segment, not a substring
    ],
)
def test_the_folders_that_hold_no_project_of_the_repository(path: str, folder: str | None) -> None:
    assert sample_folder(path) == folder


def test_once_adopted_the_examples_leave_nothing_pending(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "ws",
        {
            "Cargo.toml": '[workspace]\nmembers = ["core", "examples/*"]\n',
            **below("core", crate("core")),
            **below("examples/hello", crate("hello", main=True)),
        },
    )
    before = tree_digest(repo)
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    after = tree_digest(repo)
    written = {
        path for path, digest in after.items() if before.get(path) != digest and ".git/" not in path
    }
    assert {"AGENTS.md", "core/Cargo.toml"} <= written
    assert "core/AGENTS.md" not in written
    assert not [path for path in written if path.startswith("examples/")]
    assert_nothing_left_to_adopt(repo)


def test_stack_still_takes_exactly_one_project(cargo_workspace: Path) -> None:
    code, output = adopt(
        str(cargo_workspace), "--check", "--project", ".", "--project", "crates/part0",
        "--stack", "rust",
    )  # fmt: skip
    assert (code, output) == (
        2,
        "scaffold: error: --stack applies to one project: name it with --project\n",
    )


@pytest.mark.slow
def test_the_cargo_workspace_still_builds_and_lints_after_its_adoption(
    cargo_workspace: Path,
) -> None:
    from tests.ecosystems.rust.toolchain import CARGO, CARGO_ENV
    from tests.helpers import run

    assert CARGO, "cargo is not on PATH"
    code, output = adopt(str(cargo_workspace), "--yes")
    assert code == 0, output
    for command in (["fmt", "--check"], ["build", "--workspace"], ["clippy", "--workspace"]):
        run([CARGO, *command], cwd=cargo_workspace, env=dict(CARGO_ENV))
    # The members' lints are the workspace's: clippy reports the one it enforces in a member.
    lib = cargo_workspace / "crates/part3/src/lib.rs"
    lib.write_text("pub fn f() {\n    todo!()\n}\n")
    lint = run([CARGO, "clippy", "-p", "part3"], cwd=cargo_workspace, env=dict(CARGO_ENV))
    assert "`todo` should not be present in production code" in lint.stderr, lint.stderr
    lib.write_text("pub fn f() {}\n")
    git(cargo_workspace, "add", "-A")
    git(cargo_workspace, "commit", "-qm", "adopted")
    assert adopt(str(cargo_workspace), "--check")[0] == 0
