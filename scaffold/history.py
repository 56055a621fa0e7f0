"""The version history of the bundled templates, as git repositories copier can update from.

copier's three-way update needs the template at the version a project was generated from,
as a git tag. A folder inside an installed package has no history, so every wheel carries,
per stack, a git bundle holding the template at every released version of scaffold (tagged
``v<version>``), built from this repository's tags when the wheel is built. At run time the
bundle's tags are fetched into a per-user repository at a stable, home-relative path
(``~/.local/share/scaffold/templates/<stack>``), which is the ``_src_path`` that generated
projects record. A newer scaffold adds its tags there; older ones are never removed, so a
project made by any earlier version can still be updated, on a machine that never had that
version installed.

A source checkout or an editable install has no bundle: its template folders are committed
into the same per-user repository instead (:func:`install_folder_history`), so a project
made from a checkout records the same portable source and tag as one made by a wheel, and
never a path of the machine.

This module uses only the standard library and ``packaging``, and from scaffold only the
hardened git settings when the package is there: the wheel's build hook loads it by path.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.version import Version

TAG_PREFIX = "v"
BRANCH = "main"
USER_TEMPLATES = "~/.local/share/scaffold/templates"
# Fixed identity and dates make the synthetic history reproducible build after build.
_COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "scaffold",
    "GIT_AUTHOR_EMAIL": "scaffold@localhost",
    "GIT_COMMITTER_NAME": "scaffold",
    "GIT_COMMITTER_EMAIL": "scaffold@localhost",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00+00:00",
}


class HistoryError(Exception):
    """git failed while building or installing a template history."""


def _git(
    args: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> str:
    base_env = {
        k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k == "GIT_EXEC_PATH"
    }
    base_env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    base_env |= _hardened_git_environment(base_env)
    try:
        proc = subprocess.run(
            ["git", "-c", "init.defaultBranch=main", *map(str, args)],
            cwd=cwd,
            env=base_env | dict(env or {}),
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise HistoryError(f"cannot run git: {error.strerror}") from None
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise HistoryError(f"git {args[0]} failed: {detail}")
    return proc.stdout


def _hardened_git_environment(environ: Mapping[str, str]) -> Mapping[str, str]:
    """The settings that keep a repository's own config from running programs (the store
    under the user's home may come from a cache someone else wrote; see
    :func:`scaffold.repo.git.hardened_git_environment`). The wheel's build hook loads this
    module by path, without the package, and runs git only on this repository's own
    history and scratch repositories: it goes without."""
    try:
        from scaffold.repo.git import hardened_git_environment
    except ImportError:
        return {}
    return hardened_git_environment(environ)


def version_tag(version: str) -> str:
    return f"{TAG_PREFIX}{version}"


def version_of(tag: str) -> Version | None:
    """The PEP 440 version a release tag (``v1.2.0``) names, or None for other tags."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(tag.removeprefix(TAG_PREFIX))
    except InvalidVersion:
        return None


def newest_tag(tags: Iterable[str]) -> str | None:
    """The release tag with the highest version among ``tags``."""
    versioned = [(version, tag) for tag in tags if (version := version_of(tag)) is not None]
    return max(versioned)[1] if versioned else None


def _released_versions(repo: Path, upto: Version) -> list[tuple[Version, str]]:
    """The repository's release tags older than ``upto``, oldest first."""
    found = []
    for tag in _git(["tag", "--list", f"{TAG_PREFIX}*"], cwd=repo).split():
        version = version_of(tag)
        if version is not None and version < upto:
            found.append((version, tag))
    return sorted(found)


def _tree_at(repo: Path, ref: str, path: str) -> str | None:
    try:
        return _git(
            ["rev-parse", "--verify", "--quiet", f"{ref}^{{tree}}:{path}"], cwd=repo
        ).strip()
    except HistoryError:
        return None


def _template_files(source_repo: Path | None, folder: Path) -> list[str]:
    """The files of ``folder`` to record: those the source repository does not ignore."""
    if source_repo is None:
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    listed = _git(
        ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", folder.resolve()],
        cwd=source_repo,
    )
    base = folder.resolve().relative_to(source_repo.resolve())
    files = []
    for name in filter(None, listed.split("\0")):
        path = source_repo / name
        if path.is_file():
            files.append(path.resolve().relative_to(source_repo.resolve() / base).as_posix())
    return sorted(set(files))


