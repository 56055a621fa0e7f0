"""A read-only view of a repository: its file list, taken once, and guarded reads.

Detectors never touch the disk themselves. They ask the view which files exist (a
sorted list of POSIX paths relative to the root, so that "what is under this folder"
is a binary search, not a walk), which files carry a given name (an index built in
one pass over the list, where a set lookup on the last four characters of each path
skips nearly all of them), and for the bytes of the few files they need. How the list
is taken is :mod:`scaffold.repo.listing`; what counts as vendored or generated,
:mod:`scaffold.repo.vendored`.

Nothing here raises for bad input inside the repository: symlinks that loop or leave the
repository, binary or oversized files become warnings.
"""

from __future__ import annotations

import errno
import os
import stat
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from scaffold.model import DetectWarning
from scaffold.repo.vendored import (
    EXCLUDED_DIRS,
    GENERATED_SUFFIXES,
    AttributeRule,
    parse_attributes,
)
from scaffold.untrusted import encodable as encodable
from scaffold.untrusted import printable as printable
from scaffold.untrusted import read_at_most

#: Largest manifest read; anything bigger is reported and skipped.
MAX_MANIFEST_BYTES = 4 * 1024 * 1024

#: Entries of one folder a walk looks at (a folder of 50,000 generated files costs no more).
MAX_ENTRIES = 2000


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


#: The first item of a memo key for what is computed from sampled source files only; the
#: key's last item holds those files' paths (see :meth:`RepoView.planned`).
SAMPLED = "sampled"


