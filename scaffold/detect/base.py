"""What every detector shares: the candidate it reports, the registry, and parse helpers.

A detector is a small class registered with :func:`register`. It names the manifest
files it understands (so the view indexes them) and, given a :class:`Context`, returns
one :class:`Candidate` per folder that holds a project of its ecosystem. Detectors only
read through the context; they never see the raw disk and never raise for bad input:
a manifest that cannot be used becomes a warning and the detector moves on.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from scaffold.detect.parsers import parse_json, parse_toml, parse_xml, parse_yaml
from scaffold.ecosystems import PROJECT_MANIFESTS as _PROJECT_MANIFESTS
from scaffold.ecosystems import detector_modules
from scaffold.ecosystems.base import LiveSequence
from scaffold.model import ConfigRef, Evidence, Facts, Form
from scaffold.repo.view import encodable

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from scaffold.repo.view import RepoView

#: Candidate weights: which manifest speaks for a folder that holds several.
APP = 3  # a package or application manifest (dependencies, a name, a build)
PLAIN = 2  # a workspace root, a requirements list, a manifest with little in it
TOOLING = 1  # configuration only (a pyproject with only [tool.*], a package.json of dev tools)


@dataclass
class Candidate:
    """One detector's view of one folder; the engine merges candidates into projects.

    ``path`` is the folder relative to the root, ``""`` for the root itself; every file
    named in evidence, ``members`` and ``embedded`` is relative to the root too.
    """

    path: str
    language: str
    manifest: str
    weight: int
    framework: str | None = None
    build_tool: str | None = None
    #: Used when ``build_tool`` is unknown and no workspace lends one (``pip``, ``npm``),
    #: with the reason shown as evidence.
    default_build_tool: str | None = None
    default_reason: str = ""
    #: Set when the folder's lockfiles disagree: no tool is chosen, none is inherited.
    tool_conflict: bool = False
    workspace_kind: str | None = None
    members: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    #: Lint/format settings kept inside the manifest: kind -> where, e.g.
    #: ``{"ruff": ConfigRef("api/pyproject.toml", "tool.ruff")}``.
    embedded: dict[str, ConfigRef] = field(default_factory=dict)
    summary: str = ""

    def note(self, claim: str, file: str, detail: str) -> None:
        self.evidence.append(Evidence(claim, file, encodable(detail)))


class Context:
    """What a detector may use: the repository view and cached, guarded parsers.

    Each file is parsed once per form; what was parsed is handed on as :meth:`facts`.
    """

    def __init__(self, view: RepoView) -> None:
        self.view = view
        self._parsed: dict[tuple[Form, str], Any] = {}

    def facts(self) -> Facts:
        """Every file read so far, as parsed (``None`` where it could not be used)."""
        return Facts(self.view.root, dict(self._parsed))

    def warn(self, file: str, message: str) -> None:
        self.view.warn(file, message)

    def toml(self, path: str) -> dict[str, Any] | None:
        """A TOML manifest as a dict, or ``None`` with a warning."""
        key: tuple[Form, str] = ("toml", path)
        if key not in self._parsed:
            self._parsed[key] = parse_toml(self, path)
        value: dict[str, Any] | None = self._parsed[key]
        return value

    def json_object(self, path: str) -> dict[str, Any] | None:
        """A JSON manifest that must be an object, or ``None`` with a warning."""
        key: tuple[Form, str] = ("json", path)
        if key not in self._parsed:
            self._parsed[key] = parse_json(self, path)
        value: dict[str, Any] | None = self._parsed[key]
        return value

    def xml(self, path: str) -> Element | None:
        """An XML manifest's root element (namespaces stripped), or ``None`` with a warning.

        Documents with a DOCTYPE or ENTITY declaration are refused outright, so no
        entity expansion (billion laughs, external entities) can happen.
        """
        key: tuple[Form, str] = ("xml", path)
        if key not in self._parsed:
            self._parsed[key] = parse_xml(self, path)
        value: Element | None = self._parsed[key]
        return value

    def yaml(self, path: str) -> Any:
        """A YAML file's value (``{}`` when it is empty), or ``None`` with a warning.

        Loaded safely and bounded: a document whose aliases expand too far (a "billion
        laughs") is refused before it is built.
        """
        key: tuple[Form, str] = ("yaml", path)
        if key not in self._parsed:
            self._parsed[key] = parse_yaml(self, path)
        return self._parsed[key]

    def text(self, path: str) -> str | None:
        """A manifest's text (UTF-8, BOM allowed), or ``None`` with a warning."""
        key: tuple[Form, str] = ("text", path)
        if key not in self._parsed:
            self._parsed[key] = self.view.read_text(path)
        value: str | None = self._parsed[key]
        return value


# -- the registry -------------------------------------------------------------------------------


class Detector:
    """Base of every detector; the docstring of a subclass says what it recognises."""

    #: Short name, used in warnings about the detector itself.
    name: ClassVar[str] = ""
    #: Base names of the files this detector reads (indexed once by the view).
    manifests: ClassVar[tuple[str, ...]] = ()

    def detect(self, ctx: Context) -> list[Candidate]:
        raise NotImplementedError


_REGISTRY: list[type[Detector]] = []

#: The modules holding every ecosystem's detectors (from the ecosystems' registry).
_MODULES = LiveSequence(detector_modules)


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator adding a detector to the registry."""
    if cls not in _REGISTRY:
        _REGISTRY.append(cls)
    return cls


def detectors() -> list[Detector]:
    """One instance of every detector of a registered ecosystem (importing their modules)."""
    import importlib

    modules = tuple(_MODULES)
    for module in modules:
        importlib.import_module(module)
    return [cls() for cls in _REGISTRY if cls.__module__ in modules]


# -- paths and globs ------------------------------------------------------------------------------


def join(folder: str, name: str) -> str:
    """``folder/name`` for a root-relative folder (``""`` is the root)."""
    return f"{folder}/{name}" if folder else name


#: Manifests that make a folder a project of its own (from the ecosystems' registry).
PROJECT_MANIFESTS = _PROJECT_MANIFESTS


def nested_projects(view: RepoView, folder: str) -> Callable[[str], bool]:
    """A prune for walks below ``folder``: the folders that are projects of their own, whose
    code says nothing about ``folder``'s."""
    return lambda path: (
        path != folder and any(view.exists(join(path, name)) for name in PROJECT_MANIFESTS)
    )


def parent(path: str) -> str:
    return path.rpartition("/")[0]


def label(path: str) -> str:
    """A folder as shown to people: ``"."`` for the root."""
    return path or "."


def resolve(folder: str, relative: str) -> str | None:
    """``relative`` (POSIX or Windows separators) taken from ``folder``, normalised;
    ``None`` when it leaves the repository or is absolute."""
    relative = relative.strip().replace("\\", "/")
    if not relative or relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        return None
    joined = posixpath.normpath(join(folder, relative))
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def ancestors(path: str) -> list[str]:
    """``path`` and each folder above it up to the root (``""``), nearest first."""
    chain = [path]
    while path:
        path = parent(path)
        chain.append(path)
    return chain


def short(value: Any, limit: int = 60) -> str:
    """``repr``-like text of an untrusted value, cut to ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def lockfile_tool(
    ctx: Context, cand: Candidate, folder: str, locks: Sequence[tuple[str, str]]
) -> bool:
    """Set ``cand``'s build tool from the lockfiles present in ``folder`` (``(name, tool)``
    pairs); lockfiles of different tools are a conflict, with a warning and no tool.
    ``True`` when the lockfiles decided (a tool or a conflict), ``False`` when there are none."""
    tools = sorted({tool for _, tool in locks})
    if len(tools) > 1:
        listing = ", ".join(f"{name} ({tool})" for name, tool in locks)
        ctx.warn(folder or ".", f"conflicting lockfiles: {listing}; build tool not chosen")
        for name, tool in locks:
            cand.note("build_tool", join(folder, name), f"lockfile of {tool} (conflicts)")
        cand.tool_conflict = True
        return True
    if tools:
        cand.build_tool = tools[0]
        cand.note("build_tool", join(folder, locks[0][0]), f"{tools[0]} lockfile")
        return True
    return False


# -- frameworks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkTable:
    """How an ecosystem's dependencies name frameworks.

    ``tiers`` go from most to least specific (a meta-framework before the server
    framework it builds on, servers before UI libraries); ``subsumes`` drops a
    framework another one found builds on (fastapi over starlette, nestjs over express).
    """

    by_dependency: dict[str, str]
    tiers: Sequence[frozenset[str]]
    subsumes: dict[str, frozenset[str]] = field(default_factory=dict)

    def lookup(self, dependency: str) -> str | None:
        return self.by_dependency.get(dependency)


def choose_framework(
    ctx: Context,
    cand: Candidate,
    table: FrameworkTable,
    found: dict[str, tuple[str, str]],
    corroborate: Callable[[list[str]], list[str]] | None = None,
) -> None:
    """Set ``cand.framework`` from ``found`` (framework -> (file, dependency)).

    When the most specific tier holds several frameworks, ``corroborate`` (which of
    them the code actually imports) may settle it; otherwise none is chosen and a
    warning says so. Evidence is recorded for every framework seen.
    """
    if not found:
        return
    names = set(found)
    for name in list(names):
        names -= table.subsumes.get(name, frozenset())
    hits: list[str] = []
    for tier in table.tiers:
        hits = sorted(n for n in names if n in tier)
        if hits:
            break
    if not hits:
        hits = sorted(names)
    chosen: str | None = None
    if len(hits) == 1:
        chosen = hits[0]
    else:
        used = corroborate(hits) if corroborate is not None else []
        if len(used) == 1:
            chosen = used[0]
            cand.note(
                "framework",
                cand.manifest,
                f"declares {', '.join(hits)}; only {chosen} is imported by the code",
            )
        else:
            ctx.warn(cand.manifest, f"declares several frameworks ({', '.join(hits)}); none chosen")
    for name in sorted(found):
        file, dependency = found[name]
        if name == chosen:
            cand.note("framework", file, f"depends on {dependency}")
        elif name in hits:
            cand.note("framework", file, f"also depends on {dependency}")
    cand.framework = chosen
