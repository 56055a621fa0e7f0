"""``scaffold update``: bring templated projects to a newer template version.

copier's three-way update does the merge; this module finds the projects (each
``.copier-answers.yml`` under the folder, so a monorepo updates every project it holds),
checks what the answers files say before anything uses it (a template source scaffold
knows, a version that is a version), makes the template's version history reachable, and
checks what copier needs (a git work tree with nothing uncommitted).

copier never runs in the user's work tree: every project is updated in a scratch clone of
the repository's last commit, and what changed there becomes a plan (files created,
changed and deleted, with the conflicts) that :func:`scaffold.apply.apply_plan`, the one
writer, applies whole or not at all. A dry run is the same without the last step.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from scaffold.errors import (
    ScaffoldError,
    TargetError,
    TemplateError,
    UsageError,
    first_line,
    listed,
    shown,
)
from scaffold.model import Action, FileAction, Plan
from scaffold.render import ANSWERS_FILE
from scaffold.repo.git import WorkTree, first_stderr_line, open_work_tree, run_git

ConflictMode = Literal["inline", "rej"]
Mode = Literal["update", "dry-run", "check"]
Status = Literal["up-to-date", "updated", "pending"]

#: An answers file is a few hundred bytes; a bound keeps a hostile one from costing much.
MAX_ANSWERS_BYTES = 1024 * 1024
#: What a recorded version (``_commit``) or ``--to`` may look like: a tag or ``git
#: describe`` output, never an option, a revision expression or a path outside refs.
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")


@dataclass(frozen=True, slots=True)
class TemplatedProject:
    """A project generated from a template: where it is and what its answers file says."""

    path: str  # POSIX, relative to the work tree's folder; "." for the folder itself
    src_path: str
    version: str | None


@dataclass(frozen=True, slots=True)
class ProjectUpdate:
    """The outcome for one project; ``files`` are its actions, paths relative to it."""

    project: TemplatedProject
    to_version: str | None
    status: Status
    files: tuple[FileAction, ...] = ()
    conflicts: tuple[str, ...] = ()

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "command": "update",
            "root": str(self.root),
            "mode": self.mode,
            "projects": [p.to_dict() for p in self.projects],
            "conflicts": list(self.conflicts),
        }


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


def _is_url(source: str) -> bool:
    return "://" in source or bool(re.match(r"[\w.-]+@[\w.-]+:", source))


def _same_source(recorded: str, named: str) -> bool:
    if _is_url(recorded) or _is_url(named):
        return recorded == named
    return os.path.abspath(os.path.expanduser(recorded)) == os.path.abspath(
        os.path.expanduser(named)
    )


def scaffold_source(src_path: str) -> bool:
    """Whether ``src_path`` is one of scaffold's own templates: the per-user history of a
    bundled stack (what installed releases record), or a bundled template folder (what a
    source checkout records)."""
    from scaffold.history import user_template_path
    from scaffold.templates import stack_ids, templates_root

    stacks = stack_ids()
    if any(src_path == user_template_path(stack) for stack in stacks):
        return True
    if not os.path.isabs(src_path):
        return False
    root = templates_root().resolve()
    return any(Path(src_path).resolve() == root / stack for stack in stacks)


def check_source(src_path: object, where: str, allowed: Collection[str]) -> str:
    """``src_path``, read from ``where``, if scaffold may give it to git and copier: one of
    scaffold's own templates, or a folder or URL the user named (``allowed``)."""
    if not isinstance(src_path, str) or not src_path.strip():
        raise TargetError(f"{where}: the template source is not a path or URL")
    if src_path.startswith("-") or "::" in src_path or not src_path.isprintable():
        raise TargetError(
            f"{where}: refusing the template source {shown(src_path)}: it is not a folder or a URL"
        )
    if scaffold_source(src_path):
        return src_path
    if any(_same_source(src_path, named) for named in allowed):
        return src_path
    raise TargetError(
        f"{where}: the template source {shown(src_path, 200)} is not one of scaffold's templates; "
        "if you trust it, name it with --allow-source"
    )


