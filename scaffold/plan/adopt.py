"""The planner of ``scaffold adopt``: each rendered file of a project weighed against what
the repository holds (see :mod:`scaffold.commands.adopt` for the rules), as file actions.
Nothing here writes into the repository; a migration runs on a copy in a scratch folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from scaffold.adopters import Recipe, TomlTables, WholeFile
from scaffold.adopters.base import fact
from scaffold.model import Action, ConfigRef, Facts, FileAction, Project, sha256_of_bytes
from scaffold.plan.merge import (
    MergeError,
    TomlMerge,
    holds_tables,
    merge_toml,
    parse_toml,
    same_text,
    split_text,
    template_tables,
    toml_has,
)
from scaffold.plan.migrate import MigrationFailed, run_migration
from scaffold.plan.tables_above import covering_tables

# --- planning ---------------------------------------------------------------------------


def _ancestors(root: Path, folder: Path) -> list[Path]:
    """Folders above ``folder`` up to ``root`` included, nearest first."""
    if root not in folder.parents:
        return []
    return list(folder.parents)[: len(folder.parents) - len(root.parents)]


if TYPE_CHECKING:
    from scaffold.render import RenderedFiles


@dataclass(frozen=True, slots=True)
class RenderedProject:
    """A project being adopted, its recipe, and its template's files rendered for it."""

    project: Project
    recipe: Recipe
    rendered: RenderedFiles


