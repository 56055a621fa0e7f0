"""Answers scaffold refuses before rendering: names that collide with what a project depends
on, text that is too long, values of the wrong type; and messages that echo only the start
of a hostile value."""

from __future__ import annotations

import json
import tomllib
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ExitCode, InvalidAnswerError
from scaffold.model import Stack
from scaffold.templates import (
    Question,
    TemplateSpec,
    cast_answer,
    check_answers,
    get_stack,
    list_stacks,
    load_template,
    name_clash,
    render_string,
)
from tests.helpers import refused_answers


@pytest.mark.parametrize(
    ("stack", "args", "message"),
    [
        ("python-fastapi", ["{dir}", "-d", "package_name=os"], "package_name='os': is a module of Python's standard library, which it would shadow"),
        ("python-fastapi", ["{dir}", "-d", "package_name=starlette"], "package_name='starlette': clashes with starlette, which the stack depends on"),
        ("python-fastapi", ["{dir}", "-d", "package_name=pydantic_settings"], "package_name='pydantic_settings': clashes with pydantic-settings, which the stack depends on"),
        ("python-fastapi", ["{dir}", "-d", "project_name=fastapi"], "project_name='fastapi': clashes with fastapi, which the stack depends on"),
        ("python-fastapi", ["{dir}", "-d", "project_name=email-validator"], "project_name='email-validator': clashes with email-validator, which the stack depends on"),
        ("django", ["{dir}/../django"], "project_name='django' (from the folder name; pass --data project_name=NAME): clashes with django, which the stack depends on"),
        ("django", ["{dir}", "-d", "project_name=gunicorn"], "project_name='gunicorn': clashes with gunicorn, which the stack depends on"),
        ("django", ["{dir}", "-d", "app_name=asyncio"], "app_name='asyncio': is a module of Python's standard library, which it would shadow"),
        ("django", ["{dir}", "-d", "project_package=sqlparse"], "project_package='sqlparse': clashes with sqlparse, which the stack depends on"),
        ("rust", ["{dir}", "-d", "project_name=serde"], "project_name='serde': clashes with serde, which the stack depends on"),
        ("rust", ["{dir}", "-d", "crate_name=tower_http"], "crate_name='tower_http': clashes with tower-http, which the stack depends on"),
        ("node-express", ["{dir}", "-d", "project_name=express"], "project_name='express': clashes with express, which the stack depends on"),
        ("go", ["{dir}", "-d", "module_path=net/api"], "module_path='net/api': lies inside net, which the stack depends on"),
        ("go", ["{dir}", "-d", "module_path=fmt"], "module_path='fmt': clashes with fmt, which the stack depends on"),
        ("java-spring", ["{dir}", "-d", "group_id=org.springframework.boot"], "group_id='org.springframework.boot': lies inside org.springframework, which the stack depends on"),
        ("java-spring", ["{dir}", "-d", "package_name=jakarta.api"], "package_name='jakarta.api': lies inside jakarta, which the stack depends on"),
    ],
)  # fmt: skip
def test_a_name_that_collides_is_refused_in_one_line(
    tmp_path: Path, stack: str, args: list[str], message: str
) -> None:
    base = tmp_path / "base"
    base.mkdir()
    line = refused_answers(stack, base, args, dry_run=True)
    assert line == f"scaffold: error: {message}"


@pytest.mark.parametrize(
    ("stack", "answers"),
    [
        ("python-fastapi", {"project_name": "fastapi-orders", "package_name": "orders"}),
        ("django", {"project_name": "django-shop", "app_name": "shop"}),
        ("rust", {"project_name": "serde-tools", "crate_name": "serde_tools"}),
        ("go", {"module_path": "example.com/net"}),
        ("go", {"module_path": "network/api"}),
        ("java-spring", {"group_id": "org.springframeworks", "package_name": "com.jakarta"}),
    ],
)
def test_names_that_only_resemble_a_dependency_are_accepted(
    stack: str, answers: dict[str, str]
) -> None:
    spec = load_template(get_stack(stack).template)
    assert check_answers(spec, answers) == answers


def test_an_adopted_project_keeps_its_own_name() -> None:
    # adopt renders only configs: the fastapi repository itself may be adopted.
    spec = load_template(get_stack("python-fastapi").template)
    answers = {"project_name": "fastapi", "adopted": True}
    assert check_answers(spec, answers) == answers


def _manifest_variants(spec: TemplateSpec) -> Iterator[dict[str, Any]]:
    """The template's defaults, then each choice of each question with choices and each
    value of each yes/no question, one at a time: every dependency a manifest can declare."""
    defaults = {name: q.default for name, q in spec.questions.items()} | {"adopted": False}
    yield defaults
    for name, question in spec.questions.items():
        if name == "adopted":
            continue
        values = question.choices or ((True, False) if question.type == "bool" else ())
        for value in values:
            yield defaults | {name: value}


