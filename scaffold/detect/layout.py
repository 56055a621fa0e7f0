"""Where a project keeps its code (source folders) and how it is organised (architecture).

Both read folder names only, through the view's sorted listing, within bounds: at most
:data:`MAX_PATHS` listed paths per project and :data:`MAX_DEPTH` folders deep.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from scaffold.detect.base import join
from scaffold.detect.style import SAMPLE_FILES, sample_files
from scaffold.model import Evidence
from scaffold.repo.vendored import EXCLUDED_DIRS
from scaffold.repo.view import RepoView

MAX_DEPTH = 8
#: Listed paths looked at per project, at most: a project of 50,000 files costs what
#: one of 3,000 does (the paths looked at are spread evenly over it).
MAX_PATHS = 3000
MAX_ENTRIES_PER_FOLDER = 2000
#: Folders of one project considered, at most (the shallowest ones).
MAX_FOLDERS = 200

_NOT_SOURCE = frozenset({"docs", "doc", "documentation"})
_SKIP_FOR_ARCHITECTURE = frozenset(
    {
        "tests",
        "test",
        "spec",
        "specs",
        "__tests__",
        "testdata",
        "fixtures",
        "e2e",
        "docs",
        "doc",
        "migrations",
        "static",
        "assets",
        "public",
        "resources",
        "templates",
    }
)

_PRESENTATION = frozenset(
    {
        "controllers",
        "controller",
        "handlers",
        "handler",
        "routes",
        "route",
        "routers",
        "router",
        "api",
        "apis",
        "endpoints",
        "rest",
        "http",
        "graphql",
        "transport",
        "delivery",
        "web",
    }
)
_SERVICES = frozenset({"services", "service", "usecases", "usecase", "use_cases", "interactors"})
_DATA = frozenset(
    {
        "repositories",
        "repository",
        "repos",
        "repo",
        "dao",
        "daos",
        "dal",
        "store",
        "stores",
        "storage",
        "persistence",
        "crud",
        "db",
        "database",
        "models",
        "model",
        "entities",
        "entity",
    }
)
_CONTROLLERS = frozenset({"controllers", "controller"})
_MODELS = frozenset({"models", "model"})
_VIEWS = frozenset({"views", "view"})
_APPLICATION = frozenset({"application", "usecases", "usecase", "use_cases", "app_services"})
_OUTER = frozenset(
    {"infrastructure", "infra", "adapters", "interfaces", "presentation", "delivery", "frameworks"}
)
_TACTICAL = frozenset(
    {"aggregates", "aggregate", "valueobjects", "value_objects", "valueobject", "value_object"}
)


@dataclass
class Survey:
    """What one look at a project's listed paths saw (vendored code, hidden folders and
    nested projects left out)."""

    #: Folder name (lower case) -> the folders of that name, for the architecture.
    by_name: dict[str, list[str]] = field(default_factory=dict)
    django_apps: list[str] = field(default_factory=list)
    #: Folders holding code directly (tests, docs and the like left out).
    code_dirs: int = 0
    #: Top-level folders of the project in which code was seen.
    code_tops: set[str] = field(default_factory=set)
    #: Source files, shallow folders first, for style sampling.
    samples: list[str] = field(default_factory=list)
    #: Whether only an evenly spread part of a large project was looked at.
    truncated: bool = False


#: The first item of a memo key for a project's survey (see :func:`surveyed`).
SURVEYED = "surveyed"


def surveyed(
    view: RepoView, folder: str, extensions: tuple[str, ...], nested: frozenset[str]
) -> Survey:
    """:func:`survey` of the project in ``folder`` (``nested``: the projects below it), once
    per view."""
    key = (SURVEYED, folder, extensions, nested)
    found: Survey | None = view.memo.get(key)
    if found is None:
        found = view.memo[key] = survey(view, folder, extensions, nested.__contains__)
    return found


def carry_surveys(view: RepoView, planned: RepoView, writes: Collection[str]) -> None:
    """Give ``planned`` (``view`` once the files ``writes`` are written) the surveys of
    ``view`` that those files cannot change: of a project looked at whole, when every file
    written below its folder sits directly in it and is not code (no new folder, no new
    code folder or sample), leaves the folder's entries within what a survey lists, and is
    no ``.gitattributes`` (which, there or above, can change what is vendored)."""
    attributes = [path.rpartition("/")[0] for path in writes if path.endswith(".gitattributes")]
    for key, found in view.memo.items():
        if key[:1] != (SURVEYED,) or found.truncated:
            continue
        folder, extensions = key[1], key[2]
        if any(_within(folder, above) for above in attributes):
            continue
        prefix = f"{folder}/" if folder else ""
        below = [path[len(prefix) :] for path in writes if path.startswith(prefix)]
        if any("/" in name or name.endswith(extensions) for name in below):
            continue
        entries = sum(map(len, view.children(folder, MAX_ENTRIES_PER_FOLDER + 1)))
        if entries + len(below) <= MAX_ENTRIES_PER_FOLDER:
            planned.memo[key] = found


def _within(folder: str, above: str) -> bool:
    """``folder`` is ``above`` or inside it ("" is the root)."""
    return not above or folder == above or folder.startswith(f"{above}/")


def survey(
    view: RepoView,
    folder: str,
    extensions: tuple[str, ...],
    prune: Callable[[str], bool],
    *,
    samples: int = SAMPLE_FILES,
) -> Survey:
    """Folders, code folders and sample files of the project in ``folder``.

    Reads no file: it derives everything from the listed paths below ``folder`` (at most
    :data:`MAX_PATHS` of them, spread evenly over the project), with set operations that
    run in C, then works per folder, not per file.
    """
    result = Survey()
    paths = view.below(folder, MAX_PATHS)
    result.truncated = len(paths) < view.count_below(folder)
    cut = len(folder) + 1 if folder else 0
    base_depth = folder.count("/") + 1 if folder else 0
    parents = {p.rpartition("/")[0] for p in paths}
    code_parents = {p.rpartition("/")[0] for p in paths if p.endswith(extensions)}

    folders: set[str] = set()
    for current in parents:
        while current != folder and current not in folders:
            folders.add(current)
            current = current.rpartition("/")[0]
    if len(folders) > MAX_FOLDERS:  # keep the shallowest, as a breadth-first walk would
        folders = set(sorted(folders, key=lambda d: (d.count("/"), d))[:MAX_FOLDERS])
        result.truncated = True

    # Per folder, from its parent's answer: usable (not hidden, vendored, nested or too
    # deep) and aside (inside tests, docs... which say nothing about the architecture).
    attributes = view.has_attribute_rules()
    usable: dict[str, bool] = {folder: True}
    aside: dict[str, bool] = {folder: False}
    for current in sorted(folders):  # a folder sorts before what is inside it
        above, _, name = current.rpartition("/")
        ok = (
            usable.get(above, False)
            and not name.startswith(".")
            and name not in EXCLUDED_DIRS
            and current.count("/") + 1 - base_depth <= MAX_DEPTH
            and not prune(current)
            and not (attributes and view.excluded(current))
        )
        usable[current] = ok
        if not ok:
            continue
        lower = name.lower()
        aside[current] = aside.get(above, False) or lower in _SKIP_FOR_ARCHITECTURE
        if not aside[current]:
            result.by_name.setdefault(lower, []).append(current)

    code_folders = sorted(
        (d for d in code_parents if usable.get(d, False)), key=lambda d: (d.count("/"), d)
    )
    for current in code_folders:
        if current != folder:
            result.code_tops.add(current[cut:].partition("/")[0])
        if not aside[current]:
            result.code_dirs += 1
    for current in code_folders:
        if len(result.samples) >= samples:
            break
        for name in view.children(current, MAX_ENTRIES_PER_FOLDER)[1]:
            if name.endswith(extensions) and not name.startswith("."):
                path = join(current, name)
                if not view.excluded(path):
                    result.samples.append(path)
                    if len(result.samples) >= samples:
                        break

    if ".py" in extensions:
        for current in sorted(code_folders):
            if (
                not aside[current]
                and view.exists(join(current, "models.py"))
                and view.exists(join(current, "views.py"))
            ):
                result.django_apps.append(current)
    return result


def source_dirs(
    view: RepoView,
    folder: str,
    extensions: tuple[str, ...],
    prune: Callable[[str], bool],
    seen: Survey,
) -> list[str]:
    """The project's top-level folders that hold code in its language."""
    dirs, _ = view.children(folder)
    found = []
    for name in dirs:
        path = join(folder, name)
        if name.startswith(".") or name in _NOT_SOURCE or view.excluded(path) or prune(path):
            continue
        if name in seen.code_tops or (
            seen.truncated
            and sample_files(view, path, extensions, limit=1, skip=prune, max_dirs=30)
        ):
            found.append(name)
    return found


