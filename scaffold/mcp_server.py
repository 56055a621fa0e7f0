"""``scaffold mcp``: the library's commands as MCP tools, served over stdio.

Each tool calls the same library function as its command and returns the same JSON as
``--json`` (schema 1). Tools that write take ``dry_run``, true unless the caller says
otherwise, so a client that calls ``adopt``, ``new`` or ``update`` without thinking gets
the plan and nothing on disk. A scaffold error is a tool error whose text is the one-line
message the command prints, with its exit code.

The ``mcp`` SDK is an optional dependency (``scaffold-conventions[mcp]``), imported only
here, when the server starts.
"""

# No ``from __future__ import annotations``: the SDK reads the tools' annotations, which name
# types local to build_server.
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from scaffold import __version__
from scaffold.errors import ScaffoldError

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from scaffold.results import Result

INSTRUCTIONS = (
    "scaffold detects a repository's projects and conventions, generates new backend "
    "projects from its stacks' templates, brings existing ones onto the conventions "
    "(adopt) and updates generated ones from newer template versions. Call detect first. "
    "adopt, new and update only plan unless dry_run is false: show the plan to the user "
    "and write only when they agree. Paths are relative to the server's working folder."
)


class McpUnavailableError(ScaffoldError):
    """The ``mcp`` SDK is not installed."""


