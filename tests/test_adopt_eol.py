"""A file adopt merges into keeps the form it was written in: its line endings (all CRLF,
all LF, or each line's own in a mixed file), its UTF-8 BOM, and its final newline or the
lack of one; ``--diff`` shows only the lines that change."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from scaffold.errors import ExitCode
from tests.helpers import adopt, commit_all, git

BOM = b"\xef\xbb\xbf"
PYPROJECT = b'[project]\nname = "svc"\ndependencies = ["fastapi"]\n'
RUFF = b"""\

[tool.ruff]
line-length = 88
indent-width = 4
target-version = "py311"

[tool.ruff.lint]
select = ["E", "W", "F", "I", "B", "UP", "C4", "SIM"]

[tool.ruff.format]
quote-style = "double"
"""
MAIN = b"from fastapi import FastAPI\n\napp = FastAPI()\n"
CARGO = b'[package]\nname = "bom-crate"\nversion = "0.1.0"\nedition = "2018"\n'
LINTS = b"""\

[lints.rust]
# Warnings only: the code that is there keeps building; fix them as you touch it.
unsafe_code = "warn"
rust_2018_idioms = { level = "warn", priority = -1 }

[lints.clippy]
mod_module_files = "warn"
dbg_macro = "warn"
todo = "warn"
"""


def crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def repo_of(root: Path, files: Mapping[str, bytes]) -> Path:
    """``files``, written byte for byte, committed in a new git repository."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    git(root, "init", "-q")
    commit_all(root, "existing code")
    return root


def adopted(repo: Path) -> None:
    """``adopt --yes`` writes; committed, a second ``adopt --check`` finds nothing to do."""
    code, output = adopt(str(repo), "--yes")
    assert code == ExitCode.OK, output
    commit_all(repo, "adopted")
    code, output = adopt(str(repo), "--check")
    assert code == ExitCode.OK, output


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (PYPROJECT, PYPROJECT + RUFF),
        (crlf(PYPROJECT), crlf(PYPROJECT + RUFF)),
        (BOM + crlf(PYPROJECT), BOM + crlf(PYPROJECT + RUFF)),
        # No final newline: the tables follow on the next line, and none is added at the end.
        (PYPROJECT[:-1], PYPROJECT + RUFF[1:-1]),
        (crlf(PYPROJECT[:-1]), crlf(PYPROJECT + RUFF[1:-1])),
    ],
    ids=["lf", "crlf", "bom-crlf", "lf-no-final-newline", "crlf-no-final-newline"],
)
def test_a_merged_pyproject_keeps_its_form(tmp_path: Path, before: bytes, after: bytes) -> None:
    repo = repo_of(tmp_path / "svc", {"pyproject.toml": before, "main.py": MAIN})
    adopted(repo)
    assert (repo / "pyproject.toml").read_bytes() == after


def test_a_mixed_file_keeps_each_line_as_it_was(tmp_path: Path) -> None:
    # Mostly CRLF, one LF line in the middle: that line keeps LF, the added ones get CRLF.
    before = b'[project]\r\nname = "svc"\ndependencies = ["fastapi"]\r\n\r\n# end\r\n'
    repo = repo_of(tmp_path / "svc", {"pyproject.toml": before, "main.py": MAIN})
    adopted(repo)
    assert (repo / "pyproject.toml").read_bytes() == before + crlf(RUFF)


def test_a_bom_and_crlf_cargo_manifest_is_read_and_merged_in_its_form(tmp_path: Path) -> None:
    before = BOM + crlf(CARGO)
    repo = repo_of(tmp_path / "crate", {"Cargo.toml": before, "src/lib.rs": b"pub fn f() {}\n"})
    adopted(repo)
    assert (repo / "Cargo.toml").read_bytes() == BOM + crlf(CARGO + LINTS)
    # The manifest behind the BOM was read for the answers too.
    answers = (repo / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "edition: '2018'" in answers and "project_name: bom-crate" in answers


def test_lines_added_between_those_of_a_mixed_file_take_its_usual_ending() -> None:
    from scaffold.merge import merge_toml, parse_toml, split_text

    raw = b"[tool.pytest.ini_options]\r\na = 1\n\r\n[x]\r\nb = 2\r\n"
    text, form = split_text(raw)
    merged = merge_toml(
        parse_toml(text, "x"), "[tool.ruff]\nline-length = 88\n", ("tool.ruff",), "x"
    )
    assert form.restore(merged.text) == (
        b"[tool.pytest.ini_options]\r\na = 1\n\r\n[tool.ruff]\r\nline-length = 88\r\n[x]\r\nb = 2\r\n"
    )
