"""Workspace members: the globs a workspace manifest names (``packages/*``, ``crates/**``,
``!excluded``) matched against the listed folders."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scaffold.detect.parsers import as_list
from scaffold.detect.paths import resolve, short

if TYPE_CHECKING:
    from scaffold.detect.base import Context


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a workspace glob: ``*`` and ``?`` stay within a segment, ``**`` spans
    segments, ``[...]`` and ``{a,b}`` as in the shells and the JS tools."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    out.append("(?:.*/)?")
                    i += 1
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "{":
            end = pattern.find("}", i)
            if end < 0:
                out.append(re.escape(c))
            else:
                options = pattern[i + 1 : end].split(",")
                out.append("(?:" + "|".join(glob_regex(o).pattern[:-2] for o in options) + ")")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def _compile_glob(ctx: Context, source: str, pattern: str) -> re.Pattern[str] | None:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return glob_regex(pattern)
    except (re.error, RecursionError):
        ctx.warn(source, f"invalid workspace pattern: {short(pattern)}")
        return None


def expand_members(
    ctx: Context,
    base: str,
    patterns: Iterable[Any],
    candidates: Iterable[str],
    *,
    exclude: Iterable[Any] = (),
    source: str,
) -> list[str]:
    """The folders in ``candidates`` (root-relative folders holding a member manifest)
    that the workspace at ``base`` includes.

    ``patterns`` are globs relative to ``base``; a leading ``!`` removes matches (npm,
    pnpm, yarn). ``exclude`` entries remove a folder they match as a glob or contain as
    a prefix (Cargo, uv). Non-string entries are reported and skipped.
    """
    include: list[re.Pattern[str]] = []
    remove: list[re.Pattern[str]] = []
    prefixes: list[str] = []
    for raw in patterns:
        if not isinstance(raw, str):
            ctx.warn(source, f"workspace member pattern is not a string: {short(raw)}")
            continue
        negate = raw.startswith("!")
        text = raw[1:] if raw.startswith("!") else raw
        full = resolve(base, text.rstrip("/") or ".")
        if full is None:
            continue
        regex = _compile_glob(ctx, source, full)
        if regex is not None:
            (remove if negate else include).append(regex)
    for raw in exclude:
        if not isinstance(raw, str):
            ctx.warn(source, f"workspace exclude entry is not a string: {short(raw)}")
            continue
        full = resolve(base, raw.rstrip("/") or ".")
        if full is None:
            continue
        regex = _compile_glob(ctx, source, full)
        if regex is not None:
            remove.append(regex)
        prefixes.append(full + "/")
    members = []
    for folder in candidates:
        if folder == base:
            continue
        if not any(p.match(folder) for p in include):
            continue
        if any(p.match(folder) for p in remove) or folder.startswith(tuple(prefixes)):
            continue
        members.append(folder)
    return sorted(set(members))


def table_members(
    ctx: Context, base: str, workspace: dict[str, Any], candidates: Iterable[str], source: str
) -> list[str]:
    """The members of a workspace table with ``members`` and ``exclude`` lists of globs
    (Cargo's ``[workspace]``, uv's ``[tool.uv.workspace]``)."""
    members, exclude = as_list(workspace.get("members")), as_list(workspace.get("exclude"))
    return expand_members(ctx, base, members, candidates, exclude=exclude, source=source)