def _working_tree(history: Path, folder: Path, files: list[str]) -> str:
    """Write ``files`` of ``folder`` into ``history``'s object store; return the tree id."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="scaffold-index-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch, "index"))}
        _git(
            [
                "--git-dir", history, "--work-tree", folder, "add", "--force",
                "--pathspec-from-file=-", "--pathspec-file-nul",
            ],
            env=env,
            stdin="\0".join(files),
        )  # fmt: skip
        return _git(["--git-dir", history, "write-tree"], env=env).strip()


def build_history_bundle(
    source_repo: Path | None, template_dir: Path, version: str, bundle: Path
) -> list[str]:
    """Write ``bundle``: the template in ``template_dir`` at every release, tagged.

    ``source_repo`` is the scaffold git repository whose ``v*`` tags mark releases (None
    when building without history, from an unpacked source archive). The current version
    is the content of ``template_dir`` as it is now. Returns the tags, oldest first.
    """
    import tempfile

    from packaging.version import Version

    current = Version(version)
    rel = (
        template_dir.resolve().relative_to(source_repo.resolve()).as_posix() if source_repo else ""
    )
    with tempfile.TemporaryDirectory(prefix="scaffold-history-") as scratch:
        history = Path(scratch, "history.git")
        _git(["init", "--quiet", "--bare", history])
        if source_repo is not None:
            objects = _git(
                ["rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=source_repo
            )
            alternates = history / "objects" / "info" / "alternates"
            alternates.write_text(str(Path(objects.strip(), "objects")) + "\n")
        entries: list[tuple[str, str]] = []
        if source_repo is not None:
            for _, tag in _released_versions(source_repo, current):
                tree = _tree_at(source_repo, tag, rel)
                if tree:
                    entries.append((tag, tree))
        files = _template_files(source_repo, template_dir)
        if not files:
            raise HistoryError(f"no template files found in {template_dir}")
        entries.append((version_tag(version), _working_tree(history, template_dir, files)))
        parent: str | None = None
        tags = []
        for tag, tree in entries:
            args: list[str | os.PathLike[str]] = ["--git-dir", history, "commit-tree", tree]
            args += ["-m", f"{template_dir.name} {tag}"]
            if parent:
                args += ["-p", parent]
            parent = _git(args, env=_COMMIT_ENV).strip()
            _git(["--git-dir", history, "tag", tag, parent])
            tags.append(tag)
        assert parent is not None
        _git(["--git-dir", history, "update-ref", f"refs/heads/{BRANCH}", parent])
        _git(["--git-dir", history, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}"])
        bundle.parent.mkdir(parents=True, exist_ok=True)
        partial = bundle.with_name(bundle.name + ".partial")
        _git(["--git-dir", history, "bundle", "create", partial, "--all"])
        partial.replace(bundle)
    return tags


def user_template_path(stack: str) -> str:
    """The home-relative path a project's answers file records for ``stack``."""
    return f"{USER_TEMPLATES}/{stack}"


def install_history(bundle: Path, stack: str, version: str) -> str:
    """Make sure the per-user repository of ``stack`` has every tag of ``bundle``.

    Returns the home-relative source path to give copier. Cheap when nothing is new.
    """
    src_path = user_template_path(stack)
    repo = Path(src_path).expanduser()
    tag = version_tag(version)
    if (repo / ".git").is_dir():
        try:
            _git(["rev-parse", "--verify", "--quiet", f"refs/tags/{tag}"], cwd=repo)
            return src_path
        except HistoryError:
            pass
    else:
        try:
            repo.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(f"cannot make {repo}: {error.strerror or error}") from None
        _git(["init", "--quiet", repo])
    _git(
        ["fetch", "--quiet", "--no-write-fetch-head", bundle.resolve(), "refs/tags/*:refs/tags/*"],
        cwd=repo,
    )
    newest = newest_tag(_git(["tag", "--list", f"{TAG_PREFIX}*"], cwd=repo).split()) or tag
    _git(["update-ref", f"refs/heads/{BRANCH}", f"refs/tags/{newest}"], cwd=repo)
    _git(["symbolic-ref", "HEAD", f"refs/heads/{BRANCH}"], cwd=repo)
    return src_path


