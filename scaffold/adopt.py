"""``scaffold adopt``: bring an existing repository onto the conventions without breaking it.

For every project detection finds (or the one ``--project`` names) whose stack has a
template, the template is rendered in its *adopted* mode: only the configuration files
scaffold manages, tuned to the code that is there (line length, indentation, quotes,
language versions read from the manifests), plus the copier answers file that later lets
``scaffold update`` merge from this baseline. Each rendered file is then planned against the
repository:

- a missing file is created, unless the same configuration already lives in another
  accepted place (ruff in ``ruff.toml`` rather than ``pyproject.toml``) or in a parent
  folder that covers the project;
- an existing structured file (TOML) gains only the tables it lacks, with comments and
  order kept; a table the user has is kept whole (a key added to a tool's table in force
  would change what the tool does), and none is added beside a tool doing the same job;
- a config in a legacy format is kept and reported, or with ``migrate`` converted by the
  tool's own migration (run on a copy, in a scratch folder);
- something of the user's in the way (a folder where a config goes) is a conflict;
- any other existing file is the user's and is kept.

The conventions' folders are planned where nothing established plays their part. The
templates are rendered one batch per stack (:func:`scaffold.render.render_many`).
``AGENTS.md`` is written from the detection: the project as it is. Nothing is written
until :func:`apply_adoption` is given the plan, and then all of it or nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from scaffold.adopters import RECIPES, Recipe, TomlTables, WholeFile
from scaffold.adopters.base import Migration, read_json, read_toml
from scaffold.errors import InvalidAnswerError, TargetError, UsageError, listed, shortened
from scaffold.merge import MergeError, merge_toml, parse_toml, split_text, toml_has
from scaffold.model import Action, Conventions, DetectWarning, FileAction, Plan, Project

if TYPE_CHECKING:
    from scaffold.render import RenderedFiles
    from scaffold.repo.listing import WorkTreeChanges
    from scaffold.templates import TemplateSpec

AGENTS_FILE = "AGENTS.md"


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectAdoption:
    path: str
    stack: str | None
    status: Literal["planned", "skipped"]
    reason: str = ""
    answers: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": self.path, "stack": self.stack, "status": self.status}
        if self.reason:
            entry["reason"] = self.reason
        return entry


@dataclass(frozen=True, slots=True)
class AdoptResult:
    root: Path
    plan: Plan
    projects: tuple[ProjectAdoption, ...]
    applied: bool = False
    warnings: tuple[DetectWarning, ...] = ()

    @property
    def pending(self) -> bool:
        return bool(self.plan.writes)

    @property
    def conflicted(self) -> bool:
        """Some of the conventions cannot be applied without the user: something is in
        the way of a file or folder the plan would add."""
        return bool(self.plan.conflicts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "command": "adopt",
            "root": str(self.root),
            "applied": self.applied,
            "projects": [p.to_dict() for p in self.projects],
            "counts": self.plan.counts(),
            "files": [a.to_dict() for a in self.plan.actions],
            "warnings": [{"file": w.file, "message": w.message} for w in self.warnings],
        }


# --- planning ---------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ancestors(root: Path, folder: Path) -> list[Path]:
    """Folders above ``folder`` up to ``root`` included, nearest first."""
    found = []
    current = folder
    while current != root and root in current.parents:
        current = current.parent
        found.append(current)
    return found


class MigrationFailed(Exception):
    """A migration command that could not run or did not succeed."""


def run_migration(migration: Migration, name: str, content: bytes) -> bytes:
    """The migrated config: ``content`` saved as ``name`` in a scratch folder, the migration
    command run there, and its result read back. Nothing outside the scratch folder is
    written."""
    import shutil
    import subprocess

    from scaffold.interrupts import scratch_folder

    program = migration.command[0]
    if shutil.which(program) is None:
        raise MigrationFailed(f"{program} is not installed")
    with scratch_folder(".scaffold-migrate-") as scratch:
        Path(scratch, name).write_bytes(content)
        command = [part.replace("{file}", name) for part in migration.command]
        try:
            completed = subprocess.run(
                command,
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=300,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise MigrationFailed(str(error).splitlines()[0]) from None
        if completed.returncode != 0:
            output = (completed.stderr or completed.stdout).strip().splitlines()
            raise MigrationFailed(output[-1] if output else f"exit status {completed.returncode}")
        result = Path(scratch, migration.writes or name)
        if not result.is_file():
            raise MigrationFailed(f"it wrote no {result.name}")
        return result.read_bytes()


class _Planner:
    def __init__(self, root: Path, *, migrate: bool = False) -> None:
        self.root = root
        self.migrate = migrate
        self.actions: dict[PurePosixPath, FileAction] = {}
        self._manifests: dict[Path, dict[str, Any]] = {}
        # Nothing is written while planning: what is on disk is looked up once per path
        # (every project asks about the same folders above it).
        self._exists: dict[Path, bool] = {}
        self._ancestors: dict[Path, list[Path]] = {}
        self._workspace_tables: dict[tuple[Path, str], bool | None] = {}
        self._root_prefix = str(root).rstrip(os.sep) + os.sep

    def manifest(self, path: Path) -> dict[str, Any]:
        """The JSON manifest at ``path`` (``{}`` if none), read once per plan: every rule
        of every project below it asks for the same package.json."""
        if path not in self._manifests:
            self._manifests[path] = read_json(path)
        return self._manifests[path]

    def exists(self, path: Path) -> bool:
        """Whether ``path`` exists (a symbolic link: whether what it points to does)."""
        found = self._exists.get(path)
        if found is None:
            found = self._exists[path] = path.exists()
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

    def add(self, action: FileAction) -> None:
        self.actions.setdefault(action.path, action)

    def planned_create(self, path: Path) -> bool:
        action = self.actions.get(self.rel(path))
        return action is not None and action.action is Action.CREATE

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
            same = _same_text(destination.read_bytes(), content)
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
            for parent in self.ancestors(folder):
                for other in (name, *rule.alternatives):
                    if self.exists(parent / other) or self.planned_create(parent / other):
                        covered = self.rel(parent / other).as_posix()
                        reason = rule.skip_reason(name, other, covered, "covered by")
                        self.add(FileAction(rel, Action.SKIP, reason))
                        return
                for manifest, key in rule.manifest_keys:
                    if key in self.manifest(parent / manifest):
                        where = f'{self.rel(parent / manifest).as_posix()} "{key}"'
                        reason = rule.skip_reason(name, key, where, "covered by")
                        self.add(FileAction(rel, Action.SKIP, reason))
                        return
        self.add(FileAction(rel, Action.CREATE, "", content, mode))

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
                self._workspace_tables[key] = _workspace_table(read_toml(manifest), table)
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
            self.add(FileAction(self.rel(found), Action.MIGRATE, reason, migrated, mode, _sha(old)))
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
        configs: tuple[str, ...] = (),
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
        raw = destination.read_bytes()
        try:
            text, form = split_text(raw)
            document = parse_toml(text, name)
            if rule.requires and not toml_has(document, rule.requires):
                reason = f"has no [{rule.requires}] table; not adding {', '.join(rule.tables)}"
                self.add(FileAction(rel, Action.SKIP, reason))
                return
            for table in rule.unless:
                if toml_has(document, table):
                    self.add(FileAction(rel, Action.SKIP, f"already has [{table}]"))
                    return
            if rule.shared and (holder := self.shared_by(folder, name, document, rule.shared[0])):
                table, opt_in = rule.shared
                tables = _bracketed(rule.tables)
                reason = f"{holder} has [{table}] for its members ({opt_in}); {tables} not added"
                self.add(FileAction(rel, Action.SKIP, reason))
                return
            merged = merge_toml(document, content.decode("utf-8"), rule.tables, name)
        except UnicodeDecodeError:
            self.add(FileAction(rel, Action.SKIP, "not UTF-8 text; left alone"))
            return
        except MergeError as error:
            self.add(FileAction(rel, Action.SKIP, f"{error}; left alone"))
            return
        if not merged.added:
            if merged.kept:
                reason = f"has its own {_bracketed(merged.kept)}; yours is kept"
                self.add(FileAction(rel, Action.SKIP, reason))
            else:
                self.add(FileAction(rel, Action.IDENTICAL, "already configured"))
            return
        form_kept = f"; kept: {form.describe()}" if form.describe() else ""
        self.add(
            FileAction(
                rel,
                Action.MERGE,
                "adds " + ", ".join(merged.added) + form_kept,
                form.restore(merged.text),
                destination.stat().st_mode & 0o777,
                _sha(raw),
            )
        )


def _same_text(existing: bytes, wanted: bytes) -> str | None:
    """``""`` if ``existing`` is ``wanted``; if it holds the same text written in another
    form (CRLF line endings, a BOM, no final newline), words for that form; else None."""
    if existing == wanted:
        return ""
    try:
        text, form = split_text(existing)
        same = text == split_text(wanted)[0]
    except UnicodeDecodeError:
        return None
    if not same:
        return None
    return f"the same text, with {form.describe()}" if form.describe() else "the same text"


def _bracketed(tables: tuple[str, ...]) -> str:
    """TOML table names as a reader sees them: ``[tool.ruff], [lints]``."""
    return ", ".join(f"[{table}]" for table in tables)


def _workspace_table(document: Any, table: str) -> bool | None:
    """Whether a manifest that holds ``workspace`` holds ``table``; None if it holds no
    ``workspace``."""
    return toml_has(document, table) if toml_has(document, "workspace") else None


def _plan_folders(
    planner: _Planner,
    folder: Path,
    recipe: Recipe,
    convention_folders: tuple[str, ...],
    layout: Mapping[str, Any] | None,
    answers: Mapping[str, Any],
) -> None:
    """The conventions' folders the project lacks: created only where nothing established
    already plays their part, otherwise listed with the reason."""
    if recipe.folders_do_not_apply(folder) is not None:
        return
    layout = layout or {}
    root_question = layout.get("root") if layout.get("root_is_question") else None
    package = str(answers.get(root_question, "")) if root_question else ""
    names: dict[str, tuple[str, ...]] = {
        str(answers.get(q["question"], "")): tuple(q.get("names", ()))
        for q in layout.get("folders") or ()
    }
    flat = recipe.source_suffix and any(
        p.is_file() and p.name.endswith(recipe.source_suffix) for p in folder.iterdir()
    )
    for wanted in convention_folders:
        if "<" in wanted:
            continue  # a placeholder such as <group path>: not a literal folder
        parts = wanted.split("/")
        if package:  # the conventions' package (app/) is the project's own
            parts = parts[1:]
            base = folder / package
        else:
            base = folder
        if not parts or (base / "/".join(parts)).is_dir():
            continue
        target = base / "/".join(parts)
        rel = planner.rel(target / recipe.placeholder)
        leaf = parts[-1]
        blocking = next(
            (
                prefix
                for prefix in (base.joinpath(*parts[: i + 1]) for i in range(len(parts)))
                if prefix.is_symlink() or (prefix.exists() and not prefix.is_dir())
            ),
            None,
        )
        if blocking is not None and base.is_dir():
            where = planner.rel(blocking).as_posix()
            planner.add(FileAction(rel, Action.CONFLICT, f"{where} is in the way, not a folder"))
            continue
        if package and not base.is_dir():
            reason = f"the code is not in the {package}/ package; its own layout is kept"
        elif leaf in recipe.never_create:
            reason = recipe.never_create[leaf]
        elif equivalent := _equivalent(base, leaf, recipe, names.get(leaf, ())):
            where = planner.rel(base).as_posix()
            where = "" if where == "." else f"{where}/"
            reason = f"{where}{equivalent} already plays this part"
        elif not_here := recipe.folder_does_not_apply(folder, leaf):
            reason = not_here
        elif flat and not package:
            reason = f"the code sits at the top of the project; {wanted}/ is not added"
        else:
            planner.add(FileAction(rel, Action.CREATE, f"the conventions' {wanted}/", b"", 0o644))
            continue
        planner.add(FileAction(rel, Action.SKIP, reason))


def _equivalent(base: Path, leaf: str, recipe: Recipe, names: tuple[str, ...]) -> str | None:
    """What already plays the part of the folder ``base/leaf``: a folder by another name
    the stack or the layout accepts, or (where modules are packages) a module; None if
    nothing does."""
    for name in (*recipe.equivalents.get(leaf, ()), *names):
        if name != leaf and (base / name).is_dir():
            return f"{name}/"
    if recipe.modules_are_packages:
        for name in dict.fromkeys((leaf, *recipe.equivalents.get(leaf, ()), *names)):
            module = f"{name}{recipe.source_suffix}"
            if (base / module).is_file():
                return module
    return None


def _from_project(project_path: str, config: str) -> str:
    """``config`` (relative to the repository, maybe with a ``[table]`` suffix) as seen
    from the project's folder."""
    path, bracket, table = config.partition("[")
    relative = os.path.relpath(path, project_path).replace(os.sep, "/")
    return relative + bracket + table


