"""One copier question, read from a template's ``copier.yml``, and how an answer to it is
cast and checked.

:mod:`scaffold.templates` checks the answers given to ``new`` and ``adopt`` with it before
anything is rendered; :mod:`scaffold.render.replay` follows copier's questionnaire with it.
Nothing here renders Jinja: a validator is rendered by the caller's own environment.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scaffold.errors import InvalidAnswerError, shown

# What a command-line text means for a yes/no question, and what each type expects, as an
# error names it.
_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "0"})
_EXPECTED = {
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "json": "valid JSON",
}
# YAML's words for true, false and null, as copier reads a ``bool`` answer or a ``when``.
_YES = frozenset({"y", "yes", "t", "true", "on"})
_NO = frozenset({"n", "no", "f", "false", "off", "~", "null", "none"})


def as_bool(value: Any) -> bool:
    """A value read as copier reads a ``bool`` answer or a ``when``: numbers by their
    value, YAML's words for true and false and null, else Python's truth."""
    with contextlib.suppress(TypeError, ValueError):
        return bool(float(value))
    try:
        word = value.strip().lower()
    except AttributeError:
        return bool(value)
    if not word or word in _NO:
        return False
    return True if word in _YES else bool(value)


def as_str(value: Any) -> str:
    """A value read as copier reads a ``str`` answer: text, numbers and bytes only."""
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode()
    raise ValueError(f"cannot read {value!r} as text")


def as_json(value: Any) -> Any:
    """A ``json`` answer as copier reads it: text is parsed, a value is kept as it is."""
    return json.loads(value) if isinstance(value, str) else value


#: How copier reads an answer of each plain question type.
COPIER_CASTS: dict[str, Callable[[Any], Any]] = {
    "bool": as_bool,
    "str": as_str,
    "int": int,
    "float": float,
    "json": as_json,
}


#: Renders a Jinja string with a context (a validator, a default, a ``when``).
Renderer = Callable[[str, Mapping[str, Any]], str]


@dataclass(frozen=True, slots=True)
class Question:
    """One copier question: its name, type (as copier decides it), help, default, the values
    it allows (``choices``, empty for any), its Jinja ``validator``, and when it is asked.

    ``has_default`` is False for a question without a ``default`` (copier then requires an
    answer, unless ``when`` hides it); a ``secret`` one stays out of the answers file.
    """

    name: str
    type: str
    help: str
    default: Any
    choices: tuple[Any, ...]
    validator: str
    when: Any = True
    secret: bool = False
    multiselect: bool = False
    has_default: bool = True

    @classmethod
    def read(cls, name: str, settings: Any) -> Question:
        """The question ``name`` of a ``copier.yml``, from its settings (a bare value is
        its default)."""
        if not isinstance(settings, dict):
            settings = {"default": settings}
        choices = settings.get("choices") or ()
        if isinstance(choices, dict):
            choices = choices.values()
        return cls(
            name=name,
            type=question_type(settings),
            help=str(settings.get("help", "")).strip(),
            default=settings.get("default"),
            # A choice written as [label, value] offers its value.
            choices=tuple(c[1] if isinstance(c, list) and len(c) == 2 else c for c in choices),
            validator=str(settings.get("validator") or ""),
            when=settings.get("when", True),
            secret=bool(settings.get("secret")),
            multiselect=bool(settings.get("multiselect")),
            has_default="default" in settings,
        )

    def from_text(self, raw: Any) -> Any:
        """A command-line string turned into the question's type, as copier does; any other
        value as it is."""
        if not isinstance(raw, str):
            return raw
        try:
            if self.type == "bool":
                lowered = raw.strip().lower()
                if lowered not in _TRUE and lowered not in _FALSE:
                    raise ValueError(raw)
                return lowered in _TRUE
            if self.type == "int":
                return int(raw)
            if self.type == "float":
                return float(raw)
            if self.type == "json":
                return json.loads(raw)
        except (ValueError, RecursionError):
            expected = _EXPECTED[self.type]
            raise InvalidAnswerError(f"{self.name}: {shown(raw)} is not {expected}") from None
        return raw

    def cast(self, value: Any) -> Any:
        """``value`` read as copier reads an answer of a plain type (see
        :data:`COPIER_CASTS`); ValueError for no value, one it cannot read, or one that is
        not among the choices."""
        if value is None:
            raise ValueError(f"{self.name} has no value")
        cast = COPIER_CASTS[self.type]
        answer = cast(value)
        if self.choices and answer not in [cast(choice) for choice in self.choices]:
            raise ValueError(f"{self.name}: {answer!r} is not one of the choices")
        return answer

    def refusal(
        self, context: Mapping[str, Any], render: Callable[[str, Mapping[str, Any]], str]
    ) -> str:
        """Why the answer in ``context`` is refused: its validator rendered by ``render``,
        stripped; "" when it is accepted."""
        return render(self.validator, context).strip() if self.validator else ""


def question_type(settings: Mapping[str, Any]) -> str:
    """The type copier gives a question: the one it states, else its default's."""
    if settings.get("type"):
        return str(settings["type"])
    default = settings.get("default")
    for kind, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
        if isinstance(default, kind):
            return name
    return "yaml"


def read_questions(config: Mapping[str, Any]) -> dict[str, Question]:
    """The questions of a ``copier.yml`` mapping, in order (its ``_`` keys are settings)."""
    return {
        name: Question.read(name, settings)
        for name, settings in config.items()
        if not name.startswith("_")
    }
