"""Listing a folder that is not a git work tree: a walk with ``os.scandir`` that prunes
``.git``, the folders that are never source and what the ``.gitignore`` files found on the
way ignore; and the check every listing makes that names are UTF-8.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scaffold.model import DetectWarning
from scaffold.repo.vendored import EXCLUDED_DIRS
from scaffold.repo.view import MAX_MANIFEST_BYTES, RepoView, printable

#: At most this many warnings about file names; the rest are counted in one more.
MAX_NAME_WARNINGS = 20

_SURROGATE = re.compile("[\udc80-\udcff]")
_GIT_DIR_WARNING = re.compile(r"could not open directory '(?P<dir>.*?)/?': (?P<reason>.*)$")

# Indirection so tests can simulate unreadable folders even when running as root.
_scandir = os.scandir


def walk_view(
    root: Path, index_names: Iterable[str], warnings: list[DetectWarning] | None = None
) -> RepoView:
    warnings = [] if warnings is None else warnings
    pruned: list[str] = []
    files = split_walk(_walk(root, warnings, pruned), warnings)
    return RepoView(
        root, files, source="walk", pruned=pruned, warnings=warnings, index_names=index_names
    )


def split_walk(files: list[str], warnings: list[DetectWarning]) -> list[str]:
    try:
        "\0".join(files).encode("utf-8")  # fails on the escapes of undecodable bytes
    except UnicodeEncodeError:
        return drop_bad_names(files, warnings)
    return files


def _walk(root: Path, warnings: list[DetectWarning], pruned: list[str]) -> list[str]:
    """Every file below ``root`` that git would list, minus never-source folders."""
    files: list[str] = []
    root_str = str(root)
    root_real = os.path.realpath(root)
    # A .gitattributes that un-vendors something needs those folders listed, not pruned.
    prune = not _unvendors(os.path.join(root_str, ".gitattributes"))
    stack: list[tuple[str, tuple[tuple[str, Any], ...]]] = [("", ())]
    while stack:
        rel, specs = stack.pop()
        full = os.path.join(root_str, rel) if rel else root_str
        try:
            with _scandir(full) as iterator:
                entries = list(iterator)
        except OSError as error:
            warnings.append(
                DetectWarning(
                    printable(rel) or ".", f"cannot read folder: {error.strerror or error}"
                )
            )
            continue
        if any(entry.name == ".gitignore" for entry in entries):
            spec = _read_gitignore(os.path.join(full, ".gitignore"))
            if spec is not None:
                specs = (*specs, (rel, spec))
        for entry in entries:
            name = entry.name
            child = f"{rel}/{name}" if rel else name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if name in EXCLUDED_DIRS and prune:
                    pruned.append(child)
                    continue
                if name == ".git":
                    continue
                if _ignored(specs, child, True):
                    continue
                stack.append((child, specs))
                continue
            if entry.is_symlink():
                loop = _symlink_loop(entry.path, root_real)
                if loop is not None:
                    warnings.append(DetectWarning(printable(child), loop))
                    continue
            if _ignored(specs, child, False):
                continue
            files.append(child)
    return files


def _unvendors(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            text = handle.read(MAX_MANIFEST_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    return any(
        token in text
        for token in ("-linguist-vendored", "linguist-vendored=false", "!linguist-vendored")
    )


def _symlink_loop(path: str, root_real: str) -> str | None:
    """A warning message when the link at ``path`` loops; ``None`` for an ordinary link."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as error:
        if error.errno == 40:
            return "symbolic link loop; not followed"
        return None  # dangling link: listed like git lists it
    except RuntimeError:
        return "symbolic link loop; not followed"
    if os.path.isdir(target):
        parent = os.path.realpath(os.path.dirname(path))
        if parent == target or parent.startswith(target + os.sep):
            return "symbolic link loop: points to a folder that contains it; not followed"
    return None


def _read_gitignore(path: str) -> Any:
    import pathspec

    try:
        with open(path, "rb") as handle:
            text = handle.read(MAX_MANIFEST_BYTES).decode("utf-8", "replace")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pathspec.GitIgnoreSpec.from_lines(text.splitlines())
    except (OSError, ValueError, TypeError):
        return None
    except Exception:  # a pattern pathspec cannot compile: ignore this .gitignore
        return None


def _ignored(specs: tuple[tuple[str, Any], ...], path: str, is_dir: bool) -> bool:
    ignored = False
    for base, spec in specs:
        rel = path[len(base) + 1 :] if base else path
        result = spec.check_file(rel + "/" if is_dir else rel)
        if result.include is not None:
            ignored = bool(result.include)
    return ignored


def drop_bad_names(files: list[str], warnings: list[DetectWarning]) -> list[str]:
    """Remove paths that are not valid UTF-8, with one warning per offending name."""
    kept: list[str] = []
    bad: dict[str, int] = {}
    for path in files:
        match = _SURROGATE.search(path)
        if match is None:
            kept.append(path)
            continue
        end = path.find("/", match.start())
        name = path if end < 0 else path[:end]
        bad[name] = bad.get(name, 0) + 1
    for index, (name, count) in enumerate(sorted(bad.items())):
        if index == MAX_NAME_WARNINGS:
            warnings.append(
                DetectWarning(".", f"{len(bad) - MAX_NAME_WARNINGS} more names are not valid UTF-8")
            )
            break
        what = "name is not valid UTF-8; skipped"
        if count > 1:
            what += f" ({count} files)"
        warnings.append(DetectWarning(printable(name), what))
    return kept
