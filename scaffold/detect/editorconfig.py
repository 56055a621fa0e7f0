""".editorconfig: the files that cover a folder, their sections and properties read with the
EditorConfig library's grammar and globs, and the indentation they set for a project.

Both the globs and the paths come from the repository, so a section glob is bounded
(:data:`MAX_GLOB_WILDCARDS` and the others) before it is matched: no glob can make matching a
path backtrack for long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from editorconfig.fnmatch import translate
from editorconfig.ini import EditorConfigParser

from scaffold.detect.paths import ancestors, join, parent, short
from scaffold.model import Evidence, Indent

if TYPE_CHECKING:
    from scaffold.repo.view import RepoView


#: Bounds on a section glob, so that matching it against a path cannot backtrack for long
#: (globs and paths both come from the repository). Real globs stay far inside them:
#: ``*.{js,ts}``, ``*.min.*``, ``lib/**.js``, ``{package.json,.travis.yml}``.
MAX_GLOB_CHARS = 256
#: Opening braces in one glob (the library scans ahead from each one).
MAX_GLOB_BRACES = 8
#: Wildcards (``*``, ``**``, ``{1..9}``) one alternative of a glob may chain: each one more
#: multiplies a failing match's work by the path's length.
MAX_GLOB_WILDCARDS = 2
#: Alternatives a glob's braces expand to (``{a,b}{c,d}`` is four).
MAX_GLOB_ALTERNATIVES = 64
#: Backtracking steps the sections of an ``.editorconfig`` chain may cost one path, at most
#: (a few nanoseconds each): a section costs its alternatives times (the length + 1 of the
#: path, or of its last name when the glob cannot match a ``/``) to the power of its
#: wildcards. Ordinary paths never come near (``[*.min.*]`` costs ~1,000 on ``app.min.js``);
#: a 4,096-character name allows one section with two wildcards.
MAX_MATCH_WORK = 2 * 10**7
#: Sections of an ``.editorconfig`` chain read for one path (each costs a translation).
MAX_SECTIONS_PER_PATH = 128


@dataclass(frozen=True)
class SectionGlob:
    """How the section ``[glob]`` is matched: the regex the EditorConfig library translates
    it to (``None`` when it makes none) and the numeric ranges its groups must fall in, or
    why the section is not read at all (``refused``)."""

    regex: re.Pattern[str] | None
    ranges: tuple[tuple[int, int], ...] = ()
    refused: str = ""
    wildcards: int = 0
    alternatives: int = 1
    in_last_name: bool = False  # its wildcards only ever run over the path's last name

    def work(self, relative: str) -> int:
        """At most how many backtracking steps matching ``relative`` takes (within a small
        constant)."""
        length = len(relative.rpartition("/")[2] if self.in_last_name else relative) + 2
        return self.alternatives * int(length**self.wildcards) + len(relative)


@dataclass(frozen=True)
class _Shape:
    """What backtracking a translated glob can do: the most unbounded repeats one path
    through it chains, how many paths its alternations make, and whether any part of it can
    match a ``/``."""

    wildcards: int
    alternatives: int
    slashes: bool


def section_glob(glob: str) -> SectionGlob:
    """The section ``[glob]`` translated by the EditorConfig library and anchored as its
    parser anchors it for a file below the ``.editorconfig`` (a glob without ``/`` matches in
    any folder; one with ``/`` from the file's folder), or refused when it exceeds the bounds
    above. Memoised: the same globs recur in every project's chain."""
    if glob in _SECTION_GLOBS:
        return _SECTION_GLOBS[glob]
    section = _translated(glob)
    if len(_SECTION_GLOBS) < 4096:
        _SECTION_GLOBS[glob] = section
    return section


_SECTION_GLOBS: dict[str, SectionGlob] = {}


def _translated(glob: str) -> SectionGlob:
    import warnings

    if len(glob) > MAX_GLOB_CHARS:
        return SectionGlob(None, refused=f"longer than {MAX_GLOB_CHARS} characters")
    if glob.count("{") > MAX_GLOB_BRACES:
        return SectionGlob(None, refused=f"more than {MAX_GLOB_BRACES} braces")
    unescaped = glob.replace("\\#", "#").replace("\\;", ";")
    if "/" in unescaped:
        anchored, prefix = "/" + unescaped.removeprefix("/"), ""
    elif unescaped.startswith("**"):
        # The library anchors it as ``**/**...``: ``.*/.*`` matches what ``/.*`` matches
        # in a path that starts with ``/``, with one wildcard fewer.
        anchored, prefix = "/" + unescaped, ""
    else:
        anchored, prefix = unescaped, ".*/"
    try:
        with warnings.catch_warnings():  # the library's regexes warn of nested sets
            warnings.simplefilter("ignore")
            regex, ranges = translate(anchored)
            # ``**`` comes out as ``.*[^/]*``: the same paths as ``.*``, but the second
            # quantifier makes a failing match backtrack for far longer.
            body = regex.removeprefix("(?s)").replace(".*[^/]*", ".*")
            shape = _shape(body)
            if prefix and not shape.slashes:
                # Nothing after the prefix can match a `/`, so the prefix can only end at
                # the path's last `/`: an atomic group takes just that, never backtracking.
                prefix = "(?>.*/)"
            compiled = re.compile("(?s)" + prefix + body)
    except (re.error, RecursionError):
        return SectionGlob(None)
    wildcards = shape.wildcards + (prefix == ".*/")
    if wildcards > MAX_GLOB_WILDCARDS:
        return SectionGlob(
            None, refused=f"more than {MAX_GLOB_WILDCARDS} wildcards in one alternative"
        )
    if shape.alternatives > MAX_GLOB_ALTERNATIVES:
        return SectionGlob(
            None, refused=f"more than {MAX_GLOB_ALTERNATIVES} alternatives in braces"
        )
    return SectionGlob(
        compiled,
        tuple(ranges),
        wildcards=wildcards,
        alternatives=shape.alternatives,
        in_last_name=prefix == "(?>.*/)",
    )


def _shape(regex: str) -> _Shape:
    """The :class:`_Shape` of ``regex``, from the standard library's own regex parser."""
    import sre_parse  # deprecated by name only; warnings are off where this runs

    return _shape_of(sre_parse.parse(regex).data)


def _shape_of(items: Iterable[tuple[Any, Any]]) -> _Shape:
    from re import _constants as c  # type: ignore[attr-defined]

    wildcards, alternatives, slashes = 0, 1, False
    for op, arg in items:
        inner: _Shape
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            _low, high, sub = arg
            inner = _shape_of(sub)
            inner = _Shape(
                inner.wildcards + (high == c.MAXREPEAT), inner.alternatives, inner.slashes
            )
        elif op == c.BRANCH:
            branches = [_shape_of(sub) for sub in arg[1]]
            inner = _Shape(
                max(b.wildcards for b in branches),
                sum(b.alternatives for b in branches),
                any(b.slashes for b in branches),
            )
        elif op == c.SUBPATTERN:
            inner = _shape_of(arg[-1])
        elif op == c.LITERAL:
            inner = _Shape(0, 1, arg == ord("/"))
        elif op == c.NOT_LITERAL:
            inner = _Shape(0, 1, arg != ord("/"))
        elif op == c.IN:
            inner = _Shape(0, 1, _class_matches_slash(arg))
        elif op == c.AT:
            inner = _Shape(0, 1, False)
        else:  # ANY and anything else: may match a `/`
            inner = _Shape(0, 1, True)
        wildcards += inner.wildcards
        alternatives *= inner.alternatives
        slashes = slashes or inner.slashes
    return _Shape(wildcards, alternatives, slashes)


def _class_matches_slash(members: list[tuple[Any, Any]]) -> bool:
    """Whether a character class (``[...]``, ``[^...]``) may match ``/``."""
    from re import _constants as c  # type: ignore[attr-defined]

    def names_slash(member: Any, arg: Any) -> bool:
        if member == c.LITERAL:
            return bool(arg == ord("/"))
        if member == c.RANGE:
            low, high = arg
            return bool(low <= ord("/") <= high)
        return False

    if members and members[0][0] == c.NEGATE:
        return not any(names_slash(m, a) for m, a in members[1:])
    known = (c.LITERAL, c.RANGE, c.CATEGORY)
    digits_only = all(m != c.CATEGORY or a == c.CATEGORY_DIGIT for m, a in members)
    return not (digits_only and all(m in known for m, _ in members)) or any(
        names_slash(m, a) for m, a in members
    )


def section_matches(glob: str, relative: str) -> bool:
    """Whether the section ``[glob]`` of an ``.editorconfig`` applies to the file at
    ``relative`` (a path from that ``.editorconfig``'s folder), as the EditorConfig library
    decides it, numeric ranges such as ``{1..3}`` included; a refused section applies to
    nothing."""
    section = section_glob(glob)
    if section.regex is None:
        return False
    match = section.regex.match("/" + relative)
    if match is None:
        return False
    numbers = zip(match.groups(), section.ranges, strict=False)
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
    work = sections = 0
    for path in reversed(files):  # farthest first, nearer files override
        parsed = _parsed_editorconfig(view, path)
        if parsed is None:
            continue
        base = parent(path)
        relative = target[len(base) + 1 :] if base else target
        for glob, values in parsed[1]:
            sections += 1
            if sections > MAX_SECTIONS_PER_PATH:
                view.warn(
                    path,
                    f"section [{short(glob)}] and the sections after it not read: "
                    f"more than {MAX_SECTIONS_PER_PATH} sections to match {short(target)} against",
                )
                return _indent(props, origin)
            section = section_glob(glob)
            if section.refused:
                view.warn(path, f"section [{short(glob)}] not read: {section.refused}")
                continue
            work += section.work(relative)
            if work > MAX_MATCH_WORK:
                view.warn(
                    path,
                    f"section [{short(glob)}] and the sections after it not read: "
                    f"too much wildcard matching for {short(target)} "
                    f"({len(target):,} characters)",
                )
                return _indent(props, origin)
            if section_matches(glob, relative):
                for key, value in values.items():
                    props[key] = value
                    origin[key] = f"{path} [{glob}]"
    return _indent(props, origin)


def _indent(
    props: Mapping[str, str], origin: Mapping[str, str]
) -> tuple[Indent | None, Evidence | None]:
    """The indentation ``props`` set, and the evidence naming where each came from."""
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
