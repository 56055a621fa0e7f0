"""The java-spring template: what only it has, through the CLI (fast), and accepted by its
own toolchain (slow tier); what every stack does is in tests/test_stack_contract.py.

The slow tests generate one project, run the commands its AGENTS.md lists (``./mvnw -q
verify``: compile with warnings as errors, the project's own tests, the Spotless check),
build the jar and use it over HTTP, on the embedded H2 database and on PostgreSQL
(``SCAFFOLD_TEST_POSTGRES_URL`` when set, else a server started by ``.ci/start-postgres``).
Maven keeps its downloads where it always does, so only a first run downloads: the
wrapper's Maven distribution under MAVEN_USER_HOME, which the conftest keeps at the real
``~/.m2``, and the artifacts in the real user's ``~/.m2/repository`` (Maven finds it through
Java's ``user.home``, which comes from the password database, not from HOME).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import copier
import pytest
from ruamel.yaml import YAML

from scaffold.commands.new import new_project
from scaffold.conventions import default_agent_path, load_conventions
from scaffold.templates import get_stack, load_template
from tests.ecosystems import service
from tests.ecosystems.jvm.stacks import expected_files
from tests.ecosystems.jvm.toolchain import Java, java_toolchain
from tests.helpers import (
    agents_commands,
    assert_contains,
    exit_and_output,
    files_under,
    planned,
    recorded_answers,
    rendered,
    run,
)

TEMPLATE = get_stack("java-spring").template

# --- fast: through the command line ----------------------------------------------------


def test_dry_run_puts_the_code_under_the_package_from_group_and_artifact(tmp_path: Path) -> None:
    target = tmp_path / "stock"
    options = ("group_id=io.github.acme", "artifact_id=stock-keeper-2")
    payload = planned("java-spring", str(target), data=options)
    assert payload["answers"]["package_name"] == "io.github.acme.stockkeeper2"
    assert {f["path"] for f in payload["files"]} == expected_files("io.github.acme.stockkeeper2")
    assert not target.exists()


def test_defaults_and_data_are_rendered(tmp_path: Path) -> None:
    target = tmp_path / "billing"
    rendered(
        target, "java-spring", expected_files("org.acme.billing"),
        "group_id=org.acme", "artifact_id=billing-api", "package_name=org.acme.billing",
        "java_version=21", "database=postgresql",
        'description=Bills "and" <invoices> & more', "author=Ada <ada@example.com>",
    )  # fmt: skip

    pom = assert_contains(
        target / "pom.xml",
        "<groupId>org.acme</groupId>\n  <artifactId>billing-api</artifactId>",
        "<java.version>21</java.version>",
        "<description>Bills &#34;and&#34; &lt;invoices&gt; &amp; more</description>",
        "<name>Ada &lt;ada@example.com&gt;</name>",
    )
    assert (
        "<artifactId>spring-boot-starter-parent</artifactId>\n    <version>4.1.2</version>" in pom
    )
    assert "<artifactId>spotless-maven-plugin</artifactId>" in pom
    assert "<goal>check</goal>" in pom

    main = (target / "src/main/java/org/acme/billing/Application.java").read_text()
    assert main.startswith("package org.acme.billing;\n")
    service = (target / "src/main/java/org/acme/billing/items/ItemService.java").read_text()
    assert "import org.acme.billing.web.ApiException;\n" in service

    settings = YAML(typ="safe", pure=True).load_all(
        (target / "src/main/resources/application.yml").read_text()
    )
    base, h2, postgresql, container = list(settings)
    assert base["spring"]["profiles"]["default"] == "postgresql"
    assert base["spring"]["application"]["name"] == "billing-api"
    assert base["server"] == {
        "address": "${HOST:127.0.0.1}",
        "port": "${PORT:8080}",
        "shutdown": "graceful",
        "error": {"whitelabel": {"enabled": False}},
    }
    # Readiness off for SHUTDOWN_DELAY, then a drain of SHUTDOWN_TIMEOUT at most.
    assert base["shutdown"] == {"delay": "${SHUTDOWN_DELAY:0}"}
    assert base["spring"]["lifecycle"] == {"timeout-per-shutdown-phase": "${SHUTDOWN_TIMEOUT:10}s"}
    assert (
        h2["spring"]["datasource"]["url"]
        == "${DATABASE_URL:jdbc:h2:mem:billing_api;DB_CLOSE_DELAY=-1}"
    )
    assert (
        postgresql["spring"]["datasource"]["url"]
        == "${DATABASE_URL:jdbc:postgresql://localhost:5432/billing_api}"
    )
    # The image's profile: DATABASE_URL or nothing, never an embedded database.
    assert container["spring"]["config"]["activate"]["on-profile"] == "container"
    assert container["spring"]["datasource"] == {
        "url": "${DATABASE_URL:}",
        "username": "${DATABASE_USERNAME:billing_api}",
        "password": "${DATABASE_PASSWORD:}",
        "embedded-database-connection": "none",
    }

    assert_contains(
        target / "Dockerfile",
        "FROM eclipse-temurin:21-jdk AS build",
        "FROM gcr.io/distroless/java21-debian12:nonroot",
        "USER nonroot:nonroot",
        "cp target/billing-api.jar /tmp/app.jar",
        "SPRING_PROFILES_ACTIVE=container",
    )

    readme = (target / "README.md").read_text()
    assert readme.startswith('# billing\n\nBills "and" <invoices> & more\n')
    assert "Author: Ada <ada@example.com>" in readme
    assert "`src/main/java/org/acme/billing/items/`" in readme
    assert_contains(
        target / "AGENTS.md",
        "`src/main/java/org/acme/billing/items/`",
        "`src/main/resources/db/migration/`",
    )
    assert agents_commands(target) == [["./mvnw", "-q", "verify"]]

    answers = recorded_answers(target)
    recorded = YAML(typ="safe", pure=True).load(answers)
    assert {k: recorded[k] for k in ("group_id", "artifact_id", "package_name")} == {
        "group_id": "org.acme",
        "artifact_id": "billing-api",
        "package_name": "org.acme.billing",
    }
    assert (recorded["java_version"], recorded["database"]) == ("21", "postgresql")


def test_without_an_author_there_is_no_author_line(tmp_path: Path) -> None:
    new_project("java-spring", tmp_path / "svc", {})
    assert "Author:" not in (tmp_path / "svc" / "README.md").read_text()
    assert "<developers>" not in (tmp_path / "svc" / "pom.xml").read_text()


def test_the_maven_wrapper_is_executable_and_fetches_maven_from_central(tmp_path: Path) -> None:
    # In the template itself, through scaffold, and through plain copier.
    assert os.access(TEMPLATE / "template" / "mvnw", os.X_OK)
    scaffolded = tmp_path / "scaffolded"
    new_project("java-spring", scaffolded, {})
    plain = tmp_path / "plain"
    copier.run_copy(str(TEMPLATE), plain, data={"project_name": "plain"}, defaults=True, quiet=True)
    for project in (scaffolded, plain):
        mode = stat.S_IMODE((project / "mvnw").stat().st_mode)
        assert mode & 0o111 == 0o111, oct(mode)
        assert (project / "mvnw").read_text().startswith("#!/bin/sh\n")
        assert not os.access(project / "mvnw.cmd", os.X_OK)
        assert b"\r\n" in (project / "mvnw.cmd").read_bytes()

    properties = dict(
        line.split("=", 1)
        for line in (scaffolded / ".mvn/wrapper/maven-wrapper.properties").read_text().splitlines()
        if "=" in line
    )
    assert re.fullmatch(
        r"https://repo\.maven\.apache\.org/maven2/org/apache/maven/apache-maven/"
        r"3\.9\.\d+/apache-maven-3\.9\.\d+-bin\.zip",
        properties["distributionUrl"],
    )
    assert properties["distributionType"] == "only-script"


def java_imports(text: str) -> tuple[list[str], list[str], str]:
    """The static and plain imported names of a Java file, and its import section as written."""
    lines = text.splitlines()
    numbers = [i for i, line in enumerate(lines) if line.startswith("import ")]
    if not numbers:
        return [], [], ""
    section = "\n".join(lines[numbers[0] : numbers[-1] + 1])
    static = [
        line[len("import static ") : -1] for line in lines if line.startswith("import static ")
    ]
    plain = [
        line[len("import ") : -1]
        for line in lines
        if line.startswith("import ") and not line.startswith("import static ")
    ]
    return static, plain, section


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"group_id": "org.acme", "artifact_id": "stock-keeper"},
        {"package_name": "a.b"},
        {"package_name": "zz.top.inventory"},
        {"package_name": "jakarta_x.app"},
        {"group_id": "net.example.z9", "package_name": "net.example.z9.svc_2"},
    ],
)
def test_every_java_file_is_laid_out_as_google_java_format_wants_it(
    tmp_path: Path, answers: dict[str, str]
) -> None:
    """Whatever the package, the files sit in its folders and their imports stay sorted, so
    that the Spotless check of the generated project passes."""
    project = tmp_path / "svc"
    result = new_project("java-spring", project, answers)
    package = result.answers["package_name"]
    assert files_under(project) == expected_files(package)
    for path in project.rglob("*.java"):
        text = path.read_text()
        assert "{{" not in text and "{%" not in text, path
        root = project / (
            "src/main/java" if "src/main/java" in path.as_posix() else "src/test/java"
        )
        folder_package = path.parent.relative_to(root).as_posix().replace("/", ".")
        assert text.startswith(f"package {folder_package};\n\n"), path
        static, plain, section = java_imports(text)
        # google-java-format: static imports first, then the others, each block sorted
        # (by code point), one blank line between the blocks and none inside them.
        blocks = [block for block in (static, plain) if block]
        expected = "\n\n".join(
            "\n".join(
                f"import {'static ' if block is static else ''}{name};" for name in sorted(block)
            )
            for block in blocks
        )
        assert section == expected, path
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.startswith(("import ", "package ")):
                assert len(line) <= 100, f"{path}:{number}"


# --- fast: refused answers -------------------------------------------------------------


def test_the_questions_and_their_choices() -> None:
    spec = load_template(TEMPLATE)
    assert list(spec.questions) == [
        "project_name", "description", "author", "group_id", "artifact_id", "package_name",
        "java_version", "database", "adopted", "indent_style", "indent_width",
    ]  # fmt: skip
    # Stricter than the rule shared by every stack: the bool is validated too.
    assert all(q.validator or q.choices for q in spec.questions.values())
    # Only 17, 21 and 25 for a new project; an adopted one may declare another release, so a
    # validator decides rather than a fixed list of choices.
    assert spec.questions["java_version"].choices == ()
    assert spec.questions["database"].choices == ("h2", "postgresql")


def test_the_conventions_line_needs_no_layout_questions(tmp_path: Path) -> None:
    """The Java/Spring line names one folder, src/main/java/<group path>/, which the package
    answers: the template declares no layout block, and AGENTS.md says where code goes."""
    spec = load_template(TEMPLATE)
    assert "layout" not in spec.metadata
    convention = load_conventions().for_template("java-spring")
    assert convention is not None
    assert tuple(convention.folders) == ("src/main/java/<group path>",)
    project = tmp_path / "svc"
    new_project("java-spring", project, {"group_id": "org.acme"})
    assert_contains(
        project / "AGENTS.md",
        "All the code lives under the root package `org.acme.svc`",
        "| `src/main/java/org/acme/svc/<feature>/` |",
    )


# --- slow: the generated project's own toolchain ---------------------------------------


@dataclass(frozen=True)
class Built:
    project: Path
    java: Java
    jar: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One project, generated with a group that sorts among the libraries' imports, passed
    through every command of its AGENTS.md, then packaged."""
    java = java_toolchain()
    project = tmp_path_factory.mktemp("java-spring") / "inventory"
    # Module-scoped, so before the per-test isolation: the built-in conventions, named.
    conventions = load_conventions(default_agent_path())
    new_project(
        "java-spring", project, {"group_id": "org.acme", "author": "Ada"}, conventions=conventions
    )
    for command in agents_commands(project):  # ./mvnw -q verify packages the jar too
        run(command, project, java.env)
    jars = sorted(project.glob("target/*.jar"))
    assert [jar.name for jar in jars] == ["inventory.jar"]
    return Built(project, java, jars[0])


