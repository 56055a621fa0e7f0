"""Python's dependency lists: requirement names as pip reads them, ``requirements*.txt``
files with their ``-r`` includes, ``setup.py`` and ``setup.cfg`` dependencies."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

# Only the package here (it is small): a missing library fails detection as a whole, not one
# detector. Its parser, which takes longer to import than a small repository takes to detect,
# is imported where a requirement of a less common shape is first read.
import packaging  # noqa: F401

from scaffold.detect.paths import parent, resolve
from scaffold.errors import first_line

if TYPE_CHECKING:
    from scaffold.detect.base import Context

_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_DEV_WORDS = re.compile(
    r"(?:^|[-_./])(?:dev|develop|test|tests|testing|lint|docs?|ci|local|typing)"
)
_COMMENT = re.compile(r"(^|\s)#.*$")
#: A project name (PEP 508's own pattern for names).
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_RELEASE = r"[0-9]{1,9}(?:\.[0-9]{1,9}){%d,8}"
_CLAUSE = rf"(?:~=[ \t]*{_RELEASE % 1}|(?:==|!=|<=|>=|<|>)[ \t]*{_RELEASE % 0})"
#: The requirements most lists hold: a name, its extras, and version clauses of release
#: numbers (``fastapi[standard]>=0.115``, ``Django>=4.2,<5``). Each is valid as written, so
#: ``packaging`` would read the same name; anything else is left to ``packaging``.
_COMMON = re.compile(
    rf"({_NAME})[ \t]*"
    rf"(?:\[[ \t]*{_NAME}(?:[ \t]*,[ \t]*{_NAME})*[ \t]*\][ \t]*)?"
    rf"(?:{_CLAUSE}(?:[ \t]*,[ \t]*{_CLAUSE})*)?"
)
#: What PEP 503 folds into one "-" of a normalised name.
_SEPARATORS = re.compile(r"[-_.]+")

MAX_INCLUDE_DEPTH = 10


def normalize(name: str) -> str:
    """PEP 503 normalised project name: the specification's own rule, which is all
    ``packaging.utils.canonicalize_name`` does (importing it costs more than detecting a
    small repository)."""
    return _SEPARATORS.sub("-", name).lower()


def requirement_name(spec: str) -> str | None:
    """The normalised project name of a PEP 508 requirement string, as ``packaging`` reads
    it, or ``None`` when it is not one (a URL, a path, a comment). A requirements-file line
    may carry a comment and pip's options after the requirement (``--hash=...``); they are
    left out first, as pip leaves them out."""
    words = _COMMENT.sub("", spec).split()
    end = next((i for i, word in enumerate(words) if word.startswith("-")), len(words))
    requirement = " ".join(words[:end])
    if common := _COMMON.fullmatch(requirement):  # what packaging would read
        return normalize(common[1])
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return normalize(Requirement(requirement).name)
    except InvalidRequirement:
        return None


def is_requirements_file(path: str) -> bool:
    name = path.rpartition("/")[2]
    if not name.endswith((".txt", ".in")):
        return False
    folder = parent(path).rpartition("/")[2]
    return "requirements" in name or folder == "requirements"


def requirements_home(path: str) -> str:
    """The project folder a requirements file belongs to."""
    folder = parent(path)
    if folder.rpartition("/")[2] == "requirements":
        return parent(folder)
    return folder


def is_dev_requirements(path: str) -> bool:
    name = path.rpartition("/")[2].rsplit(".", 1)[0]
    folder = parent(path).rpartition("/")[2]
    stem = name.replace("requirements", "")
    if folder == "requirements":
        return bool(_DEV_WORDS.search("-" + name))
    return bool(_DEV_WORDS.search(stem))


def parse_requirements(
    ctx: Context, path: str, found: dict[str, str], seen: set[str] | None = None, depth: int = 0
) -> None:
    """Add ``name -> file`` for every requirement in ``path`` and the files it ``-r``
    includes (constraints files are not requirements)."""
    seen = seen if seen is not None else set()
    if path in seen:
        return
    seen.add(path)
    text = ctx.text(path)
    if text is None:
        return
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        if raw.endswith("\\"):
            pending += raw[:-1] + " "
            continue
        logical.append(pending + raw)
        pending = ""
    if pending:
        logical.append(pending)
    folder = parent(path)
    for raw in logical:
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        include = re.match(r"^(?:-r|--requirement)(?:\s*=\s*|\s+|(?=[^\s-]))(\S+)", line)
        if include:
            target = resolve(folder, include.group(1))
            if target is None:
                ctx.warn(path, f"includes {include.group(1)}, outside the repository; not read")
            elif depth >= MAX_INCLUDE_DEPTH:
                ctx.warn(path, f"includes nested deeper than {MAX_INCLUDE_DEPTH}; stopped")
            elif not ctx.view.exists(target) and ctx.view.read_bytes(target, quiet=True) is None:
                ctx.warn(path, f"includes {include.group(1)}, which does not exist")
            else:
                parse_requirements(ctx, target, found, seen, depth + 1)
            continue
        if line.startswith(("-e", "--editable")):
            egg = _EGG.search(line)
            if egg:
                found.setdefault(normalize(egg.group(1)), path)
            continue
        if line.startswith("-"):
            continue  # -c constraints, --index-url, --hash... are not requirements
        if "://" in line.split("@", 1)[0] or line.startswith((".", "/")):
            egg = _EGG.search(line)
            if egg:
                found.setdefault(normalize(egg.group(1)), path)
            continue
        name = requirement_name(line.split(";", 1)[0])
        if name:
            found.setdefault(name, path)


def setup_py_requires(ctx: Context, path: str) -> list[str] | None:
    """``install_requires`` string literals of a setup.py, read with ``ast`` (never run)."""
    import ast

    text = ctx.text(path)
    if text is None:
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        where = f" at line {error.lineno}" if isinstance(error, SyntaxError) else ""
        ctx.warn(path, f"invalid Python{where}: {type(error).__name__}")
        return None
    requires: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.keyword)
            and node.arg == "install_requires"
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            for item in node.value.elts:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    requires.append(item.value)
    return requires


def read_ini(ctx: Context, path: str) -> Any:
    import configparser

    text = ctx.text(path)
    if text is None:
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as error:
        ctx.warn(path, f"invalid INI: {first_line(error)}")
        return None
    return parser
