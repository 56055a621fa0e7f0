"""The framework names detection reports: each one published in the README, read back
(with its usual spellings) where scaffold reads a framework's name."""

from __future__ import annotations

import re

import pytest

from scaffold.conventions.parse import parse_agent_definition
from scaffold.ecosystems import FRAMEWORK_ALIASES
from scaffold.ecosystems.base import framework_names
from scaffold.ecosystems.go.detect import FRAMEWORKS as GO
from scaffold.ecosystems.jvm.detect import FRAMEWORK_NAMES as JVM
from scaffold.ecosystems.node.detect import FRAMEWORKS as NODE
from scaffold.ecosystems.others.detect import FRAMEWORK_NAMES as OTHERS
from scaffold.ecosystems.python.detect import FRAMEWORKS as PYTHON
from scaffold.ecosystems.rust.detect import FRAMEWORKS as RUST
from tests.helpers import REPO_ROOT

REPORTED = frozenset(
    {
        *NODE.by_dependency.values(),
        *PYTHON.by_dependency.values(),
        *GO.by_dependency.values(),
        *RUST.by_dependency.values(),
        *JVM,
        *OTHERS,
    }
)


def test_every_reported_name_is_published_in_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Framework names", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    published = {name for row in rows for name in re.findall(r"`([^`]+)`", row)}
    assert published == REPORTED


def test_every_reported_name_is_read_as_itself_and_every_alias_as_a_reported_name() -> None:
    assert {name: FRAMEWORK_ALIASES[name] for name in REPORTED} == {n: n for n in REPORTED}
    assert set(FRAMEWORK_ALIASES.values()) == REPORTED


@pytest.mark.parametrize(
    ("label", "language", "framework", "template"),
    [
        ("TypeScript (Next.js)", "typescript", "nextjs", None),
        ("TypeScript / next", "typescript", "nextjs", None),
        ("Node.js (Express.js)", "javascript", "express", "node-express"),
        ("Kotlin / Spring Boot", "kotlin", "spring-boot", "java-spring"),
        ("Python (Django REST framework)", "python", "django", "django"),
        ("Go (go-kratos)", "go", "kratos", "go"),
        ("Python / grpcio", "python", "grpc", None),
    ],
)
def test_conventions_labels_accept_the_usual_spellings(
    label: str, language: str, framework: str, template: str | None
) -> None:
    text = f"# Agent\n\n## Conventions\n\n- **{label}**: `src/`\n"
    (stack,) = parse_agent_definition(text, "agent.md").stacks
    assert (stack.language, stack.framework, stack.template) == (language, framework, template)


def test_an_alias_of_a_name_not_reported_is_refused() -> None:
    with pytest.raises(ValueError, match="alias 'next' names 'nextjs', which is not reported"):
        framework_names("react", {"next": "nextjs"})
