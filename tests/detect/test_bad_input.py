"""Bad input inside the repository is a warning with the file and the reason, never a
crash; detection goes on and the command exits 0."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.repo import walk as view_module
from tests.detect.conftest import Detected, MakeRepo, detect_dict, paths, project, warnings_for
from tests.helpers import git

GOOD = {"ok/go.mod": "module example.com/ok\n\ngo 1.22\n"}


def test_invalid_toml_is_a_warning_and_detection_goes_on(make_repo: MakeRepo) -> None:
    root = make_repo(
        {**GOOD, "backend/pyproject.toml": '[project]\nname = "x"\ndependencies = [fastapi]\n'}
    )
    result = detect_dict(root)
    assert paths(result) == ["ok"]
    assert warnings_for(result, "backend/pyproject.toml") == [
        "invalid TOML at line 3, column 17: Invalid value"
    ]
    runner = CliRunner()
    outcome = runner.invoke(app, ["detect", str(root)])
    assert outcome.exit_code == 0
    assert "backend/pyproject.toml: invalid TOML at line 3, column 17" in outcome.output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("package.json", "binary content (NUL bytes) where a text manifest was expected"),
        ("Cargo.toml", "binary content (NUL bytes) where a text manifest was expected"),
        ("pom.xml", "invalid XML at line 1, column 2: not well-formed (invalid token)"),
    ],
)
def test_binary_file_named_like_a_manifest(detected: Detected, name: str, message: str) -> None:
    result = detected({**GOOD, f"bin/{name}": b"\x00\xff\xfe\x89PNG\r\n\x1a\n" * 8})
    assert paths(result) == ["ok"]
    assert warnings_for(result, f"bin/{name}") == [message]


def test_non_utf8_manifest(detected: Detected) -> None:
    result = detected({"go.mod": b"module caf\xe9\n"})
    assert result["projects"] == []
    assert warnings_for(result, "go.mod") == ["not UTF-8 text (invalid byte at offset 10)"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "expected a JSON object, found list"),
        (
            '{"name": "x",}',
            "invalid JSON at line 1, column 14: Expecting property name enclosed in double quotes",
        ),
        ("[" * 100_000, "invalid JSON: too deeply nested"),
    ],
)
def test_invalid_json(detected: Detected, content: str, message: str) -> None:
    result = detected({"package.json": content})
    assert result["projects"] == []
    assert warnings_for(result, "package.json") == [message]


def test_wrong_types_inside_manifests_are_ignored(detected: Detected) -> None:
    result = detected(
        {
            "a/pyproject.toml": '[project]\ndependencies = "fastapi"\n[tool]\nuv = 3\n',
            "b/package.json": '{"dependencies": ["express"], "workspaces": 7, "packageManager": 3}',
            "c/Cargo.toml": "package = 1\n[workspace]\nmembers = [1, 'x']\n",
            "d/go.work": "use\n",
        }
    )
    assert paths(result) == ["a", "b", "c", "d"]
    assert not [w for w in result["warnings"] if "internal error" in w["message"]]
    assert warnings_for(result, "c/Cargo.toml") == ["workspace member pattern is not a string: 1"]


def test_oversized_manifest(detected: Detected) -> None:
    result = detected({"package.json": "{" + " " * (4 * 1024 * 1024 + 10) + "}"})
    assert warnings_for(result, "package.json") == ["larger than 4 MiB; not read"]


@pytest.mark.parametrize("use_git", [False, True], ids=["folder", "git"])
def test_symlink_loops(make_repo: MakeRepo, use_git: bool) -> None:
    root = make_repo(GOOD)
    (root / "package.json").symlink_to("package.json")
    (root / "ok" / "loop").symlink_to("..")
    (root / "outside.toml").symlink_to("/etc/hostname")
    (root / "pyproject.toml").symlink_to("outside.toml")
    if use_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
    result = detect_dict(root)
    assert paths(result) == ["ok"]
    assert warnings_for(result, "package.json") == ["symbolic link loop; not read"] or (
        warnings_for(result, "package.json") == ["symbolic link loop; not followed"]
    )
    assert warnings_for(result, "pyproject.toml") == [
        "symbolic link to a file outside the repository; not read"
    ]
    if not use_git:
        assert warnings_for(result, "ok/loop") == [
            "symbolic link loop: points to a folder that contains it; not followed"
        ]


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Make folders unreadable for the walk, even when the tests run as root."""
    blocked: set[str] = set()
    real = os.scandir

    def scandir(path: str) -> object:
        if str(path) in blocked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(view_module, "_scandir", scandir)
    yield lambda folder: blocked.add(str(folder))


