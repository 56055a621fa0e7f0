"""Conventions drive the generated layout: `--agent` and SCAFFOLD_AGENT."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.conventions import layout_answers, parse_agent_definition
from scaffold.errors import ConventionsError, ExitCode
from scaffold.templates import get_stack, load_template

CUSTOM = """---
name: team-agent
---
## Conventions
- **Python/FastAPI**: app/routers/, app/schemas/, app/domain/
"""


def fastapi_layout() -> dict[str, object]:
    return dict(load_template(get_stack("python-fastapi").template).metadata["layout"])


def answers_for(line: str) -> dict[str, str]:
    conventions = parse_agent_definition(f"## Conventions\n{line}\n")
    return layout_answers(fastapi_layout(), conventions.stacks[0])


def test_folders_answer_the_questions_by_name_then_by_order() -> None:
    assert answers_for("- **Python/FastAPI**: `app/api/`, `app/models/`, `app/services/`") == {
        "package_name": "app",
        "api_module": "api",
        "models_module": "models",
        "services_module": "services",
    }
    assert answers_for(
        "- **Python/FastAPI**: `svc/http/`, `svc/orm/`, `svc/logic/`, `svc/dto/`"
    ) == {
        "package_name": "svc",
        "api_module": "http",
        "models_module": "orm",
        "services_module": "logic",
        "schemas_module": "dto",
    }
    # Unknown names fill the questions still open, in order.
    assert answers_for("- **Python/FastAPI**: `app/alpha/`, `app/models/`, `app/beta/`") == {
        "package_name": "app",
        "models_module": "models",
        "api_module": "alpha",
        "services_module": "beta",
    }


def test_two_packages_are_refused() -> None:
    with pytest.raises(ConventionsError, match="the folders name two packages, app and src"):
        answers_for("- **Python/FastAPI**: `app/api/`, `src/models/`")


def dry_run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["new", "python-fastapi", *args, "--dry-run", "--json"], env=env
    )
    return result.exit_code, result.output


def test_an_agent_definition_changes_the_generated_layout(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text(CUSTOM)
    code, output = dry_run(str(tmp_path / "svc"), "--agent", str(agent))
    assert code == 0, output
    payload = json.loads(output)
    paths = {f["path"] for f in payload["files"]}
    assert {"app/routers/v1/items.py", "app/schemas/item.py", "app/domain/item_service.py"} <= paths
    assert not any(p.startswith(("app/api/", "app/services/")) for p in paths)
    assert payload["answers"]["api_module"] == "routers"
    assert payload["answers"]["services_module"] == "domain"

    code, output = dry_run(str(tmp_path / "svc"), env={"SCAFFOLD_AGENT": str(agent)})
    assert json.loads(output)["answers"]["api_module"] == "routers"


def test_explicit_answers_win_over_the_conventions(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text(CUSTOM)
    code, output = dry_run(str(tmp_path / "svc"), "--agent", str(agent), "-d", "api_module=web")
    assert code == 0, output
    assert json.loads(output)["answers"]["api_module"] == "web"


def test_a_layout_the_template_cannot_take_is_a_one_line_error(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text("## Conventions\n- **Python/FastAPI**: `app/api/v1/`, `app/models/`\n")
    code, output = dry_run(str(tmp_path / "svc"), "--agent", str(agent))
    assert code == ExitCode.USAGE
    assert output == (
        f"scaffold: error: api_module='api/v1' (from the conventions, {agent} line 2): "
        "must be a lowercase Python identifier\n"
    )
    assert not (tmp_path / "svc").exists()


def test_conventions_command(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text(CUSTOM)
    result = CliRunner().invoke(app, ["conventions", "--agent", str(agent)])
    assert result.exit_code == 0
    assert result.output == (
        f"Conventions from {agent} (team-agent)\n"
        "\n"
        "Python/FastAPI  template python-fastapi\n"
        "  folders  app/routers/  app/schemas/  app/domain/\n"
    )
    payload = json.loads(CliRunner().invoke(app, ["conventions", "--json"]).output)
    assert payload["schema"] == 1
    assert payload["name"] == "backend-engineer"
    assert [s["label"] for s in payload["stacks"]] == [
        "Python/FastAPI", "Python/Django", "Node.js/Express", "Node.js/NestJS", "Go", "Rust",
        "Java/Spring",
    ]  # fmt: skip
    stack = payload["stacks"][0]
    assert list(stack) == [
        "label", "language", "framework", "folders", "files", "configs", "template", "has_template",
    ]  # fmt: skip
    assert (stack["template"], stack["has_template"]) == ("python-fastapi", True)


def test_a_broken_agent_definition_is_a_one_line_error(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text("## Conventions\n- **Go**:\n")
    result = CliRunner().invoke(app, ["conventions", "--agent", str(agent)])
    assert result.exit_code == ExitCode.ERROR
    assert result.output == f"scaffold: error: {agent}:2: the line for Go names no folders\n"


def test_install_agent_copies_the_definition_in_force(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text(CUSTOM)
    target = tmp_path / "svc"
    result = CliRunner().invoke(
        app, ["new", "python-fastapi", str(target), "--agent", str(agent), "--install-agent"]
    )
    assert result.exit_code == 0, result.output
    assert (target / ".claude" / "agents" / "team-agent.md").read_text() == CUSTOM
    assert (target / "app" / "routers" / "v1" / "items.py").is_file()

    default = tmp_path / "default"
    code, output = dry_run(str(default), "--install-agent")
    assert code == 0
    assert ".claude/agents/backend-engineer.md" in {f["path"] for f in json.loads(output)["files"]}
    assert not default.exists()
