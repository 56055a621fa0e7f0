"""What a per-user template history (:mod:`scaffold.history`) remembers of the template
folders committed into it: which tag holds a folder as it was last seen, so that a run
finds its tag from the folder's state on the file system without hashing its files again."""

from __future__ import annotations

import os
from pathlib import Path

from scaffold.history import TAG_PREFIX

#: Where a per-user repository remembers which tag holds a folder as it was last seen.
_FOLDER_TAGS = "scaffold-folder-tags"
#: A file changed this recently may change again within the same modification time
#: (the clock's granularity): its folder's state is not remembered yet.
SETTLED_SECONDS = 2.0


def folder_state(source_repo: Path | None, template_dir: Path, version: str) -> str | None:
    """A digest of ``template_dir`` as the file system has it (every file's path, size,
    modification time and mode, and the checkout's ignore files), of where it is and of the
    version: the same digest on the next run means the same files, without hashing their
    contents again. None while a file has changed too recently to tell."""
    import hashlib
    import time

    settled = time.time_ns() - int(SETTLED_SECONDS * 1e9)
    digest = hashlib.sha256(f"{version}\0{source_repo}\0{template_dir}\0".encode())
    ignores = [] if source_repo is None else [".gitignore", ".git/info/exclude"]
    for name in ignores:  # which of the folder's files git lists (see _template_files)
        try:
            info = os.stat(os.path.join(source_repo or "", name))
            digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{name}\0-\n".encode())
    for folder, dirnames, filenames in os.walk(template_dir):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:  # gone meanwhile: not a state to remember
                return None
            if max(info.st_mtime_ns, info.st_ctime_ns) > settled:
                return None
            line = f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_mode}\n"
            digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def known_tag(repo: Path, seen: str) -> str | None:
    """The tag recorded for the folder state ``seen``, if the repository still has it."""
    try:
        with (repo / ".git" / _FOLDER_TAGS / seen).open("rb") as handle:
            recorded = handle.read(256).decode("utf-8").strip()  # a tag is a short line
    except (OSError, UnicodeDecodeError):
        return None
    if not recorded.startswith(TAG_PREFIX) or "\n" in recorded or "/" in recorded:
        return None
    if (repo / ".git" / "refs" / "tags" / recorded).is_file():
        return recorded
    try:
        packed = (repo / ".git" / "packed-refs").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return recorded if f" refs/tags/{recorded}\n" in packed else None


def remember_tag(repo: Path, seen: str, tag: str) -> None:
    """Record that the folder state ``seen`` is held by ``tag`` (a repository that cannot
    be written to just does the work again next time)."""
    folder = repo / ".git" / _FOLDER_TAGS
    try:
        folder.mkdir(exist_ok=True)
        spare = folder / f".{seen}.{os.getpid()}"
        spare.write_text(tag + "\n", encoding="utf-8")
        os.replace(spare, folder / seen)
    except OSError:
        pass
