"""The files of a java-spring project."""

from __future__ import annotations

from tests.ecosystems import EVERY_STACK_FILES

COMMON_FILES = set(EVERY_STACK_FILES) | {
    ".gitattributes",
    ".mvn/wrapper/maven-wrapper.properties",
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
    "health/ShutdownDelay",
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
    "web/BodySizeLimit",
    "web/CorsConfig",
    "web/ErrorCode",
    "web/ErrorPathController",
    "web/JacksonConfig",
    "web/JsonErrorReportValve",
    "web/OffsetPageRequest",
    "web/PageResponse",
    "web/RequestLoggingFilter",
    "web/SecurityHeadersFilter",
    "web/ServerConfig",
}
TEST_CLASSES = {
    "BrowserHeadersTest",
    "CorsListedOriginTest",
    "ItemsApiTest",
    "ShutdownTest",
    "items/ItemControllerTest",
}


def spring_boot_parent(version: str) -> str:
    """The ``<parent>`` block of a Spring Boot project's pom.xml, as a pom indents it."""
    return f"""\
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>{version}</version>
    <relativePath/>
  </parent>
"""


#: The dependency on Spring's web starter, as a pom's ``<dependencies>`` indents it.
SPRING_BOOT_WEB = """\
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
"""


def expected_files(package: str) -> set[str]:
    folder = package.replace(".", "/")
    return (
        COMMON_FILES
        | {f"src/main/java/{folder}/{name}.java" for name in MAIN_CLASSES}
        | {f"src/test/java/{folder}/{name}.java" for name in TEST_CLASSES}
    )


#: The files of a project with the defaults, by stack and project name.
FILES = {"java-spring": lambda name: expected_files(f"com.example.{name}")}
