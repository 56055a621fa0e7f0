"""`scaffold update` of a python-fastapi project made from the last release's template.

Since that release (template version 0.2.0) the FastAPI template changed most of all: a CI
workflow, a pre-commit config and a compose file, production defaults (a secret key required
outside development, registration closed, rate limits on logins), and a Dockerfile that
installs from ``uv.lock``, which ``scaffold new`` now makes. A project generated from the
template as it was then (taken from this repository's history), committed and edited by its
user, must update to the template as it is now: the new files arrive, the user's edits are
kept, a line both sides changed is left as a conflict, and the lockfile the Dockerfile now
copies is made with the update (uv from the test environment, against the real registry).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import copier
import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode
from tests.helpers import edit, git, run, template_history

#: The commit of the last release's templates (template version 0.2.0).
RELEASE_0_2_0 = "22fcb319184e13b97e13446273dde7de5f949fbb"
ROUTE = Path("app/api/v1/auth.py")

pytestmark = pytest.mark.slow


@pytest.fixture
def template_repo(tmp_path: Path) -> Path:
    """A template repository: v0.2.0 the release's template, v0.3.0 the template as it is now."""
    repo, released = template_history(
        "python-fastapi", RELEASE_0_2_0, ("v0.2.0", "v0.3.0"), tmp_path / "python-fastapi"
    )
    assert "lockfile:" not in (released / "copier.yml").read_text()
    return repo


@pytest.fixture
def project(tmp_path: Path, template_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project generated at v0.2.0 with JWT auth, committed, then edited by its user: a
    route, the README, a dependency of their own, and the Dockerfile's COPY of the files
    the build needs (a line the template changed too)."""
    monkeypatch.delenv("SCAFFOLD_NO_LOCK")
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    project = tmp_path / "inventory"
    copier.run_copy(
        str(template_repo),
        project,
        data={"project_name": "inventory", "auth": "jwt"},
        vcs_ref="v0.2.0",
        defaults=True,
        quiet=True,
    )
    assert not (project / "uv.lock").exists()
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    edit(
        project / ROUTE,
        '@router.get("/me")\ndef me(user: CurrentUser) -> UserRead:\n',
        '@router.get("/me")\ndef me(user: CurrentUser) -> UserRead:\n'
        '    """The account of the bearer token (our clients call it on start-up)."""\n',
    )
    edit(
        project / "README.md",
        "## Layout\n",
        "Owned by the inventory team: #inventory on chat.\n\n## Layout\n",
    )
    edit(
        project / "pyproject.toml",
        '    "fastapi>=0.115",\n',
        '    "fastapi>=0.115",\n    "orjson>=3.10",\n',
    )
    edit(
        project / "Dockerfile",
        "COPY pyproject.toml uv.lock* README.md ./",
        "COPY pyproject.toml uv.lock* README.md LICENSE ./",
    )
    git(project, "commit", "-qam", "our changes")
    return project


def test_the_update_from_the_release_brings_the_new_files_keeps_edits_and_makes_the_lockfile(
    project: Path, template_repo: Path
) -> None:
    result = CliRunner().invoke(
        app, ["update", str(project), "--json", "--allow-source", str(template_repo)]
    )
    assert result.exit_code == ExitCode.CONFLICTS, result.output
    (outcome,) = json.loads(result.stdout)["projects"]
    assert (outcome["from_version"], outcome["to_version"]) == ("v0.2.0", "v0.3.0")
    assert outcome["conflicts"] == ["Dockerfile"]
    assert outcome["lockfile"] == {
        "status": "created", "path": "uv.lock", "command": "uv lock", "reason": None,
    }  # fmt: skip

    # The new files arrive.
    for new_file in (".github/workflows/ci.yml", ".pre-commit-config.yaml", "compose.yaml"):
        assert new_file in outcome["changed"], new_file
        assert (project / new_file).is_file(), new_file
    assert "uv.lock" in outcome["changed"]
    assert "_commit: v0.3.0" in (project / ".copier-answers.yml").read_text()

    # The lockfile pins the user's own dependency with the template's.
    lock = (project / "uv.lock").read_text()
    assert 'name = "inventory"' in lock
    assert 'name = "orjson"' in lock and 'name = "fastapi"' in lock
    uv = shutil.which("uv")
    assert uv is not None
    run([uv, "lock", "--check"], cwd=project)  # it matches the merged pyproject.toml

    # The user's edits are kept, merged with the template's changes to the same files.
    route = (project / ROUTE).read_text()
    assert '    """The account of the bearer token (our clients call it on start-up)."""' in route
    assert "limit_auth_attempts" in route
    readme = (project / "README.md").read_text()
    assert "Owned by the inventory team: #inventory on chat.\n\n## Layout\n" in readme
    assert "## CI and local checks" in readme
    assert '    "orjson>=3.10",\n' in (project / "pyproject.toml").read_text()

    # The line both sides changed is a conflict, in the file and in git's index; the rest of
    # the Dockerfile has the template's frozen installs.
    dockerfile = (project / "Dockerfile").read_text()
    assert "<<<<<<< before updating" in dockerfile
    assert "COPY pyproject.toml uv.lock* README.md LICENSE ./" in dockerfile
    assert "COPY pyproject.toml uv.lock README.md ./" in dockerfile
    assert "uv sync --frozen --no-dev --no-install-project" in dockerfile
    status = git(project, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert "UU Dockerfile" in status
    assert "?? uv.lock" in status