def _declared_dependencies(stack: Stack, context: dict[str, Any]) -> set[str]:
    """The dependencies the stack's manifest declares when rendered with ``context``."""
    folder = stack.template / "template"
    if stack.language == "python":
        text = render_string((folder / "pyproject.toml.jinja").read_text(), context)
        manifest = tomllib.loads(text)
        requirements = list(manifest["project"]["dependencies"])
        for group in manifest.get("dependency-groups", {}).values():
            requirements += [r for r in group if isinstance(r, str)]
        return {Requirement(r).name for r in requirements}
    if stack.language == "rust":
        text = render_string((folder / "Cargo.toml.jinja").read_text(), context)
        cargo = tomllib.loads(text)
        return set(cargo.get("dependencies", {})) | set(cargo.get("dev-dependencies", {}))
    if stack.language in ("typescript", "javascript"):
        package = json.loads(render_string((folder / "package.json.jinja").read_text(), context))
        return set(package.get("dependencies", {})) | set(package.get("devDependencies", {}))
    if stack.language == "go":
        text = render_string((folder / "go.mod.jinja").read_text(), context)
        required: set[str] = set()
        in_block = False
        for line in text.splitlines():
            words = line.split()
            if words[:2] == ["require", "("]:
                in_block = True
            elif in_block and words[:1] == [")"]:
                in_block = False
            elif in_block and words:
                required.add(words[0])
            elif words[:1] == ["require"] and len(words) >= 2:
                required.add(words[1])
        return required
    if stack.language == "java":
        pom = ElementTree.fromstring(render_string((folder / "pom.xml.jinja").read_text(), context))
        ns = {"m": "http://maven.apache.org/POM/4.0.0"}
        return {
            element.text or ""
            for element in pom.findall("m:dependencies/m:dependency/m:groupId", ns)
        }
    raise AssertionError(f"no manifest reader for {stack.language}")


@pytest.mark.parametrize("stack", list_stacks(), ids=lambda stack: stack.id)
def test_the_reserved_names_cover_every_dependency_the_manifest_declares(stack: Stack) -> None:
    spec = load_template(stack.template)
    rules = spec.metadata["questions"]
    reserved = spec.metadata["reserved"]
    assert rules, stack.id
    declared = set().union(*(_declared_dependencies(stack, c) for c in _manifest_variants(spec)))
    assert declared or stack.id == "go", stack.id  # go.mod requires nothing (yet)
    uncovered = {
        (name, dependency)
        for name, rule in rules.items()
        for dependency in declared
        if not name_clash(rule["kind"], dependency, reserved)
    }
    assert uncovered == set()


def test_the_drift_check_sees_a_dependency_left_out() -> None:
    # The check above is only worth something if a missing name shows.
    assert name_clash("python-distribution", "fastapi", ["alembic", "sqlalchemy"]) == ""
    assert name_clash("python-distribution", "FastAPI", ["fastapi"]) != ""


# --- lengths and truncation ---------------------------------------------------------


def test_every_text_answer_has_a_maximum_length(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    line = refused_answers("go", base, ["{dir}", "-d", "author=" + "x" * 201], dry_run=True)
    assert line == (
        f"scaffold: error: author={'x' * 60!r}… (201 characters): must be at most 200 characters"
    )


def test_a_huge_name_gives_a_short_error_line(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    line = refused_answers("python-fastapi", base, ["{dir}", "-d", "project_name=" + "a" * 5000])
    assert line == (
        f"scaffold: error: project_name={'a' * 60!r}… (5,000 characters): "
        "must be at most 200 characters"
    )


def test_a_template_may_declare_a_tighter_limit() -> None:
    question = Question("code", "str", "A short code", "ab", (), "")
    spec = TemplateSpec(
        path=Path("."),
        questions={"code": question},
        metadata={"questions": {"code": {"max_length": 4}}},
    )
    assert check_answers(spec, {"code": "abcd"}) == {"code": "abcd"}
    with pytest.raises(InvalidAnswerError) as raised:
        check_answers(spec, {"code": "abcde"})
    assert str(raised.value) == "code='abcde': must be at most 4 characters"


def test_a_validator_message_echoes_a_value_cut_short(tmp_path: Path) -> None:
    # Under the length limit, still more than an error line should repeat.
    base = tmp_path / "base"
    base.mkdir()
    value = "Bad" + "x" * 100
    line = refused_answers("python-fastapi", base, ["{dir}", "-d", f"project_name={value}"])
    assert line == (
        f"scaffold: error: project_name={value[:60]!r}… (103 characters): "
        "must start with a lowercase letter"
    )


# --- types ----------------------------------------------------------------------------


def test_a_whole_number_answer_that_is_not_one(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    line = refused_answers("python-fastapi", base, ["{dir}", "-d", "line_length=abc"])
    assert line == "scaffold: error: line_length: 'abc' is not a whole number"


def test_a_yes_no_answer_that_is_not_one(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    line = refused_answers("go", base, ["{dir}", "-d", "library=maybe"])
    assert line == "scaffold: error: library: 'maybe' is not true or false"


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("int", "12.5", "size: '12.5' is not a whole number"),
        ("int", "9" * 5000, f"size: {'9' * 60!r}… (5,000 characters) is not a whole number"),
        ("float", "fast", "size: 'fast' is not a number"),
        ("bool", "perhaps", "size: 'perhaps' is not true or false"),
        ("json", "{oops", "size: '{oops' is not valid JSON"),
        ("json", "[" * 100_000, f"size: {'[' * 60!r}… (100,000 characters) is not valid JSON"),
    ],
)
def test_each_type_names_what_it_expects(kind: str, raw: str, message: str) -> None:
    question = Question("size", kind, "A size", None, (), "")
    with pytest.raises(InvalidAnswerError) as raised:
        cast_answer(question, raw)
    assert str(raised.value) == message


# --- the target folder -------------------------------------------------------------------


def test_a_folder_name_too_long_for_the_filesystem(tmp_path: Path) -> None:
    target = tmp_path / ("d" * 300)
    result = CliRunner().invoke(app, ["new", "python-fastapi", str(target), "--defaults"])
    text = str(target)
    assert (result.exit_code, result.output) == (
        ExitCode.ERROR,
        f"scaffold: error: cannot create a project at …{text[-200:]} "
        f"({len(text):,} characters): File name too long\n",
    )
    assert list(tmp_path.iterdir()) == []
