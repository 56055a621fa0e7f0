"""Java and Kotlin: Maven modules and parent POMs, Gradle scripts and settings."""

from __future__ import annotations

from scaffold.ecosystems.jvm.gradle import gradle_includes
from tests.detect.conftest import (
    Detected,
    claim_details,
    evidence,
    identity,
    paths,
    project,
    warnings_for,
)
from tests.ecosystems.jvm.stacks import SPRING_BOOT_WEB, spring_boot_parent

NS = 'xmlns="http://maven.apache.org/POM/4.0.0"'

PARENT_POM = f"""<?xml version="1.0" encoding="UTF-8"?>
<project {NS}>
  <modelVersion>4.0.0</modelVersion>
{spring_boot_parent("3.3.0")}  <groupId>com.acme</groupId>
  <artifactId>shop</artifactId>
  <version>1.0.0</version>
  <packaging>pom</packaging>
  <modules>
    <module>api</module>
    <module>core</module>
  </modules>
  <build>
    <plugins>
      <plugin>
        <groupId>com.diffplug.spotless</groupId>
        <artifactId>spotless-maven-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
</project>
"""

API_POM = f"""<project {NS}>
  <parent>
    <groupId>com.acme</groupId>
    <artifactId>shop</artifactId>
    <version>1.0.0</version>
  </parent>
  <artifactId>api</artifactId>
  <dependencies>
{SPRING_BOOT_WEB}    <dependency>
      <groupId>com.acme</groupId>
      <artifactId>core</artifactId>
    </dependency>
  </dependencies>
</project>
"""

CORE_POM = f"""<project {NS}>
  <parent><groupId>com.acme</groupId><artifactId>shop</artifactId></parent>
  <artifactId>core</artifactId>
</project>
"""

JAVA = (
    "package com.acme.api;\n\npublic class Users {\n    public String findUser(String userId) {\n"
    "        var userName = userId;\n        return userName;\n    }\n}\n"
)


def test_maven_multi_module_with_spring_boot_from_the_parent_pom(detected: Detected) -> None:
    result = detected(
        {
            "pom.xml": PARENT_POM,
            "mvnw": "#!/bin/sh\n",
            "api/pom.xml": API_POM,
            "api/src/main/java/com/acme/api/controller/UserController.java": JAVA,
            "api/src/main/java/com/acme/api/service/UserService.java": JAVA,
            "api/src/main/java/com/acme/api/repository/UserRepository.java": JAVA,
            "core/pom.xml": CORE_POM,
            "core/src/main/java/com/acme/core/Money.java": JAVA,
        }
    )
    assert paths(result) == [".", "api", "core"]
    top = project(result, ".")
    assert top["workspace"] == {"kind": "maven", "members": ["api", "core"]}
    assert identity(top) == ("java", "spring-boot", "maven", "java-spring")
    api = project(result, "api")
    assert identity(api) == ("java", "spring-boot", "maven", "java-spring")
    assert api["architecture"] == "layered"
    assert api["source_dirs"] == ["src"]
    assert api["configs"] == ["pom.xml[spotless-maven-plugin]"]
    assert api["style"] == {"indent": {"style": "space", "size": 4}, "naming": "camelCase"}
    core = project(result, "core")
    assert (core["framework"], core["stack"]) == (None, None)
    assert result["warnings"] == []


def test_maven_child_inherits_starter_dependencies_of_the_parent(detected: Detected) -> None:
    parent = PARENT_POM.replace(
        "<build>",
        "<dependencies><dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies><build>",
    )
    core = project(
        detected({"pom.xml": parent, "core/pom.xml": CORE_POM, "api/pom.xml": API_POM}), "core"
    )
    assert core["framework"] == "spring-boot"
    assert {
        "claim": "framework",
        "file": "pom.xml",
        "detail": "depends on org.springframework.boot:spring-boot-starter-actuator "
        "(inherited from the parent POM)",
    } in core["evidence"]


def test_gradle_kotlin_dsl_with_spring_boot_plugin_and_no_wrapper(detected: Detected) -> None:
    result = detected(
        {
            "settings.gradle.kts": 'rootProject.name = "orders"\n',
            "build.gradle.kts": "plugins {\n"
            "    java\n"
            '    id("org.springframework.boot") version "3.3.0"\n'
            '    id("io.spring.dependency-management") version "1.1.5"\n'
            "}\n\n"
            "dependencies {\n"
            '    implementation("org.springframework.boot:spring-boot-starter-web")\n'
            "}\n",
            "src/main/java/com/acme/orders/OrdersApplication.java": JAVA,
        }
    )
    assert paths(result) == ["."]
    proj = project(result, ".")
    # a Kotlin DSL build script does not make the code Kotlin
    assert identity(proj) == ("java", "spring-boot", "gradle", "java-spring")
    detail = "Gradle build, no wrapper (gradlew): uses gradle"
    assert evidence("build_tool", "build.gradle.kts", detail) in proj["evidence"]


