"""Detection from start to end: list once, run every detector, merge what they found
into projects, then add each project's conventions, style, folders and architecture."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from scaffold.detect.base import (
    Candidate,
    Context,
    Detector,
    ancestors,
    detectors,
    label,
    parent,
)
from scaffold.detect.conventions import config_names, find_configs
from scaffold.detect.editorconfig import editorconfig_files, editorconfig_indent
from scaffold.detect.layout import Survey, architecture, carry_surveys, source_dirs, surveyed
from scaffold.detect.style import EXTENSIONS, SAMPLE_BYTES, sampled_indent, sampled_naming
from scaffold.ecosystems import FAMILIES, PRIORITY
from scaffold.kept_detection import GitListed
from scaffold.model import (
    CodeStyle,
    ConfigRef,
    Detection,
    Evidence,
    Facts,
    Form,
    Project,
    Workspace,
    stack_for,
)
from scaffold.repo.listing import WorkTreeChanges, begin_view, git_changes
from scaffold.repo.view import SAMPLED, RepoView

_T = TypeVar("_T")

#: When two manifests in one folder weigh the same, the first language here wins:
#: a package.json beside a go.mod or pyproject.toml is usually there for tooling.
_PRIORITY = PRIORITY

#: The ecosystem family of each language or workspace kind.
_FAMILIES = FAMILIES


def language_family(name: str) -> str:
    """The ecosystem a language or workspace kind belongs to."""
    return _FAMILIES.get(name, name)


#: UI frameworks: projects using only these are not services (for "microservices").
_UI_ONLY = frozenset({"react", "vue", "svelte", "solid", "preact", "lit", "angular", "flutter"})


def run(root: Path, *, listed: GitListed | None = None) -> Detection:
    """Detect every project below ``root`` (an existing folder, resolved); from ``listed``
    when git's listing of it is taken already."""
    return run_with_changes(root, changes=False, listed=listed)[0]


def run_with_changes(
    root: Path, *, changes: bool, listed: GitListed | None = None
) -> tuple[Detection, WorkTreeChanges | None]:
    """:func:`run`, and with ``changes`` what git reports as changed below ``root`` (None
    outside a git work tree).

    In a git work tree the projects are first detected from the tracked files while git
    still looks for untracked ones (and, with ``changes``, at each tracked file); only
    if it finds some are they detected again, from every file.
    """
    active = detectors()
    names = set(config_names()) | {".gitattributes"}
    for detector in active:
        names.update(detector.manifests)
    view, pending = begin_view(root, names, changes=changes, listed=listed)
    found: WorkTreeChanges | None = None
    try:
        projects, facts = _detect(view, active) if view.files else ([], Facts(root))
        if pending is not None:
            complete = pending.finish(view)
            found = pending.changes
            if complete is not view or not view.files:
                view = complete
                projects, facts = _detect(view, active)
        elif changes:  # git could not list the files: ask it why, if this is a repository
            found = git_changes(root)
    finally:
        if pending is not None:
            pending.close()
    detection = Detection(
        root=root, projects=tuple(projects), warnings=view.warnings, facts=facts, view=view
    )
    return detection, found


def detect_planned(
    view: RepoView, writes: Mapping[str, bytes], paths: Collection[str], parsed: Facts
) -> tuple[Project, ...]:
    """The projects at ``paths`` (as :attr:`Project.path` names them) of ``view``'s
    repository as they will be once ``writes`` (contents by root-relative path) are
    written: what a detection after applying a plan finds there. ``parsed`` are the files
    the detection of ``view`` parsed: those that ``writes`` leaves as they are are not
    parsed again."""
    unchanged = {key: value for key, value in parsed.documents.items() if key[1] not in writes}
    planned = view.planned(writes)
    carry_surveys(view, planned, writes)
    projects, _ = _detect(planned, detectors(), only=frozenset(paths), parsed=unchanged)
    return tuple(projects)


def _detect(
    view: RepoView,
    active: Iterable[Detector],
    only: frozenset[str] | None = None,
    parsed: Mapping[tuple[Form, str], Any] | None = None,
) -> tuple[list[Project], Facts]:
    """The projects in ``view`` (``only`` those at these paths), and the files the detectors
    parsed to find them (which every project carries on, for adopt); ``parsed`` are files
    parsed already, in the same view or one that differs only in other files."""
    ctx = Context(view, parsed)
    candidates: list[Candidate] = []
    for detector in active:
        try:
            candidates.extend(detector.detect(ctx))
        except RecursionError:
            view.warn(".", f"the {detector.name} detector gave up: structure too deeply nested")
        except ImportError:
            raise  # a library missing from the installation fails detection whole
        except Exception as error:  # a detector bug must not cost the other ecosystems
            view.warn(
                ".",
                f"internal error in the {detector.name} detector: "
                f"{type(error).__name__}: {_first_line(error)}",
            )
    facts = ctx.facts()
    return _projects(view, candidates, facts, only), facts


