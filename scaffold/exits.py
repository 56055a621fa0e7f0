"""How a command ends: an error or an interrupt as one line on standard error and its exit
code (:class:`scaffold.errors.ExitCode`), never a traceback unless ``SCAFFOLD_DEBUG=1``."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from scaffold.errors import ExitCode
from scaffold.failures import debugging, describe, said


def fail(error: BaseException) -> typer.Exit:
    """Print the one line that says what ``error`` is; the exit with its code."""
    line, code = describe(error)
    typer.echo(line, err=True)
    return typer.Exit(code)


class ScaffoldGroup(TyperGroup):
    """Maps scaffold's errors to exit codes; no traceback unless SCAFFOLD_DEBUG=1. A
    command's text and path values are converted without typer's pydantic adapter
    (:mod:`scaffold.cli_coercion`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from scaffold.cli_coercion import coerce_plainly

        coerce_plainly(self, ctx)
        return super().parse_args(ctx, args)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            from scaffold.cli_coercion import coerce_plainly

            coerce_plainly(command, ctx)
        return command

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException, BrokenPipeError):
            raise  # a closed pipe is quiet: see ClosedPipeGuard, which main() installs
        except (Exception, KeyboardInterrupt) as error:
            if debugging():
                raise
            raise fail(error) from None


def run(app: typer.Typer) -> None:
    """Run the command line ``app`` with interrupts handled for the whole command."""
    from scaffold import interrupts

    try:
        with interrupts.handled():
            app(prog_name="scaffold")
    except KeyboardInterrupt as error:
        # Outside a command (its arguments were being read): click did not see it.
        raise SystemExit(fail(error).exit_code) from None
    except SystemExit as done:
        # Click ends an interrupt that comes while it reads the arguments with 130 and
        # says nothing: a command's own interrupts have said what they left already.
        if done.code == ExitCode.INTERRUPTED and not said.interrupted:
            raise SystemExit(fail(KeyboardInterrupt()).exit_code) from None
        raise