def test_gradle_kotlin_project_with_catalog_and_settings_includes(detected: Detected) -> None:
    result = detected(
        {
            "settings.gradle.kts": 'rootProject.name = "x"\ninclude(":app", ":lib:core")\n'
            '// include(":old")\n',
            "gradlew": "#!/bin/sh\n",
            "gradle/libs.versions.toml": "[plugins]\n"
            'spring-boot = { id = "org.springframework.boot", version = "3.3.0" }\n'
            'kotlin-jvm = { id = "org.jetbrains.kotlin.jvm", version = "2.0.0" }\n'
            "[libraries]\n"
            'ktor-server = { module = "io.ktor:ktor-server-core", version = "2.3.0" }\n',
            "build.gradle.kts": "plugins {\n    alias(libs.plugins.kotlin.jvm) apply false\n}\n",
            "app/build.gradle.kts": "plugins {\n    alias(libs.plugins.spring.boot)\n"
            '    kotlin("jvm")\n    kotlin("plugin.spring")\n    id("com.diffplug.spotless")\n}\n',
            "app/src/main/kotlin/App.kt": "fun main() {\n    val appName = 1\n}\n",
            "lib/core/build.gradle": "plugins { id 'java-library' }\n"
            "dependencies { implementation 'io.ktor:ktor-server-netty:2.3.0' }\n",
        }
    )
    assert paths(result) == [".", "app", "lib/core"]
    top = project(result, ".")
    assert top["workspace"] == {"kind": "gradle", "members": ["app", "lib/core"]}
    assert top["language"] == "kotlin"
    app = project(result, "app")
    assert (app["language"], app["framework"], app["stack"]) == (
        "kotlin",
        "spring-boot",
        "java-spring",
    )
    assert app["configs"] == ["app/build.gradle.kts[com.diffplug.spotless]"]
    assert {"claim": "build_tool", "file": "gradlew", "detail": "Gradle wrapper"} in app["evidence"]
    core = project(result, "lib/core")
    assert (core["language"], core["framework"]) == ("java", "ktor")


def test_invalid_pom_is_a_warning(detected: Detected) -> None:
    result = detected({"pom.xml": "<project><artifactId>x</project>\n"})
    assert result["projects"] == []
    assert warnings_for(result, "pom.xml") == ["invalid XML at line 1, column 25: mismatched tag"]


def test_gradle_includes() -> None:
    text = "include 'a', ':b:c'\ninclude(\"d\")\nproject(':d').projectDir = file('modules/d')\n"
    assert gradle_includes(text) == ["a", "b/c", "modules/d"]


KOTLIN_MAIN = 'package shop\n\nfun main() {\n    println("hi")\n}\n'


def test_kotlin_dsl_multi_project_with_kt_sources_is_kotlin(detected: Detected) -> None:
    """The Kotlin plugin applied from a convention plugin is not in the projects' own
    scripts; their .kt sources (under src/main/java too) and, for the root, the projects
    it includes make them Kotlin."""
    result = detected(
        {
            "settings.gradle.kts": 'rootProject.name = "shop"\ninclude(":app", ":domain", ":ui")\n',
            "build.gradle.kts": "plugins {\n    base\n}\n",
            "gradlew": "#!/bin/sh\n",
            "app/build.gradle.kts": 'plugins {\n    id("shop.kotlin-application")\n}\n'
            'dependencies {\n    implementation(project(":domain"))\n}\n',
            "app/src/main/java/shop/Main.kt": KOTLIN_MAIN,
            "app/src/main/java/shop/Routes.kt": "package shop\n\nclass Routes\n",
            "app/src/main/java/shop/Legacy.java": "package shop;\n\nclass Legacy {}\n",
            "domain/build.gradle.kts": 'plugins {\n    id("shop.kotlin-library")\n}\n',
            "domain/src/main/kotlin/shop/Order.kt": "package shop\n\ndata class Order(val id: Long)\n",
            "ui/build.gradle.kts": 'apply(plugin = "kotlin")\n',
            "ui/Ui.kt": "class Ui\n",
        }
    )
    assert paths(result) == [".", "app", "domain", "ui"]
    languages = {p["path"]: claim_details(p, "language") for p in result["projects"]}
    assert languages == {
        ".": [
            "Gradle build (Kotlin DSL, no sources of its own; 3 of 3 projects it includes "
            "are Kotlin: app, domain, ui)"
        ],
        "app": ["Gradle build (Kotlin DSL, 2 .kt and 1 .java files under src/)"],
        "domain": ["Gradle build (Kotlin DSL, src/main/kotlin)"],
        "ui": ["Gradle build (Kotlin DSL, Kotlin plugin)"],
    }
    assert [identity(p) for p in result["projects"]] == [("kotlin", None, "gradle", None)] * 4
    assert project(result, ".")["workspace"] == {
        "kind": "gradle",
        "members": ["app", "domain", "ui"],
    }