def _first_line(error: BaseException) -> str:
    """The first line of an unexpected error's message, cut to 200 characters."""
    return (str(error).strip().splitlines() or [""])[0][:200]


def _projects(
    view: RepoView, candidates: list[Candidate], facts: Facts, only: frozenset[str] | None
) -> list[Project]:
    by_folder: dict[str, list[Candidate]] = {}
    for cand in candidates:
        by_folder.setdefault(cand.path, []).append(cand)
    embedded: dict[str, dict[str, ConfigRef]] = {}
    for cand in candidates:
        slot = embedded.setdefault(cand.path, {})
        for kind, where in cand.embedded.items():
            slot.setdefault(kind, where)

    primaries: dict[str, Candidate] = {}
    others: dict[str, list[Candidate]] = {}
    for folder, group in by_folder.items():
        ranked = sorted(group, key=_rank)
        primaries[folder] = ranked[0]
        others[folder] = ranked[1:]

    # Workspace members inherit the root's tool when they do not name their own.
    member_of: dict[str, tuple[str, Candidate]] = {}
    for folder in sorted(by_folder, key=lambda f: f.count("/"), reverse=True):
        for cand in by_folder[folder]:
            if cand.workspace_kind:
                for member in cand.members:
                    member_of.setdefault(member, (cand.workspace_kind, cand))

    folders = sorted(primaries)
    projects = []
    for folder in folders:
        if only is not None and label(folder) not in only:
            continue
        primary = primaries[folder]
        if folder:
            lo = bisect_left(folders, folder + "/")
            nested = folders[lo : bisect_left(folders, folder + "0", lo)]
        else:
            nested = folders[1:]
        projects.append(
            _project(view, primary, others[folder], member_of, embedded, nested, primaries, facts)
        )
    projects.sort(key=lambda p: (p.path != ".", p.path))
    return projects


def _rank(cand: Candidate) -> tuple[int, int, int]:
    priority = _PRIORITY.index(cand.language) if cand.language in _PRIORITY else len(_PRIORITY)
    return (-cand.weight, 0 if cand.framework else 1, priority)


def _project(
    view: RepoView,
    primary: Candidate,
    secondary: list[Candidate],
    member_of: dict[str, tuple[str, Candidate]],
    embedded: dict[str, dict[str, ConfigRef]],
    nested: list[str],
    primaries: dict[str, Candidate],
    facts: Facts,
) -> Project:
    folder = primary.path
    evidence: list[Evidence] = list(primary.evidence)
    for other in secondary:
        evidence.append(
            Evidence(
                "language",
                other.manifest,
                f"also {other.summary or other.manifest} ({other.language}); "
                f"{primary.language} comes first here",
            )
        )

    build_tool = primary.build_tool
    if build_tool is None and not primary.tool_conflict:
        membership = member_of.get(folder)
        if membership is not None and language_family(membership[0]) == language_family(
            primary.language
        ):
            kind, owner_root = membership
            build_tool = kind  # a workspace kind names the build tool its members use
            evidence.append(
                Evidence(
                    "build_tool",
                    owner_root.manifest,
                    f"member of the {kind} workspace at {label(owner_root.path)}",
                )
            )
        elif primary.default_build_tool is not None:
            build_tool = primary.default_build_tool
            evidence.append(Evidence("build_tool", primary.manifest, primary.default_reason))

    workspace = None
    owner = (
        primary
        if primary.workspace_kind
        else next((c for c in secondary if c.workspace_kind), None)
    )
    if owner is not None and owner.workspace_kind:
        workspace = Workspace(owner.workspace_kind, tuple(owner.members))
        if owner is not primary:
            evidence.extend(e for e in owner.evidence if e.claim == "workspace")

    language = primary.language
    # a Spring application with its web client in the same folder: the client's ESLint
    # and Prettier settings apply there too
    languages = list(dict.fromkeys([language, *(other.language for other in secondary)]))
    try:
        configs, style, dirs, arch, details = _details(
            view, folder, languages, embedded, nested, primaries
        )
    except ImportError:
        raise  # a library missing from the installation fails detection whole
    except Exception as error:  # a bug reading one project must not cost the others
        view.warn(
            label(folder),
            "internal error reading the configs, style and layout: "
            f"{type(error).__name__}: {_first_line(error)}",
        )
        configs, style, dirs, arch, details = [], CodeStyle(), [], None, []
    evidence.extend(details)

    return Project(
        path=label(folder),
        language=language,
        framework=primary.framework,
        build_tool=build_tool,
        stack=stack_for(language, primary.framework),
        workspace=workspace,
        configs=tuple(configs),
        style=style,
        source_dirs=tuple(dirs),
        architecture=arch,
        evidence=tuple(evidence),
        facts=facts,
    )


