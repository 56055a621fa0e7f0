"""``scaffold adopt``: bring an existing repository onto the conventions without breaking it.

For every project of the repository's own that detection finds (not its examples, fixtures,
tests...: see :mod:`scaffold.plan.scope`), or those ``--project`` names, whose stack has a
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
``AGENTS.md`` is written from the detection: the projects as they are, all of them in one
at the root (a polyglot repository's top-level services get their own too), imported by
the ``CLAUDE.md`` that would hide it. Nothing is written
until :func:`apply_adoption` is given the plan, and then all of it or nothing.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack

from scaffold.adopters import RECIPES, Recipe, TomlTables, WholeFile
from scaffold.errors import TargetError, UsageError, listed, shortened
from scaffold.model import Action, Conventions, Detection, DetectWarning, Plan, Project
from scaffold.results import outcome_code, repository_envelope

if TYPE_CHECKING:
    from scaffold.render import RenderedFiles
    from scaffold.repo.listing import WorkTreeChanges
from scaffold.plan.adopt import AdoptPlanner, RenderedProject
from scaffold.plan.agents import AgentsEntry, plan_agents_files
from scaffold.plan.answers_files import share_answers_files
from scaffold.plan.folders import plan_folders
from scaffold.plan.renders import PreparedProject, prepare_projects
from scaffold.plan.shared_configs import share_configs
from scaffold.plan.workspace_lints import share_workspace_lints
from scaffold.plan.workspace_roots import workspace_setups

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

    @property
    def exit_code(self) -> int:
        """3 while the plan waits to be written (a check, a dry run, a plan not confirmed),
        4 when something is in the way of what the conventions ask for, else 0."""
        return outcome_code(pending=self.pending and not self.applied, conflicted=self.conflicted)

    def folder_counts(self) -> dict[str, dict[str, int]]:
        """How many files each action takes, by folder: the adopted project a file belongs
        to (the deepest whose folder holds it; ``"."`` for the rest), in path order, for
        the reviewer of a monorepo's change."""
        from collections import Counter

        folders = {p.path for p in self.projects if p.status == "planned" and p.path != "."}
        tallies: dict[str, Counter[str]] = {}
        for action in self.plan.actions:
            folder = posixpath.dirname(action.path.as_posix())
            while folder and folder not in folders:  # the deepest project above it
                folder = posixpath.dirname(folder)
            tallies.setdefault(folder or ".", Counter())[action.action.value] += 1
        return {
            folder: {a.value: tally[a.value] for a in Action if tally[a.value]}
            for folder, tally in sorted(tallies.items(), key=lambda item: (item[0] != ".", item[0]))
        }

    def to_dict(self) -> dict[str, Any]:
        return repository_envelope(
            "adopt",
            self.root,
            self.projects,
            applied=self.applied,
            counts=self.plan.counts(),
            files=[a.to_dict() for a in self.plan.actions],
            warnings=[{"file": w.file, "message": w.message} for w in self.warnings],
            folder_counts=self.folder_counts(),
        )


def _recipe_of(found: Project, stack: str | None) -> tuple[Project, Recipe] | ProjectAdoption:
    """``found`` and the recipe of its stack (``stack`` if given), or why it is skipped."""
    chosen = stack or found.stack
    recipe = RECIPES.get(chosen or "")
    if recipe is None:
        reason = f"no template for {chosen} yet" if chosen else "no stack recognised"
        return ProjectAdoption(found.path, chosen, "skipped", reason)
    return found, recipe


class AdoptOptions(TypedDict, total=False):
    """What ``scaffold adopt`` is asked for besides the repository: its flags, by name."""

    #: The projects to adopt (one path or several), whatever folder they are in.
    project: str | Sequence[str] | None
    #: Adopt examples, samples, fixtures and the like too.
    include_examples: bool
    #: The stack of the one project named, instead of the detected one.
    stack: str | None
    #: The agent definition whose conventions apply.
    agent: Path | None
    #: Go on with uncommitted changes in the work tree.
    allow_dirty: bool
    #: Convert legacy configs with their tools' own migrations.
    migrate: bool


