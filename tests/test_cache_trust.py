"""State someone else may have written (a CI cache restored from a store that other jobs,
pull requests included, wrote into) runs no code and changes nothing scaffold plans or
writes: the cache folder holds data that is checked before use, and git ignores the
template history store's own config."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from scaffold.history import build_history_bundle, install_history, version_tag
from scaffold.render import RenderedFiles, render_many, render_template
from scaffold.render.cache import COPIER_DEFAULT_EXCLUDE
from scaffold.repo.git import hardened_git_environment
from scaffold.templates import TemplateSource, jinja_environment, templates_root
from tests.helpers import committed_repo, git, tree_digest
from tests.test_render_many import contents, copier_renders, tiny_template

REPO_ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "--upload-pack=touch marker"


def scaffold(cache: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``scaffold ARGS`` as a fresh process (nothing memoised from an earlier run)."""
    env = {
        **os.environ,
        "SCAFFOLD_CACHE_DIR": str(cache),
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def jinja_sources() -> dict[str, str]:
    """Every Jinja template a run could compile, by the name it is compiled under: each
    template file (by its path in the template) and each string of each ``copier.yml``
    (by its digest)."""
    sources: dict[str, str] = {}

    def strings(value: Any) -> None:
        if isinstance(value, str):
            sources[hashlib.sha256(value.encode()).hexdigest()] = value
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    for stack in (p for p in templates_root().iterdir() if (p / "copier.yml").is_file()):
        for path in stack.rglob("*"):
            if path.is_file():
                try:
                    sources[path.relative_to(stack).as_posix()] = path.read_text()
                except UnicodeDecodeError:
                    continue
        strings(yaml.safe_load((stack / "copier.yml").read_text()))
    return sources


def plant_bytecode(cache: Path, marker: Path) -> int:
    """Valid-looking Jinja bytecode (Jinja's header, the source's checksum) for every
    template a run could compile, whose code first creates ``marker``. A run that loaded
    code from the cache folder would execute it."""
    from jinja2 import DictLoader
    from jinja2.bccache import Bucket

    env = jinja_environment(DictLoader({}))
    folder = cache / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    prologue = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
    for name, source in jinja_sources().items():
        try:
            module = str(env.compile(source, name, raw=True))
        except Exception:  # a template only its own environment compiles: the marker alone
            module = ""
        key = hashlib.sha1(name.encode()).hexdigest()
        bucket = Bucket(env, key, hashlib.sha1(source.encode()).hexdigest())
        bucket.code = compile(prologue + module, name, "exec")
        with (folder / f"__jinja2_{key}.cache").open("wb") as handle:
            bucket.write_bytecode(handle)
    return len(list(folder.iterdir()))


def hostile_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A replay entry rewritten to smuggle things into what the replay renders."""
    outputs = [list(item) for item in entry["outputs"]]
    first_rel, first_name, first_templated, _ = outputs[0]
    outputs[0] = [first_rel, first_name, first_templated, 0o4777]  # setuid, world-writable
    outputs[1] = [outputs[1][0], first_name, first_templated, 0o644]  # another file's source
    outputs.append(["../escaped", first_name, first_templated, 0o644])
    outputs.append(["copier.yml", "copier.yml", False, 0o644])
    return {"metadata": {"_src_path": HOSTILE, "_commit": HOSTILE}, "outputs": outputs,
            "exclusions": entry["exclusions"]}  # fmt: skip


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    return committed_repo(
        tmp_path / "mono",
        {
            "services/api/pyproject.toml": (
                '[project]\nname = "api"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n'
                'dependencies = ["fastapi>=0.110"]\n'
            ),
            "services/api/app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "services/worker/go.mod": "module example.com/worker\n\ngo 1.22\n",
            "services/worker/main.go": "package main\n\nfunc main() {}\n",
        },
    )


def test_a_cache_folder_written_by_someone_else_runs_nothing_and_changes_nothing(
    tmp_path: Path, monorepo: Path
) -> None:
    marker = tmp_path / "marker"
    adopt = ("adopt", str(monorepo), "--dry-run", "--json")
    new = ("new", "python-fastapi", "svc", "--defaults", "--no-git")

    def outcome(cache: Path, where: str) -> tuple[int, str, int, dict[str, str]]:
        parent = tmp_path / where
        parent.mkdir()
        adopted = scaffold(cache, tmp_path, *adopt)
        made = scaffold(cache, parent, *new)
        return adopted.returncode, adopted.stdout, made.returncode, tree_digest(parent / "svc")

    cache = tmp_path / "shared-cache"  # empty: the run fills it
    clean = outcome(cache, "clean")
    assert clean[0] == 3 and clean[2] == 0
    assert ".copier-answers.yml" in clean[3]
    entries = sorted((cache / "replay").glob("*.json"))
    assert len(entries) == 2  # one per stack adopted
    for entry in entries:
        entry.write_text(json.dumps(hostile_entry(json.loads(entry.read_text()))))
    assert plant_bytecode(cache, marker) > 100

    assert outcome(cache, "hostile") == clean
    assert not marker.exists()
    relearnt = [json.loads(entry.read_text())["metadata"] for entry in entries]
    assert sorted(m["_src_path"] for m in relearnt) == [  # learnt again from copier's render
        "~/.local/share/scaffold/templates/go",
        "~/.local/share/scaffold/templates/python-fastapi",
    ]


# --- each rule of a replay entry, one at a time -----------------------------------------


def learnt(source: TemplateSource, cache: Path, answers: list[dict[str, Any]]) -> Path:
    """Let the replay learn ``source`` from copier; return its cache entry."""
    assert [r.replayed for r in render_many(source, answers)] == [False] + [True] * (
        len(answers) - 1
    )
    (entry,) = (cache / "replay").glob("*.json")
    assert [r.replayed for r in render_many(source, answers)] == [True] * len(answers)
    return entry


def first_output(change: Callable[[list[Any]], list[Any]]) -> Callable[[dict[str, Any]], None]:
    def edit(entry: dict[str, Any]) -> None:
        entry["outputs"][0] = change(entry["outputs"][0])

    return edit


def added_output(item: list[Any]) -> Callable[[dict[str, Any]], None]:
    return lambda entry: entry["outputs"].append(item)


def other_name(item: list[Any]) -> list[Any]:
    return [item[0], "template/README.md.jinja" if "config" in item[0] else
            "template/config.toml.jinja", True, item[3]]  # fmt: skip


EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "setuid mode": first_output(lambda item: [*item[:3], 0o4755]),
    "world-writable mode": first_output(lambda item: [*item[:3], 0o666]),
    "mode beyond permission bits": first_output(lambda item: [*item[:3], 0o100644]),
    "mode given as text": first_output(lambda item: [*item[:3], "420"]),
    "templated given as a number": first_output(lambda item: [*item[:2], 1, item[3]]),
    "output rendered from another template file": first_output(other_name),
    "a parent folder in the path": added_output(
        ["../outside.md", "template/README.md.jinja", True, 0o644]
    ),
    "an absolute path": added_output(["/tmp/outside.md", "template/README.md.jinja", True, 0o644]),
    "a path the template has no file for": added_output(
        ["extra.md", "template/README.md.jinja", True, 0o644]
    ),
    "an output left out": lambda entry: entry["outputs"].pop(),
    "an option as _src_path": lambda entry: entry["metadata"].update(_src_path=HOSTILE),
    "a _commit the source was not given": lambda entry: entry["metadata"].update(_commit="v1"),
    "another metadata key": lambda entry: entry["metadata"].update(_tasks=["touch marker"]),
    "another entry key": lambda entry: entry.update(code="print(1)"),
    "exclusions that are not text": lambda entry: entry.update(exclusions=[1]),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rewritten_replay_entry_is_a_miss(
    edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    source = TemplateSource(str(tiny_template(tmp_path)))
    answers = [{"project_name": "a", "greeting": "hi"}, {"project_name": "b"}]
    entry = learnt(source, cache, answers)
    data = json.loads(entry.read_text())
    EDITS[edit](data)
    entry.write_text(json.dumps(data))
    results = render_many(source, answers)
    assert [r.replayed for r in results] == [False, True]  # copier renders, the replay learns
    assert contents(results) == copier_renders(source, answers)
    assert json.loads(entry.read_text())["metadata"] == {"_src_path": source.src_path}


def test_an_oversized_replay_entry_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    source = TemplateSource(str(tiny_template(tmp_path)))
    answers = [{"project_name": "a"}]
    entry = learnt(source, cache, answers)
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps(data) + " " * (256 * 1024))
    assert [r.replayed for r in render_many(source, answers)] == [False]


def test_a_file_copier_excludes_is_never_replayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    template = tmp_path / "flat"
    template.mkdir()
    (template / "copier.yml").write_text("project_name: flat\n")
    (template / "README.md.jinja").write_text("# {{ project_name }}\n")
    (template / "{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml }}"
    )
    source = TemplateSource(str(template))
    answers = [{"project_name": "a"}]
    entry = learnt(source, cache, answers)
    data = json.loads(entry.read_text())
    data["outputs"].append(["copier.yml", "copier.yml", False, 0o644])
    entry.write_text(json.dumps(data))
    results = render_many(source, answers)
    assert [r.replayed for r in results] == [False]
    assert PurePosixPath("copier.yml") not in results[0].files


def test_copier_default_exclusions_are_the_ones_scaffold_knows() -> None:
    from copier._template import DEFAULT_EXCLUDE

    assert COPIER_DEFAULT_EXCLUDE == DEFAULT_EXCLUDE


# --- the template history store ------------------------------------------------------------


def booby_trap(repo: Path, marker: Path) -> None:
    """Make ``repo``'s own git config and hooks run a program that creates ``marker``."""
    script = repo.parent / "trap.sh"
    script.write_text(f"#!/bin/sh\necho ran >> '{marker}'\nexit 0\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    hooks = repo.parent / "hooks"
    hooks.mkdir()
    for hook in ("reference-transaction", "post-checkout", "pre-auto-gc", "post-index-change"):
        shutil.copy(script, hooks / hook)
        shutil.copy(script, repo / ".git" / "hooks" / hook)
    other = repo.parent / "other"
    git(repo.parent, "init", "-q", str(other))
    git(other, "commit", "-q", "--allow-empty", "-m", "other")
    (repo / ".git" / "objects" / "info" / "alternates").write_text(f"{other}/.git/objects\n")
    for key, value in (
        ("core.fsmonitor", str(script)),
        ("core.hooksPath", str(hooks)),
        ("core.alternateRefsCommand", str(script)),
    ):
        git(repo, "config", key, value)


def test_the_template_history_store_runs_nothing_its_config_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    marker = tmp_path / "marker"
    template = templates_root() / "go"
    bundle = tmp_path / "go.bundle"
    build_history_bundle(None, template, "0.1.0", bundle)
    src_path = install_history(bundle, "go", "0.1.0")
    store = Path(src_path).expanduser()
    booby_trap(store, marker)
    # A newer scaffold fetches its version into the store the cache brought.
    newer = tmp_path / "newer.bundle"
    build_history_bundle(None, template, "0.2.0", newer)
    assert install_history(newer, "go", "0.2.0") == src_path
    source = TemplateSource(src_path, version_tag("0.2.0"))
    answers = {"adopted": True, "project_name": "worker", "module_path": "example.com/worker"}
    with render_template(source, answers) as rendered:
        recorded = yaml.safe_load((rendered.root / ".copier-answers.yml").read_text())
    assert recorded["_commit"] == "v0.2.0"
    answer_sets = [answers, {**answers, "library": True}]
    replayed: list[RenderedFiles] = render_many(source, answer_sets)
    assert [r.replayed for r in replayed] == [False, True]
    # the entry learnt for the store's tag is taken by the next run
    assert [r.replayed for r in render_many(source, answer_sets)] == [True, True]
    assert not marker.exists()


def test_the_hardened_git_settings_follow_the_users_own() -> None:
    given = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "user.name",
        "GIT_CONFIG_VALUE_0": "me",
    }
    variables = hardened_git_environment(given)
    assert variables["GIT_CONFIG_COUNT"] == "5"
    assert "GIT_CONFIG_KEY_0" not in variables
    pinned = {
        variables[f"GIT_CONFIG_KEY_{n}"]: variables[f"GIT_CONFIG_VALUE_{n}"] for n in (1, 2, 3, 4)
    }
    assert pinned == {
        "core.fsmonitor": "false",
        "core.hooksPath": "/dev/null",
        "core.alternateRefsCommand": "true",
        "protocol.ext.allow": "never",
    }
    assert hardened_git_environment({"GIT_CONFIG_COUNT": "x"})["GIT_CONFIG_KEY_0"] == (
        "core.fsmonitor"
    )
