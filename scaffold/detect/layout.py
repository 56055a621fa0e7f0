"""Where a project keeps its code (source folders) and how it is organised (architecture).

Both read folder names only, through the view's sorted listing, within bounds: the
top-level folders of the project, and at most :data:`MAX_DIRS` folders below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scaffold.detect.base import join
from scaffold.detect.style import sample_files
from scaffold.detect.view import RepoView
from scaffold.model import Evidence

MAX_DIRS = 400
MAX_DEPTH = 8

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


def source_dirs(
    view: RepoView, folder: str, extensions: tuple[str, ...], prune: Callable[[str], bool]
) -> list[str]:
    """The project's top-level folders that hold code in its language."""
    dirs, _ = view.children(folder)
    found = []
    for name in dirs:
        path = join(folder, name)
        if name.startswith(".") or name in _NOT_SOURCE or view.excluded(path) or prune(path):
            continue
        if sample_files(view, path, extensions, limit=1, skip=prune, max_dirs=60):
            found.append(name)
    return found


@dataclass
class _Survey:
    by_name: dict[str, list[str]] = field(default_factory=dict)
    django_apps: list[str] = field(default_factory=list)
    code_dirs: int = 0


def _survey(
    view: RepoView, folder: str, extensions: tuple[str, ...], prune: Callable[[str], bool]
) -> _Survey:
    survey = _Survey()
    base_depth = folder.count("/") + 1 if folder else 0

    def skip(path: str) -> bool:
        name = path.rpartition("/")[2]
        return (
            name.startswith(".")
            or name in _SKIP_FOR_ARCHITECTURE
            or path.count("/") + 1 - base_depth > MAX_DEPTH
            or prune(path)
        )

    for current, _dirs, names in view.walk(folder, prune=skip, max_dirs=MAX_DIRS):
        if current != folder:
            survey.by_name.setdefault(current.rpartition("/")[2].lower(), []).append(current)
        if any(name.endswith(extensions) for name in names):
            survey.code_dirs += 1
        if "models.py" in names and "views.py" in names:
            survey.django_apps.append(current)
    return survey


def architecture(
    view: RepoView, folder: str, extensions: tuple[str, ...], prune: Callable[[str], bool]
) -> tuple[str | None, Evidence | None]:
    """mvc, layered, clean, hexagonal, ddd or flat, from the folder names in use."""
    survey = _survey(view, folder, extensions, prune)
    names = survey.by_name

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
    if len(survey.django_apps) >= 1 and not having(_SERVICES):
        apps = [a or "." for a in survey.django_apps]
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
    if survey.code_dirs == 1 and not any(len(v) for v in names.values() if v and v[0] != folder):
        return "flat", Evidence("architecture", folder or ".", "all code in one folder")
    if survey.code_dirs == 1:
        return "flat", Evidence("architecture", folder or ".", "all code in one folder")
    return None, None
