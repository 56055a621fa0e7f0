"""An answers file never holds a path of the machine it was made on: from a source checkout
(this one, as the tests run) or an editable install, `new` and `adopt` record the same
home-relative template source and version tag a wheel records, and `update` works."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold import __version__
from scaffold.cli import app
from scaffold.history import install_folder_history, version_tag
from scaffold.templates import TemplateSource
from tests.helpers import adopt, commit_all, fastapi_service, git, write_files

TAG = version_tag(__version__)


def machine_paths(tree: Path) -> list[str]:
    """``grep -r '_src_path: /'`` over ``tree``: the answers files that name a machine path."""
    found = subprocess.run(
        ["grep", "-rl", "--exclude-dir=.git", "_src_path: /", str(tree)],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.splitlines()


def update_check(project: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["update", str(project), "--check"])
    return result.exit_code, result.output


@pytest.mark.parametrize("stack", ["rust", "python-fastapi"])
def test_new_records_the_portable_source_and_update_finds_it(tmp_path: Path, stack: str) -> None:
    project = tmp_path / "svc"
    result = CliRunner().invoke(app, ["new", stack, str(project), "--defaults"])
    assert result.exit_code == 0, result.output
    answers = (project / ".copier-answers.yml").read_text().splitlines()
    assert f"_src_path: ~/.local/share/scaffold/templates/{stack}" in answers
    assert f"_commit: {TAG}" in answers
    assert machine_paths(project) == []
    assert update_check(project) == (0, f".: up to date ({TAG})\n")


def test_adopt_records_the_portable_source_and_update_finds_it(tmp_path: Path) -> None:
    repo = fastapi_service(tmp_path / "repo")
    crate = {"Cargo.toml": '[package]\nname = "core"\nedition = "2021"\n', "src/lib.rs": ""}
    write_files(repo / "crates" / "core", crate)
    commit_all(repo, "a crate")
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    answers = sorted(p.relative_to(repo).as_posix() for p in repo.rglob(".copier-answers.yml"))
    assert answers == [".copier-answers.yml", "crates/core/.copier-answers.yml"]
    assert machine_paths(repo) == []
    assert "_src_path: ~/.local/share/scaffold/templates/rust" in (
        (repo / "crates/core/.copier-answers.yml").read_text()
    )
    commit_all(repo, "adopted")
    code, output = update_check(repo)
    assert (code, sorted(output.splitlines())) == (
        0,
        [f".: up to date ({TAG})", f"crates/core: up to date ({TAG})"],
    )


def template_folder(root: Path, greeting: str) -> Path:
    folder = root / "template-src"
    (folder / "template").mkdir(parents=True, exist_ok=True)
    (folder / "copier.yml").write_text("name:\n  type: str\n  default: x\n")
    # Line endings and attributes as the template has them: kept byte for byte.
    (folder / "template" / "hello.txt.jinja").write_bytes(f"{greeting}\r\n".encode())
    (folder / "template" / ".gitattributes").write_text("* text=auto eol=lf\n")
    (folder / "run.sh").write_text("#!/bin/sh\n")
    (folder / "run.sh").chmod(0o755)
    return folder


def tag_content(stack: str, tag: str, name: str) -> bytes:
    repo = Path(f"~/.local/share/scaffold/templates/{stack}").expanduser()
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"{tag}:{name}"], capture_output=True, check=True
    ).stdout


def test_a_template_folder_gets_the_versions_tag_then_one_per_edit(tmp_path: Path) -> None:
    folder = template_folder(tmp_path, "hello")
    assert install_folder_history(None, folder, "toy", "1.2.0") == (
        "~/.local/share/scaffold/templates/toy",
        "v1.2.0",
    )
    assert tag_content("toy", "v1.2.0", "template/hello.txt.jinja") == b"hello\r\n"
    # The same files again: the same tag, nothing added.
    assert install_folder_history(None, folder, "toy", "1.2.0")[1] == "v1.2.0"

    # Edited since: v1.2.0 keeps what projects made from it were made from.
    template_folder(tmp_path, "howdy")
    _, edited = install_folder_history(None, folder, "toy", "1.2.0")
    assert edited.startswith("v1.2.0+") and len(edited) == len("v1.2.0+") + 12
    assert tag_content("toy", "v1.2.0", "template/hello.txt.jinja") == b"hello\r\n"
    assert tag_content("toy", edited, "template/hello.txt.jinja") == b"howdy\r\n"
    store = Path("~/.local/share/scaffold/templates/toy").expanduser()
    assert git(store, "ls-tree", edited, "run.sh").split()[0] == "100755"
    assert git(store, "rev-parse", "main") == git(store, "rev-parse", f"{edited}^{{commit}}")
    assert install_folder_history(None, folder, "toy", "1.2.0")[1] == edited


@pytest.mark.parametrize("stack", ["go", "django"])
def test_the_folder_renders_what_its_tag_in_the_history_renders(stack: str) -> None:
    from scaffold.render import render_template
    from scaffold.templates import get_stack, template_source

    source = template_source(get_stack(stack))
    assert source.src_path == str(get_stack(stack).template)  # copier reads the folder
    assert source.recorded == (f"~/.local/share/scaffold/templates/{stack}", TAG)
    tagged = TemplateSource(*source.recorded)  # what a wheel gives copier
    with render_template(source, {}) as from_folder, render_template(tagged, {}) as from_tag:
        assert from_folder.files == from_tag.files


def test_a_folder_seen_before_is_not_hashed_again_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaffold import history_tags

    monkeypatch.setattr(history_tags, "SETTLED_SECONDS", -60.0)  # every file counts as settled
    folder = template_folder(tmp_path, "hello")
    store = Path("~/.local/share/scaffold/templates/toy").expanduser()
    assert install_folder_history(None, folder, "toy", "1.2.0")[1] == "v1.2.0"
    (memo,) = (store / ".git" / "scaffold-folder-tags").iterdir()
    assert memo.read_text() == "v1.2.0\n"
    assert install_folder_history(None, folder, "toy", "1.2.0")[1] == "v1.2.0"

    # The tag the memo names is gone: the folder is committed and tagged again.
    git(store, "tag", "-d", "v1.2.0")
    assert install_folder_history(None, folder, "toy", "1.2.0")[1] == "v1.2.0"
    assert tag_content("toy", "v1.2.0", "template/hello.txt.jinja") == b"hello\r\n"

    # A memo that names something else than a tag is not followed.
    memo.write_text("../../../etc\n")
    assert install_folder_history(None, folder, "toy", "1.2.0")[1] == "v1.2.0"
    assert memo.read_text() == "v1.2.0\n"

    # An edit of the same size is seen by its modification time.
    hello = folder / "template" / "hello.txt.jinja"
    before = hello.stat().st_mtime_ns
    template_folder(tmp_path, "howdy")
    os.utime(hello, ns=(before + 1_000_000, before + 1_000_000))
    _, edited = install_folder_history(None, folder, "toy", "1.2.0")
    assert edited.startswith("v1.2.0+")
    assert tag_content("toy", edited, "template/hello.txt.jinja") == b"howdy\r\n"


def test_a_folder_changed_a_moment_ago_is_hashed_every_time(tmp_path: Path) -> None:
    # Within the clock's granularity an edit may keep the modification time: not remembered.
    folder = template_folder(tmp_path, "hello")
    assert install_folder_history(None, folder, "toy", "1.2.0")[1] == "v1.2.0"
    store = Path("~/.local/share/scaffold/templates/toy").expanduser()
    assert not (store / ".git" / "scaffold-folder-tags").exists()


def test_an_answers_file_naming_the_template_folder_updates_from_the_history(
    tmp_path: Path,
) -> None:
    """A source checkout's answers files used to record the template folder's absolute path,
    which git cannot read as a repository: update reads the same versions from the per-user
    history instead, and the answers file it updates records that portable source."""
    from scaffold.templates import get_stack

    stack = "python-fastapi"
    folder = get_stack(stack).template
    project = tmp_path / "svc"
    made = CliRunner().invoke(app, ["new", stack, str(project), "--defaults", "--no-lock"])
    assert made.exit_code == 0, made.output
    answers_file = project / ".copier-answers.yml"
    portable = f"_src_path: ~/.local/share/scaffold/templates/{stack}"
    answers_file.write_text(answers_file.read_text().replace(portable, f"_src_path: {folder}"))
    git(project, "commit", "-qam", "answers as an older scaffold recorded them")
    assert machine_paths(project) == [str(answers_file)]
    assert update_check(project) == (0, f".: up to date ({TAG})\n")

    # A newer version of the template, in the same history.
    newer_folder = tmp_path / "newer" / stack
    shutil.copytree(folder, newer_folder)
    (newer_folder / "template" / "CONTRIBUTING.md").write_text("# Contributing\n")
    _, newer = install_folder_history(None, newer_folder, stack, __version__)
    assert update_check(project) == (3, f".: can update from {TAG} to {newer}\n")
    updated = CliRunner().invoke(app, ["update", str(project), "--no-lock"])
    assert updated.exit_code == 0, updated.output
    assert (project / "CONTRIBUTING.md").read_text() == "# Contributing\n"
    assert machine_paths(project) == []
    answers = answers_file.read_text().splitlines()
    assert portable in answers
    assert f"_commit: {newer}" in answers
