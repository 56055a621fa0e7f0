"""A file adopt merges into keeps the form it was written in: its line endings (all CRLF,
all LF, or each line's own in a mixed file), its UTF-8 BOM, and its final newline or the
lack of one; ``--diff`` shows only the lines that change."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

import pytest

from scaffold.errors import ExitCode
from tests.helpers import adopt, commit_all, committed_repo, tree_digest

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
    return committed_repo(root, files)


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
        # No final newline: the tables follow, and none is added at the end.
        (PYPROJECT[:-1], PYPROJECT + RUFF[:-1]),
        (crlf(PYPROJECT[:-1]), crlf(PYPROJECT + RUFF[:-1])),
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
    from scaffold.plan.merge import merge_toml, parse_toml, split_text

    raw = b"[tool.pytest.ini_options]\r\na = 1\n\r\n[x]\r\nb = 2\r\n"
    text, form = split_text(raw)
    merged = merge_toml(
        parse_toml(text, "x"), "[tool.ruff]\nline-length = 88\n", ("tool.ruff",), "x"
    )
    assert form.restore(merged.text) == (
        b"[tool.pytest.ini_options]\r\na = 1\n\r\n[tool.ruff]\r\nline-length = 88\r\n[x]\r\nb = 2\r\n"
    )


def test_a_file_of_the_same_text_in_another_form_is_identical_not_rewritten(
    tmp_path: Path,
) -> None:
    repo = repo_of(tmp_path / "svc", {"pyproject.toml": PYPROJECT, "main.py": MAIN})
    adopted(repo)
    rewritten: dict[str, Callable[[bytes], bytes]] = {
        ".editorconfig": lambda data: BOM + crlf(data)[:-2],
        ".copier-answers.yml": lambda data: data[:-1],
        "pyproject.toml": lambda data: BOM + crlf(data),
    }
    for name, rewrite in rewritten.items():
        (repo / name).write_bytes(rewrite((repo / name).read_bytes()))
    commit_all(repo, "the editor's line endings")
    before = tree_digest(repo)
    code, output = adopt(str(repo), "--check", "--json")
    assert code == ExitCode.OK, output
    files = {f["path"]: (f["action"], f.get("reason")) for f in json.loads(output)["files"]}
    assert {name: files[name] for name in rewritten} == {
        ".copier-answers.yml": ("identical", "the same text, with no final newline"),
        ".editorconfig": (
            "identical",
            "the same text, with CRLF line endings, a UTF-8 BOM, no final newline",
        ),
        "pyproject.toml": ("identical", "already configured"),
    }
    assert tree_digest(repo) == before


def test_a_file_whose_text_differs_is_kept_whatever_its_form(tmp_path: Path) -> None:
    editorconfig = crlf(b"root = true\n\n[*]\nindent_size = 3\n")
    repo = repo_of(
        tmp_path / "svc",
        {"pyproject.toml": PYPROJECT, "main.py": MAIN, ".editorconfig": editorconfig},
    )
    code, output = adopt(str(repo), "--yes")
    assert code == ExitCode.OK, output
    assert ".editorconfig  skip: exists; yours is kept" in output
    assert (repo / ".editorconfig").read_bytes() == editorconfig


def merge_diff(output: str, name: str) -> str:
    """The diff of ``name`` in ``adopt --diff``'s output."""
    start = output.index(f"--- a/{name}\n")
    end = output.find("\n\n", start)
    return output[start : end + 1 if end != -1 else None]


def test_the_diff_of_a_bom_crlf_manifest_shows_the_added_lines_only(tmp_path: Path) -> None:
    repo = repo_of(
        tmp_path / "crate", {"Cargo.toml": BOM + crlf(CARGO), "src/lib.rs": b"pub fn f() {}\n"}
    )
    code, output = adopt(str(repo), "--dry-run", "--diff")
    assert code == ExitCode.CHANGES_PENDING, output
    assert "Cargo.toml  merge: adds lints; kept: CRLF line endings, a UTF-8 BOM\n" in output
    assert merge_diff(output, "Cargo.toml") == (
        "--- a/Cargo.toml\n"
        "+++ b/Cargo.toml\n"
        "@@ -2,3 +2,13 @@\n"
        ' name = "bom-crate"\n'
        ' version = "0.1.0"\n'
        ' edition = "2018"\n'
        "+\n"
        "+[lints.rust]\n"
        "+# Warnings only: the code that is there keeps building; fix them as you touch it.\n"
        '+unsafe_code = "warn"\n'
        '+rust_2018_idioms = { level = "warn", priority = -1 }\n'
        "+\n"
        "+[lints.clippy]\n"
        '+mod_module_files = "warn"\n'
        '+dbg_macro = "warn"\n'
        '+todo = "warn"\n'
    )


def test_the_diff_of_a_file_without_a_final_newline_says_so(tmp_path: Path) -> None:
    repo = repo_of(tmp_path / "svc", {"pyproject.toml": crlf(PYPROJECT[:-1]), "main.py": MAIN})
    code, output = adopt(str(repo), "--dry-run", "--diff")
    assert code == ExitCode.CHANGES_PENDING, output
    assert (
        "pyproject.toml  merge: adds tool.ruff; kept: CRLF line endings, no final newline\n"
        in output
    )
    assert merge_diff(output, "pyproject.toml") == (
        "--- a/pyproject.toml\n"
        "+++ b/pyproject.toml\n"
        "@@ -1,3 +1,14 @@\n"
        " [project]\n"
        ' name = "svc"\n'
        '-dependencies = ["fastapi"]\n'
        "\\ No newline at end of file\n"
        '+dependencies = ["fastapi"]\n'
        "+\n"
        "+[tool.ruff]\n"
        "+line-length = 88\n"
        "+indent-width = 4\n"
        '+target-version = "py311"\n'
        "+\n"
        "+[tool.ruff.lint]\n"
        '+select = ["E", "W", "F", "I", "B", "UP", "C4", "SIM"]\n'
        "+\n"
        "+[tool.ruff.format]\n"
        '+quote-style = "double"\n'
        "\\ No newline at end of file\n"
    )


def test_a_line_whose_ending_alone_changes_is_shown_changed(tmp_path: Path) -> None:
    from scaffold.commands.adopt import AdoptResult
    from scaffold.model import Action, FileAction, Plan
    from scaffold.output import adoption_diffs

    (tmp_path / "a.txt").write_bytes(b"one\r\ntwo\r\n")
    action = FileAction(PurePosixPath("a.txt"), Action.MIGRATE, "", b"one\r\ntwo\n")
    result = AdoptResult(tmp_path, Plan(tmp_path, (action,)), ())
    assert adoption_diffs(result) == (
        "\n--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+two\n"
    )


def test_a_long_file_of_mixed_blank_lines_is_put_back_in_linear_time() -> None:
    import time

    from scaffold.plan.merge import split_text

    raw = b"".join(b"\r\n" if i % 2 else b"\n" for i in range(200_000))
    started = time.perf_counter()
    text, form = split_text(raw)
    restored = form.restore(text + "[lints]\n")
    assert time.perf_counter() - started < 5  # pairing lines with difflib took minutes
    assert restored == raw + b"[lints]\n"
