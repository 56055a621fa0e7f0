"""Code style sampled from a bounded number of a project's source files: its indentation
(where no .editorconfig sets it: :mod:`scaffold.detect.editorconfig`) and the naming of its
functions and variables."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from scaffold.detect.paths import join
from scaffold.ecosystems import EXTENSIONS as _EXTENSIONS
from scaffold.model import Indent

if TYPE_CHECKING:
    from scaffold.repo.view import RepoView

#: Source files sampled per project, and how much of each is read.
SAMPLE_FILES = 6
SAMPLE_BYTES = 16 * 1024
MIN_INDENTED_LINES = 10
MIN_NAMES = 5

#: File name endings of each language's source code (from the ecosystems' registry).
EXTENSIONS: Mapping[str, tuple[str, ...]] = _EXTENSIONS

_GENERIC_NAMES = (r"\b(?:func|fun|def|defp|fn|function)\s+([A-Za-z_]\w*)",)
_NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "python": (
        r"^[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)",
        r"^[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=(?!=)",
    ),
    "javascript": (
        r"\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)",
        r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)",
        r"^[ \t]*(?:async[ \t]+)?([A-Za-z_$][\w$]*)[ \t]*\([^)\n]*\)[ \t]*\{",
    ),
    "go": (
        r"^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)",
        r"\b([A-Za-z_]\w*)\s*:=",
        r"^[^\S\n]*var\s+([A-Za-z_]\w*)",
    ),
    "rust": (r"\bfn\s+([A-Za-z_]\w*)", r"\blet\s+(?:mut\s+)?([A-Za-z_]\w*)"),
    "java": (
        r"\b(?:void|int|long|boolean|double|float|String|[A-Z]\w*(?:<[^>\n]*>)?)\s+"
        r"([a-zA-Z_]\w*)\s*\(",
        r"\b(?:var|int|long|boolean|double|String)\s+([a-zA-Z_]\w*)\s*=",
    ),
    "kotlin": (
        r"\bfun\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)",
        r"\b(?:val|var)\s+([A-Za-z_]\w*)",
    ),
    "ruby": (r"^[^\S\n]*def\s+(?:self\.)?([A-Za-z_]\w*)", r"^[^\S\n]*([a-z_]\w*)\s*=(?!=)"),
    "php": (r"\bfunction\s+([A-Za-z_]\w*)", r"\$([A-Za-z_]\w*)\s*=(?!=)"),
    "elixir": (r"^[^\S\n]*defp?\s+([a-z_]\w*)",),
}
_NAME_PATTERNS["typescript"] = _NAME_PATTERNS["javascript"]
_NAME_PATTERNS["csharp"] = _NAME_PATTERNS["java"]
_COMPILED: dict[str, list[re.Pattern[str]]] = {}


def sample_files(
    view: RepoView,
    folder: str,
    extensions: Sequence[str],
    *,
    limit: int = SAMPLE_FILES,
    skip: Callable[[str], bool],
    max_dirs: int = 200,
) -> list[str]:
    """Up to ``limit`` source files below ``folder``, shallow folders first, leaving out
    vendored and generated code and folders ``skip`` refuses (nested projects)."""
    found: list[str] = []
    if not extensions:
        return found
    ends = tuple(extensions)
    for current, _dirs, names in view.walk(folder, prune=skip, max_dirs=max_dirs):
        for name in names:
            if name.endswith(ends) and not name.startswith("."):
                path = join(current, name)
                if not view.excluded(path):
                    found.append(path)
                    if len(found) >= limit:
                        return found
    return found


# -- sampling -----------------------------------------------------------------------------------


def sampled_indent(texts: Iterable[str]) -> tuple[Indent | None, str]:
    """Tabs or spaces, and the usual step, from the leading whitespace of real code."""
    tabs = spaces = 0
    steps: Counter[int] = Counter()
    for text in texts:
        previous = 0
        for line in text.splitlines():
            stripped = line.lstrip(" \t")
            if not stripped:
                continue
            lead = line[: len(line) - len(stripped)]
            if not lead:
                previous = 0
                continue
            if stripped.startswith(("*", "//", "#")):
                continue  # comment continuation lines have their own alignment
            if lead[0] == "\t":
                tabs += 1
            elif lead.count(" ") == len(lead):
                spaces += 1
                width = len(lead)
                if width > previous:
                    steps[width - previous] += 1
                previous = width
    total = tabs + spaces
    if total < MIN_INDENTED_LINES:
        return None, ""
    if tabs > spaces:
        return Indent("tab", None), f"{tabs} of {total} indented lines start with a tab"
    usual = [step for step, _ in steps.most_common() if 2 <= step <= 8]
    size = usual[0] if usual else None
    detail = f"{spaces} of {total} indented lines use spaces"
    if size:
        detail += f", mostly {size} at a time"
    return Indent("space", size), detail


def _classify(name: str) -> str | None:
    core = name.strip("_$")
    if not core or not core[0].isalpha():
        return None
    if core.upper() == core:
        return None  # CONSTANT or a single upper-case word
    if "_" in core:
        return "snake_case" if core.lower() == core else None
    rest = core[1:]
    if core[0].islower():
        return "camelCase" if any(c.isupper() for c in rest) else None
    if any(c.isupper() for c in rest) and any(c.islower() for c in rest):
        return "PascalCase"
    return None


def sampled_naming(language: str, texts: Iterable[str]) -> tuple[str | None, str]:
    """``snake_case``, ``camelCase``, ``PascalCase`` or ``mixed`` for the function and
    variable names in ``texts``; names of one lower-case word say nothing and are skipped."""
    patterns = _COMPILED.get(language)
    if patterns is None:
        sources = _NAME_PATTERNS.get(language, _GENERIC_NAMES)
        patterns = [re.compile(p, re.MULTILINE) for p in sources]
        _COMPILED[language] = patterns
    counts: Counter[str] = Counter()
    for text in texts:
        seen: set[str] = set()
        for pattern in patterns:
            for name in pattern.findall(text):
                if name not in seen:
                    seen.add(name)
                    kind = _classify(name)
                    if kind is not None:
                        counts[kind] += 1
    total = sum(counts.values())
    if total < MIN_NAMES:
        return None, ""
    snake = counts["snake_case"]
    camel = counts["camelCase"]
    pascal = counts["PascalCase"]
    summary = ", ".join(f"{counts[k]} {k}" for k in ("snake_case", "camelCase", "PascalCase"))
    if snake >= 0.6 * total:
        naming = "snake_case"
    elif camel + pascal >= 0.6 * total:
        naming = "PascalCase" if pascal > 2 * camel else "camelCase"
    else:
        naming = "mixed"
    return naming, f"{total} function and variable names: {summary}"
