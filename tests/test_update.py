"""`scaffold update` on real git repositories, from a tiny versioned template."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import copier
import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode
from tests.helpers import REPO_ROOT, commit_all, git, tree_digest

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


def generate(
    template: Path, destination: Path, name: str = "tiny", version: str = "v1.0.0"
) -> Path:
    copier.run_copy(
        str(template),
        destination,
        data={"project_name": name},
        vcs_ref=version,
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


# --- what an answers file may name -------------------------------------------------------


def answers_repo(tmp_path: Path, template: Path, **changes: object) -> Path:
    """A committed project whose answers file has ``changes`` (``None`` drops a key)."""
    import yaml

    project = generate(template, tmp_path / "hostile")
    answers_path = project / ".copier-answers.yml"
    answers = yaml.safe_load(answers_path.read_text())
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    answers_path.write_text(yaml.safe_dump(answers))
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    return project


@pytest.mark.parametrize("mode", [[], ["--check"], ["--dry-run"]])
@pytest.mark.parametrize(
    "source",
    [
        "--upload-pack=touch {marker};",
        "-u touch {marker}",
        "ext::sh -c touch% {marker}",
        "ext::sh -c touch\\ {marker}",
    ],
)
def test_a_template_source_that_is_an_option_or_a_transport_never_runs(
    tmp_path: Path, template: Path, mode: list[str], source: str
) -> None:
    marker = tmp_path / "marker"
    hostile = source.format(marker=marker)
    project = answers_repo(tmp_path, template, _src_path=hostile)
    before = tree_digest(project)
    for allow in (None, hostile):  # naming it on the command line does not make it a source
        result = CliRunner().invoke(
            app, ["update", str(project), *mode, *(["--allow-source", allow] if allow else [])]
        )
        assert result.exit_code == ExitCode.ERROR, result.output
        assert result.output.startswith(
            "scaffold: error: .copier-answers.yml (_src_path): refusing the template source "
        )
        assert result.output.endswith(": it is not a folder or a URL\n")
        assert result.output.count("\n") == 1
    assert not marker.exists()
    assert tree_digest(project) == before


@pytest.mark.parametrize("mode", [[], ["--check"], ["--dry-run"]])
def test_a_template_source_not_named_by_the_user_is_refused(
    tmp_path: Path, template: Path, mode: list[str]
) -> None:
    url = f"file://{template}"
    project = answers_repo(tmp_path, template, _src_path=url)
    before = tree_digest(project)
    code, output = invoke(str(project), *mode)
    assert code == ExitCode.ERROR
    assert output == (
        f"scaffold: error: .copier-answers.yml (_src_path): the template source {url!r} is "
        "not one of scaffold's templates; if you trust it, name it with --allow-source\n"
    )
    assert tree_digest(project) == before
    # Named on the command line, the same URL is used.
    code, output = invoke(str(project), "--check", "--allow-source", url)
    assert (code, output) == (ExitCode.CHANGES_PENDING, ".: can update from v1.0.0 to v2.0.0\n")


@pytest.mark.parametrize(
    "commit", ["--upload-pack=touch {marker}", "-q", "v1.0.0..HEAD", "HEAD@{{1}}", "a b"]
)
@pytest.mark.parametrize("mode", [[], ["--check"], ["--dry-run"]])
def test_a_recorded_version_that_is_not_a_version_is_refused(
    tmp_path: Path, template: Path, commit: str, mode: list[str]
) -> None:
    marker = tmp_path / "marker"
    project = answers_repo(tmp_path, template, _commit=commit.format(marker=marker))
    before = tree_digest(project)
    code, output = invoke(str(project), *mode, source=template)
    assert code == ExitCode.ERROR
    assert output.startswith("scaffold: error: .copier-answers.yml (_commit): ")
    assert output.endswith(" is not a template version\n") and output.count("\n") == 1
    assert not marker.exists()
    assert tree_digest(project) == before


def test_to_a_version_that_does_not_exist_lists_the_versions(project: Path, template: Path) -> None:
    for to in ("9.9.9", "--upload-pack=x"):
        code, output = invoke(str(project), "--to", to, source=template)
        assert code == ExitCode.USAGE, output
        assert output.count("\n") == 1
    assert invoke(str(project), "--to", "9.9.9", source=template)[1] == (
        f"scaffold: error: the template {template} has no version v9.9.9; "
        "versions: v2.0.0, v1.0.0\n"
    )
    assert invoke(str(project), "--to", "--upload-pack=x", source=template)[1] == (
        "scaffold: error: --to: '--upload-pack=x' is not a template version\n"
    )


def test_an_answers_file_not_yet_committed_is_named(tmp_path: Path, template: Path) -> None:
    project = generate(template, tmp_path / "fresh")
    git(project, "init", "-q")
    code, output = invoke(str(project), source=template)
    assert (code, output) == (
        ExitCode.ERROR,
        "scaffold: error: .copier-answers.yml is not committed: commit it first, so that the "
        "update can be reviewed and reverted\n",
    )


def test_conflicts_as_rej_files_are_reported(project: Path, template: Path) -> None:
    config = project / "config.toml"
    config.write_text(config.read_text().replace("line-length = 100", "line-length = 80"))
    git(project, "commit", "-qam", "our line length")
    code, output = invoke(str(project), "--conflict", "rej", "--json", source=template)
    assert code == ExitCode.CONFLICTS, output
    payload = json.loads(output)
    assert payload["conflicts"] == ["config.toml.rej"]
    # copier's rej mode: the template's side in the file, the edit it could not apply beside it
    assert "line-length = 120" in config.read_text()
    assert "+line-length = 80" in (project / "config.toml.rej").read_text().splitlines()
    assert "?? config.toml.rej" in git(project, "status", "--porcelain")


def template_version(template: Path, tag: str, change: Callable[[Path], object]) -> None:
    change(template / "template")
    git(template, "add", "-A")
    git(template, "commit", "-qm", tag)
    git(template, "tag", tag)


def test_files_the_template_stops_making_are_deleted_with_their_folders(
    tmp_path: Path, template: Path
) -> None:
    def add_docs(folder: Path) -> None:
        (folder / "docs" / "old").mkdir(parents=True)
        (folder / "docs" / "old" / "guide.md").write_text("guide\n")

    template_version(template, "v2.1.0", add_docs)
    project = generate(template, tmp_path / "p", version="v2.1.0")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    generated = json.loads(invoke(str(project), "--check", "--json", source=template)[1])
    assert generated["projects"][0]["from_version"] == "v2.1.0"

    template_version(template, "v2.2.0", lambda folder: shutil.rmtree(folder / "docs"))
    code, output = invoke(str(project), "--json", source=template)
    assert code == 0, output
    files = json.loads(output)["projects"][0]["files"]
    assert files == [
        {"path": ".copier-answers.yml", "action": "change"},
        {"path": "docs/old/guide.md", "action": "delete"},
    ]
    assert not (project / "docs").exists()
    assert git(project, "status", "--porcelain") == (
        " M .copier-answers.yml\n D docs/old/guide.md\n"
    )


def test_a_file_git_ignores_is_never_replaced(project: Path, template: Path) -> None:
    (project / ".gitignore").write_text(".env\n")
    git(project, "add", ".gitignore")
    git(project, "commit", "-qm", "ignore .env")
    (project / ".env").write_text("SECRET=mine\n")
    template_version(template, "v3.0.0", lambda f: (f / ".env").write_text("SECRET=\n"))
    code, output = invoke(str(project), source=template)
    assert code == ExitCode.CONFLICTS, output
    assert "  .env (conflict: you have this file (ignored by git); kept)" in output.splitlines()
    assert (project / ".env").read_text() == "SECRET=mine\n"


def test_a_template_version_with_a_symbolic_link_changes_nothing(
    project: Path, template: Path
) -> None:
    def add_link(folder: Path) -> None:
        (folder / "passwd").symlink_to("/etc/passwd")
        (folder.parent / "copier.yml").write_text(
            (folder.parent / "copier.yml").read_text() + "_preserve_symlinks: true\n"
        )

    template_version(template, "v3.0.0", add_link)
    before = tree_digest(project)
    code, output = invoke(str(project), source=template)
    assert code == ExitCode.ERROR
    assert output.endswith("; nothing was changed\n") and output.count("\n") == 1
    assert tree_digest(project) == before


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/passwd"])
@pytest.mark.parametrize("mode", [[], ["--check"], ["--dry-run"]])
def test_an_answers_file_that_is_a_link_is_refused(
    tmp_path: Path, template: Path, target: str, mode: list[str]
) -> None:
    project = tmp_path / "linked"
    project.mkdir()
    (project / ".copier-answers.yml").symlink_to(target)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "a link")
    code, output = invoke(str(project), *mode, source=template)
    assert (code, output) == (
        ExitCode.ERROR,
        "scaffold: error: .copier-answers.yml is a symbolic link; an answers file must be a file\n",
    )


def test_an_answers_file_over_its_size_bound_is_refused(tmp_path: Path, template: Path) -> None:
    project = answers_repo(tmp_path, template, padding="x" * (1024 * 1024))
    code, output = invoke(str(project), "--check", source=template)
    assert (code, output) == (
        ExitCode.ERROR,
        "scaffold: error: .copier-answers.yml is larger than 1 MiB\n",
    )


@pytest.mark.parametrize(
    "unsafe",
    [
        "_tasks:\n  - touch {marker}\n",
        "_migrations:\n  - version: v3.0.0\n    command: touch {marker}\n",
        "_jinja_extensions:\n  - jinja2.ext.do\n",
    ],
)
def test_a_template_version_that_would_run_code_is_refused(
    tmp_path: Path, project: Path, template: Path, unsafe: str
) -> None:
    marker = tmp_path / "marker"

    def add_unsafe(folder: Path) -> None:
        config = folder.parent / "copier.yml"
        config.write_text(config.read_text() + unsafe.format(marker=marker))

    template_version(template, "v3.0.0", add_unsafe)
    before = tree_digest(project)
    code, output = invoke(str(project), source=template)
    assert code == ExitCode.ERROR
    assert output.startswith("scaffold: error: ") and output.count("\n") == 1
    assert output.endswith("; nothing was changed\n")
    assert not marker.exists()
    assert tree_digest(project) == before


def test_a_conflict_keeps_the_three_versions_for_git_to_show(project: Path, template: Path) -> None:
    config = project / "config.toml"
    config.write_text(config.read_text().replace("line-length = 100", "line-length = 80"))
    git(project, "commit", "-qam", "our line length")
    assert invoke(str(project), source=template)[0] == ExitCode.CONFLICTS
    # The base, yours and the template's, each readable from your own repository.
    versions = [git(project, "show", f":{stage}:config.toml") for stage in (1, 2, 3)]
    assert [
        [line for line in text.splitlines() if line.startswith("line-length")] for text in versions
    ] == [["line-length = 100"], ["line-length = 80"], ["line-length = 120"]]


@pytest.mark.parametrize("kind", ["folder", "symbolic link"])
def test_something_ignored_where_the_template_adds_a_file_is_kept(
    project: Path, template: Path, kind: str
) -> None:
    (project / ".gitignore").write_text("CHANGELOG.md\n")
    commit_all(project, "ignore the changelog")
    changelog = project / "CHANGELOG.md"
    if kind == "folder":
        changelog.mkdir()
        (changelog / "notes.txt").write_text("mine\n")
    else:
        changelog.symlink_to("README.md")
    code, output = invoke(str(project), "--json", source=template)
    assert code == ExitCode.CONFLICTS, output
    payload = json.loads(output)
    assert payload["conflicts"] == ["CHANGELOG.md"]
    assert {
        "path": "CHANGELOG.md",
        "action": "conflict",
        "reason": "something of yours is in the way; kept",
    } in payload["projects"][0]["files"]
    assert changelog.is_symlink() or (changelog / "notes.txt").read_text() == "mine\n"


def test_the_modes_a_template_version_gives_are_applied(project: Path, template: Path) -> None:
    assert invoke(str(project), source=template)[0] == 0  # to v2.0.0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "v2")

    def add_executables(folder: Path) -> None:
        (folder / "run.sh").write_text("#!/bin/sh\n")
        (folder / "run.sh").chmod(0o755)
        (folder / "config.toml.jinja").chmod(0o755)

    template_version(template, "v3.0.0", add_executables)
    code, output = invoke(str(project), "--json", source=template)
    assert code == 0, output
    changed = {f["path"]: f["action"] for f in json.loads(output)["projects"][0]["files"]}
    assert (changed["run.sh"], changed["config.toml"]) == ("create", "change")
    assert (project / "run.sh").stat().st_mode & 0o777 == 0o755
    assert (project / "config.toml").stat().st_mode & 0o777 == 0o755
