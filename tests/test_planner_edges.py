"""The adopt planner's decisions at the edges the command-line tests do not reach: which
workspace manifest shares its lints with a member, exactly as planned."""

from __future__ import annotations

import ast
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import pytest

from scaffold.adopters.base import Migration, TomlTables, WholeFile
from scaffold.ecosystems.rust.adopt import RECIPE
from scaffold.errors import ApplyError
from scaffold.model import Action, CodeStyle, ConfigRef, Indent, Plan, Project
from scaffold.plan.adopt import AdoptPlanner
from scaffold.plan.agents import AgentsEntry, _from_project, agents_md
from scaffold.plan.apply import apply_plan
from scaffold.plan.migrate import run_migration
from tests.helpers import write_files

LINTS = b'[lints.rust]\nunsafe_code = "forbid"\n'
CRATE = '[package]\nname = "{}"\nedition = "2021"\n'
SHARED = '\n[workspace.lints.rust]\nunsafe_code = "forbid"\n'


def cargo_rule() -> TomlTables:
    rule = RECIPE.rules["Cargo.toml"]
    assert isinstance(rule, TomlTables)
    return rule


def plan_manifests(root: Path, *folders: str) -> list[tuple[str, str, str]]:
    planner = AdoptPlanner(root)
    for folder in folders:
        planner.toml_tables(root / folder, "Cargo.toml", LINTS, cargo_rule())
    return [(a.path.as_posix(), a.action.value, a.reason) for a in planner.actions.values()]


def not_added(holder: str) -> str:
    return f"{holder} has [workspace.lints] for its members ([lints] workspace = true); [lints] not added"


def test_a_root_crate_that_shares_lints_with_its_members_gets_none(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"Cargo.toml": CRATE.format("root") + '[workspace]\nmembers = ["a"]\n' + SHARED}
    )
    assert plan_manifests(tmp_path, ".") == [("Cargo.toml", "skip", not_added("Cargo.toml"))]


def test_a_workspace_crate_without_shared_lints_gets_its_own(tmp_path: Path) -> None:
    # Its own manifest holds the workspace: one above it (sharing lints) is not its workspace.
    write_files(
        tmp_path,
        {
            "Cargo.toml": '[workspace]\nmembers = ["svc"]\n' + SHARED,
            "svc/Cargo.toml": CRATE.format("svc") + "[workspace]\n",
        },
    )
    assert plan_manifests(tmp_path, "svc") == [("svc/Cargo.toml", "merge", "adds lints")]


def test_a_member_below_a_folder_without_a_manifest_finds_its_workspace(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "Cargo.toml": '[workspace]\nmembers = ["crates/a"]\n' + SHARED,
            "crates/a/Cargo.toml": CRATE.format("a"),
        },
    )
    assert plan_manifests(tmp_path, "crates/a") == [
        ("crates/a/Cargo.toml", "skip", not_added("Cargo.toml"))
    ]


def test_members_of_two_workspaces_each_follow_their_own(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "one/Cargo.toml": '[workspace]\nmembers = ["a"]\n' + SHARED,
            "one/a/Cargo.toml": CRATE.format("a"),
            "two/Cargo.toml": '[workspace]\nmembers = ["b"]\n',
            "two/b/Cargo.toml": CRATE.format("b"),
        },
    )
    assert plan_manifests(tmp_path, "one/a", "two/b") == [
        ("one/a/Cargo.toml", "skip", not_added("one/Cargo.toml")),
        ("two/b/Cargo.toml", "merge", "adds lints"),
    ]


TWO_TABLES = TomlTables(("tool.ruff", "tool.mypy"), requires="project", rivals=("black",))
BOTH = b"[tool.ruff]\nline-length = 100\n\n[tool.mypy]\nstrict = true\n"


def plan_pyproject(root: Path, configs: tuple[ConfigRef, ...] = ()) -> list[tuple[str, str, str]]:
    planner = AdoptPlanner(root)
    planner.toml_tables(root, "pyproject.toml", BOTH, TWO_TABLES, configs)
    return [(a.path.as_posix(), a.action.value, a.reason) for a in planner.actions.values()]