def build_server() -> "MCPServer":
    """The MCP server, its tools registered (not started)."""
    try:
        from mcp.server import MCPServer
        from mcp.server.mcpserver.exceptions import ToolError
        from mcp.types import ToolAnnotations
        from pydantic import Field
    except ImportError:
        raise McpUnavailableError(
            "scaffold mcp needs the MCP SDK: install scaffold-conventions[mcp] "
            "(uv tool install 'scaffold-conventions[mcp]')"
        ) from None

    server = MCPServer(
        "scaffold", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    reads = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
    writes = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)

    Folder = Annotated[str, Field(description="A folder, absolute or relative to the server's.")]
    Agent = Annotated[
        str | None,
        Field(description="Agent definition whose conventions apply (default: the built-in one)."),
    ]
    DryRun = Annotated[
        bool, Field(description="Only plan: write nothing (the default). False applies the plan.")
    ]

    def reported(run: Callable[[], "Result"]) -> dict[str, Any]:
        """The JSON envelope of the result ``run`` returns, as ``--json`` prints it."""
        try:
            return run().to_dict()
        except ScaffoldError as error:
            raise ToolError(f"scaffold: error: {error} (exit {int(error.exit_code)})") from None

    @server.tool(annotations=reads)
    def detect(directory: Folder = ".") -> dict[str, Any]:
        """Every project in a repository: language, framework, build tool, workspace, configs,
        style, source folders and architecture, with the evidence (scaffold detect --json)."""
        from scaffold.commands.detect import detect_projects

        return reported(lambda: detect_projects(Path(directory)))

    @server.tool(annotations=reads)
    def conventions(agent: Agent = None) -> dict[str, Any]:
        """The conventions in force: each stack's folders, configs and template
        (scaffold conventions --json)."""
        from scaffold.commands.conventions import show_conventions

        return reported(lambda: show_conventions(_path(agent)))

    @server.tool(annotations=reads)
    def stacks() -> dict[str, Any]:
        """The stacks new can generate, with their questions (scaffold new --list --json)."""
        from scaffold.commands.conventions import list_stacks

        return reported(list_stacks)

    @server.tool(annotations=writes)
    def new(
        stack: Annotated[str, Field(description="The stack to generate (see the stacks tool).")],
        directory: Annotated[
            str, Field(description="Folder to create the project in; missing or empty.")
        ],
        answers: Annotated[
            dict[str, str] | None,
            Field(
                description="Answers to the template's questions, by name; defaults for the rest."
            ),
        ] = None,
        dry_run: DryRun = True,
        agent: Agent = None,
        git: Annotated[
            bool,
            Field(
                description="Make the project a git repository with the files in a first "
                "commit, unless it lies inside a git work tree (the default). False: no git."
            ),
        ] = True,
        lock: Annotated[
            bool,
            Field(
                description="Make the stack's lockfile with its own tool before the first "
                "commit, when the tool is on PATH (the default). False: no lockfile."
            ),
        ] = True,
    ) -> dict[str, Any]:
        """Generate a new project from a stack's template (scaffold new STACK DIR --defaults
        --json). With dry_run (the default) it lists the files and writes nothing. The result
        says what was done with the lockfile (lockfile) and git (git), what is left to do
        (next_steps, from the server's working folder), and how to install the programs they
        run (tools)."""
        from scaffold.commands.new import new_project
        from scaffold.templates import parse_data_options

        # Read as the command line reads --data KEY=VALUE: a key is stripped, and not empty.
        given = (f"{key}={value}" for key, value in (answers or {}).items())
        return reported(
            lambda: new_project(
                stack,
                Path(directory),
                parse_data_options(given),
                dry_run=dry_run,
                agent=_path(agent),
                git=git,
                lock=lock,
            )
        )

    @server.tool(annotations=writes)
    def adopt(
        directory: Folder = ".",
        project: Annotated[
            str | None, Field(description="Only the project at this path, relative to directory.")
        ] = None,
        include_examples: Annotated[
            bool,
            Field(
                description="Also adopt examples, samples, demos, fixtures, tests, "
                "benchmarks, playgrounds, docs and projects a workspace excludes."
            ),
        ] = False,
        stack: Annotated[
            str | None, Field(description="Treat that one project as this stack.")
        ] = None,
        dry_run: DryRun = True,
        migrate: Annotated[
            bool, Field(description="Convert legacy configs with their tools' own migrations.")
        ] = False,
        allow_dirty: Annotated[
            bool, Field(description="Apply even with uncommitted changes in the work tree.")
        ] = False,
        agent: Agent = None,
    ) -> dict[str, Any]:
        """Add what the conventions ask for to an existing repository: the plan of each file
        (create, merge, identical, skip, conflict), as scaffold adopt --dry-run --json. With
        dry_run false the plan is applied, all or nothing (scaffold adopt --yes --json)."""
        from scaffold.commands.adopt import adopt_repository

        return reported(
            lambda: adopt_repository(
                Path(directory),
                project=project,
                include_examples=include_examples,
                stack=stack,
                agent=_path(agent),
                allow_dirty=allow_dirty,
                migrate=migrate,
                dry_run=dry_run,
            )
        )

    @server.tool(annotations=writes)
    def update(
        directory: Folder = ".",
        to: Annotated[
            str | None, Field(description="Template version to update to (default: newest).")
        ] = None,
        dry_run: DryRun = True,
        conflict: Annotated[
            Literal["inline", "rej"],
            Field(description="How to leave conflicts: inline markers or .rej files."),
        ] = "inline",
        lock: Annotated[
            bool,
            Field(
                description="Make the lockfile the new template version declares, when the "
                "project lacks it and the stack's tool is on PATH (the default). False: none."
            ),
        ] = True,
    ) -> dict[str, Any]:
        """Update generated or adopted projects to a newer template version with copier's
        three-way merge (scaffold update --json). With dry_run (the default) it reports what
        would change, from a scratch copy. Each project's lockfile says whether the
        lockfile the new version declares was made (or would be)."""
        from scaffold.commands.update import update_projects

        return reported(
            lambda: update_projects(
                Path(directory), to=to, dry_run=dry_run, conflict=conflict, lock=lock
            )
        )

    return server


def _path(given: str | None) -> Path | None:
    return Path(given) if given else None


def serve() -> None:
    """Serve the tools over stdio until the client closes the connection."""
    import sys

    server = build_server()
    # The protocol owns standard output: the SDK writes to its binary buffer, which the
    # command line's closed-pipe guard does not have.
    if sys.__stdout__ is not None:
        sys.stdout = sys.__stdout__
    server.run("stdio")
