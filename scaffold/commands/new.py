"""``scaffold new``: a new project from a bundled template, planned first, written last."""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold.commands.first_commit import (
    NOT_ASKED,
    FirstCommit,
    GitStatus,
    make_first_commit,
    plan_first_commit,
)
from scaffold.commands.lockfile import (
    LOCK_NOT_ASKED,
    Lockfile,
    lock_step,
    make_lockfile,
    plan_lockfile,
)
from scaffold.conventions import agent_file, layout_answers, load_conventions
from scaffold.errors import (
    ExitCode,
    InvalidAnswerError,
    TargetError,
    TemplateError,
    first_line,
    shown_path,
)
from scaffold.model import Conventions, Plan, Stack
from scaffold.plan.agents import CLAUDE_FILES
from scaffold.plan.apply import apply_plan, existing_ancestor
from scaffold.plan.new import plan_new
from scaffold.render import RenderedFile, render_template
from scaffold.results import envelope
from scaffold.templates import (
    TemplateSpec,
    check_answers,
    get_stack,
    load_template,
    template_source,
)

#: Where to get git when it is missing.
GIT_INSTALL = "https://git-scm.com/downloads"


@dataclass(frozen=True, slots=True)
class ToolHint:
    """A program the next steps run, whether it is on PATH, and how to get it."""

    name: str
    found: bool
    install: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class NewResult:
    """What ``scaffold new`` did, or would do on a dry run."""

    stack: Stack
    target: Path
    plan: Plan
    answers: dict[str, Any]
    next_steps: tuple[str, ...]
    dry_run: bool
    git: FirstCommit = NOT_ASKED
    tools: tuple[ToolHint, ...] = ()
    lockfile: Lockfile = LOCK_NOT_ASKED

    @property
    def exit_code(self) -> int:
        """0: the project is written, or on a dry run planned (what fails before writing
        raises); 1 when git failed after the files were written (they stay)."""
        return ExitCode.ERROR if self.git.status is GitStatus.FAILED else ExitCode.OK

    @property
    def failure(self) -> str:
        """The one line that says what state a git failure left ("" when none did)."""
        if self.git.status is not GitStatus.FAILED:
            return ""
        where = "not committed" if self.git.initialised else "not in a git repository"
        return (
            f"created {shown_path(self.target)} ({len(self.plan.actions)} files), but "
            f"{self.git.reason}; the files are in place, {where}"
        )

    def to_dict(self) -> dict[str, Any]:
        return envelope(
            "new",
            stack=self.stack.id,
            target=str(self.target),
            dry_run=self.dry_run,
            answers=self.answers,
            files=[a.to_dict() for a in self.plan.actions],
            lockfile=self.lockfile.to_dict(),
            git=self.git.to_dict(),
            next_steps=list(self.next_steps),
            tools=[tool.to_dict() for tool in self.tools],
        )


def check_new_target(target: Path) -> Path:
    """``target`` as an absolute path, if a new project may be written there."""
    # abspath, not resolve(): normalise ".." without following the user's symlinks.
    target = Path(os.path.abspath(target))
    try:
        return _check_new_target(target)
    except OSError as error:  # a name too long for the filesystem, a folder we may not read
        reason = error.strerror or first_line(error)
        raise TargetError(f"cannot create a project at {shown_path(target)}: {reason}") from None


def _check_new_target(target: Path) -> Path:
    where = shown_path(target)
    if target.is_symlink() and not target.exists():
        raise TargetError(f"{where} is a broken symbolic link")
    if target.exists():
        if not target.is_dir():
            raise TargetError(f"{where} exists and is not a folder")
        if any(target.iterdir()):
            raise TargetError(
                f"{where} is not empty; to bring an existing project onto the conventions, "
                f"run: scaffold adopt {where}"
            )
    elif not (ancestor := existing_ancestor(target.parent)).is_dir():
        raise TargetError(f"{shown_path(ancestor)} is not a folder")
    return target


_AGENTS = PurePosixPath("AGENTS.md")
_CLAUDE = PurePosixPath("CLAUDE.md")
CLAUDE_IMPORTING_AGENTS = b"@AGENTS.md\n"


