"""Parsing agent definitions: tolerant of layout, strict about malformed input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.conventions import default_agent_path, load_conventions, parse_agent_definition
from scaffold.errors import ConventionsError
from tests.helpers import REPO_ROOT

SPEC = REPO_ROOT.parent / "shared" / "spec" / "backend-engineer.md"
SIX = {
    "Python/Django": ("django", ("app/models", "app/views", "app/serializers")),
    "Python/FastAPI": ("python-fastapi", ("app/api", "app/models", "app/services")),
    "Node.js/Express": ("node-express", ("src/routes", "src/controllers", "src/models")),
    "Go": ("go", ("internal", "pkg", "cmd")),
    "Rust": ("rust", ("src",)),
    "Java/Spring": ("java-spring", ("src/main/java/com/company/project",)),
}


def by_label(text: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    return {s.label: (s.template, s.folders) for s in parse_agent_definition(text).stacks}


@pytest.mark.skipif(not SPEC.is_file(), reason="the shared spec is not beside this checkout")
def test_the_shared_spec_yields_its_six_stacks() -> None:
    conventions = parse_agent_definition(SPEC.read_text(), str(SPEC))
    assert conventions.name == "backend-engineer"
    assert {s.label: (s.template, s.folders) for s in conventions.stacks} == SIX
    rust = next(s for s in conventions.stacks if s.label == "Rust")
    assert rust.files == ("mod.rs",)


def test_the_built_in_definition_covers_every_stack() -> None:
    conventions = load_conventions(default_agent_path())
    templates = {s.label: s.template for s in conventions.stacks}
    assert templates == {label: template for label, (template, _) in SIX.items()} | {
        "Node.js/NestJS": "node-nestjs"
    }
    nestjs = conventions.for_template("node-nestjs")
    assert nestjs is not None
    assert nestjs.folders == ("src/items", "src/common", "src/database")
    fastapi = conventions.for_template("python-fastapi")
    assert fastapi is not None
    assert fastapi.folders == ("app/api", "app/models", "app/services")
    assert "pyproject.toml[tool.ruff]" in fastapi.configs


def test_bullets_spacing_order_prose_and_trailing_slashes_are_tolerated() -> None:
    text = """# Team agent

Some prose first.

### Our conventions ###

Intro paragraph with **bold** words: not a stack.

*   **Go** :  `cmd/`,`internal/`
- **Python / FastAPI:** app/routers, app/schemas/, app/domain
+ **Elixir/Phoenix**: `lib/`, `test/`
- not a stack line: `src/`

## Next section
- **Rust**: `src/`
"""
    assert by_label(text) == {
        "Go": ("go", ("cmd", "internal")),
        "Python / FastAPI": ("python-fastapi", ("app/routers", "app/schemas", "app/domain")),
        "Elixir/Phoenix": (None, ("lib", "test")),
    }


def test_front_matter_names_configs_and_templates() -> None:
    text = """---
name: team
description: Our backend agent.
scaffold:
  stacks:
    Go:
      template: go
      configs: [.golangci.yml]
    Kotlin/Ktor:
      template: my-ktor
---
## Conventions
- **Go**: `cmd/`, `internal/`
- **Kotlin/Ktor**: `src/main/kotlin/`
"""
    conventions = parse_agent_definition(text)
    assert conventions.name == "team"
    go, ktor = conventions.stacks
    assert (go.configs, go.template) == ((".golangci.yml",), "go")
    assert (ktor.language, ktor.template, ktor.folders) == (
        "kotlin",
        "my-ktor",
        ("src/main/kotlin",),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\nname: [unclosed\n---\n## Conventions\n- **Go**: `cmd/`\n", "x.md:2: invalid YAML front matter"),
        ("---\nname: x\n## Conventions\n- **Go**: `cmd/`\n", "line 1: the front matter opened with --- is never closed"),
        ("# Agent\n\nNo section here.\n", "x.md: no conventions section"),
        ("## Conventions\n\nJust prose.\n", "x.md: the conventions section lists no stacks"),
        ("## Conventions\n- **Go**: `cmd/`\n- **Rust**:\n", "x.md:3: the line for Rust names no folders"),
        ("## Conventions\n- **Go**: `cmd/`\n- **Go**: `pkg/`\n", "x.md:3: Go is listed twice (first on line 2)"),
        ("## Conventions\n- **Go**: `../cmd/`\n", "x.md:2: '../cmd/' must be a relative path inside the project"),
        ("---\nscaffold: [1]\n---\n## Conventions\n- **Go**: `cmd/`\n", "x.md: front matter key scaffold.stacks must map"),
    ],
)  # fmt: skip
def test_malformed_definitions_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ConventionsError) as caught:
        parse_agent_definition(text, "x.md")
    assert str(caught.value).startswith(message)


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    binary = tmp_path / "agent.md"
    binary.write_bytes(b"\x00\x01")
    with pytest.raises(ConventionsError, match="is a binary file"):
        load_conventions(binary)
    with pytest.raises(ConventionsError, match="does not exist"):
        load_conventions(tmp_path / "missing.md")
    with pytest.raises(ConventionsError, match="is a folder"):
        load_conventions(tmp_path)


def test_the_plugin_ships_the_agent_and_the_skill() -> None:
    manifest = json.loads((REPO_ROOT / ".claude-plugin" / "plugin.json").read_text())
    assert manifest["name"] == "scaffold"
    from scaffold import __version__

    assert manifest["version"] == __version__
    # Claude Code finds the agent and the skills in their default folders.
    (agent_file,) = (REPO_ROOT / "agents").glob("*.md")
    assert agent_file.resolve() == default_agent_path()
    assert len(load_conventions(agent_file).stacks) == 7
    skill_text = (REPO_ROOT / "skills" / "scaffold" / "SKILL.md").read_text()
    assert skill_text.startswith("---\nname: scaffold\ndescription: ")
    for command in ("scaffold detect", "scaffold new", "scaffold adopt", "scaffold update"):
        assert command in skill_text


def test_a_front_matter_key_that_is_not_a_string_names_its_line(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text("---\nname: x\n\n1: y\n---\n## Conventions\n- **Go**: `cmd/`\n")
    with pytest.raises(ConventionsError) as caught:
        load_conventions(agent)
    assert str(caught.value) == f"{agent}:4: front matter key 1 must be a string (quote it)"


def test_labels_map_to_the_stacks_detection_maps_them_to() -> None:
    conventions = parse_agent_definition(
        "## Conventions\n"
        "- **Go / Gin**: `cmd/`, `internal/`\n"
        "- **Kotlin / Spring Boot**: `src/main/kotlin/`\n"
        "- **Rust (Axum)**: `src/`\n"
        "- **Ruby / Rails**: `app/models/`\n"
    )
    assert [(s.label, s.template) for s in conventions.stacks] == [
        ("Go / Gin", "go"),
        ("Kotlin / Spring Boot", "java-spring"),
        ("Rust (Axum)", "rust"),
        ("Ruby / Rails", None),
    ]
