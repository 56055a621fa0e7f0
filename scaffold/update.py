"""``scaffold update``: bring templated projects to a newer template version.

copier's three-way update does the merge; this module finds the projects (each
``.copier-answers.yml`` under the folder, so a monorepo updates every project it holds),
makes the template's version history reachable, checks what copier needs first (a git
work tree with nothing uncommitted), and turns copier's failures into scaffold's errors.
A dry run performs the same update in a scratch clone and reports what would change.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from scaffold.errors import TargetError, TemplateError, UsageError, first_line
from scaffold.git import WorkTree, open_work_tree
from scaffold.render import ANSWERS_FILE

ConflictMode = Literal["inline", "rej"]
Mode = Literal["update", "dry-run", "check"]
Status = Literal["up-to-date", "updated", "pending"]


@dataclass(frozen=True, slots=True)
class TemplatedProject:
    """A project generated from a template: where it is and what its answers file says."""

    path: str  # POSIX, relative to the work tree's folder; "." for the folder itself
    src_path: str
    version: str | None


@dataclass(frozen=True, slots=True)
class ProjectUpdate:
    """The outcome for one project."""

    project: TemplatedProject
    to_version: str | None
    status: Status
    changed: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.project.path,
            "template": self.project.src_path,
            "from_version": self.project.version,
            "to_version": self.to_version,
            "status": self.status,
            "changed": list(self.changed),
            "conflicts": list(self.conflicts),
        }


@dataclass(frozen=True, slots=True)
class UpdateResult:
    root: Path
    mode: Mode
    projects: tuple[ProjectUpdate, ...]

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "command": "update",
            "root": str(self.root),
            "mode": self.mode,
            "projects": [p.to_dict() for p in self.projects],
            "conflicts": list(self.conflicts),
        }


def _load_answers(path: Path) -> dict[str, Any]:
    import yaml

    from scaffold.templates import load_yaml

    try:
        loaded = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise TargetError(f"cannot read {path}: {first_line(error)}") from None
    if not isinstance(loaded, dict):
        raise TargetError(f"{path} is not a copier answers file")
    return loaded


def find_projects(tree: WorkTree) -> list[TemplatedProject]:
    """Every tracked answers file in the folder, shallowest first."""
    listed = tree.git("ls_files", "-z", "--", tree.folder)
    projects = []
    for name in sorted(filter(None, listed.split("\0")), key=lambda n: (n.count("/"), n)):
        if Path(name).name != ANSWERS_FILE:
            continue
        answers_path = tree.root / name
        answers = _load_answers(answers_path)
        src_path = answers.get("_src_path")
        if not isinstance(src_path, str):
            continue
        commit = answers.get("_commit")
        rel = answers_path.parent.relative_to(tree.folder).as_posix()
        projects.append(TemplatedProject(rel, src_path, str(commit) if commit else None))
    return projects


def _prepare_source(src_path: str) -> None:
    """For scaffold's own templates, add this scaffold's versions to the user's history."""
    from scaffold import __version__
    from scaffold.history import USER_TEMPLATES, HistoryError, install_history
    from scaffold.templates import history_bundle

    if not src_path.startswith(USER_TEMPLATES + "/"):
        return
    stack = src_path.rsplit("/", 1)[-1]
    bundle = history_bundle(stack)
    if bundle.is_file():
        try:
            install_history(bundle, stack, __version__)
        except HistoryError as error:
            raise TemplateError(f"cannot install the {stack} template history: {error}") from None


def latest_version(src_path: str) -> str | None:
    """The newest PEP 440 tag of the template at ``src_path`` (a repository or bundle)."""
    location = os.path.expanduser(src_path)
    try:
        proc = subprocess.run(
            ["git", "ls-remote", "--tags", "--refs", location],
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},  # fail, not ask, for a password
        )
    except OSError as error:
        raise TemplateError(f"cannot run git: {error.strerror}") from None
    if proc.returncode != 0:
        raise TemplateError(f"the template {src_path} cannot be read; is it still there?")
    tags = [
        line.split("refs/tags/", 1)[1] for line in proc.stdout.splitlines() if "refs/tags/" in line
    ]
    from scaffold.history import newest_tag

    return newest_tag(tags)


def _normalise_version(text: str) -> str:
    return text if text.startswith("v") else f"v{text}"


