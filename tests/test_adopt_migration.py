"""`adopt --migrate`'s planning with real migration commands (small Python programs run in
a scratch folder): what a migration that works, fails or writes nothing leaves in the plan,
with the exact reasons."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path, PurePosixPath

import pytest

from scaffold.adopters import WholeFile
from scaffold.adopters.base import Migration
from scaffold.model import Action, FileAction
from scaffold.plan.adopt import AdoptPlanner
from scaffold.plan.migrate import MigrationFailed, run_migration

PYTHON = sys.executable
UPPER = "import pathlib, sys; p = pathlib.Path(sys.argv[1]); p.write_text(p.read_text().upper())"


def program(source: str, *args: str, writes: str | None = None, note: str = "") -> Migration:
    """A migration that runs ``source`` with Python (``{file}`` among ``args``)."""
    return Migration((PYTHON, "-c", source, *args), writes=writes, note=note)


def test_a_migration_rewrites_a_copy_and_returns_it(tmp_path: Path) -> None:
    migration = program(UPPER, "{file}")
    assert run_migration(migration, "old.cfg", b"key = value\n") == b"KEY = VALUE\n"


def test_a_migration_runs_in_a_scratch_folder_with_the_file_by_its_name(tmp_path: Path) -> None:
    # The command sees only the copy, by the name given, in the folder it runs in.
    source = (
        "import os, sys; seen = repr((sys.argv[1:], os.listdir())); open('seen', 'w').write(seen)"
    )
    seen = run_migration(program(source, "{file}", "--in-place", writes="seen"), "a.cfg", b"x")
    assert seen == b"(['a.cfg', '--in-place'], ['a.cfg'])"


def test_a_migration_that_writes_another_file_returns_that_file(tmp_path: Path) -> None:
    source = "import sys; open('new.cfg', 'w').write(open(sys.argv[1]).read() + 'migrated')"
    migrated = run_migration(program(source, "{file}", writes="new.cfg"), "old.cfg", b"a\n")
    assert migrated == b"a\nmigrated"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("import sys; sys.stderr.write('first\\nlast line\\n\\n'); sys.exit(2)", "last line"),
        ("print('only on stdout'); raise SystemExit(1)", "only on stdout"),
        ("import sys; sys.stderr.write('  \\n'); print('ignored'); sys.exit(3)", "exit status 3"),
        ("raise SystemExit(3)", "exit status 3"),
        ("pass", "it wrote no new.cfg"),
    ],
)
def test_a_failed_migration_says_why_in_one_line(source: str, message: str) -> None:
    with pytest.raises(MigrationFailed) as failure:
        run_migration(program(source, writes="new.cfg"), "old.cfg", b"")
    assert str(failure.value) == message


def test_a_migration_tool_that_is_missing_is_named() -> None:
    with pytest.raises(MigrationFailed) as failure:
        run_migration(Migration(("scaffold-no-such-migrator", "{file}")), "a.cfg", b"")
    assert str(failure.value) == "scaffold-no-such-migrator is not installed"


def test_a_migration_tool_that_cannot_start_is_reported(tmp_path: Path) -> None:
    tool = tmp_path / "migrator"
    tool.write_text("#!/nonexistent/interpreter\n")
    tool.chmod(0o755)
    with pytest.raises(MigrationFailed) as failure:
        run_migration(Migration((str(tool),)), "a.cfg", b"")
    assert str(failure.value) == f"[Errno 2] No such file or directory: '{tool}'"


def test_a_migration_reads_no_input(tmp_path: Path) -> None:
    source = "import sys; open('new.cfg', 'w').write(repr(sys.stdin.read()))"
    assert run_migration(program(source, writes="new.cfg"), "a.cfg", b"") == b"''"


# --- the plan ------------------------------------------------------------------------


def rule(migration: Migration | None, **fields: object) -> WholeFile:
    return WholeFile(
        alternatives=("old.cfg",),
        legacy=("old.cfg",),
        legacy_format="the new format",
        migration=migration,
        **fields,  # type: ignore[arg-type]
    )


def plan(root: Path, wanted: WholeFile, *, migrate: bool = True) -> list[FileAction]:
    planner = AdoptPlanner(root, migrate=migrate)
    planner.whole_file(root / "svc", "new.cfg", b"wanted\n", 0o644, wanted)
    return list(planner.actions.values())


def summary(actions: list[FileAction]) -> list[tuple[str, str, str, bytes | None, int, str | None]]:
    return [
        (a.path.as_posix(), a.action.value, a.reason, a.content, a.mode, a.original_sha256)
        for a in actions
    ]


@pytest.fixture
def legacy_repo(tmp_path: Path) -> Path:
    (tmp_path / "svc").mkdir()
    old = tmp_path / "svc" / "old.cfg"
    old.write_text("rule = on\n")
    old.chmod(0o600)
    return tmp_path


def test_a_legacy_config_is_only_reported_without_migrate(legacy_repo: Path) -> None:
    tool = program(UPPER, "{file}")
    assert summary(plan(legacy_repo, rule(tool), migrate=False)) == [
        (
            "svc/new.cfg",
            "skip",
            f"legacy config old.cfg kept; migrate it to new.cfg (the new format), as adopt "
            f"--migrate does with {PYTHON}",
            None,
            0o644,
            None,
        )
    ]


def test_a_legacy_config_without_a_migration_is_reported_even_with_migrate(
    legacy_repo: Path,
) -> None:
    assert summary(plan(legacy_repo, rule(None))) == [
        (
            "svc/new.cfg",
            "skip",
            "legacy config old.cfg kept; migrate it to new.cfg (the new format)",
            None,
            0o644,
            None,
        )
    ]


def test_a_config_migrated_in_place_keeps_its_name_and_mode(legacy_repo: Path) -> None:
    actions = plan(legacy_repo, rule(program(UPPER, "{file}", note="check its comments")))
    assert summary(actions) == [
        (
            "svc/old.cfg",
            "migrate",
            f"to the current format, by {PYTHON}; check its comments",
            b"RULE = ON\n",
            0o600,
            hashlib.sha256(b"rule = on\n").hexdigest(),
        ),
        ("svc/new.cfg", "skip", "configured in old.cfg, migrated", None, 0o644, None),
    ]


def test_a_legacy_file_by_the_wanted_name_is_migrated_alone(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "new.cfg").write_text("v1\n")
    wanted = WholeFile(legacy=("new.cfg",), migration=program(UPPER, "{file}"))
    assert summary(plan(tmp_path, wanted)) == [
        (
            "svc/new.cfg",
            "migrate",
            f"to the current format, by {PYTHON}",
            b"V1\n",
            0o644,
            hashlib.sha256(b"v1\n").hexdigest(),
        )
    ]


def test_a_migration_that_writes_the_wanted_file_creates_it(legacy_repo: Path) -> None:
    source = "import sys; open('new.cfg', 'w').write('from ' + open(sys.argv[1]).read())"
    actions = plan(legacy_repo, rule(program(source, "{file}", writes="new.cfg", note="n")))
    assert summary(actions) == [
        (
            "svc/new.cfg",
            "create",
            f"migrated from old.cfg by {PYTHON}; n",
            b"from rule = on\n",
            0o644,
            None,
        )
    ]


def test_a_migration_that_writes_another_name_says_where_the_config_went(
    legacy_repo: Path,
) -> None:
    source = "open('other.cfg', 'w').write('migrated')"
    assert summary(plan(legacy_repo, rule(program(source, writes="other.cfg")))) == [
        ("svc/other.cfg", "create", f"migrated from old.cfg by {PYTHON}", b"migrated", 0o644, None),
        ("svc/new.cfg", "skip", "configured in other.cfg", None, 0o644, None),
    ]


@pytest.mark.parametrize("kind", ["file", "symbolic link"])
def test_a_migration_never_replaces_what_holds_its_output_name(
    legacy_repo: Path, kind: str
) -> None:
    target = legacy_repo / "svc" / "other.cfg"
    if kind == "file":
        target.write_text("mine")
    else:
        target.symlink_to("nowhere")
    source = "open('other.cfg', 'w').write('migrated')"
    assert summary(plan(legacy_repo, rule(program(source, writes="other.cfg")))) == [
        ("svc/new.cfg", "skip", "other.cfg exists; yours is kept", None, 0o644, None)
    ]


def test_a_failed_migration_keeps_the_config_and_says_why(legacy_repo: Path) -> None:
    failing = program("import sys; sys.exit('unsupported version')")
    assert summary(plan(legacy_repo, rule(failing))) == [
        (
            "svc/new.cfg",
            "skip",
            f"legacy config old.cfg kept; {PYTHON} could not migrate it: unsupported version",
            None,
            0o644,
            None,
        )
    ]


def test_a_manifest_key_is_migrated_as_a_file_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    manifest = {"name": "svc", "cfg": {"rules": {"semi": "error"}}}
    (tmp_path / "svc" / "package.json").write_text(json.dumps(manifest))
    copy = "import shutil, sys; shutil.copy(sys.argv[1], 'new.cfg')"
    migration = Migration(
        (PYTHON, "-c", copy, "{file}"), writes="new.cfg", manifest_as=".cfgrc.json"
    )
    wanted = WholeFile(
        manifest_keys=(("package.json", "cfg"),), legacy=("cfg",), migration=migration
    )
    assert summary(plan(tmp_path, wanted)) == [
        (
            "svc/new.cfg",
            "create",
            f'migrated from package.json "cfg" by {PYTHON}',
            b'{\n  "rules": {\n    "semi": "error"\n  }\n}',
            0o644,
            None,
        )
    ]
    failing = Migration(
        (PYTHON, "-c", "raise SystemExit('no')"), writes="new.cfg", manifest_as=".cfgrc.json"
    )
    wanted = WholeFile(manifest_keys=(("package.json", "cfg"),), legacy=("cfg",), migration=failing)
    assert [a.reason for a in plan(tmp_path, wanted)] == [
        f'legacy config package.json "cfg" kept; {PYTHON} could not migrate it: no'
    ]


def test_the_planned_paths_are_relative_to_the_root(legacy_repo: Path) -> None:
    actions = plan(legacy_repo, rule(program(UPPER, "{file}")))
    assert [a.path for a in actions] == [PurePosixPath("svc/old.cfg"), PurePosixPath("svc/new.cfg")]
    assert all(a.action in (Action.MIGRATE, Action.SKIP) for a in actions)
