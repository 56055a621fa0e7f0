"""`scaffold adopt` on Express projects: the plan and the style it reads from the code (fast),
and adopted apps that still install and test, with configs the real ESLint and Prettier
load and the existing code already satisfies (slow tier).

The slow tests add ESLint and Prettier with ``npm install --no-save``, as a project's own
dev dependencies would, so package.json and the lockfile stay as the project has them.
npm keeps its download cache in the real home (see tests/helpers.py).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.commands.adopt import apply_adoption, plan_adoption
from scaffold.errors import InvalidAnswerError
from scaffold.templates import check_answers, get_stack, load_template
from tests.ecosystems.node.toolchain import node_tools
from tests.helpers import (
    adopt,
    adopted,
    agents_commands,
    assert_nothing_left_to_adopt,
    committed_repo,
    created,
    git,
    planned_adoption,
    run,
    tree_digest,
)

LEGACY = "legacy config .eslintrc.json kept; migrate it to eslint.config.js (ESLint 9 flat config), as adopt --migrate does with @eslint/migrate-config@3"
FLAT = "the code sits at the top of the project; {} is not added"


def package_json(**fields: Any) -> str:
    """package.json as npm writes it: two spaces, one key a line."""
    return json.dumps({"name": "greeter", "version": "1.0.0", **fields}, indent=2) + "\n"


def planned(root: Path) -> dict[str, tuple[str, str]]:
    payload = json.loads(adopt(str(root), "--dry-run", "--json")[1])
    return {f["path"]: (f["action"], f.get("reason", "")) for f in payload["files"]}


def content(root: Path, path: str) -> str:
    action = next(a for a in plan_adoption(root).plan.actions if a.path.as_posix() == path)
    assert action.content is not None, action
    return action.content.decode()


def answers(root: Path) -> dict[str, Any]:
    return dict(plan_adoption(root).projects[0].answers)


# --- an Express app in CommonJS, four spaces, single quotes, a legacy ESLint config ----

APP_JS = """\
'use strict';

const express = require('express');

const app = express();
app.use(express.json());

app.get('/health', (req, res) => {
    res.json({ status: 'ok' });
});

app.post('/greetings', (req, res) => {
    const name = req.body?.name;
    if (typeof name !== 'string' || name === '') {
        res.status(422).json({ error: 'name is required' });
        return;
    }
    res.status(201).json({
        greeting: `hello, ${name}`,
        length: name.length,
    });
});

// Express knows an error handler by its four parameters.
app.use((err, req, res, next) => {
    res.status(500).json({ error: err.message });
});

module.exports = app;
"""
SERVER_JS = """\
'use strict';

const app = require('./app');

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => {
    console.log(`listening on ${port}`);
});
"""
TEST_JS = """\
'use strict';

const assert = require('node:assert/strict');
const { after, before, describe, it } = require('node:test');

const app = require('../app');