def check_version(version: object, where: str, error: type[ScaffoldError] = TargetError) -> str:
    """A recorded version (``_commit``) or ``--to``: a tag name, never an option."""
    text = str(version) if isinstance(version, str | int | float) else None
    if text is None or not _VERSION.fullmatch(text) or text.endswith(".lock") or ".." in text:
        raise error(f"{where}: {shown(version)} is not a template version")
    return text


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
        src_path = check_source(answers["_src_path"], f"{name} (_src_path)", allowed)
        commit = answers.get("_commit")
        version = check_version(commit, f"{name} (_commit)") if commit is not None else None
        rel = answers_path.parent.relative_to(tree.folder).as_posix()
        projects.append(TemplatedProject(rel, src_path, version))
    return projects


def _untracked_answers(tree: WorkTree) -> list[str]:
    listed = tree.git("ls-files", "-z", "--others", "--exclude-standard", "--", tree.folder)
    return sorted(n for n in listed.split("\0") if PurePosixPath(n).name == ANSWERS_FILE)


# --- the template's versions -------------------------------------------------------------


@contextlib.contextmanager
def template_git_environment(src_path: str) -> Iterator[None]:
    """While git and copier read the template ``src_path``: git may use only the local
    transport for scaffold's own templates (any for a source the user named), and never
    asks for a password."""
    changes = {"GIT_TERMINAL_PROMPT": "0"}
    if scaffold_source(src_path) or not _is_url(src_path):
        changes["GIT_ALLOW_PROTOCOL"] = "file"
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def template_versions(src_path: str) -> list[str]:
    """The release tags of the template at ``src_path`` (a repository or bundle)."""
    location = os.path.expanduser(src_path)
    with template_git_environment(src_path):
        proc = run_git(
            Path.cwd(), ["ls-remote", "--tags", "--refs", "--", location],
            check=False, error=TemplateError,
        )  # fmt: skip
    if proc.returncode != 0:
        raise TemplateError(f"the template {src_path} cannot be read; is it still there?")
    from scaffold.history import version_of

    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    tags = [line.split("refs/tags/", 1)[1] for line in lines if "refs/tags/" in line]
    versioned = sorted((v, t) for t in tags if (v := version_of(t)) is not None)
    return [tag for _, tag in versioned]


def latest_version(src_path: str) -> str | None:
    """The newest PEP 440 tag of the template at ``src_path``."""
    versions = template_versions(src_path)
    return versions[-1] if versions else None


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


def _normalise_version(text: str) -> str:
    return text if text.startswith("v") else f"v{text}"


def _wanted_version(src_path: str, versions: Sequence[str], target: str | None) -> str | None:
    if target is None:
        return versions[-1] if versions else None
    if target not in versions:
        raise UsageError(
            f"the template {src_path} has no version {target}; versions: "
            f"{listed(versions[::-1], 10)}"
        )
    return target


# --- updating, in a scratch clone ----------------------------------------------------------


def _run_copier_update(
    project_dir: Path,
    shown_path: str,
    src_path: str,
    to: str | None,
    conflict: ConflictMode,
    scratch: Path,
) -> None:
    """copier's update of ``project_dir`` (in a scratch clone); copier's own temporary
    files go in ``scratch``."""
    import copier
    from copier.errors import CopierError, UserMessageError

    from scaffold.interrupts import temporary_files_in
    from scaffold.repo.git import hardened_git

    try:
        with (
            template_git_environment(src_path),
            hardened_git(),
            temporary_files_in(scratch / "tmp"),
        ):
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
        raise TargetError(
            f"cannot update {shown_path}: {first_line(error)}; nothing was changed"
        ) from None
    except (CopierError, ValueError, OSError, subprocess.CalledProcessError) as error:
        raise TemplateError(
            f"updating {shown_path} failed: {first_line(error)}; nothing was changed"
        ) from None


