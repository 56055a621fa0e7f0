"""`scaffold adopt` on Spring Boot projects: standalone configs only, the build files never
touched (fast), and an adopted Maven project still verifies (slow tier).

The slow test builds a small Spring Boot application with the system's ``mvn``; it needs
only what the java-spring template's own tests already put in the local Maven repository
(Spring Boot 3.5.7's parent, web and test starters), so once that is warm it runs offline.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from scaffold.adopters import RECIPES
from scaffold.errors import ExitCode
from scaffold.model import Project
from tests.ecosystems.jvm.stacks import SPRING_BOOT_WEB, spring_boot_parent
from tests.ecosystems.jvm.toolchain import java_toolchain
from tests.helpers import (
    adopt,
    adopted,
    agents_commands,
    assert_nothing_left_to_adopt,
    committed_repo,
    created,
    planned_adoption,
    run,
    tree_digest,
)

POM = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <!-- Our own comment, which nothing may lose. -->
{spring_boot_parent("3.5.7")}  <groupId>com.acme</groupId>
  <artifactId>shop-api</artifactId>
  <version>1.0.0</version>
  <properties>
    <java.version>17</java.version>
  </properties>
  <dependencies>
{SPRING_BOOT_WEB}    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-test</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"""
APPLICATION = """\
package com.acme.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The shop's entry point.
 */
@SpringBootApplication
public class ShopApplication {
  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
"""
CONTROLLER = """\
package com.acme.shop.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class GreetingController {
  @GetMapping("/greeting")
  public String greeting(@RequestParam(defaultValue = "world") String name) {
    if (name.isBlank()) {
      return "hello";
    }
    return "hello, " + name;
  }
}
"""
CONTEXT_TEST = """\
package com.acme.shop;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class ShopApplicationTests {
  @Test
  void contextLoads() {
  }
}
"""
MAVEN_FILES = {
    "pom.xml": POM,
    "src/main/java/com/acme/shop/ShopApplication.java": APPLICATION,
    "src/main/java/com/acme/shop/web/GreetingController.java": CONTROLLER,
    "src/test/java/com/acme/shop/ShopApplicationTests.java": CONTEXT_TEST,
    ".gitignore": "target/\n",
}

GRADLE_KTS = """\
plugins {
    java
    id("org.springframework.boot") version "3.5.7"
    id("io.spring.dependency-management") version "1.1.7"
}

group = "com.acme"
version = "0.0.1-SNAPSHOT"

java {
    toolchain {
        languageVersion = JavaLanguageVersion.of(21)
    }
}

repositories {
    mavenCentral() // https://repo.maven.apache.org/maven2
}

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    testImplementation("org.springframework.boot:spring-boot-starter-test")
}
"""
GRADLE_APPLICATION = """\
package com.acme.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OrdersApplication {
    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
"""


def plan(repo: Path) -> dict[str, tuple[str, str | None]]:
    code, output = adopt(str(repo), "--dry-run", "--json")
    assert code == ExitCode.CHANGES_PENDING, output
    return {f["path"]: (f["action"], f.get("reason")) for f in json.loads(output)["files"]}