def _run_copier_update(project_dir: Path, to: str | None, conflict: ConflictMode) -> None:
    import copier
    from copier.errors import CopierError, UserMessageError

    try:
        copier.run_update(
            project_dir,
            vcs_ref=to,
            defaults=True,
            overwrite=True,
            skip_answered=True,
            conflict=conflict,
            quiet=True,
            unsafe=False,
        )
    except UserMessageError as error:
        raise TargetError(f"cannot update {project_dir}: {first_line(error)}") from None
    except (CopierError, ValueError, OSError, subprocess.CalledProcessError) as error:
        raise TemplateError(f"updating {project_dir} failed: {first_line(error)}") from None


def _update_one(
    tree: WorkTree, project: TemplatedProject, to: str | None, conflict: ConflictMode
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    project_dir = tree.folder / project.path
    project_tree = WorkTree(tree.repo, tree.root, project_dir.resolve())
    _run_copier_update(project_dir, to, conflict)
    changed = tuple(project_tree.changed_paths())
    conflicts = list(project_tree.unmerged_paths())
    if conflict == "rej":
        conflicts += [p for p in changed if p.endswith(".rej")]
    return changed, tuple(sorted(set(conflicts)))


def update_projects(
    folder: Path,
    *,
    to: str | None = None,
    dry_run: bool = False,
    check: bool = False,
    conflict: ConflictMode = "inline",
) -> UpdateResult:
    """Update every templated project under ``folder`` (see the module's description).

    ``check`` only compares versions; ``dry_run`` updates a scratch clone. Neither
    writes anything in ``folder``.
    """
    folder = Path(os.path.abspath(folder))
    if not folder.is_dir():
        raise TargetError(f"{folder} is not a folder")
    tree = open_work_tree(folder)
    projects = find_projects(tree)
    if not projects:
        raise TargetError(
            f"no {ANSWERS_FILE} found under {folder}: nothing here was generated from a template"
        )
    target = _normalise_version(to) if to else None

    # Installing this scaffold's template versions touches only its own data folder in the
    # user's home, never ``folder``, so checks and dry runs do it too.
    # Projects made from one template share its history: each source is read once.
    newest: dict[str, str | None] = {}
    plans: list[tuple[TemplatedProject, str | None]] = []
    for project in projects:
        if project.src_path not in newest:
            _prepare_source(project.src_path)
            newest[project.src_path] = None if target else latest_version(project.src_path)
        plans.append((project, target or newest[project.src_path]))

    mode: Mode = "check" if check else "dry-run" if dry_run else "update"
    outcomes: list[ProjectUpdate] = []
    if check:
        for project, wanted in plans:
            status: Status = (
                "up-to-date" if wanted is None or wanted == project.version else "pending"
            )
            outcomes.append(ProjectUpdate(project, wanted, status))
        return UpdateResult(folder, mode, tuple(outcomes))

    dirty = tree.status_lines()
    if dirty:
        raise UsageError(
            f"{folder} has uncommitted changes ({len(dirty)} paths); commit or stash them "
            "first, so that the update can be reviewed and reverted"
        )
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="scaffold-update-") as scratch:
            scratch_tree = _scratch_clone(tree, Path(scratch, "repo"))
            outcomes = _apply_updates(scratch_tree, plans, conflict, pending=True)
        return UpdateResult(folder, mode, tuple(outcomes))
    return UpdateResult(folder, mode, tuple(_apply_updates(tree, plans, conflict, pending=False)))


def _scratch_clone(tree: WorkTree, clone: Path) -> WorkTree:
    """The committed state of ``tree``'s repository in ``clone``, at the same folder."""
    from git import GitCommandError

    try:
        copy = tree.repo.clone(str(clone), no_checkout=True)
        copy.git.checkout(tree.repo.head.commit.hexsha, quiet=True)
    except (GitCommandError, ValueError) as error:
        raise TargetError(f"cannot copy {tree.root} for the dry run: {first_line(error)}") from None
    return open_work_tree(clone / tree.folder.relative_to(tree.root))


def _apply_updates(
    tree: WorkTree,
    plans: list[tuple[TemplatedProject, str | None]],
    conflict: ConflictMode,
    *,
    pending: bool,
) -> list[ProjectUpdate]:
    outcomes = []
    for project, wanted in plans:
        if wanted is not None and wanted == project.version:
            outcomes.append(ProjectUpdate(project, wanted, "up-to-date"))
            continue
        changed, conflicts = _update_one(tree, project, wanted, conflict)
        status: Status = "up-to-date" if not changed else "pending" if pending else "updated"
        outcomes.append(ProjectUpdate(project, wanted, status, changed, conflicts))
    return outcomes
