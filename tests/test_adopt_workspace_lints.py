"""A Cargo workspace's lints are shared the way Cargo intends: `[workspace.lints]` in the
workspace's manifest and `[lints] workspace = true` in each adopted member, instead of a copy
of the same `[lints]` in every crate; and `scaffold update` keeps them there."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from scaffold import __version__
from scaffold.cli import app
from tests.helpers import (
    adopt,
    adopt_plan,
    assert_nothing_left_to_adopt,
    commit_all,
    committed_repo,
)

WORKSPACE = '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n'
SHARED = """
[workspace.lints.rust]
# Warnings only: the code that is there keeps building; fix them as you touch it.
unsafe_code = "warn"
rust_2018_idioms = { level = "warn", priority = -1 }

[workspace.lints.clippy]
mod_module_files = "warn"
dbg_macro = "warn"
todo = "warn"
"""
OPT_IN = "\n[lints]\nworkspace = true\n"


def manifest(name: str) -> str:
    return f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'


def crate(folder: str, name: str, *, extra: str = "", mod_rs: bool = False) -> dict[str, str]:
    files = {f"{folder}/Cargo.toml": manifest(name) + extra, f"{folder}/src/lib.rs": "mod a;\n"}
    module = f"{folder}/src/a/mod.rs" if mod_rs else f"{folder}/src/a.rs"
    return files | {module: "pub fn f() {}\n"}


def cargo_actions(payload: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        f["path"]: (f["action"], f["reason"])
        for f in payload["files"]
        if f["path"].endswith("Cargo.toml")
    }


def workspace_plan(
    tmp_path: Path, *crates: dict[str, str]
) -> tuple[Path, dict[str, tuple[str, str]]]:
    """A committed workspace of ``crates``, and what its adoption plans for each Cargo.toml."""
    files = {"Cargo.toml": WORKSPACE}
    for files_of_crate in crates:
        files |= files_of_crate
    repo = committed_repo(tmp_path / "ws", files)
    return repo, cargo_actions(adopt_plan(repo))


def test_members_opt_into_lints_the_workspace_gains(tmp_path: Path) -> None:
    files = {"Cargo.toml": WORKSPACE, **crate("crates/a", "a"), **crate("crates/b", "b")}
    repo = committed_repo(tmp_path / "ws", files)
    assert cargo_actions(adopt_plan(repo)) == {
        "Cargo.toml": ("merge", "adds workspace.lints"),
        "crates/a/Cargo.toml": ("merge", "adds lints"),
        "crates/b/Cargo.toml": ("merge", "adds lints"),
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert (repo / "Cargo.toml").read_text() == WORKSPACE + SHARED
    assert (repo / "crates/a/Cargo.toml").read_text() == manifest("a") + OPT_IN
    assert (repo / "crates/b/Cargo.toml").read_text() == manifest("b") + OPT_IN
    assert_nothing_left_to_adopt(repo)


def test_a_workspace_that_is_a_crate_gets_both_in_one_merge(tmp_path: Path) -> None:
    files = {
        "Cargo.toml": manifest("app") + WORKSPACE,
        "src/lib.rs": "mod a;\n",
        "src/a.rs": "pub fn f() {}\n",
        **crate("crates/a", "a"),
    }
    repo = committed_repo(tmp_path / "ws", files)
    assert cargo_actions(adopt_plan(repo)) == {
        "Cargo.toml": ("merge", "adds workspace.lints, lints"),
        "crates/a/Cargo.toml": ("merge", "adds lints"),
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert (repo / "Cargo.toml").read_text() == manifest("app") + WORKSPACE + SHARED + OPT_IN
    assert (repo / "crates/a/Cargo.toml").read_text() == manifest("a") + OPT_IN
    assert_nothing_left_to_adopt(repo)


def test_a_crate_with_its_own_lints_keeps_them_and_the_others_share(tmp_path: Path) -> None:
    own = '\n[lints.rust]\nunsafe_code = "forbid"\n'
    _, planned = workspace_plan(tmp_path, crate("crates/a", "a", extra=own), crate("crates/b", "b"))
    assert planned == {
        "Cargo.toml": ("merge", "adds workspace.lints"),
        "crates/a/Cargo.toml": ("skip", "already has [lints]"),
        "crates/b/Cargo.toml": ("merge", "adds lints"),
    }


def test_members_that_would_get_different_lints_each_keep_their_own(tmp_path: Path) -> None:
    # One module layout per crate: the lint that enforces it differs, so nothing is shared.
    repo, planned = workspace_plan(
        tmp_path, crate("crates/a", "a"), crate("crates/b", "b", mod_rs=True)
    )
    assert planned == {
        "Cargo.toml": ("skip", "has no [package] table; not adding lints"),
        "crates/a/Cargo.toml": ("merge", "adds lints"),
        "crates/b/Cargo.toml": ("merge", "adds lints"),
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert "[lints.clippy]\nmod_module_files" in (repo / "crates/a/Cargo.toml").read_text()
    assert "[lints.clippy]\nself_named_module_files" in (repo / "crates/b/Cargo.toml").read_text()
    assert_nothing_left_to_adopt(repo)


def newer_rust_template(tmp_path: Path) -> str:
    """A newer version of the rust template in the per-user history, whose adopted crates'
    lints gain `unimplemented`; its version tag."""
    from scaffold import __version__
    from scaffold.history import install_folder_history
    from scaffold.templates import get_stack

    folder = tmp_path / "newer" / "rust"
    shutil.copytree(get_stack("rust").template, folder)
    cargo = folder / "template" / "Cargo.toml.jinja"
    text = cargo.read_text()
    at = text.rindex('todo = "warn"')
    cargo.write_text(text[:at] + 'todo = "warn"\nunimplemented = "warn"' + text[at + 13 :])
    return install_folder_history(None, folder, "rust", __version__)[1]


def test_an_update_of_the_lints_reaches_the_workspace_and_leaves_the_crates(
    tmp_path: Path,
) -> None:
    files = {"Cargo.toml": WORKSPACE, **crate("crates/a", "a"), **crate("crates/b", "b")}
    repo = committed_repo(tmp_path / "ws", files)
    assert adopt(str(repo), "--yes")[0] == 0
    commit_all(repo, "adopted")
    newer = newer_rust_template(tmp_path)
    result = CliRunner().invoke(app, ["update", str(repo), "--no-lock"])
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[0]
        == f".: updated from v{__version__} to {newer}, 2 files changed"
    )
    assert (repo / "Cargo.toml").read_text() == WORKSPACE + SHARED + 'unimplemented = "warn"\n'
    for name in ("a", "b"):
        assert (repo / f"crates/{name}/Cargo.toml").read_text() == manifest(name) + OPT_IN


def test_a_conflict_in_one_project_leaves_the_next_one_updated(tmp_path: Path) -> None:
    # Two crates, neither in a workspace: the root's own edit of a lint the template changes
    # conflicts; the crate below it is updated all the same.
    files = crate(".", "app") | crate("tools/gen", "gen")
    repo = committed_repo(tmp_path / "app", files)
    assert adopt(str(repo), "--yes")[0] == 0
    edited = (repo / "Cargo.toml").read_text().replace('todo = "warn"', 'todo = "deny"')
    (repo / "Cargo.toml").write_text(edited)
    commit_all(repo, "adopted, and todo!() denied")
    newer_rust_template(tmp_path)
    result = CliRunner().invoke(app, ["update", str(repo), "--no-lock"])
    assert result.exit_code == 4, result.output
    assert result.output.endswith("Conflicts left for you to resolve, then commit:\n  Cargo.toml\n")
    assert "<<<<<<< before updating" in (repo / "Cargo.toml").read_text()
    assert 'todo = "warn"\nunimplemented = "warn"\n' in (repo / "tools/gen/Cargo.toml").read_text()
