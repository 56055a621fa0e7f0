"""Frozen data passed between the stages: stacks, answers, plans and their file actions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any


@dataclass(frozen=True, slots=True)
class Stack:
    """A stack scaffold can generate: a bundled copier template and what it is for."""

    id: str
    summary: str
    template: Path
    language: str
    framework: str | None = None


class Action(StrEnum):
    """What a plan does with one file."""

    CREATE = "create"
    MERGE = "merge"
    IDENTICAL = "identical"
    SKIP = "skip"
    CONFLICT = "conflict"


WRITING_ACTIONS = frozenset({Action.CREATE, Action.MERGE})


@dataclass(frozen=True, slots=True)
class FileAction:
    """One file of a plan: its path relative to the plan's root and what happens to it.

    ``content`` and ``mode`` are what a writing action puts on disk; ``original_sha256``
    is the digest of the file the plan was computed from (merges only), so that applying
    refuses a file that changed after planning.
    """

    path: PurePosixPath
    action: Action
    reason: str = ""
    content: bytes | None = field(default=None, repr=False)
    mode: int = 0o644
    original_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": self.path.as_posix(), "action": self.action.value}
        if self.reason:
            entry["reason"] = self.reason
        return entry


@dataclass(frozen=True, slots=True)
class Plan:
    """Every file action for one root folder, in path order. A plan is data: nothing is
    written until :func:`scaffold.apply.apply_plan` is given it."""

    root: Path
    actions: tuple[FileAction, ...]

    @property
    def writes(self) -> tuple[FileAction, ...]:
        return tuple(a for a in self.actions if a.action in WRITING_ACTIONS)

    @property
    def conflicts(self) -> tuple[FileAction, ...]:
        return tuple(a for a in self.actions if a.action is Action.CONFLICT)

    def counts(self) -> dict[str, int]:
        tally = Counter(a.action.value for a in self.actions)
        return {action.value: tally[action.value] for action in Action if tally[action.value]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "counts": self.counts(),
            "files": [a.to_dict() for a in self.actions],
        }


@dataclass(frozen=True, slots=True)
class NewResult:
    """What ``scaffold new`` did, or would do on a dry run."""

    stack: Stack
    target: Path
    plan: Plan
    answers: dict[str, Any]
    next_steps: tuple[str, ...]
    dry_run: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "command": "new",
            "stack": self.stack.id,
            "target": str(self.target),
            "dry_run": self.dry_run,
            "answers": self.answers,
            "files": [a.to_dict() for a in self.plan.actions],
            "next_steps": list(self.next_steps),
        }
