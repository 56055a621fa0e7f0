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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from scaffold.model import Evidence
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
    #: Lint/format settings kept inside the manifest: kind -> label, e.g.
    #: ``{"ruff": "api/pyproject.toml[tool.ruff]"}``.
    embedded: dict[str, str] = field(default_factory=dict)
    summary: str = ""

    def note(self, claim: str, file: str, detail: str) -> None:
        self.evidence.append(Evidence(claim, file, encodable(detail)))


class Context:
    """What a detector may use: the repository view and cached, guarded parsers."""

    def __init__(self, view: RepoView) -> None:
        self.view = view
        self._parsed: dict[tuple[str, str], Any] = {}

    def warn(self, file: str, message: str) -> None:
        self.view.warn(file, message)

    def toml(self, path: str) -> dict[str, Any] | None:
        """A TOML manifest as a dict, or ``None`` with a warning."""
        key = ("toml", path)
        if key not in self._parsed:
            self._parsed[key] = _parse_toml(self, path)
        value: dict[str, Any] | None = self._parsed[key]
        return value

    def json_object(self, path: str) -> dict[str, Any] | None:
        """A JSON manifest that must be an object, or ``None`` with a warning."""
        key = ("json", path)
        if key not in self._parsed:
            self._parsed[key] = _parse_json(self, path)
        value: dict[str, Any] | None = self._parsed[key]
        return value

    def xml(self, path: str) -> Element | None:
        """An XML manifest's root element (namespaces stripped), or ``None`` with a warning.

        Documents with a DOCTYPE or ENTITY declaration are refused outright, so no
        entity expansion (billion laughs, external entities) can happen.
        """
        key = ("xml", path)
        if key not in self._parsed:
            self._parsed[key] = _parse_xml(self, path)
        value: Element | None = self._parsed[key]
        return value

    def yaml(self, path: str) -> Any:
        """A YAML file's value (``{}`` when it is empty), or ``None`` with a warning.

        Loaded safely and bounded: a document whose aliases expand too far (a "billion
        laughs") is refused before it is built.
        """
        key = ("yaml", path)
        if key not in self._parsed:
            self._parsed[key] = _parse_yaml(self, path)
        return self._parsed[key]

    def text(self, path: str) -> str | None:
        return self.view.read_text(path)


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

_MODULES = ("python", "node", "go", "rust", "java", "others")


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator adding a detector to the registry."""
    if cls not in _REGISTRY:
        _REGISTRY.append(cls)
    return cls


def detectors() -> list[Detector]:
    """One instance of every registered detector (importing the ecosystem modules)."""
    import importlib

    for module in _MODULES:
        importlib.import_module(f"scaffold.detect.{module}")
    return [cls() for cls in _REGISTRY]


# -- paths and globs ------------------------------------------------------------------------------


def join(folder: str, name: str) -> str:
    """``folder/name`` for a root-relative folder (``""`` is the root)."""
    return f"{folder}/{name}" if folder else name


#: Manifests that make a folder a project of its own.
PROJECT_MANIFESTS = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
)


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


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a workspace glob: ``*`` and ``?`` stay within a segment, ``**`` spans
    segments, ``[...]`` and ``{a,b}`` as in the shells and the JS tools."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    out.append("(?:.*/)?")
                    i += 1
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "{":
            end = pattern.find("}", i)
            if end < 0:
                out.append(re.escape(c))
            else:
                options = pattern[i + 1 : end].split(",")
                out.append("(?:" + "|".join(glob_regex(o).pattern[:-2] for o in options) + ")")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def _compile_glob(ctx: Context, source: str, pattern: str) -> re.Pattern[str] | None:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return glob_regex(pattern)
    except (re.error, RecursionError):
        ctx.warn(source, f"invalid workspace pattern: {short(pattern)}")
        return None


def short(value: Any, limit: int = 60) -> str:
    """``repr``-like text of an untrusted value, cut to ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def expand_members(
    ctx: Context,
    base: str,
    patterns: Iterable[Any],
    candidates: Iterable[str],
    *,
    exclude: Iterable[Any] = (),
    source: str,
) -> list[str]:
    """The folders in ``candidates`` (root-relative folders holding a member manifest)
    that the workspace at ``base`` includes.

    ``patterns`` are globs relative to ``base``; a leading ``!`` removes matches (npm,
    pnpm, yarn). ``exclude`` entries remove a folder they match as a glob or contain as
    a prefix (Cargo, uv). Non-string entries are reported and skipped.
    """
    include: list[re.Pattern[str]] = []
    remove: list[re.Pattern[str]] = []
    prefixes: list[str] = []
    for raw in patterns:
        if not isinstance(raw, str):
            ctx.warn(source, f"workspace member pattern is not a string: {short(raw)}")
            continue
        negate = raw.startswith("!")
        text = raw[1:] if raw.startswith("!") else raw
        full = resolve(base, text.rstrip("/") or ".")
        if full is None:
            continue
        regex = _compile_glob(ctx, source, full)
        if regex is not None:
            (remove if negate else include).append(regex)
    for raw in exclude:
        if not isinstance(raw, str):
            ctx.warn(source, f"workspace exclude entry is not a string: {short(raw)}")
            continue
        full = resolve(base, raw.rstrip("/") or ".")
        if full is None:
            continue
        regex = _compile_glob(ctx, source, full)
        if regex is not None:
            remove.append(regex)
        prefixes.append(full + "/")
    members = []
    for folder in candidates:
        if folder == base:
            continue
        if not any(p.match(folder) for p in include):
            continue
        if any(p.match(folder) for p in remove) or folder.startswith(tuple(prefixes)):
            continue
        members.append(folder)
    return sorted(set(members))


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


