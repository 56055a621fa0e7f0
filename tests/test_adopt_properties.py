"""Property: whatever configs a repository already has, however they are written (LF, CRLF
or mixed line endings, a BOM, no final newline), adopt loses none of their content, keeps
every line of a file it merges into byte for byte, and writes nothing outside the
repository."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffold.commands.adopt import apply_adoption, plan_adoption
from scaffold.model import Action
from scaffold.plan.merge import split_text
from tests.helpers import examples, tree_digest, write_files

KEYS = st.sampled_from(["line-length", "select", "target-version", "indent-width", "name", "x"])
VALUES = st.one_of(
    st.integers(min_value=0, max_value=300),
    st.text(alphabet="abcdefgh-_.", max_size=8),
    st.lists(st.text(alphabet="ABCDEF", min_size=1, max_size=3), max_size=3),
    st.booleans(),
)
TABLES = st.dictionaries(KEYS, VALUES, max_size=4)
RUFF_TABLES = st.one_of(
    TABLES.filter(bool),
    st.dictionaries(st.sampled_from(["lint", "format"]), TABLES, min_size=1, max_size=2),
)
OTHER_TOOL_TABLES = st.dictionaries(
    st.sampled_from(["mypy", "pytest", "black"]),
    st.one_of(TABLES, st.dictionaries(st.sampled_from(["lint", "format"]), TABLES, max_size=2)),
    max_size=2,
)


@st.composite
def pyprojects(draw: st.DrawFn) -> str:
    document = tomlkit.document()
    document.add(tomlkit.comment(draw(st.text(alphabet="abc ", max_size=10))))
    project = tomlkit.table()
    project["name"] = "svc"
    project["dependencies"] = draw(st.sampled_from([["fastapi"], ["fastapi>=0.110"], []]))
    document["project"] = project
    tools = draw(OTHER_TOOL_TABLES)
    # A [tool.ruff] of the user's own is the table adopt must keep whole: make it usual.
    ruff = draw(st.one_of(RUFF_TABLES, RUFF_TABLES, st.none()))
    if ruff is not None:
        tools["ruff"] = ruff
    if tools:
        document["tool"] = tools
    return tomlkit.dumps(document)


@st.composite
def written(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> bytes:
    """A text of ``texts`` in some form: LF, CRLF or each line its own ending; a UTF-8 BOM
    or not; the final newline kept or dropped."""
    lines = draw(texts).split("\n")
    endings = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    if endings == "mixed":
        picked = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
        text = "".join(
            line + ("\r\n" if crlf else "\n") for line, crlf in zip(lines, picked, strict=True)
        )
        text = text[: -2 if picked[-1] else -1]
    else:
        text = endings.join(lines)
    if draw(st.booleans()) and text.endswith("\n"):
        text = text.removesuffix("\r\n").removesuffix("\n")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


def raw_lines(data: bytes) -> list[bytes]:
    """The lines of ``data``, each with its own ending; a last line without one left out
    (it gains one when something is added after it)."""
    return data.splitlines(keepends=True)[: None if data.endswith(b"\n") else -1]


PYPROJECTS = st.one_of(
    written(pyprojects()), written(pyprojects()), st.sampled_from([b"[broken\n", b"\x00\x01binary"])
)
OTHER_FILES: dict[str, st.SearchStrategy[str | bytes]] = {
    "ruff.toml": st.sampled_from(["line-length = 79\n", "# empty\n"]),
    ".editorconfig": st.sampled_from(["root = true\n", "[*]\nindent_size = 3\n"]),
    "AGENTS.md": st.just("# ours\n"),
    "Cargo.toml": written(
        st.sampled_from(
            [
                '[package]\nname = "a"\nversion = "0.1.0"\nedition = "2021"\n',
                "[workspace]\nmembers = []\n",
            ]
        )
    ),
    "rustfmt.toml": st.just("max_width = 80\n"),
    "go.mod": st.just("module example.com/a\n\ngo 1.22\n"),
    ".golangci.yml": st.just("linters:\n  enable: [govet]\n"),
}


@st.composite
def repositories(draw: st.DrawFn) -> dict[str, bytes]:
    chosen = draw(st.sets(st.sampled_from(sorted(OTHER_FILES))))
    drawn: dict[str, str | bytes] = {name: draw(OTHER_FILES[name]) for name in chosen}
    files = {k: v if isinstance(v, bytes) else v.encode("utf-8") for k, v in drawn.items()}
    # A Python project most of the time: its pyproject.toml is where merges happen.
    if draw(st.sampled_from([True, True, True, False])) or not files:
        files["pyproject.toml"] = draw(PYPROJECTS)
        files["main.py"] = b"from fastapi import FastAPI\n\napp = FastAPI()\n"
    if "Cargo.toml" in files and b"[package]" in files["Cargo.toml"]:
        files["src/lib.rs"] = b"pub fn f() {}\n"
    if "go.mod" in files:
        files["main.go"] = b"package main\n\nfunc main() {}\n"
    return files


def is_subset(small: Any, large: Any) -> bool:
    if isinstance(small, dict):
        return isinstance(large, dict) and all(
            k in large and is_subset(v, large[k]) for k, v in small.items()
        )
    return bool(small == large)


def is_subsequence(lines: list[bytes], within: list[bytes]) -> bool:
    remaining = iter(within)
    return all(any(line == other for other in remaining) for line in lines)


@settings(max_examples=examples(40), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=repositories())
def test_no_content_is_lost_and_nothing_is_written_outside(
    tmp_path_factory: Any, files: dict[str, bytes]
) -> None:
    parent = tmp_path_factory.mktemp("parent")
    repo = write_files(parent / "repo", files)
    outside_before = {k: v for k, v in tree_digest(parent).items() if not k.startswith("repo")}

    result = plan_adoption(repo, allow_dirty=True)
    merged = {a.path.as_posix() for a in result.plan.actions if a.action is Action.MERGE}
    apply_adoption(result)

    for name, data in files.items():
        now = (repo / name).read_bytes()
        if name not in merged:
            assert now == data, name
            continue
        (text, form), (now_text, now_form) = split_text(data), split_text(now)
        assert is_subset(tomllib.loads(text), tomllib.loads(now_text)), name
        assert is_subsequence(raw_lines(data), raw_lines(now)), name
        assert (now_form.bom, now_form.final_newline) == (form.bom, form.final_newline), name
        if not form.lines:  # one ending throughout: the added lines have it too
            assert (now_form.newline, now_form.lines) == (form.newline, ()), name
    assert {
        k: v for k, v in tree_digest(parent).items() if not k.startswith("repo")
    } == outside_before
    assert all(
        Path(repo, a.path.as_posix()).resolve().is_relative_to(repo) for a in result.plan.writes
    )
