"""Updating across scaffold releases, as users meet it (slow tier).

Release A of scaffold is built from a temporary repository tagged v1.0.0, a project is
generated with it and committed, and its user edits two files. The template then changes
(a new lint rule, a changed Dockerfile, a new file), release B is tagged v1.1.0 and built,
and installed in a fresh virtual environment with a fresh HOME, as on a machine that never
had release A. ``scaffold update`` must keep the user's edits, apply the template's changes,
and report the file both sides changed as a conflict.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from uv import find_uv_bin

from tests.helpers import REPO_ROOT, git, run, tree_digest

pytestmark = pytest.mark.slow

UV = find_uv_bin()


def source_copy(destination: Path) -> Path:
    """The checkout as it is now (tracked and new files), as a fresh git repository."""
    listed = git(REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", "scaffold")
    return destination


def release(source: Path, version: str, dist: Path) -> Path:
    init = source / "scaffold" / "__init__.py"
    text = init.read_text()
    start = text.index('__version__ = "') + len('__version__ = "')
    init.write_text(text[:start] + version + text[text.index('"', start) :])
    git(source, "commit", "-qam", f"release {version}")
    git(source, "tag", f"v{version}")
    run([UV, "build", "--quiet", "--wheel", "--out-dir", dist, source], cwd=source)
    (wheel,) = dist.glob(f"scaffold_conventions-{version}-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Path:
    run([UV, "venv", "--quiet", "--python", sys.executable, venv], cwd=venv.parent)
    run(
        [UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheel],
        cwd=venv.parent,
    )
    return venv / "bin"


def scaffold(bin_dir: Path, home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(
        [str(bin_dir / "scaffold"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def release_a(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the source, and the scaffold of its release 1.0.0, installed."""
    source = source_copy(tmp_path / "source")
    return source, install(release(source, "1.0.0", tmp_path / "dist-a"), tmp_path / "venv-a")


def folders(tmp_path: Path, *names: str) -> list[Path]:
    """New empty folders in ``tmp_path``."""
    made = [tmp_path / name for name in names]
    for folder in made:
        folder.mkdir()
    return made


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def test_update_across_releases_keeps_edits_and_reports_conflicts(tmp_path: Path) -> None:
    source, bin_a = release_a(tmp_path)
    home_a, work = folders(tmp_path, "home-a", "work")
    generated = scaffold(bin_a, home_a, work, "new", "python-fastapi", "svc", "--defaults")
    assert generated.returncode == 0, generated.stderr
    project = work / "svc"
    assert "_commit: v1.0.0" in (project / ".copier-answers.yml").read_text()
    # new made the repository and its first commit: update works from there.
    assert git(project, "log", "--format=%s") == "Initial commit (scaffold new python-fastapi)\n"

    # The user edits a line the template will also change, and a file it will not touch.
    edit(project / "pyproject.toml", '"SIM", "PTH", "TID",', '"SIM", "PTH", "TID", "PL",')
    edit(
        project / "app" / "main.py",
        '    """Build the application;',
        '    """Build our application;',
    )
    git(project, "commit", "-qam", "our changes")

    # Release B changes the template: a new lint rule, a changed Dockerfile, a new file.
    template = source / "templates" / "python-fastapi" / "template"
    edit(template / "pyproject.toml.jinja", '"SIM", "PTH", "TID",', '"SIM", "PTH", "TID", "ERA",')
    edit(template / "Dockerfile.jinja", "EXPOSE 8000", "EXPOSE 8000\nSTOPSIGNAL SIGTERM")
    (template / "CONTRIBUTING.md").write_text("# Contributing\n")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "template changes")
    bin_b = install(release(source, "1.1.0", tmp_path / "dist-b"), tmp_path / "venv-b")
    home_b = tmp_path / "home-b"  # a machine that never had release A
    home_b.mkdir()

    check = scaffold(bin_b, home_b, project, "update", "--check")
    assert (check.returncode, check.stdout) == (3, ".: can update from v1.0.0 to v1.1.0\n")

    before = tree_digest(project)
    dry = scaffold(bin_b, home_b, project, "update", "--dry-run")
    assert dry.returncode == 3, dry.stderr
    assert "pyproject.toml (conflict)" in dry.stdout
    assert tree_digest(project) == before

    updated = scaffold(bin_b, home_b, project, "update")
    assert updated.returncode == 4, updated.stderr
    assert updated.stdout.endswith(
        "Conflicts left for you to resolve, then commit:\n  pyproject.toml\n"
    )
    pyproject = (project / "pyproject.toml").read_text()
    assert "<<<<<<< before updating" in pyproject
    assert '"PL",' in pyproject and '"ERA",' in pyproject
    assert "STOPSIGNAL SIGTERM" in (project / "Dockerfile").read_text()
    assert (project / "CONTRIBUTING.md").read_text() == "# Contributing\n"
    assert '"""Build our application;' in (project / "app" / "main.py").read_text()
    assert "UU pyproject.toml" in git(project, "status", "--porcelain")

    # Resolved and committed, the project is up to date.
    edit(
        project / "pyproject.toml",
        pyproject[pyproject.index("<<<<<<<") : pyproject.index(">>>>>>> after updating") + 23],
        '    "SIM", "PTH", "TID", "PL", "ERA",\n',
    )
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update to 1.1.0")
    check = scaffold(bin_b, home_b, project, "update", "--check")
    assert (check.returncode, check.stdout) == (0, ".: up to date (v1.1.0)\n")