# -- parsers ------------------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


def _parse_toml(ctx: Context, path: str) -> dict[str, Any] | None:
    import tomllib

    text = ctx.text(path)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.match(message)
        end = _TOML_END.match(message)
        if match:
            ctx.warn(
                path,
                f"invalid TOML at line {match['line']}, column {match['col']}: {match['msg']}",
            )
        elif end:
            ctx.warn(path, f"invalid TOML at the end: {end['msg']}")
        else:
            ctx.warn(path, f"invalid TOML: {message}")
    except (RecursionError, MemoryError, ValueError):
        ctx.warn(path, "invalid TOML: too deeply nested")
    return None


def _parse_json(ctx: Context, path: str) -> dict[str, Any] | None:
    import json

    text = ctx.text(path)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        ctx.warn(path, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}")
        return None
    except (RecursionError, MemoryError, ValueError):
        ctx.warn(path, "invalid JSON: too deeply nested")
        return None
    if not isinstance(value, dict):
        ctx.warn(path, f"expected a JSON object, found {type(value).__name__}")
        return None
    return value


def _parse_yaml(ctx: Context, path: str) -> Any:
    import yaml

    from scaffold.untrusted import UntrustedInputError, load_yaml

    text = ctx.text(path)
    if text is None:
        return None
    try:
        value = load_yaml(text)
        return {} if value is None else value
    except UntrustedInputError as error:
        ctx.warn(path, f"{error.reason}; not read")
    except yaml.MarkedYAMLError as error:
        # Where the broken construct began (a list left open), else where it broke.
        mark = error.context_mark or error.problem_mark
        problem = error.problem or error.context or "invalid"
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        ctx.warn(path, f"invalid YAML{where}: {problem}")
    except yaml.YAMLError as error:
        ctx.warn(path, f"invalid YAML: {(str(error).splitlines() or ['unreadable'])[0]}")
    return None


_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _parse_xml(ctx: Context, path: str) -> Element | None:
    from xml.etree import ElementTree

    data = ctx.view.read_bytes(path)
    if data is None:
        return None
    if _DTD.search(data):
        ctx.warn(path, "XML with a DOCTYPE or ENTITY declaration is refused; not read")
        return None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        reason = str(error).split(":")[0]
        ctx.warn(path, f"invalid XML at line {line}, column {column + 1}: {reason}")
        return None
    except (RecursionError, MemoryError, ValueError, LookupError) as error:
        ctx.warn(path, f"invalid XML: {type(error).__name__}")
        return None
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag.startswith("{"):
            element.tag = tag.partition("}")[2]
    return root


def xml_text(element: Element | None, path: str) -> str:
    """The stripped text at ``path`` below ``element``, or ``""``."""
    if element is None:
        return ""
    found = element.find(path)
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else ``[]``."""
    return value if isinstance(value, list) else []


def strings(value: Any) -> list[str]:
    """``value`` if it is a list of strings (others dropped), else ``[]``."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)]


def table(value: Any) -> dict[str, Any]:
    """``value`` if it is a dict, else ``{}`` (manifests are untrusted)."""
    return value if isinstance(value, dict) else {}