@pytest.mark.slow
def test_the_agents_commands_ran_every_test_of_the_project(built: Built) -> None:
    project = built.project
    assert agents_commands(project) == [["./mvnw", "-q", "verify"]]
    declared = sum(path.read_text().count("@Test\n") for path in project.rglob("*Test.java"))
    totals = [0, 0, 0, 0]
    reports = sorted(project.glob("target/surefire-reports/*.txt"))
    assert {p.name for p in reports} >= {
        "org.acme.inventory.ItemsApiTest.txt",
        "org.acme.inventory.items.ItemControllerTest.txt",
    }
    for report in reports:
        for found in re.finditer(
            r"Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)", report.read_text()
        ):
            totals = [a + int(b) for a, b in zip(totals, found.groups(), strict=True)]
    assert declared >= 15
    assert totals == [declared, 0, 0, 0]

    # The wrapper's Maven lives in MAVEN_USER_HOME, outside the project, for the next run.
    properties = (project / ".mvn/wrapper/maven-wrapper.properties").read_text()
    distribution = re.search(r"/(apache-maven-[\d.]+)-bin\.zip$", properties, re.MULTILINE)
    assert distribution is not None
    dists = Path(built.java.env["MAVEN_USER_HOME"], "wrapper", "dists")
    assert list(dists.glob(f"{distribution.group(1)}/*/bin/mvn")), sorted(dists.iterdir())
    assert not (project / ".m2").exists()