def update_projects(
    folder: Path,
    *,
    to: str | None = None,
    dry_run: bool = False,
    check: bool = False,
    conflict: ConflictMode = "inline",
    allowed_sources: Collection[str] = (),
) -> UpdateResult:
    """Update every templated project under ``folder`` (see the module's description).

    ``check`` only compares versions; ``dry_run`` computes the update and writes nothing.
    ``allowed_sources`` are template sources (folders, URLs) the user accepts besides
    scaffold's own templates.
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
        raise TargetError(
            f"no {ANSWERS_FILE} found under {folder}: nothing here was generated from a template"
        )
    target = _normalise_version(check_version(to, "--to", UsageError)) if to else None

    # Installing this scaffold's template versions touches only its own data folder in the
    # user's home, never ``folder``, so checks and dry runs do it too.
    # Projects made from one template share its history: each source is read once.
    versions: dict[str, list[str]] = {}
    plans: list[tuple[TemplatedProject, str | None]] = []
    for project in projects:
        if project.src_path not in versions:
            _prepare_source(project.src_path)
            versions[project.src_path] = template_versions(project.src_path)
        plans.append(
            (project, _wanted_version(project.src_path, versions[project.src_path], target))
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

    from scaffold.interrupts import scratch_folder

    with scratch_folder("scaffold-update-") as scratch:
        scratch_tree = _scratch_clone(tree, scratch / "repo")
        for project, wanted in due.items():
            shown_path = (tree.folder / project.path).relative_to(tree.root).as_posix()
            _run_copier_update(
                scratch_tree.folder / project.path,
                shown_path,
                project.src_path,
                wanted,
                conflict,
                scratch,
            )
        changes = _scratch_changes(scratch_tree, tree, conflict)
        plan = Plan(tree.root, tuple(changes.actions))
        outcomes: list[ProjectUpdate] = []
        for project, version in plans:
            if project not in due:
                outcomes.append(ProjectUpdate(project, version, "up-to-date"))
                continue
            prefix = (tree.folder / project.path).relative_to(tree.root).as_posix()
            files = _under(plan.actions, prefix)
            conflicts = _under_paths(changes.conflicts, prefix)
            status: Status = "up-to-date" if not files else "pending" if dry_run else "updated"
            outcomes.append(ProjectUpdate(project, version, status, files, conflicts))
        if not dry_run and plan.writes:
            from scaffold.apply import apply_plan

            changes.copy_objects(scratch_tree, tree)
            apply_plan(plan, finish=lambda: changes.mark_unmerged(tree))
    return UpdateResult(folder, mode, tuple(outcomes), plan)


def _under(actions: Sequence[FileAction], prefix: str) -> tuple[FileAction, ...]:
    if prefix in ("", "."):
        return tuple(actions)
    start = prefix + "/"
    return tuple(
        FileAction(
            PurePosixPath(a.path.as_posix()[len(start) :]),
            a.action,
            a.reason,
            a.content,
            a.mode,
            a.original_sha256,
        )
        for a in actions
        if a.path.as_posix().startswith(start)
    )


def _under_paths(paths: Sequence[str], prefix: str) -> tuple[str, ...]:
    if prefix in ("", "."):
        return tuple(paths)
    start = prefix + "/"
    return tuple(p[len(start) :] for p in paths if p.startswith(start))


def _scratch_clone(tree: WorkTree, clone: Path) -> WorkTree:
    """The committed state of ``tree``'s repository in ``clone``, at the same folder."""
    head = tree.head_commit()
    for cwd, args in (
        (tree.root, ["clone", "--quiet", "--no-checkout", "--", str(tree.root), str(clone)]),
        (clone, ["checkout", "--quiet", head]),
    ):
        proc = run_git(cwd, args, check=False)
        if proc.returncode != 0:
            raise TargetError(
                f"cannot copy {tree.root} to update it: {first_stderr_line(proc)}; "
                "nothing was changed"
            )
    return open_work_tree(clone / tree.folder.relative_to(tree.root))


