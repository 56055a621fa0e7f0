"""The node-nestjs template: what only it has, through the CLI (fast), and accepted by its
own toolchain (slow tier); what every stack does is in tests/test_stack_contract.py, the
HTTP contract of its running server in tests/ecosystems/test_service_contract.py.

The slow tests generate a project, run every command of its AGENTS.md (``npm install``,
ESLint, the Prettier check, ``tsc``, the migrations, the unit and the end-to-end tests),
then start the compiled server with ``node dist/main.js`` and use it over HTTP. npm keeps
its download cache in the real home, so only the first run downloads packages.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import copier
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.new import new_project
from scaffold.conventions import default_agent_path, load_conventions
from scaffold.templates import get_stack
from tests.ecosystems.node.generated import (
    check_request_log,
    rendered_package,
    run_agents_checks,
    serve_once,
)
from tests.ecosystems.node.nestjs_fixture import NEST_APP
from tests.ecosystems.node.nestjs_stacks import DEFAULT_LAYOUT, LAYOUT_KEYS, STACK, expected_files
from tests.ecosystems.node.toolchain import node_tools
from tests.helpers import (
    adopt,
    adopted,
    agent_file,
    agents_commands,
    assert_contains,
    assert_nothing_left_to_adopt,
    commit_all,
    committed_repo,
    edit,
    files_under,
    git,
    planned,
    recorded_answers,
    rendered,
    run,
)

TEMPLATE = get_stack(STACK).template

# A team's agent definition: its NestJS line names its own folders, two of them nested.
TEAM_AGENT = """---
name: team-agent
---
## Conventions

