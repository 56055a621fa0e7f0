"""Helpers for tests that build real trees and run real programs."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
_REAL_HOME = Path.home()
CACHE_ROOT = Path(os.environ.get("SCAFFOLD_TEST_CACHE", _REAL_HOME / ".cache" / "scaffold-tests"))


def _toolchain_cache_env() -> dict[str, str]:
    home = _REAL_HOME
    defaults = {
        "CARGO_HOME": home / ".cargo",
        "RUSTUP_HOME": home / ".rustup",
        "GOPATH": home / "go",
        "GOCACHE": home / ".cache" / "go-build",
        "GOMODCACHE": home / "go" / "pkg" / "mod",
        "UV_CACHE_DIR": home / ".cache" / "uv",
        "npm_config_cache": home / ".npm",
        "MAVEN_USER_HOME": home / ".m2",
    }
    if (home / ".pyenv").is_dir():
        defaults["PYENV_ROOT"] = home / ".pyenv"
    return {name: os.environ.get(name) or str(path) for name, path in defaults.items()}


_TOOLCHAIN_CACHE_ENV = _toolchain_cache_env()


def toolchain_cache_env() -> dict[str, str]:
    """Where the toolchains keep downloads and caches: the real home's, captured at import."""
    return dict(_TOOLCHAIN_CACHE_ENV)


def examples(count: int) -> int:
    """A property test's number of examples: ``count`` in the default profile, scaled up
    with the profile's budget (ten times as many with ``HYPOTHESIS_PROFILE=nightly``)."""
    from hypothesis import settings

    return count * settings().max_examples // 100


def tree_digest(root: Path) -> dict[str, str]:
    """Every path below ``root`` (files, folders, links) with a digest of its content."""
    entries: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                entries[rel] = "link:" + str(path.readlink())
            elif path.is_dir():
                entries[rel] = "dir"
            else:
                entries[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return entries


def files_under(root: Path) -> set[str]:
    """Every file below ``root``, as POSIX paths relative to it."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def run(
    cmd: Sequence[str | os.PathLike[str]],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd``; on a non-zero exit fail with its whole output."""
    full_env = {**os.environ, **(env or {})}
    argv = [str(c) for c in cmd]
    proc = subprocess.run(
        argv, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, cmd))} exited {proc.returncode} in {cwd}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
        )
    return proc