@dataclass
class _Changes:
    """What copier changed in the scratch clone, as actions on the user's work tree, and
    the index entries of the conflicts it left (``mode sha stage`` per path)."""

    actions: list[FileAction] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    unmerged: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    def copy_objects(self, scratch: WorkTree, tree: WorkTree) -> None:
        """Put the blobs of the conflicts' index entries in the user's object store (loose
        objects nothing refers to until the index does)."""
        for entries in self.unmerged.values():
            for _mode, sha, _stage in entries:
                if run_git(tree.root, ["cat-file", "-e", sha], check=False).returncode == 0:
                    continue
                blob = run_git(scratch.root, ["cat-file", "blob", sha]).stdout
                run_git(tree.root, ["hash-object", "-w", "--stdin"], stdin=blob)

    def mark_unmerged(self, tree: WorkTree) -> None:
        """Record the conflicts in the user's index as copier does, so ``git status`` shows
        them unmerged and ``git commit`` waits for them to be resolved."""
        lines = []
        for path, entries in sorted(self.unmerged.items()):
            lines.append(f"0 {'0' * 40}\t{path}")
            lines += [f"{mode} {sha} {stage}\t{path}" for mode, sha, stage in entries]
        if lines:
            run_git(tree.root, ["update-index", "--index-info"], stdin="\n".join(lines).encode())


def _scratch_changes(scratch: WorkTree, tree: WorkTree, conflict: ConflictMode) -> _Changes:
    """Every path copier changed in ``scratch`` (against the last commit), planned against
    the user's work tree ``tree``: created, changed or deleted, or a conflict where
    something of the user's is in the way."""
    from scaffold.apply import sha256_of

    prefix = scratch.prefix
    status = run_git(
        scratch.root,
        [
            "status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=all",
            "--ignored=traditional", "--", ".",
        ],
    ).stdout.decode("utf-8", "surrogateescape")  # fmt: skip
    changes = _Changes()
    for entry in filter(None, status.split("\0")):
        code, rel = entry[:2], entry[3:]
        if prefix and not rel.startswith(prefix + "/"):
            continue
        source = scratch.root / rel
        mine = tree.root / rel
        path = PurePosixPath(rel)
        new_file = os.path.lexists(source)
        if new_file and not stat.S_ISREG(source.lstat().st_mode):
            raise TemplateError(
                f"the template version makes {rel} something else than a file; nothing was changed"
            )
        if os.path.lexists(mine) and not (mine.is_file() and not mine.is_symlink()):
            changes.actions.append(
                FileAction(path, Action.CONFLICT, "something of yours is in the way; kept")
            )
            changes.conflicts.append(rel)
            continue
        if code in ("??", "!!") and os.path.lexists(mine):
            # Not in the last commit, yet in the work tree: a file git ignores. Yours.
            changes.actions.append(
                FileAction(path, Action.CONFLICT, "you have this file (ignored by git); kept")
            )
            changes.conflicts.append(rel)
            continue
        if not new_file:
            if os.path.lexists(mine):
                changes.actions.append(
                    FileAction(path, Action.DELETE, original_sha256=sha256_of(mine))
                )
            continue
        content = source.read_bytes()
        mode = stat.S_IMODE(source.stat().st_mode)
        if not os.path.lexists(mine):
            changes.actions.append(FileAction(path, Action.CREATE, content=content, mode=mode))
        elif mine.read_bytes() != content or stat.S_IMODE(mine.stat().st_mode) != mode:
            changes.actions.append(
                FileAction(
                    path, Action.CHANGE, content=content, mode=mode,
                    original_sha256=sha256_of(mine),
                )
            )  # fmt: skip
        if conflict == "rej" and rel.endswith(".rej"):
            changes.conflicts.append(rel)
    for line in run_git(scratch.root, ["ls-files", "-u", "-z"]).stdout.decode().split("\0"):
        if not line:
            continue
        info, rel = line.split("\t", 1)
        file_mode, sha, stage = info.split()
        if prefix and not rel.startswith(prefix + "/"):
            continue
        changes.unmerged.setdefault(rel, []).append((file_mode, sha, stage))
    changes.conflicts = sorted(set(changes.conflicts) | set(changes.unmerged))
    changes.actions.sort(key=lambda action: action.path)
    return changes