def _folder_tree(git_dir: Path, folder: Path, files: list[str]) -> str:
    """Write ``files`` of ``folder`` into ``git_dir``'s object store byte for byte (no
    attributes, filters or line-ending conversions of the user's git config or of the
    template's own ``.gitattributes`` apply); return the id of their tree."""
    import tempfile

    if any("\n" in name or "\t" in name for name in files):
        raise HistoryError(f"a file name in {folder} holds a tab or a line break")
    listed = "".join(f"{name}\n" for name in files)
    blobs = _git(
        ["--git-dir", git_dir, "hash-object", "-w", "--no-filters", "--stdin-paths"],
        cwd=folder,
        stdin=listed,
    ).split()
    entries = []
    for name, blob in zip(files, blobs, strict=True):
        executable = (folder / name).stat().st_mode & 0o100
        entries.append(f"{'100755' if executable else '100644'} {blob}\t{name}\n")
    with tempfile.TemporaryDirectory(prefix="scaffold-index-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch, "index"))}
        _git(
            ["--git-dir", git_dir, "update-index", "--add", "--index-info"],
            env=env,
            stdin="".join(entries),
        )
        return _git(["--git-dir", git_dir, "write-tree"], env=env).strip()


def install_folder_history(
    source_repo: Path | None, template_dir: Path, stack: str, version: str
) -> tuple[str, str]:
    """Make sure the per-user repository of ``stack`` has a tag holding ``template_dir``
    exactly as it is now (the files ``source_repo``, its git checkout if any, does not
    ignore): ``v<version>``, as a wheel of this version records, when that tag is free or
    holds the same files; when it holds others (templates edited since), a tag with the
    tree's id as its local version, ``v<version>+<tree>``, which sorts after it.

    Returns the home-relative source path and the tag to give copier.
    """
    src_path = user_template_path(stack)
    repo = Path(src_path).expanduser()
    if not (repo / ".git").is_dir():
        try:
            repo.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(f"cannot make {repo}: {error.strerror or error}") from None
        _git(["init", "--quiet", repo])
    from scaffold.history_tags import folder_state, known_tag, remember_tag

    seen = folder_state(source_repo, template_dir, version)
    known = known_tag(repo, seen) if seen is not None else None
    if known is not None:
        return src_path, known
    tag = _install_folder(repo, source_repo, template_dir, stack, version)
    if seen is not None:
        remember_tag(repo, seen, tag)
    return src_path, tag


def _install_folder(
    repo: Path, source_repo: Path | None, template_dir: Path, stack: str, version: str
) -> str:
    """Commit ``template_dir`` into ``repo`` under its tag (see
    :func:`install_folder_history`); return the tag."""
    files = _template_files(source_repo, template_dir)
    if not files:
        raise HistoryError(f"no template files found in {template_dir}")
    tree = _folder_tree(repo / ".git", template_dir, files)
    tag = version_tag(version)
    held = _tree_at(repo, f"refs/tags/{tag}", "")
    if held is not None and held != tree:
        tag = f"{tag}+{tree[:12]}"
        held = _tree_at(repo, f"refs/tags/{tag}", "")
    if held == tree:
        return tag
    commit = _git(["commit-tree", tree, "-m", f"{stack} {tag}"], cwd=repo, env=_COMMIT_ENV).strip()
    try:
        _git(["update-ref", f"refs/tags/{tag}", commit, ""], cwd=repo)  # only if still free
    except HistoryError:
        if _tree_at(repo, f"refs/tags/{tag}", "") != tree:  # another run took it meanwhile
            raise
    newest = newest_tag(_git(["tag", "--list", f"{TAG_PREFIX}*"], cwd=repo).split()) or tag
    _git(["update-ref", f"refs/heads/{BRANCH}", f"refs/tags/{newest}"], cwd=repo)
    _git(["symbolic-ref", "HEAD", f"refs/heads/{BRANCH}"], cwd=repo)
    return tag
