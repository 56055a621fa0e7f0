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
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.new import new_project
from scaffold.conventions import load_conventions
from scaffold.errors import ExitCode
from scaffold.templates import get_stack, load_template
from tests.ecosystems import service
from tests.ecosystems.node.generated import (
    check_request_log,
    rendered_package,
    run_agents_checks,
    serve_once,
)
from tests.ecosystems.node.stacks import DEFAULT_LAYOUT, LAYOUT_KEYS, STACK, expected_files
from tests.ecosystems.node.toolchain import node_tools
from tests.helpers import (
    agent_file,
    agents_commands,
    assert_contains,
    files_under,
    planned,
    recorded_answers,
)

TEMPLATE = get_stack("node-express").template

# A team's agent definition: its Node.js line names its own folders, one of them nested.
TEAM_AGENT = """---
name: team-agent
---
## Conventions

- **Node.js/Express**: src/api/, src/handlers/, src/entities/, src/domain/usecases/
"""
# An agent definition whose controllers folder is one the template's own code takes.
TAKEN_FOLDER_AGENT = "## Conventions\n- **Node.js/Express**: `src/routes/`, `src/storage/`\n"
TEAM_LAYOUT = dict(
    zip(LAYOUT_KEYS, ["api", "handlers", "entities", "domain/usecases"], strict=True)
)


def team_agent(tmp_path: Path) -> Path:
    return agent_file(tmp_path, TEAM_AGENT, "team-agent.md")


# --- fast: through the command line ----------------------------------------------------


def test_layout_answers_come_from_the_agent_definition(tmp_path: Path) -> None:
    target = tmp_path / "inventory"
    payload = planned(STACK, str(target), "--agent", str(team_agent(tmp_path)))
    assert {key: payload["answers"][key] for key in LAYOUT_KEYS} == TEAM_LAYOUT
    assert {f["path"] for f in payload["files"]} == expected_files(**TEAM_LAYOUT)
    assert not target.exists()


def test_a_shorter_agent_line_leaves_the_other_folders_at_their_default(tmp_path: Path) -> None:
    agent = agent_file(
        tmp_path, "## Conventions\n- **Node.js/Express**: `src/handlers/`, `src/routers/`\n"
    )
    answers = planned(STACK, str(tmp_path / "svc"), "--agent", str(agent))["answers"]
    assert {key: answers[key] for key in LAYOUT_KEYS} == {
        "routes_dir": "routers",
        "controllers_dir": "handlers",
        "models_dir": "models",
        "services_dir": "services",
    }


def test_a_layout_the_template_cannot_take_is_a_one_line_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    agent = agent_file(tmp_path, TAKEN_FOLDER_AGENT)
    target = tmp_path / "svc"
    result = runner.invoke(app, ["new", STACK, str(target), "--agent", str(agent), "--defaults"])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.stderr.splitlines() == [
        f"scaffold: error: controllers_dir='storage' (from the conventions, {agent} line 2): "
        "src/storage/ holds the template's own code; choose another folder"
    ]
    assert not target.exists()


def test_data_overrides_a_layout_the_template_cannot_take(tmp_path: Path) -> None:
    agent = agent_file(tmp_path, TAKEN_FOLDER_AGENT)
    args = [STACK, str(tmp_path / "svc"), "--agent", str(agent), "--defaults"]
    answers = planned(*args, "--data", "controllers_dir=handlers")["answers"]
    assert answers["controllers_dir"] == "handlers"


def test_defaults_and_data_are_rendered(tmp_path: Path) -> None:
    target = tmp_path / "billing"
    package = rendered_package(target, STACK, expected_files())
    assert package["scripts"]["build"] == "tsc -p tsconfig.build.json"
    assert package["scripts"]["format:check"] == "prettier --check ."
    assert package["scripts"]["start"] == "node dist/main.js"
    assert {"cors", "express", "helmet", "kysely", "pino", "zod"} == set(package["dependencies"])
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
    recorded = recorded_answers(target)
    answers = YAML(typ="safe", pure=True).load(recorded)
    assert answers["node_version"] == "22"
    assert answers["database"] == "sqlite"
    assert {key: answers[key] for key in LAYOUT_KEYS} == DEFAULT_LAYOUT
    for path in target.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "{{" not in text and "{%" not in text, path