def _agents_md(
    project: Project, convention_folders: tuple[str, ...], commands: tuple[str, ...]
) -> str:
    what = project.language + (f" / {project.framework}" if project.framework else "")
    build = f", built with {project.build_tool}" if project.build_tool else ""
    lines = [
        f"# Working on {project.path if project.path != '.' else 'this project'}",
        "",
        f"A {what} project{build}. Follow the layout and style it already has.",
        "",
        "## Layout",
        "",
    ]
    if project.source_dirs:
        lines += [f"- `{folder}/`" for folder in project.source_dirs]
    else:
        lines.append("- the code lives at the top of the project")
    if project.architecture:
        lines += [
            "",
            f"Architecture: {project.architecture}. Put new code beside the code it resembles.",
        ]
    if convention_folders:
        lines += [
            "",
            "Where the project has no established place for a kind of code, the conventions' "
            "folders are: " + ", ".join(f"`{f}/`" for f in convention_folders) + ".",
        ]
    lines += ["", "## Commands", "", "```sh", *commands, "```", "", "## Style", ""]
    indent = project.style.indent
    if indent is not None:
        size = f" of {indent.size}" if indent.size else ""
        lines.append(f"- indentation: {indent.style}s{size}")
    if project.style.naming:
        lines.append(f"- naming: {project.style.naming}")
    if project.configs:
        # Detection names files from the repository's root; AGENTS.md sits in the project.
        configs = [_from_project(project.path, config) for config in project.configs]
        lines.append("- configuration in force: " + ", ".join(f"`{c}`" for c in configs))
    lines.append("- match the formatting of the files you change; do not reformat others")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A project to adopt, with the answers its template is rendered with."""

    project: Project
    recipe: Recipe
    answers: Mapping[str, Any]
    folders: tuple[str, ...]  # the conventions' folders for its stack
    layout: Mapping[str, Any] | None


def accepted_answers(
    spec: TemplateSpec, given: Mapping[str, Any], inferred: Mapping[str, Any], *, origin: str
) -> dict[str, Any]:
    """``given`` and the ``inferred`` answers, checked against the template's questions.

    ``given`` must pass (a bad value there is the user's to fix, and an error naming
    ``origin``). An inferred value the template refuses (an edition or a Python version it
    does not offer, a name it cannot take) is left out, so the template's default stands:
    the others are kept, in order, each checked with those before it.
    """
    from scaffold.templates import check_answers

    where = dict.fromkeys([*given, *inferred], origin)
    try:
        return check_answers(spec, {**given, **inferred}, origin=where)
    except InvalidAnswerError:
        answers = check_answers(spec, given, origin=where)
    for name, value in inferred.items():
        with contextlib.suppress(InvalidAnswerError):
            answers = check_answers(spec, {**answers, name: value})
    return answers


def _prepare(
    root: Path, found: Project, stack: str | None, conventions: Conventions
) -> _Prepared | ProjectAdoption:
    """The stack and checked answers for ``found``, or why it is skipped."""
    from scaffold.conventions import layout_answers
    from scaffold.templates import get_stack, load_template

    chosen = stack or found.stack
    recipe = RECIPES.get(chosen or "")
    if recipe is None:
        reason = f"no template for {chosen} yet" if chosen else "no stack recognised"
        return ProjectAdoption(found.path, chosen, "skipped", reason)
    spec = load_template(get_stack(recipe.stack).template)
    convention = conventions.for_template(recipe.stack)
    layout = spec.metadata.get("layout")
    inferred = recipe.infer(root / found.path, found)
    inferred = {k: v for k, v in inferred.items() if k in spec.questions and k != "adopted"}
    # The conventions' layout where the code says nothing else.
    layout_given = layout_answers(layout, convention) if layout and convention else {}
    given: dict[str, Any] = {
        k: v for k, v in layout_given.items() if k in spec.questions and k not in inferred
    }
    given["adopted"] = True
    answers = accepted_answers(spec, given, inferred, origin=found.path)
    folders = convention.folders if convention else ()
    return _Prepared(found, recipe, answers, folders, layout)


def _render_all(prepared: list[_Prepared]) -> dict[str, RenderedFiles]:
    """Each project's template rendered with its answers, by project path: one batch per
    stack (see :func:`scaffold.render.render_many`)."""
    from scaffold.render import render_many
    from scaffold.templates import get_stack, template_source

    by_stack: dict[str, list[_Prepared]] = {}
    for entry in prepared:
        by_stack.setdefault(entry.recipe.stack, []).append(entry)
    rendered: dict[str, RenderedFiles] = {}
    for stack_id, entries in by_stack.items():
        source = template_source(get_stack(stack_id))
        results = render_many(source, [entry.answers for entry in entries])
        rendered.update((e.project.path, r) for e, r in zip(entries, results, strict=True))
    return rendered


def plan_adoption(
    root: Path,
    *,
    project: str | None = None,
    stack: str | None = None,
    conventions: Conventions | None = None,
    allow_dirty: bool = False,
    migrate: bool = False,
) -> AdoptResult:
    """Everything ``scaffold adopt`` would do in ``root``; writes nothing in it.

    With ``migrate``, configs in a legacy format are converted by their tools' own
    migrations (run on copies, in scratch folders); otherwise they are kept and reported.
    """
    from scaffold.conventions import load_conventions
    from scaffold.detect import detect_repository, detect_with_changes

    if stack is not None:
        from scaffold.templates import get_stack

        get_stack(stack)  # an unknown stack is a usage error, before any work
    root = Path(os.path.abspath(root))
    if not root.is_dir():
        raise TargetError(f"{shortened(str(root))} is not a folder")
    if allow_dirty:
        detection = detect_repository(root)
    else:
        detection, changes = detect_with_changes(root)
        _refuse_dirty(root, changes)
    conventions = conventions or load_conventions()
    projects = list(detection.projects)
    if project is not None:
        wanted = PurePosixPath(project).as_posix().strip("/") or "."
        projects = [p for p in projects if p.path == wanted]
        if not projects:
            known = listed(p.path for p in detection.projects)
            raise UsageError(f"no project at {shortened(wanted)} (projects found: {known})")
    if stack is not None and len(projects) != 1:
        raise UsageError("--stack applies to one project: name it with --project")

    # Shallow projects first, so a config planned at a parent covers its children.
    ordered = sorted(projects, key=lambda p: (p.path.count("/"), p.path))
    prepared: list[_Prepared | ProjectAdoption] = [
        _prepare(root, found, stack, conventions) for found in ordered
    ]
    rendered = _render_all([p for p in prepared if isinstance(p, _Prepared)])

    planner = _Planner(root, migrate=migrate)
    outcomes: list[ProjectAdoption] = []
    for entry in prepared:
        if isinstance(entry, ProjectAdoption):
            outcomes.append(entry)
            continue
        found, recipe, folder = entry.project, entry.recipe, root / entry.project.path
        files = rendered[entry.project.path]
        for rel, rendered_file in files.files.items():
            name = rel.as_posix()
            rule = recipe.rules.get(name, WholeFile())
            if isinstance(rule, TomlTables):
                planner.toml_tables(folder, name, rendered_file.content, rule, found.configs)
            else:
                planner.whole_file(folder, name, rendered_file.content, rendered_file.mode, rule)
        used = dict(files.answers)
        _plan_folders(planner, folder, recipe, entry.folders, entry.layout, used)
        agents = _agents_md(found, entry.folders, recipe.commands(folder, found)).encode("utf-8")
        planner.whole_file(folder, AGENTS_FILE, agents, 0o644, WholeFile())
        outcomes.append(ProjectAdoption(found.path, recipe.stack, "planned", "", used))
    plan = Plan(root, tuple(sorted(planner.actions.values(), key=lambda a: a.path.as_posix())))
    return AdoptResult(root, plan, tuple(outcomes), warnings=detection.warnings)


def _refuse_dirty(root: Path, changes: WorkTreeChanges | None) -> None:
    """Stop unless git sees nothing uncommitted below ``root`` (outside git there is nothing
    to compare with: the plan is the review)."""
    if changes is None:
        return
    if changes.error is not None:
        raise TargetError(f"git status failed in {root}: {changes.error}")
    if changes.paths:
        raise TargetError(
            f"{root} has uncommitted changes ({len(changes.paths)} paths); commit or stash "
            "them, or pass --allow-dirty: a clean tree lets you review and revert what adopt "
            "writes"
        )


def apply_adoption(result: AdoptResult) -> AdoptResult:
    """Write the plan: all of it or nothing (see :func:`scaffold.apply.apply_plan`)."""
    from scaffold.apply import apply_plan

    apply_plan(result.plan)
    return AdoptResult(result.root, result.plan, result.projects, True, result.warnings)