def test_plain_copier_update_works_from_the_recorded_source(tmp_path: Path) -> None:
    source, bin_a = release_a(tmp_path)
    home, work = folders(tmp_path, "home", "work")
    assert scaffold(bin_a, home, work, "new", "python-fastapi", "svc", "--defaults").returncode == 0
    project = work / "svc"
    assert git(project, "status", "--porcelain") == ""  # committed by new

    (source / "templates" / "python-fastapi" / "template" / "CONTRIBUTING.md").write_text("# C\n")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "template changes")
    bin_b = install(release(source, "1.1.0", tmp_path / "dist-b"), tmp_path / "venv-b")
    # Release B installs its template history when it first runs.
    assert (
        scaffold(bin_b, home, work, "new", "python-fastapi", "other", "--defaults").returncode == 0
    )

    env = {**os.environ, "HOME": str(home)}
    proc = subprocess.run(
        [str(bin_b / "copier"), "update", "--defaults", "--quiet"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (project / "CONTRIBUTING.md").read_text() == "# C\n"
    assert "_commit: v1.1.0" in (project / ".copier-answers.yml").read_text()


ADOPTED_PYPROJECT = """\
# Our service.
[project]
name = "legacy-api"
version = "2.3.0"
requires-python = ">=3.11"
dependencies = ["fastapi>=0.110"]
"""


def test_an_adopted_project_updates_from_its_recorded_baseline(tmp_path: Path) -> None:
    source, bin_a = release_a(tmp_path)
    home_a, project = folders(tmp_path, "home-a", "legacy-api")
    (project / "pyproject.toml").write_text(ADOPTED_PYPROJECT)
    (project / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "our code")
    adopted = scaffold(bin_a, home_a, project, "adopt", "--yes")
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    assert "_commit: v1.0.0" in (project / ".copier-answers.yml").read_text()
    git(project, "add", "-A")
    git(project, "commit", "-qm", "adopted")

    # Release B changes a managed config: one more lint rule for adopted projects.
    edit(
        source / "templates" / "python-fastapi" / "template" / "pyproject.toml.jinja",
        'select = ["E", "W", "F", "I", "B", "UP", "C4", "SIM"]',
        'select = ["E", "W", "F", "I", "B", "UP", "C4", "SIM", "RUF"]',
    )
    git(source, "commit", "-qam", "template changes")
    bin_b = install(release(source, "1.1.0", tmp_path / "dist-b"), tmp_path / "venv-b")
    home_b = tmp_path / "home-b"
    home_b.mkdir()

    check = scaffold(bin_b, home_b, project, "update", "--check")
    assert (check.returncode, check.stdout) == (3, ".: can update from v1.0.0 to v1.1.0\n")
    updated = scaffold(bin_b, home_b, project, "update")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    pyproject = (project / "pyproject.toml").read_text()
    assert pyproject.startswith(ADOPTED_PYPROJECT)
    assert '"SIM", "RUF"]' in pyproject
    assert (project / "main.py").read_text() == "from fastapi import FastAPI\n\napp = FastAPI()\n"
    # Only the managed files changed; nothing of the template's application was added.
    assert sorted(git(project, "status", "--porcelain").splitlines()) == [
        " M .copier-answers.yml",
        " M pyproject.toml",
    ]
