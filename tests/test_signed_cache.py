"""Cache entries that hold code or decide what scaffold does are used only when they carry a
signature made with a key that lives outside the cache folder: whoever can write the cache
folder (a CI cache restored from a store other jobs wrote) cannot choose the code a run
executes or the stacks detection reports."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import CodeType

import pytest

from scaffold import signed_cache
from tests.helpers import REPO_ROOT, committed_repo

PURPOSE = "test-entry"


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(state folder, cache folder), both fresh."""
    state, cache = tmp_path / "state", tmp_path / "cache"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    return state / "scaffold", cache


@pytest.fixture(autouse=True)
def keys_read_again() -> None:
    """Each test reads the key as its files are (a process reads it once)."""
    signed_cache._key.cache_clear()


def signed(key: bytes, purpose: str, payload: bytes) -> bytes:
    message = purpose.encode() + b"\0" + payload
    return hmac.new(key, message, hashlib.sha256).digest() + payload


def test_an_entry_is_read_back_only_as_it_was_signed(folders: tuple[Path, Path]) -> None:
    state, cache = folders
    entry = cache / "entry"
    signed_cache.write(entry, PURPOSE, b"payload")
    key = (state / "cache-key").read_bytes()
    assert len(key) == 32
    assert (state / "cache-key").stat().st_mode & 0o777 == 0o600
    assert entry.read_bytes() == signed(key, PURPOSE, b"payload")
    assert signed_cache.read(entry, PURPOSE) == b"payload"

    assert signed_cache.read(entry, "another-purpose") is None
    entry.write_bytes(signed(key, PURPOSE, b"payload")[:-1] + b"X")  # rewritten
    assert signed_cache.read(entry, PURPOSE) is None
    entry.write_bytes(signed(os.urandom(32), PURPOSE, b"payload"))  # another machine's key
    assert signed_cache.read(entry, PURPOSE) is None
    entry.write_bytes(b"payload")  # unsigned
    assert signed_cache.read(entry, PURPOSE) is None
    entry.write_bytes(signed(key, PURPOSE, b"x" * signed_cache.MAX_ENTRY_BYTES))  # too large
    assert signed_cache.read(entry, PURPOSE) is None


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o620])
def test_a_key_others_can_read_or_change_is_not_used(folders: tuple[Path, Path], mode: int) -> None:
    state, cache = folders
    signed_cache.write(cache / "entry", PURPOSE, b"payload")
    (state / "cache-key").chmod(mode)
    signed_cache._key.cache_clear()
    assert signed_cache.signing_key() is None
    assert signed_cache.read(cache / "entry", PURPOSE) is None
    signed_cache.write(cache / "other", PURPOSE, b"payload")
    assert not (cache / "other").exists()


@pytest.mark.parametrize("size", [0, 31, 33])
def test_a_key_of_the_wrong_size_is_not_used(folders: tuple[Path, Path], size: int) -> None:
    state, _ = folders
    state.mkdir(parents=True)
    (state / "cache-key").write_bytes(b"k" * size)
    (state / "cache-key").chmod(0o600)
    assert signed_cache.signing_key() is None


