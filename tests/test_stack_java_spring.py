"""The java-spring template: planned and refused through the CLI (fast), and accepted by its
own toolchain (slow tier).

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
import shutil
import stat
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import copier
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.new import new_project
from scaffold.conventions import default_agent_path, load_conventions
from scaffold.errors import InvalidAnswerError
from scaffold.templates import check_answers, load_template
from tests.helpers import (
    REPO_ROOT,
    agents_commands,
    check_error,
    copier_refuses,
    files_under,
    free_port,
    http_json,
    refused_answers,
    run,
    running_server,
    toolchain_cache_env,
    tree_digest,
)

TEMPLATE = REPO_ROOT / "templates" / "java-spring"

COMMON_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".gitattributes",
    ".gitignore",
    ".mvn/wrapper/maven-wrapper.properties",
    "AGENTS.md",
    "Dockerfile",
    "README.md",
    "mvnw",
    "mvnw.cmd",
    "pom.xml",
    "src/main/resources/application.yml",
    "src/main/resources/db/migration/V1__create_items.sql",
    "src/test/resources/application-test.yml",
}
# Below the root package's folder.
MAIN_CLASSES = {
    "Application",
    "health/HealthController",
    "items/Item",
    "items/ItemController",
    "items/ItemCreate",
    "items/ItemPatch",
    "items/ItemRepository",
    "items/ItemResponse",
    "items/ItemService",
    "web/ApiError",
    "web/ApiException",
    "web/ApiExceptionHandler",
    "web/ErrorCode",
    "web/ErrorPathController",
    "web/JacksonConfig",
    "web/JsonErrorReportValve",
    "web/OffsetPageRequest",
    "web/PageResponse",
    "web/RequestLoggingFilter",
    "web/ServerConfig",
}
TEST_CLASSES = {"ItemsApiTest", "items/ItemControllerTest"}

DEFAULT_ANSWERS = {
    "artifact_id": "inventory",
    "author": "",
    "database": "h2",
    "description": "An HTTP service written with Spring Boot",
    "group_id": "com.example",
    "java_version": "25",
    "package_name": "com.example.inventory",
    "project_name": "inventory",
}


def expected_files(package: str) -> set[str]:
    folder = package.replace(".", "/")
    return (
        COMMON_FILES
        | {f"src/main/java/{folder}/{name}.java" for name in MAIN_CLASSES}
        | {f"src/test/java/{folder}/{name}.java" for name in TEST_CLASSES}
    )


# --- fast: through the command line ----------------------------------------------------


def test_listed_with_its_metadata(runner: CliRunner) -> None:
    result = runner.invoke(app, ["new", "--list"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.split()[0] == "java-spring")
    assert "Spring Boot 4" in line

    listed = json.loads(runner.invoke(app, ["new", "--list", "--json"]).output)
    stack = next(s for s in listed["stacks"] if s["id"] == "java-spring")
    assert (stack["language"], stack["framework"]) == ("java", "spring-boot")


def test_dry_run_json_lists_the_files_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "inventory"
    before = tree_digest(tmp_path)
    result = runner.invoke(app, ["new", "java-spring", str(target), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["stack"], payload["dry_run"], payload["target"]) == (
        "java-spring",
        True,
        str(target),
    )
    assert payload["answers"] == DEFAULT_ANSWERS
    assert {f["path"] for f in payload["files"]} == expected_files("com.example.inventory")
    assert {f["action"] for f in payload["files"]} == {"create"}
    assert payload["next_steps"] == ["cd inventory", "./mvnw -q verify", "./mvnw spring-boot:run"]
    assert not target.exists()
    assert tree_digest(tmp_path) == before


def test_dry_run_puts_the_code_under_the_package_from_group_and_artifact(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "stock"
    result = runner.invoke(
        app,
        [
            "new", "java-spring", str(target), "--dry-run", "--json",
            "--data", "group_id=io.github.acme", "--data", "artifact_id=stock-keeper-2",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["answers"]["package_name"] == "io.github.acme.stockkeeper2"
    assert {f["path"] for f in payload["files"]} == expected_files("io.github.acme.stockkeeper2")
    assert not target.exists()


def test_defaults_and_data_are_rendered(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "billing"
    result = runner.invoke(
        app,
        [
            "new", "java-spring", str(target), "--defaults",
            "--data", "group_id=org.acme", "--data", "artifact_id=billing-api",
            "--data", "package_name=org.acme.billing", "--data", "java_version=21",
            "--data", "database=postgresql",
            "--data", 'description=Bills "and" <invoices> & more',
            "--data", "author=Ada <ada@example.com>",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    files = expected_files("org.acme.billing")
    assert result.output.splitlines()[0] == f"Created {target} (java-spring, {len(files)} files)."
    assert files_under(target) == files

    pom = (target / "pom.xml").read_text()
    assert "<groupId>org.acme</groupId>\n  <artifactId>billing-api</artifactId>" in pom
    assert "<java.version>21</java.version>" in pom
    assert "<description>Bills &#34;and&#34; &lt;invoices&gt; &amp; more</description>" in pom
    assert "<name>Ada &lt;ada@example.com&gt;</name>" in pom
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
    base, h2, postgresql = list(settings)
    assert base["spring"]["profiles"]["default"] == "postgresql"
    assert base["spring"]["application"]["name"] == "billing-api"
    assert base["server"] == {
        "address": "${HOST:127.0.0.1}",
        "port": "${PORT:8080}",
        "shutdown": "graceful",
        "error": {"whitelabel": {"enabled": False}},
    }
    assert (
        h2["spring"]["datasource"]["url"]
        == "${DATABASE_URL:jdbc:h2:mem:billing_api;DB_CLOSE_DELAY=-1}"
    )
    assert (
        postgresql["spring"]["datasource"]["url"]
        == "${DATABASE_URL:jdbc:postgresql://localhost:5432/billing_api}"
    )

    dockerfile = (target / "Dockerfile").read_text()
    assert "FROM eclipse-temurin:21-jdk AS build" in dockerfile
    assert "FROM gcr.io/distroless/java21-debian12:nonroot" in dockerfile
    assert "USER nonroot:nonroot" in dockerfile
    assert "cp target/billing-api.jar /tmp/app.jar" in dockerfile
    assert "SPRING_PROFILES_ACTIVE=postgresql" in dockerfile

    readme = (target / "README.md").read_text()
    assert readme.startswith('# billing\n\nBills "and" <invoices> & more\n')
    assert "Author: Ada <ada@example.com>" in readme
    assert "`src/main/java/org/acme/billing/items/`" in readme
    agents = (target / "AGENTS.md").read_text()
    assert "`src/main/java/org/acme/billing/items/`" in agents
    assert "`src/main/resources/db/migration/`" in agents
    assert agents_commands(target) == [["./mvnw", "-q", "verify"]]

    answers = (target / ".copier-answers.yml").read_text()
    assert answers.startswith("# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n")
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{dir}", "--data", "project_name=../x"], "project_name='../x': use lowercase letters"),
        (["{dir}", "--data", "project_name=Bad Name"], "project_name='Bad Name': use lowercase letters"),
        (["{dir}/Bad Name"], "project_name='Bad Name' (from the folder name; pass --data project_name=NAME): use lowercase letters"),
        (["{dir}", "--data", "group_id=Com.Example"], "group_id='Com.Example': use lowercase letters, digits and underscores"),
        (["{dir}", "--data", "group_id=com/example"], "group_id='com/example': use lowercase letters, digits and underscores"),
        (["{dir}", "--data", "group_id=com..example"], "group_id='com..example': must not start or end with a dot"),
        (["{dir}", "--data", "group_id=.com"], "group_id='.com': must not start or end with a dot"),
        (["{dir}", "--data", "group_id="], "group_id='': must not be empty"),
        (["{dir}", "--data", "group_id=com.1example"], "group_id='com.1example': start each part of the package with a lowercase letter"),
        (["{dir}", "--data", "group_id=com._x"], "group_id='com._x': start each part of the package with a lowercase letter"),
        (["{dir}", "--data", "group_id=com.new"], "group_id='com.new': new is a Java keyword"),
        (["{dir}", "--data", "group_id=org.true"], "group_id='org.true': true is a Java keyword"),
        (["{dir}", "--data", "group_id=java.acme"], "group_id='java.acme': java.* packages belong to the Java platform"),
        (["{dir}", "--data", "artifact_id=My-App"], "artifact_id='My-App': use lowercase letters, digits and hyphens"),
        (["{dir}", "--data", "artifact_id=my_app"], "artifact_id='my_app': use lowercase letters, digits and hyphens"),
        (["{dir}", "--data", "artifact_id=../x"], "artifact_id='../x': use lowercase letters, digits and hyphens"),
        (["{dir}", "--data", "artifact_id=app-"], "artifact_id='app-': use lowercase letters, digits and hyphens"),
        (["{dir}", "--data", "artifact_id=2app"], "artifact_id='2app': use lowercase letters, digits and hyphens"),
        (["{dir}", "--data", "package_name=com.example.Inventory"], "package_name='com.example.Inventory': use lowercase letters"),
        (["{dir}", "--data", "package_name=com.example.class"], "package_name='com.example.class': class is a Java keyword"),
        # The package computed from the artifact is checked too.
        (["{dir}", "--data", "artifact_id=int"], "'package_name': int is a Java keyword"),
        (["{dir}", "--data", "java_version=11"], "java_version"),
        (["{dir}", "--data", "database=mysql"], "database"),
        (["{dir}", "--data", "description=two\nlines"], "description='two\\nlines': keep the description on one line"),
        (["{dir}", "--data", "package=x"], "unknown answer 'package' for this stack"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_bad_answers_are_one_line_usage_errors(
    tmp_path: Path, args: list[str], message: str, dry_run: bool
) -> None:
    assert message in refused_answers("java-spring", tmp_path, args, dry_run=dry_run)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("group_id", "com.example"),
        ("group_id", "io.github.some_one"),
        ("group_id", "org"),
        ("group_id", "de.x2.a1"),
        ("group_id", "com.integer"),  # holds a keyword, is none
        ("artifact_id", "inventory"),
        ("artifact_id", "stock-keeper-2"),
        ("package_name", "com.example.inventory"),
        ("package_name", "app"),
        ("package_name", "com.example.my_app"),
        ("java_version", "17"),
        ("java_version", "21"),
        ("java_version", "25"),
        ("database", "h2"),
        ("database", "postgresql"),
        ("description", ""),
        ("author", "Ada Lovelace <ada@example.com>"),
    ],
)
def test_validators_accept(key: str, value: str) -> None:
    assert check_answers(load_template(TEMPLATE), {key: value}) == {key: value}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("group_id", "com.example."),
        ("group_id", "com.ex-ample"),
        ("group_id", "com.example\n"),
        ("group_id", "{{x}}"),
        ("group_id", "com.goto"),
        ("group_id", "com._"),
        ("group_id", "a" * 81),
        ("artifact_id", ""),
        ("artifact_id", "a b"),
        ("artifact_id", "x; rm -rf /"),
        ("artifact_id", "a.b"),
        ("package_name", ""),
        ("package_name", "com/example"),
        ("package_name", "com.example.x-y"),
        ("package_name", "java"),
        ("package_name", "com.example.null"),
        ("author", "two\nlines"),
        ("description", "x" * 201),
    ],
)
def test_validators_refuse(key: str, value: str) -> None:
    with pytest.raises(InvalidAnswerError, match=f"^{key}="):
        check_answers(load_template(TEMPLATE), {key: value})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("group_id", "Com.Example"),
        ("artifact_id", "my_app"),
        ("package_name", "com.example.class"),
    ],
)
def test_plain_copier_refuses_the_same_answers(tmp_path: Path, key: str, value: str) -> None:
    copier_refuses(TEMPLATE, tmp_path / "out", key, value, "pom.xml")


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
    agents = (project / "AGENTS.md").read_text()
    assert "All the code lives under the root package `org.acme.svc`" in agents
    assert "| `src/main/java/org/acme/svc/<feature>/` |" in agents


# --- slow: the generated project's own toolchain ---------------------------------------


@dataclass(frozen=True)
class Java:
    java: str
    env: dict[str, str]


def java_toolchain() -> Java:
    java, javac = shutil.which("java"), shutil.which("javac")
    if not java or not javac:
        pytest.fail("the java-spring tests need a JDK 25 or newer: java and javac on PATH")
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', version)
    # The template's default release: a project built for it needs a JDK at least as new.
    if not match or int(match.group(1)) < 25:
        pytest.fail(f"the java-spring tests need Java 25 or newer, found: {version.strip()}")
    # MAVEN_USER_HOME (where the wrapper keeps Maven) stays in the real home.
    return Java(java, toolchain_cache_env())


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


def raw_request(method: str, url: str, body: bytes, content_type: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


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
    status, health = http_json("GET", base + "/actuator/health")
    assert (status, health["status"]) == (200, "UP"), health
    assert http_json("GET", base + "/health") == (200, {"status": "ok"})
    assert http_json("GET", base + "/ready") == (200, {"status": "ready"})

    status, created = http_json(
        "POST", base + "/api/v1/items", {"name": "  widget  ", "description": "blue"}
    )
    assert status == 201, created
    assert set(created) == {"id", "name", "description", "created_at", "updated_at"}
    assert (created["name"], created["description"]) == ("widget", "blue")
    assert isinstance(created["id"], int)
    offset = datetime.fromisoformat(created["created_at"]).utcoffset()
    assert offset is not None and offset.total_seconds() == 0
    status, _ = http_json("POST", base + "/api/v1/items", {"name": "gadget", "description": None})
    assert status == 201

    status, page = http_json("GET", base + "/api/v1/items")
    assert status == 200, page
    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)
    assert page["items"][0] == created
    status, page = http_json("GET", base + "/api/v1/items?name=GAD&sort=-id&limit=5")
    assert status == 200, page
    assert [i["name"] for i in page["items"]] == ["gadget"]
    assert (page["total"], page["limit"]) == (1, 5)
    status, page = http_json("GET", base + "/api/v1/items?sort=-name&limit=1&offset=0")
    assert [i["name"] for i in page["items"]] == ["widget"]
    status, page = http_json("GET", base + "/api/v1/items?sort=name&limit=1&offset=1")
    assert [i["name"] for i in page["items"]] == ["widget"]
    assert (page["total"], page["offset"]) == (2, 1)

    status, body = http_json("GET", base + "/api/v1/items/999")
    check_error(status, body, 404, "not_found")
    assert body["error"]["message"] == "item 999 not found"
    status, body = http_json("GET", base + "/nowhere")
    assert check_error(status, body, 404, "not_found") == []
    # A request Tomcat refuses before Spring sees it answers in the same format.
    status, body = raw_get(base, "/%zz")
    check_error(status, body, 400, "bad_request")

    status, body = http_json("POST", base + "/api/v1/items", {"name": ""})
    details = check_error(status, body, 422, "validation_error")
    assert [d["field"] for d in details] == ["name"]
    status, body = http_json("POST", base + "/api/v1/items", {"name": "x", "description": 5})
    details = check_error(status, body, 422, "validation_error")
    assert details == [{"field": "description", "message": "must be a string"}]
    status, body = http_json("GET", base + "/api/v1/items?limit=1000&sort=size")
    details = check_error(status, body, 422, "validation_error")
    assert [d["field"] for d in details] == ["limit", "sort"]
    status, body = raw_request("POST", base + "/api/v1/items", b'{"name": ', "application/json")
    check_error(status, body, 400, "bad_request")

    status, body = http_json("POST", base + "/api/v1/items", {"name": "widget"})
    check_error(status, body, 409, "conflict")
    status, body = http_json("PUT", base + "/api/v1/items/1", {"name": "x"})
    check_error(status, body, 405, "method_not_allowed")

    item_url = f"{base}/api/v1/items/{created['id']}"
    status, updated = http_json("PATCH", item_url, {"description": None})
    assert status == 200, updated
    assert (updated["name"], updated["description"]) == ("widget", None)
    assert updated["updated_at"] >= updated["created_at"]
    assert http_json("DELETE", item_url) == (204, None)
    status, body = http_json("GET", item_url)
    check_error(status, body, 404, "not_found")


def serve_and_exercise(built: Built, env: dict[str, str]) -> list[dict[str, Any]]:
    """Start the jar as the brief of every stack says, use it, stop it; its log records."""
    port = free_port()
    command: list[str | Path] = [
        built.java.java, "-jar", built.jar,
        f"--server.port={port}", "--server.address=127.0.0.1",
    ]  # fmt: skip
    with running_server(command, built.project, port, env=env, timeout=180) as base:
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


@pytest.fixture
def postgres_database() -> Iterator[dict[str, str]]:
    """A new PostgreSQL database, as the settings of the postgresql profile; dropped after."""
    url = os.environ.get("SCAFFOLD_TEST_POSTGRES_URL")
    if not url:
        proc = subprocess.run(
            ["bash", str(REPO_ROOT / ".ci" / "start-postgres")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, f"could not start PostgreSQL:\n{proc.stderr}"
        url = proc.stdout.strip()
    server = urlsplit(url)
    name = f"scaffold_{uuid.uuid4().hex[:12]}"
    run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", f"CREATE DATABASE {name}"], cwd=Path.cwd())
    yield {
        "SPRING_PROFILES_ACTIVE": "postgresql",
        "DATABASE_URL": f"jdbc:postgresql://{server.hostname}:{server.port or 5432}/{name}",
        "DATABASE_USERNAME": server.username or "postgres",
        "DATABASE_PASSWORD": server.password or "",
    }
    run(
        [
            "psql",
            url,
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
        ],
        cwd=Path.cwd(),
    )


@pytest.mark.slow
def test_the_jar_serves_the_contract_on_postgresql(
    built: Built, postgres_database: dict[str, str]
) -> None:
    records = serve_and_exercise(built, postgres_database)
    messages = [r["message"] for r in records]
    assert any("PostgreSQL" in m for m in messages if m.startswith("Database:")), messages
    assert any("now at version v1" in m for m in messages), messages
