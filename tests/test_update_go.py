"""`scaffold update` of a go project made from the last release's template.

Since that release (template version 0.2.0) the go template changed more than any other: its
items moved from memory to SQLite or PostgreSQL (a repository package, embedded migrations
run by goose, a `migrate` command), it gained CORS, security headers, an OpenAPI document,
a CI workflow, a pre-commit config and a compose file, and it ships a `go.sum`. A project
generated from the template as it was then (taken from this repository's history),
committed and edited by its user, must update to the template as it is now: the new files
arrive, the user's own code and edits are kept, and the result builds, vets and passes its
tests with the Go toolchain.
"""

from __future__ import annotations

import json
from pathlib import Path

import copier
import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from tests.ecosystems.go.toolchain import go_tools
from tests.helpers import commit_all, edit, git, run, template_history

#: The commit of the last release's templates (template version 0.2.0).
RELEASE_0_2_0 = "22fcb319184e13b97e13446273dde7de5f949fbb"
#: A file of the user's own, beside the template's handlers.
VERSION_GO = """package httpapi

// Version is the build's version, set by the release pipeline.
var Version = "dev"
"""

pytestmark = pytest.mark.slow


@pytest.fixture
def template_repo(tmp_path: Path) -> Path:
    """A template repository: v0.2.0 the release's template, v0.3.0 the template as it is now."""
    repo, released = template_history("go", RELEASE_0_2_0, ("v0.2.0", "v0.3.0"), tmp_path / "go")
    assert not list(released.rglob("*sqlstore*"))
    return repo


@pytest.fixture
def project(tmp_path: Path, template_repo: Path) -> Path:
    """A project generated at v0.2.0, committed, then edited by its user: a file of their own
    and a line in the README."""
    project = tmp_path / "inventory"
    copier.run_copy(
        str(template_repo),
        project,
        data={"project_name": "inventory"},
        vcs_ref="v0.2.0",
        defaults=True,
        quiet=True,
    )
    git(project, "init", "-q")
    commit_all(project, "generated")
    (project / "internal" / "httpapi" / "version.go").write_text(VERSION_GO)
    edit(
        project / "README.md",
        "## Layout\n",
        "Owned by the inventory team: #inventory on chat.\n\n## Layout\n",
    )
    commit_all(project, "our changes")
    return project


def test_the_update_from_the_release_brings_the_database_and_keeps_the_users_code(
    project: Path, template_repo: Path
) -> None:
    result = CliRunner().invoke(
        app, ["update", str(project), "--json", "--allow-source", str(template_repo)]
    )

    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)["projects"]
    assert (outcome["from_version"], outcome["to_version"]) == ("v0.2.0", "v0.3.0")
    assert outcome["conflicts"] == []
    for new_file in (
        "go.sum",
        "internal/storage/sqlstore/open.go",
        "internal/httpapi/openapi.json",
        ".github/workflows/ci.yml",
        "compose.yaml",
    ):
        assert new_file in outcome["changed"], new_file
        assert (project / new_file).is_file(), new_file
    assert "_commit: v0.3.0" in (project / ".copier-answers.yml").read_text()
    # The user's own file and README line are kept.
    assert (project / "internal" / "httpapi" / "version.go").read_text() == VERSION_GO
    assert (
        "Owned by the inventory team: #inventory on chat.\n" in (project / "README.md").read_text()
    )

    # The updated project is whole: it builds, vets and passes its tests.
    tools = go_tools()
    for command in (["build", "./..."], ["vet", "./..."], ["test", "./..."]):
        run([tools.go, *command], project, tools.env)