def test_java_sources_beside_a_few_kotlin_ones_stay_java(detected: Detected) -> None:
    proj = project(
        detected(
            {
                "build.gradle.kts": "plugins {\n    java\n}\n",
                "src/main/java/a/A.java": "class A {}\n",
                "src/main/java/a/B.java": "class B {}\n",
                "src/test/java/a/ATest.kt": "class ATest\n",
            }
        ),
        ".",
    )
    assert proj["language"] == "java"


def test_maven_module_with_kt_sources_is_kotlin(detected: Detected) -> None:
    pom = f"<project {NS}><groupId>a</groupId><artifactId>b</artifactId></project>\n"
    proj = project(detected({"pom.xml": pom, "src/main/java/a/App.kt": KOTLIN_MAIN}), ".")
    assert proj["language"] == "kotlin"
    assert (
        evidence(
            "language", "pom.xml", "Maven a:b (jar), Kotlin: 1 .kt and 0 .java files under src/"
        )
        in proj["evidence"]
    )


def test_grpc_services_on_gradle_and_maven(detected: Detected) -> None:
    grpc_pom = (
        f"<project {NS}><groupId>a</groupId><artifactId>greeter</artifactId><dependencies>"
        "<dependency><groupId>io.grpc</groupId><artifactId>grpc-netty-shaded</artifactId>"
        "</dependency></dependencies></project>\n"
    )
    result = detected(
        {
            "settings.gradle": "rootProject.name = 'rpc'\ninclude 'route-guide', 'spring'\n",
            "route-guide/build.gradle": "plugins {\n    id 'application'\n"
            "    id 'com.google.protobuf' version '0.9.4'\n}\n"
            "dependencies {\n    implementation 'io.grpc:grpc-protobuf:1.64.0'\n"
            '    implementation "io.grpc:grpc-stub:${grpcVersion}"\n}\n',
            "route-guide/src/main/java/rg/RouteGuideServer.java": "class RouteGuideServer {}\n",
            "spring/build.gradle": "plugins { id 'org.springframework.boot' version '3.3.0' }\n"
            "dependencies { implementation 'io.grpc:grpc-services:1.64.0' }\n",
            "greeter/pom.xml": grpc_pom,
        }
    )
    assert {p["path"]: identity(p) for p in result["projects"]} == {
        ".": ("java", None, "gradle", None),
        "greeter": ("java", "grpc", "maven", None),
        "route-guide": ("java", "grpc", "gradle", None),
        "spring": ("java", "spring-boot", "gradle", "java-spring"),
    }
    guide = project(result, "route-guide")
    assert (
        evidence("framework", "route-guide/build.gradle", "depends on io.grpc:grpc-protobuf")
        in guide["evidence"]
    )


def test_frameworks_only_in_test_dependencies_are_not_the_projects(detected: Detected) -> None:
    pom = (
        f"<project {NS}><groupId>a</groupId><artifactId>client</artifactId><dependencies>"
        "<dependency><groupId>com.acme</groupId><artifactId>core</artifactId></dependency>"
        "<dependency><groupId>io.grpc</groupId><artifactId>grpc-testing</artifactId>"
        "<scope>test</scope></dependency></dependencies></project>\n"
    )
    result = detected(
        {
            "client/pom.xml": pom,
            "sdk/build.gradle.kts": "plugins {\n    `java-library`\n}\n"
            "dependencies {\n"
            '    api("com.squareup.okhttp3:okhttp:4.12.0")\n'
            '    testImplementation("io.quarkus:quarkus-junit5:3.8.0")\n'
            '    testImplementation("io.grpc:grpc-inprocess:1.64.0")\n'
            "}\n",
            "svc/build.gradle": "dependencies {\n"
            "    implementation 'io.grpc:grpc-stub:1.64.0'\n"
            "    testImplementation 'io.grpc:grpc-testing:1.64.0'\n"
            "}\n",
        }
    )
    frameworks = {
        p["path"]: (
            p["framework"],
            claim_details(p, "framework"),
        )
        for p in result["projects"]
    }
    assert frameworks == {
        "client": (None, ["io.grpc:grpc-testing only in the test scope: not its framework"]),
        "sdk": (
            None,
            [
                "io.grpc:grpc-inprocess only in test configurations: not its framework",
                "io.quarkus:quarkus-junit5 only in test configurations: not its framework",
            ],
        ),
        "svc": ("grpc", ["depends on io.grpc:grpc-stub"]),
    }