def test_reasons_name_every_table_of_a_rule(tmp_path: Path) -> None:
    assert plan_pyproject(tmp_path) == [
        ("pyproject.toml", "skip", "no pyproject.toml to add tool.ruff, tool.mypy to")
    ]
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    assert plan_pyproject(tmp_path) == [
        (
            "pyproject.toml",
            "skip",
            "has no [project] table; not adding tool.ruff, tool.mypy",
        )
    ]
    assert plan_pyproject(
        tmp_path, (ConfigRef("setup.cfg"), ConfigRef("pyproject.toml", "tool.black"))
    ) == [
        (
            "pyproject.toml",
            "skip",
            "the project uses Black (pyproject.toml[tool.black]); "
            "[tool.ruff], [tool.mypy] not added beside it",
        )
    ]
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert plan_pyproject(tmp_path) == [("pyproject.toml", "merge", "adds tool.ruff, tool.mypy")]


def plan_whole_files(
    root: Path, folders: tuple[str, ...], rule: WholeFile
) -> list[tuple[str, str, str]]:
    planner = AdoptPlanner(root)
    for folder in folders:
        planner.whole_file(root / folder, ".editorconfig", b"root = true\n", 0o644, rule)
    return [(a.path.as_posix(), a.action.value, a.reason) for a in planner.actions.values()]


def test_a_file_identical_to_the_wanted_one_needs_no_reason(tmp_path: Path) -> None:
    (tmp_path / ".editorconfig").write_bytes(b"root = true\n")
    assert plan_whole_files(tmp_path, (".",), WholeFile()) == [(".editorconfig", "identical", "")]
    (tmp_path / ".editorconfig").write_bytes(b"root = true\r\n")
    assert plan_whole_files(tmp_path, (".",), WholeFile()) == [
        (".editorconfig", "identical", "the same text, with CRLF line endings")
    ]


def test_a_file_of_the_same_text_in_the_form_wanted_is_the_same_text(tmp_path: Path) -> None:
    # A template file written with CRLF (a Windows script), the user's copy with LF: the
    # same text, and the user's form needs no words.
    (tmp_path / "run.bat").write_bytes(b"@echo off\n")
    planner = AdoptPlanner(tmp_path)
    planner.whole_file(tmp_path, "run.bat", b"@echo off\r\n", 0o644, WholeFile())
    assert [(a.action, a.reason) for a in planner.actions.values()] == [
        (Action.IDENTICAL, "the same text")
    ]


