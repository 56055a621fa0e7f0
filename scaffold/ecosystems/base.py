"""What an ecosystem declares, and live read-only views of what is derived from them.

An :class:`Ecosystem` is data only: the modules holding its detectors and adopt recipes are
named, not imported, so that reading the registry costs nothing at start-up.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


@dataclass(frozen=True)
class ConfigKind:
    """One tool's settings: the file names it reads (in its own order of precedence) and
    the languages it serves (``None``: any project)."""

    kind: str
    tool: str
    languages: frozenset[str] | None
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ecosystem:
    """One ecosystem: everything scaffold knows about it, in one place.

    ``project_manifests`` are the files that make a folder a project of this ecosystem
    (a walk below another project stops there). ``detectors`` and ``recipes`` are module
    names: a detector module registers its classes with
    :func:`scaffold.detect.base.register`; a recipe module has a ``RECIPE``. ``priority``
    ranks languages when two manifests in one folder weigh the same (lower wins);
    ``families`` maps a language or workspace kind to the ecosystem family it shares
    workspaces with. ``stack_languages`` are the languages its templates serve; when
    ``framework_bound``, a project's framework picks the template, otherwise the language
    alone does. ``templates`` is a folder of extra copier templates, one per stack (the
    bundled ones need none).
    """

    name: str
    #: Manifests that make a folder a project of its own.
    project_manifests: tuple[str, ...] = ()
    detectors: tuple[str, ...] = ()
    recipes: tuple[str, ...] = ()
    config_kinds: tuple[ConfigKind, ...] = ()
    extensions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    language_aliases: Mapping[str, str] = field(default_factory=dict)
    framework_aliases: Mapping[str, str] = field(default_factory=dict)
    priority: Mapping[str, int] = field(default_factory=dict)
    families: Mapping[str, str] = field(default_factory=dict)
    stack_languages: frozenset[str] = frozenset()
    framework_bound: bool = True
    templates: Path | None = None

    @classmethod
    def built_in(cls, name: str, **declared: Any) -> Ecosystem:
        """One of scaffold's own ecosystems, in the package ``scaffold.ecosystems.<name>``:
        its detectors in ``detect.py`` and its recipes in ``adopt.py`` unless named."""
        package = f"scaffold.ecosystems.{name}"
        declared.setdefault("detectors", (f"{package}.detect",))
        declared.setdefault("recipes", (f"{package}.adopt",))
        return cls(name=name, **declared)


def framework_names(names: str, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """An ecosystem's ``framework_aliases``: each name its detector reports (``names``,
    separated by spaces) stands for itself, and each of ``aliases`` (lowercase, as a
    label spells it) for the name it maps to."""
    table = {name: name for name in names.split()}
    for alias, name in (aliases or {}).items():
        if name not in table:
            raise ValueError(f"alias {alias!r} names {name!r}, which is not reported")
        table[alias] = name
    return table


class LiveMapping(Mapping[K, V]):
    """A read-only mapping recomputed from the registry whenever it changes."""

    def __init__(self, compute: Callable[[], Mapping[K, V]]) -> None:
        self._compute = compute

    def __getitem__(self, key: K) -> V:
        return self._compute()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._compute())

    def __len__(self) -> int:
        return len(self._compute())

    def __contains__(self, key: object) -> bool:
        return key in self._compute()

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, /, default: V | T) -> V | T: ...
    def get(self, key: K, /, default: object = None) -> object:
        return self._compute().get(key, default)

    def __repr__(self) -> str:
        return repr(dict(self._compute()))


class LiveSequence(Sequence[T]):
    """A read-only sequence recomputed from the registry whenever it changes."""

    def __init__(self, compute: Callable[[], Sequence[T]]) -> None:
        self._compute = compute

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._compute()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._compute())

    def __contains__(self, value: object) -> bool:
        return value in self._compute()

    def index(self, value: Any, start: int = 0, stop: int = sys.maxsize) -> int:
        return self._compute().index(value, start, stop)

    def __len__(self) -> int:
        return len(self._compute())

    def __repr__(self) -> str:
        return repr(tuple(self._compute()))
