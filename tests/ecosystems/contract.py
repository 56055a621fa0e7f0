"""What every stack promises, stack by stack: the expectations tests/test_stack_contract.py
checks for each stack of the template catalog.

A stack's expectations are data, in ``tests/ecosystems/<ecosystem>/<stack>.contract.yml``;
the files a project of it holds come from ``FILES`` in that folder's ``stacks.py``, which
the ecosystem's own tests share. A stack is found through the ecosystem the registry gives
its language, so a stack without its contract fails the contract test, never skips it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ECOSYSTEM_TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class StackContract:
    """The expectations of one stack, checked alike for every stack."""

    stack: str
    #: A part of the summary ``new --list`` shows, and the language and framework it lists.
    summary_part: str
    language: str
    framework: str | None
    #: The files of a project made with the defaults, by the project's name.
    files: Callable[[str], set[str]]
    #: The project folder's name in the dry run, and the answers and next steps it shows.
    dry_run_name: str
    dry_run_answers: Mapping[str, Any]
    next_steps: tuple[str, ...]
    #: A line of the tree the text dry run of a project called ``svc`` draws.
    tree_line: str
    #: A file every generated project has: its absence proves nothing was rendered.
    marker: str
    #: Refused ``new`` calls: the arguments (``{dir}`` is the project folder) and a part of
    #: the one-line error; it starts the error after ``scaffold: error: `` when
    #: ``messages_are_prefixes``, else it stands somewhere in the line.
    bad_answers: tuple[tuple[list[str], str], ...] = ()
    messages_are_prefixes: bool = False
    #: Single answers the template's own validators accept; those they refuse, with a part
    #: of the message ("" where the test names only the question); those plain copier refuses.
    accepted: tuple[tuple[str, str], ...] = ()
    refused: tuple[tuple[str, str, str], ...] = ()
    copier_refused: tuple[tuple[str, str], ...] = ()
    #: The layout folders' questions and their defaults, in the order of the layout block.
    default_layout: Mapping[str, str] = field(default_factory=dict)
    #: Answers that lay a project out otherwise than the defaults, as a custom agent
    #: definition would: the service contract runs against such a project too.
    custom_layout: Mapping[str, str] = field(default_factory=dict)


def ecosystem_of(stack: str) -> str:
    """The name of the registered ecosystem that serves ``stack``'s language."""
    from scaffold.ecosystems import ECOSYSTEMS
    from scaffold.templates import get_stack

    language = get_stack(stack).language
    return next(name for name, eco in ECOSYSTEMS.items() if language in eco.stack_languages)


def contract_for(stack: str) -> StackContract:
    """``stack``'s contract, from its ecosystem's folder."""
    from ruamel.yaml import YAML

    ecosystem = ecosystem_of(stack)
    path = ECOSYSTEM_TESTS / ecosystem / f"{stack}.contract.yml"
    if not path.is_file():
        raise AssertionError(f"the stack {stack!r} has no contract: write {path}")
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    files = importlib.import_module(f"tests.ecosystems.{ecosystem}.stacks").FILES[stack]
    for name in ("bad_answers", "accepted", "refused", "copier_refused"):
        data[name] = tuple(tuple(entry) for entry in data.get(name, ()))
    data["next_steps"] = tuple(data["next_steps"])
    if not data.get("custom_layout"):
        raise AssertionError(f"{path} names no custom_layout answers")
    return StackContract(stack=stack, files=files, **data)