def test_a_file_planned_above_covers_the_projects_below(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    inherited = WholeFile(inherited=True)
    assert plan_whole_files(tmp_path, (".", "svc"), inherited) == [
        (".editorconfig", "create", ""),
        ("svc/.editorconfig", "skip", "covered by .editorconfig"),
    ]
    assert plan_whole_files(tmp_path, ("svc",), WholeFile()) == [
        ("svc/.editorconfig", "create", "")
    ]


def test_agents_md_names_configs_from_the_project_folder() -> None:
    ruff = ConfigRef("svc/pyproject.toml", "tool.ruff")
    assert _from_project("svc", ruff) == "pyproject.toml[tool.ruff]"
    assert _from_project("svc/api", ConfigRef(".editorconfig")) == "../../.editorconfig"
    assert _from_project(".", ConfigRef("setup.cfg", "flake8")) == "setup.cfg[flake8]"


def test_a_manifest_that_cannot_be_read_is_left_alone_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "caf\xe9"\n')
    assert plan_pyproject(tmp_path) == [("pyproject.toml", "skip", "not UTF-8 text; left alone")]
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x\n')
    [(path, action, reason)] = plan_pyproject(tmp_path)
    assert (path, action) == ("pyproject.toml", "skip")
    assert reason.startswith("invalid TOML in pyproject.toml at line 2: ")
    assert reason.endswith("; left alone")


def test_a_merged_manifest_keeps_its_mode_and_is_refused_if_changed_after_planning(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "pyproject.toml"
    manifest.write_text('[project]\nname = "x"\n')
    manifest.chmod(0o640)
    planner = AdoptPlanner(tmp_path)
    planner.toml_tables(tmp_path, "pyproject.toml", BOTH, TWO_TABLES)
    [merge] = planner.actions.values()
    assert (merge.action, merge.mode) == (Action.MERGE, 0o640)
    assert merge.original_sha256 == hashlib.sha256(b'[project]\nname = "x"\n').hexdigest()
    manifest.write_text('[project]\nname = "y"\n')
    with pytest.raises(ApplyError) as refused:
        apply_plan(Plan(tmp_path, (merge,)))
    assert str(refused.value) == f"{manifest} changed after planning; nothing was written"
    assert manifest.read_text() == '[project]\nname = "y"\n'


def test_a_migration_runs_without_input_in_a_scratch_folder_of_its_own(tmp_path: Path) -> None:
    # Nothing can be typed to a migration (it never waits on a terminal), and the folder it
    # ran in is scaffold's, in the temporary folder, and gone afterwards.
    source = (
        "import os, sys; quiet = os.path.samestat(os.fstat(0), os.stat(os.devnull)); "
        "open(sys.argv[1], 'w').write(repr((quiet, os.getcwd())))"
    )
    migration = Migration((sys.executable, "-c", source, "{file}"))
    # scaffold's own input is a pipe holding an answer (pytest's is the null device).
    reader, writer = os.pipe()
    os.write(writer, b"y\n")
    saved = os.dup(0)
    os.dup2(reader, 0)
    try:
        quiet, folder = ast.literal_eval(run_migration(migration, "a.cfg", b"").decode())
    finally:
        os.dup2(saved, 0)
        for descriptor in (saved, reader, writer):
            os.close(descriptor)
    assert quiet is True
    assert Path(folder).parent == Path(tempfile.gettempdir()).resolve()
    assert Path(folder).name.startswith(".scaffold-migrate-")
    assert not Path(folder).exists()


def test_a_manifest_whose_table_is_a_value_is_left_alone_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "none"\n\n[project]\nname = "x"\n')
    assert plan_pyproject(tmp_path) == [
        ("pyproject.toml", "skip", "pyproject.toml: tool is not a table; left alone")
    ]


def test_agents_md_of_a_project_with_no_framework_nor_build_tool_says_only_its_language() -> None:
    assert agents_md(AgentsEntry(Project("svc", "Go"), (), ("go test ./...",))) == (
        "# Working on svc\n"
        "\n"
        "A Go project. Follow the layout and style it already has.\n"
        "\n"
        "## Layout\n"
        "\n"
        "- the code lives at the top of the project\n"
        "\n"
        "## Commands\n"
        "\n"
        "```sh\n"
        "go test ./...\n"
        "```\n"
        "\n"
        "## Style\n"
        "\n"
        "- match the formatting of the files you change; do not reformat others\n"
    )


def test_agents_md_of_a_project_says_all_that_detection_found() -> None:
    project = Project(
        "svc/api",
        "Python",
        "FastAPI",
        "uv",
        configs=(ConfigRef("svc/api/pyproject.toml", "tool.ruff"), ConfigRef(".editorconfig")),
        style=CodeStyle(indent=Indent("space", 4), naming="snake_case"),
        source_dirs=("app", "lib"),
        architecture="layered",
    )
    commands = ("uv run pytest", "uv run ruff check .")
    assert agents_md(AgentsEntry(project, ("app/api", "app/models"), commands)) == (
        "# Working on svc/api\n"
        "\n"
        "A Python / FastAPI project, built with uv. Follow the layout and style it already has.\n"
        "\n"
        "## Layout\n"
        "\n"
        "- `app/`\n"
        "- `lib/`\n"
        "\n"
        "Architecture: layered. Put new code beside the code it resembles.\n"
        "\n"
        "Where the project has no established place for a kind of code, the conventions' "
        "folders are: `app/api/`, `app/models/`.\n"
        "\n"
        "## Commands\n"
        "\n"
        "```sh\n"
        "uv run pytest\n"
        "uv run ruff check .\n"
        "```\n"
        "\n"
        "## Style\n"
        "\n"
        "- indentation: spaces of 4\n"
        "- naming: snake_case\n"
        "- configuration in force: `pyproject.toml[tool.ruff]`, `../../.editorconfig`\n"
        "- match the formatting of the files you change; do not reformat others\n"
    )
    tabs = Project(".", "Go", style=CodeStyle(indent=Indent("tab")))
    assert agents_md(AgentsEntry(tabs, (), ())).startswith("# Working on this project\n")
    assert "\n## Style\n\n- indentation: tabs\n- match" in agents_md(AgentsEntry(tabs, (), ()))
