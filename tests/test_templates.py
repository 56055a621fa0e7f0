"""Reading templates and checking answers before anything is rendered."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import sys
from pathlib import Path

import pytest

from scaffold.errors import InvalidAnswerError, UnknownStackError
from scaffold.model import Stack
from scaffold.templates import (
    check_answers,
    get_stack,
    list_stacks,
    load_template,
    parse_data_options,
    render_string,
)
from tests.helpers import run


def test_every_bundled_template_declares_the_shared_questions() -> None:
    for stack in list_stacks():
        questions = list(load_template(stack.template).questions)
        assert questions[:3] == ["project_name", "description", "author"], stack.id
        assert stack.summary, stack.id
        assert stack.language, stack.id


@pytest.mark.parametrize("stack", list_stacks(), ids=lambda stack: stack.id)
def test_every_question_has_help_a_default_and_a_check(stack: Stack) -> None:
    for question in load_template(stack.template).questions.values():
        assert question.help, question.name
        assert question.default is not None, question.name
        assert question.validator or question.type == "bool" or question.choices, question.name


def test_unknown_stack() -> None:
    with pytest.raises(UnknownStackError, match="unknown stack 'cobol'"):
        get_stack("cobol")


def test_data_options_split_on_the_first_equals_sign() -> None:
    assert parse_data_options(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}


@pytest.mark.parametrize("pair", ["novalue", "=x", " =x"])
def test_data_options_need_a_key(pair: str) -> None:
    with pytest.raises(InvalidAnswerError, match="--data takes KEY=VALUE"):
        parse_data_options([pair])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("my-service", None),
        ("svc2", None),
        ("2svc", "must start with a lowercase letter"),
        ("svc-", "must not end with a hyphen"),
        ("my_service", "may hold only lowercase letters, digits and hyphens"),
        ("My-Service", "must start with a lowercase letter"),
        ("..", "must start with a lowercase letter"),
        ("a..b", "may hold only lowercase letters, digits and hyphens"),
    ],
)
def test_project_name_validator(name: str, message: str | None) -> None:
    spec = load_template(get_stack("python-fastapi").template)
    if message is None:
        assert check_answers(spec, {"project_name": name}) == {"project_name": name}
    else:
        with pytest.raises(InvalidAnswerError, match=message):
            check_answers(spec, {"project_name": name})


def test_description_must_be_one_line() -> None:
    spec = load_template(get_stack("python-fastapi").template)
    with pytest.raises(InvalidAnswerError, match="must be a single line"):
        check_answers(spec, {"description": "two\nlines"})


def test_hidden_layout_answers_are_validated_too() -> None:
    spec = load_template(get_stack("python-fastapi").template)
    assert check_answers(spec, {"api_module": "routers"}) == {"api_module": "routers"}
    with pytest.raises(
        InvalidAnswerError, match=re.escape("api_module='../x': must be a lowercase")
    ):
        check_answers(spec, {"api_module": "../x"})


CHECK_A_VALIDATOR = """\
from scaffold.templates import check_answers, get_stack, load_template
spec = load_template(get_stack("go").template)
print(check_answers(spec, {"cmd_dir": "apps", "module_path": "example.com/x"}))
try:
    check_answers(spec, {"cmd_dir": "../x"})
except Exception as error:
    print(error)
"""


def test_compiled_validators_are_kept_only_signed_and_an_unwritable_cache_is_no_error(
    tmp_path: Path, isolated_environment: Path
) -> None:
    expected = (
        "{'cmd_dir': 'apps', 'module_path': 'example.com/x'}\n"
        "cmd_dir='../x': must stay inside the project: no . or .. folders\n"
    )

    def checked(cache: Path) -> str:
        env = {"SCAFFOLD_CACHE_DIR": str(cache)}
        return run([sys.executable, "-c", CHECK_A_VALIDATOR], cwd=tmp_path, env=env).stdout

    cache = tmp_path / "cache"
    assert checked(cache) == expected
    assert checked(cache) == expected
    # Compiled code is kept only as entries signed with the key outside the cache folder.
    key = (isolated_environment / ".local" / "state" / "scaffold" / "cache-key").read_bytes()
    entries = sorted((cache / "jinja").iterdir())
    assert entries and all(entry.suffix == ".code" for entry in entries)
    for entry in entries:
        data = entry.read_bytes()
        message = f"jinja-bytecode:{entry.stem}".encode() + b"\0" + data[32:]
        assert data[:32] == hmac.new(key, message, hashlib.sha256).digest()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert checked(blocked / "cache") == expected


def test_a_string_rendered_again_with_the_same_values_gives_the_same_text() -> None:
    greeting = "{% if adopted %}kept {% endif %}{{ name | upper }}-{{ size }}"
    assert render_string(greeting, {"name": "api", "size": 1, "adopted": False}) == "API-1"
    assert render_string(greeting, {"name": "api", "size": 1, "adopted": False}) == "API-1"
    assert render_string(greeting, {"name": "web", "size": 1, "adopted": False}) == "WEB-1"
    # 1 and True are equal in Python, not in the text Jinja gives.
    assert render_string(greeting, {"name": "api", "size": True, "adopted": False}) == "API-True"
    assert render_string(greeting, {"name": "api", "size": 1, "adopted": True}) == "kept API-1"
    assert render_string(greeting, {"name": "api", "size": 1}) == "API-1"
    defined = "{{ line_length is defined }}"
    assert render_string(defined, {}) == "False"
    assert render_string(defined, {"line_length": None}) == "True"
    # A name the string holds only as text is no variable of it.
    assert render_string("{{ 'size' }}", {"size": 3}) == "size"


def test_strings_that_read_containers_or_draw_at_random_are_rendered_every_time() -> None:
    shown = "{{ items | join(',') }}"
    items = ["a"]
    assert render_string(shown, {"items": items}) == "a"
    items.append("b")  # the same list, changed: equal keys would hide this
    assert render_string(shown, {"items": items}) == "a,b"
    drawn = {render_string("{{ range(100000) | random }}", {}) for _ in range(5)}
    assert len(drawn) > 1


def test_a_string_that_only_names_a_tag_as_text_is_still_rendered_once_per_values() -> None:
    """Java's keywords include "import": a validator listing them reads no other template, so
    its text is rendered once for each set of values, not for every project."""
    from scaffold import jinja_strings

    keywords = '{% set keywords = ["import", "include"] %}{{ name in keywords }}'
    assert render_string(keywords, {"name": "import"}) == "True"
    assert jinja_strings._string_reads[keywords] is not None
    assert render_string(keywords, {"name": "orders"}) == "False"
    tag = '{%- include "other" %}'
    with contextlib.suppress(Exception):
        render_string(tag, {})
    assert jinja_strings._string_reads[tag] is None


def test_no_file_of_a_template_is_one_this_repository_ignores() -> None:
    """A template's own .gitignore would apply to the template's files here too: a file it
    matches is left out of commits (and of the template history built from them). Such a
    .gitignore is kept as ``.gitignore.jinja``, which git does not read."""
    from tests.helpers import REPO_ROOT, git

    ignored = git(REPO_ROOT, "ls-files", "--cached", "--ignored", "--exclude-standard", "templates")
    untracked = git(
        REPO_ROOT, "ls-files", "--others", "--ignored", "--exclude-standard", "templates"
    )
    assert ignored.split() == []
    leftovers = [
        p for p in untracked.split() if "/node_modules/" not in p and "__pycache__" not in p
    ]
    assert leftovers == []
