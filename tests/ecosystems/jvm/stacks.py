"""The java-spring stack: its files and its contract."""

from __future__ import annotations

from tests.ecosystems.contract import BadAnswer, StackContract

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


def expected_files(package: str) -> set[str]:
    folder = package.replace(".", "/")
    return (
        COMMON_FILES
        | {f"src/main/java/{folder}/{name}.java" for name in MAIN_CLASSES}
        | {f"src/test/java/{folder}/{name}.java" for name in TEST_CLASSES}
    )


BAD_ANSWERS: tuple[BadAnswer, ...] = (
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
)  # fmt: skip

JAVA_SPRING = StackContract(
    stack="java-spring",
    summary_part="Spring Boot 3",
    language="java",
    framework="spring-boot",
    files=lambda name: expected_files(f"com.example.{name}"),
    dry_run_name="inventory",
    dry_run_answers={
        "artifact_id": "inventory",
        "author": "",
        "database": "h2",
        "description": "An HTTP service written with Spring Boot",
        "group_id": "com.example",
        "java_version": "17",
        "package_name": "com.example.inventory",
        "project_name": "inventory",
    },
    next_steps=("cd inventory", "./mvnw -q verify", "./mvnw spring-boot:run"),
    tree_line="├── .mvn/",
    marker="pom.xml",
    bad_answers=BAD_ANSWERS,
    accepted=(
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
        ("database", "h2"),
        ("database", "postgresql"),
        ("description", ""),
        ("author", "Ada Lovelace <ada@example.com>"),
    ),
    refused=(
        ("group_id", "com.example.", ""),
        ("group_id", "com.ex-ample", ""),
        ("group_id", "com.example\n", ""),
        ("group_id", "{{x}}", ""),
        ("group_id", "com.goto", ""),
        ("group_id", "com._", ""),
        ("group_id", "a" * 81, ""),
        ("artifact_id", "", ""),
        ("artifact_id", "a b", ""),
        ("artifact_id", "x; rm -rf /", ""),
        ("artifact_id", "a.b", ""),
        ("package_name", "", ""),
        ("package_name", "com/example", ""),
        ("package_name", "com.example.x-y", ""),
        ("package_name", "java", ""),
        ("package_name", "com.example.null", ""),
        ("author", "two\nlines", ""),
        ("description", "x" * 201, ""),
    ),
    copier_refused=(
        ("group_id", "Com.Example"),
        ("artifact_id", "my_app"),
        ("package_name", "com.example.class"),
    ),
)

CONTRACTS = (JAVA_SPRING,)
