"""Conventions as data: read an agent definition and turn its layout into template answers.

Reading (:func:`load_conventions`) is the only I/O; parsing is the pure
:func:`scaffold.conventions.parse.parse_agent_definition`. scaffold's own conventions are
the agent definition it ships (``agents/backend-engineer.md``); ``--agent FILE`` or the
``SCAFFOLD_AGENT`` environment variable names another.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path, PurePosixPath
from typing import Any

from scaffold.errors import ConventionsError
from scaffold.model import Conventions, StackConvention

AGENT_ENV = "SCAFFOLD_AGENT"
DEFAULT_AGENT = "backend-engineer.md"

__all__ = [
    "AGENT_ENV",
    "default_agent_path",
    "layout_answers",
    "load_conventions",
    "parse_agent_definition",
]


def __getattr__(name: str) -> Any:
    """``parse_agent_definition``, imported on first use: a run that finds the conventions
    kept (:mod:`scaffold.memo`) parses nothing."""
    if name == "parse_agent_definition":
        from scaffold.conventions.parse import parse_agent_definition

        return parse_agent_definition
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default_agent_path() -> Path:
    """The shipped agent definition: inside an installed wheel, or at the checkout's top."""
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (package_dir / "agents", package_dir.parent / "agents"):
        if (candidate / DEFAULT_AGENT).is_file():
            return candidate / DEFAULT_AGENT
    raise ConventionsError("the built-in agent definition is missing: reinstall scaffold")


def agent_path(agent: Path | None = None) -> Path:
    """The agent definition in force: ``agent``, else $SCAFFOLD_AGENT, else the built-in one."""
    if agent is not None:
        return agent
    from_env = os.environ.get(AGENT_ENV)
    return Path(from_env) if from_env else default_agent_path()


#: Largest agent definition read; real ones are a few KiB.
MAX_AGENT_BYTES = 1024 * 1024


def _read_agent(path: Path) -> bytes:
    """The bytes of the agent definition at ``path``: a regular file of at most
    :data:`MAX_AGENT_BYTES` (a device, a pipe or a huge file is refused without hanging)."""
    from scaffold.untrusted import UntrustedInputError, read_limited

    try:
        return read_limited(path, MAX_AGENT_BYTES)
    except UntrustedInputError as error:
        raise ConventionsError(f"agent definition {path} {error.reason}") from None
    except FileNotFoundError:
        raise ConventionsError(f"agent definition {path} does not exist") from None
    except IsADirectoryError:
        raise ConventionsError(f"agent definition {path} is a folder, not a file") from None
    except OSError as error:
        raise ConventionsError(f"cannot read agent definition {path}: {error.strerror}") from None


def load_conventions(agent: Path | None = None) -> Conventions:
    path = agent_path(agent)
    raw = _read_agent(path)
    if b"\0" in raw:
        raise ConventionsError(f"agent definition {path} is a binary file, not Markdown")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = error.reason
        raise ConventionsError(f"agent definition {path} is not UTF-8 text ({reason})") from None
    return _parsed(text, str(path))


def _parsed(text: str, source: str) -> Conventions:
    """``text`` parsed (:func:`parse_agent_definition`), kept (:mod:`scaffold.memo`) for the
    next run: the hooks read the same definition at every edit, and parsing its front matter
    takes a YAML parser."""
    import hashlib

    from scaffold import memo

    parsers = memo.libraries_state(("frontmatter", "yaml"))  # an upgrade may parse otherwise
    key = memo.key_of("conventions", source, hashlib.sha256(text.encode()).hexdigest(), parsers)
    kept = _from_kept(memo.recall("conventions", key))
    if kept is not None:
        return kept
    from scaffold.conventions.parse import parse_agent_definition

    conventions = parse_agent_definition(text, source=source)
    memo.keep("conventions", key, _kept_form(conventions))
    return conventions


def _kept_form(conventions: Conventions) -> list[Any]:
    stacks = [[getattr(s, f.name) for f in fields(StackConvention)] for s in conventions.stacks]
    return [conventions.name, conventions.description, conventions.source, stacks]


def _from_kept(value: Any) -> Conventions | None:
    """The conventions :func:`_kept_form` kept; None for anything else."""
    try:
        name, description, source, stacks = value
        lines = []
        for line in stacks:
            values: list[Any] = [tuple(v) if isinstance(v, list) else v for v in line]
            lines.append(StackConvention(*values))
        return Conventions(name, description, source, tuple(lines))
    except (TypeError, ValueError):
        return None


def agent_file(conventions: Conventions) -> tuple[PurePosixPath, bytes]:
    """Where a project keeps this agent definition for Claude Code, and its bytes."""
    source = Path(conventions.source)
    content = _read_agent(source)
    name = conventions.name if conventions.name.replace("-", "").isalnum() else source.stem
    return PurePosixPath(".claude", "agents", f"{name}.md"), content


def layout_answers(layout: Mapping[str, Any], convention: StackConvention) -> dict[str, str]:
    """The template answers that put ``convention``'s folders where the template's code goes.

    ``layout`` is the template's ``_scaffold.layout`` block:

    - ``root``: a question that the folders' common first segment answers (FastAPI's
      package), or a literal folder every path lies in (Rust's ``src``);
    - ``folders``: the layout questions, each with the folder ``names`` it recognises; a
      folder answers the first question that recognises its first segment below the root,
      else the first question still unanswered; folders beyond the questions are not used;
    - ``files``: per question, a mapping from a file-name pattern on the stack's line
      (``mod.rs``, ``*.rs``) to that question's answer.
    """
    from fnmatch import fnmatchcase

    answers: dict[str, str] = {}
    root = str(layout.get("root") or "")
    root_is_question = bool(root) and layout.get("root_is_question", False)
    remainders: list[str] = []
    for folder in convention.folders:
        parts = folder.split("/")
        if root_is_question:
            package = parts[0]
            if answers.setdefault(root, package) != package:
                raise ConventionsError(
                    f"{convention.label} (line {convention.line}): the folders name two "
                    f"packages, {answers[root]} and {package}"
                )
            parts = parts[1:]
        elif root:
            if parts[: len(root.split("/"))] != root.split("/"):
                raise ConventionsError(
                    f"{convention.label} (line {convention.line}): {folder}/ is not under {root}/"
                )
            parts = parts[len(root.split("/")) :]
        if parts:
            remainders.append("/".join(parts))

    questions = [dict(q) for q in layout.get("folders") or ()]
    unmatched: list[str] = []
    for remainder in remainders:
        first = remainder.split("/")[0]
        question = next(
            (q for q in questions if q["question"] not in answers and first in q.get("names", ())),
            None,
        )
        if question is None:
            unmatched.append(remainder)
        else:
            answers[question["question"]] = remainder
    for remainder in unmatched:
        question = next((q for q in questions if q["question"] not in answers), None)
        if question is not None:
            answers[question["question"]] = remainder

    for name, patterns in (layout.get("files") or {}).items():
        for file in convention.files:
            value = next((v for p, v in patterns.items() if fnmatchcase(file, p)), None)
            if value is not None:
                answers[name] = str(value)
                break
    return answers