def exit_and_output(
    cmd: Sequence[str | os.PathLike[str]], cwd: Path, env: Mapping[str, str], timeout: float
) -> tuple[int, str]:
    """Run ``cmd`` with exactly ``env`` and no input; its exit status and its output
    (stdout, then stderr), whatever the status."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


def agents_commands(project: Path) -> list[list[str]]:
    """The commands of the sh block under AGENTS.md's "Commands" heading, comments dropped."""
    text = (project / "AGENTS.md").read_text()
    block = text.split("## Commands", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def refused_answers(stack: str, base: Path, args: Sequence[str], *, dry_run: bool = False) -> str:
    """``scaffold new STACK ARGS --defaults`` (``{dir}`` in ARGS is ``base/svc``) must be a
    one-line usage error that leaves the empty folder ``base`` empty; the error line."""
    from typer.testing import CliRunner

    from scaffold.cli import app
    from scaffold.errors import ExitCode

    argv = [arg.replace("{dir}", str(base / "svc")) for arg in args]
    options = ["--defaults", *(["--dry-run"] if dry_run else [])]
    result = CliRunner().invoke(app, ["new", stack, *argv, *options])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("scaffold: error: "), lines[0]
    assert "Traceback" not in result.output
    assert list(base.iterdir()) == []
    return lines[0]


def agent_file(folder: Path, text: str, name: str = "agent.md") -> Path:
    """An agent definition holding ``text``, written in ``folder``."""
    agent = folder / name
    agent.write_text(text)
    return agent


def data_options(*pairs: str) -> list[str]:
    """``--data KEY=VALUE`` for each of ``pairs``."""
    return [option for pair in pairs for option in ("--data", pair)]


def scaffold_new(*args: str, data: Sequence[str] = ()) -> Any:
    """``scaffold new ARGS`` with ``--data`` for each of ``data`` through the CLI, which must
    succeed; its result."""
    from typer.testing import CliRunner

    from scaffold.cli import app

    result = CliRunner().invoke(app, ["new", *args, *data_options(*data)])
    assert result.exit_code == 0, result.output
    return result


def rendered(target: Path, stack: str, files: set[str], *data: str) -> list[str]:
    """``scaffold new STACK TARGET --defaults`` with ``--data`` for each of ``data``: it says
    it created ``files`` and did; the lines it printed."""
    new = scaffold_new(stack, str(target), "--defaults", "--no-git", data=data)
    lines: list[str] = new.output.splitlines()
    assert lines[0] == f"Created {target} ({stack}, {len(files)} files)."
    assert files_under(target) == files
    return lines


def planned(*args: str, data: Sequence[str] = ()) -> dict[str, Any]:
    """The plan ``scaffold new ARGS --dry-run --json`` (with ``--data`` for each of ``data``)
    prints; the command must succeed."""
    result = scaffold_new(*args, "--dry-run", "--json", data=data)
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def copier_refuses(template: Path, out: Path, key: str, value: str, marker: str) -> None:
    """Plain ``copier copy`` of ``template`` refuses ``key=value`` through that question's
    own validator, and leaves no project (no ``marker`` file) in ``out``."""
    import copier
    import pytest

    with pytest.raises(ValueError, match=f"Validation error for question '{key}'"):
        copier.run_copy(str(template), out, data={key: value}, defaults=True, quiet=True)
    assert not (out / marker).exists()


def assert_contains(path: Path, *fragments: str) -> str:
    """Each of ``fragments`` stands in the text of ``path``; that text."""
    text = path.read_text()
    for fragment in fragments:
        assert fragment in text, (path, fragment)
    return text


def recorded_answers(project: Path) -> str:
    """The answers file copier wrote in ``project``, under copier's own warning line."""
    text = (project / ".copier-answers.yml").read_text()
    assert text.startswith("# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n")
    return text


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd``; fail the test on an error; return what it printed."""
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create ``files`` (POSIX path -> text or bytes) below ``root``; a path ending in
    ``/`` makes an empty folder. Returns ``root``."""
    for name, content in files.items():
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def git_init(root: Path, *, commit: bool = True) -> Path:
    """``root`` made a git repository on branch main, with everything in it committed
    (an empty commit for an empty tree) unless ``commit`` is false."""
    git(root, "init", "-q", "-b", "main")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "fixture", "--allow-empty")
    return root


