"""Frozen data passed between the stages: stacks, answers, plans and their file actions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from scaffold.repo.view import RepoView


def __getattr__(name: str) -> Any:
    """``STACKS`` (stack ids by language and framework) and ``LANGUAGE_STACKS`` (by language,
    for ecosystems whose stack does not depend on a framework): live views of the
    ecosystems' registry and each template's ``_scaffold`` metadata, imported on first use."""
    if name in ("STACKS", "LANGUAGE_STACKS"):
        import scaffold.ecosystems

        return getattr(scaffold.ecosystems, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def stack_for(language: str, framework: str | None) -> str | None:
    """The scaffold stack (template and conventions id) for a language and framework, or
    ``None``: detection and the conventions' labels both map through it."""
    from scaffold.ecosystems import stack_for as registry_stack_for

    return registry_stack_for(language, framework)


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
    MIGRATE = "migrate"  # a legacy config rewritten by its tool's own migration, on request
    CHANGE = "change"  # a file given new content (a template update)
    DELETE = "delete"  # a file removed (a template update that no longer makes it)
    IDENTICAL = "identical"
    SKIP = "skip"
    CONFLICT = "conflict"


# Actions that write a file; those that replace (or remove) one the user has.
WRITING_ACTIONS = frozenset(
    {Action.CREATE, Action.MERGE, Action.MIGRATE, Action.CHANGE, Action.DELETE}
)
REPLACING_ACTIONS = frozenset({Action.MERGE, Action.MIGRATE, Action.CHANGE, Action.DELETE})


def sha256_of_bytes(data: bytes) -> str:
    """The digest a plan records of a file it replaces, and the writer checks."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


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
    written until :func:`scaffold.plan.apply.apply_plan` is given it."""

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


# --- Detection: what ``scaffold detect`` finds in a repository -------------------------------
#
# Every path below is POSIX and relative to the detected root ("." for the root itself),
# except ``Project.source_dirs``, which are relative to their project's folder.


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a detector claims something: the file it read and what it saw there."""

    claim: str
    file: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "file": self.file, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Workspace:
    """A project that groups others: its tool (``uv``, ``cargo``, ``pnpm``...) and members."""

    kind: str
    members: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "members": list(self.members)}


@dataclass(frozen=True, slots=True)
class Indent:
    """Indentation: ``style`` is ``"space"`` or ``"tab"``; ``size`` is columns, if known."""

    style: str
    size: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"style": self.style, "size": self.size}


@dataclass(frozen=True, slots=True)
class CodeStyle:
    """The indentation and identifier naming a project's code uses (``None`` when unknown)."""

    indent: Indent | None = None
    naming: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "indent": self.indent.to_dict() if self.indent is not None else None,
            "naming": self.naming,
        }


@dataclass(frozen=True, slots=True)
class ConfigRef:
    """A tool's settings as detection found them: a file (root-relative), or a section of one
    (``pyproject.toml`` and ``tool.ruff``, ``package.json`` and ``prettier``).

    ``str()`` gives the form ``scaffold detect`` reports: ``pyproject.toml[tool.ruff]``.
    """

    file: str
    section: str | None = None

    def __str__(self) -> str:
        return f"{self.file}[{self.section}]" if self.section else self.file


#: How detection parsed a file: JSON (an object), TOML, XML (the root element), YAML, text.
Form = Literal["json", "toml", "xml", "yaml", "text"]


@dataclass(frozen=True, slots=True)
class Facts:
    """The files detection read in one repository, as its guarded parsers returned them, by
    form and root-relative path: a JSON object or TOML document (a dict), an XML root
    element (namespaces stripped), a YAML value or a text; ``None`` for a file they could
    not use (oversized, binary, invalid: detection warned about it).

    Every project of one detection shares them, so what adopt needs of a project, of a
    workspace's members or of a folder above is there without reading the disk again.
    ``root`` is the detected root (``None`` for a project made by hand, with no facts).
    """

    root: Path | None = None
    documents: Mapping[tuple[Form, str], Any] = field(default_factory=dict)
    #: Files of the same repository read after detection, through the same readers (see
    #: :func:`scaffold.adopters.base.fact`), each kept so that it is read once.
    read_after: dict[tuple[Form, str], Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Project:
    """One project found in a repository, with the evidence for each claim about it.

    ``facts`` are the files detection parsed (shared by the projects of one detection);
    they are for adopt, and are neither compared nor reported.
    """

    path: str
    language: str
    framework: str | None = None
    build_tool: str | None = None
    stack: str | None = None
    workspace: Workspace | None = None
    configs: tuple[ConfigRef, ...] = ()
    style: CodeStyle = field(default_factory=CodeStyle)
    source_dirs: tuple[str, ...] = ()
    architecture: str | None = None
    evidence: tuple[Evidence, ...] = ()
    facts: Facts = field(default_factory=Facts, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "language": self.language,
            "framework": self.framework,
            "build_tool": self.build_tool,
            "stack": self.stack,
            "workspace": self.workspace.to_dict() if self.workspace is not None else None,
            "configs": [str(config) for config in self.configs],
            "style": self.style.to_dict(),
            "source_dirs": list(self.source_dirs),
            "architecture": self.architecture,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class DetectWarning:
    """A file detection could not use, and why; detection carried on without it."""

    file: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "message": self.message}


@dataclass(frozen=True, slots=True)
class Detection:
    """Everything ``scaffold detect`` found under ``root``: projects in path order, warnings,
    and the files it parsed (``facts``, for adopt; not compared, not reported)."""

    root: Path
    projects: tuple[Project, ...]
    warnings: tuple[DetectWarning, ...] = ()
    facts: Facts = field(default_factory=Facts, compare=False, repr=False)
    #: The listing and reads detection worked from (for adopt's look at the repository as
    #: its plan will leave it); None for a detection made by hand.
    view: RepoView | None = field(default=None, compare=False, repr=False)

    def project(self, path: str) -> Project | None:
        """The project at ``path`` (relative to the root, ``"."`` for the root), if any."""
        return next((p for p in self.projects if p.path == path), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "root": str(self.root),
            "projects": [p.to_dict() for p in self.projects],
            "warnings": [w.to_dict() for w in self.warnings],
        }


# --- Conventions: what an agent definition says each stack looks like -------------------


@dataclass(frozen=True, slots=True)
class StackConvention:
    """One stack line of an agent definition, with scaffold's extras from the front matter.

    ``folders`` are POSIX paths without a trailing slash, in the order written; ``files``
    are file conventions named on the line (``mod.rs``); ``template`` is the bundled
    template id that serves this stack, or None when scaffold has none for it.
    """

    label: str
    language: str | None
    framework: str | None
    folders: tuple[str, ...]
    files: tuple[str, ...] = ()
    configs: tuple[str, ...] = ()
    template: str | None = None
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "language": self.language,
            "framework": self.framework,
            "folders": list(self.folders),
            "files": list(self.files),
            "configs": list(self.configs),
            "template": self.template,
        }


@dataclass(frozen=True, slots=True)
class Conventions:
    """The conventions of one agent definition."""

    name: str
    description: str
    source: str
    stacks: tuple[StackConvention, ...]

    def for_template(self, template: str) -> StackConvention | None:
        return next((s for s in self.stacks if s.template == template), None)
