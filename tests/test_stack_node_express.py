"""The node-express template: planned and refused through the CLI (fast), and accepted by
its own toolchain (slow tier).

The slow tests generate a project, run every command of its AGENTS.md (``npm install``,
ESLint, the Prettier check, ``tsc`` and the tests), then start the compiled server with
``node dist/main.js`` and use it over HTTP. npm keeps its download cache in the real home
(``npm_config_cache``, see tests/helpers.py), so only the first run downloads packages.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.new import new_project
from scaffold.conventions import load_conventions
from scaffold.errors import ExitCode, InvalidAnswerError
from scaffold.templates import check_answers, load_template
from tests.helpers import (
    REPO_ROOT,
    agents_commands,
    check_error,
    copier_refuses,
    files_under,
    free_port,
    http_json,
    refused_answers,
    run,
    running_server,
    tree_digest,
)

STACK = "node-express"
TEMPLATE = REPO_ROOT / "templates" / STACK

TOP_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".env.example",
    ".gitignore",
    ".prettierignore",
    ".prettierrc.json",
    "AGENTS.md",
    "Dockerfile",
    "README.md",
    "eslint.config.js",
    "package.json",
    "tsconfig.build.json",
    "tsconfig.json",
    "src/app.ts",
    "src/config.ts",
    "src/errors.ts",
    "src/logger.ts",
    "src/main.ts",
    "src/server.ts",
    "src/validation.ts",
    "src/middleware/errors.ts",
    "src/middleware/request-logger.ts",
    "src/storage/item-store.ts",
    "src/storage/memory-item-store.ts",
    "test/config.test.ts",
    "test/health.test.ts",
    "test/item-service.test.ts",
    "test/items.test.ts",
    "test/server.test.ts",
    "test/support.ts",
}
# The files in each layout folder, under src/.
LAYOUT_FILES = {
    "routes_dir": ("health.ts", "items.ts"),
    "controllers_dir": ("health.ts", "items.ts"),
    "models_dir": ("item.ts",),
    "services_dir": ("item-service.ts",),
}
DEFAULT_LAYOUT = {
    "routes_dir": "routes",
    "controllers_dir": "controllers",
    "models_dir": "models",
    "services_dir": "services",
}
LAYOUT_KEYS = tuple(DEFAULT_LAYOUT)

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


def expected_files(**layout: str) -> set[str]:
    folders = DEFAULT_LAYOUT | layout
    return TOP_FILES | {
        f"src/{folders[key]}/{name}" for key, names in LAYOUT_FILES.items() for name in names
    }


def team_agent(tmp_path: Path) -> Path:
    agent = tmp_path / "team-agent.md"
    agent.write_text(TEAM_AGENT)
    return agent


# --- fast: through the command line ----------------------------------------------------


def test_listed_with_its_metadata(runner: CliRunner) -> None:
    result = runner.invoke(app, ["new", "--list"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.split()[0] == STACK)
    assert "Express 5" in line

    listed = json.loads(runner.invoke(app, ["new", "--list", "--json"]).output)
    stack = next(s for s in listed["stacks"] if s["id"] == STACK)
    assert (stack["language"], stack["framework"]) == ("typescript", "express")


def test_dry_run_json_lists_the_files_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "inventory"
    before = tree_digest(tmp_path)
    result = runner.invoke(app, ["new", STACK, str(target), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["stack"], payload["dry_run"], payload["target"]) == (STACK, True, str(target))
    assert payload["answers"] == {
        "author": "",
        "description": "An HTTP service written in TypeScript with Express.",
        "node_version": "24",
        "project_name": "inventory",
        **DEFAULT_LAYOUT,
    }
    assert {f["path"] for f in payload["files"]} == expected_files()
    assert {f["action"] for f in payload["files"]} == {"create"}
    assert payload["next_steps"] == [
        "cd inventory",
        "npm install",
        "npm test",
        "npm run dev   # listens on http://127.0.0.1:8080",
    ]
    assert not target.exists()
    assert tree_digest(tmp_path) == before


def test_dry_run_text_shows_the_tree(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", STACK, str(tmp_path / "svc"), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Dry run: would create {len(expected_files())} files in ")
    assert any(line.endswith("controllers/") for line in lines)
    assert list(tmp_path.iterdir()) == []


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
    assert (package["type"], package["engines"]["node"]) == ("module", ">=22.13")
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
    assert "Node.js 24" in agents


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


def test_layout_questions_are_recorded_but_never_asked() -> None:
    config = YAML(typ="safe", pure=True).load((TEMPLATE / "copier.yml").read_text())
    questions = [key for key in config if not key.startswith("_")]
    assert tuple(questions[-4:]) == LAYOUT_KEYS
    for key, default in DEFAULT_LAYOUT.items():
        assert config[key]["ask"] is False, key
        assert (config[key]["type"], config[key]["default"]) == ("str", default)
        assert config[key]["help"] and config[key]["validator"], key
    layout = config["_scaffold"]["layout"]
    assert layout["root"] == "src"
    assert [f["question"] for f in layout["folders"]] == list(LAYOUT_KEYS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{dir}", "--data", "project_name=../x"], "project_name='../x': must start with a lowercase letter"),
        (["{dir}", "--data", "project_name=Bad Name"], "project_name='Bad Name': must start with a lowercase letter"),
        (["{dir}", "--data", "project_name=x; rm -rf /"], "project_name='x; rm -rf /': may hold only lowercase letters, digits and hyphens"),
        (["{dir}", "--data", "project_name="], "project_name='': must not be empty"),
        (["{dir}/Bad Name"], "project_name='Bad Name' (from the folder name; pass --data project_name=NAME): must start with a lowercase letter"),
        (["{dir}", "--data", "routes_dir=../x"], "routes_dir='../x': must stay inside src/: no . or .. folders"),
        (["{dir}", "--data", "controllers_dir=/abs"], "controllers_dir='/abs': must be a folder path relative to src/, with no leading or trailing /"),
        (["{dir}", "--data", "models_dir=a//b"], "models_dir='a//b': must not hold an empty folder name (//)"),
        (["{dir}", "--data", "services_dir=Bad"], "services_dir='Bad': use lowercase letters, digits, underscores and hyphens, with / between folders"),
        (["{dir}", "--data", "routes_dir=controllers"], "routes_dir='controllers': must not be, hold or lie inside controllers_dir (controllers)"),
        (["{dir}", "--data", "node_version=21"], "node_version='21': use a Node.js LTS major version still supported: 22 or 24"),
        (["{dir}", "--data", "description=two\nlines"], "description='two\\nlines': must be a single line"),
        (["{dir}", "--data", "package=x"], "unknown answer 'package' for this stack"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_bad_answers_are_one_line_usage_errors(
    tmp_path: Path, args: list[str], message: str, dry_run: bool
) -> None:
    line = refused_answers(STACK, tmp_path, args, dry_run=dry_run)
    assert line.startswith(f"scaffold: error: {message}"), line


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("project_name", "my-service"),
        ("project_name", "a1"),
        ("description", ""),
        ("description", 'Quotes " and \\ backslashes'),
        ("author", "Ada <ada@example.com>"),
        ("node_version", "24"),
        ("routes_dir", "api"),
        ("routes_dir", "http/routes"),
        ("controllers_dir", "handlers"),
        ("controllers_dir", "web/handlers_v2"),
        ("models_dir", "entities"),
        ("models_dir", "a/b/c"),
        ("services_dir", "use-cases"),
        ("services_dir", "config"),
    ],
)
def test_validators_accept(key: str, value: str) -> None:
    assert check_answers(load_template(TEMPLATE), {key: value}) == {key: value}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("project_name", "", "must not be empty"),
        ("project_name", "a/b", "may hold only lowercase"),
        ("project_name", "{{x}}", "must start with a lowercase letter"),
        ("project_name", "trailing-", "must not end with a hyphen"),
        ("description", "tab\there", "must not hold control characters"),
        ("author", "two\nlines", "must be a single line"),
        ("node_version", "20.1", "use a Node.js LTS major version"),
        ("node_version", "18", "use a Node.js LTS major version"),
        ("node_version", "20", "use a Node.js LTS major version still supported: 22 or 24"),
        ("routes_dir", "", "must not be empty"),
        ("routes_dir", "..", "no . or .. folders"),
        ("routes_dir", "a/./b", "no . or .. folders"),
        ("routes_dir", "abs/", "no leading or trailing /"),
        ("routes_dir", "a b", "use lowercase letters"),
        ("routes_dir", "a.b", "use lowercase letters"),
        ("routes_dir", "{{x}}", "use lowercase letters"),
        ("routes_dir", "a\\b", "use lowercase letters"),
        ("controllers_dir", "_private", "start each folder name with a lowercase letter"),
        ("controllers_dir", "v1/2x", "start each folder name with a lowercase letter"),
        ("models_dir", "a/b/c/d", "use at most 3 folders"),
        ("models_dir", "m" * 41, "must be at most 40 characters"),
        ("services_dir", "middleware", "src/middleware/ holds the template's own code"),
        ("services_dir", "storage/items", "src/storage/ holds the template's own code"),
        ("services_dir", "models/services", "must not be, hold or lie inside models_dir (models)"),
    ],
)
def test_validators_refuse(key: str, value: str, message: str) -> None:
    with pytest.raises(
        InvalidAnswerError, match=f"^{re.escape(f'{key}={value!r}: ')}.*{re.escape(message)}"
    ):
        check_answers(load_template(TEMPLATE), {key: value})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("project_name", "../x"),
        ("routes_dir", "../x"),
        ("models_dir", "Bad"),
        ("node_version", "19"),
        ("routes_dir", "controllers"),  # checked against controllers_dir's default, asked later
    ],
)
def test_plain_copier_refuses_the_same_answers(tmp_path: Path, key: str, value: str) -> None:
    copier_refuses(TEMPLATE, tmp_path / "out", key, value, "package.json")


def test_every_question_has_its_own_validator() -> None:
    # Stricter than the rule shared by every stack: bools and choices are validated too.
    for question in load_template(TEMPLATE).questions.values():
        assert question.validator, question.name


# --- slow: the generated project's own toolchain ---------------------------------------


@dataclass(frozen=True)
class NodeTools:
    node: str
    npm: str
    env: dict[str, str]


@functools.cache
def node_tools() -> NodeTools:
    """Node.js 24 or newer (the default LTS line) and npm; the test fails (never skips) without them."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(
            "node and npm must be on PATH: the node-express template's slow tests need "
            "Node.js 24 or newer"
        )
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if int(version.removeprefix("v").split(".")[0]) < 24:
        pytest.fail(f"the node-express template needs Node.js 24 or newer, found {version}")
    env = {
        # Reuse the cached package metadata and tarballs; nothing to report or advertise.
        "npm_config_prefer_offline": "true",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
        # A Node.js the project's engines (or a dependency's) do not allow fails the install.
        "npm_config_engine_strict": "true",
        "CI": "true",
    }
    return NodeTools(node, npm, env)


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
