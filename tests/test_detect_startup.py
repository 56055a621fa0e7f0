"""What ``scaffold detect`` costs before it looks at a file: the stack table reads each
template's ``_scaffold`` block (bounded like every YAML) without building its questions, and
detection imports neither the questions' model nor the requirement parser until a
repository needs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scaffold.detect.requirements import normalize, requirement_name
from scaffold.ecosystems import template_folders
from scaffold.errors import TemplateError
from scaffold.templates import load_template, template_metadata
from scaffold.untrusted import MAX_ALIAS_NODES
from tests.helpers import committed_repo


def detect_imports(root: Path, modules: tuple[str, ...]) -> tuple[list[str], list[str | None]]:
    """``scaffold detect --json`` run in a fresh process on ``root``: which of ``modules`` it
    imported, and the stack of every project it found."""
    script = (
        "import json, sys\n"
        "from scaffold.cli import main\n"
        f"sys.argv = ['scaffold', 'detect', {str(root)!r}, '--json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"imported = sorted(m for m in {modules!r} if m in sys.modules)\n"
        "print('IMPORTED', json.dumps(imported), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    imported = next(line for line in done.stderr.splitlines() if line.startswith("IMPORTED"))
    stacks = [entry["stack"] for entry in json.loads(done.stdout)["projects"]]
    return json.loads(imported.removeprefix("IMPORTED ")), stacks


def test_detect_maps_stacks_without_building_the_templates_questions(tmp_path: Path) -> None:
    root = committed_repo(
        tmp_path / "repo",
        {"pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi"]\n'},
    )
    imported, stacks = detect_imports(root, ("scaffold.questions", "jinja2", "yaml"))
    assert (imported, stacks) == (["yaml"], ["python-fastapi"])


@pytest.mark.parametrize(
    ("dependencies", "parser_imported"),
    [
        ('["FastAPI", "SQLAlchemy"]', False),
        ('["fastapi[all]>=0.115", "uvicorn >= 0.30, < 1"]', False),
        ("['fastapi[all]>=0.115; python_version > \"3.10\"']", True),
    ],
)
def test_detect_imports_the_requirement_parser_only_for_an_uncommon_requirement(
    tmp_path: Path, dependencies: str, parser_imported: bool
) -> None:
    parser = ("packaging.requirements", "packaging.utils")
    pyproject = f'[project]\nname = "svc"\ndependencies = {dependencies}\n'
    root = committed_repo(tmp_path / "svc", {"pyproject.toml": pyproject})
    expected = list(parser) if parser_imported else []
    assert detect_imports(root, parser) == (expected, ["python-fastapi"])


def test_detect_of_a_go_module_imports_no_requirement_parser(tmp_path: Path) -> None:
    go = committed_repo(tmp_path / "go", {"go.mod": "module example.com/svc\n\ngo 1.26\n"})
    assert detect_imports(go, ("packaging.requirements", "packaging.utils")) == ([], ["go"])


@pytest.mark.parametrize("stack", sorted(template_folders()))
def test_a_templates_metadata_is_what_the_whole_template_reads(stack: str) -> None:
    folder = template_folders()[stack]
    assert template_metadata(folder) == load_template(folder).metadata


def test_a_bomb_in_a_copier_yml_is_refused_when_only_its_metadata_is_read(tmp_path: Path) -> None:
    from tests.test_bounded_inputs import alias_bomb

    (tmp_path / "copier.yml").write_text("_scaffold: {language: python}\n" + alias_bomb())
    with pytest.raises(TemplateError) as raised:
        template_metadata(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'copier.yml'} has YAML aliases that expand to more than "
        f"{MAX_ALIAS_NODES:,} extra nodes; not read"
    )


#: copier.yml texts that are not a mapping, and the part of the error that says so.
NOT_A_MAPPING = [("- a list\n", "is not a mapping"), ("_scaffold: [1, 2\n", "cannot read")]


@pytest.mark.parametrize(("text", "error"), NOT_A_MAPPING)
def test_a_copier_yml_that_is_no_mapping_is_a_template_error(
    tmp_path: Path, text: str, error: str
) -> None:
    (tmp_path / "copier.yml").write_text(text)
    with pytest.raises(TemplateError, match=error):
        template_metadata(tmp_path)


@given(st.text(alphabet="aZ09._-[],<=>!~;@:/ '\"", max_size=16))
def test_a_requirement_is_read_as_packaging_reads_it(spec: str) -> None:
    # Bare names are read without packaging's parser; the answer must not change.
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    assume(not spec.lstrip().startswith("-") and " -" not in spec)  # pip's options are cut
    try:
        expected: str | None = canonicalize_name(Requirement(" ".join(spec.split())).name)
    except InvalidRequirement:
        expected = None
    assert requirement_name(spec) == expected


@given(st.text(alphabet="aZß09._- ", max_size=16))
def test_names_are_normalised_as_packaging_normalises_them(name: str) -> None:
    from packaging.utils import canonicalize_name

    assert normalize(name) == canonicalize_name(name)
