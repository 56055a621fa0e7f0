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
from pathlib import Path
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


def forged_note(cache: Path, src_path: str) -> None:
    """Every replay note in ``cache`` rewritten by someone without this machine's key: a
    note naming ``src_path``, as JSON, unsigned."""
    for note in (cache / "replay").glob("*.signed"):
        note.write_text(json.dumps({"_src_path": src_path, "_commit": HOSTILE}))


def forged_memos(cache: Path) -> int:
    """Every kept result in ``cache`` (:mod:`scaffold.memo`) rewritten by someone without
    this machine's key: a render whose files carry ``HOSTILE``, unsigned. Returns how many."""
    forged: dict[str, Any] = {"answers": {}, "layout": None, "recorded": {}}
    forged["files"] = {".copier-answers.yml": [f"_src_path: {HOSTILE}\n", 0o644]}
    entries = list((cache / "memo").glob("*/*.signed"))
    for entry in entries:
        entry.write_text(json.dumps(forged))
    return len(entries)


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
    notes = sorted((cache / "replay").glob("*.signed"))
    assert len(notes) == 2  # one per stack: adopted, and the new project of one of them
    signed = [note.read_bytes() for note in notes]
    forged_note(cache, HOSTILE)
    assert forged_memos(cache) == 3  # the conventions, and the render of each project
    assert plant_bytecode(cache, marker) > 100

    assert outcome(cache, "hostile") == clean
    assert not marker.exists()
    # Checked against copier's render again, and noted again with this machine's key.
    assert [note.read_bytes() for note in notes] == signed


# --- the note of a replay checked against copier ------------------------------------------


def learnt(source: TemplateSource, cache: Path, answers: list[dict[str, Any]]) -> Path:
    """Let the replay learn ``source`` from copier; return its signed note."""
    assert [r.replayed for r in render_many(source, answers)] == [False] + [True] * (
        len(answers) - 1
    )
    (note,) = (cache / "replay").glob("*.signed")
    assert [r.replayed for r in render_many(source, answers)] == [True] * len(answers)
    return note


#: Notes someone without the key writes, given the real one's bytes.
FORGERIES: dict[str, Callable[[bytes], bytes]] = {
    "plain JSON": lambda signed: json.dumps({"_src_path": HOSTILE}).encode(),
    "the note's text changed, its signature kept": lambda signed: (
        signed[:-1] + bytes([signed[-1] ^ 1])
    ),
    "a signature bit flipped": lambda signed: bytes([signed[0] ^ 1]) + signed[1:],
    "cut short": lambda signed: signed[:40],
    "empty": lambda signed: b"",
    "over the size bound": lambda signed: signed + b" " * (4 * 1024 * 1024),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_replay_note_is_a_miss(
    forgery: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    source = TemplateSource(str(tiny_template(tmp_path)))
    answers = [{"project_name": "a", "greeting": "hi"}, {"project_name": "b"}]
    note = learnt(source, cache, answers)
    signed = note.read_bytes()
    note.write_bytes(FORGERIES[forgery](signed))
    results = render_many(source, answers)
    assert [r.replayed for r in results] == [False, True]  # copier renders, the replay learns
    assert contents(results) == copier_renders(source, answers)
    assert note.read_bytes() == signed


def test_a_note_signed_for_another_template_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    template = tiny_template(tmp_path)
    source = TemplateSource(str(template))
    answers = [{"project_name": "a"}, {"project_name": "b"}]
    old = learnt(source, cache, answers)
    # The template changes in place (a source checkout edited): its replay is checked again.
    (template / "template" / "README.md.jinja").write_text("# {{ project_name }}, changed\n")
    assert [r.replayed for r in render_many(source, answers)] == [False, True]
    (new,) = set(cache.glob("replay/*.signed")) - {old}
    # The old template's note, under the new one's name, does not vouch for the new one.
    new.write_bytes(old.read_bytes())
    results = render_many(source, answers)
    assert [r.replayed for r in results] == [False, True]
    assert contents(results) == copier_renders(source, answers)


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
    answers = [{"project_name": "a"}, {"project_name": "b"}]
    learnt(source, cache, answers)
    results = render_many(source, answers)
    assert [r.replayed for r in results] == [True, True]
    assert contents(results) == copier_renders(source, answers)
    assert {p.as_posix() for p in results[1].files} == {"README.md", ".copier-answers.yml"}


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