def plan_adoption(
    root: Path, *, conventions: Conventions | None = None, **options: Unpack[AdoptOptions]
) -> AdoptResult:
    """Everything ``scaffold adopt`` would do in ``root``; writes nothing in it.

    By default the repository's own projects are adopted: examples, samples, demos, test
    fixtures, tests, benchmarks, playgrounds, documentation and projects a workspace
    excludes are reported as skipped (see :mod:`scaffold.plan.scope`), unless
    ``include_examples``. ``project`` names the projects to adopt (one path, or several),
    whatever folder they are in.

    The conventions are ``conventions``, by default those of the agent definition ``agent``
    or the one in force (see :func:`scaffold.conventions.load_conventions`).

    With ``migrate``, configs in a legacy format are converted by their tools' own
    migrations (run on copies, in scratch folders); otherwise they are kept and reported.
    """
    from scaffold.conventions import load_conventions
    from scaffold.detect import detect_repository, detect_with_changes

    project, stack = options.get("project"), options.get("stack")
    conventions = conventions or load_conventions(options.get("agent"))
    if stack is not None:
        from scaffold.templates import get_stack

        get_stack(stack)  # an unknown stack is a usage error, before any work
    root = Path(os.path.abspath(root))
    if not root.is_dir():
        raise TargetError(f"{shortened(str(root))} is not a folder")
    if options.get("allow_dirty", False):
        detection = detect_repository(root)
    else:
        detection, changes = detect_with_changes(root)
        _refuse_dirty(root, changes)
    projects = list(detection.projects)
    named = (project,) if isinstance(project, str) else tuple(project or ())
    out_of_scope: dict[str, str] = {}
    if named:
        by_path = {p.path: p for p in projects}
        wanted = list(dict.fromkeys(PurePosixPath(n).as_posix().strip("/") or "." for n in named))
        for path in wanted:
            if path not in by_path:
                known = listed(p.path for p in detection.projects)
                raise UsageError(f"no project at {shortened(path)} (projects found: {known})")
        projects = [by_path[path] for path in wanted]
    elif not options.get("include_examples", False):
        from scaffold.plan.scope import out_of_scope as scope_skips

        out_of_scope = scope_skips(projects, detection.facts, root)
    if stack is not None and len(projects) != 1:
        raise UsageError("--stack applies to one project: name it with --project")

    # Shallow projects first, so a config planned at a parent covers its children.
    ordered = sorted(projects, key=lambda p: (p.path.count("/"), p.path))
    entries: list[tuple[Project, Recipe] | ProjectAdoption] = [
        ProjectAdoption(found.path, found.stack, "skipped", out_of_scope[found.path])
        if found.path in out_of_scope
        else _recipe_of(found, stack)
        for found in ordered
    ]
    ready = prepare_projects(root, [e for e in entries if isinstance(e, tuple)], conventions)
    rendered = {path: entry.rendered for path, entry in ready.items()}

    planner = AdoptPlanner(root, migrate=options.get("migrate", False), facts=detection.facts)
    adopting = [ready[e[0].path] for e in entries if isinstance(e, tuple)]
    renders = [RenderedProject(e.project, e.recipe, rendered[e.project.path]) for e in adopting]
    opting_in: frozenset[PurePosixPath] = frozenset()
    setups: list[PreparedProject] = []
    if not named:  # projects named on purpose keep their configs in their own folders
        # A workspace root's shared setup first, so that it covers its packages.
        setups = workspace_setups(root, detection.projects, ready, conventions)
        for setup in setups:
            _plan_rendered(planner, setup, setup.rendered)
        again, opting_in = share_workspace_lints(planner, renders, projects)
        rendered.update(again)
        share_configs(planner, renders)
    # Where each member of a workspace is one (its folder: its workspace's).
    workspace_of = (
        {}
        if named
        else {
            member: owner.path
            for owner in detection.projects
            if owner.workspace is not None
            for member in owner.workspace.members
        }
    )
    outcomes: list[ProjectAdoption] = []
    for item in entries:
        if isinstance(item, ProjectAdoption):
            outcomes.append(item)
            continue
        entry = ready[item[0].path]
        found, recipe, folder = entry.project, entry.recipe, root / entry.project.path
        files = rendered[entry.project.path]
        _plan_rendered(planner, entry, files)
        used = dict(files.answers)
        plan_folders(
            planner,
            folder,
            recipe,
            entry.folders,
            entry.layout,
            used,
            found,
            workspace_of.get(found.path),
        )
        outcomes.append(ProjectAdoption(found.path, recipe.stack, "planned", "", used))
    if not named:
        share_answers_files(planner, [*setups, *adopting], opting_in)
        outcomes = _with_setups(outcomes, setups)
    described = _as_planned(detection, planner, adopting)
    plan_agents_files(planner, described, one_per_project=bool(named))
    plan = Plan(root, tuple(sorted(planner.actions.values(), key=lambda a: a.path.as_posix())))
    return AdoptResult(root, plan, tuple(outcomes), warnings=detection.warnings)