def claude_md_above(target: Path) -> Path | None:
    """The nearest ``CLAUDE.md`` above ``target`` inside the git repository that holds it,
    if there is one (``None`` outside a repository). Claude Code reads an ``AGENTS.md`` only
    where no ``CLAUDE.md`` sits in its folder or above, so such a file hides ``target``'s."""
    found: Path | None = None
    for folder in target.parents:
        if found is None:
            for name in CLAUDE_FILES:
                if (folder / name).is_file():
                    found = folder / name
                    break
        if (folder / ".git").exists():
            return found
    return None


# --- next steps -------------------------------------------------------------------------


def cd_path(target: Path, cwd: Path | None = None) -> str | None:
    """How ``cd`` reaches ``target`` from ``cwd`` (the working folder), as a shell word:
    relative when ``target`` lies below ``cwd``, else absolute (a ``..`` would be read by the
    shell from its own, logical, folder); ``None`` when ``target`` is ``cwd``."""
    try:
        base = Path(os.path.abspath(cwd if cwd is not None else os.getcwd()))
    except OSError:  # the working folder was removed
        return shlex.quote(str(target))
    if target == base:
        return None
    if target.is_relative_to(base):
        relative = target.relative_to(base).as_posix()
        return shlex.quote(f"./{relative}" if relative.startswith("-") else relative)
    return shlex.quote(str(target))


def next_steps(
    spec: TemplateSpec,
    answers: Mapping[str, Any],
    target: Path,
    git: FirstCommit,
    lockfile: Lockfile = LOCK_NOT_ASKED,
) -> tuple[str, ...]:
    """The template's next steps for ``answers``, with an exact ``cd`` from the working folder
    and, after it, the commands that finish what ``new`` could not do: the lock command
    (before the git commands, so that the lockfile joins the first commit), then git's."""
    where = cd_path(target)
    steps = list(spec.next_steps({**answers, "target": where or "."}))
    cd = f"cd {where}" if where else "cd ."
    at = steps.index(cd) + 1 if cd in steps else 0
    steps[at:at] = lockfile.commands_left() + git.commands_left()
    return tuple(step for step in steps if step != "cd .")


def tool_hints(spec: TemplateSpec, git: FirstCommit) -> tuple[ToolHint, ...]:
    """The programs the next steps run (the template's ``tools``, and git when commands of
    its are left), each with whether it is on PATH and how to install it."""
    tools = {str(name): str(hint) for name, hint in (spec.metadata.get("tools") or {}).items()}
    if git.commands_left():
        tools = {"git": GIT_INSTALL} | tools
    return tuple(
        ToolHint(name, found=shutil.which(name) is not None, install=hint)
        for name, hint in tools.items()
    )


