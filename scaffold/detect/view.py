"""A read-only view of a repository: its file list, taken once, and guarded reads.

Detectors never touch the disk themselves. They ask the view which files exist (a
sorted list of POSIX paths relative to the root, so that "what is under this folder"
is a binary search, not a walk), which files carry a given name (an index built in
one pass over the list, where a set lookup on the last four characters of each path
skips nearly all of them), and for the bytes of the few files they need.

Listing:

* In a git work tree: tracked files (``git ls-files -z --cached``, read from the index)
  plus untracked files that are not ignored (``git ls-files -z --others
  --exclude-standard``, git applying every ``.gitignore``, ``.git/info/exclude`` and
  ``core.excludesFile``). The two run side by side, and the tracked list is indexed
  while git still walks the work tree for untracked files.
* Elsewhere the folder is walked with ``os.scandir``, pruning ``.git``, the folders
  that are never source (:data:`EXCLUDED_DIRS`) and whatever the ``.gitignore`` files
  found on the way ignore (matched with pathspec's git-ignore rules).

Vendored and generated code stays in the list but :meth:`RepoView.excluded` says so;
it is checked on the few paths a detector looks at, so its cost grows with manifests
and samples, not with files. Folder names match on whole path segments only, and
``.gitattributes`` ``linguist-vendored`` / ``linguist-generated`` (set or unset) win
over the defaults.

Nothing here raises for bad input inside the repository: unreadable folders, symlink
loops, binary or oversized manifests and non-UTF-8 names become warnings.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import warnings
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.model import DetectWarning

#: Folder names (whole path segments) whose content is never the project's own code.
EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "third_party",
        "third-party",
        "target",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        "site-packages",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".cache",
        "dist",
        "build",
        "_build",
        ".gradle",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".turbo",
        ".yarn",
        ".pnpm-store",
        ".terraform",
        ".dart_tool",
        "Pods",
    }
)

#: File name endings of generated code (protobuf, gRPC, code generators, minified bundles).
GENERATED_SUFFIXES = (
    "_pb2.py",
    "_pb2.pyi",
    "_pb2_grpc.py",
    ".pb.go",
    ".pb.gw.go",
    "_grpc.pb.go",
    "_pb.js",
    "_pb.d.ts",
    "_grpc_pb.js",
    "_grpc_pb.d.ts",
    ".pb.cc",
    ".pb.h",
    ".pb.rs",
    ".g.dart",
    ".freezed.dart",
    ".min.js",
    ".min.css",
)

#: Largest manifest read; anything bigger is reported and skipped.
MAX_MANIFEST_BYTES = 4 * 1024 * 1024

#: Entries of one folder a walk looks at (a folder of 50,000 generated files costs no more).
MAX_ENTRIES = 2000

#: At most this many warnings about file names; the rest are counted in one more.
MAX_NAME_WARNINGS = 20

_SURROGATE = re.compile("[\udc80-\udcff]")
_GIT_DIR_WARNING = re.compile(r"could not open directory '(?P<dir>.*?)/?': (?P<reason>.*)$")

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

# Indirection so tests can simulate unreadable folders even when running as root.
_scandir = os.scandir


def printable(path: str) -> str:
    """``path`` with bytes that are not UTF-8 shown as ``\\xNN`` escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def encodable(text: str) -> str:
    """``text`` with lone surrogates (from JSON ``\\udXXX`` escapes) shown as
    ``\\udXXX`` escapes, so that it can be written out as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


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
        files.sort()
        self.files = files
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
        self._attributes: list[_AttributeRule] | None = None
        self._bytes_cache: dict[str, bytes | None] = {}
        #: Results other modules compute once per view (parsed .editorconfig files...).
        self.memo: dict[Any, Any] = {}

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

    def _attribute_rules(self) -> list[_AttributeRule]:
        if self._attributes is None:
            self._attributes = []
            if ".gitattributes" in self._names:
                for path in sorted(self.named(".gitattributes"), key=lambda p: p.count("/")):
                    text = self.read_text(path)
                    if text is not None:
                        base = path.rpartition("/")[0]
                        self._attributes.extend(_parse_attributes(base, text))
        return self._attributes

    # -- reading ------------------------------------------------------------------------------

    def read_bytes(
        self, path: str, *, limit: int = MAX_MANIFEST_BYTES, quiet: bool = False
    ) -> bytes | None:
        """The bytes of a listed file, or ``None`` with a warning (unless ``quiet``).

        Refuses symlinks that loop or leave the repository, anything that is not a
        regular file, and files over ``limit`` bytes (``quiet`` reads truncate instead).
        """
        if not quiet and path in self._bytes_cache:
            return self._bytes_cache[path]

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
                chunks = []
                left = limit if quiet else limit + 1  # one more: a file that grew is refused
                while left > 0:
                    chunk = os.read(fd, min(left, 1 << 20))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    left -= len(chunk)
                data = b"".join(chunks)
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
        return data

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


class _AttributeRule:
    """One ``.gitattributes`` line setting or unsetting linguist-vendored/-generated.

    ``vendored``/``generated``: True (set), False (unset), "" (back to the default, ``!attr``)
    or None (line does not mention it).
    """

    __slots__ = ("base", "generated", "pattern", "spec", "vendored")

    def __init__(
        self, base: str, pattern: str, vendored: bool | str | None, generated: bool | str | None
    ) -> None:
        import pathspec

        self.base = base
        self.pattern = pattern
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.spec = pathspec.GitIgnoreSpec.from_lines([pattern])
        self.vendored = vendored
        self.generated = generated

    def matches(self, path: str) -> bool:
        if self.base:
            if not path.startswith(self.base + "/"):
                return False
            path = path[len(self.base) + 1 :]
        return bool(self.spec.match_file(path))


def _attribute_value(token: str, name: str) -> bool | str | None:
    if token == name or token == f"{name}=true":
        return True
    if token == f"-{name}" or token == f"{name}=false":
        return False
    if token == f"!{name}":
        return ""
    return None


def _parse_attributes(base: str, text: str) -> list[_AttributeRule]:
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        pattern, tokens = parts[0], parts[1:]
        if pattern.startswith("[attr]"):
            continue
        vendored: bool | str | None = None
        generated: bool | str | None = None
        for token in tokens:
            value = _attribute_value(token, "linguist-vendored")
            if value is not None:
                vendored = value
            value = _attribute_value(token, "linguist-generated")
            if value is not None:
                generated = value
        if vendored is None and generated is None:
            continue
        try:
            rules.append(_AttributeRule(base, pattern, vendored, generated))
        except Exception:  # pathspec refuses a malformed pattern: ignore that line
            continue
    return rules


# -- building a view --------------------------------------------------------------------------


def open_view(root: Path, index_names: Iterable[str] = ()) -> RepoView:
    """List ``root`` once (git index when it is a work tree, else a pruned walk)."""
    view, listing = begin_view(root, index_names)
    return view if listing is None else listing.finish(view)


@dataclass(frozen=True, slots=True)
class WorkTreeChanges:
    """What ``git status`` reports for the tracked files below a folder, with the untracked
    files there that are not ignored: the paths (from the repository's root, for tracked
    files; from the folder, for untracked ones), or why ``git status`` failed."""

    paths: tuple[str, ...]
    error: str | None = None


class PendingListing:
    """The files git is still listing for a view of the tracked files: the untracked files
    that are not ignored (a walk of the work tree), and when asked the changes to tracked
    files (a look at each). The view can be read meanwhile: most work trees have no
    untracked file, and the view then already holds every file."""

    def __init__(
        self,
        root: Path,
        listing: _GitListing,
        tracked: list[str],
        warnings: list[DetectWarning],
        index_names: Iterable[str],
    ) -> None:
        self._root = root
        self._listing = listing
        self._tracked = tracked
        self._warnings = warnings
        self._index_names = tuple(index_names)
        self._finished: RepoView | None = None
        self.changes: WorkTreeChanges | None = None

    def finish(self, view: RepoView) -> RepoView:
        """``view`` if git listed no more files, else a new view of them all; waits for git.

        A view of no file at all (an empty or fully ignored tree) is replaced by a walk of
        the folder, which costs nothing then and sees more.
        """
        if self._finished is not None:
            return self._finished
        untracked = _split(self._listing.untracked(self._warnings), self._warnings)
        self.changes = self._listing.changes(untracked)
        if untracked:
            view = RepoView(
                self._root, self._tracked + untracked, source="git", index_names=self._index_names
            )
        if not view.files:
            view = _walk_view(self._root, self._index_names, self._warnings)
        else:
            for warning in self._warnings:
                view.warn(warning.file, warning.message)
        self._finished = view
        return view

    def close(self) -> None:
        """Stop git if it is still listing (the view was given up on)."""
        self._listing.stop()


def begin_view(
    root: Path, index_names: Iterable[str] = (), *, changes: bool = False
) -> tuple[RepoView, PendingListing | None]:
    """A view of ``root`` to read at once and, in a git work tree, the files git is still
    listing (see :class:`PendingListing`; with ``changes``, git's status is taken too).

    The view holds the tracked files; :meth:`PendingListing.finish` gives the view of
    every file.
    """
    index_names = tuple(index_names)
    warnings: list[DetectWarning] = []
    listing = _GitListing.start(root, warnings, changes=changes)
    if listing is None:
        return _walk_view(root, index_names, warnings), None
    tracked = _split(listing.tracked, warnings)
    pending = PendingListing(root, listing, tracked, warnings, index_names)
    # indexed while git is still looking for untracked files
    return RepoView(root, tracked, source="git", index_names=index_names), pending


def _walk_view(
    root: Path, index_names: Iterable[str], warnings: list[DetectWarning] | None = None
) -> RepoView:
    warnings = [] if warnings is None else warnings
    pruned: list[str] = []
    files = _split_walk(_walk(root, warnings, pruned), warnings)
    return RepoView(
        root, files, source="walk", pruned=pruned, warnings=warnings, index_names=index_names
    )


def _split(data: bytes, warnings: list[DetectWarning]) -> list[str]:
    """NUL-separated names as text; names that are not UTF-8 become warnings."""
    try:
        text = data.decode("utf-8")  # strict decoding, in C, tells at once
        clean = True
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        clean = False
    files = text.split("\0")
    files.pop()  # the list ends with a NUL (or is empty)
    return files if clean else _drop_bad_names(files, warnings)


def _split_walk(files: list[str], warnings: list[DetectWarning]) -> list[str]:
    try:
        "\0".join(files).encode("utf-8")  # fails on the escapes of undecodable bytes
    except UnicodeEncodeError:
        return _drop_bad_names(files, warnings)
    return files


def _git_env() -> dict[str, str]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    return env


class _GitListing:
    """``git ls-files``, in processes that run side by side: tracked files (read from the
    index, quick) and untracked files that are not ignored (a walk of the work tree,
    slower), so the tracked list is indexed while git still walks; and when asked,
    ``git status`` of the tracked files (a look at each), in a third process."""

    def __init__(
        self,
        tracked: bytes,
        others: subprocess.Popen[bytes],
        status: subprocess.Popen[bytes] | None,
    ) -> None:
        self.tracked = tracked
        self._others = others
        self._status = status

    @classmethod
    def start(
        cls, root: Path, warnings: list[DetectWarning], *, changes: bool = False
    ) -> _GitListing | None:
        env = _git_env()
        started: list[subprocess.Popen[bytes]] = []
        commands = [["git", "ls-files", "-z", "--others", "--exclude-standard"]]
        if changes:
            status = ["git", "status", "--porcelain", "-z", "--untracked-files=no", "--", "."]
            commands.append(status)
        try:
            for command in commands:
                started.append(
                    subprocess.Popen(
                        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
                    )
                )
        except OSError:
            _stop(started)
            return None
        try:
            proc = subprocess.run(
                ["git", "ls-files", "-z", "--cached"],
                cwd=root,
                capture_output=True,
                env=env,
                check=False,
            )
        except OSError:
            proc = None
        if proc is None or proc.returncode != 0:
            _stop(started)
            stderr = proc.stderr.decode("utf-8", "replace") if proc is not None else ""
            if proc is not None and "not a git repository" not in stderr:
                first = (stderr.strip().splitlines() or ["unknown error"])[0]
                warnings.append(
                    DetectWarning(".", f"git could not list files ({first}); walked instead")
                )
            return None
        return cls(proc.stdout, started[0], started[1] if changes else None)

    def untracked(self, warnings: list[DetectWarning]) -> bytes:
        stdout, stderr = self._others.communicate()
        for line in stderr.decode("utf-8", "replace").splitlines():
            match = _GIT_DIR_WARNING.search(line)
            if match:
                folder = match.group("dir").rstrip("/") or "."
                warnings.append(
                    DetectWarning(folder, f"cannot read folder: {match.group('reason')}")
                )
        if self._others.returncode != 0:
            return b""
        return stdout

    def stop(self) -> None:
        _stop(p for p in (self._others, self._status) if p is not None and p.returncode is None)

    def changes(self, untracked: list[str]) -> WorkTreeChanges | None:
        """The changed tracked files and the ``untracked`` ones; None if not asked."""
        if self._status is None:
            return None
        stdout, stderr = self._status.communicate()
        return _status_changes(self._status.returncode, stdout, stderr, untracked)


def git_changes(root: Path) -> WorkTreeChanges | None:
    """What ``git status`` reports below ``root``, untracked files included; None when
    ``root`` is not in a git work tree."""
    command = ["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", "."]
    try:
        proc = subprocess.run(command, cwd=root, capture_output=True, env=_git_env(), check=False)
    except OSError:  # no git to ask: say so if this looks like a work tree
        if any(os.path.lexists(os.path.join(folder, ".git")) for folder in (root, *root.parents)):
            return WorkTreeChanges((), "git is not installed, or not on PATH")
        return None
    if b"not a git repository" in proc.stderr or b"must be run in a work tree" in proc.stderr:
        return None
    return _status_changes(proc.returncode, proc.stdout, proc.stderr, [])


def _status_changes(
    returncode: int, stdout: bytes, stderr: bytes, untracked: list[str]
) -> WorkTreeChanges:
    if returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip()
        reason = detail.splitlines()[0] if detail else f"exit status {returncode}"
        return WorkTreeChanges((), reason)
    changed: list[str] = []
    fields = iter(stdout.decode("utf-8", "surrogateescape").split("\0"))
    for entry in fields:
        if len(entry) < 4:
            continue
        changed.append(entry[3:])
        if "R" in entry[:2] or "C" in entry[:2]:
            next(fields, None)  # a rename or copy names where it came from next
    return WorkTreeChanges(tuple(changed + untracked))


def _stop(processes: Iterable[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.kill()
        process.communicate()


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


def _drop_bad_names(files: list[str], warnings: list[DetectWarning]) -> list[str]:
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
