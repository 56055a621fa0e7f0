"""Editor, lint and format configuration that applies to a project.

Each tool looks for its settings from the project's folder upwards and uses the
nearest, so that is what is reported: per tool, the nearest file (or manifest section,
such as ``pyproject.toml[tool.ruff]`` or ``package.json[prettier]``) in the project's
folder or above it. ``.editorconfig`` files cascade, so every one up to ``root = true``
is listed. A tool's settings apply to a project written in a language the tool serves,
or holding, in its folder, a manifest of one (a Spring application with its web client's
package.json beside the pom.xml gets that client's ESLint and Prettier configs).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from scaffold.detect.base import ancestors, join
from scaffold.detect.editorconfig import editorconfig_files
from scaffold.ecosystems import CONFIG_KINDS
from scaffold.ecosystems.base import ConfigKind
from scaffold.model import ConfigRef, Evidence
from scaffold.repo.view import RepoView

__all__ = ["KINDS", "ConfigKind", "config_names", "config_tool", "find_configs"]

#: Every tool's settings scaffold reports, from the ecosystems' registry.
KINDS = CONFIG_KINDS


def config_tool(config: ConfigRef) -> ConfigKind | None:
    """The kind of config a detected ``config`` is (``.flake8``, ``setup.cfg`` section
    ``flake8``, ``pyproject.toml`` section ``tool.black``), if it is one of :data:`KINDS`."""
    path, section = config.file, config.section
    if section:
        name = section.removeprefix("tool.").removeprefix("tool:").split(".")[0]
        return next((kind for kind in KINDS if kind.kind == name), None)
    return next(
        (
            kind
            for kind in KINDS
            for name in kind.files
            if path == name or path.endswith("/" + name)
        ),
        None,
    )


def config_names() -> set[str]:
    """Every base name a config kind looks for (so the view indexes them)."""
    names = {".editorconfig"}
    for kind in KINDS:
        names.update(name.rpartition("/")[2] for name in kind.files)
    return names


_GOLANGCI_VERSION = re.compile(r"""^version\s*[:=]\s*["']?(\d+)""", re.MULTILINE)


def find_configs(
    view: RepoView,
    folder: str,
    languages: Collection[str],
    embedded: Mapping[str, Mapping[str, ConfigRef]],
) -> tuple[list[ConfigRef], list[Evidence]]:
    """The config files and manifest sections that apply to the project in ``folder``,
    whose code is in ``languages`` (its own, and those of other manifests beside it).

    ``embedded`` maps a folder to the settings its manifests carry (config kind -> the
    manifest and its section), as the detectors found them.
    """
    if isinstance(languages, str):  # one language, not its letters
        languages = (languages,)
    configs: list[ConfigRef] = []
    evidence: list[Evidence] = []
    for path in editorconfig_files(view, folder):
        configs.append(ConfigRef(path))
        evidence.append(Evidence("configs", path, "EditorConfig settings"))
    holders = _config_folders(view)
    chain = [d for d in ancestors(folder) if d in holders or d in embedded]
    for kind in KINDS:
        if kind.languages is not None and kind.languages.isdisjoint(languages):
            continue
        for current in chain:
            hit = next(
                (
                    ConfigRef(join(current, name))
                    for name in kind.files
                    if view.exists(join(current, name))
                ),
                None,
            )
            if hit is None:
                hit = embedded.get(current, {}).get(kind.kind)
            if hit is None:
                continue
            configs.append(hit)
            detail = f"{kind.tool} settings" + (f" in [{hit.section}]" if hit.section else "")
            if kind.kind == "golangci":
                detail += _golangci_version(view, hit.file)
            evidence.append(Evidence("configs", hit.file, detail))
            break
    return configs, evidence


def _config_folders(view: RepoView) -> set[str]:
    """Folders holding at least one config file (so the others are skipped at once)."""
    key = "config-folders"
    if key not in view.memo:
        folders: set[str] = set()
        for kind in KINDS:
            for name in kind.files:
                base = name.rpartition("/")[2]
                for path in view.named(base):
                    if path == name or path.endswith("/" + name):
                        folders.add(path[: len(path) - len(name)].rstrip("/"))
        view.memo[key] = folders
    result: set[str] = view.memo[key]
    return result


def _golangci_version(view: RepoView, path: str) -> str:
    if path.endswith(".json"):
        return ""
    text = view.read_text(path)
    if text is None:
        return ""
    match = _GOLANGCI_VERSION.search(text)
    version = match.group(1) if match else "1"
    return f" (configuration format v{version})"