def architecture(folder: str, seen: Survey) -> tuple[str | None, Evidence | None]:
    """mvc, layered, clean, hexagonal, ddd or flat, from the folder names in use."""
    names = seen.by_name

    def having(group: frozenset[str]) -> list[str]:
        return sorted(path for name in group for path in names.get(name, []))

    def claim(kind: str, paths: list[str], why: str) -> tuple[str, Evidence]:
        shown = ", ".join(paths[:6]) + (", ..." if len(paths) > 6 else "")
        return kind, Evidence(
            "architecture", paths[0] if paths else folder or ".", f"{why}: {shown}"
        )

    domains = names.get("domain", [])
    if len(domains) >= 2:
        return claim("ddd", domains, "a domain layer per bounded context")
    if domains and having(_APPLICATION) and having(_OUTER):
        return claim(
            "clean",
            domains + having(_APPLICATION) + having(_OUTER),
            "domain, application, outer layers",
        )
    if having(frozenset({"ports"})) and having(frozenset({"adapters"})):
        return claim("hexagonal", having(frozenset({"ports", "adapters"})), "ports and adapters")
    if domains and having(_TACTICAL):
        return claim(
            "ddd", domains + having(_TACTICAL), "domain model with aggregates/value objects"
        )
    controllers, models, views = having(_CONTROLLERS), having(_MODELS), having(_VIEWS)
    if controllers and models and views:
        return claim("mvc", controllers + models + views, "models, views and controllers")
    if len(seen.django_apps) >= 1 and not having(_SERVICES):
        apps = [a or "." for a in seen.django_apps]
        return claim("mvc", apps, "Django apps (models.py and views.py)")
    services, presentation, data = having(_SERVICES), having(_PRESENTATION), having(_DATA)
    if services and presentation and data:
        return claim(
            "layered", presentation + services + data, "presentation, service and data layers"
        )
    if controllers and models:
        return claim("mvc", controllers + models, "models and controllers")
    if services and (presentation or data):
        return claim("layered", presentation + services + data, "service layer with its neighbours")
    if seen.code_dirs == 1:
        return "flat", Evidence("architecture", folder or ".", "all code in one folder")
    return None, None