def _details(
    view: RepoView,
    folder: str,
    languages: list[str],
    embedded: dict[str, dict[str, ConfigRef]],
    nested: list[str],
    primaries: dict[str, Candidate],
) -> tuple[list[ConfigRef], CodeStyle, list[str], str | None, list[Evidence]]:
    """A project's configs, code style, source folders and architecture, with evidence
    (``languages``: the project's, then those of the other manifests in its folder)."""
    details: list[Evidence] = []
    language = languages[0]
    nested_set = frozenset(nested)
    prune = nested_set.__contains__
    extensions = EXTENSIONS.get(language, ())
    configs, config_evidence = find_configs(view, folder, languages, embedded)
    details.extend(config_evidence)

    seen = surveyed(view, folder, extensions, nested_set) if extensions else Survey()
    style, style_evidence = _style(view, folder, language, extensions, seen.samples)
    details.extend(style_evidence)

    dirs = source_dirs(view, folder, extensions, prune, seen) if extensions else []
    if dirs:
        shown = ", ".join(f"{d}/" for d in dirs)
        details.append(Evidence("source_dirs", label(folder), f"code in {shown}"))

    arch, arch_evidence = (None, None)
    if extensions:
        arch, arch_evidence = architecture(folder, seen)
    services = _services(folder, nested, primaries)
    if len(services) >= 2 and arch in (None, "flat"):
        arch = "microservices"
        shown = ", ".join(s.path for s in services[:6]) + (", ..." if len(services) > 6 else "")
        arch_evidence = Evidence(
            "architecture", label(folder), f"{len(services)} service projects inside: {shown}"
        )
    if arch_evidence is not None:
        details.append(arch_evidence)

    return configs, style, dirs, arch, details


#: Folders whose projects show how to use something: examples, not deployed services.
_SHOWCASE_DIRS = frozenset({"example", "examples", "sample", "samples", "demo", "demos"})


def _services(folder: str, nested: list[str], primaries: dict[str, Candidate]) -> list[Candidate]:
    """The deployable service projects whose nearest enclosing project is ``folder``
    (projects in an ``examples/`` folder or the like are not deployed)."""
    out = []
    for path in nested:
        enclosing = next(a for a in ancestors(parent(path)) if a in primaries or not a)
        if enclosing != folder:
            continue
        if _SHOWCASE_DIRS.intersection(path.lower().split("/")[:-1]):
            continue
        cand = primaries[path]
        if cand.framework is not None and cand.framework not in _UI_ONLY:
            out.append(cand)
    return out


def _style(
    view: RepoView,
    folder: str,
    language: str,
    extensions: tuple[str, ...],
    samples: list[str],
) -> tuple[CodeStyle, list[Evidence]]:
    evidence: list[Evidence] = []
    texts = _read_all(view, samples)
    sampled = (language, tuple(samples))  # the memo keys end with the sampled paths
    target = (
        samples[0]
        if samples
        else (f"{folder}/x" if folder else "x") + (extensions[0] if extensions else "")
    )
    indent, indent_evidence = editorconfig_indent(view, editorconfig_files(view, folder), target)
    if indent_evidence is not None:
        evidence.append(indent_evidence)
    elif texts:
        indent, detail = _memo(view, (SAMPLED, "indent", *sampled), lambda: sampled_indent(texts))
        if indent is not None:
            evidence.append(
                Evidence("style", label(folder), f"sampled {len(texts)} files: {detail}")
            )
    naming = None
    if texts:
        naming, detail = _memo(
            view, (SAMPLED, "naming", *sampled), lambda: sampled_naming(language, texts)
        )
        if naming is not None:
            evidence.append(
                Evidence("style", label(folder), f"sampled {len(texts)} files: {detail}")
            )
    return CodeStyle(indent=indent, naming=naming), evidence


def _memo(view: RepoView, key: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
    """``compute()``, kept in ``view``'s memo under ``key`` (a view of the same repository
    with planned files keeps what depends on files the plan leaves alone: see
    :meth:`RepoView.planned`)."""
    if key not in view.memo:
        view.memo[key] = compute()
    found: _T = view.memo[key]
    return found


def _read_all(view: RepoView, paths: Iterable[str]) -> list[str]:
    texts = []
    for path in paths:
        text = view.read_sample(path, SAMPLE_BYTES)
        if text is not None and not text.startswith("// Code generated"):
            texts.append(text)
    return texts