def _plan_rendered(planner: AdoptPlanner, entry: PreparedProject, files: RenderedFiles) -> None:
    """Plan each file rendered for ``entry`` by its rule."""
    folder = planner.root / entry.project.path
    for rel, rendered_file in files.files.items():
        name = rel.as_posix()
        rule = entry.recipe.rules.get(name, WholeFile())
        if isinstance(rule, TomlTables):
            planner.toml_tables(folder, name, rendered_file.content, rule, entry.project.configs)
        else:
            planner.whole_file(folder, name, rendered_file.content, rendered_file.mode, rule)


def _with_setups(
    outcomes: list[ProjectAdoption], setups: Sequence[PreparedProject]
) -> list[ProjectAdoption]:
    """``outcomes`` with each workspace root that takes its packages' shared setup planned,
    as that."""
    shared = {setup.project.path: setup for setup in setups}
    return [
        ProjectAdoption(
            outcome.path,
            shared[outcome.path].recipe.stack,
            "planned",
            "the configs its packages share",
            dict(shared[outcome.path].rendered.answers),
        )
        if outcome.path in shared
        else outcome
        for outcome in outcomes
    ]


def _as_planned(
    detection: Detection, planner: AdoptPlanner, adopted: Sequence[PreparedProject]
) -> list[AgentsEntry]:
    """The adopted projects as ``AGENTS.md`` describes them: as the plan leaves them (its
    configs in force, its folders), so that the next adoption finds the same text."""
    from scaffold.detect.engine import detect_planned
    from scaffold.render import ANSWERS_FILE

    # The answers file is neither code nor a config: it changes nothing detection finds.
    writes = {
        action.path.as_posix(): action.content
        for action in planner.actions.values()
        if action.action in _PLANNED_CONTENT
        and action.content is not None
        and action.path.name != ANSWERS_FILE
    }
    after: dict[str, Project] = {}
    changed = _touched(writes, [entry.project.path for entry in adopted])
    if changed and detection.view is not None:
        planned = detect_planned(detection.view, writes, changed, detection.facts)
        after = {p.path: p for p in planned}
    described = []
    for entry in adopted:
        project = after.get(entry.project.path, entry.project)
        folder = planner.root / project.path
        commands = entry.recipe.commands(folder, project)
        advice = entry.recipe.advice(folder, project)
        described.append(AgentsEntry(project, entry.folders, commands, advice))
    return described


def _touched(writes: Mapping[str, bytes], projects: Sequence[str]) -> list[str]:
    """The ``projects`` (paths from the root) that a file of ``writes`` is inside of, or
    sits in a folder above (a config there applies to them too)."""
    from scaffold.detect.paths import ancestors

    direct = {posixpath.dirname(path) for path in writes}  # "" for the root
    below = {folder for written in direct for folder in ancestors(written)}
    return [
        project
        for project in projects
        if (folder := "" if project == "." else project) in below
        or not direct.isdisjoint(ancestors(folder))
    ]


#: The actions whose content is what the file holds once the plan is applied.
_PLANNED_CONTENT = frozenset({Action.CREATE, Action.MERGE, Action.MIGRATE, Action.CHANGE})


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


def adopt_repository(
    root: Path, *, dry_run: bool = False, **options: Unpack[AdoptOptions]
) -> AdoptResult:
    """``scaffold adopt --yes``: the plan (see :func:`plan_adoption`), applied unless
    ``dry_run``. A dry run writes nothing, so it runs with uncommitted changes too."""
    options["allow_dirty"] = options.get("allow_dirty", False) or dry_run
    planned = plan_adoption(root, **options)
    return planned if dry_run or not planned.pending else apply_adoption(planned)


def apply_adoption(result: AdoptResult) -> AdoptResult:
    """Write the plan: all of it or nothing (see :func:`scaffold.plan.apply.apply_plan`)."""
    from scaffold.plan.apply import apply_plan

    apply_plan(result.plan)
    return AdoptResult(result.root, result.plan, result.projects, True, result.warnings)
