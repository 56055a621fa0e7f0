"""How adopt plans a file it creates whole or leaves alone (``AdoptPlanner.whole_file``):
every way the file can be there already, configured under another name or in a manifest
key, or covered from a folder above, with the exact path, action and reason planned."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import pytest

from scaffold.adopters import WholeFile
from scaffold.adopters.base import EDITORCONFIG, Migration, Rule
from scaffold.ecosystems.go.adopt import RECIPE as GO
from scaffold.ecosystems.node.adopt import RECIPE as NODE
from scaffold.ecosystems.rust.adopt import RECIPE as RUST
from scaffold.model import Action, FileAction
from scaffold.plan.adopt import AdoptPlanner
from tests.helpers import write_files

WANTED = b"root = true\n"
ESLINT = "eslint.config.js"
PRETTIER = ".prettierrc.json"
# The reasons of ESLint's legacy configs, kept unless adopt --migrate is asked for.
ESLINT_NOTE = "(ESLint 9 flat config), as adopt --migrate does with @eslint/migrate-config@3"
GOLANGCI_V1 = "linters:\n  enable:\n    - errcheck\n"
GOLANGCI_V2 = 'version: "2"\nlinters:\n  enable:\n    - errcheck\n'
# A migration that rewrites the file it is given, run by this Python.
REWRITE = Migration(
    (sys.executable, "-c", "import sys; open(sys.argv[1], 'w').write('new\\n')", "{file}")
)


def rule_of(rules: Mapping[str, Rule], name: str) -> WholeFile:
    rule = rules[name]
    assert isinstance(rule, WholeFile)
    return rule


def planned_actions(
    root: Path,
    folder: str,
    name: str,
    rule: WholeFile,
    *,
    migrate: bool = False,
    content: bytes = WANTED,
    mode: int = 0o644,
) -> list[FileAction]:
    planner = AdoptPlanner(root, migrate=migrate)
    planner.whole_file(root / folder, name, content, mode, rule)
    return list(planner.actions.values())


def plan(
    root: Path, folder: str, name: str, rule: WholeFile, *, migrate: bool = False
) -> list[tuple[str, str, str]]:
    actions = planned_actions(root, folder, name, rule, migrate=migrate)
    return [(a.path.as_posix(), a.action.value, a.reason) for a in actions]


# --- the file itself is there -------------------------------------------------------------


def test_a_symbolic_link_in_place_of_the_file_is_not_followed(tmp_path: Path) -> None:
    write_files(tmp_path, {"shared.editorconfig": "root = true\n"})
    (tmp_path / ".editorconfig").symlink_to("shared.editorconfig")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / ".editorconfig").symlink_to("missing")  # dangling
    for folder, path in ((".", ".editorconfig"), ("svc", "svc/.editorconfig")):
        assert plan(tmp_path, folder, ".editorconfig", EDITORCONFIG) == [
            (path, "skip", "a symbolic link; not followed")
        ]


def test_a_folder_in_place_of_the_file_is_a_conflict(tmp_path: Path) -> None:
    (tmp_path / ".editorconfig").mkdir()
    assert plan(tmp_path, ".", ".editorconfig", EDITORCONFIG) == [
        (".editorconfig", "conflict", "a folder is in the way")
    ]


def test_a_special_file_in_place_of_the_file_is_a_conflict(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".editorconfig")
    assert plan(tmp_path, ".", ".editorconfig", EDITORCONFIG) == [
        (".editorconfig", "conflict", "a special file is in the way")
    ]


def test_a_file_already_there_is_identical_the_same_text_or_kept(tmp_path: Path) -> None:
    config = tmp_path / ".editorconfig"
    for existing, action, reason in (
        (WANTED, "identical", ""),
        (
            b"\xef\xbb\xbfroot = true",
            "identical",
            "the same text, with a UTF-8 BOM, no final newline",
        ),
        (b"root = false\n", "skip", "exists; yours is kept"),
        (b"\xff\xfe binary", "skip", "exists; yours is kept"),
    ):
        config.write_bytes(existing)
        assert plan(tmp_path, ".", ".editorconfig", EDITORCONFIG) == [
            (".editorconfig", action, reason)
        ]


def test_a_file_in_a_legacy_format_is_kept_with_the_way_to_convert_it(tmp_path: Path) -> None:
    # golangci-lint's v1 format is told by the content of the file, under the wanted name.
    write_files(tmp_path, {".golangci.yml": GOLANGCI_V1})
    assert plan(tmp_path, ".", ".golangci.yml", rule_of(GO.rules, ".golangci.yml")) == [
        (
            ".golangci.yml",
            "skip",
            "legacy format kept; convert it to the golangci-lint v2 format, "
            "as adopt --migrate does with golangci-lint",
        )
    ]
    write_files(tmp_path, {".golangci.yml": GOLANGCI_V2})
    assert plan(tmp_path, ".", ".golangci.yml", rule_of(GO.rules, ".golangci.yml")) == [
        (".golangci.yml", "skip", "exists; yours is kept")
    ]


def test_a_file_whose_own_name_is_legacy_is_kept_with_the_way_to_convert_it(
    tmp_path: Path,
) -> None:
    write_files(tmp_path, {".toolrc": "old = 1\n"})
    rule = WholeFile(legacy=(".toolrc",), legacy_format="tool.toml")
    assert plan(tmp_path, ".", ".toolrc", rule) == [
        (".toolrc", "skip", "legacy format kept; convert it to tool.toml")
    ]


def test_a_file_in_a_legacy_format_is_migrated_in_place_on_request(tmp_path: Path) -> None:
    write_files(tmp_path, {".toolrc": "old = 1\n"})
    rule = WholeFile(legacy=(".toolrc",), migration=REWRITE)
    [migrated] = planned_actions(tmp_path, ".", ".toolrc", rule, migrate=True)
    assert (migrated.path.as_posix(), migrated.action, migrated.reason, migrated.content) == (
        ".toolrc",
        Action.MIGRATE,
        f"to the current format, by {sys.executable}",
        b"new\n",
    )


# --- configured under another name --------------------------------------------------------


def test_an_alternative_name_in_the_folder_configures_the_tool(tmp_path: Path) -> None:
    write_files(tmp_path, {"crate/.rustfmt.toml": "edition = '2021'\n"})
    assert plan(tmp_path, "crate", "rustfmt.toml", rule_of(RUST.rules, "rustfmt.toml")) == [
        ("crate/rustfmt.toml", "skip", "configured in .rustfmt.toml")
    ]


@pytest.mark.parametrize(
    ("legacy", "folder", "named"),
    [
        ("web/.eslintrc.json", "web", ".eslintrc.json"),  # in the project's folder
        ("apps/.eslintrc.json", "apps/web", "apps/.eslintrc.json"),  # in a folder above
    ],
)
def test_a_legacy_alternative_name_is_kept_with_the_way_to_migrate_it(
    tmp_path: Path, legacy: str, folder: str, named: str
) -> None:
    write_files(tmp_path, {legacy: "{}\n"})
    assert plan(tmp_path, folder, ESLINT, rule_of(NODE.rules, ESLINT)) == [
        (
            f"{folder}/eslint.config.js",
            "skip",
            f"legacy config {named} kept; migrate it to {ESLINT} {ESLINT_NOTE}",
        )
    ]


def test_an_alternative_in_a_legacy_format_by_its_content_is_kept(tmp_path: Path) -> None:
    rule = rule_of(GO.rules, ".golangci.yml")
    write_files(tmp_path, {".golangci.yaml": GOLANGCI_V1})
    assert plan(tmp_path, ".", ".golangci.yml", rule) == [
        (
            ".golangci.yml",
            "skip",
            "legacy config .golangci.yaml kept; migrate it to .golangci.yml "
            "(the golangci-lint v2 format), as adopt --migrate does with golangci-lint",
        )
    ]
    write_files(tmp_path, {".golangci.yaml": GOLANGCI_V2})
    assert plan(tmp_path, ".", ".golangci.yml", rule) == [
        (".golangci.yml", "skip", "configured in .golangci.yaml")
    ]


def test_a_legacy_alternative_is_migrated_on_request(tmp_path: Path) -> None:
    write_files(tmp_path, {".toolrc": "old = 1\n"})
    rule = WholeFile(alternatives=(".toolrc",), legacy=(".toolrc",), migration=REWRITE)
    assert plan(tmp_path, ".", "tool.toml", rule, migrate=True) == [
        (".toolrc", "migrate", f"to the current format, by {sys.executable}"),
        ("tool.toml", "skip", "configured in .toolrc, migrated"),
    ]


def test_a_legacy_alternative_that_is_a_symbolic_link_is_not_migrated(tmp_path: Path) -> None:
    write_files(tmp_path, {"shared.toolrc": "old = 1\n"})
    (tmp_path / ".toolrc").symlink_to("shared.toolrc")
    rule = WholeFile(
        alternatives=(".toolrc",), legacy=(".toolrc",), legacy_format="TOML", migration=REWRITE
    )
    assert plan(tmp_path, ".", "tool.toml", rule, migrate=True) == [
        (
            "tool.toml",
            "skip",
            "legacy config .toolrc kept; migrate it to tool.toml (TOML), "
            f"as adopt --migrate does with {sys.executable}",
        )
    ]
    assert (tmp_path / "shared.toolrc").read_text() == "old = 1\n"


# --- configured in a manifest key ---------------------------------------------------------


def test_a_manifest_key_in_the_folder_configures_the_tool(tmp_path: Path) -> None:
    write_files(tmp_path, {"web/package.json": json.dumps({"prettier": {"semi": False}})})
    assert plan(tmp_path, "web", PRETTIER, rule_of(NODE.rules, PRETTIER)) == [
        ("web/.prettierrc.json", "skip", 'configured in package.json "prettier"')
    ]


def test_a_legacy_manifest_key_is_kept_with_the_way_to_migrate_it(tmp_path: Path) -> None:
    write_files(tmp_path, {"web/package.json": json.dumps({"eslintConfig": {"root": True}})})
    assert plan(tmp_path, "web", ESLINT, rule_of(NODE.rules, ESLINT)) == [
        (
            "web/eslint.config.js",
            "skip",
            f'legacy config package.json "eslintConfig" kept; migrate it to {ESLINT} {ESLINT_NOTE}',
        )
    ]


# --- covered from a folder above ----------------------------------------------------------


def test_the_same_file_or_an_alternative_above_covers_the_project(tmp_path: Path) -> None:
    write_files(
        tmp_path, {".editorconfig": "root = true\n", "apps/.prettierrc.yaml": "semi: false\n"}
    )
    assert plan(tmp_path, "apps/web", ".editorconfig", EDITORCONFIG) == [
        ("apps/web/.editorconfig", "skip", "covered by .editorconfig")
    ]
    assert plan(tmp_path, "apps/web", PRETTIER, rule_of(NODE.rules, PRETTIER)) == [
        ("apps/web/.prettierrc.json", "skip", "covered by apps/.prettierrc.yaml")
    ]


def test_a_manifest_key_above_covers_the_project(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "apps/package.json": json.dumps({"prettier": {}}),
            "apps/web/package.json": json.dumps({"name": "web"}),
        },
    )
    assert plan(tmp_path, "apps/web", PRETTIER, rule_of(NODE.rules, PRETTIER)) == [
        ("apps/web/.prettierrc.json", "skip", 'covered by apps/package.json "prettier"')
    ]


def test_a_legacy_manifest_key_above_is_kept_with_the_way_to_migrate_it(tmp_path: Path) -> None:
    write_files(tmp_path, {"package.json": json.dumps({"eslintConfig": {}})})
    assert plan(tmp_path, "web", ESLINT, rule_of(NODE.rules, ESLINT)) == [
        (
            "web/eslint.config.js",
            "skip",
            f'legacy config package.json "eslintConfig" kept; migrate it to {ESLINT} {ESLINT_NOTE}',
        )
    ]


def test_a_file_only_planned_above_covers_the_project(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    planner = AdoptPlanner(tmp_path)
    planner.whole_file(tmp_path, ".editorconfig", WANTED, 0o644, EDITORCONFIG)
    planner.whole_file(tmp_path / "web", ".editorconfig", WANTED, 0o644, EDITORCONFIG)
    assert [(a.path.as_posix(), a.action.value, a.reason) for a in planner.actions.values()] == [
        (".editorconfig", "create", ""),
        ("web/.editorconfig", "skip", "covered by .editorconfig"),
    ]


# --- created --------------------------------------------------------------------------------


def test_a_file_configured_nowhere_is_created_with_its_content_and_mode(tmp_path: Path) -> None:
    # Manifests without the key, above and in the folder, configure nothing.
    write_files(
        tmp_path,
        {
            "package.json": json.dumps({"name": "all"}),
            "web/package.json": json.dumps({"name": "web"}),
        },
    )
    [created] = planned_actions(
        tmp_path, "web", PRETTIER, rule_of(NODE.rules, PRETTIER), content=b"{}\n", mode=0o755
    )
    assert created == FileAction(
        PurePosixPath("web/.prettierrc.json"), Action.CREATE, "", b"{}\n", 0o755
    )
