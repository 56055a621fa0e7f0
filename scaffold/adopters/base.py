"""What adopting a project of one stack means: the rules that plan its files, and the
recipe that reads the existing code for the answers that tune them."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.model import Facts, Form, Project

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


def _by_name_only(path: Path) -> bool:
    return False


def _anywhere(root: Path, facts: Facts, folder: str, answers: Mapping[str, Any]) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Migration:
    """How a config in a legacy format becomes the current one: the tool's own migration
    command, run on a copy of the file in a scratch folder (``adopt --migrate``).

    ``command`` names the file as ``{file}``; it rewrites that file, or ``writes`` a new
    one beside it. ``is_legacy`` tells a legacy file from a current one of the same name
    (by default the legacy files are those the rule names).
    """

    command: tuple[str, ...]
    writes: str | None = None
    is_legacy: Callable[[Path], bool] = _by_name_only
    note: str = ""  # what is left to the user afterwards
    manifest_as: str = ""  # the file name a manifest key's value is migrated as

    @property
    def tool(self) -> str:
        return next((part for part in self.command if "@" in part), self.command[0])


@dataclass(frozen=True, slots=True)
class WholeFile:
    """A file that is created when missing, and otherwise left as the user has it.

    ``alternatives`` are other names the same configuration may have; ``inherited`` means
    the tool also reads it from parent folders, so one there covers the project.
    """

    alternatives: tuple[str, ...] = ()
    inherited: bool = False
    # The file holds only settings (no code the tool loads from beside it), so adopt may put
    # one in the folder above several projects that would get the same, for all of them.
    placed_above: bool = False
    # Whether the file rendered with ``answers`` works in ``folder`` (from the repository
    # ``root``, whose files detection parsed into ``facts``) above its projects: ESLint
    # loads its config as the module system of the nearest package.json.
    placeable: Callable[[Path, Facts, str, Mapping[str, Any]], bool] = _anywhere
    # Keys of a JSON manifest that may hold the same configuration instead (Prettier's
    # "prettier" in package.json). Those of the alternatives and keys named in ``legacy``
    # (and files ``migration`` finds legacy) are an older format the tool is leaving:
    # kept, with a note to migrate them to this file (in the ``legacy_format``), which
    # ``migration`` does on request.
    manifest_keys: tuple[tuple[str, str], ...] = ()
    legacy: tuple[str, ...] = ()
    legacy_format: str = ""
    migration: Migration | None = None

    def is_legacy(self, path: Path, name: str) -> bool:
        """Whether ``path``, found under ``name``, holds this config in a legacy format."""
        if not path.is_file():
            return False  # a folder or special file by that name is no config at all
        if name in self.legacy:
            return True
        return self.migration is not None and self.migration.is_legacy(path)

    def legacy_reason(self, name: str, where: str) -> str:
        """Why ``name`` is not created: the legacy config at ``where`` is kept."""
        if where == name:
            reason = f"legacy format kept; convert it to {self.legacy_format or 'the current one'}"
        else:
            note = f" ({self.legacy_format})" if self.legacy_format else ""
            reason = f"legacy config {where} kept; migrate it to {name}{note}"
        if self.migration is not None:
            reason += f", as adopt --migrate does with {self.migration.tool}"
        return reason

    def skip_reason(self, name: str, found: str, where: str, verb: str) -> str:
        """Why ``name`` is not created: ``found``, a file or key at ``where``, has its part."""
        if found in self.legacy:
            return self.legacy_reason(name, where)
        return f"{verb} {where}"


@dataclass(frozen=True, slots=True)
class TomlTables:
    """A TOML file that gains those of the listed tables it lacks (one it has is kept whole:
    a key added to a table in force would change what the tool does).

    ``alternatives`` maps a table to the files that configure the same tool instead;
    ``requires`` is a table the user's file must have for the merge to make sense
    (Cargo's ``package``: a virtual workspace manifest takes no ``[lints]``).
    """

    tables: tuple[str, ...]
    alternatives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    requires: str | None = None
    unless: tuple[str, ...] = ()
    # Config kinds (see scaffold.detect.conventions) of other tools doing the same job:
    # when one is in force for the project, the tables are not added beside it.
    rivals: tuple[str, ...] = ()
    # A table that the nearest manifest holding ``workspace`` (this one, or one above)
    # shares with its members, and how a member opts into it (Cargo's [workspace.lints]):
    # when there is one, the tables are not added.
    shared: tuple[str, str] | None = None
    # The tool reads the tables from the nearest manifest above that holds them (ruff passes
    # over a pyproject.toml without [tool.ruff]): one there covers the project.
    inherited: bool = False


Rule = WholeFile | TomlTables


@dataclass(frozen=True, slots=True)
class Recipe:
    """What adopting a project of one stack means: answers read from it, file rules."""

    stack: str
    infer: Callable[[Path, Project], dict[str, Any]]
    rules: Mapping[str, Rule]
    commands: Callable[[Path, Project], tuple[str, ...]]
    # Checks the project cannot run yet (a tool it does not declare), as advice to the reader.
    advice: Callable[[Path, Project], tuple[str, ...]] = lambda folder, project: ()
    source_suffix: str = ""
    placeholder: str = ".gitkeep"
    never_create: Mapping[str, str] = field(default_factory=dict)
    # Folders that already play a conventions folder's part, beyond its layout names.
    equivalents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A reason the conventions' folders do not apply to this project at all, if any.
    folders_do_not_apply: Callable[[Path, Project], str | None] = lambda folder, project: None
    # A reason one of them (by its last name) does not apply to this project, if any.
    folder_does_not_apply: Callable[[Path, Project, str], str | None] = (
        lambda folder, project, leaf: None
    )
    # A module (``models.py``) plays the part of the package of that name (``models/``).
    modules_are_packages: bool = False
    # The kinds of workspace whose root, when it is no project of a stack, takes the configs
    # its packages of this stack share (see scaffold.plan.workspace_roots).
    workspace_kinds: frozenset[str] = frozenset()


# -- the project's files, as detection parsed them ----------------------------------------------
#
# Recipes and the planner read manifests here, never from the disk with readers of their own:
# what detection parsed (``Project.facts``) is used as it is. A file detection did not read
# (manage.py, ruff.toml: files it has no use for; any file of a project made by hand, with no
# facts) is read then, through the same bounded reader: at most 4 MiB, no NUL bytes, UTF-8, no
# symbolic link out of the repository, no DOCTYPE in XML, bounded YAML aliases.


def fact(facts: Facts, form: Form, root: Path, path: str) -> Any:
    """The file at ``path`` (relative to ``root``, which ``facts`` were read from) as
    detection parsed it in ``form``; ``None`` when it is missing or cannot be used."""
    key = (form, path)
    if key in facts.documents:
        return facts.documents[key]
    # Kept with the facts of the repository they belong to (a project made by hand has
    # none: its files are read each time they are asked for).
    kept = facts.read_after if facts.root == root else {}
    if key in kept:
        return kept[key]
    from scaffold.detect.base import Context
    from scaffold.repo.view import RepoView

    ctx = Context(RepoView(root, [path]))
    readers: dict[Form, Callable[[str], Any]] = {
        "json": ctx.json_object,
        "toml": ctx.toml,
        "xml": ctx.xml,
        "yaml": ctx.yaml,
        "text": ctx.text,
    }
    kept[key] = value = readers[form](path)
    return value


def project_fact(folder: Path, project: Project, name: str, form: Form) -> Any:
    """The file ``name`` in the folder of ``project`` (which is ``folder``), as detection
    parsed it in ``form`` (see :func:`fact`)."""
    facts = project.facts
    if facts.root is None:  # a project made by hand: its own folder is the root
        return fact(facts, form, folder, name)
    path = name if project.path == "." else f"{project.path}/{name}"
    return fact(facts, form, facts.root, path)


def project_json(folder: Path, project: Project, name: str) -> dict[str, Any]:
    """A JSON object of the project (package.json), or ``{}`` when there is none."""
    found: dict[str, Any] | None = project_fact(folder, project, name, "json")
    return found if found is not None else {}


def project_toml(folder: Path, project: Project, name: str) -> dict[str, Any]:
    """A TOML document of the project (pyproject.toml, Cargo.toml), or ``{}``."""
    found: dict[str, Any] | None = project_fact(folder, project, name, "toml")
    return found if found is not None else {}


def project_text(folder: Path, project: Project, name: str) -> str | None:
    """A text file of the project (go.mod, manage.py), or ``None``."""
    found: str | None = project_fact(folder, project, name, "text")
    return found


def project_xml(folder: Path, project: Project, name: str) -> Element | None:
    """An XML file's root element (pom.xml), or ``None``."""
    found: Element | None = project_fact(folder, project, name, "xml")
    return found


def read_source(path: str | os.PathLike[str], encoding: str = "utf-8") -> str | None:
    """The text of the file at ``path``, or None if it cannot be read as ``encoding``
    (a plain ``open``: sampling reads hundreds of files)."""
    try:
        with open(path, encoding=encoding) as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def description(declared: object, found: str) -> str:
    """A project's one-line description: the one its manifest ``declared``, when it is one
    line of at most 200 characters, else ``found``, what detection saw it is (never a
    template's default, which describes what the template makes, not this project)."""
    if isinstance(declared, str):
        text = " ".join(declared.split())
        if text and len(text) <= 200 and text.isprintable():
            return text
    return found


def project_name(raw: object, folder: Path) -> str:
    """A template-ready project name from a manifest's ``raw`` name, else the folder's."""
    chosen = raw if isinstance(raw, str) and raw else folder.name
    name = re.sub(r"[^a-z0-9]+", "-", chosen.lower()).strip("-")
    if not name or not name[0].isalpha():
        name = f"project-{name}" if name else "project"
    return name


def source_texts(
    folder: Path, wanted: Callable[[str], bool], skip: Collection[str], limit: int
) -> Iterator[str]:
    """The texts of up to ``limit`` source files below ``folder`` whose names are ``wanted``,
    in a stable order, not looking into hidden folders or those named in ``skip``."""
    seen = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.startswith("."))
        for name in sorted(filenames):
            if not wanted(name):
                continue
            text = read_source(os.path.join(dirpath, name))
            if text is None:
                continue
            yield text
            seen += 1
            if seen >= limit:
                return


def sample_lines(
    folder: Path, suffix: str, limit: int = 50, also_skip: tuple[str, ...] = ()
) -> list[str]:
    """Lines of up to ``limit`` source files with ``suffix`` (skipping vendored folders, and
    the folders named in ``also_skip``: generated code that does not show the team's style)."""
    skip = {".git", ".venv", "venv", "node_modules", "vendor", "target", "dist", "build"}
    skip.update(also_skip)
    texts = source_texts(folder, lambda name: name.endswith(suffix), skip, limit)
    return [line for text in texts for line in text.splitlines()]


def indent_step(lines: list[str]) -> int | None:
    """The most common increase of indentation from one code line to the next."""
    from collections import Counter

    steps: Counter[int] = Counter()
    previous = 0
    for line in lines:
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("\t"):
            continue
        width = len(line) - len(stripped)
        if 0 < width - previous <= 8:
            steps[width - previous] += 1
        previous = width
    return steps.most_common(1)[0][0] if steps else None


EDITORCONFIG = WholeFile(inherited=True, placed_above=True)
