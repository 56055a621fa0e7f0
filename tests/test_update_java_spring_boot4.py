"""`scaffold update` of a java-spring project made before the move to Spring Boot 4.

The java-spring template changed most when its defaults moved to Spring Boot 4 and Java 25:
new starters, Jackson 3 and Boot's new packages in the code, a new google-java-format. A project
generated from the template as it was before (taken from this repository's history), committed
and then edited by its user, must update to the template as it is now: the template's changes
applied, the user's edits and answers kept, a line both sides changed left as a conflict.
"""

from __future__ import annotations

from pathlib import Path

import copier
import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode
from tests.helpers import edit, git, template_history

# The last commit of the java-spring template on Spring Boot 3.5 and Java 17.
BEFORE_BOOT_4 = "2da51aa6ea5ffefa96bb61a5441bee5548e9baf2"
PACKAGE = Path("src/main/java/org/acme/inventory")


@pytest.fixture
def template_repo(tmp_path: Path) -> Path:
    """A template repository: v1.0.0 before Spring Boot 4, v2.0.0 the template as it is now."""
    repo, before = template_history(
        "java-spring", BEFORE_BOOT_4, ("v1.0.0", "v2.0.0"), tmp_path / "java-spring"
    )
    assert "<version>3.5.7</version>" in (before / "template" / "pom.xml.jinja").read_text()
    return repo


@pytest.fixture
def project(tmp_path: Path, template_repo: Path) -> Path:
    """A project generated at v1.0.0 with its defaults, committed, then edited by its user:
    a dependency of their own, a setting, and a change to the generated code."""
    project = tmp_path / "inventory"
    copier.run_copy(
        str(template_repo),
        project,
        data={"project_name": "inventory", "group_id": "org.acme"},
        vcs_ref="v1.0.0",
        defaults=True,
        quiet=True,
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    edit(
        project / "pom.xml",
        "    <dependency>\n      <groupId>com.h2database</groupId>",
        "    <dependency>\n      <groupId>org.acme</groupId>\n"
        "      <artifactId>billing-client</artifactId>\n      <version>1.4.0</version>\n"
        "    </dependency>\n    <dependency>\n      <groupId>com.h2database</groupId>",
    )
    edit(
        project / "src/main/resources/application.yml",
        "    banner-mode: off\n",
        "    banner-mode: off\n  threads:\n    virtual:\n      enabled: true\n",
    )
    edit(
        project / PACKAGE / "items/ItemService.java",
        "public class ItemService {",
        "public class ItemService { // Our billing rules live in billing-client.",
    )
    git(project, "commit", "-qam", "our changes")
    return project


def update(project: Path, source: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["update", str(project), *args, "--allow-source", str(source)])
    return result.exit_code, result.output


def test_the_update_to_boot_4_keeps_the_users_edits_and_answers(
    project: Path, template_repo: Path
) -> None:
    code, output = update(project, template_repo)
    assert code == 0, output
    assert output.splitlines()[0].startswith(".: updated from v1.0.0 to v2.0.0, ")

    pom = (project / "pom.xml").read_text()
    assert (
        "<artifactId>spring-boot-starter-parent</artifactId>\n    <version>4.1.2</version>" in pom
    )
    assert "<artifactId>spring-boot-starter-flyway</artifactId>" in pom
    assert "<artifactId>spring-boot-starter-webmvc-test</artifactId>" in pom
    assert "<artifactId>billing-client</artifactId>\n      <version>1.4.0</version>" in pom
    # The project keeps the Java release it was generated for (17, a choice Boot 4 keeps),
    # with the google-java-format that runs on it and the profile for newer JDKs.
    assert "<java.version>17</java.version>" in pom
    assert "<google-java-format.version>1.28.0</google-java-format.version>" in pom
    assert "<jdk>[21,)</jdk>" in pom
    assert "java_version: '17'" in (project / ".copier-answers.yml").read_text()
    assert "_commit: v2.0.0" in (project / ".copier-answers.yml").read_text()

    jackson = (project / PACKAGE / "web/JacksonConfig.java").read_text()
    assert "import tools.jackson.databind.cfg.CoercionAction;" in jackson
    assert "com.fasterxml" not in jackson
    assert (
        "HttpStatus.UNPROCESSABLE_CONTENT" in (project / PACKAGE / "web/ErrorCode.java").read_text()
    )
    assert (
        "threads:\n    virtual:\n      enabled: true\n"
        in (project / "src/main/resources/application.yml").read_text()
    )
    assert (
        "public class ItemService { // Our billing rules live in billing-client."
        in (project / PACKAGE / "items/ItemService.java").read_text()
    )
    assert "UU" not in git(project, "status", "--porcelain")


def test_a_parent_version_the_user_changed_too_is_a_conflict(
    project: Path, template_repo: Path
) -> None:
    edit(project / "pom.xml", "<version>3.5.7</version>", "<version>3.5.9</version>")
    git(project, "commit", "-qam", "our Spring Boot patch release")
    code, output = update(project, template_repo)
    assert code == ExitCode.CONFLICTS, output
    assert output.endswith("Conflicts left for you to resolve, then commit:\n  pom.xml\n")
    pom = (project / "pom.xml").read_text()
    assert "<<<<<<< before updating" in pom
    assert "<version>3.5.9</version>" in pom and "<version>4.1.2</version>" in pom
    assert "<artifactId>billing-client</artifactId>" in pom
    assert "UU pom.xml" in git(project, "status", "--porcelain")