class RepoView:
    """The files of one repository, listed once, and guarded reads of their content."""

    def __init__(
        self,
        root: Path,
        files: Iterable[str],
        *,
        source: str = "list",
        pruned: Iterable[str] = (),
        warnings: Iterable[DetectWarning] = (),
        index_names: Iterable[str] = (),
        planned: Mapping[str, bytes] | None = None,
    ) -> None:
        self.root = root
        self.source = source
        #: Folders a walk did not enter because they are never source (node_modules...).
        self.pruned = frozenset(pruned)
        self._root_str = str(root)
        self._root_real = os.path.realpath(root)
        self._warnings: dict[tuple[str, str], DetectWarning] = {}
        for warning in warnings:
            self._warnings[(warning.file, warning.message)] = warning
        files = list(files)
        if planned:
            listed = set(files)
            files.extend(path for path in planned if path not in listed)
        files.sort()
        self.files = files
        self._index_names = tuple(index_names)
        keys = set(index_names)
        # "*.csproj": names ending so; "*requirements*.txt": .txt files with the word in
        # their path. Anything else is an exact base name.
        self._rules = [
            (body.partition("*")[2], body.partition("*")[0], key)
            if "*" in (body := key[1:])
            else (body, "", key)
            for key in sorted(keys)
            if key.startswith("*")
        ]
        self._names = frozenset(k for k in keys if not k.startswith("*"))
        # Paths whose last four characters cannot end an indexed name are skipped in C
        # speed; only the few left are split into folder and name.
        self._tails = (
            frozenset(name[-4:] for name in self._names)
            | frozenset(("/" + name)[-4:] for name in self._names if len(name) < 4)
            | frozenset(ending[-4:] for ending, _, _ in self._rules)
        )
        self._index: dict[str, list[str]] = {}
        self._add_to_index(files)
        self._indexed: set[str] | None = None
        self._excluded_cache: dict[str, bool] = {}
        self._attributes: list[AttributeRule] | None = None
        self._bytes_cache: dict[str, bytes | None] = {}
        #: The beginnings of source files read as samples, by path and length.
        self._samples: dict[tuple[str, int], bytes] = {}
        self._tried: set[str] = set()  # every path read, or tried: listed or not, there or not
        #: A plan's files, read as it would write them.
        self._planned = dict(planned or {})
        #: Results other modules compute once per view (parsed .editorconfig files...).
        self.memo: dict[Any, Any] = {}

    def planned(self, writes: Mapping[str, bytes]) -> RepoView:
        """A view of the repository as it will be once ``writes`` (file contents by
        root-relative path, new files or new contents) are written; what this view has
        read already is not read again."""
        view = RepoView(
            self.root, self.files, source=self.source, pruned=self.pruned,
            index_names=self._index_names, planned=writes,
        )  # fmt: skip
        # What was read, and what was computed from samples the writes leave alone, stays.
        view._bytes_cache.update(self._bytes_cache)
        view._samples.update(self._samples)
        view.memo.update(
            (key, value)
            for key, value in self.memo.items()
            if key[:1] == (SAMPLED,) and writes.keys().isdisjoint(key[-1])
        )
        return view

    def _add_to_index(self, files: list[str]) -> None:
        names = self._names
        tails = self._tails
        index = self._index
        rules = self._rules
        for path in [p for p in files if p[-4:] in tails]:
            name = path[path.rfind("/") + 1 :]
            if name in names:
                index.setdefault(name, []).append(path)
            for ending, word, key in rules:
                if name.endswith(ending) and word in path:
                    index.setdefault(key, []).append(path)

    # -- warnings ---------------------------------------------------------------------------

    def warn(self, file: str, message: str) -> None:
        """Record that ``file`` could not be used, and why (once per file and message)."""
        key = (printable(file) or ".", encodable(message))
        self._warnings.setdefault(key, DetectWarning(*key))

    @property
    def warnings(self) -> tuple[DetectWarning, ...]:
        return tuple(sorted(self._warnings.values(), key=lambda w: (w.file, w.message)))

    # -- listing queries ----------------------------------------------------------------------

    def named(self, name: str) -> list[str]:
        """Every listed path whose base name is ``name``, or that a ``*`` pattern matches
        (one of the indexed names or patterns), sorted."""
        if name not in self._names and not any(key == name for _, _, key in self._rules):
            raise KeyError(f"{name!r} is not an indexed name")
        return self._index.get(name, [])

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a listed file (a set lookup for indexed names)."""
        if path[path.rfind("/") + 1 :] in self._names:
            if self._indexed is None:
                self._indexed = {p for paths in self._index.values() for p in paths}
            return path in self._indexed
        files = self.files
        i = bisect_left(files, path)
        return i < len(files) and files[i] == path

    def _span(self, folder: str) -> tuple[int, int]:
        if not folder:
            return 0, len(self.files)
        lo = bisect_left(self.files, folder + "/")
        hi = bisect_left(self.files, folder + "0", lo)  # "0" sorts right after "/"
        return lo, hi

    def is_dir(self, folder: str) -> bool:
        """Whether some listed file lies below ``folder`` ("" is the root)."""
        lo, hi = self._span(folder)
        return lo < hi

    def has_folder(self, folder: str) -> bool:
        """Whether ``folder`` exists: holds listed files, or was skipped as never-source."""
        return folder in self.pruned or self.is_dir(folder)

    def below(self, folder: str, limit: int) -> list[str]:
        """The listed paths below ``folder``; past ``limit`` of them, an evenly spread
        selection of about ``limit``."""
        lo, hi = self._span(folder)
        count = hi - lo
        if count <= limit:
            return self.files[lo:hi]
        return self.files[lo : hi : -(-count // limit)]

    def count_below(self, folder: str) -> int:
        lo, hi = self._span(folder)
        return hi - lo

    def children(self, folder: str, limit: int = 0) -> tuple[list[str], list[str]]:
        """The sub-folder names and file names directly in ``folder``, sorted; with a
        ``limit``, only the first ``limit`` entries.

        Costs one binary search per sub-folder, however many files each holds.
        """
        files = self.files
        lo, hi = self._span(folder)
        cut = len(folder) + 1 if folder else 0
        dirs: list[str] = []
        names: list[str] = []
        i = lo
        budget = limit or hi - lo
        while i < hi and budget > 0:
            budget -= 1
            path = files[i]
            slash = path.find("/", cut)
            if slash < 0:
                names.append(path[cut:])
                i += 1
            else:
                dirs.append(path[cut:slash])
                i = bisect_left(files, path[:slash] + "0", i + 1, hi)
        return dirs, names

    def walk(
        self,
        folder: str,
        *,
        prune: Callable[[str], bool] | None = None,
        max_dirs: int = 10_000,
        max_entries: int = MAX_ENTRIES,
    ) -> Iterator[tuple[str, list[str], list[str]]]:
        """Breadth-first ``(folder, sub-folder names, file names)``, skipping excluded
        folders and any for which ``prune`` is true; stops after ``max_dirs`` folders and
        looks at no more than ``max_entries`` entries of any one folder."""
        queue = deque([folder])
        seen = 0
        while queue and seen < max_dirs:
            current = queue.popleft()
            seen += 1
            dirs, names = self.children(current, max_entries)
            kept = []
            for name in dirs:
                child = f"{current}/{name}" if current else name
                if self.excluded(child) or (prune is not None and prune(child)):
                    continue
                kept.append(name)
                queue.append(child)
            yield current, kept, names

    # -- vendored and generated code ----------------------------------------------------------

    def excluded(self, path: str) -> bool:
        """Whether ``path`` (file or folder) is vendored or generated code.

        Defaults: any folder segment in :data:`EXCLUDED_DIRS`, or a file name ending in
        one of :data:`GENERATED_SUFFIXES`; ``.gitattributes`` ``linguist-vendored`` and
        ``linguist-generated`` override either way.
        """
        cached = self._excluded_cache.get(path)
        if cached is not None:
            return cached
        default_vendored = any(segment in EXCLUDED_DIRS for segment in path.split("/"))
        default_generated = path.endswith(GENERATED_SUFFIXES)
        vendored, generated = default_vendored, default_generated
        for rule in self._attribute_rules():
            if rule.matches(path):
                if rule.vendored is not None:
                    vendored = default_vendored if rule.vendored == "" else bool(rule.vendored)
                if rule.generated is not None:
                    generated = default_generated if rule.generated == "" else bool(rule.generated)
        result = vendored or generated
        self._excluded_cache[path] = result
        return result

    def has_attribute_rules(self) -> bool:
        """Whether ``.gitattributes`` changes what counts as vendored or generated."""
        return bool(self._attribute_rules())

    def _attribute_rules(self) -> list[AttributeRule]:
        if self._attributes is None:
            self._attributes = []
            if ".gitattributes" in self._names:
                for path in sorted(self.named(".gitattributes"), key=lambda p: p.count("/")):
                    text = self.read_text(path)
                    if text is not None:
                        base = path.rpartition("/")[0]
                        self._attributes.extend(parse_attributes(base, text))
        return self._attributes

    # -- reading ------------------------------------------------------------------------------

    def read_bytes(
        self, path: str, *, limit: int = MAX_MANIFEST_BYTES, quiet: bool = False
    ) -> bytes | None:
        """The bytes of a listed file, or ``None`` with a warning (unless ``quiet``).

        Refuses symlinks that loop or leave the repository, anything that is not a
        regular file, and files over ``limit`` bytes (``quiet`` reads truncate instead).
        """
        if path in self._planned:
            return self._planned[path] if not quiet else self._planned[path][:limit]
        self._tried.add(path)
        if not quiet and path in self._bytes_cache:
            return self._bytes_cache[path]
        if quiet and (path, limit) in self._samples:
            return self._samples[path, limit]

        def fail(message: str) -> None:
            if not quiet:
                self.warn(path, message)
                self._bytes_cache[path] = None

        full = os.path.join(self._root_str, path)
        try:
            try:
                # One open that refuses a symlink as the last component (and FIFOs do not
                # block); symlinks take the careful path below.
                fd = os.open(full, _OPEN_FLAGS)
            except OSError as error:
                if error.errno != errno.ELOOP or not _NOFOLLOW:
                    raise
                real = os.path.realpath(full, strict=True)
                if real != self._root_real and not real.startswith(self._root_real + os.sep):
                    fail("symbolic link to a file outside the repository; not read")
                    return None
                fd = os.open(real, _OPEN_FLAGS & ~_NOFOLLOW)
            try:
                info = os.fstat(fd)
                if stat.S_ISDIR(info.st_mode):
                    fail("is a folder, not a file")
                    return None
                if not stat.S_ISREG(info.st_mode):
                    fail("not a regular file; not read")
                    return None
                too_large = f"larger than {limit // (1024 * 1024)} MiB; not read"
                if info.st_size > limit and not quiet:
                    fail(too_large)
                    return None
                # one more than the limit: a file that grew while it was read is refused
                data = read_at_most(fd, limit if quiet else limit + 1)
                if len(data) > limit:
                    fail(too_large)
                    return None
            finally:
                os.close(fd)
        except FileNotFoundError:
            fail("listed but missing from the work tree")
            return None
        except IsADirectoryError:
            fail("is a folder, not a file")
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                fail("symbolic link loop; not read")
            else:
                fail(f"cannot read: {error.strerror or error}")
            return None
        except RuntimeError:  # symlink loop on some Python versions
            fail("symbolic link loop; not read")
            return None
        if not quiet:
            self._bytes_cache[path] = data
        else:
            self._samples[path, limit] = data
        return data

    def read_paths(self) -> set[str]:
        """Every path this view read or tried to: with the listing, all it depends on."""
        return set(self._tried)

    def read_text(self, path: str) -> str | None:
        """A manifest's text (UTF-8, BOM allowed), or ``None`` with a warning saying why."""
        data = self.read_bytes(path)
        if data is None:
            return None
        if b"\0" in data:
            self.warn(path, "binary content (NUL bytes) where a text manifest was expected")
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.warn(path, f"not UTF-8 text (invalid byte at offset {error.start})")
            return None

    def read_sample(self, path: str, limit: int = 16 * 1024) -> str | None:
        """Up to ``limit`` bytes of a source file, decoded leniently; ``None`` if unusable."""
        data = self.read_bytes(path, limit=limit, quiet=True)
        if data is None or b"\0" in data[:1024]:
            return None
        return data.decode("utf-8", "replace")