def commit_all(repo: Path, message: str = "state") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def committed_repo(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """``files`` written to ``root`` and committed in a new git repository."""
    write_files(root, files)
    git(root, "init", "-q")
    commit_all(root, "existing code")
    return root


def go_work_repo(root: Path) -> Path:
    """A go.work at the root, with no go.mod there, using a service and an example."""
    files = {"go.work": "go 1.22\n\nuse (\n\t./services/api\n\t./examples/hello\n)\n"}
    for module in ("services/api", "examples/hello"):
        name = module.rsplit("/", 1)[-1]
        files[f"{module}/go.mod"] = f"module example.com/{name}\n\ngo 1.22\n"
        files[f"{module}/main.go"] = "package main\n\nfunc main() {}\n"
    return committed_repo(root, files)


def fastapi_service(root: Path) -> Path:
    """A FastAPI service (a pyproject.toml and a main.py) committed in a new git repository
    at ``root``."""
    return committed_repo(
        root,
        {
            "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi"]\n',
            "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        },
    )


def adopt(*args: str) -> tuple[int, str]:
    """``scaffold adopt ARGS`` through the CLI: its exit code and output."""
    from typer.testing import CliRunner

    from scaffold.cli import app

    result = CliRunner().invoke(app, ["adopt", *args])
    return result.exit_code, result.output


def adopt_plan(repo: Path, *options: str) -> dict[str, Any]:
    """The plan ``scaffold adopt REPO OPTIONS --dry-run --json`` prints, changes pending."""
    from scaffold.errors import ExitCode

    code, output = adopt(str(repo), *options, "--dry-run", "--json")
    assert code == ExitCode.CHANGES_PENDING, output
    payload: dict[str, Any] = json.loads(output)
    return payload


def planned_adoption(repo: Path, stack: str) -> dict[str, Any]:
    """The plan ``scaffold adopt REPO --dry-run --json`` shows for one project of ``stack``
    at the top of ``repo``, with changes pending; showing it writes nothing."""
    before = tree_digest(repo)
    payload = adopt_plan(repo)
    assert payload["projects"] == [{"path": ".", "stack": stack, "status": "planned"}]
    assert tree_digest(repo) == before
    return payload


def created(*paths: str) -> list[dict[str, str]]:
    """The entries of a JSON plan that create ``paths``, in that order."""
    return [{"path": path, "action": "create"} for path in paths]


def planned_files(payload: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The action and the reason (None without one) of each planned file under ``prefix``."""
    return {
        f["path"]: (f["action"], f.get("reason"))
        for f in payload["files"]
        if f["path"].startswith(prefix)
    }


def adopted(repo: Path, files: int) -> tuple[dict[str, str], dict[str, str]]:
    """``scaffold adopt REPO --yes``, which must write ``files`` files: the digests of the
    tree before and after."""
    before = tree_digest(repo)
    code, output = adopt(str(repo), "--yes")
    assert code == 0, output
    assert output.splitlines()[-1] == f"Wrote {files} files."
    return before, tree_digest(repo)


def assert_nothing_left_to_adopt(repo: Path) -> None:
    """Once its adoption is committed, adopting ``repo`` again has nothing to do, and finds
    every file the adoption wrote as it would write it (identical, not kept as the user's)."""
    commit_all(repo, "adopted")
    code, output = adopt(str(repo))
    assert code == 0, output
    last = output.splitlines()[-1]
    assert last == "Nothing to do: the repository already follows the conventions."
    code, output = adopt(str(repo), "--check", "--json")
    assert code == 0, output
    second = {f["path"]: f for f in json.loads(output)["files"]}
    assert int(git(repo, "rev-list", "--count", "HEAD")) >= 2, "no commit before the adoption"
    written = git(repo, "diff", "--name-only", "--relative", "HEAD~1", "HEAD").splitlines()
    for path in written:
        if path in second:
            assert second[path]["action"] == "identical", second[path]


def template_history(
    stack: str, commit: str, tags: tuple[str, str], destination: Path
) -> tuple[Path, Path]:
    """A git repository of ``stack``'s template at ``destination``: the template as it was at
    ``commit`` of this repository, tagged ``tags[0]``, then as it is now, tagged ``tags[1]``.
    Returns the repository and the old template's folder (kept beside it). A clone without
    that commit fails the test, saying so."""
    import io
    import shutil
    import tarfile

    import pytest

    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "--", f"templates/{stack}"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        pytest.fail(
            f"this test needs the repository's history (commit {commit[:12]}): "
            "run it from a full clone, not a shallow one"
        )
    old = destination.with_name(f"{destination.name}-at-{commit[:12]}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(old, filter="tar")
    old = old / "templates" / stack
    shutil.copytree(old, destination)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", tags[0])
    git(destination, "tag", tags[0])
    for entry in destination.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.copytree(REPO_ROOT / "templates" / stack, destination, dirs_exist_ok=True)
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", tags[1])
    git(destination, "tag", tags[1])
    return destination, old


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in the file at ``path`` with ``new``."""
    text = path.read_text()
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new))


def stand_in_library(
    tmp_path: Path, owner: Any, names: str, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """An importable package of the test's, added to ``owner.names`` (a tuple of library
    names whose installed state a kept result depends on); its ``__init__.py``."""
    module = tmp_path / "site" / "stand_in_library" / "__init__.py"
    module.parent.mkdir(parents=True)
    module.write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(module.parent.parent))
    monkeypatch.setattr(owner, names, (*getattr(owner, names), "stand_in_library"))
    return module
