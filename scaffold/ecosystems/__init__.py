"""The one registry of ecosystems, and everything derived from it.

Each ecosystem is a package here (python, node, go, rust, jvm, and others for the rest)
whose ``ECOSYSTEM`` names its detectors, adopt recipes, config kinds, file extensions,
label aliases and how its stacks are matched. Detection, adopt, the conventions' labels
and the template catalog read these views, never lists of their own, so adding an
ecosystem means adding its package (and its templates) and nothing else.

An ecosystem outside the package joins with :func:`register` (and leaves with
:func:`unregister`): a plugin calls it when it is imported. There is no scan of installed
distributions at start-up, which would cost every command time.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from scaffold.ecosystems import go, jvm, node, others, python, rust
from scaffold.ecosystems.base import ConfigKind, Ecosystem, LiveMapping, LiveSequence

if TYPE_CHECKING:
    from scaffold.adopters.base import Recipe

T = TypeVar("T")

_BUILT_IN = (python, node, go, rust, jvm, others)

#: Every ecosystem scaffold knows, by name, in the order their detectors run.
ECOSYSTEMS: dict[str, Ecosystem] = {module.ECOSYSTEM.name: module.ECOSYSTEM for module in _BUILT_IN}


def register(ecosystem: Ecosystem) -> None:
    """Add ``ecosystem`` (or replace the one of the same name); every view follows."""
    ECOSYSTEMS[ecosystem.name] = ecosystem
    _forget()


def built_in_only() -> bool:
    """Whether the registry holds scaffold's own ecosystems and no other (what it derives is
    then a matter of scaffold's own code and templates alone)."""
    return list(ECOSYSTEMS.values()) == [module.ECOSYSTEM for module in _BUILT_IN]


def unregister(name: str) -> None:
    """Remove the ecosystem called ``name``, if there is one."""
    ECOSYSTEMS.pop(name, None)
    _forget()


#: Every view derived from the registry, cached until the registry changes.
_DERIVED: list[functools._lru_cache_wrapper[Any]] = []


def _derived(compute: Callable[[], T]) -> functools._lru_cache_wrapper[T]:
    """``compute``, cached until :func:`register` or :func:`unregister` changes the registry."""
    cached = functools.cache(compute)
    _DERIVED.append(cached)
    return cached


def _forget() -> None:
    for cached in _DERIVED:
        cached.cache_clear()


@_derived
def _config_kinds() -> tuple[ConfigKind, ...]:
    return tuple(kind for eco in ECOSYSTEMS.values() for kind in eco.config_kinds)


@_derived
def _extensions() -> dict[str, tuple[str, ...]]:
    return {lang: ext for eco in ECOSYSTEMS.values() for lang, ext in eco.extensions.items()}


@_derived
def _language_aliases() -> dict[str, str]:
    return {k: v for eco in ECOSYSTEMS.values() for k, v in eco.language_aliases.items()}


@_derived
def _framework_aliases() -> dict[str, str]:
    return {k: v for eco in ECOSYSTEMS.values() for k, v in eco.framework_aliases.items()}


@_derived
def _priority() -> tuple[str, ...]:
    ranked = {k: v for eco in ECOSYSTEMS.values() for k, v in eco.priority.items()}
    return tuple(sorted(ranked, key=lambda language: ranked[language]))


@_derived
def _families() -> dict[str, str]:
    return {k: v for eco in ECOSYSTEMS.values() for k, v in eco.families.items()}


@_derived
def _project_manifests() -> tuple[str, ...]:
    return tuple(name for eco in ECOSYSTEMS.values() for name in eco.project_manifests)


def detector_modules() -> tuple[str, ...]:
    """The modules holding every ecosystem's detectors, in registry order."""
    return tuple(module for eco in ECOSYSTEMS.values() for module in eco.detectors)


@_derived
def _recipes() -> dict[str, Recipe]:
    found: dict[str, Recipe] = {}
    for eco in ECOSYSTEMS.values():
        for module in eco.recipes:
            recipe: Recipe = importlib.import_module(module).RECIPE
            found[recipe.stack] = recipe
    return found


@_derived
def _template_folders() -> dict[str, Path]:
    from scaffold.catalog import COPIER_FILE, templates_root

    roots = [templates_root()]
    roots += [eco.templates for eco in ECOSYSTEMS.values() if eco.templates is not None]
    folders: dict[str, Path] = {}
    for root in roots:
        for folder in sorted(root.iterdir()):
            if folder.name not in folders and (folder / COPIER_FILE).is_file():
                folders[folder.name] = folder
    return dict(sorted(folders.items()))


def template_folders() -> Mapping[str, Path]:
    """Every stack's template folder by stack id, sorted: the bundled templates, then
    those an ecosystem brings (a bundled stack id cannot be taken)."""
    return _template_folders()


@_derived
def _stacks() -> dict[tuple[str, str | None], str]:
    """(language, framework) -> stack id from each template's ``_scaffold`` metadata;
    the framework is None for an ecosystem whose stacks do not depend on one."""
    from scaffold.catalog import stack_labels

    table: dict[tuple[str, str | None], str] = {}
    for stack_id, (language, framework) in stack_labels(_template_folders()).items():
        eco = next((e for e in ECOSYSTEMS.values() if language in e.stack_languages), None)
        if eco is None:
            continue
        for served in sorted(eco.stack_languages):
            key = (served, str(framework) if eco.framework_bound and framework else None)
            table.setdefault(key, stack_id)
    return table


def stack_for(language: str, framework: str | None) -> str | None:
    """The stack (template and conventions id) for a language and framework, or ``None``."""
    eco = next((e for e in ECOSYSTEMS.values() if language in e.stack_languages), None)
    if eco is None:
        return None
    if not eco.framework_bound:
        return _stacks().get((language, None))
    return _stacks().get((language, framework)) if framework else None


#: Live views of the registry, for the modules that read them.
CONFIG_KINDS = LiveSequence(_config_kinds)
PROJECT_MANIFESTS = LiveSequence(_project_manifests)
EXTENSIONS = LiveMapping(_extensions)
LANGUAGE_ALIASES = LiveMapping(_language_aliases)
FRAMEWORK_ALIASES = LiveMapping(_framework_aliases)
PRIORITY = LiveSequence(_priority)
FAMILIES = LiveMapping(_families)
RECIPES = LiveMapping(_recipes)
STACKS = LiveMapping(lambda: {k: v for k, v in _stacks().items() if k[1] is not None})
LANGUAGE_STACKS = LiveMapping(lambda: {k[0]: v for k, v in _stacks().items() if k[1] is None})

__all__ = [
    "CONFIG_KINDS",
    "ECOSYSTEMS",
    "EXTENSIONS",
    "FAMILIES",
    "FRAMEWORK_ALIASES",
    "LANGUAGE_ALIASES",
    "LANGUAGE_STACKS",
    "PRIORITY",
    "PROJECT_MANIFESTS",
    "RECIPES",
    "STACKS",
    "ConfigKind",
    "Ecosystem",
    "detector_modules",
    "register",
    "stack_for",
    "template_folders",
    "unregister",
]