def test_unreadable_folder_in_a_plain_tree(
    make_repo: MakeRepo, unreadable: Callable[[Path], None]
) -> None:
    root = make_repo({**GOOD, "secret/go.mod": "module s\n"})
    unreadable(root / "secret")
    result = detect_dict(root)
    assert paths(result) == ["ok"]
    assert warnings_for(result, "secret") == ["cannot read folder: Permission denied"]


def detect_as_unprivileged(root: Path) -> dict[str, object]:
    """``detect_dict(root)`` in a child process that runs as ``nobody`` when we are root
    (root reads every folder, so a real permission error needs another user)."""
    if os.geteuid() != 0:
        return detect_dict(root)
    import json
    import pwd

    nobody = pwd.getpwnam("nobody")
    detect_dict(root)  # load every module first: the child cannot read root's files
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(reader)
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.environ.update({"HOME": "/tmp", "GIT_CONFIG_GLOBAL": "/dev/null"})
            os.write(writer, json.dumps(detect_dict(root)).encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        output = pipe.read()
    os.waitpid(pid, 0)
    result: dict[str, object] = json.loads(output)
    return result


def test_unreadable_folder_in_a_git_work_tree() -> None:
    # A folder every user can enter, owned by the user the detection runs as.
    base = Path(tempfile.mkdtemp(prefix="scaffold-unreadable-"))
    try:
        base.chmod(0o755)
        root = base / "repo"
        (root / "ok").mkdir(parents=True)
        (root / "ok" / "go.mod").write_text(GOOD["ok/go.mod"])
        git(root, "init", "-q")
        git(root, "add", "-A")
        secret = root / "secret"
        secret.mkdir()
        (secret / "go.mod").write_text("module s\n")
        if os.geteuid() == 0:
            import pwd

            nobody = pwd.getpwnam("nobody")
            for path in (root, *root.rglob("*")):
                os.lchown(path, nobody.pw_uid, nobody.pw_gid)
        secret.chmod(0)
        result = detect_as_unprivileged(root)
    finally:
        (base / "repo" / "secret").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
    assert paths(result) == ["ok"]
    assert warnings_for(result, "secret") == ["cannot read folder: Permission denied"]


@pytest.mark.parametrize("use_git", [False, True], ids=["folder", "git"])
def test_non_utf8_file_names(make_repo: MakeRepo, use_git: bool) -> None:
    root = make_repo(GOOD)
    bad = os.path.join(os.fsencode(root), b"caf\xe9")
    os.mkdir(bad)
    for name in (b"package.json", b"index.js"):
        with open(os.path.join(bad, name), "w") as handle:
            handle.write("{}")
    with open(os.path.join(os.fsencode(root), b"ok", b"x\xff.go"), "w") as handle:
        handle.write("package x\n")
    if use_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
    result = detect_dict(root)
    assert paths(result) == ["ok"]
    assert warnings_for(result, "caf\\xe9") == ["name is not valid UTF-8; skipped (2 files)"]
    assert warnings_for(result, "ok/x\\xff.go") == ["name is not valid UTF-8; skipped"]


def test_missing_or_file_target_is_a_usage_error(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "nope"
    outcome = runner.invoke(app, ["detect", str(missing)])
    assert outcome.exit_code == 2
    assert outcome.output == f"scaffold: error: {missing}: no such folder\n"
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    outcome = runner.invoke(app, ["detect", str(afile), "--json"])
    assert outcome.exit_code == 2
    assert outcome.output == f"scaffold: error: {afile}: not a folder\n"


def test_listed_but_deleted_manifest(make_repo: MakeRepo) -> None:
    root = make_repo({**GOOD, "gone/package.json": "{}"}, git=True)
    (root / "gone" / "package.json").unlink()
    result = detect_dict(root)
    assert paths(result) == ["ok"]
    assert warnings_for(result, "gone/package.json") == ["listed but missing from the work tree"]
    assert project(result, "ok")["language"] == "go"


def test_invalid_workspace_glob_is_a_warning(detected: Detected) -> None:
    result = detected(
        {
            "pnpm-workspace.yaml": "packages:\n  - '[z-a]'\n  - 'apps/*'\n",
            "apps/a/package.json": "{}",
        }
    )
    assert project(result, ".")["workspace"] == {"kind": "pnpm", "members": ["apps/a"]}
    assert warnings_for(result, "pnpm-workspace.yaml") == ["invalid workspace pattern: [z-a]"]


def test_editorconfig_size_with_a_non_ascii_digit_is_ignored(detected: Detected) -> None:
    result = detected(
        {**GOOD, ".editorconfig": "root = true\n[*]\nindent_style = space\nindent_size = ²\n"}
    )
    assert paths(result) == ["ok"]
    assert project(result, "ok")["language"] == "go"


def test_long_runs_of_blank_lines_and_an_unclosed_comment_are_read_quickly(
    make_repo: MakeRepo,
) -> None:
    blank = "\n" * 40_000
    root = make_repo(
        {
            "native/CMakeLists.txt": blank + "project(x LANGUAGES C)\n",
            "jvm/build.gradle": blank + "plugins {\n    java\n}\n" + "/*x" * 13_000,
            "rb/Gemfile": blank + "gem 'rails'\n",
            "mesonlib/meson.build": blank + "project('m', 'c')\n",
        }
    )
    start = time.perf_counter()
    result = detect_dict(root)
    elapsed = time.perf_counter() - start
    assert paths(result) == ["jvm", "mesonlib", "native", "rb"]
    assert project(result, "native")["language"] == "c"
    assert project(result, "mesonlib")["language"] == "c"
    assert project(result, "jvm")["language"] == "java"
    assert project(result, "rb")["framework"] == "rails"
    assert elapsed < 5, f"detection took {elapsed:.1f}s"


def test_lone_surrogates_from_json_escapes_are_printed_escaped(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "a/package.json": '{"name": "a", "packageManager": "npm@\\ud800"}',
            "b/package.json": '{"name": "b", "workspaces": ["[z-a]\\udc00"]}',
        }
    )
    runner = CliRunner()
    for args in ([], ["-v"]):
        outcome = runner.invoke(app, ["detect", str(root), *args])
        assert outcome.exit_code == 0, outcome.output
        assert "b/package.json: invalid workspace pattern: b/[z-a]\\udc00" in outcome.output
    assert 'packageManager "npm@\\ud800"' in outcome.output


def test_an_error_reading_one_projects_details_is_a_warning_for_that_project(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaffold.detect.conventions import find_configs

    root = make_repo({**GOOD, "api/pyproject.toml": '[project]\nname = "api"\n'})

    def failing(view: Any, folder: str, languages: list[str], embedded: Any) -> Any:
        if folder == "api":
            raise ValueError("boom\nmore")
        return find_configs(view, folder, languages, embedded)

    monkeypatch.setattr("scaffold.detect.engine.find_configs", failing)
    result = detect_dict(root)
    assert paths(result) == ["api", "ok"]
    api = project(result, "api")
    assert (api["language"], api["configs"], api["source_dirs"]) == ("python", [], [])
    assert warnings_for(result, "api") == [
        "internal error reading the configs, style and layout: ValueError: boom"
    ]
    assert project(result, "ok")["language"] == "go"


def test_an_alias_bomb_in_a_pnpm_workspace_is_a_warning(make_repo: MakeRepo) -> None:
    from tests.test_bounded_inputs import alias_bomb

    root = make_repo(
        {
            **GOOD,
            "web/package.json": '{"name": "web"}',
            "web/pnpm-workspace.yaml": alias_bomb() + "packages: *a8\n",
        }
    )
    start = time.monotonic()
    result = detect_dict(root)
    assert time.monotonic() - start < 5
    assert paths(result) == ["ok", "web"]
    assert project(result, "web")["workspace"] is None
    assert warnings_for(result, "web/pnpm-workspace.yaml") == [
        "has YAML aliases that expand to more than 10,000 extra nodes; not read"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("packages:\n  - 'apps/*\n", "invalid YAML at line 2, column 5: found unexpected end of stream"),
        ("packages: [apps/*\n", "invalid YAML at line 1, column 11: did not find expected ',' or ']'"),
        ("", "no packages list found"),
        ("packages: apps/*\n", "no packages list found"),
    ],
)  # fmt: skip
def test_a_pnpm_workspace_that_cannot_be_used_is_a_warning(
    detected: Detected, content: str, message: str
) -> None:
    result = detected({"package.json": '{"name": "mono"}', "pnpm-workspace.yaml": content})
    assert paths(result) == ["."]
    assert warnings_for(result, "pnpm-workspace.yaml") == [message]


def test_a_manifest_that_grows_past_the_limit_while_read_is_refused(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The size fstat reports is only a hint: the file can grow before it is read.
    root = make_repo({**GOOD, "big/package.json": "{" + " " * (4 * 1024 * 1024 + 10) + "}"})
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[6] = 0  # st_size, as it was before the file grew
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", stale_fstat)
    result = detect_dict(root)
    assert warnings_for(result, "big/package.json") == ["larger than 4 MiB; not read"]