describe('the app', () => {
    let server;
    let base;

    before(async () => {
        server = app.listen(0, '127.0.0.1');
        await new Promise((resolve) => server.once('listening', resolve));
        base = `http://127.0.0.1:${server.address().port}`;
    });

    after(() => {
        server.closeAllConnections();
        server.close();
    });

    it('answers on /health', async () => {
        const response = await fetch(`${base}/health`);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { status: 'ok' });
    });

    it('greets by name', async () => {
        const response = await fetch(`${base}/greetings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'Ada' }),
        });
        assert.equal(response.status, 201);
        assert.deepEqual(await response.json(), {
            greeting: 'hello, Ada',
            length: 3,
        });
    });
});
"""
JS_APP = {
    "package.json": package_json(
        private=True,
        main="app.js",
        scripts={"start": "node server.js", "test": "node --test"},
        dependencies={"express": "^5.1.0"},
    ),
    "app.js": APP_JS,
    "server.js": SERVER_JS,
    "test/app.test.js": TEST_JS,
    ".gitignore": "node_modules/\n",
    "README.md": "# greeter\n\nSays   hello.\n",
}


@pytest.fixture
def legacy_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "greeter"
    committed_repo(repo, JS_APP | {".eslintrc.json": '{\n  "root": true\n}\n'})
    return repo


def test_the_plan_keeps_the_legacy_eslint_config_and_the_code_style(legacy_repo: Path) -> None:
    payload = planned_adoption(legacy_repo, "node-express")
    assert payload["files"] == [
        *created(".copier-answers.yml", ".editorconfig", ".prettierignore", ".prettierrc.json", "AGENTS.md"),
        {"path": "eslint.config.js", "action": "skip", "reason": LEGACY},
        {"path": "src/controllers/.gitkeep", "action": "skip", "reason": FLAT.format("src/controllers/")},
        {"path": "src/models/.gitkeep", "action": "skip", "reason": FLAT.format("src/models/")},
        {"path": "src/routes/.gitkeep", "action": "skip", "reason": FLAT.format("src/routes/")},
    ]  # fmt: skip

    assert json.loads(content(legacy_repo, ".prettierrc.json")) == {
        "printWidth": 80,
        "tabWidth": 4,
        "useTabs": False,
        "semi": True,
        "singleQuote": True,
        "trailingComma": "all",
        # package.json keeps npm's two spaces.
        "overrides": [
            {"files": ["*.json", "*.yml", "*.yaml"], "options": {"tabWidth": 2, "useTabs": False}}
        ],
    }
    editorconfig = content(legacy_repo, ".editorconfig")
    assert "[*]\n" in editorconfig and "indent_style = space\nindent_size = 4\n" in editorconfig
    assert "[*.{json,yml,yaml}]\nindent_style = space\nindent_size = 2\n" in editorconfig
    recorded = content(legacy_repo, ".copier-answers.yml")
    assert "adopted: true\n" in recorded and "project_name: greeter\n" in recorded
    assert "package_type: commonjs\n" in recorded and "typescript: false\n" in recorded


def test_apply_then_a_second_adopt_plans_nothing(legacy_repo: Path) -> None:
    before, after = adopted(legacy_repo, 5)
    assert {path: after[path] for path in before} == before
    assert not (legacy_repo / "eslint.config.js").exists()
    assert agents_commands(legacy_repo) == [
        ["npm", "install"],
        ["npx", "eslint", "."],
        ["npx", "prettier", "--check", "."],
        ["npm", "test"],
    ]
    agents = (legacy_repo / "AGENTS.md").read_text()
    assert "A javascript / express project, built with npm." in agents

    assert_nothing_left_to_adopt(legacy_repo)


def test_prettier_configured_in_package_json_is_kept(tmp_path: Path) -> None:
    repo = tmp_path / "greeter"
    manifest = json.loads(JS_APP["package.json"]) | {"prettier": {"singleQuote": True}}
    committed_repo(repo, JS_APP | {"package.json": json.dumps(manifest, indent=2) + "\n"})
    actions = planned(repo)
    reason = 'configured in package.json "prettier"'
    assert actions[".prettierrc.json"] == ("skip", reason)
    assert actions[".prettierignore"] == ("skip", reason)
    assert actions["eslint.config.js"] == ("create", "")
    assert actions[".editorconfig"] == ("create", "")


@pytest.mark.parametrize(
    ("files", "path", "reason"),
    [
        ({"eslint.config.mjs": "export default [];\n"}, "eslint.config.js", "configured in eslint.config.mjs"),
        ({".eslintrc.yml": "root: true\n"}, "eslint.config.js", "legacy config .eslintrc.yml kept; migrate it to eslint.config.js (ESLint 9 flat config), as adopt --migrate does with @eslint/migrate-config@3"),
        ({"package.json": package_json(dependencies={"express": "5"}, eslintConfig={"root": True})}, "eslint.config.js", 'legacy config package.json "eslintConfig" kept; migrate it to eslint.config.js (ESLint 9 flat config), as adopt --migrate does with @eslint/migrate-config@3'),
        ({"prettier.config.mjs": "export default {};\n"}, ".prettierrc.json", "configured in prettier.config.mjs"),
        ({".prettierrc": "{}\n"}, ".prettierignore", "configured in .prettierrc"),
        ({".prettierignore": "dist/\n"}, ".prettierignore", "exists; yours is kept"),
    ],
    ids=["flat-mjs", "legacy-yml", "legacy-package-json", "prettier-mjs", "prettierrc", "own-ignore"],
)  # fmt: skip
def test_configs_in_other_places_are_kept(
    tmp_path: Path, files: dict[str, str], path: str, reason: str
) -> None:
    repo = tmp_path / "greeter"
    committed_repo(repo, JS_APP | files)
    assert planned(repo)[path] == ("skip", reason)


def test_configs_of_a_parent_folder_cover_the_project(tmp_path: Path) -> None:
    repo = tmp_path / "mono"
    nested = {f"services/greeter/{name}": text for name, text in JS_APP.items()}
    committed_repo(
        repo, nested | {".prettierrc.yaml": "semi: false\n", ".editorconfig": "root = true\n"}
    )
    actions = planned(repo)
    assert actions["services/greeter/.prettierrc.json"] == ("skip", "covered by .prettierrc.yaml")
    assert actions["services/greeter/.prettierignore"] == ("skip", "covered by .prettierrc.yaml")
    assert actions["services/greeter/.editorconfig"] == ("skip", "covered by .editorconfig")
    assert actions["services/greeter/eslint.config.js"] == ("create", "")


STYLE_KEYS = (
    "package_type",
    "typescript",
    "indent_style",
    "indent_width",
    "data_indent_width",
    "quote_style",
    "semicolons",
    "trailing_comma",
    "print_width",
    "test_globals",
)


def test_no_semicolons_double_quotes_tabs_and_no_trailing_commas(tmp_path: Path) -> None:
    repo = tmp_path / "greeter"
    code = (
        'import express from "express"\n\nexport const app = express()\n\n'
        'app.get("/", (req, res) => {\n\tres.json({\n\t\tname: "greeter",\n'
        '\t\tlanguages: ["en", "fr"]\n\t})\n})\n\nexport const words = [\n\t"hello",\n'
        '\t"bonjour"\n]\n'
    )
    manifest = package_json(type="module", dependencies={"express": "5"})
    committed_repo(repo, {"package.json": manifest, "src/app.js": code})
    inferred = answers(repo)
    assert {key: inferred[key] for key in STYLE_KEYS} == {
        "package_type": "module",
        "typescript": False,
        "indent_style": "tab",
        "indent_width": 2,
        "data_indent_width": 2,
        "quote_style": "double",
        "semicolons": False,
        "trailing_comma": "none",
        "print_width": 80,
        "test_globals": "none",
    }
    config = content(repo, "eslint.config.js")
    assert config.splitlines()[3:5] == [
        'import js from "@eslint/js"',
        'import globals from "globals"',
    ]
    assert "\nexport default [\n\t{ ignores: [" in config
    assert config.endswith('\t\trules: { "no-unused-vars": unusedVars }\n\t}\n]\n')
    assert '"**/*.js"' not in config  # .js files are ES modules here
    prettierrc = json.loads(content(repo, ".prettierrc.json"))
    assert prettierrc["useTabs"] is True and prettierrc["overrides"][0]["options"]["tabWidth"] == 2


@pytest.mark.parametrize(
    ("code", "dependencies", "expected"),
    [
        (
            "const total = compute(\n  firstArgumentWithALongName,\n  secondArgumentWithALongName\n);\n"
            "const limits = {\n  low: 1,\n  high: 2,\n};\n",
            {},
            {"trailing_comma": "es5", "semicolons": True, "indent_width": 2},
        ),
        (
            "describe('totals', () => {\n    it('adds', () => {\n        expect(1 + 1).toBe(2);\n"
            "    });\n});\n",
            {"mocha": "^10.0.0"},
            {"test_globals": "mocha", "quote_style": "single", "indent_width": 4},
        ),
        (
            # 105 columns of code; the longer line is a string Prettier cannot break.
            "export const pick = (alpha, beta, gamma, delta, epsilon, zeta, eta, theta, iota, "
            "kappa) => [alpha, kappa]\nexport const note = 'a sentence long enough that no "
            "formatter could break it, so it does not count at all'\n",
            {},
            {"print_width": 120, "semicolons": False},
        ),
    ],
    ids=["es5", "mocha", "width"],
)  # fmt: skip
def test_the_style_is_read_from_the_code(
    tmp_path: Path, code: str, dependencies: dict[str, str], expected: dict[str, Any]
) -> None:
    repo = tmp_path / "greeter"
    manifest = package_json(dependencies={"express": "5"}, devDependencies=dependencies)
    committed_repo(repo, {"package.json": manifest, "lib/code.js": code})
    inferred = answers(repo)
    assert {key: inferred[key] for key in expected} == expected


def test_typescript_jest_and_the_scripts_shape_the_configs_and_commands(tmp_path: Path) -> None:
    repo = tmp_path / "api"
    manifest = json.dumps(
        {
            "name": "@acme/Orders_API",
            "scripts": {
                "build": "tsc",
                "lint": "eslint src",
                "format:check": "prettier --check src",
                "typecheck": "tsc --noEmit",
                "test": "jest",
            },
            "dependencies": {"express": "^4.19.0"},
            "devDependencies": {"typescript": "^5.4.0", "jest": "^29.0.0"},
        },
        indent=4,
    )
    code = (
        "import express from 'express';\n\nexport const app = express();\n\n"
        "app.get('/orders', (req, res) => {\n    res.json([]);\n});\n"
    )
    committed_repo(
        repo,
        {
            "package.json": manifest + "\n",
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
            "src/app.ts": code,
            "src/routers/orders.ts": "export const orders = [];\n",
        },
    )
    inferred = answers(repo)
    assert inferred["project_name"] == "acme-orders-api"
    assert (inferred["typescript"], inferred["test_globals"]) == (True, "jest")
    assert (inferred["indent_width"], inferred["data_indent_width"]) == (4, 4)
    config = content(repo, "eslint.config.js")
    assert "const tseslint = require('typescript-eslint');" in config
    assert "tseslint.configs.recommended.map(" in config and "TypeChecked" not in config
    assert "languageOptions: { globals: globals.jest }," in config
    assert "overrides" not in json.loads(content(repo, ".prettierrc.json"))

    result = plan_adoption(repo)
    agents = next(a for a in result.plan.actions if a.path.as_posix() == "AGENTS.md")
    assert agents.content is not None
    block = agents.content.decode().split("```sh\n", 1)[1].split("```", 1)[0]
    assert block.splitlines() == [
        "pnpm install",
        "pnpm run lint",
        "pnpm run format:check",
        "pnpm run typecheck",
        "pnpm run build",
        "pnpm test",
    ]
    folders = {
        a.path.as_posix(): (a.action.value, a.reason)
        for a in result.plan.actions
        if a.path.name == ".gitkeep"
    }
    assert folders == {
        "src/controllers/.gitkeep": ("create", "the conventions' src/controllers/"),
        "src/models/.gitkeep": ("create", "the conventions' src/models/"),
        "src/routes/.gitkeep": ("skip", "src/routers/ already plays this part"),
    }
    apply_adoption(result)
    assert (repo / "src/models/.gitkeep").read_bytes() == b""


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("indent_width", 4, "a new project is indented by 2 spaces"),
        ("quote_style", "single", "a new project uses double quotes"),
        ("semicolons", False, "a new project ends statements with semicolons"),
        ("typescript", False, "a new project is written in TypeScript"),
        ("package_type", "commonjs", "a new project is an ES module package"),
        ("print_width", 120, "a new project is formatted for 100 columns"),
    ],
)
def test_a_new_project_keeps_the_templates_style(name: str, value: Any, message: str) -> None:
    spec = load_template(get_stack("node-express").template)
    with pytest.raises(InvalidAnswerError, match=message):
        check_answers(spec, {name: value})
    assert check_answers(spec, {name: value, "adopted": True}) == {name: value, "adopted": True}


# --- slow: the adopted apps with their own toolchain -----------------------------------

LINT_TOOLS = ("eslint@^10", "@eslint/js@^10", "globals@^17", "prettier@^3")


def check_with_the_real_tools(repo: Path, before: dict[str, str], extra: tuple[str, ...]) -> None:
    """Adopt ``repo``; then every command AGENTS.md lists passes, ESLint and Prettier
    brought in beside the project's own dependencies, and nothing that was there changed."""
    tools = node_tools()
    adopt_result = CliRunner().invoke(app, ["adopt", str(repo), "--yes"])
    assert adopt_result.exit_code == 0, adopt_result.output
    after = tree_digest(repo)
    assert {path: after[path] for path in before} == before
    for name in (".editorconfig", "eslint.config.js", ".prettierrc.json", ".prettierignore"):
        assert (repo / name).is_file(), name

    commands = agents_commands(repo)
    assert commands[0] == ["npm", "install"]
    assert commands[1:3] == [["npx", "eslint", "."], ["npx", "prettier", "--check", "."]]
    assert commands[-1] == ["npm", "test"]
    run([tools.npm, "install"], cwd=repo, env=tools.env)
    run([tools.npm, "install", "--no-save", *LINT_TOOLS, *extra], cwd=repo, env=tools.env)
    for command in commands[1:]:
        executable = tools.npm if command[0] == "npm" else str(Path(tools.npm).with_name("npx"))
        run([executable, *command[1:]], cwd=repo, env=tools.env)
    # The rules are in force: ESLint finds an undefined name in code given on stdin.
    eslint_reports(repo, "undefinedThing();\n", "no-undef")
    assert {path: tree_digest(repo)[path] for path in before} == before


def eslint_reports(repo: Path, code: str, rule: str) -> None:
    """ESLint, given ``code`` on stdin in ``repo``, fails on ``rule``: the rule is in force."""
    tools = node_tools()
    probe = subprocess.run(
        [str(Path(tools.npm).with_name("npx")), "eslint", "--stdin", "--stdin-filename", "x.js"],
        cwd=repo,
        input=code,
        capture_output=True,
        text=True,
        env={**os.environ, **tools.env},
        check=False,
    )
    assert probe.returncode == 1 and rule in probe.stdout, probe.stdout + probe.stderr


@pytest.mark.slow
def test_a_javascript_express_app(tmp_path: Path) -> None:
    repo = tmp_path / "greeter"
    before = tree_digest(committed_repo(repo, JS_APP))
    assert planned(repo)["eslint.config.js"] == ("create", "")
    check_with_the_real_tools(repo, before, ())
    config = (repo / "eslint.config.js").read_text()
    assert "module.exports = [\n    { ignores:" in config


ESLINTRC = """\
{
  "root": true,
  "env": { "node": true, "es2022": true },
  "extends": ["eslint:recommended"],
  "rules": { "eqeqeq": "error", "no-unused-vars": ["error", { "args": "none" }] }
}
"""


@pytest.mark.slow
def test_a_legacy_eslint_config_is_migrated_only_on_request(tmp_path: Path) -> None:
    tools = node_tools()
    repo = tmp_path / "greeter"
    before = tree_digest(committed_repo(repo, JS_APP | {".eslintrc.json": ESLINTRC}))
    assert planned(repo)["eslint.config.js"] == ("skip", LEGACY)

    payload = json.loads(adopt(str(repo), "--migrate", "--dry-run", "--json")[1])
    files = {f["path"]: (f["action"], f.get("reason", "")) for f in payload["files"]}
    assert files["eslint.config.mjs"] == (
        "create",
        "migrated from .eslintrc.json by @eslint/migrate-config@3; the legacy file is no "
        "longer read; the new config needs npm install -D globals @eslint/js @eslint/eslintrc",
    )
    assert files["eslint.config.js"] == ("skip", "configured in eslint.config.mjs")
    assert tree_digest(repo) == before

    code, output = adopt(str(repo), "--migrate", "--yes")
    assert code == 0, output
    after = tree_digest(repo)
    assert {path: after[path] for path in before} == before  # .eslintrc.json included
    config = (repo / "eslint.config.mjs").read_text()
    assert "eqeqeq" in config and "eslint:recommended" in config

    run([tools.npm, "install"], cwd=repo, env=tools.env)
    extra = ("@eslint/eslintrc@^3",)
    run([tools.npm, "install", "--no-save", *LINT_TOOLS, *extra], cwd=repo, env=tools.env)
    npx = str(Path(tools.npm).with_name("npx"))
    run([npx, "eslint", "."], cwd=repo, env=tools.env)
    # The migrated rules are in force.
    eslint_reports(repo, "if (process.argv.length == 2) {\n  console.log(1);\n}\n", "eqeqeq")

    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "adopted")
    assert adopt(str(repo), "--migrate", "--check")[0] == 0


TS_APP = {
    "package.json": package_json(
        private=True,
        type="module",
        scripts={"test": "node --import tsx --test test/*.test.ts"},
        dependencies={"express": "^5.1.0"},
        devDependencies={"tsx": "^4.19.0", "typescript": "^5.6.0"},
    ),
    "tsconfig.json": (
        '{\n  "compilerOptions": {\n    "target": "ES2022",\n    "module": "NodeNext",\n'
        '    "strict": true\n  },\n  "include": ["src", "test"]\n}\n'
    ),
    "src/app.ts": (
        'import express from "express"\nimport type { NextFunction, Request, Response } from '
        '"express"\n\nexport const app = express()\n\n'
        'app.get("/health", (_req: Request, res: Response) => {\n'
        '\tres.json({ status: "ok", checks: ["memory", "disk"] })\n})\n\n'
        "app.use((err: Error, req: Request, res: Response, next: NextFunction) => {\n"
        "\tres.status(500).json({\n\t\terror: err.message,\n\t\tpath: req.path,\n\t})\n})\n"
    ),
    "test/app.test.ts": (
        'import assert from "node:assert/strict"\nimport type { AddressInfo } from "node:net"\n'
        'import { after, before, describe, it } from "node:test"\n\n'
        'import { app } from "../src/app.js"\n\n'
        'describe("the app", () => {\n\tconst server = app.listen(0, "127.0.0.1")\n\n'
        '\tbefore(async () => {\n\t\tawait new Promise((resolve) => server.once("listening", '
        "resolve))\n\t})\n\n\tafter(() => {\n\t\tserver.closeAllConnections()\n"
        "\t\tserver.close()\n\t})\n\n"
        '\tit("answers on /health", async () => {\n'
        "\t\tconst { port } = server.address() as AddressInfo\n"
        "\t\tconst response = await fetch(`http://127.0.0.1:${port}/health`)\n"
        "\t\tassert.equal(response.status, 200)\n"
        "\t\tassert.deepEqual(await response.json(), {\n"
        '\t\t\tstatus: "ok",\n\t\t\tchecks: ["memory", "disk"],\n\t\t})\n\t})\n})\n'
    ),
    ".gitignore": "node_modules/\n",
}


@pytest.mark.slow
def test_a_typescript_express_app_in_es_modules_with_tabs_and_no_semicolons(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "health"
    before = tree_digest(committed_repo(repo, TS_APP))
    inferred = answers(repo)
    assert {key: inferred[key] for key in ("indent_style", "semicolons", "typescript")} == {
        "indent_style": "tab",
        "semicolons": False,
        "typescript": True,
    }
    check_with_the_real_tools(repo, before, ("typescript-eslint@^8",))
    assert 'import tseslint from "typescript-eslint"\n' in (repo / "eslint.config.js").read_text()
