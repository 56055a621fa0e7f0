"""The JVM: Maven and Gradle builds; Java, Kotlin and Scala; Spring Boot."""

from __future__ import annotations

from scaffold.ecosystems.base import ConfigKind, Ecosystem, framework_names

#: Build scripts and settings scripts, each in the order Gradle prefers them.
BUILD_SCRIPTS = ("build.gradle.kts", "build.gradle")
SETTINGS_SCRIPTS = ("settings.gradle.kts", "settings.gradle")

_JVM = frozenset({"java", "kotlin", "scala"})
_KOTLIN = frozenset({"kotlin"})

ECOSYSTEM = Ecosystem.built_in(
    "jvm",
    project_manifests=("pom.xml", "build.gradle", "build.gradle.kts"),
    config_kinds=(
        ConfigKind(
            "checkstyle", "Checkstyle", _JVM, ("checkstyle.xml", "config/checkstyle/checkstyle.xml")
        ),
        ConfigKind("spotless", "Spotless", _JVM),
        ConfigKind("pmd", "PMD", _JVM),
        ConfigKind("spotbugs", "SpotBugs", _JVM),
        ConfigKind("ktlint", "ktlint", _KOTLIN),
        ConfigKind("detekt", "detekt", _KOTLIN, ("detekt.yml", "config/detekt/detekt.yml")),
        ConfigKind("scalafmt", "scalafmt", frozenset({"scala"}), (".scalafmt.conf",)),
    ),
    extensions={"java": (".java",), "kotlin": (".kt", ".java"), "scala": (".scala",)},
    language_aliases={"java": "java", "kotlin": "kotlin"},
    framework_aliases=framework_names(
        "android dropwizard grpc helidon javalin ktor micronaut quarkus spring-boot vertx",
        {
            "spring": "spring-boot",
            "spring boot": "spring-boot",
            "springboot": "spring-boot",
            "vert.x": "vertx",
            "grpc-java": "grpc",
        },
    ),
    priority={"java": 3, "kotlin": 4, "scala": 5},
    families={"maven": "jvm", "gradle": "jvm", "java": "jvm", "kotlin": "jvm", "scala": "jvm"},
    stack_languages=frozenset({"java", "kotlin"}),
)
