"""Asking the person at the terminal."""

from __future__ import annotations

import typer


def confirm(question: str) -> bool:
    """Ask ``question`` on the terminal; no unless answered yes. The end of input is a no
    (click's confirm would abort with exit 1), and Ctrl-C stays an interrupt (exit 130)."""
    while True:
        try:
            typer.echo(f"{question} [y/N]: ", nl=False)
            answer = input().strip().lower()
        except EOFError:
            typer.echo()
            return False
        except KeyboardInterrupt:
            typer.echo()  # the error goes on a line of its own
            raise
        if answer in ("y", "yes"):
            return True
        if answer in ("", "n", "no"):
            return False
        typer.echo("Please answer y or n.")
