"""``scaffold detect``: exact human output, the pinned JSON contract, exit codes, imports."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from typer.testing import CliRunner

from scaffold.cli import app
from tests.detect.conftest import MakeRepo, evidence, identity
from tests.helpers import git

FIXTURE = {
    ".editorconfig": "root = true\n\n[*]\nindent_style = space\nindent_size = 4\n",
    "services/api/pyproject.toml": "[project]\n"
    'name = "api"\n'
    'dependencies = ["fastapi[standard]>=0.115"]\n\n'
    "[tool.ruff]\nline-length = 100\n",
    "services/api/uv.lock": "version = 1\n",
    "services/api/app/api/routes.py": "def list_items(page_size):\n    item_count = 1\n"
    "    return item_count\n",
    "services/api/app/services/items.py": "def create_item(item_name):\n    new_item = 1\n"
    "    return new_item\n",
    "services/api/app/repositories/items.py": "def find_item(item_id):\n    found_item = 1\n"
    "    return found_item\n",
    "services/api/tests/test_items.py": "def test_item():\n    assert True\n",
    "backend/pyproject.toml": '[project]\nname = "x"\ndependencies = [fastapi]\n',
}


# The table both outputs start with, after the count of projects.
TABLE = (
    "\n"
    "PATH          LANGUAGE  FRAMEWORK  BUILD TOOL  STACK           ARCHITECTURE\n"
    "services/api  python    fastapi    uv          python-fastapi  layered\n"
    "\n"
)


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["detect", *args])
    return result.exit_code, result.output


def test_human_output(make_repo: MakeRepo) -> None:
    root = make_repo(FIXTURE).resolve()
    code, output = run_cli(str(root))
    assert code == 0
    assert output == (
        f"1 project in {root}\n" + TABLE + "1 warning:\n"
        "  backend/pyproject.toml: invalid TOML at line 3, column 17: Invalid value\n"
    )


def test_verbose_output(make_repo: MakeRepo) -> None:
    root = make_repo(FIXTURE).resolve()
    code, output = run_cli(str(root), "--verbose")
    assert code == 0
    assert output == (
        f"1 project in {root}\n" + TABLE + "services/api:\n"
        "  configs       .editorconfig, services/api/pyproject.toml[tool.ruff]\n"
        "  style         indent 4 spaces, naming snake_case\n"
        "  source dirs   app, tests\n"
        "  evidence\n"
        "    language      services/api/pyproject.toml: [project] table\n"
        "    build_tool    services/api/uv.lock: uv lockfile\n"
        "    framework     services/api/pyproject.toml: depends on fastapi\n"
        "    configs       .editorconfig: EditorConfig settings\n"
        "    configs       services/api/pyproject.toml: Ruff settings in [tool.ruff]\n"
        "    style         .editorconfig: [*] indent_style = space, indent_size = 4\n"
        "    style         services/api: sampled 4 files: 7 function and variable names: "
        "7 snake_case, 0 camelCase, 0 PascalCase\n"
        "    source_dirs   services/api: code in app/, tests/\n"
        "    architecture  services/api/app/api: presentation, service and data layers: "
        "services/api/app/api, services/api/app/services, services/api/app/repositories\n"
        "\n"
        "1 warning:\n"
        "  backend/pyproject.toml: invalid TOML at line 3, column 17: Invalid value\n"
    )


def test_no_projects(make_repo: MakeRepo) -> None:
    root = make_repo({"notes.txt": "hello\n"}).resolve()
    assert run_cli(str(root)) == (0, f"No projects found in {root}.\n")


def test_default_directory_is_the_current_one(make_repo: MakeRepo, monkeypatch: Any) -> None:
    root = make_repo({"go.mod": "module x\n"}).resolve()
    monkeypatch.chdir(root)
    code, output = run_cli("--json")
    assert code == 0
    assert json.loads(output)["root"] == str(root)


def _types(value: Any) -> Any:
    """The JSON shape of ``value``: each leaf replaced by its type name."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(value[0])] if value else []
    return type(value).__name__


def test_json_contract(make_repo: MakeRepo) -> None:
    """Pins the field names, their order and their types (schema 1)."""
    files = dict(FIXTURE)
    files["pyproject.toml"] = (
        '[project]\nname = "root"\ndependencies = []\n'
        "[tool.uv.workspace]\nmembers = ['services/*']\n"
    )
    files["uv.lock"] = "version = 1\n"
    root = make_repo(files).resolve()
    code, output = run_cli(str(root), "--json")
    assert code == 0
    payload = json.loads(output)
    assert list(payload) == ["schema", "root", "projects", "warnings"]
    assert payload["schema"] == 1
    assert payload["root"] == str(root)
    top, api = payload["projects"]
    assert list(api) == [
        "path",
        "language",
        "framework",
        "build_tool",
        "stack",
        "workspace",
        "configs",
        "style",
        "source_dirs",
        "architecture",
        "evidence",
    ]
    assert _types(api) == {
        "path": "str",
        "language": "str",
        "framework": "str",
        "build_tool": "str",
        "stack": "str",
        "workspace": "NoneType",
        "configs": ["str"],
        "style": {"indent": {"style": "str", "size": "int"}, "naming": "str"},
        "source_dirs": ["str"],
        "architecture": "str",
        "evidence": [{"claim": "str", "file": "str", "detail": "str"}],
    }
    assert top["path"] == "."
    assert top["workspace"] == {"kind": "uv", "members": ["services/api"]}
    assert (top["framework"], top["stack"], top["source_dirs"]) == (None, None, [])
    assert api["path"] == "services/api"
    assert identity(api) == ("python", "fastapi", "uv", "python-fastapi")
    assert api["configs"] == [".editorconfig", "services/api/pyproject.toml[tool.ruff]"]
    assert api["style"] == {"indent": {"style": "space", "size": 4}, "naming": "snake_case"}
    assert api["source_dirs"] == ["app", "tests"]
    assert api["architecture"] == "layered"
    detail = "depends on fastapi"
    assert evidence("framework", "services/api/pyproject.toml", detail) in api["evidence"]
    assert payload["warnings"] == [
        {
            "file": "backend/pyproject.toml",
            "message": "invalid TOML at line 3, column 17: Invalid value",
        }
    ]


def test_json_of_an_empty_repository(make_repo: MakeRepo) -> None:
    root = make_repo({}).resolve()
    code, output = run_cli(str(root), "--json")
    assert code == 0
    assert json.loads(output) == {
        "schema": 1,
        "root": str(root),
        "projects": [],
        "warnings": [],
    }


def test_detect_does_not_import_copier(make_repo: MakeRepo) -> None:
    root = make_repo(FIXTURE, git=True)
    git(root, "status")
    script = (
        "import sys\n"
        "from scaffold.cli import main\n"
        f"sys.argv = ['scaffold', 'detect', {str(root)!r}, '--json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "heavy = sorted(m for m in ('copier', 'jinja2', 'ruamel.yaml', 'git') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert "HEAVY []" in proc.stderr, proc.stderr
    assert json.loads(proc.stdout)["projects"][0]["path"] == "services/api"


def test_help_names_the_arguments() -> None:
    result = CliRunner().invoke(app, ["detect", "--help"])
    assert result.exit_code == 0
    assert "Usage: scaffold detect [OPTIONS] [DIR]" in result.output
    assert "--json" in result.output and "--verbose" in result.output
