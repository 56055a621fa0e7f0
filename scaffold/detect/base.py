"""What every detector shares: the candidate it reports, the context it reads through, and
the registry. Path helpers live in :mod:`scaffold.detect.paths`, the choice of framework and
build tool in :mod:`scaffold.detect.choose`; both are re-exported here.

A detector is a small class registered with :func:`register`. It names the manifest
files it understands (so the view indexes them) and, given a :class:`Context`, returns
one :class:`Candidate` per folder that holds a project of its ecosystem. Detectors only
read through the context; they never see the raw disk and never raise for bad input:
a manifest that cannot be used becomes a warning and the detector moves on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from scaffold.detect.choose import FrameworkTable, choose_framework, lockfile_tool
from scaffold.detect.parsers import parse_json, parse_toml, parse_xml, parse_yaml
from scaffold.detect.paths import ancestors, join, label, nested_projects, parent, resolve, short
from scaffold.ecosystems import detector_modules
from scaffold.ecosystems.base import LiveSequence
from scaffold.model import ConfigRef, Evidence, Facts, Form
from scaffold.repo.view import encodable

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from scaffold.repo.view import RepoView

__all__ = [
    "APP",
    "PLAIN",
    "TOOLING",
    "Candidate",
    "Context",
    "Detector",
    "FrameworkTable",
    "ancestors",
    "choose_framework",
    "detectors",
    "join",
    "label",
    "lockfile_tool",
    "nested_projects",
    "parent",
    "register",
    "resolve",
    "short",
]

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

    def set_workspace(self, kind: str, members: Iterable[str], file: str, detail: str) -> None:
        """Make this folder a workspace of ``kind`` holding ``members`` (sorted, each once);
        ``detail`` is the evidence, with ``{count}`` standing for the number of members."""
        self.workspace_kind = kind
        self.members = sorted(set(members))
        self.note("workspace", file, detail.format(count=len(self.members)))


class Context:
    """What a detector may use: the repository view and cached, guarded parsers.

    Each file is parsed once per form; what was parsed is handed on as :meth:`facts`.
    """

    def __init__(
        self, view: RepoView, parsed: Mapping[tuple[Form, str], Any] | None = None
    ) -> None:
        self.view = view
        self._parsed: dict[tuple[Form, str], Any] = dict(parsed or {})

    def facts(self) -> Facts:
        """Every file read so far, as parsed (``None`` where it could not be used)."""
        return Facts(self.view.root, dict(self._parsed))

    def warn(self, file: str, message: str) -> None:
        self.view.warn(file, message)

    def _parse(self, kind: Form, path: str, parse: Callable[[Context, str], Any]) -> Any:
        key = (kind, path)
        if key not in self._parsed:
            self._parsed[key] = parse(self, path)
        return self._parsed[key]

    def toml(self, path: str) -> dict[str, Any] | None:
        """A TOML manifest as a dict, or ``None`` with a warning."""
        value: dict[str, Any] | None = self._parse("toml", path, parse_toml)
        return value

    def json_object(self, path: str) -> dict[str, Any] | None:
        """A JSON manifest that must be an object, or ``None`` with a warning."""
        value: dict[str, Any] | None = self._parse("json", path, parse_json)
        return value

    def xml(self, path: str) -> Element | None:
        """An XML manifest's root element (namespaces stripped), or ``None`` with a warning.

        Read with defusedxml, refusing any DOCTYPE, entity or external reference, so no
        entity expansion (billion laughs, external entities) can happen.
        """
        value: Element | None = self._parse("xml", path, parse_xml)
        return value

    def yaml(self, path: str) -> Any:
        """A YAML file's value (``{}`` when it is empty), or ``None`` with a warning.

        Loaded safely and bounded: a document whose aliases expand too far (a "billion
        laughs") is refused before it is built.
        """
        return self._parse("yaml", path, parse_yaml)

    def text(self, path: str) -> str | None:
        """A manifest's text (UTF-8, BOM allowed), or ``None`` with a warning."""
        value: str | None = self._parse("text", path, lambda ctx, name: ctx.view.read_text(name))
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
