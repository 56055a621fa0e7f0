"""Code style: the indentation a project uses (from .editorconfig, else sampled from a
bounded number of its source files) and the naming of its functions and variables."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from editorconfig.fnmatch import translate
from editorconfig.ini import EditorConfigParser

from scaffold.detect.paths import ancestors, join, parent
from scaffold.ecosystems import EXTENSIONS as _EXTENSIONS
from scaffold.model import Evidence, Indent

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


# -- .editorconfig ------------------------------------------------------------------------------


def _section_pattern(glob: str) -> tuple[re.Pattern[str], list[tuple[int, int]]] | None:
    """The regex and numeric ranges the EditorConfig library translates a section glob to,
    anchored as its parser anchors it for a file below the ``.editorconfig`` (a glob without
    ``/`` matches in any folder; one with ``/`` from the file's folder), or ``None`` for a
    glob that makes no regex. Memoised: the same globs recur in every project's chain."""
    if glob in _SECTION_PATTERNS:
        return _SECTION_PATTERNS[glob]
    import warnings

    anchored = glob.replace("\\#", "#").replace("\\;", ";")
    anchored = "/" + anchored.removeprefix("/") if "/" in anchored else "**/" + anchored
    compiled: tuple[re.Pattern[str], list[tuple[int, int]]] | None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            regex, ranges = translate(anchored)
            # ``**`` comes out as ``.*[^/]*``: the same paths as ``.*``, but the second
            # quantifier makes a failing match backtrack for far longer.
            compiled = re.compile(regex.replace(".*[^/]*", ".*")), ranges
    except (re.error, RecursionError):
        compiled = None
    if len(_SECTION_PATTERNS) < 4096:
        _SECTION_PATTERNS[glob] = compiled
    return compiled


_SECTION_PATTERNS: dict[str, tuple[re.Pattern[str], list[tuple[int, int]]] | None] = {}


def section_matches(glob: str, relative: str) -> bool:
    """Whether the section ``[glob]`` of an ``.editorconfig`` applies to the file at
    ``relative`` (a path from that ``.editorconfig``'s folder), as the EditorConfig library
    decides it, numeric ranges such as ``{1..3}`` included."""
    compiled = _section_pattern(glob)
    if compiled is None:
        return False
    regex, ranges = compiled
    match = regex.match("/" + relative)
    if match is None:
        return False
    numbers = zip(match.groups(), ranges, strict=False)
    return all(n[0] != "0" and low <= int(n) <= high for n, (low, high) in numbers)


def parse_editorconfig(text: str) -> tuple[bool, list[tuple[str, dict[str, str]]]]:
    """``(root, [(section glob, properties)])`` read with the EditorConfig library's grammar
    (its section and property patterns; ``;`` and ``#`` start a comment after a space);
    keys and values lowercased, lines it cannot read passed over."""
    is_root = False
    sections: list[tuple[str, dict[str, str]]] = []
    current: dict[str, str] | None = None
    for line in text.removeprefix("\ufeff").splitlines():
        if not line.strip() or line[0] in "#;":
            continue
        header = EditorConfigParser.SECTCRE.match(line)
        if header is not None:
            current = {}
            sections.append((header["header"], current))
            continue
        option = EditorConfigParser.OPTCRE.match(line)
        if option is None:
            continue
        key = option["option"].rstrip().lower()
        value = re.split(r" [;#]", option["value"], maxsplit=1)[0].strip()
        value = "" if value == '""' else value.lower()
        if current is not None:
            current[key] = value
        elif key == "root":
            is_root = value == "true"
    return is_root, sections


def editorconfig_files(view: RepoView, folder: str) -> list[str]:
    """The ``.editorconfig`` files that apply to ``folder``, nearest first, up to the
    first one with ``root = true``."""
    chain = []
    for current in ancestors(folder):
        path = join(current, ".editorconfig")
        if view.exists(path):
            chain.append(path)
            parsed = _parsed_editorconfig(view, path)
            if parsed is not None and parsed[0]:
                break
    return chain


def _parsed_editorconfig(
    view: RepoView, path: str
) -> tuple[bool, list[tuple[str, dict[str, str]]]] | None:
    key = ("editorconfig", path)
    if key not in view.memo:
        text = view.read_text(path)
        view.memo[key] = parse_editorconfig(text) if text is not None else None
    parsed: tuple[bool, list[tuple[str, dict[str, str]]]] | None = view.memo[key]
    return parsed


def editorconfig_indent(
    view: RepoView, files: Sequence[str], target: str
) -> tuple[Indent | None, Evidence | None]:
    """The indentation the ``.editorconfig`` chain sets for the file ``target``."""
    props: dict[str, str] = {}
    origin: dict[str, str] = {}
    for path in reversed(files):  # farthest first, nearer files override
        parsed = _parsed_editorconfig(view, path)
        if parsed is None:
            continue
        base = parent(path)
        relative = target[len(base) + 1 :] if base else target
        for glob, values in parsed[1]:
            if section_matches(glob, relative):
                for key, value in values.items():
                    props[key] = value
                    origin[key] = f"{path} [{glob}]"
    style = props.get("indent_style")
    if style not in ("space", "tab"):
        return None, None
    size = _int(props.get("indent_size"))
    tab_width = _int(props.get("tab_width"))
    if style == "tab":
        size = tab_width or size
    elif size is None and props.get("indent_size") == "tab":
        size = tab_width
    where = origin["indent_style"]
    file, _, section = where.partition(" ")
    detail = f"{section} indent_style = {style}"
    for key in ("indent_size", "tab_width"):
        if key in props:
            if origin[key] == where:
                detail += f", {key} = {props[key]}"
            else:
                detail += f"; {key} = {props[key]} from {origin[key]}"
    return Indent(style, size), Evidence("style", file, detail)


def _int(value: str | None) -> int | None:
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= 16 else None


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
