"""``scaffold update``: bring templated projects to a newer template version.

copier's three-way update does the merge; this module finds the projects (each
``.copier-answers.yml`` under the folder, so a monorepo updates every project it holds),
checks what the answers files say before anything uses it (a template source scaffold
knows, a version that is a version), makes the template's version history reachable, and
checks what copier needs (a git work tree with nothing uncommitted).

copier never runs in the user's work tree: every project is updated in a scratch clone of
the repository's last commit, and what changed there becomes a plan (files created,
changed and deleted, with the conflicts) that :func:`scaffold.plan.apply.apply_plan`, the one
writer, applies whole or not at all. A dry run is the same without the last step.

When the version a project is updated to declares a lockfile (``_scaffold.lockfile``) and
the project has none, the stack's tool makes it in the scratch clone, as ``scaffold new``
does (:mod:`scaffold.commands.lockfile`), so it joins the plan like any file the update
creates; never on a dry run, and a missing or failing tool only leaves it out.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from scaffold.commands.lockfile import Lockfile
from scaffold.errors import (
    TargetError,
    UsageError,
    first_line,
)
from scaffold.model import FileAction, Plan
from scaffold.plan.update import (
    Unmerged,
    record_source,
    scratch_changes,
    scratch_clone,
    set_aside_unmerged,
)
from scaffold.render import ANSWERS_FILE
from scaffold.render.update import (
    ConflictMode,
    check_source,
    check_version,
    normalise_version,
    portable_source,
    prepare_source,
    run_copier_update,
    template_versions,
    wanted_version,
)
from scaffold.repo.git import WorkTree, open_work_tree
from scaffold.results import outcome_code, repository_envelope

Mode = Literal["update", "dry-run", "check"]
Status = Literal["up-to-date", "updated", "pending"]

#: An answers file is a few hundred bytes; a bound keeps a hostile one from costing much.
MAX_ANSWERS_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class TemplatedProject:
    """A project generated from a template: where it is and what its answers file says."""

    path: str  # POSIX, relative to the work tree's folder; "." for the folder itself
    src_path: str  # the source read (see :func:`scaffold.render.update.portable_source`)
    version: str | None
    recorded_src_path: str = ""  # as the answers file has it, when it differs


@dataclass(frozen=True, slots=True)
class ProjectUpdate:
    """The outcome for one project; ``files`` are its actions, paths relative to it."""

    project: TemplatedProject
    to_version: str | None
    status: Status
    files: tuple[FileAction, ...] = ()
    conflicts: tuple[str, ...] = ()
    lockfile: Lockfile | None = None  # of a project the update reached

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(action.path.as_posix() for action in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.project.path,
            "template": self.project.src_path,
            "from_version": self.project.version,
            "to_version": self.to_version,
            "status": self.status,
            "changed": list(self.changed),
            "files": [action.to_dict() for action in self.files],
            "conflicts": list(self.conflicts),
            "lockfile": self.lockfile.to_dict() if self.lockfile else None,
        }


@dataclass(frozen=True, slots=True)
class UpdateResult:
    root: Path
    mode: Mode
    projects: tuple[ProjectUpdate, ...]
    plan: Plan | None = field(default=None, repr=False)

    @property
    def conflicts(self) -> tuple[str, ...]:
        return tuple(
            c if p.project.path == "." else f"{p.project.path}/{c}"
            for p in self.projects
            for c in p.conflicts
        )

    @property
    def pending(self) -> bool:
        return any(p.status == "pending" for p in self.projects)

    @property
    def exit_code(self) -> int:
        """A check or dry run: 3 when a newer version would change something, else 0. An
        update: 4 when it left conflicts to resolve, else 0."""
        updating = self.mode == "update"
        return outcome_code(
            pending=self.pending and not updating, conflicted=bool(self.conflicts) and updating
        )

    def to_dict(self) -> dict[str, Any]:
        return repository_envelope(
            "update", self.root, self.projects, mode=self.mode, conflicts=list(self.conflicts)
        )


# --- what the answers files say, checked ---------------------------------------------------


def _load_answers(path: Path, shown_path: str) -> dict[str, Any]:
    """The answers file at ``path`` (``shown_path`` in messages): a regular file, within
    its size bound, of bounded YAML."""
    import yaml

    from scaffold.templates import load_yaml
    from scaffold.untrusted import UntrustedInputError, read_limited

    if path.is_symlink():
        raise TargetError(f"{shown_path} is a symbolic link; an answers file must be a file")
    try:
        loaded = load_yaml(read_limited(path, MAX_ANSWERS_BYTES).decode("utf-8"))
    except UntrustedInputError as error:
        raise TargetError(f"{shown_path} {error.reason}") from None
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise TargetError(f"cannot read {shown_path}: {first_line(error)}") from None
    if not isinstance(loaded, dict):
        raise TargetError(f"{shown_path} is not a copier answers file")
    return loaded


def find_projects(tree: WorkTree, allowed: Collection[str] = ()) -> list[TemplatedProject]:
    """Every tracked answers file in the folder, shallowest first, each checked."""
    listed = tree.git("ls-files", "-z", "--", tree.folder)
    projects = []
    for name in sorted(filter(None, listed.split("\0")), key=lambda n: (n.count("/"), n)):
        if PurePosixPath(name).name != ANSWERS_FILE:
            continue
        answers_path = tree.root / name
        answers = _load_answers(answers_path, name)
        if "_src_path" not in answers:
            continue  # answers of something else than a template copier can update
        recorded = check_source(answers["_src_path"], f"{name} (_src_path)", allowed)
        src_path = portable_source(recorded)
        commit = answers.get("_commit")
        version = check_version(commit, f"{name} (_commit)") if commit is not None else None
        rel = answers_path.parent.relative_to(tree.folder).as_posix()
        moved = recorded if recorded != src_path else ""
        projects.append(TemplatedProject(rel, src_path, version, moved))
    return projects


def _untracked_answers(tree: WorkTree) -> list[str]:
    listed = tree.git("ls-files", "-z", "--others", "--exclude-standard", "--", tree.folder)
    return sorted(n for n in listed.split("\0") if PurePosixPath(n).name == ANSWERS_FILE)


def update_projects(
    folder: Path,
    *,
    to: str | None = None,
    dry_run: bool = False,
    check: bool = False,
    conflict: ConflictMode = "inline",
    allowed_sources: Collection[str] = (),
    lock: bool = False,
) -> UpdateResult:
    """Update every templated project under ``folder`` (see the module's description).

    ``check`` only compares versions; ``dry_run`` computes the update and writes nothing.
    ``allowed_sources`` are template sources (folders, URLs) the user accepts besides
    scaffold's own templates. With ``lock`` (the command line's default; ``--no-lock``
    turns it off), a project updated to a version that declares a lockfile it lacks gets
    one, made by the stack's tool with the update (see
    :func:`scaffold.commands.lockfile.plan_update_lockfile`); on a dry run the result says
    whether it would. A missing or failing tool is reported, never an error.
    """
    folder = Path(os.path.abspath(folder))
    if not folder.is_dir():
        raise TargetError(f"{folder} is not a folder")
    tree = open_work_tree(folder)
    projects = find_projects(tree, allowed_sources)
    if not projects:
        untracked = _untracked_answers(tree)
        if untracked:
            raise TargetError(
                f"{untracked[0]} is not committed: commit it first, so that the update "
                "can be reviewed and reverted"
            )
        above = _answers_above(folder, tree.root)
        if above is not None:  # a workspace member whose settings its workspace shares
            raise TargetError(
                f"no {ANSWERS_FILE} under {folder}: its settings come from the project at "
                f"{above}; run scaffold update {above}"
            )
        raise TargetError(
            f"no {ANSWERS_FILE} found under {folder}: nothing here was generated from a template"
        )
    target = normalise_version(check_version(to, "--to", UsageError)) if to else None

    # Installing this scaffold's template versions touches only its own data folder in the
    # user's home, never ``folder``, so checks and dry runs do it too.
    # Projects made from one template share its history: each source is read once.
    versions: dict[str, list[str]] = {}
    plans: list[tuple[TemplatedProject, str | None]] = []
    for project in projects:
        if project.src_path not in versions:
            prepare_source(project.src_path)
            versions[project.src_path] = template_versions(project.src_path)
        plans.append(
            (project, wanted_version(project.src_path, versions[project.src_path], target))
        )

    mode: Mode = "check" if check else "dry-run" if dry_run else "update"
    if check:
        return UpdateResult(
            folder,
            mode,
            tuple(
                ProjectUpdate(
                    project,
                    wanted,
                    "up-to-date" if wanted is None or wanted == project.version else "pending",
                )
                for project, wanted in plans
            ),
        )

    dirty = tree.status_lines()
    if dirty:
        raise TargetError(
            f"{folder} has uncommitted changes ({len(dirty)} paths); commit or stash them "
            "first, so that the update can be reviewed and reverted"
        )
    due = {p: version for p, version in plans if version is not None and version != p.version}
    if not due:
        return UpdateResult(
            folder, mode, tuple(ProjectUpdate(p, version, "up-to-date") for p, version in plans)
        )

    from scaffold.commands.lockfile import make_lockfile, plan_update_lockfile
    from scaffold.interrupts import scratch_folder

    lockfiles: dict[TemplatedProject, Lockfile] = {}
    with scratch_folder("scaffold-update-") as scratch:
        scratch_tree = scratch_clone(tree, scratch / "repo")
        set_aside: Unmerged = {}
        for project, wanted in due.items():
            shown_path = (tree.folder / project.path).relative_to(tree.root).as_posix()
            if project.recorded_src_path:
                record_source(scratch_tree, project.path, project.src_path)
            metadata = run_copier_update(
                scratch_tree.folder / project.path,
                shown_path,
                project.src_path,
                wanted,
                conflict,
                scratch,
            )
            set_aside |= set_aside_unmerged(scratch_tree)
            lockfiles[project] = plan_update_lockfile(
                metadata,
                project.src_path,
                scratch_tree.folder / project.path,
                tree.folder / project.path,
                wanted=lock,
            )
        if not dry_run:  # in the scratch clone: the lockfile joins the plan
            for project, planned in lockfiles.items():
                lockfiles[project] = make_lockfile(scratch_tree.folder / project.path, planned)
        changes = scratch_changes(scratch_tree, tree, conflict, set_aside)
        plan = Plan(tree.root, tuple(changes.actions))
        outcomes: list[ProjectUpdate] = []
        # Each file is reported once, with the deepest project updated that holds it.
        prefixes = [(tree.folder / p.path).relative_to(tree.root).as_posix() for p in due]
        for project, version in plans:
            if project not in due:
                outcomes.append(ProjectUpdate(project, version, "up-to-date"))
                continue
            prefix = (tree.folder / project.path).relative_to(tree.root).as_posix()
            nested = [other for other in prefixes if _below(other, prefix) not in (None, ".")]
            files = _under(plan.actions, prefix, nested)
            conflicts = _under_paths(changes.conflicts, prefix, nested)
            status: Status = "up-to-date" if not files else "pending" if dry_run else "updated"
            outcomes.append(
                ProjectUpdate(project, version, status, files, conflicts, lockfiles[project])
            )
        if not dry_run and plan.writes:
            from scaffold.plan.apply import apply_plan

            changes.copy_objects(scratch_tree, tree)
            apply_plan(plan, finish=lambda: changes.mark_unmerged(tree))
    return UpdateResult(folder, mode, tuple(outcomes), plan)


def _answers_above(folder: Path, root: Path) -> Path | None:
    """The nearest folder above ``folder``, up to ``root``, that holds an answers file."""
    within = (p for p in folder.parents if p == root or root in p.parents)
    return next((p for p in within if (p / ANSWERS_FILE).is_file()), None)


def _below(path: str, prefix: str) -> str | None:
    """``path`` relative to the folder ``prefix`` ("" or "." for the root), or None when it
    lies elsewhere."""
    if prefix in ("", "."):
        return path
    return path[len(prefix) + 1 :] if path.startswith(prefix + "/") else None


def _under(
    actions: Sequence[FileAction], prefix: str, nested: Sequence[str] = ()
) -> tuple[FileAction, ...]:
    """The ``actions`` in the folder ``prefix``, and in none of its ``nested`` folders,
    with paths relative to it."""
    return tuple(
        replace(action, path=PurePosixPath(rel))
        for action in actions
        if (rel := _below(action.path.as_posix(), prefix)) is not None
        and not any(_below(action.path.as_posix(), other) is not None for other in nested)
    )


def _under_paths(paths: Sequence[str], prefix: str, nested: Sequence[str] = ()) -> tuple[str, ...]:
    return tuple(
        rel
        for path in paths
        if (rel := _below(path, prefix)) is not None
        and not any(_below(path, other) is not None for other in nested)
    )
