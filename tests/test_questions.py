"""One Question model, read from a template's copier.yml: what the answer checks of ``new``
and ``adopt`` and the in-process replay both cast and check answers with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaffold.errors import InvalidAnswerError
from scaffold.questions import Question, read_questions
from scaffold.templates import check_answers, load_template, render_string

COPIER_YML = """\
size:
  type: str
  help: "  How big  "
  choices:
    - [Small, s]
    - [Large, l]
  default: s
database:
  type: str
  choices:
    SQLite: sqlite
    PostgreSQL: postgresql
  default: sqlite
workers: 4
ratio: 0.5
debug: false
name:
  type: str
  validator: "{% if name != name | lower %}must be lowercase{% endif %}"
token:
  type: str
  secret: true
  default: ""
  when: "{{ debug }}"
extras:
  type: yaml
  multiselect: true
  choices: [a, b]
_scaffold:
  summary: a toy
"""


def toy_template(tmp_path: Path) -> Path:
    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "copier.yml").write_text(COPIER_YML)
    return folder


def test_every_setting_of_a_question_is_read(tmp_path: Path) -> None:
    questions = load_template(toy_template(tmp_path)).questions

    assert list(questions) == [
        "size", "database", "workers", "ratio", "debug", "name", "token", "extras",
    ]  # fmt: skip
    assert questions["size"] == Question("size", "str", "How big", "s", ("s", "l"), "")
    assert questions["database"].choices == ("sqlite", "postgresql")
    assert [questions[n].type for n in ("workers", "ratio", "debug")] == ["int", "float", "bool"]
    assert (questions["workers"].default, questions["workers"].has_default) == (4, True)
    assert (questions["name"].default, questions["name"].has_default) == (None, False)
    assert questions["token"] == Question(
        "token", "str", "", "", (), "", when="{{ debug }}", secret=True
    )
    assert (questions["extras"].type, questions["extras"].multiselect) == ("yaml", True)


def test_a_choice_written_as_label_and_value_accepts_its_value(tmp_path: Path) -> None:
    # copier offers the value of a [label, value] choice; the answer checks compared the
    # answer with the whole pair, and so refused every answer.
    spec = load_template(toy_template(tmp_path))

    assert check_answers(spec, {"size": "l"}) == {"size": "l"}
    with pytest.raises(InvalidAnswerError) as raised:
        check_answers(spec, {"size": "Large"})
    assert str(raised.value) == "size='Large': choose one of s, l"


@pytest.mark.parametrize(
    ("kind", "raw", "typed"),
    [
        ("bool", " Yes ", True),
        ("bool", "0", False),
        ("int", "12", 12),
        ("float", "0.25", 0.25),
        ("json", '{"a": [1]}', {"a": [1]}),
        ("str", "007", "007"),
        ("yaml", "[1, 2]", "[1, 2]"),
        ("int", 7, 7),
    ],
)
def test_a_command_line_text_becomes_the_question_type(kind: str, raw: Any, typed: Any) -> None:
    assert Question("q", kind, "", None, (), "").from_text(raw) == typed


@pytest.mark.parametrize(
    ("kind", "choices", "value", "answer"),
    [
        ("bool", (), "off", False),
        ("bool", (), 2, True),
        ("str", (), 3.5, "3.5"),
        ("int", (8, 11), "11", 11),
        ("float", (), "1e3", 1000.0),
    ],
)
def test_copier_casts_an_answer_as_its_type(
    kind: str, choices: tuple[Any, ...], value: Any, answer: Any
) -> None:
    assert Question("q", kind, "", None, choices, "").cast(value) == answer


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        (Question("q", "str", "", None, (), ""), None, "q has no value"),
        (Question("q", "int", "", None, (8, 11), ""), "17", "q: 17 is not one of the choices"),
        (Question("q", "str", "", None, (), ""), ["a"], "cannot read ['a'] as text"),
    ],
)
def test_copier_refuses_what_it_cannot_cast(question: Question, value: Any, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        question.cast(value)
    assert str(raised.value) == message


def test_a_validator_refuses_with_its_own_words() -> None:
    question = read_questions({"name": {"type": "str", "validator": "  {{ 'no' if x }}  "}})["name"]

    assert question.refusal({"x": True}, render_string) == "no"
    assert question.refusal({"x": False}, render_string) == ""
    assert Question("q", "str", "", None, (), "").refusal({}, render_string) == ""