def raw_get(base: str, target: str) -> tuple[int, Any]:
    """A GET of ``target`` exactly as written, even where it is not a valid URL."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def exercise_the_api(base: str) -> None:
    """What only this stack serves (the HTTP contract is test_service_contract.py's): the
    actuator, Tomcat's own refusals in the error format, and an item kept in the database."""
    status, health = service.http_json("GET", base + "/actuator/health")
    assert (status, health["status"]) == (200, "UP"), health
    service.check_health(base)
    # A request Tomcat refuses before Spring sees it answers in the same format.
    status, body = raw_get(base, "/%zz")
    service.check_error(status, body, 400, "bad_request")
    status, created = service.http_json("POST", base + "/api/v1/items", {"name": "widget"})
    assert status == 201, created
    status, page = service.http_json("GET", base + "/api/v1/items")
    assert (status, page["items"]) == (200, [created])


def serve_and_exercise(built: Built, env: dict[str, str]) -> list[dict[str, Any]]:
    """Start the jar as the brief of every stack says, use it, stop it; its log records."""
    port = service.free_port()
    command: list[str | Path] = [
        built.java.java, "-jar", built.jar,
        f"--server.port={port}", "--server.address=127.0.0.1",
    ]  # fmt: skip
    with service.running_server(command, built.project, port, env=env, timeout=180) as base:
        exercise_the_api(base)
    log = built.project / f".server-{port}.log"
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


@pytest.mark.slow
def test_the_jar_serves_the_contract_on_h2(built: Built) -> None:
    records = serve_and_exercise(built, {"LOG_LEVEL": "INFO"})
    messages = [r["message"] for r in records]
    assert any(m.startswith("Started Application") for m in messages), messages
    # running_server stops it with SIGTERM: a graceful shutdown, logged in JSON.
    assert "Graceful shutdown complete" in messages, messages[-5:]
    requests = [r for r in records if r["message"] == "request"]
    assert {"method", "path", "status", "duration_ms"} <= set(requests[-1]), requests[-1]
    assert any(r["path"] == "/api/v1/items" and r["status"] == 201 for r in requests)


@pytest.mark.slow
def test_the_jar_with_the_images_settings_refuses_to_start_without_a_database_url(
    built: Built,
) -> None:
    image = service.image_environment(built.project / "Dockerfile")
    assert image["SPRING_PROFILES_ACTIVE"] == "container"
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_", "SPRING_"))
    }
    status, output = exit_and_output(
        [built.java.java, "-jar", built.jar, f"--server.port={service.free_port()}"],
        built.project,
        inherited | image | {"HOST": "127.0.0.1"},
        timeout=180,
    )
    assert status == 1, output
    assert (
        "Failed to configure a DataSource: 'url' attribute is not specified and no embedded"
        " datasource could be configured." in output
    ), output
    assert "jdbc:h2" not in output
    assert not any(line.startswith("Started Application") for line in output.splitlines())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("delay", "reason"),
    [
        ("-1", "SHUTDOWN_DELAY (shutdown.delay) must not be negative"),
        ("soon", "'soon' is not a valid duration"),
    ],
)
def test_the_jar_refuses_to_start_with_a_negative_or_non_numeric_shutdown_delay(
    built: Built, delay: str, reason: str
) -> None:
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("SHUT")}
    status, output = exit_and_output(
        [built.java.java, "-jar", built.jar, f"--server.port={service.free_port()}"],
        built.project,
        inherited | {"SHUTDOWN_DELAY": delay, "HOST": "127.0.0.1", "LOG_FORMAT": ""},
        timeout=180,
    )
    assert status == 1, output
    assert "APPLICATION FAILED TO START" in output, output
    assert reason in output, output
    assert not any(line.startswith("Started Application") for line in output.splitlines())


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[dict[str, str]]:
    """A new PostgreSQL database, as the settings of the postgresql profile; dropped after."""
    server = urlsplit(postgres_url)
    name = f"scaffold_{uuid.uuid4().hex[:12]}"
    service.psql(postgres_url, f"CREATE DATABASE {name}")
    yield {
        "SPRING_PROFILES_ACTIVE": "postgresql",
        "DATABASE_URL": f"jdbc:postgresql://{server.hostname}:{server.port or 5432}/{name}",
        "DATABASE_USERNAME": server.username or "postgres",
        "DATABASE_PASSWORD": server.password or "",
    }
    service.psql(postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.slow
def test_the_jar_serves_the_contract_on_postgresql(
    built: Built, postgres_database: dict[str, str]
) -> None:
    records = serve_and_exercise(built, postgres_database)
    messages = [r["message"] for r in records]
    assert any("PostgreSQL" in m for m in messages if m.startswith("Database:")), messages
    assert any("now at version v1" in m for m in messages), messages


@pytest.mark.slow
def test_the_jar_with_the_images_settings_serves_the_database_at_database_url(
    built: Built, postgres_database: dict[str, str]
) -> None:
    image = service.image_environment(built.project / "Dockerfile")
    records = serve_and_exercise(built, postgres_database | image)
    messages = [r["message"] for r in records]
    assert any("PostgreSQL" in m for m in messages if m.startswith("Database:")), messages