- **Node.js/NestJS**: src/modules/items/, src/shared/, src/infrastructure/db/
"""
TEAM_LAYOUT = dict(zip(LAYOUT_KEYS, ["modules/items", "shared", "infrastructure/db"], strict=True))


def team_agent(tmp_path: Path) -> Path:
    return agent_file(tmp_path, TEAM_AGENT, "team-agent.md")


# --- fast: through the command line ----------------------------------------------------


def test_the_built_in_conventions_give_the_default_layout(tmp_path: Path) -> None:
    payload = planned(STACK, str(tmp_path / "svc"), "--agent", str(default_agent_path()))
    assert {key: payload["answers"][key] for key in LAYOUT_KEYS} == DEFAULT_LAYOUT


def test_layout_answers_come_from_the_agent_definition(tmp_path: Path) -> None:
    target = tmp_path / "inventory"
    payload = planned(STACK, str(target), "--agent", str(team_agent(tmp_path)))
    assert {key: payload["answers"][key] for key in LAYOUT_KEYS} == TEAM_LAYOUT
    assert {f["path"] for f in payload["files"]} == expected_files(**TEAM_LAYOUT)
    assert not target.exists()


def test_defaults_and_data_are_rendered(tmp_path: Path) -> None:
    target = tmp_path / "billing"
    package = rendered_package(target, STACK, expected_files())
    assert package["scripts"]["test:e2e"].endswith('".test-build/test/**/*.e2e-spec.js"')
    assert package["scripts"]["migrate"] == "node dist/database/migrate.js"
    dependencies = package["dependencies"]
    assert dependencies["@nestjs/core"].startswith("^12.")
    assert {"@nestjs/config", "@nestjs/swagger", "@nestjs/terminus", "helmet", "kysely"} <= set(
        dependencies
    )
    # SQLite is Node.js's own node:sqlite: no native module, no pg.
    assert not {"pg", "better-sqlite3", "sqlite3"} & set(dependencies)
    assert package["devDependencies"]["@types/node"] == "^22.0.0"
    for spec in [*dependencies.values(), *package["devDependencies"].values()]:
        assert re.fullmatch(r"[\^~]\d+\.\d+\.\d+", spec), spec

    tsconfig = json.loads((target / "tsconfig.json").read_text())
    options = tsconfig["compilerOptions"]
    assert (options["strict"], options["emitDecoratorMetadata"]) == (True, True)
    assert_contains(
        target / "src/database/database.ts",
        'import { Kysely, SqliteDialect } from "kysely";',
        'import { openSqlite } from "./sqlite-adapter.js";',
    )
    assert_contains(target / "src/database/sqlite-adapter.ts", 'from "node:sqlite";')
    assert_contains(target / "src/main.ts", "app.enableShutdownHooks();", 'title: "billing",')
    assert_contains(target / "compose.yaml", "DATABASE_URL: sqlite:/data/service.db")
    dockerfile = (target / "Dockerfile").read_text()
    assert re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE) == ["node:22-bookworm-slim"] * 2
    assert "\nUSER node\n" in dockerfile
    answers = YAML(typ="safe", pure=True).load(recorded_answers(target))
    assert {key: answers[key] for key in LAYOUT_KEYS} == DEFAULT_LAYOUT
    assert answers["database"] == "sqlite"
    for path in target.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "{{" not in text and "{%" not in text, path


def test_postgresql_is_the_database_choice(tmp_path: Path) -> None:
    target = tmp_path / "orders"
    rendered(target, STACK, expected_files(database="postgresql"), "database=postgresql")
    package = json.loads((target / "package.json").read_text())
    assert package["dependencies"]["pg"].startswith("^8.")
    assert "@types/pg" in package["devDependencies"]
    assert_contains(
        target / "src/database/database.ts",
        'import { Kysely, PostgresDialect } from "kysely";',
        'error.code === "23505"',
    )
    assert_contains(
        target / "src/database/migrations.ts",
        "column.primaryKey().generatedByDefaultAsIdentity()",
        '.addColumn("created_at", "timestamptz"',
    )
    url = "postgresql://postgres:postgres@db:5432/orders"
    compose = YAML(typ="safe", pure=True).load((target / "compose.yaml").read_text())
    assert compose["services"]["app"]["environment"]["DATABASE_URL"] == url
    assert compose["services"]["app"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert compose["services"]["db"]["environment"]["POSTGRES_DB"] == "orders"
    workflow = YAML(typ="safe", pure=True).load((target / ".github/workflows/ci.yml").read_text())
    check = workflow["jobs"]["check"]
    assert check["services"]["postgres"]["image"] == "postgres:18"
    assert check["env"]["DATABASE_URL"] == url.replace("@db:", "@localhost:")


def test_agents_md_lists_the_commands_and_ci_runs_them(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    new_project(STACK, project, {}, conventions=load_conventions(team_agent(tmp_path)))
    commands = [
        ["npm", "install"],
        ["npm", "run", "lint"],
        ["npm", "run", "format:check"],
        ["npm", "run", "build"],
        ["npm", "run", "migrate"],
        ["npm", "test"],
        ["npm", "run", "test:e2e"],
    ]
    assert agents_commands(project) == commands
    workflow = YAML(typ="safe", pure=True).load((project / ".github/workflows/ci.yml").read_text())
    runs = [step["run"].split() for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    assert runs == commands
    agents = (project / "AGENTS.md").read_text()
    for folder in TEAM_LAYOUT.values():
        assert f"| `src/{folder}/` |" in agents
    assert "`src/items/`" not in agents
    assert "Node.js 24" in agents


def test_nested_layout_folders_are_imported_from_the_right_depth(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    new_project(STACK, project, {}, conventions=load_conventions(team_agent(tmp_path)))
    assert files_under(project) == expected_files(**TEAM_LAYOUT)
    assert_contains(
        project / "src/modules/items/items.repository.ts",
        'import { DATABASE, isUniqueViolation } from "../../infrastructure/db/database.js";',
    )
    assert_contains(
        project / "src/modules/items/dto/create-item.dto.ts",
        'import { trimmed } from "../../../shared/pipes/validation.pipe.js";',
    )
    assert_contains(
        project / "src/infrastructure/db/migrate.ts",
        'import { createLogger } from "../../shared/logger.js";',
        'import { validateEnvironment } from "../../config/environment.js";',
    )
    assert_contains(
        project / "src/app.module.ts",
        'import { ItemsModule } from "./modules/items/items.module.js";',
    )
    assert_contains(project / "test/support.ts", 'from "../src/infrastructure/db/database.js";')
    package = json.loads((project / "package.json").read_text())
    assert package["scripts"]["migrate"] == "node dist/infrastructure/db/migrate.js"


# --- fast: adopting a NestJS application ------------------------------------------------


@pytest.fixture
def nest_app(tmp_path: Path) -> Path:
    return committed_repo(tmp_path / "accounts", NEST_APP)


def test_detection_maps_a_nest_app_to_the_stack(nest_app: Path) -> None:
    result = CliRunner().invoke(app, ["detect", str(nest_app), "--json"])
    assert result.exit_code == 0, result.output
    (project,) = json.loads(result.stdout)["projects"]
    assert {key: project[key] for key in ("language", "framework", "build_tool", "stack")} == {
        "language": "typescript",
        "framework": "nestjs",
        "build_tool": "npm",
        "stack": "node-nestjs",
    }


def test_adopt_keeps_the_apps_own_configs_and_reads_its_style(nest_app: Path) -> None:
    before, after = adopted(nest_app, 5)
    written = {path for path in after if before.get(path) != after[path]}
    assert written == {
        ".copier-answers.yml",
        ".editorconfig",
        "AGENTS.md",
        "src/common",
        "src/common/.gitkeep",
        "src/database",
        "src/database/.gitkeep",
    }
    # Its ESLint and Prettier configs, and the Nest CLI's, are left as they were.
    for name in ("eslint.config.mjs", ".prettierrc", ".prettierignore", "nest-cli.json"):
        assert after[name] == before[name], name
    answers = YAML(typ="safe", pure=True).load(recorded_answers(nest_app))
    assert {key: answers[key] for key in ("indent_width", "quote_style", "semicolons")} == {
        "indent_width": 4,
        "quote_style": "single",
        "semicolons": True,
    }
    assert (answers["adopted"], answers["data_indent_width"], answers["database"]) == (
        True,
        4,
        "sqlite",
    )
    assert_contains(nest_app / ".editorconfig", "indent_size = 4\n")
    assert agents_commands(nest_app)[-2:] == [["npm", "test"], ["npm", "run", "test:e2e"]]
    assert_nothing_left_to_adopt(nest_app)


def test_adopt_check_passes_once_adopted(nest_app: Path) -> None:
    code, output = adopt(str(nest_app), "--check")
    assert code == 3, output
    assert adopt(str(nest_app), "--yes")[0] == 0
    code, output = adopt(str(nest_app), "--check")
    assert code == 0, output
    assert ".gitkeep  skip: the features are Nest modules of their own (src/users/)" in output


def test_a_source_root_other_than_src_keeps_the_folders_out(tmp_path: Path) -> None:
    files = {
        name.replace("src/", "app/", 1): text
        for name, text in NEST_APP.items()
        if name != "nest-cli.json"
    }
    files["nest-cli.json"] = '{\n    "sourceRoot": "app"\n}\n'
    repo = committed_repo(tmp_path / "accounts", files)
    payload = json.loads(adopt(str(repo), "--dry-run", "--json")[1])
    paths = {f["path"] for f in payload["files"]}
    assert not any(path.startswith(("src/", "app/")) for path in paths), sorted(paths)
    assert "nest-cli.json" not in paths


def test_an_app_without_an_eslint_config_gets_one_in_its_own_style(tmp_path: Path) -> None:
    files = {name: text for name, text in NEST_APP.items() if name != "eslint.config.mjs"}
    repo = committed_repo(tmp_path / "accounts", files)
    adopted(repo, 6)
    config = (repo / "eslint.config.js").read_text()
    assert config.startswith("// ESLint flat config (ESLint 9 or newer) for the code as it is")
    assert "import tseslint from 'typescript-eslint';\n" in config
    assert "\n    ...tseslint.configs.recommended.map((config) => ({\n" in config


def test_an_app_on_pg_is_adopted_with_postgresql(tmp_path: Path) -> None:
    package = json.loads(NEST_APP["package.json"])
    package["dependencies"]["pg"] = "^8.23.1"
    files = NEST_APP | {"package.json": json.dumps(package, indent=4) + "\n"}
    repo = committed_repo(tmp_path / "accounts", files)
    adopted(repo, 5)
    answers = YAML(typ="safe", pure=True).load(recorded_answers(repo))
    assert answers["database"] == "postgresql"


# --- slow: the generated project's own toolchain ---------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["defaults", "postgresql", "team-layout"])
def test_generated_project_passes_its_toolchain_and_serves(
    tmp_path: Path, variant: str, variant_database: str | None
) -> None:
    tools = node_tools()
    project = tmp_path / "inventory"
    conventions = load_conventions(team_agent(tmp_path)) if variant == "team-layout" else None
    data = {"database": "postgresql"} if variant == "postgresql" else {}
    result = new_project(STACK, project, data, conventions=conventions)
    layout = TEAM_LAYOUT if variant == "team-layout" else DEFAULT_LAYOUT
    assert {key: result.answers[key] for key in LAYOUT_KEYS} == layout
    database = "postgresql" if variant == "postgresql" else "sqlite"
    assert files_under(project) - {"package-lock.json"} == expected_files(database, **layout)

    on_database = {"DATABASE_URL": variant_database} if variant_database is not None else {}
    # The commands AGENTS.md gives are the project's whole check; run each as written.
    run_agents_checks(project, tools.env | on_database, min_passed=10)
    _, log = serve_once(project, on_database)
    check_request_log(log)


@pytest.mark.slow
def test_an_adopted_nest_app_still_lints_builds_and_passes_its_tests(nest_app: Path) -> None:
    tools = node_tools()
    adopted(nest_app, 5)
    commands = agents_commands(nest_app)
    assert commands[0] == ["npm", "install"]
    for command in commands:
        run([tools.npm, *command[1:]], cwd=nest_app, env=tools.env)
    assert (nest_app / "dist" / "main.js").is_file()


# --- fast: a template update keeps the user's edits -------------------------------------


def test_an_update_brings_the_new_template_and_keeps_the_users_edits(tmp_path: Path) -> None:
    template = tmp_path / "node-nestjs"
    shutil.copytree(TEMPLATE, template)
    git(template, "init", "-q")
    commit_all(template, "v1")
    git(template, "tag", "v1.0.0")
    project = tmp_path / "inventory"
    copier.run_copy(
        str(template), project, data={"project_name": "inventory"}, vcs_ref="v1.0.0",
        defaults=True, quiet=True,
    )  # fmt: skip
    git(project, "init", "-q")
    commit_all(project, "generated")
    service_file = project / "src/items/items.service.ts"
    edit(service_file, "export class ItemsService {", "export class ItemsService {\n  // Ours.")
    commit_all(project, "our note")

    setup = template / "template/src/app.setup.ts.jinja"
    edit(
        setup,
        "export const MAX_BODY_BYTES = 1024 * 1024;",
        "export const MAX_BODY_BYTES = 2 ** 20;",
    )
    commit_all(template, "v2")
    git(template, "tag", "v2.0.0")

    result = CliRunner().invoke(app, ["update", str(project), "--allow-source", str(template)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        ".: updated from v1.0.0 to v2.0.0, 2 files changed",
        "  .copier-answers.yml",
        "  src/app.setup.ts",
    ]
    assert_contains(project / "src/app.setup.ts", "export const MAX_BODY_BYTES = 2 ** 20;")
    assert_contains(service_file, "export class ItemsService {\n  // Ours.\n")