def new_project(
    stack_id: str,
    target: Path,
    answers: Mapping[str, Any] | None = None,
    *,
    defaults: bool = True,
    dry_run: bool = False,
    conventions: Conventions | None = None,
    agent: Path | None = None,
    install_agent: bool = False,
    git: bool = False,
    lock: bool = False,
) -> NewResult:
    """Render ``stack_id``'s template with ``answers`` and write it to an empty ``target``.

    The template's layout folders follow ``conventions`` (by default those of the agent
    definition ``agent``, or the one in force: see :func:`scaffold.conventions.load_conventions`);
    ``answers`` override them.

    With ``dry_run`` the project is rendered in a scratch folder and the result describes
    every file it would create; nothing is written to ``target``. With ``install_agent``
    the agent definition in force is added as ``.claude/agents/<name>.md``. Inside a git
    repository with a ``CLAUDE.md`` above ``target``, the project also gets a ``CLAUDE.md``
    that imports its ``AGENTS.md`` (see :func:`claude_md_above`).

    With ``git`` (the command line's default; ``--no-git`` turns it off), a project outside
    any git work tree becomes a repository with the files in a first commit
    (:func:`plan_first_commit`): when git has no identity, they are only staged; when git
    fails after the files are written, they stay and the result says so (exit code 1).

    With ``lock`` (the command line's default; ``--no-lock`` turns it off), the template's
    lock command (``_scaffold.lockfile``) runs on the written project before the first
    commit, so the lockfile is in it (see :func:`make_lockfile`); never on a dry run. When
    its program is missing or it fails, the result says why and the next steps run it;
    ``new`` still succeeds.

    The next steps ``cd`` into ``target`` from the working folder. Raises a
    :class:`~scaffold.errors.ScaffoldError` for an unknown stack, a bad answer or an
    unusable target, before anything is rendered.
    """
    conventions = conventions or load_conventions(agent)
    stack = get_stack(stack_id)
    target = check_new_target(target)
    spec = load_template(stack.template)
    extra_files = {}
    if install_agent:
        agent_path, agent_bytes = agent_file(conventions)
        extra_files[agent_path] = RenderedFile(agent_bytes, 0o644)
    convention = conventions.for_template(stack.id)
    layout = spec.metadata.get("layout")
    from_conventions = layout_answers(layout, convention) if layout and convention else {}
    # The conventions' answers the user did not override must hold on their own; the error
    # then names the line to fix.
    kept = {k: v for k, v in from_conventions.items() if k not in (answers or {})}
    if kept and convention is not None:
        where = f"the conventions, {conventions.source} line {convention.line}"
        check_answers(spec, kept, origin=dict.fromkeys(kept, where))
    given = from_conventions | dict(answers or {})
    suggested: dict[str, Any] = {}
    if "project_name" in spec.questions and "project_name" not in given:
        suggested["project_name"] = target.name
    data = check_answers(spec, given)
    if suggested:
        try:
            suggested = check_answers(
                spec,
                suggested,
                origin={"project_name": "the folder name; pass --data project_name=NAME"},
            )
        except InvalidAnswerError:
            if defaults:
                raise
            suggested = {}  # the prompt offers the template's own default instead
    first_commit = plan_first_commit(
        target, f"Initial commit (scaffold new {stack.id})", wanted=git
    )
    lockfile = plan_lockfile(lock_step(spec.metadata, spec.path), wanted=lock)
    # A real run renders beside the target, on its filesystem, so the rendered tree can be
    # moved into place whole; a dry run renders in the system's temporary folder.
    scratch_parent = None if dry_run else existing_ancestor(target.parent)
    source = template_source(stack, install=not dry_run)
    with render_template(
        source,
        data,
        defaults=defaults,
        user_defaults=suggested,
        scratch_parent=scratch_parent,
        replay=True,
    ) as rendered:
        answers_used = dict(rendered.answers)
        # Defaults computed from other answers are only known now: check them too (the
        # answers given were checked above, and a template's plain defaults are valid).
        derived = {
            name: value
            for name, value in answers_used.items()
            if name in spec.questions and name not in data and value != spec.questions[name].default
        }
        check_answers(spec, derived)
        files = dict(rendered.files)
        for rel, extra in extra_files.items():
            if rel in files:
                raise TemplateError(f"the template already makes {rel}; not installing the agent")
            files[rel] = extra
            if not dry_run:  # staged with the rendered tree, which moves into place whole
                staged = rendered.root.joinpath(*rel.parts)
                staged.parent.mkdir(parents=True, exist_ok=True)
                staged.write_bytes(extra.content)
                staged.chmod(extra.mode)
        if claude_md_above(target) is not None and _AGENTS in files and _CLAUDE not in files:
            # Claude Code reads an AGENTS.md only where no CLAUDE.md sits in its folder or
            # above: the one above hides it, so the project's own CLAUDE.md imports it.
            files[_CLAUDE] = RenderedFile(CLAUDE_IMPORTING_AGENTS, 0o644)
            if not dry_run:
                staged = rendered.root / _CLAUDE
                staged.write_bytes(CLAUDE_IMPORTING_AGENTS)
                staged.chmod(0o644)
        plan = plan_new(target, files)
        if not dry_run:
            apply_plan(plan, staged_tree=rendered.root)
    if not dry_run:
        lockfile = make_lockfile(target, lockfile)
        first_commit = make_first_commit(target, first_commit)
    return NewResult(
        stack=stack,
        target=target,
        plan=plan,
        answers=answers_used,
        next_steps=next_steps(spec, answers_used, target, first_commit, lockfile),
        dry_run=dry_run,
        git=first_commit,
        tools=tool_hints(spec, first_commit),
        lockfile=lockfile,
    )
