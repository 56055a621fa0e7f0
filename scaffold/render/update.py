"""Which template sources and versions scaffold gives git and copier, and copier's
three-way update itself.

An answers file is untrusted: its source must be one of scaffold's own templates or one the
user named, its version a tag name (never an option or a revision expression). While git
and copier read a template, git may use only the local transport for scaffold's own
templates, and never asks for a password.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
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
from scaffold.repo.git import environment_with, run_git

ConflictMode = Literal["inline", "rej"]

#: What a recorded version (``_commit``) or ``--to`` may look like: a tag or ``git
#: describe`` output, never an option, a revision expression or a path outside refs.
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")


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
    bundled stack (what every install records), or a bundled template folder (what a source
    checkout recorded before it kept a history too, and still records without git)."""
    from scaffold.ecosystems import template_folders
    from scaffold.history import user_template_path

    if any(src_path == user_template_path(stack) for stack in template_folders()):
        return True
    return _stack_of_bundled_folder(src_path) is not None


def _stack_of_bundled_folder(src_path: str) -> str | None:
    """The stack whose bundled template folder ``src_path`` names by its absolute path."""
    from scaffold.ecosystems import template_folders

    if not os.path.isabs(src_path):
        return None
    recorded = Path(src_path).resolve()
    return next(
        (stack for stack, folder in template_folders().items() if recorded == folder.resolve()),
        None,
    )


def portable_source(src_path: str) -> str:
    """The source to read for a recorded ``src_path``: for the folder of one of scaffold's
    bundled templates (the absolute path that an answers file made from a source checkout
    recorded before, which git cannot read as a repository), that stack's per-user history,
    which holds the same versions; else ``src_path`` itself."""
    from scaffold.history import user_template_path

    stack = _stack_of_bundled_folder(src_path)
    return user_template_path(stack) if stack is not None else src_path


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


# --- the template's versions -------------------------------------------------------------


def template_git_environment(src_path: str) -> contextlib.AbstractContextManager[None]:
    """While git and copier read the template ``src_path``: git may use only the local
    transport for a folder, scaffold's own templates among them (any for a URL the user
    named), and never asks for a password."""
    changes = {"GIT_TERMINAL_PROMPT": "0"}
    if not _is_url(src_path):  # scaffold's own templates are folders too
        changes["GIT_ALLOW_PROTOCOL"] = "file"
    return environment_with(changes)


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


def prepare_source(src_path: str) -> None:
    """For scaffold's own templates, add this scaffold's versions to the user's history
    (from the bundle a wheel ships, or the template folder of a source checkout)."""
    from scaffold.ecosystems import template_folders
    from scaffold.history import USER_TEMPLATES, HistoryError
    from scaffold.templates import install_template_history

    if not src_path.startswith(USER_TEMPLATES + "/"):
        return
    stack = src_path.rsplit("/", 1)[-1]
    folder = template_folders().get(stack)
    if folder is None:
        return
    try:
        install_template_history(stack, folder)
    except HistoryError as error:
        raise TemplateError(f"cannot install the {stack} template history: {error}") from None


def normalise_version(text: str) -> str:
    return text if text.startswith("v") else f"v{text}"


def wanted_version(src_path: str, versions: Sequence[str], target: str | None) -> str | None:
    if target is None:
        return versions[-1] if versions else None
    if target not in versions:
        raise UsageError(
            f"the template {src_path} has no version {target}; versions: "
            f"{listed(versions[::-1], 10)}"
        )
    return target


# --- updating, in a scratch clone ----------------------------------------------------------


def run_copier_update(
    project_dir: Path,
    shown_path: str,
    src_path: str,
    to: str | None,
    conflict: ConflictMode,
    scratch: Path,
) -> Mapping[str, Any]:
    """copier's update of ``project_dir`` (in a scratch clone); copier's own temporary
    files go in ``scratch``. Returns the ``_scaffold`` block of the template version the
    project was updated to (empty when it has none)."""
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
            worker = copier.run_update(
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
    # copier read the new version's copier.yml while updating (its settings, "_" dropped).
    metadata = worker.template.config_data.get("scaffold")
    return metadata if isinstance(metadata, Mapping) else {}
