"""The ``scaffold`` command: parse arguments, call the library, print, exit.

Each command calls :mod:`scaffold.commands`, prints the result (text, or its JSON envelope
with ``--json``) and exits with its exit code; :mod:`scaffold.exits` turns errors and
interrupts into a one-line message and an exit code (:class:`scaffold.errors.ExitCode`).
Heavy modules (copier) are imported inside the commands, so ``scaffold --help`` is quick.
The annotations are objects, not postponed strings: typer reads every command's for every
command line, and evaluating them as strings each time costs more than building them once.
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from scaffold import __version__, output
from scaffold.cli_options import AgentOption, ConflictStyle, JsonOption
from scaffold.cli_options import complete_stack as _complete_stack
from scaffold.errors import UsageError
from scaffold.exits import ScaffoldGroup
from scaffold.terminal import confirm as _confirm

if TYPE_CHECKING:
    from scaffold.results import Result

__all__ = ["ScaffoldGroup", "_complete_stack", "_confirm", "app", "main"]


app = typer.Typer(
    cls=ScaffoldGroup,
    name="scaffold",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scaffold {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Detect a repository's stack and conventions; generate, adopt and update backend
    projects in the idiomatic layout.

    Exit codes: 0 success, 1 error, 2 usage error, 3 changes pending, 4 conflicts left
    for you, 130 interrupted.
    """


def _finish(result: "Result", as_json: bool, text: Callable[..., None], **options: Any) -> NoReturn:
    output.show(result, as_json, text, **options)
    raise typer.Exit(result.exit_code)


@app.command()
def detect(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="Repository or folder to inspect (default: the current folder).",
            show_default=False,
        ),
    ] = Path("."),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the detection as JSON (schema 1).")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show each project's details and evidence.")
    ] = False,
) -> None:
    """Find every project in a repository: language, framework, build tool, workspace,
    configs, style, source folders and architecture, with the evidence. Reads only.

    Example: scaffold detect . --json
    """
    from scaffold.commands.detect import detect_projects

    _finish(detect_projects(directory), as_json, output.print_detection, verbose=verbose)


def new(
    stack: Annotated[
        str | None,
        typer.Argument(
            help="Stack to generate (see --list).",
            autocompletion=_complete_stack,
            show_default=False,
        ),
    ] = None,
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Folder to create the project in; must be missing or empty.", show_default=False
        ),
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data", "-d", metavar="KEY=VALUE", help="Answer a template question (repeatable)."
        ),
    ] = None,
    defaults: Annotated[
        bool,
        typer.Option(
            "--defaults",
            help="Use the default for every question not given with --data; "
            "implied when no terminal is attached.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show the files it would create; write nothing.")
    ] = False,
    as_json: JsonOption = False,
    list_stacks: Annotated[bool, typer.Option("--list", help="List the stacks and exit.")] = False,
    agent: AgentOption = None,
    install_agent: Annotated[
        bool,
        typer.Option(
            "--install-agent", help="Also copy the agent definition into .claude/agents/."
        ),
    ] = False,
    no_git: Annotated[
        bool,
        typer.Option(
            "--no-git",
            help="Make no git repository (by default one is made, with the files in a first "
            "commit, unless DIR is inside a git work tree).",
        ),
    ] = False,
    no_lock: Annotated[
        bool,
        typer.Option(
            "--no-lock",
            envvar="SCAFFOLD_NO_LOCK",
            help="Make no lockfile (by default the stack's own tool, when it is on PATH, makes "
            "one before the first commit; when it cannot, the next steps name the command).",
        ),
    ] = False,
) -> None:
    """Generate a new project from a stack's template.

    Outside a git work tree the project becomes a git repository with a first commit.
    The stack's lockfile is made first, so the commit pins the dependencies.

    Example: scaffold new python-fastapi my-service --defaults
    """

    if list_stacks:
        from scaffold.commands.conventions import list_stacks as all_stacks

        _finish(all_stacks(), as_json, output.print_stacks)
    if stack is None or directory is None:
        raise UsageError("scaffold new needs STACK and DIR (see scaffold new --list)")

    from scaffold.commands.new import new_project
    from scaffold.templates import parse_data_options

    answers = parse_data_options(data or [])
    interactive = sys.stdin.isatty() and not as_json
    result = new_project(
        stack,
        directory,
        answers,
        defaults=defaults or not interactive,
        dry_run=dry_run,
        agent=agent,
        install_agent=install_agent,
        git=not no_git,
        lock=not no_lock,
    )
    output.show(result, as_json, output.print_new)
    if result.failure:  # git failed after the files were written: they stay
        typer.echo(f"scaffold: error: {result.failure}", err=True)
    raise typer.Exit(result.exit_code)


# The commands that write are registered after their definition rather than decorated,
# so that mutation testing (docs/testing.md), which leaves decorated functions alone,
# covers their flag handling.
app.command()(new)


