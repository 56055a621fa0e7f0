"""The ecosystems' registry is the single source: an ecosystem added to it, in a package of
its own, is detected, generated and adopted with no other file edited.

The toy ecosystem joins through :func:`scaffold.ecosystems.register`, the registry's own
extension point, which a plugin calls when it is imported; nothing else in scaffold is
touched or patched.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.ecosystems import ECOSYSTEMS, register, unregister
from tests.helpers import committed_repo, write_files

PACKAGE = "toy_ecosystem_for_tests"

TOY_FILES = {
    "__init__.py": """
from pathlib import Path

from scaffold.ecosystems.base import ConfigKind, Ecosystem

ECOSYSTEM = Ecosystem(
    name="toy",
    detectors=("toy_ecosystem_for_tests.detect",),
    recipes=("toy_ecosystem_for_tests.adopt",),
    config_kinds=(ConfigKind("toyfmt", "toyfmt", frozenset({"toylang"}), (".toyfmt",)),),
    extensions={"toylang": (".toy",)},
    language_aliases={"toylang": "toylang"},
    priority={"toylang": 0},
    project_manifests=("toy.toml",),
    stack_languages=frozenset({"toylang"}),
    framework_bound=False,
    templates=Path(__file__).parent / "templates",
)
""",
    "detect.py": '''
from scaffold.detect.base import APP, Candidate, Context, Detector, parent, register


@register
class ToyDetector(Detector):
    """Toy projects: a toy.toml with a name."""

    name = "toy"
    manifests = ("toy.toml",)

    def detect(self, ctx: Context) -> list[Candidate]:
        found = []
        for path in ctx.view.named("toy.toml"):
            manifest = ctx.toml(path)
            if manifest is None:
                continue
            cand = Candidate(parent(path), "toylang", path, APP)
            cand.note("language", path, "toy manifest")
            found.append(cand)
        return found
''',
    "adopt.py": """
import tomllib

from scaffold.adopters.base import EDITORCONFIG, Recipe, WholeFile


def _answers(folder, project):
    manifest = tomllib.loads((folder / "toy.toml").read_text())
    return {"project_name": manifest["name"]}


RECIPE = Recipe(
    "toy",
    _answers,
    {".editorconfig": EDITORCONFIG, ".toyfmt": WholeFile()},
    lambda folder, project: ("toy check",),
    source_suffix=".toy",
)
""",
    "templates/toy/copier.yml": """
_subdirectory: template
_exclude:
  - "{% if adopted %}*\\n!.editorconfig\\n!.toyfmt\\n!.copier-answers.yml{% endif %}"
_scaffold:
  summary: "Toy service"
  language: toylang
  framework: null
project_name:
  type: str
  help: Name of the project
  default: toy-service
adopted:
  type: bool
  help: Render only the configuration files
  default: false
""",
    "templates/toy/template/toy.toml.jinja": 'name = "{{ project_name }}"\n',
    "templates/toy/template/main.toy.jinja": 'print "{{ project_name }}"\n',
    "templates/toy/template/.toyfmt.jinja": "width = 80  # {{ project_name }}\n",
    "templates/toy/template/.editorconfig": "root = true\n",
    "templates/toy/template/{{_copier_conf.answers_file}}.jinja": (
        "{{ _copier_answers|to_nice_yaml -}}\n"
    ),
}


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    package = tmp_path / "plugins" / PACKAGE
    write_files(package, {name: text.lstrip("\n") for name, text in TOY_FILES.items()})
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    module = __import__(PACKAGE)
    register(module.ECOSYSTEM)
    try:
        yield
    finally:
        unregister("toy")
        for name in [m for m in sys.modules if m.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_detect_finds_the_toy_project_and_its_stack(toy: None, tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "repo",
        {"toy.toml": 'name = "demo"\n', "main.toy": "  print 1\n", ".toyfmt": "width = 100\n"},
    )
    code, output = run("detect", "--json", str(repo))
    assert code == 0, output
    (project,) = json.loads(output)["projects"]
    assert (project["path"], project["language"], project["stack"]) == (".", "toylang", "toy")
    assert project["configs"] == [".toyfmt"]


def test_new_lists_and_renders_the_toy_template(toy: None, tmp_path: Path) -> None:
    target = tmp_path / "made"
    code, output = run("new", "toy", str(target), "--data", "project_name=shop", "--defaults")
    assert code == 0, output
    assert (target / "toy.toml").read_text() == 'name = "shop"\n'
    assert (target / ".toyfmt").read_text() == "width = 80  # shop\n"


def test_adopt_plans_and_writes_the_toy_recipe_files(toy: None, tmp_path: Path) -> None:
    repo = committed_repo(tmp_path / "repo", {"toy.toml": 'name = "demo"\n'})
    code, output = run("adopt", "--dry-run", "--json", str(repo))
    assert code == 3, output
    plan = json.loads(output)
    assert plan["projects"] == [{"path": ".", "stack": "toy", "status": "planned"}]
    assert {entry["path"]: entry["action"] for entry in plan["files"]} == {
        ".copier-answers.yml": "create",
        ".editorconfig": "create",
        ".toyfmt": "create",
        "AGENTS.md": "create",
    }
    code, output = run("adopt", "--yes", str(repo))
    assert code == 0, output
    # The name comes from the toy recipe, which read it from toy.toml.
    assert (repo / ".toyfmt").read_text() == "width = 80  # demo\n"
    assert not (repo / "main.toy").exists()


def test_without_registration_the_toy_is_unknown(tmp_path: Path) -> None:
    assert "toy" not in ECOSYSTEMS
    repo = committed_repo(tmp_path / "repo", {"toy.toml": 'name = "demo"\n'})
    code, output = run("detect", "--json", str(repo))
    assert code == 0, output
    assert json.loads(output)["projects"] == []
    code, output = run("new", "toy", str(tmp_path / "made"))
    assert code == 2
    assert "unknown stack 'toy'" in output
