"""An adopted project is described by what it is: the description its manifest declares,
else what detection found (a Django site without Django REST framework is a Django site),
never the template's default, which describes what the template generates."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.adopters.base import description
from scaffold.commands.adopt import plan_adoption
from tests.helpers import committed_repo

ANSWERS = ".copier-answers.yml"
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"


def recorded_description(tmp_path: Path, files: dict[str, str]) -> str:
    """The description the answers file of the repository's one project records."""
    repo = committed_repo(tmp_path / "repo", files)
    result = plan_adoption(repo)
    (project,) = result.projects
    assert project.status == "planned", project.reason
    (answers,) = [a for a in result.plan.actions if a.path.name == ANSWERS]
    assert answers.content is not None
    line = f"description: {project.answers['description']}"
    assert line in answers.content.decode().splitlines()
    return str(project.answers["description"])


def pyproject(*dependencies: str, declared: str = "") -> str:
    listed = ", ".join(f'"{d}"' for d in dependencies)
    text = f'[project]\nname = "site"\nversion = "1.0.0"\ndependencies = [{listed}]\n'
    return text + (f'description = "{declared}"\n' if declared else "")


CASES = {
    "a django site": (
        {"pyproject.toml": pyproject("django>=4.2"), "manage.py": MANAGE},
        "A Django site.",
    ),
    "a django REST framework service": (
        {"pyproject.toml": pyproject("django", "djangorestframework"), "manage.py": MANAGE},
        "A Django REST framework service.",
    ),
    "a django site that says what it is": (
        {
            "pyproject.toml": pyproject("django", declared="The  bakery's   shop"),
            "manage.py": MANAGE,
        },
        "The bakery's shop",
    ),
    "a fastapi service": (
        {"pyproject.toml": pyproject("fastapi"), "main.py": "import fastapi\n"},
        "A FastAPI service.",
    ),
    "a rust crate without axum": (
        {
            "Cargo.toml": '[package]\nname = "tool"\nversion = "0.1.0"\nedition = "2021"\n',
            "src/main.rs": "fn main() {}\n",
        },
        "A Rust crate.",
    ),
    "an axum service": (
        {
            "Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\nedition = "2021"\n'
            '[dependencies]\naxum = "0.8"\n',
            "src/main.rs": "fn main() {}\n",
        },
        "An HTTP service built with axum",
    ),
    "a crate that says what it is": (
        {
            "Cargo.toml": '[package]\nname = "tool"\nversion = "0.1.0"\nedition = "2021"\n'
            'description = "Resizes images"\n',
            "src/main.rs": "fn main() {}\n",
        },
        "Resizes images",
    ),
    "an express service in javascript": (
        {
            "package.json": '{"name": "api", "dependencies": {"express": "^4"}}\n',
            "index.js": 'require("express");\n',
        },
        "An HTTP service written in JavaScript with Express.",
    ),
    "a go module": (
        {"go.mod": "module example.com/tool\n\ngo 1.22\n", "main.go": "package main\n"},
        "A Go module.",
    ),
    "a spring application with a description": (
        {
            "pom.xml": "<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId>"
            "<artifactId>shop</artifactId><description>The shop's API</description>"
            "<parent><groupId>org.springframework.boot</groupId>"
            "<artifactId>spring-boot-starter-parent</artifactId></parent>"
            "<dependencies><dependency><groupId>org.springframework.boot</groupId>"
            "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>"
            "</project>\n",
            "src/main/java/com/acme/shop/App.java": "package com.acme.shop;\nclass App {}\n",
        },
        "The shop's API",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_description_recorded_is_what_the_project_is(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    assert recorded_description(tmp_path, files) == expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("Orders API", "Orders API"),
        ("  two\nlines ", "two lines"),
        ("", "found"),
        ("x" * 201, "found"),
        ("bell\a", "found"),
        (["a list"], "found"),
        (None, "found"),
    ],
)
def test_a_declared_description_is_used_when_it_is_one_line(
    declared: object, expected: str
) -> None:
    assert description(declared, "found") == expected


WEB = ("org.springframework.boot", "spring-boot-starter-web")


def spring_pom(*dependencies: tuple[str, str]) -> str:
    listed = "".join(
        f"<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId></dependency>"
        for group, artifact in (WEB, *dependencies)
    )
    return (
        "<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId>"
        "<artifactId>shop</artifactId><parent><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-parent</artifactId></parent>"
        f"<dependencies>{listed}</dependencies></project>\n"
    )


@pytest.mark.parametrize(
    ("files", "database"),
    [
        ({"pom.xml": spring_pom(("org.postgresql", "postgresql"))}, "postgresql"),
        ({"pom.xml": spring_pom(("com.h2database", "h2"))}, "h2"),
        (
            {
                "settings.gradle.kts": 'rootProject.name = "shop"\n',
                "build.gradle.kts": 'plugins { id("org.springframework.boot") version "3.4.0" }\n'
                'dependencies {\n  implementation("org.springframework.boot:spring-boot-starter-web")\n'
                '  runtimeOnly("org.postgresql:postgresql")\n}\n',
            },
            "postgresql",
        ),
        (
            {
                "settings.gradle.kts": 'rootProject.name = "shop"\n',
                "build.gradle.kts": 'plugins { id("org.springframework.boot") version "3.4.0" }\n'
                'dependencies {\n  implementation("org.springframework.boot:spring-boot-starter-web")\n'
                '  // runtimeOnly("org.postgresql:postgresql")\n}\n',
            },
            "h2",
        ),
    ],
)
def test_a_spring_application_records_the_database_its_build_declares(
    tmp_path: Path, files: dict[str, str], database: str
) -> None:
    files = {**files, "src/main/java/com/acme/shop/App.java": "package com.acme.shop;\n"}
    repo = committed_repo(tmp_path / "repo", files)
    (project,) = plan_adoption(repo).projects
    assert project.status == "planned", project.reason
    assert project.answers["database"] == database
