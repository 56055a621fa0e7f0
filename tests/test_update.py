"""`scaffold update` on real git repositories, from a tiny versioned template."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import copier
import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode
from tests.helpers import REPO_ROOT, git, tree_digest

TINY = REPO_ROOT / "tests" / "fixtures" / "tiny-template"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """The tiny template in a git repository: v1, then v2 with a new file and a changed line."""
    repo = tmp_path / "template"
    shutil.copytree(TINY, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1.0.0")
    config = repo / "template" / "config.toml.jinja"
    config.write_text(config.read_text().replace("line-length = 100", "line-length = 120"))
    (repo / "template" / "CHANGELOG.md").write_text("# Changes\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v2")
    git(repo, "tag", "v2.0.0")
    return repo


def generate(template: Path, destination: Path, name: str = "tiny") -> Path:
    copier.run_copy(
        str(template),
        destination,
        data={"project_name": name},
        vcs_ref="v1.0.0",
        defaults=True,
        quiet=True,
    )
    return destination


@pytest.fixture
def project(tmp_path: Path, template: Path) -> Path:
    """A project generated at v1 and committed, with the user's own edit to README.md."""
    destination = generate(template, tmp_path / "project")
    git(destination, "init", "-q")
    (destination / "README.md").write_text("# tiny\n\nhello\n\nOur own notes.\n")
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", "generated")
    return destination


def invoke(*args: str, source: Path | None = None) -> tuple[int, str]:
    """``scaffold update ARGS``, accepting the test's template ``source``."""
    allow = ["--allow-source", str(source)] if source is not None else []
    result = CliRunner().invoke(app, ["update", *args, *allow])
    return result.exit_code, result.output


def test_update_applies_the_template_and_keeps_user_edits(project: Path, template: Path) -> None:
    code, output = invoke(str(project), source=template)
    assert code == 0, output
    assert (project / "CHANGELOG.md").read_text() == "# Changes\n"
    assert "line-length = 120" in (project / "config.toml").read_text()
    assert (project / "README.md").read_text().endswith("Our own notes.\n")
    assert "_commit: v2.0.0" in (project / ".copier-answers.yml").read_text()
    assert output.splitlines() == [
        ".: updated from v1.0.0 to v2.0.0, 3 files changed",
        "  .copier-answers.yml",
        "  CHANGELOG.md",
        "  config.toml",
    ]


def test_a_line_changed_on_both_sides_is_a_reported_conflict(project: Path, template: Path) -> None:
    config = project / "config.toml"
    config.write_text(config.read_text().replace("line-length = 100", "line-length = 80"))
    git(project, "commit", "-qam", "our line length")
    code, output = invoke(str(project), "--json", source=template)
    assert code == ExitCode.CONFLICTS
    payload = json.loads(output)
    assert payload["conflicts"] == ["config.toml"]
    assert payload["projects"][0]["status"] == "updated"
    text = config.read_text()
    assert "<<<<<<< before updating" in text
    assert "line-length = 80" in text and "line-length = 120" in text
    assert "UU config.toml" in git(project, "status", "--porcelain")


def test_dry_run_and_check_change_nothing(project: Path, template: Path) -> None:
    # A file touched since git last looked: a plain `git status` would rewrite the index.
    readme = project / "README.md"
    os.utime(readme, (readme.stat().st_atime, readme.stat().st_mtime + 10))
    before = tree_digest(project)
    code, output = invoke(str(project), "--check", source=template)
    assert (code, output) == (ExitCode.CHANGES_PENDING, ".: can update from v1.0.0 to v2.0.0\n")
    code, output = invoke(str(project), "--dry-run", source=template)
    assert code == ExitCode.CHANGES_PENDING
    assert output.splitlines()[0] == ".: would update from v1.0.0 to v2.0.0, 3 files changed"
    assert tree_digest(project) == before
    assert git(project, "status", "--porcelain") == ""

    assert invoke(str(project), source=template)[0] == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update")
    code, output = invoke(str(project), "--check", source=template)
    assert (code, output) == (0, ".: up to date (v2.0.0)\n")


def test_to_picks_the_version(project: Path, template: Path) -> None:
    code, output = invoke(str(project), "--to", "1.0.0", "--check", source=template)
    assert (code, output) == (0, ".: up to date (v1.0.0)\n")


def test_uncommitted_changes_are_refused(project: Path, template: Path) -> None:
    (project / "README.md").write_text("changed\n")
    before = tree_digest(project)
    code, output = invoke(str(project), source=template)
    assert code == ExitCode.ERROR
    assert output == (
        f"scaffold: error: {project} has uncommitted changes (1 paths); commit or stash them "
        "first, so that the update can be reviewed and reverted\n"
    )
    assert tree_digest(project) == before


def test_every_project_of_a_monorepo_is_updated(tmp_path: Path, template: Path) -> None:
    mono = tmp_path / "mono"
    generate(template, mono / "services" / "a", "a")
    generate(template, mono / "services" / "b", "b")
    git(mono, "init", "-q")
    git(mono, "add", "-A")
    git(mono, "commit", "-qm", "two projects")
    code, output = invoke(str(mono), "--json", source=template)
    assert code == 0, output
    payload = json.loads(output)
    assert [(p["path"], p["status"]) for p in payload["projects"]] == [
        ("services/a", "updated"),
        ("services/b", "updated"),
    ]
    assert (mono / "services" / "a" / "CHANGELOG.md").is_file()
    assert (mono / "services" / "b" / "CHANGELOG.md").is_file()


def test_a_folder_outside_git_is_a_one_line_error(tmp_path: Path, template: Path) -> None:
    project = generate(template, tmp_path / "loose")
    code, output = invoke(str(project), source=template)
    assert code == ExitCode.ERROR
    assert output == (
        f"scaffold: error: {project} is not in a git repository; commit the project to git first\n"
    )


def test_a_repository_without_templated_projects(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    code, output = invoke(str(tmp_path))
    assert code == ExitCode.ERROR
    assert output == (
        f"scaffold: error: no .copier-answers.yml found under {tmp_path}: "
        "nothing here was generated from a template\n"
    )