def test_sqlite_needs_no_native_module_and_postgresql_adds_pg(tmp_path: Path) -> None:
    sqlite, postgresql = tmp_path / "stock", tmp_path / "ledger"
    new_project(STACK, sqlite, {})
    new_project(STACK, postgresql, {"database": "postgresql"})

    packages = {
        project.name: json.loads((project / "package.json").read_text())
        for project in (sqlite, postgresql)
    }
    assert "pg" not in packages["stock"]["dependencies"]
    assert "@types/pg" not in packages["stock"]["devDependencies"]
    assert packages["ledger"]["dependencies"]["pg"].startswith("^8.")
    assert packages["ledger"]["devDependencies"]["@types/pg"].startswith("^8.")
    for package in packages.values():
        assert package["dependencies"]["kysely"].startswith("^0.")
        assert not {"better-sqlite3", "sqlite3"} & set(package["dependencies"])
    assert_contains(
        sqlite / "src/storage/node-sqlite.ts", "import { DatabaseSync, type SQLInputValue"
    )
    database_ts = (sqlite / "src/storage/database.ts").read_text()
    assert "pg" not in re.findall(r'from "([^"]+)"', database_ts)
    assert 'import pg from "pg";' in (postgresql / "src/storage/database.ts").read_text()

    # SQLite's file lives where the image's user may write; PostgreSQL's URL comes from compose.
    dockerfile = (sqlite / "Dockerfile").read_text()
    assert service.image_environment(sqlite / "Dockerfile")["DATABASE_URL"] == (
        "sqlite:/app/data/app.db"
    )
    assert "chown node:node /app/data" in dockerfile
    assert "DATABASE_URL" not in service.image_environment(postgresql / "Dockerfile")
    compose = YAML(typ="safe", pure=True).load((postgresql / "compose.yaml").read_text())
    assert compose["services"]["app"]["environment"]["DATABASE_URL"] == (
        "postgres://postgres:postgres@db:5432/ledger"
    )
    assert "DATABASE_URL=sqlite:app.db\n" in (sqlite / ".env.example").read_text()
    assert "CORS_ALLOWED_ORIGINS=\n" in (postgresql / ".env.example").read_text()


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
    assert "Node.js 24" in agents


def test_nested_layout_folders_are_imported_from_the_right_depth(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    new_project(STACK, project, {}, conventions=load_conventions(team_agent(tmp_path)))
    assert files_under(project) == expected_files(**TEAM_LAYOUT)
    for folder in ("routes", "controllers", "models", "services"):
        assert not (project / "src" / folder).exists(), folder

    assert_contains(
        project / "src/domain/usecases/item-service.ts",
        'import { NotFoundError, UnavailableError } from "../../errors.js";\n',
        'from "../../entities/item.js";\n',
        'import type { ItemStore } from "../../storage/item-store.js";\n',
    )
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


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["defaults", "team-layout", "postgresql"])
def test_generated_project_passes_its_toolchain_and_serves(
    tmp_path: Path, variant: str, variant_database: str | None
) -> None:
    tools = node_tools()
    project = tmp_path / "inventory"
    conventions = load_conventions(team_agent(tmp_path)) if variant == "team-layout" else None
    answers = {"database": "postgresql"} if variant == "postgresql" else {}
    result = new_project(STACK, project, answers, conventions=conventions)
    layout = TEAM_LAYOUT if variant == "team-layout" else DEFAULT_LAYOUT
    assert {key: result.answers[key] for key in LAYOUT_KEYS} == layout
    assert files_under(project) == expected_files(**layout)

    # The commands AGENTS.md gives are the project's whole check; run each as written. The
    # project's tests run on SQLite in memory, or on PostgreSQL as its CI runs them.
    assert [c[:2] for c in agents_commands(project)] == [
        ["npm", "install"],
        ["npm", "run"],
        ["npm", "run"],
        ["npm", "run"],
        ["npm", "test"],
    ]
    test_env = tools.env | ({"TEST_DATABASE_URL": variant_database} if variant_database else {})
    run_agents_checks(project, test_env, min_passed=30)

    # The HTTP contract is tests/ecosystems/test_service_contract.py's; here, that this
    # layout's build serves and logs, and keeps its items in the database across a restart.
    env = {"DATABASE_URL": variant_database or f"sqlite:{project / 'items.db'}"}
    _, log = serve_once(project, env)
    if variant_database is None:
        assert (project / "items.db").is_file()
    again = service.free_port()
    restarted = {"HOST": "127.0.0.1", "PORT": str(again), **env}
    with service.running_server(
        [tools.node, "dist/main.js"], project, again, env=restarted
    ) as base:
        listing = service.http_json("GET", base + "/api/v1/items")
        assert listing[0] == 200 and listing[1]["total"] == 1, listing
    check_request_log(log)
