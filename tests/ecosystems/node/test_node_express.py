"""The node-express template: what only it has, through the CLI (fast), and accepted by
its own toolchain (slow tier); what every stack does is in tests/test_stack_contract.py.

The slow tests generate a project, run every command of its AGENTS.md (``npm install``,
ESLint, the Prettier check, ``tsc`` and the tests), then start the compiled server with
``node dist/main.js`` and use it over HTTP. npm keeps its download cache in the real home
(``npm_config_cache``, see tests/helpers.py), so only the first run downloads packages.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.new import new_project
from scaffold.conventions import load_conventions
from scaffold.errors import ExitCode
from scaffold.templates import load_template
from tests.ecosystems.node.stacks import DEFAULT_LAYOUT, LAYOUT_KEYS, STACK, expected_files
from tests.ecosystems.node.toolchain import node_tools
from tests.helpers import (
    REPO_ROOT,
    agents_commands,
    check_error,
    files_under,
    free_port,
    http_json,
    run,
    running_server,
)

TEMPLATE = REPO_ROOT / "templates" / "node-express"

# A team's agent definition: its Node.js line names its own folders, one of them nested.
TEAM_AGENT = """---
name: team-agent
---
## Conventions

- **Node.js/Express**: src/api/, src/handlers/, src/entities/, src/domain/usecases/
"""
TEAM_LAYOUT = {
    "routes_dir": "api",
    "controllers_dir": "handlers",
    "models_dir": "entities",
    "services_dir": "domain/usecases",
}


def team_agent(tmp_path: Path) -> Path:
    agent = tmp_path / "team-agent.md"
    agent.write_text(TEAM_AGENT)
    return agent


# --- fast: through the command line ----------------------------------------------------


def test_layout_answers_come_from_the_agent_definition(runner: CliRunner, tmp_path: Path) -> None:
    agent = team_agent(tmp_path)
    target = tmp_path / "inventory"
    result = runner.invoke(
        app, ["new", STACK, str(target), "--agent", str(agent), "--dry-run", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {key: payload["answers"][key] for key in LAYOUT_KEYS} == TEAM_LAYOUT
    assert {f["path"] for f in payload["files"]} == expected_files(**TEAM_LAYOUT)
    assert not target.exists()


def test_a_shorter_agent_line_leaves_the_other_folders_at_their_default(
    runner: CliRunner, tmp_path: Path
) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text("## Conventions\n- **Node.js/Express**: `src/handlers/`, `src/routers/`\n")
    result = runner.invoke(
        app, ["new", STACK, str(tmp_path / "svc"), "--agent", str(agent), "--dry-run", "--json"]
    )
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)["answers"]
    assert {key: answers[key] for key in LAYOUT_KEYS} == {
        "routes_dir": "routers",
        "controllers_dir": "handlers",
        "models_dir": "models",
        "services_dir": "services",
    }


def test_a_layout_the_template_cannot_take_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text("## Conventions\n- **Node.js/Express**: `src/routes/`, `src/storage/`\n")
    target = tmp_path / "svc"
    result = runner.invoke(app, ["new", STACK, str(target), "--agent", str(agent), "--defaults"])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.stderr.splitlines() == [
        f"scaffold: error: controllers_dir='storage' (from the conventions, {agent} line 2): "
        "src/storage/ holds the template's own code; choose another folder"
    ]
    assert not target.exists()


def test_data_overrides_a_layout_the_template_cannot_take(
    runner: CliRunner, tmp_path: Path
) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text("## Conventions\n- **Node.js/Express**: `src/routes/`, `src/storage/`\n")
    target = tmp_path / "svc"
    args = ["new", STACK, str(target), "--agent", str(agent), "--defaults", "--dry-run", "--json"]
    result = runner.invoke(app, [*args, "--data", "controllers_dir=handlers"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answers"]["controllers_dir"] == "handlers"


def test_defaults_and_data_are_rendered(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "billing"
    result = runner.invoke(
        app,
        [
            "new", STACK, str(target), "--defaults", "--data", "node_version=22",
            "--data", 'description=Bills "and" invoices \\ receipts',
            "--data", "author=Ada <ada@example.com>",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    created = result.output.splitlines()[0]
    assert created == f"Created {target} ({STACK}, {len(expected_files())} files)."
    assert files_under(target) == expected_files()

    package = json.loads((target / "package.json").read_text())
    assert package["name"] == "billing"
    assert package["description"] == 'Bills "and" invoices \\ receipts'
    assert package["author"] == "Ada <ada@example.com>"
    assert (package["type"], package["engines"]["node"]) == ("module", ">=22")
    assert package["scripts"]["build"] == "tsc -p tsconfig.build.json"
    assert package["scripts"]["format:check"] == "prettier --check ."
    assert package["scripts"]["start"] == "node dist/main.js"
    assert {"express", "pino", "zod"} == set(package["dependencies"])
    dev = package["devDependencies"]
    assert {"eslint", "typescript-eslint", "prettier", "typescript", "supertest"} <= set(dev)
    assert dev["@types/node"] == "^22.0.0"
    assert package["dependencies"]["express"].startswith("^5.")
    for spec in [*package["dependencies"].values(), *dev.values()]:
        assert re.fullmatch(r"[\^~]\d+\.\d+\.\d+", spec), spec

    tsconfig = json.loads((target / "tsconfig.json").read_text())
    assert tsconfig["compilerOptions"]["strict"] is True
    assert tsconfig["compilerOptions"]["noUncheckedIndexedAccess"] is True
    assert "typescript-eslint" in (target / "eslint.config.js").read_text()
    assert json.loads((target / ".prettierrc.json").read_text()) == {"printWidth": 100}

    dockerfile = (target / "Dockerfile").read_text()
    assert re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE) == ["node:22-bookworm-slim"] * 2
    assert "AS build" in dockerfile
    assert "\nUSER node\n" in dockerfile
    assert 'CMD ["node", "dist/main.js"]' in dockerfile

    readme = (target / "README.md").read_text()
    assert readme.startswith('# billing\n\nBills "and" invoices \\ receipts\n')
    assert "Author: Ada <ada@example.com>" in readme
    assert "docker build -t billing ." in readme
    recorded = (target / ".copier-answers.yml").read_text()
    assert recorded.startswith(
        "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
    )
    answers = YAML(typ="safe", pure=True).load(recorded)
    assert answers["node_version"] == "22"
    assert {key: answers[key] for key in LAYOUT_KEYS} == DEFAULT_LAYOUT
    for path in target.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "{{" not in text and "{%" not in text, path


def test_agents_md_lists_the_commands_and_the_layout(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    new_project(STACK, project, {}, conventions=load_conventions(team_agent(tmp_path)))
    assert agents_commands(project) == [
        ["npm", "install"],
        ["npm", "run", "lint"],
        ["npm", "run", "format:check"],
        ["npm", "run", "build"],
        ["npm", "test"],
    ]
    agents = (project / "AGENTS.md").read_text()
    for folder in TEAM_LAYOUT.values():
        assert f"| `src/{folder}/` |" in agents
    assert "`src/routes/`" not in agents and "`src/controllers/`" not in agents
    assert "Node.js 20" in agents


def test_nested_layout_folders_are_imported_from_the_right_depth(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    new_project(STACK, project, {}, conventions=load_conventions(team_agent(tmp_path)))
    assert files_under(project) == expected_files(**TEAM_LAYOUT)
    for folder in ("routes", "controllers", "models", "services"):
        assert not (project / "src" / folder).exists(), folder

    service = (project / "src/domain/usecases/item-service.ts").read_text()
    assert 'import { NotFoundError, UnavailableError } from "../../errors.js";\n' in service
    assert 'from "../../entities/item.js";\n' in service
    assert 'import type { ItemStore } from "../../storage/item-store.js";\n' in service
    handlers = (project / "src/handlers/items.ts").read_text()
    assert 'import type { ItemService } from "../domain/usecases/item-service.js";' in handlers
    main = (project / "src/main.ts").read_text()
    assert 'import { ItemService } from "./domain/usecases/item-service.js";' in main
    # The imports of app.ts are sorted by path, whatever the folders are called.
    app_imports = [
        line.rsplit(" ", 1)[1]
        for line in (project / "src/app.ts").read_text().splitlines()
        if line.startswith("import ") and '"./' in line
    ]
    assert app_imports == sorted(app_imports)
    assert app_imports[0] == '"./api/health.js";'
    support = (project / "test/support.ts").read_text()
    assert 'from "../src/domain/usecases/item-service.js";' in support


@pytest.mark.parametrize(
    ("models_dir", "one_line"),
    [("m" * 24, True), ("m" * 25, False)],
    ids=["fits", "too-long"],
)
def test_long_imports_are_split_as_prettier_would(
    tmp_path: Path, models_dir: str, one_line: bool
) -> None:
    project = tmp_path / "svc"
    new_project(STACK, project, {"models_dir": models_dir})
    lines = (project / "src/storage/item-store.ts").read_text().splitlines()
    if one_line:
        assert len(lines[0]) == 100
        assert lines[0].startswith("import type { Item, ItemPatch, ListItemsQuery, NewItem } from")
    else:
        assert lines[:6] == [
            "import type {",
            "  Item,",
            "  ItemPatch,",
            "  ListItemsQuery,",
            "  NewItem,",
            f'}} from "../{models_dir}/item.js";',
        ]


def test_the_layout_questions_come_last_and_their_folders_are_under_src() -> None:
    config = YAML(typ="safe", pure=True).load((TEMPLATE / "copier.yml").read_text())
    questions = [key for key in config if not key.startswith("_")]
    assert tuple(questions[-4:]) == LAYOUT_KEYS
    assert config["_scaffold"]["layout"]["root"] == "src"


def test_every_question_has_its_own_validator() -> None:
    # Stricter than the rule shared by every stack: bools and choices are validated too.
    for question in load_template(TEMPLATE).questions.values():
        assert question.validator, question.name


# --- slow: the generated project's own toolchain ---------------------------------------


def exercise_the_api(base: str) -> None:
    assert http_json("GET", base + "/health") == (200, {"status": "ok"})
    assert http_json("GET", base + "/ready") == (200, {"status": "ready"})

    status, created = http_json(
        "POST", base + "/api/v1/items", {"name": "  widget  ", "description": "blue"}
    )
    assert status == 201, created
    assert set(created) == {"id", "name", "description", "created_at", "updated_at"}
    assert (created["name"], created["description"]) == ("widget", "blue")
    assert isinstance(created["id"], int)
    stamp = datetime.fromisoformat(created["created_at"].replace("Z", "+00:00"))
    offset = stamp.utcoffset()
    assert offset is not None and offset.total_seconds() == 0
    assert http_json("POST", base + "/api/v1/items", {"name": "gadget"})[0] == 201

    status, page = http_json("GET", base + "/api/v1/items")
    assert status == 200, page
    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)
    assert page["items"][0] == created
    status, page = http_json("GET", base + "/api/v1/items?name=GAD&sort=-id&limit=5")
    assert [i["name"] for i in page["items"]] == ["gadget"]
    assert (page["total"], page["limit"]) == (1, 5)

    status, body = http_json("GET", base + "/api/v1/items/999")
    check_error(status, body, 404, "not_found")
    assert body["error"]["message"] == "item 999 not found"
    status, body = http_json("GET", base + "/no/such/route")
    check_error(status, body, 404, "not_found")

    status, body = http_json("POST", base + "/api/v1/items", {"description": 5})
    details = check_error(status, body, 422, "validation_error")
    assert [d["field"] for d in details] == ["name", "description"]
    status, body = http_json("GET", base + "/api/v1/items?limit=1000&sort=size")
    details = check_error(status, body, 422, "validation_error")
    assert [d["field"] for d in details] == ["limit", "sort"]
    status, body = http_json("POST", base + "/api/v1/items", {"name": "widget"})
    check_error(status, body, 409, "conflict")
    status, body = http_json("PUT", base + "/api/v1/items/1", {"name": "x"})
    check_error(status, body, 405, "method_not_allowed")

    item_url = f"{base}/api/v1/items/{created['id']}"
    status, updated = http_json("PATCH", item_url, {"description": None})
    assert status == 200, updated
    assert (updated["name"], updated["description"]) == ("widget", None)
    assert http_json("DELETE", item_url) == (204, None)
    check_error(*http_json("GET", item_url), 404, "not_found")


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["defaults", "team-layout"])
def test_generated_project_passes_its_toolchain_and_serves(tmp_path: Path, variant: str) -> None:
    tools = node_tools()
    project = tmp_path / "inventory"
    conventions = load_conventions(team_agent(tmp_path)) if variant == "team-layout" else None
    result = new_project(STACK, project, {}, conventions=conventions)
    layout = TEAM_LAYOUT if variant == "team-layout" else DEFAULT_LAYOUT
    assert {key: result.answers[key] for key in LAYOUT_KEYS} == layout
    assert files_under(project) == expected_files(**layout)

    # The commands AGENTS.md gives are the project's whole check; run each as written.
    commands = agents_commands(project)
    assert [c[:2] for c in commands] == [
        ["npm", "install"],
        ["npm", "run"],
        ["npm", "run"],
        ["npm", "run"],
        ["npm", "test"],
    ]
    for command in commands:
        proc = run([tools.npm, *command[1:]], cwd=project, env=tools.env)
        if command == ["npm", "test"]:
            output = proc.stdout + proc.stderr
            passed = re.search(r"^\S+ pass (\d+)$", output, re.MULTILINE)
            assert passed and int(passed.group(1)) >= 20, output
            assert re.search(r"^\S+ fail 0$", output, re.MULTILINE), output
    assert (project / "package-lock.json").is_file()
    assert (project / "dist" / "main.js").is_file()

    port = free_port()
    log = project / f".server-{port}.log"
    env = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "debug"}
    with running_server([tools.node, "dist/main.js"], project, port, env=env) as base:
        exercise_the_api(base)

    # running_server stops the process with SIGTERM: it must have shut down gracefully,
    # logging JSON all along.
    records = [json.loads(line) for line in log.read_text().splitlines()]
    messages = [r["msg"] for r in records]
    assert messages[0] == "listening", messages
    assert messages[-2:] == ["shutting down", "stopped"], messages
    requests = [r for r in records if r["msg"] == "request"]
    assert {"method", "path", "status", "duration_ms"} <= set(requests[-1]), requests[-1]
    assert any(r["level"] == "debug" and r["path"] == "/health" for r in requests)
    assert any(r["level"] == "info" and r["status"] == 201 for r in requests)