def test_a_key_linked_from_elsewhere_is_not_followed(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    state, _ = folders
    state.mkdir(parents=True)
    elsewhere = tmp_path / "known-key"
    elsewhere.write_bytes(b"k" * 32)
    elsewhere.chmod(0o600)
    (state / "cache-key").symlink_to(elsewhere)
    assert signed_cache.signing_key() is None


def test_a_key_inside_the_cache_folder_is_never_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A key restored with the cache would sign whatever the cache's writer chose.
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_STATE_HOME", str(cache / "state"))
    signed_cache.write(cache / "entry", PURPOSE, b"payload")
    assert signed_cache.signing_key() is None
    assert not (cache / "entry").exists()
    assert not (cache / "state").exists()


# --- compiled Jinja templates ---------------------------------------------------------------


def scaffold(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``scaffold ARGS`` as a fresh process."""
    env = {**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


def replant(cache: Path, key: bytes, marker: Path, signing_key: bytes) -> int:
    """Every compiled template of the cache (each checked to be signed with ``key``)
    replaced by code that creates ``marker``, signed with ``signing_key``; returns how many
    were replaced."""
    planted = compile(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n",
                      "planted", "exec")  # fmt: skip
    entries = sorted((cache / "jinja").glob("*.code"))
    for entry in entries:
        purpose = f"jinja-bytecode:{entry.stem}"
        payload = entry.read_bytes()[32:]
        assert entry.read_bytes() == signed(key, purpose, payload)
        entry.write_bytes(signed(signing_key, purpose, with_code(payload, planted)))
    return len(entries)


def with_code(payload: bytes, code: CodeType) -> bytes:
    """``payload`` (Jinja's header, the source's checksum, the code) with its code replaced:
    the checksum still matches the template's source, as a planted entry's would."""
    import marshal
    import pickle

    from jinja2.bccache import bc_magic

    checksum = pickle.load(io.BytesIO(payload[len(bc_magic) :]))
    return bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code)


def test_compiled_templates_run_only_when_signed_with_this_machines_key(tmp_path: Path) -> None:
    repo = committed_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": '[project]\nname = "api"\nversion = "1.0.0"\n'
            'requires-python = ">=3.11"\ndependencies = ["fastapi>=0.110"]\n',
            "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        },
    )
    state, cache, marker = tmp_path / "state", tmp_path / "cache", tmp_path / "marker"
    env = {"XDG_STATE_HOME": str(state), "SCAFFOLD_CACHE_DIR": str(cache)}
    adopt = ("adopt", str(repo), "--dry-run", "--json")
    clean = scaffold(env, tmp_path, *adopt)
    assert clean.returncode == 3, clean.stderr
    key = (state / "scaffold" / "cache-key").read_bytes()

    # Each run renders again (nothing kept from the last, see scaffold.memo): it compiles
    # the templates, or loads what the cache holds compiled.
    shutil.rmtree(cache / "memo")
    assert replant(cache, key, marker, os.urandom(32)) > 10  # signed with another key
    again = scaffold(env, tmp_path, *adopt)
    assert (again.returncode, again.stdout) == (3, clean.stdout)
    assert not marker.exists()

    shutil.rmtree(cache / "memo")
    assert replant(cache, key, marker, key) > 10  # signed with this machine's key
    scaffold(env, tmp_path, *adopt)
    assert marker.read_text() == "ran"  # the signature is what lets compiled code run


# --- the stacks detection maps projects to ----------------------------------------------------


def test_stack_labels_from_the_cache_are_used_only_when_signed_so(
    tmp_path: Path, folders: tuple[Path, Path]
) -> None:
    from scaffold.ecosystems import template_folders
    from scaffold.templates import stack_labels

    state, cache = folders
    folders_now = template_folders()
    truth = stack_labels(folders_now)
    assert truth["python-fastapi"] == ("python", "fastapi")
    entry = cache / "stack-labels.json"
    kept = json.loads(signed_cache.read(entry, "stack-labels/1") or b"{}")
    assert kept["labels"]["python-fastapi"] == ["python", "fastapi"]

    swapped = {**kept, "labels": {**kept["labels"], "python-fastapi": ["go", None]}}
    payload = json.dumps(swapped).encode()
    entry.write_bytes(signed(os.urandom(32), "stack-labels/1", payload))  # another key
    assert stack_labels(folders_now) == truth
    key = (state / "cache-key").read_bytes()
    stale = {**swapped, "templates": "0" * 64}  # signed, but for other templates
    entry.write_bytes(signed(key, "stack-labels/1", json.dumps(stale).encode()))
    assert stack_labels(folders_now) == truth
