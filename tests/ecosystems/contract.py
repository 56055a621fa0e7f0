"""What every stack promises, stack by stack: the expectations tests/test_stack_contract.py
checks for each stack of the template catalog.

Each ecosystem's folder holds a ``stacks.py`` whose ``CONTRACTS`` describe the stacks it
serves; a stack is found through the ecosystem the registry gives its language, so a stack
without its contract fails the contract test rather than being skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

#: ``scaffold new`` arguments and the message its one-line error must carry; ``{dir}`` in
#: the arguments is the project folder.
BadAnswer = tuple[list[str], str]


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
    dry_run_answers: Mapping[str, object]
    next_steps: tuple[str, ...]
    #: A line of the tree the text dry run of a project called ``svc`` draws.
    tree_line: str
    #: A file every generated project has: its absence proves nothing was rendered.
    marker: str
    #: Refused ``new`` calls; the message starts the error after ``scaffold: error: `` when
    #: ``messages_are_prefixes``, else it stands somewhere in the line.
    bad_answers: tuple[BadAnswer, ...] = ()
    messages_are_prefixes: bool = False
    #: Single answers the template's own validators accept, and refuse (with a part of the
    #: message, "" for none), and those plain copier refuses.
    accepted: tuple[tuple[str, str], ...] = ()
    refused: tuple[tuple[str, str, str], ...] = ()
    copier_refused: tuple[tuple[str, str], ...] = ()
    #: The layout folders' questions and their defaults, in the order of the layout block.
    default_layout: Mapping[str, str] = field(default_factory=dict)


def ecosystem_of(stack: str) -> str:
    """The name of the registered ecosystem that serves ``stack``'s language."""
    from scaffold.ecosystems import ECOSYSTEMS
    from scaffold.templates import get_stack

    language = get_stack(stack).language
    return next(name for name, eco in ECOSYSTEMS.items() if language in eco.stack_languages)


def contract_for(stack: str) -> StackContract:
    """``stack``'s contract, from ``tests/ecosystems/<its ecosystem>/stacks.py``."""
    module = importlib.import_module(f"tests.ecosystems.{ecosystem_of(stack)}.stacks")
    contracts: Mapping[str, StackContract] = {c.stack: c for c in module.CONTRACTS}
    if stack not in contracts:
        raise AssertionError(f"no contract for the stack {stack!r} in {module.__name__}")
    return contracts[stack]
