"""The ``scaffold`` console script (and ``python -m scaffold``).

Editors and agents' hooks run ``scaffold detect`` and ``scaffold adopt --check`` at every
session and every edit, and importing typer alone takes five times as long as starting
Python. So a command line of one of those two commands, with only their plain flags and at
most one folder, is read here and run without typer. Every other command line, and every form
this module does not read (``--help``, an option it does not list, ``--``, a second folder,
shell completion), goes to the typer application of :mod:`scaffold.cli`, which remains the one
description of the command line: both routes print the same output and exit with the same
code for the command lines read here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

#: The flags read without typer, by command, each with the option it sets.
QUICK_FLAGS: Mapping[str, Mapping[str, str]] = {
    "detect": {"--json": "as_json", "--verbose": "verbose", "-v": "verbose"},
    "adopt": {
        "--check": "check",
        "--json": "as_json",
        "--include-examples": "include_examples",
        "--allow-dirty": "allow_dirty",
    },
}


def quick_command(args: Sequence[str]) -> Callable[[], int] | None:
    """The command ``args`` (what follows ``scaffold``) asks for, ready to run without typer,
    or ``None`` when typer is to read them."""
    if not args or os.environ.get("_SCAFFOLD_COMPLETE"):
        return None
    command, *rest = args
    known = QUICK_FLAGS.get(command)
    if known is None:
        return None
    flags: set[str] = set()
    folders: list[str] = []
    for token in rest:
        if token in known:
            flags.add(known[token])
        elif token and not token.startswith("-"):
            folders.append(token)
        else:
            return None
    if len(folders) > 1 or (command == "adopt" and "check" not in flags):
        return None
    directory = Path(folders[0] if folders else ".")
    as_json = "as_json" in flags
    if command == "detect":
        return lambda: _detect(directory, as_json=as_json, verbose="verbose" in flags)
    include_examples = "include_examples" in flags
    return lambda: _check_adoption(directory, as_json=as_json, include_examples=include_examples)


def _detect(directory: Path, *, as_json: bool, verbose: bool) -> int:
    if not as_json:
        from scaffold import output
        from scaffold.commands.detect import detect_projects

        result = detect_projects(directory)
        output.show(result, as_json, output.print_detection, verbose=verbose)
        return result.exit_code
    return _detect_json(str(directory))


def _detect_json(directory: str) -> int:
    """``scaffold detect --json``: printed again from what was kept when nothing it
    depends on has changed (:mod:`scaffold.kept_detection`), else detected and kept."""
    from scaffold.kept_detection import detection_output

    sys.stdout.write(detection_output(directory))
    return 0


def _check_adoption(directory: Path, *, as_json: bool, include_examples: bool) -> int:
    from scaffold import output
    from scaffold.commands.adopt import plan_adoption

    # A check reads only: it runs whatever the work tree holds (as --allow-dirty).
    result = plan_adoption(directory, include_examples=include_examples, allow_dirty=True)
    output.show(result, as_json, output.print_adoption, diffs="")
    return result.exit_code


def run_quick(command: Callable[[], int]) -> NoReturn:
    """Run ``command`` as the typer route runs one: interrupts and signals handled for the
    whole command, an error as one line on standard error, and its exit code."""
    from scaffold import interrupts
    from scaffold.failures import debugging, describe

    try:
        with interrupts.handled():
            try:
                code = command()
            except BrokenPipeError:
                code = 1  # a stream other than standard output has gone, as click ends it
            except (Exception, KeyboardInterrupt) as error:
                if debugging():
                    raise
                line, code = describe(error)
                print(line, file=sys.stderr)
    except KeyboardInterrupt as error:  # after the command, before its end was reported
        line, code = describe(error)
        print(line, file=sys.stderr)
    raise SystemExit(code)


def main() -> None:
    """Console-script entry point: ``scaffold detect`` and ``scaffold adopt --check`` in
    their plain forms without typer, everything else through :func:`scaffold.cli.main`."""
    command = quick_command(sys.argv[1:])
    if command is None:
        from scaffold.cli import main as typer_main

        typer_main()
        return
    from scaffold.closed_pipe import guard_stdout

    guard_stdout()
    with short_lived():
        run_quick(command)


@contextlib.contextmanager
def short_lived() -> Iterator[None]:
    """Run a command that ends the process without the cyclic garbage collector: its
    passes over everything imported (every few hundred allocations, and once more as the
    interpreter shuts down) cost these commands about a tenth of their time and free
    almost nothing, since reference counting frees the rest. What is still alive at the
    end is frozen, so that the shutdown's pass skips it too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