class AdoptPlanner:
    """Plans files into ``root``, reading the manifests it weighs (package.json keys, a
    workspace's Cargo.toml) from ``facts``, what detection parsed there; the files it
    merges or migrates are read from the disk, and their digests checked when applying."""

    def __init__(self, root: Path, *, migrate: bool = False, facts: Facts | None = None) -> None:
        self.root = root
        self.migrate = migrate
        self.facts = facts if facts is not None else Facts(root)
        self.actions: dict[PurePosixPath, FileAction] = {}
        self._manifests: dict[Path, dict[str, Any]] = {}
        # What is on disk, the folders above a folder as (absolute, from the root) texts, the
        # files the plan creates: looked up once, every project asks about the same ones.
        self._exists: dict[str, bool] = {}
        self._ancestors: dict[Path, list[Path]] = {}
        self._ancestor_texts: dict[Path, list[tuple[str, str]]] = {}
        self._created: dict[str, bytes | None] = {}
        #: The files not created because a config above covers them.
        self.covered: set[PurePosixPath] = set()
        self._workspace_tables: dict[tuple[Path, str], bool | None] = {}
        self._root_prefix = str(root).rstrip(os.sep) + os.sep

    def manifest(self, path: Path) -> dict[str, Any]:
        """The JSON manifest at ``path`` (``{}`` if none), as detection parsed it (looked up
        once per plan: every rule of every project below it asks for the same package.json)."""
        if path not in self._manifests:
            found = fact(self.facts, "json", self.root, self.rel(path).as_posix())
            self._manifests[path] = found if found is not None else {}
        return self._manifests[path]

    def exists(self, path: Path | str) -> bool:
        """Whether ``path`` exists (a symbolic link: whether what it points to does)."""
        text = os.fspath(path)
        found = self._exists.get(text)
        if found is None:
            found = self._exists[text] = os.path.exists(text)
        return found

    def ancestors(self, folder: Path) -> list[Path]:
        if folder not in self._ancestors:
            self._ancestors[folder] = _ancestors(self.root, folder)
        return self._ancestors[folder]

    def rel(self, path: Path) -> PurePosixPath:
        text = str(path)
        if text.startswith(self._root_prefix) and os.sep == "/":
            return PurePosixPath(text[len(self._root_prefix) :])
        return PurePosixPath(path.relative_to(self.root).as_posix())

    def add(self, action: FileAction) -> FileAction:
        """Plan ``action`` unless its path is planned already; what is planned there."""
        kept = self.actions.setdefault(action.path, action)
        if kept is action and action.action is Action.CREATE:
            self._created[action.path.as_posix()] = action.content
        return kept

    def replace(self, action: FileAction) -> None:  # instead of what is planned at its path
        self.actions[action.path] = action
        self._created.pop(action.path.as_posix(), None)

    def covering(
        self,
        folder: Path,
        names: tuple[str, ...],
        manifest_keys: tuple[tuple[str, str], ...] = (),
        content: bytes | None = None,
    ) -> tuple[str, str] | None:
        """What covers ``folder`` from the nearest folder above it: a file of ``names`` that
        exists or that the plan creates with ``content`` (one it creates for another project,
        with other content, covers nothing: the project gets its own), or a key of
        ``manifest_keys`` in a manifest there, as (the file's name or the key, where it is);
        None when nothing does."""
        above = self._ancestor_texts.get(folder)
        if above is None:
            above = self._ancestor_texts[folder] = [
                (str(parent), self.rel(parent).as_posix()) for parent in self.ancestors(folder)
            ]
        for parent, parent_rel in above:
            for name in names:
                covered = name if parent_rel == "." else f"{parent_rel}/{name}"
                if covered in self._created:
                    return (name, covered) if self._created[covered] == content else None
                if self.exists(os.path.join(parent, name)):
                    return name, covered
            for manifest, key in manifest_keys:
                if key in self.manifest(Path(parent, manifest)):
                    where = manifest if parent_rel == "." else f"{parent_rel}/{manifest}"
                    return key, f'{where} "{key}"'
        return None

    def whole_file(
        self, folder: Path, name: str, content: bytes, mode: int, rule: WholeFile
    ) -> None:
        destination = folder / name
        rel = self.rel(destination)
        if destination.is_symlink():
            self.add(FileAction(rel, Action.SKIP, "a symbolic link; not followed"))
            return
        if destination.exists() and not destination.is_file():
            what = "a folder" if destination.is_dir() else "a special file"
            self.add(FileAction(rel, Action.CONFLICT, f"{what} is in the way"))
            return
        if destination.exists():
            if rule.is_legacy(destination, name):
                self.legacy(folder, name, rule, destination)
                return
            same = same_text(destination.read_bytes(), content)
            action = Action.IDENTICAL if same is not None else Action.SKIP
            self.add(FileAction(rel, action, "exists; yours is kept" if same is None else same))
            return
        for other in rule.alternatives:
            if (folder / other).exists():
                if rule.is_legacy(folder / other, other) and not (folder / other).is_symlink():
                    self.legacy(folder, name, rule, folder / other)
                    return
                reason = rule.skip_reason(name, other, other, "configured in")
                self.add(FileAction(rel, Action.SKIP, reason))
                return
        for manifest, key in rule.manifest_keys:
            if key in self.manifest(folder / manifest):
                if key in rule.legacy:
                    self.legacy(folder, name, rule, folder / manifest, key)
                    return
                reason = rule.skip_reason(name, key, f'{manifest} "{key}"', "configured in")
                self.add(FileAction(rel, Action.SKIP, reason))
                return
        if rule.inherited:
            names = (name, *rule.alternatives)
            covering = self.covering(folder, names, rule.manifest_keys, content)
            if covering is not None:
                reason = rule.skip_reason(name, *covering, "covered by")
                if self.add(skipped := FileAction(rel, Action.SKIP, reason)) is skipped:
                    self.covered.add(rel)  # not planned otherwise already
                return
        self.add(FileAction(rel, Action.CREATE, "", content, mode))

    def _holds_tables(self, rel: PurePosixPath, content: bytes, rule: TomlTables) -> bool:
        """Whether the file at ``rel``, as detection parsed it, already has ``rule``'s tables
        of the template's ``content`` (what the merge below would find, without parsing the
        file again for editing)."""
        document = fact(self.facts, "toml", self.root, rel.as_posix())
        if not isinstance(document, dict):
            return False
        if rule.requires and not toml_has(document, rule.requires):
            return False
        template = template_tables(content)
        return template is not None and holds_tables(document, template, rule.tables)

    def shared_by(self, folder: Path, name: str, document: Any, table: str) -> str | None:
        """The manifest (relative path) of the workspace ``folder``'s ``name`` belongs to,
        if it shares ``table`` with its members: ``document`` itself, or the nearest
        manifest above holding ``workspace``."""
        if (found := _workspace_table(document, table)) is not None:
            return self.rel(folder / name).as_posix() if found else None
        for parent in self.ancestors(folder):
            manifest = parent / name
            if not self.exists(manifest):
                continue
            key = (manifest, table)
            if key not in self._workspace_tables:  # every member asks about the same one
                document = fact(self.facts, "toml", self.root, self.rel(manifest).as_posix())
                self._workspace_tables[key] = _workspace_table(document or {}, table)
            if (found := self._workspace_tables[key]) is not None:
                return self.rel(manifest).as_posix() if found else None
        return None

    def legacy(
        self, folder: Path, name: str, rule: WholeFile, found: Path, key: str | None = None
    ) -> None:
        """``name``'s config lives in ``found`` (or its ``key``) in a legacy format: kept and
        reported, or with ``--migrate`` converted by the tool's own migration."""
        where = f'{found.name} "{key}"' if key else found.name
        rel = self.rel(folder / name)
        migration = rule.migration
        if not self.migrate or migration is None:
            self.add(FileAction(rel, Action.SKIP, rule.legacy_reason(name, where)))
            return
        if key is not None:
            value = self.manifest(found).get(key)
            source = (migration.manifest_as, json.dumps(value, indent=2).encode("utf-8"))
        else:
            source = (found.name, found.read_bytes())
        try:
            migrated = run_migration(migration, *source)
        except MigrationFailed as error:
            reason = f"legacy config {where} kept; {migration.tool} could not migrate it: {error}"
            self.add(FileAction(rel, Action.SKIP, reason))
            return
        note = f"; {migration.note}" if migration.note else ""
        if migration.writes is None:
            old = found.read_bytes()
            mode = found.stat().st_mode & 0o777
            reason = f"to the current format, by {migration.tool}{note}"
            self.add(
                FileAction(
                    self.rel(found), Action.MIGRATE, reason, migrated, mode, sha256_of_bytes(old)
                )
            )
            if found != folder / name:
                self.add(FileAction(rel, Action.SKIP, f"configured in {found.name}, migrated"))
            return
        target = folder / migration.writes
        if target.exists() or target.is_symlink():
            self.add(FileAction(rel, Action.SKIP, f"{migration.writes} exists; yours is kept"))
            return
        reason = f"migrated from {where} by {migration.tool}{note}"
        self.add(FileAction(self.rel(target), Action.CREATE, reason, migrated, 0o644))
        if target != folder / name:
            self.add(FileAction(rel, Action.SKIP, f"configured in {migration.writes}"))

    def toml_tables(
        self,
        folder: Path,
        name: str,
        content: bytes,
        rule: TomlTables,
        configs: tuple[ConfigRef, ...] = (),
    ) -> None:
        """Merge ``rule``'s tables into ``name``, unless the project's ``configs`` (as
        detected, from the repository's root) show another tool doing their job."""
        from scaffold.detect.conventions import config_tool

        destination = folder / name
        rel = self.rel(destination)
        for config in configs:
            kind = config_tool(config)
            if kind is not None and kind.kind in rule.rivals:
                tables = _bracketed(rule.tables)
                reason = f"the project uses {kind.tool} ({config}); {tables} not added beside it"
                self.add(FileAction(rel, Action.SKIP, reason))
                return
        for table in rule.tables:
            for other in rule.alternatives.get(table, ()):
                if (folder / other).exists():
                    self.add(FileAction(rel, Action.SKIP, f"{table} is configured in {other}"))
                    return
        if not destination.is_file() or destination.is_symlink():
            self.add(FileAction(rel, Action.SKIP, f"no {name} to add {', '.join(rule.tables)} to"))
            return
        if self._holds_tables(rel, content, rule):
            self.add(FileAction(rel, Action.IDENTICAL, "already configured"))
            return
        raw = destination.read_bytes()
        try:
            text, form = split_text(raw)
            document = parse_toml(text, name)
            if rule.requires and not toml_has(document, rule.requires):
                reason = f"has no [{rule.requires}] table; not adding {', '.join(rule.tables)}"
                self.add(FileAction(rel, Action.SKIP, reason))
                return
            # Why the tables are not added, asked of the file as it is (merging changes it).
            declined = next(
                (f"already has [{table}]" for table in rule.unless if toml_has(document, table)),
                None,
            )
            inherits = rule.inherited and not any(toml_has(document, t) for t in rule.tables)
            above = covering_tables(self, folder, name, content, rule) if inherits else None
            if declined is None and above:
                self.add(FileAction(rel, Action.SKIP, f"covered by {above}"))
                self.covered.add(rel)
                return
            if declined is None and rule.shared:
                table, opt_in = rule.shared
                if holder := self.shared_by(folder, name, document, table):
                    tables = _bracketed(rule.tables)
                    declined = (
                        f"{holder} has [{table}] for its members ({opt_in}); {tables} not added"
                    )
            try:
                merged: TomlMerge | None = merge_toml(
                    document, content.decode("utf-8"), rule.tables, name
                )
            except MergeError as error:
                merged, refused = None, error
            if merged is not None and not merged.added and not merged.kept:
                # Exactly the tables this would add (an earlier adoption's, say).
                self.add(FileAction(rel, Action.IDENTICAL, "already configured"))
                return
            if declined is not None:
                self.add(FileAction(rel, Action.SKIP, declined))
                return
            if merged is None:
                raise refused
        except UnicodeDecodeError:
            self.add(FileAction(rel, Action.SKIP, "not UTF-8 text; left alone"))
            return
        except MergeError as error:
            self.add(FileAction(rel, Action.SKIP, f"{error}; left alone"))
            return
        if not merged.added:
            reason = f"has its own {_bracketed(merged.kept)}; yours is kept"
            self.add(FileAction(rel, Action.SKIP, reason))
            return
        form_kept = f"; kept: {form.describe()}" if form.describe() else ""
        self.add(
            FileAction(
                rel,
                Action.MERGE,
                "adds " + ", ".join(merged.added) + form_kept,
                form.restore(merged.text),
                destination.stat().st_mode & 0o777,
                sha256_of_bytes(raw),
            )
        )


def _bracketed(tables: tuple[str, ...]) -> str:
    """TOML table names as a reader sees them: ``[tool.ruff], [lints]``."""
    return ", ".join(f"[{table}]" for table in tables)


def _workspace_table(document: Any, table: str) -> bool | None:
    """Whether a manifest that holds ``workspace`` holds ``table``; None if it holds no
    ``workspace``."""
    return toml_has(document, table) if toml_has(document, "workspace") else None
