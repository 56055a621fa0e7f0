"""A project made inside a repository whose CLAUDE.md would hide its AGENTS.md imports it."""

from __future__ import annotations

from pathlib import Path

from scaffold.commands.new import claude_md_above, new_project
from tests.helpers import git, write_files


def repository(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    git(root, "init", "-q")
    return write_files(root, files)


def test_a_claude_md_above_in_the_repository_makes_the_project_import_its_agents_md(
    tmp_path: Path,
) -> None:
    repo = repository(tmp_path / "repo", {"CLAUDE.md": "# Team rules\n"})
    target = repo / "services" / "api"

    result = new_project("go", target)

    assert (target / "CLAUDE.md").read_bytes() == b"@AGENTS.md\n"
    assert (target / "AGENTS.md").is_file()
    assert "CLAUDE.md" in [action.path.as_posix() for action in result.plan.actions]


def test_the_dry_run_lists_the_claude_md_and_writes_nothing(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo", {".claude/CLAUDE.md": "# Team rules\n"})
    target = repo / "api"

    result = new_project("go", target, dry_run=True)

    assert "CLAUDE.md" in [action.path.as_posix() for action in result.plan.actions]
    assert not target.exists()


def test_without_a_claude_md_above_agents_md_alone_serves_every_agent(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo", {"README.md": "# repo\n"})
    target = repo / "api"

    new_project("go", target)

    assert (target / "AGENTS.md").is_file()
    assert not (target / "CLAUDE.md").exists()


def test_a_claude_md_outside_any_repository_or_above_the_repository_is_not_counted(
    tmp_path: Path,
) -> None:
    (tmp_path / "CLAUDE.md").write_text("# someone's notes\n")
    assert claude_md_above(tmp_path / "loose" / "api") is None
    repo = repository(tmp_path / "repo", {})
    assert claude_md_above(repo / "api") is None
    (repo / "services").mkdir()
    (repo / "services" / "CLAUDE.md").write_text("# services\n")
    assert claude_md_above(repo / "services" / "api") == repo / "services" / "CLAUDE.md"
    assert claude_md_above(repo / "api") is None