def answers(repo: Path) -> dict[str, str]:
    lines = (repo / ".copier-answers.yml").read_text().splitlines()[1:]
    return dict(line.split(": ", 1) for line in lines)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A Spring Boot Maven application in com.acme.shop, indented by 2, committed."""
    return committed_repo(tmp_path / "shop", MAVEN_FILES)


# --- fast --------------------------------------------------------------------------------


def test_the_plan_adds_standalone_configs_and_leaves_the_build_alone(shop: Path) -> None:
    payload = planned_adoption(shop, "java-spring")
    assert payload["files"] == [
        *created(".copier-answers.yml", ".editorconfig", ".gitattributes", "AGENTS.md"),
    ]
    assert payload["warnings"] == []


def test_apply_keeps_every_file_and_a_second_adopt_plans_nothing(shop: Path) -> None:
    before, after = adopted(shop, 4)
    for path, digest in before.items():
        assert after[path] == digest, path
    assert set(after) - set(before) == {
        ".copier-answers.yml",
        ".editorconfig",
        ".gitattributes",
        "AGENTS.md",
    }
    recorded = answers(shop)
    assert recorded["adopted"] == "true"
    assert (recorded["group_id"], recorded["artifact_id"]) == ("com.acme", "shop-api")
    assert recorded["project_name"] == "shop-api"
    # The package of the @SpringBootApplication class, not the one group and artifact make.
    assert recorded["package_name"] == "com.acme.shop"
    assert recorded["java_version"] == "'17'"
    assert (recorded["indent_style"], recorded["indent_width"]) == ("space", "2")
    editorconfig = (shop / ".editorconfig").read_text()
    assert "indent_style = space\nindent_size = 2\n" in editorconfig
    # The code was not written to the template's line length: none is imposed on it.
    assert "max_line_length" not in editorconfig
    assert "/mvnw text=auto eol=lf" in (shop / ".gitattributes").read_text()
    agents = (shop / "AGENTS.md").read_text()
    assert "A java / spring-boot project, built with maven." in agents
    assert "`src/main/java/<group path>/`" in agents
    assert agents_commands(shop) == [["mvn", "-q", "verify"]]

    assert_nothing_left_to_adopt(shop)


def test_a_wrapper_tabs_and_an_older_java_are_the_projects_own(tmp_path: Path) -> None:
    tabbed = {
        name: text.replace("  ", "\t") if name.endswith(".java") else text
        for name, text in MAVEN_FILES.items()
    }
    pom = POM.replace("<java.version>17</java.version>", "<java.version>11</java.version>")
    pom = pom.replace(
        "</properties>",
        "  <maven.compiler.release>${java.version}</maven.compiler.release>\n  </properties>",
    )
    wrapper = {"mvnw": "#!/bin/sh\n", "mvnw.cmd": "@echo off\r\nexit /b 0\r\n"}
    repo = committed_repo(tmp_path / "shop", {**tabbed, **wrapper, "pom.xml": pom})
    assert plan(repo)[".editorconfig"] == ("create", None)
    assert adopt(str(repo), "--yes")[0] == 0
    recorded = answers(repo)
    # Java 11 is refused for a new service, and kept for an adopted one.
    assert recorded["java_version"] == "'11'"
    assert (recorded["indent_style"], recorded["indent_width"]) == ("tab", "4")
    editorconfig = (repo / ".editorconfig").read_text()
    assert "indent_style = tab\nindent_size = 4\n" in editorconfig
    assert "[*.{yml,yaml}]\nindent_style = space\nindent_size = 2\n" in editorconfig
    assert agents_commands(repo) == [["./mvnw", "-q", "verify"]]
    # The wrapper script committed with Windows line endings does not show as changed.
    (repo / "mvnw.cmd").touch()
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout
    assert sorted(status.splitlines()) == [
        "?? .copier-answers.yml",
        "?? .editorconfig",
        "?? .gitattributes",
        "?? AGENTS.md",
    ]


def test_the_users_own_configs_are_kept(tmp_path: Path) -> None:
    initializr = "/mvnw text eol=lf\n*.cmd text eol=crlf\n"
    repo = committed_repo(
        tmp_path / "shop",
        {**MAVEN_FILES, ".editorconfig": "root = true\n", ".gitattributes": initializr},
    )
    actions = plan(repo)
    assert actions[".editorconfig"] == ("skip", "exists; yours is kept")
    assert actions[".gitattributes"] == ("skip", "exists; yours is kept")
    assert adopt(str(repo), "--yes")[0] == 0
    assert (repo / ".gitattributes").read_text() == initializr


@pytest.mark.parametrize("wrapper", [True, False], ids=["gradlew", "gradle"])
def test_a_gradle_kotlin_dsl_project(tmp_path: Path, wrapper: bool) -> None:
    files = {
        "settings.gradle.kts": 'rootProject.name = "orders"\n',
        "build.gradle.kts": GRADLE_KTS,
        "src/main/java/com/acme/orders/OrdersApplication.java": GRADLE_APPLICATION,
    }
    if wrapper:
        files["gradlew"] = "#!/bin/sh\n"
    repo = committed_repo(tmp_path / "orders", files)
    before = tree_digest(repo)
    assert set(plan(repo)) == {
        ".copier-answers.yml",
        ".editorconfig",
        ".gitattributes",
        "AGENTS.md",
    }
    assert adopt(str(repo), "--yes")[0] == 0
    after = tree_digest(repo)
    assert all(after[path] == digest for path, digest in before.items())
    assert "built with gradle" in (repo / "AGENTS.md").read_text()
    assert agents_commands(repo) == [["./gradlew", "build"] if wrapper else ["gradle", "build"]]
    recorded = answers(repo)
    assert (recorded["group_id"], recorded["artifact_id"]) == ("com.acme", "orders")
    assert (recorded["package_name"], recorded["java_version"]) == ("com.acme.orders", "'21'")
    assert (recorded["indent_style"], recorded["indent_width"]) == ("space", "4")


def test_values_the_template_refuses_fall_back_to_valid_ones(tmp_path: Path) -> None:
    pom = POM.replace("<groupId>com.acme</groupId>", "<groupId>com.Acme-Corp</groupId>")
    pom = pom.replace("<artifactId>shop-api</artifactId>", "<artifactId>Shop_API</artifactId>")
    pom = pom.replace("<java.version>17</java.version>", "<java.version>${jdk}</java.version>")
    files = {
        **MAVEN_FILES,
        "pom.xml": pom,
        "src/main/java/com/acme/shop/ShopApplication.java": APPLICATION.replace(
            "package com.acme.shop;", "package com.acme.Shop;"
        ),
    }
    repo = committed_repo(tmp_path / "Odd Shop", files)
    assert adopt(str(repo), "--yes")[0] == 0
    recorded = answers(repo)
    assert recorded["project_name"] == "shop-api"
    assert (recorded["group_id"], recorded["artifact_id"]) == ("com.example", "shop-api")
    assert recorded["package_name"] == "com.example.shopapi"
    assert recorded["java_version"] == "'25'"  # the unresolved ${jdk} is not a release


def test_a_pom_with_a_doctype_is_not_read(tmp_path: Path) -> None:
    doctype = POM.replace(
        "<project", '<!DOCTYPE project [<!ENTITY g "com.evil">]>\n<project', 1
    ).replace("<groupId>com.acme</groupId>", "<groupId>&g;</groupId>")
    folder = tmp_path / "svc"
    folder.mkdir()
    (folder / "pom.xml").write_text(doctype)
    inferred = RECIPES["java-spring"].infer(folder, Project(path=".", language="java"))
    assert inferred["group_id"] == "com.example"
    assert inferred["project_name"] == "svc"


# --- slow --------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_adopted_maven_project_still_verifies(tmp_path: Path) -> None:
    java = java_toolchain()
    mvn = shutil.which("mvn")
    if not mvn:
        pytest.fail("the adopted Spring Boot project is built with Maven: mvn on PATH")
    repo = committed_repo(tmp_path / "shop", MAVEN_FILES)
    before = tree_digest(repo)
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    after = tree_digest(repo)
    assert all(after[path] == digest for path, digest in before.items())
    assert agents_commands(repo) == [["mvn", "-q", "verify"]]
    run([mvn, "-q", "verify"], repo, java.env, timeout=300)
    assert (repo / "pom.xml").read_text() == POM
    report = (repo / "target/surefire-reports/com.acme.shop.ShopApplicationTests.txt").read_text()
    assert "Tests run: 1, Failures: 0, Errors: 0, Skipped: 0" in report
