"""Results kept from one run to the next (:mod:`scaffold.memo`): the parsed conventions and
each adopted project's answers and render. A second run with the same inputs works none of
them out again and plans the same; a changed input, a forged entry or an ecosystem from
outside scaffold means working them out again."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import scaffold.conventions
import scaffold.render
import scaffold.templates
from scaffold import ecosystems, memo
from scaffold.commands.adopt import plan_adoption
from scaffold.conventions import load_conventions
from scaffold.ecosystems.base import Ecosystem
from tests.helpers import commit_all, fastapi_service, stand_in_library


def counted(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (which still does its work)."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def entries(kind: str) -> list[Path]:
    from scaffold.catalog import cache_dir

    return sorted((cache_dir() / "memo" / kind).glob("*.signed"))


def test_a_second_adoption_parses_and_renders_nothing_and_plans_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fastapi_service(tmp_path / "svc")
    first = plan_adoption(repo).to_dict()
    assert len(entries("conventions")) == 1 and len(entries("adopt-render")) == 1

    parsed = counted(monkeypatch, scaffold.conventions, "parse_agent_definition")
    rendered = counted(monkeypatch, scaffold.render, "render_many")
    questions = counted(monkeypatch, scaffold.templates, "load_template")
    assert plan_adoption(repo).to_dict() == first
    assert (parsed, rendered, questions) == ([], [], [])


def test_a_changed_project_is_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fastapi_service(tmp_path / "svc")
    plan_adoption(repo)
    manifest = repo / "pyproject.toml"
    manifest.write_text(manifest.read_text() + "\n[tool.black]\nline-length = 120\n")
    commit_all(repo)

    rendered = counted(monkeypatch, scaffold.render, "render_many")
    plan = plan_adoption(repo)
    assert rendered == [1]
    assert plan.projects[0].answers["line_length"] == 120
    assert len(entries("adopt-render")) == 2  # each answer set kept


def test_an_edited_agent_definition_is_parsed_again(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    text = "---\nname: one\ndescription: d\n---\n## Conventions\n- **Python / FastAPI**: `app/`\n"
    agent.write_text(text)
    assert load_conventions(agent).name == "one"
    agent.write_text(text.replace("name: one", "name: two"))
    assert load_conventions(agent).name == "two"
    assert load_conventions(agent) == scaffold.conventions.parse_agent_definition(
        agent.read_text(), source=str(agent)
    )


@pytest.mark.parametrize(
    "forge",
    [
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # its payload changed
        lambda data: os.urandom(32) + data[32:],  # signed with another key
        lambda data: b'{"name": "hostile"}',  # not signed at all
        lambda data: b"",
    ],
    ids=["changed", "another key", "unsigned", "empty"],
)
def test_a_forged_entry_is_worked_out_again_and_signed_again(
    forge: Callable[[bytes], bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fastapi_service(tmp_path / "svc")
    first = plan_adoption(repo).to_dict()
    kept = entries("conventions") + entries("adopt-render")
    values = [memo.recall(entry.parent.name, entry.stem) for entry in kept]
    for entry in kept:
        entry.write_bytes(forge(entry.read_bytes()))
    assert [memo.recall(entry.parent.name, entry.stem) for entry in kept] == [None, None]

    rendered = counted(monkeypatch, scaffold.render, "render_many")
    assert plan_adoption(repo).to_dict() == first
    assert rendered == [1]
    assert [memo.recall(entry.parent.name, entry.stem) for entry in kept] == values


def test_nothing_is_kept_or_recalled_while_an_ecosystem_from_elsewhere_is_registered() -> None:
    memo.keep("test", "key", [1])
    assert memo.recall("test", "key") == [1]
    ecosystems.register(Ecosystem(name="elsewhere"))
    try:
        assert memo.recall("test", "key") is None
        memo.keep("test", "other", [2])
    finally:
        ecosystems.unregister("elsewhere")
    assert entries("test") == [e for e in entries("test") if e.stem == "key"]
    assert memo.recall("test", "other") is None


def test_the_state_of_a_folder_follows_its_files_names_sizes_times_and_modes(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "template"
    (folder / "sub").mkdir(parents=True)
    file = folder / "sub" / "a.txt"
    file.write_text("one")
    os.utime(file, ns=(1_000_000_000, 1_000_000_000))
    states = [memo.folder_state(folder)]
    file.write_text("two")  # same size: only its time differs
    os.utime(file, ns=(1_000_000_000, 2_000_000_000))
    states.append(memo.folder_state(folder))
    file.chmod(0o755)
    states.append(memo.folder_state(folder))
    file.rename(folder / "sub" / "b.txt")
    states.append(memo.folder_state(folder))
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"\0")
    states.append(memo.folder_state(folder))
    assert len(set(states)) == 4 and states[-1] == states[-2]


def test_the_oldest_entries_beyond_the_bound_are_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "KEPT_PER_KIND", 3)
    for number in range(5):
        memo.keep("test", f"key{number}", number)
        os.utime(entries("test")[-1], ns=(number * 10**9, number * 10**9))
    assert [entry.stem for entry in entries("test")] == ["key2", "key3", "key4"]
    assert [memo.recall("test", f"key{n}") for n in range(5)] == [None, None, 2, 3, 4]


def test_a_library_that_renders_changed_means_rendering_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgraded copier or Jinja may render otherwise: the renders kept before are not
    used (a library of the test's stands in for them, its file rewritten)."""
    from scaffold.plan import renders

    library = stand_in_library(tmp_path, renders, "RENDERERS", monkeypatch)
    repo = fastapi_service(tmp_path / "svc")
    plan_adoption(repo)
    rendered = counted(monkeypatch, scaffold.render, "render_many")
    plan_adoption(repo)
    assert rendered == []
    library.write_text("VERSION = 22\n")
    plan_adoption(repo)
    assert rendered == [1]
