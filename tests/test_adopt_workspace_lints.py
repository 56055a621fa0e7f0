"""A Cargo workspace's lints are shared the way Cargo intends: `[workspace.lints]` in the
workspace's manifest and `[lints] workspace = true` in each adopted member, instead of a copy
of the same `[lints]` in every crate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import adopt, adopt_plan, assert_nothing_left_to_adopt, committed_repo

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
    files = {
        "Cargo.toml": WORKSPACE,
        **crate("crates/a", "a", extra=own),
        **crate("crates/b", "b"),
    }
    repo = committed_repo(tmp_path / "ws", files)
    assert cargo_actions(adopt_plan(repo)) == {
        "Cargo.toml": ("merge", "adds workspace.lints"),
        "crates/a/Cargo.toml": ("skip", "already has [lints]"),
        "crates/b/Cargo.toml": ("merge", "adds lints"),
    }


def test_members_that_would_get_different_lints_each_keep_their_own(tmp_path: Path) -> None:
    # One module layout per crate: the lint that enforces it differs, so nothing is shared.
    files = {
        "Cargo.toml": WORKSPACE,
        **crate("crates/a", "a"),
        **crate("crates/b", "b", mod_rs=True),
    }
    repo = committed_repo(tmp_path / "ws", files)
    assert cargo_actions(adopt_plan(repo)) == {
        "Cargo.toml": ("skip", "has no [package] table; not adding lints"),
        "crates/a/Cargo.toml": ("merge", "adds lints"),
        "crates/b/Cargo.toml": ("merge", "adds lints"),
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert "[lints.clippy]\nmod_module_files" in (repo / "crates/a/Cargo.toml").read_text()
    assert "[lints.clippy]\nself_named_module_files" in (repo / "crates/b/Cargo.toml").read_text()
    assert_nothing_left_to_adopt(repo)