def adopt(
    directory: Annotated[
        Path, typer.Argument(help="Repository to bring onto the conventions.")
    ] = Path("."),
    project: Annotated[
        list[str] | None,
        typer.Option(
            "--project",
            metavar="PATH",
            help="Only the project at PATH (relative), even an example; repeatable.",
        ),
    ] = None,
    include_examples: Annotated[
        bool,
        typer.Option(
            "--include-examples",
            help="Also adopt examples, samples, demos, fixtures, tests, benchmarks, "
            "playgrounds, docs and projects a workspace excludes.",
        ),
    ] = False,
    stack: Annotated[
        str | None,
        typer.Option(
            "--stack", help="Treat the project as this stack.", autocompletion=_complete_stack
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="Show the plan; write nothing.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show the changes as unified diffs.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit 3 when the repository deviates, 0 when it conforms."),
    ] = False,
    allow_dirty: Annotated[
        bool,
        typer.Option("--allow-dirty", help="Run even with uncommitted changes in the work tree."),
    ] = False,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate",
            help="Convert legacy configs (golangci-lint v1, .eslintrc*) with their tools' "
            "own migrations, instead of only reporting them.",
        ),
    ] = False,
    as_json: JsonOption = False,
    agent: AgentOption = None,
) -> None:
    """Add what the conventions ask for to an existing repository, in its own style.

    Plans first: files to create, configs that gain only the keys they lack, and files
    kept as they are, with the reason. Applies with --yes, or after you confirm. Never
    overwrites, moves or deletes your files; a legacy config is rewritten only with
    --migrate.
    """
    from scaffold.commands.adopt import apply_adoption, plan_adoption

    result = plan_adoption(
        directory,
        project=project,
        include_examples=include_examples,
        stack=stack,
        agent=agent,
        allow_dirty=allow_dirty or check or dry_run,
        migrate=migrate,
    )

    # The diffs compare with the files as they are before the plan is applied.
    diffs = output.adoption_diffs(result) if diff and not as_json else ""

    if result.pending and not (check or dry_run):
        if not yes:
            output.show(result, as_json, output.print_adoption, diffs=diffs)
            asked = not as_json and sys.stdin.isatty()
            if not asked or not _confirm("Apply this plan?"):
                raise typer.Exit(result.exit_code)
            diffs = ""  # shown with the plan, before the question
        result = apply_adoption(result)
    _finish(result, as_json, output.print_adoption, diffs=diffs)


app.command()(adopt)


def update(
    directory: Annotated[
        Path, typer.Argument(help="Project, or repository of projects, to update.")
    ] = Path("."),
    to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="VERSION", help="Template version to update to (default: newest)."
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", "-n", help="Show what would change, from a scratch copy; write nothing."
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit 3 when a newer template version exists; change nothing."
        ),
    ] = False,
    conflict: Annotated[
        ConflictStyle,
        typer.Option("--conflict", help="How to leave conflicts: inline markers or .rej files."),
    ] = ConflictStyle.INLINE,
    allow_source: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-source",
            metavar="SRC",
            help="Accept SRC, a template folder or git URL that answers files name, as a "
            "template source (by default only scaffold's own templates are). Repeatable.",
        ),
    ] = None,
    no_lock: Annotated[
        bool,
        typer.Option(
            "--no-lock",
            envvar="SCAFFOLD_NO_LOCK",
            help="Make no lockfile (by default, when the new template version declares one "
            "the project lacks, the stack's own tool makes it with the update, when it is on "
            "PATH).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Update generated projects to a newer template version, keeping your edits.

    Uses copier's three-way merge, in a scratch clone of the last commit; the result is
    then written all at once, or not at all. The work tree must have nothing uncommitted.
    Conflicts are left in the files (exit 4) for you to resolve. A lockfile the new
    version declares and the project lacks is made with the update.
    """
    from scaffold.commands.update import update_projects

    result = update_projects(
        directory,
        to=to,
        dry_run=dry_run,
        check=check,
        conflict=conflict.value,
        allowed_sources=tuple(allow_source or ()),
        lock=not no_lock,
    )
    _finish(result, as_json, output.print_update)


app.command()(update)


@app.command()
def conventions(
    agent: AgentOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the conventions in force: each stack's folders, configs and template."""
    from scaffold.commands.conventions import show_conventions

    _finish(show_conventions(agent), as_json, output.print_conventions)


@app.command()
def mcp() -> None:
    """Serve detect, conventions, new, adopt and update as MCP tools over stdio, for Claude
    Code, Cursor, VS Code, Codex and other MCP clients. Writing tools only plan unless
    called with dry_run false. Needs the MCP SDK: scaffold-conventions[mcp].
    """
    from scaffold.mcp_server import serve

    serve()


def main() -> None:
    """Console-script entry point. SIGTERM and SIGHUP end a command as Ctrl-C does: what
    it started is undone or completed, and its scratch folders are removed. Output to a
    reader that has gone (``scaffold ... | head``) is dropped quietly."""
    from scaffold.closed_pipe import guard_stdout
    from scaffold.exits import run

    guard_stdout()
    run(app)
