"""Where `scaffold adopt` puts agent instructions: one AGENTS.md at the root describing every
adopted project, one more only in a polyglot repository's top-level services, and a
CLAUDE.md that would hide them importing them (never a new CLAUDE.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.model import Project
from scaffold.plan.agents import AgentsEntry, nested_agent_folders
from tests.helpers import (
    adopt,
    adopt_plan,
    assert_nothing_left_to_adopt,
    commit_all,
    committed_repo,
    files_under,
    go_work_repo,
    planned_files,
    run,
)

PYPROJECT = (
    '[project]\nname = "{name}"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n'
    'dependencies = ["fastapi>=0.110"]\n\n[dependency-groups]\ndev = ["pytest>=8", "ruff>=0.6"]\n'
)
MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
FLAT = "the code is not in the app/ package; its own layout is kept"
IMPORTED = "Claude Code reads AGENTS.md only where it is imported"
SERVICES = ("billing", "orders", "users")


def python_service(folder: str) -> dict[str, str]:
    name = folder.rsplit("/", 1)[-1]
    return {f"{folder}/pyproject.toml": PYPROJECT.format(name=name), f"{folder}/main.py": MAIN}


def python_monorepo(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    """Three FastAPI services under services/, nothing at the root, committed."""
    files: dict[str, str | bytes] = {}
    for service in SERVICES:
        files |= python_service(f"services/{service}")
    return committed_repo(root, files | (extra or {}))


def python_service_plan(folder: str) -> dict[str, tuple[str, str | None]]:
    return {
        f"{folder}/.copier-answers.yml": ("create", None),
        f"{folder}/.editorconfig": ("create", None),
        f"{folder}/app/api/__init__.py": ("skip", FLAT),
        f"{folder}/app/models/__init__.py": ("skip", FLAT),
        f"{folder}/app/services/__init__.py": ("skip", FLAT),
        f"{folder}/pyproject.toml": ("merge", "adds tool.ruff"),
    }


def polyglot_repo(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    """A Go service, a Python service and a Node frontend, nothing at the root, committed."""
    files: dict[str, str | bytes] = {
        **python_service("services/api"),
        "services/greeter/go.mod": "module example.com/greeter\n\ngo 1.22\n",
        "services/greeter/main.go": "package main\n\nfunc main() {}\n",
        "web/package.json": '{"name": "web", "dependencies": {"express": "^4.19.0"}}\n',
        "web/index.js": "require('express')\n",
    }
    return committed_repo(root, files | (extra or {}))


def test_three_python_services_get_one_agents_md_at_the_root(tmp_path: Path) -> None:
    repo = python_monorepo(tmp_path / "mono")
    payload = adopt_plan(repo)
    # One AGENTS.md, and one .editorconfig, which the three services share, at the root.
    expected: dict[str, tuple[str, str | None]] = {
        "AGENTS.md": ("create", None),
        ".editorconfig": ("create", None),
    }
    for service in SERVICES:
        expected |= python_service_plan(f"services/{service}")
        expected[f"services/{service}/.editorconfig"] = ("skip", "covered by .editorconfig")
    assert planned_files(payload) == expected
    assert payload["folder_counts"]["."] == {"create": 2}

    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    agents = (repo / "AGENTS.md").read_text()
    assert agents.startswith(
        "# Working on this repository\n\nIt holds 3 projects. Run a project's commands in "
        "its folder, and follow the layout and style it already has.\n\n"
        "- `services/billing`: python-fastapi\n"
        "- `services/orders`: python-fastapi\n"
        "- `services/users`: python-fastapi\n\n"
        "## services/billing\n\n"
        "A python / fastapi project, built with pip. Follow the layout and style it "
        "already has.\n\n### Layout\n\n"
    )
    for service in SERVICES:
        assert (
            f"### Commands\n\nRun in `services/{service}/`:\n\n"
            "```sh\npytest\nruff check .\nruff format --check .\n```\n"
        ) in agents
        assert f"`services/{service}/app/api/`" in agents  # folders named from the root
    assert [path for path in files_under(repo) if path.endswith(("AGENTS.md", "CLAUDE.md"))] == [
        "AGENTS.md"
    ]
    assert_nothing_left_to_adopt(repo)


def test_a_polyglot_repository_gives_each_top_level_service_its_own_too(
    tmp_path: Path,
) -> None:
    repo = polyglot_repo(tmp_path / "poly")
    payload = adopt_plan(repo)
    agents = {path: action for path, action in planned_files(payload).items() if "AGENTS" in path}
    assert agents == {
        "AGENTS.md": ("create", None),
        "services/api/AGENTS.md": ("create", None),
        "services/greeter/AGENTS.md": ("create", None),
        "web/AGENTS.md": ("create", None),
    }
    assert not [path for path in planned_files(payload) if "CLAUDE" in path]

    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    root = (repo / "AGENTS.md").read_text()
    assert (
        "- `services/api`: python-fastapi\n- `services/greeter`: go\n- `web`: node-express\n"
    ) in root
    assert "Run in `services/greeter/`:\n\n```sh\ngo build ./...\n" in root
    greeter = (repo / "services/greeter/AGENTS.md").read_text()
    assert greeter.startswith("# Working on services/greeter\n\nA go project")
    assert "## Commands\n\n```sh\ngo build ./...\n" in greeter  # run where it sits
    assert not [path for path in files_under(repo) if path.endswith("CLAUDE.md")]
    assert_nothing_left_to_adopt(repo)


def test_a_polyglot_repository_with_a_claude_md_plans_one_project_of_each_stack(
    tmp_path: Path,
) -> None:
    # Three stacks, one project each: what is written is bounded by the stacks.
    repo = polyglot_repo(tmp_path / "poly", {"CLAUDE.md": "# Team notes\n"})
    payload = adopt_plan(repo)
    flat = "the code sits at the top of the project; {}/ is not added"
    expected: dict[str, tuple[str, str | None]] = {
        "AGENTS.md": ("create", None),
        "CLAUDE.md": ("merge", f"adds @AGENTS.md: {IMPORTED}"),
        **{
            f"services/api/{name}": ("create", None)
            for name in (".copier-answers.yml", ".editorconfig", "AGENTS.md")
        },
        **{
            f"services/api/app/{p}/__init__.py": ("skip", FLAT)
            for p in ("api", "models", "services")
        },
        "services/api/pyproject.toml": ("merge", "adds tool.ruff"),
        **{
            f"services/greeter/{name}": ("create", None)
            for name in (".copier-answers.yml", ".editorconfig", ".golangci.yml", "AGENTS.md")
        },
        "services/greeter/cmd/.gitkeep": ("skip", flat.format("cmd")),
        "services/greeter/internal/.gitkeep": ("skip", flat.format("internal")),
        "services/greeter/pkg/.gitkeep": ("skip", "a public pkg/ only for a library, on request"),
        **{
            f"web/{name}": ("create", None)
            for name in (
                ".copier-answers.yml",
                ".editorconfig",
                ".prettierignore",
                ".prettierrc.json",
                "AGENTS.md",
                "eslint.config.js",
            )
        },
        **{
            f"web/src/{leaf}/.gitkeep": ("skip", flat.format(f"src/{leaf}"))
            for leaf in ("controllers", "models", "routes")
        },
    }
    assert planned_files(payload) == expected
    assert payload["folder_counts"] == {
        ".": {"create": 1, "merge": 1},
        "services/api": {"create": 3, "merge": 1, "skip": 3},
        "services/greeter": {"create": 4, "skip": 3},
        "web": {"create": 6, "skip": 3},
    }
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert (repo / "CLAUDE.md").read_text() == "# Team notes\n@AGENTS.md\n"
    assert_nothing_left_to_adopt(repo)


def test_a_claude_md_at_the_root_gains_the_import_line_and_nothing_else(
    tmp_path: Path,
) -> None:
    claude = b"# Team notes\r\n\r\nBe kind to reviewers."  # CRLF, no final newline
    repo = python_monorepo(tmp_path / "mono", {"CLAUDE.md": claude})
    payload = adopt_plan(repo)
    files = planned_files(payload, "AGENTS.md") | planned_files(payload, "CLAUDE.md")
    assert files == {
        "AGENTS.md": ("create", None),
        "CLAUDE.md": (
            "merge",
            f"adds @AGENTS.md: {IMPORTED}; kept: CRLF line endings, no final newline",
        ),
    }
    code, output = adopt(str(repo), "--dry-run", "--diff")
    assert code == 3, output
    assert "--- a/CLAUDE.md\n+++ b/CLAUDE.md\n" in output
    assert "\n+@AGENTS.md" in output

    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert (repo / "CLAUDE.md").read_bytes() == claude + b"\r\n@AGENTS.md"
    assert_nothing_left_to_adopt(repo)
    code, output = adopt(str(repo), "--dry-run", "--json")
    assert code == 0, output
    again = planned_files(json.loads(output), "CLAUDE.md")
    assert again == {"CLAUDE.md": ("identical", "already imports @AGENTS.md")}


def test_a_service_s_own_claude_md_imports_its_agents_md_and_none_is_created(
    tmp_path: Path,
) -> None:
    repo = polyglot_repo(tmp_path / "poly", {"services/greeter/CLAUDE.md": "# Greeter\n"})
    payload = adopt_plan(repo)
    claude = {path: action for path, action in planned_files(payload).items() if "CLAUDE" in path}
    assert claude == {"services/greeter/CLAUDE.md": ("merge", f"adds @AGENTS.md: {IMPORTED}")}
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert (repo / "services/greeter/CLAUDE.md").read_text() == "# Greeter\n@AGENTS.md\n"
    assert sorted(p for p in files_under(repo) if p.endswith("CLAUDE.md")) == [
        "services/greeter/CLAUDE.md"
    ]


def test_a_root_claude_md_imports_only_the_root_agents_md_of_a_polyglot_repository(
    tmp_path: Path,
) -> None:
    """The root's AGENTS.md describes every service already: importing each service's too
    would load them all in every session."""
    repo = polyglot_repo(tmp_path / "poly", {"CLAUDE.md": "@AGENTS.md\n"})
    payload = adopt_plan(repo)
    assert planned_files(payload, "CLAUDE.md") == {
        "CLAUDE.md": ("identical", "already imports @AGENTS.md")
    }


def test_a_project_adopted_alone_below_a_claude_md_is_imported_by_its_path(
    tmp_path: Path,
) -> None:
    repo = python_monorepo(tmp_path / "mono", {".claude/CLAUDE.md": "# Notes\n"})
    payload = adopt_plan(repo, "--project", "services/orders")
    agents = {path: action for path, action in planned_files(payload).items() if ".md" in path}
    assert agents == {
        ".claude/CLAUDE.md": ("merge", f"adds @../services/orders/AGENTS.md: {IMPORTED}"),
        "services/orders/AGENTS.md": ("create", None),
    }


def test_a_user_s_agents_md_is_kept_and_imported(tmp_path: Path) -> None:
    repo = python_monorepo(tmp_path / "mono", {"AGENTS.md": "# Ours\n", "CLAUDE.md": "# Notes\n"})
    payload = adopt_plan(repo)
    assert planned_files(payload, "AGENTS.md") | planned_files(payload, "CLAUDE.md") == {
        "AGENTS.md": ("skip", "exists; yours is kept"),
        "CLAUDE.md": ("merge", f"adds @AGENTS.md: {IMPORTED}"),
    }


def project(path: str, language: str) -> Project:
    return Project(path=path, language=language)


def test_nested_agents_md_only_where_a_polyglot_repository_s_commands_differ() -> None:
    python = ("pytest", "ruff check .")
    node = ("npm install", "npx eslint .")
    one_language = [
        AgentsEntry(project("a", "python"), (), python),
        AgentsEntry(project("b", "python"), (), python),
    ]
    assert nested_agent_folders(one_language) == ()
    polyglot = [
        AgentsEntry(project(".", "python"), (), python),
        AgentsEntry(project("tools", "python"), (), python),  # the root's commands
        AgentsEntry(project("web", "javascript"), (), node),
        AgentsEntry(project("web/admin", "javascript"), (), node),  # inside web
    ]
    assert nested_agent_folders(polyglot) == ("web",)


GO_WORK_ROOT_CHECKS = (
    "go build ./examples/hello/... ./services/api/...",
    "go vet ./examples/hello/... ./services/api/...",
    "go test ./examples/hello/... ./services/api/...",
    "golangci-lint run ./examples/hello/... ./services/api/...",
)


def test_a_go_work_root_lists_checks_over_its_modules_not_dot_dot_dot(tmp_path: Path) -> None:
    """``go build ./...`` fails at a go.work root without a go.mod: no module holds ``.``."""
    repo = go_work_repo(tmp_path / "gowork")
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    agents = (repo / "AGENTS.md").read_text()
    api_block = (
        "Run in `services/api/`:\n\n```sh\n"
        "go build ./...\ngo vet ./...\ngo test ./...\ngolangci-lint run\n```\n"
    )
    assert "## the root project\n" in agents
    assert "### Commands\n\n```sh\n" + "\n".join(GO_WORK_ROOT_CHECKS) + "\n```\n" in agents
    assert api_block in agents
    assert not (repo / "services/api/AGENTS.md").exists()


@pytest.mark.slow
def test_the_go_checks_listed_at_a_go_work_root_pass_there(tmp_path: Path) -> None:
    from tests.ecosystems.go.toolchain import go_tools

    tools = go_tools()
    repo = go_work_repo(tmp_path / "gowork")
    assert adopt(str(repo), "--yes")[0] == 0
    root_section = (repo / "AGENTS.md").read_text().split("## the root project\n")[1]
    block = root_section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert tuple(block.splitlines()) == GO_WORK_ROOT_CHECKS
    for check in block.splitlines():
        program, *arguments = check.split()
        if program == "go":  # what golangci-lint reports depends on the config adopt wrote
            run([tools.go, *arguments], cwd=repo, env=tools.env)
        else:
            run([tools.golangci_lint, "config", "verify"], cwd=repo, env=tools.env)


def test_a_claude_md_too_large_or_linked_is_not_read_and_the_plan_says_so(
    tmp_path: Path,
) -> None:
    big = "# Notes\n" + "x" * (1024 * 1024) + "\n"
    repo = python_monorepo(tmp_path / "big", {"CLAUDE.md": big})
    assert planned_files(adopt_plan(repo), "CLAUDE.md") == {
        "CLAUDE.md": ("skip", "is larger than 1 MiB; add @AGENTS.md yourself")
    }
    outside = tmp_path / "notes.md"
    outside.write_text("# Notes\n")
    repo = python_monorepo(tmp_path / "linked")
    (repo / "CLAUDE.md").symlink_to(outside)
    commit_all(repo, "a linked CLAUDE.md")
    assert planned_files(adopt_plan(repo), "CLAUDE.md") == {
        "CLAUDE.md": ("skip", "a symbolic link; not followed; add @AGENTS.md yourself")
    }
    assert adopt(str(repo), "--yes")[0] == 0
    assert outside.read_text() == "# Notes\n"


def test_agents_md_describes_the_project_as_the_adoption_leaves_it(tmp_path: Path) -> None:
    """The configs and folders adopt adds are in force once it is applied: AGENTS.md names
    them, so the next adoption finds it as it would write it."""
    repo = committed_repo(tmp_path / "flat", python_service(".") | {"app/__init__.py": "x = 1\n"})

    code, output = adopt(str(repo), "--yes")

    assert code == 0, output
    agents = (repo / "AGENTS.md").read_text()
    assert "- indentation: spaces of 4\n" in agents
    assert "- configuration in force: `.editorconfig`, `pyproject.toml[tool.ruff]`\n" in agents
    assert "Architecture: layered." in agents  # app/api, app/models and app/services
    assert_nothing_left_to_adopt(repo)
