"""`render_many`: many answer sets of one template, replayed in process exactly as copier
renders each of them, with the replay's check against copier kept in the cache folder."""

from __future__ import annotations

import json
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import copier
import pytest
import yaml
from copier._tools import cast_to_bool, cast_to_str
from hypothesis import given, settings
from hypothesis import strategies as st

from scaffold.errors import InvalidAnswerError, TemplateError
from scaffold.render import RenderedFile, RenderedFiles, render_many
from scaffold.render.replay import as_bool, as_str
from scaffold.templates import TemplateSource, cache_dir, get_stack, template_source
from tests.helpers import REPO_ROOT, examples, git

TINY = REPO_ROOT / "tests" / "fixtures" / "tiny-template"

# Adopted-mode answers of each stack: the tuning answers adopt infers, in several styles.
STACK_ANSWERS: dict[str, list[dict[str, Any]]] = {
    "python-fastapi": [
        {"project_name": "orders", "line_length": 88, "indent_width": 4, "quote_style": "double"},
        {"project_name": "billing-api", "package_name": "billing", "line_length": 120,
         "indent_width": 2, "quote_style": "single", "python_version": "3.9"},
        {"project_name": "x1", "line_length": 200},
    ],
    "django": [
        {"project_name": "shop", "line_length": 100},
        {"project_name": "blog-site", "app_name": "posts", "project_package": "site_conf",
         "indent_width": 2, "quote_style": "single", "python_version": "3.13"},
        {"project_name": "wiki", "database": "postgresql"},
    ],
    "go": [
        {"project_name": "gateway", "module_path": "github.com/acme/gateway"},
        {"project_name": "worker", "module_path": "worker", "go_version": "1.21"},
        {"project_name": "edge", "go_version": "1.22.3", "library": True},
    ],
    "rust": [
        {"project_name": "ledger"},
        {"project_name": "ledger-cli", "crate_name": "ledger_cli", "edition": "2021"},
        {"project_name": "tiny", "edition": "2018", "module_style": "mod_rs"},
    ],
    "node-express": [
        {"project_name": "web"},
        {"project_name": "api-gw", "package_type": "commonjs", "typescript": False,
         "indent_style": "tab", "quote_style": "double", "semicolons": False,
         "trailing_comma": "none", "print_width": 120, "test_globals": "jest"},
        {"project_name": "bff", "indent_width": 4, "data_indent_width": 2,
         "trailing_comma": "es5"},
    ],
    "java-spring": [
        {"project_name": "catalog"},
        {"project_name": "inventory-svc", "group_id": "org.acme", "artifact_id": "inventory",
         "package_name": "org.acme.inventory", "java_version": "21", "indent_style": "tab",
         "indent_width": 4},
        {"project_name": "pay", "indent_width": 4},
    ],
}  # fmt: skip


Contents = list[tuple[dict[PurePosixPath, Any], dict[str, Any]]]


def copier_renders(source: TemplateSource, answer_sets: Sequence[Mapping[str, Any]]) -> Contents:
    """What plain ``copier copy`` writes for each answer set, read back from disk: every
    file with its mode, and the answers it records (without copier's own keys)."""
    rendered: Contents = []
    for data in answer_sets:
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch, "out")
            copier.run_copy(
                source.src_path,
                out,
                vcs_ref=source.vcs_ref,
                data=dict(data),
                defaults=True,
                quiet=True,
            )
            files = {
                PurePosixPath(path.relative_to(out).as_posix()): RenderedFile(
                    path.read_bytes(), stat.S_IMODE(path.stat().st_mode)
                )
                for path in out.rglob("*")
                if path.is_file()
            }
            recorded = yaml.safe_load((out / ".copier-answers.yml").read_text())
            answers = {k: v for k, v in recorded.items() if not k.startswith("_")}
        rendered.append((files, answers))
    return rendered


def notes(cache: Path) -> list[Path]:
    """The signed notes of replays checked against copier, in the cache folder ``cache``."""
    return sorted((cache / "replay").glob("*.signed"))


def contents(results: list[RenderedFiles]) -> Contents:
    return [(dict(r.files), dict(r.answers)) for r in results]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(folder))
    return folder


@pytest.mark.parametrize("stack", sorted(STACK_ANSWERS))
def test_each_stack_is_replayed_byte_for_byte_as_copier_renders_it(
    stack: str, private_cache: Path
) -> None:
    source = template_source(get_stack(stack), install=False)
    answer_sets = [{"adopted": True, **answers} for answers in STACK_ANSWERS[stack]]
    expected = copier_renders(source, answer_sets)

    first = render_many(source, answer_sets)
    assert contents(first) == expected
    # copier renders the first set; the replay, checked against it, renders the rest
    assert [r.replayed for r in first] == [False, True, True]
    assert len(notes(private_cache)) == 1

    again = render_many(source, answer_sets)
    assert contents(again) == expected
    assert [r.replayed for r in again] == [True, True, True]


@settings(max_examples=examples(15))
@given(
    line_length=st.integers(min_value=60, max_value=200),
    indent_width=st.integers(min_value=1, max_value=8),
    quote_style=st.sampled_from(["single", "double"]),
    minor=st.integers(min_value=8, max_value=14),
    name=st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True),
)
def test_random_tuning_answers_replay_as_copier_renders_them(
    line_length: int, indent_width: int, quote_style: str, minor: int, name: str
) -> None:
    source = template_source(get_stack("python-fastapi"), install=False)
    answers = {
        "adopted": True,
        "project_name": name,
        "line_length": line_length,
        "indent_width": indent_width,
        "quote_style": quote_style,
        "python_version": f"3.{minor}",
    }
    (result,) = render_many(source, [{"adopted": True, "project_name": "seed"}, answers])[1:]
    assert result.replayed
    assert contents([result]) == copier_renders(source, [answers])


# The words YAML and copier read as true, false or null, and some they do not, in any case,
# padded or not.
YAML_WORDS = st.builds(
    lambda word, case, pad: pad + case(word) + pad,
    st.sampled_from(
        ["y", "yes", "t", "true", "on", "n", "no", "f", "false", "off", "~", "null", "none"]
    )
    | st.sampled_from(["1", "0", "0.0", "-1", "", "maybe", "nan"]),
    st.sampled_from([str.lower, str.upper, str.title]),
    st.sampled_from(["", " ", "\t"]),
)


@settings(max_examples=examples(500))
@given(
    st.one_of(
        st.text(max_size=8),
        YAML_WORDS,
        st.integers(),
        st.floats(allow_nan=False),
        st.booleans(),
        st.none(),
        st.binary(max_size=4),
    )
)
def test_answers_are_read_as_copier_reads_them(value: Any) -> None:
    assert as_bool(value) == cast_to_bool(value)
    try:
        expected: Any = cast_to_str(value)
    except (ValueError, UnicodeDecodeError) as error:
        expected = type(error)
    try:
        actual: Any = as_str(value)
    except (ValueError, UnicodeDecodeError) as error:
        actual = type(error)
    assert actual == expected


def test_an_answer_copier_refuses_is_refused_in_the_same_words() -> None:
    source = template_source(get_stack("python-fastapi"), install=False)
    good, bad = {"adopted": True}, {"adopted": True, "line_length": 40}
    with pytest.raises(InvalidAnswerError) as by_copier:
        render_many(source, [bad])
    with pytest.raises(InvalidAnswerError) as by_replay:
        render_many(source, [good, bad])
    assert str(by_replay.value) == str(by_copier.value)
    assert str(by_copier.value) == (
        "Validation error for question 'line_length': must be between 60 and 200"
    )
    # A value outside the choices is copier's to refuse: the replay hands it over.
    with pytest.raises(TemplateError, match="Invalid choice for 'quote_style'"):
        render_many(source, [good, {"adopted": True, "quote_style": "backtick"}])


def tiny_template(tmp_path: Path, copier_yml: str | None = None) -> Path:
    template = tmp_path / "tiny"
    shutil.copytree(TINY, template)
    if copier_yml is not None:
        (template / "copier.yml").write_text(copier_yml)
    return template


@pytest.mark.parametrize(
    ("stack", "answer_sets"),
    [
        # A package folder named by an answer, files named by a condition (empty: left out).
        (
            "python-fastapi",
            [
                {"project_name": "one"},
                {"project_name": "two", "package_name": "deux", "auth": "jwt"},
                {"project_name": "three", "api_module": "http", "database": "postgresql"},
            ],
        ),
        # A package rendered to several folders (com/example/...).
        (
            "java-spring",
            [
                {"project_name": "one"},
                {"project_name": "two", "package_name": "org.acme.shop.two"},
                {"project_name": "three", "group_id": "io.x", "package_name": "io.x.three"},
            ],
        ),
    ],
)
def test_a_new_project_with_templated_names_is_replayed_as_copier_renders_it(
    stack: str, answer_sets: list[dict[str, Any]], private_cache: Path
) -> None:
    source = template_source(get_stack(stack), install=False)
    results = render_many(source, answer_sets)
    assert [r.replayed for r in results] == [False, True, True]
    assert contents(results) == copier_renders(source, answer_sets)
    assert len(notes(private_cache)) == 1


@pytest.mark.parametrize("stack", sorted(STACK_ANSWERS))
def test_each_stacks_new_project_is_replayed_as_copier_renders_it(stack: str) -> None:
    source = template_source(get_stack(stack), install=False)
    answer_sets = [{"project_name": "first"}, {"project_name": "second-one"}]
    results = render_many(source, answer_sets)
    assert [r.replayed for r in results] == [False, True]
    assert contents(results) == copier_renders(source, answer_sets)


def test_a_folder_copier_would_leave_empty_is_rendered_by_copier(tmp_path: Path) -> None:
    config = (
        "_subdirectory: template\n"
        '_exclude:\n  - "{% if not docs %}docs/guide.md{% endif %}"\n'
        "project_name: tiny\ngreeting: hello\ndocs: false\n"
    )
    template = tiny_template(tmp_path, config)
    (template / "template" / "docs").mkdir()
    (template / "template" / "docs" / "guide.md").write_text("A guide.\n")
    source = TemplateSource(str(template))
    answer_sets = [{"project_name": "a"}, {"project_name": "b"}]
    results = render_many(source, answer_sets)
    assert [r.replayed for r in results] == [False, False]
    assert contents(results) == copier_renders(source, answer_sets)


def test_a_template_the_replay_cannot_follow_is_rendered_by_copier(tmp_path: Path) -> None:
    # A question type beyond plain values.
    yaml_question = (
        "_subdirectory: template\nproject_name: tiny\ngreeting:\n  type: yaml\n  default: hi\n"
    )
    source = TemplateSource(str(tiny_template(tmp_path, yaml_question)))
    answer_sets = [{"project_name": "a"}, {"project_name": "b", "greeting": "[1, 2]"}]
    results = render_many(source, answer_sets)
    assert [r.replayed for r in results] == [False, False]
    assert contents(results) == copier_renders(source, answer_sets)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # Names copier puts in its context that the replay does not know: the replay
        # renders them empty, which only the comparison with copier's render shows.
        ("template/README.md.jinja", "# {{ project_name }} in {{ _folder_name }}\n"),
        (
            "template/README.md.jinja",
            "# {{ project_name }}{% if _copier_conf.dst_path %} (placed){% endif %}\n",
        ),
        # Only the recorded answers differ (and with them the answers file).
        (
            "copier.yml",
            "_subdirectory: template\nproject_name: tiny\ngreeting: hello\n"
            "folder:\n  type: str\n  default: '{{ _folder_name }}'\n",
        ),
    ],
)
def test_a_replay_that_differs_from_copier_is_not_trusted(
    tmp_path: Path, private_cache: Path, name: str, text: str
) -> None:
    template = tiny_template(tmp_path)
    (template / name).write_text(text)
    source = TemplateSource(str(template))
    answer_sets = [{"project_name": "a"}, {"project_name": "b"}, {"project_name": "c"}]
    for _ in range(2):  # nothing remembered either: the second run checks again
        results = render_many(source, answer_sets)
        assert [r.replayed for r in results] == [False, False, False]
        assert contents(results) == copier_renders(source, answer_sets)
        assert not notes(private_cache)


def test_answers_that_change_the_exclusions_are_replayed_as_copier_renders_them(
    tmp_path: Path,
) -> None:
    config = (
        "_subdirectory: template\n"
        '_exclude:\n  - "{% if not readme %}README.md{% endif %}"\n'
        "project_name: tiny\ngreeting: hello\nreadme: true\n"
    )
    source = TemplateSource(str(tiny_template(tmp_path, config)))
    answer_sets: list[dict[str, Any]] = [
        {"project_name": "a"},
        {"project_name": "b"},
        {"project_name": "c", "readme": False},
    ]
    results = render_many(source, answer_sets)
    assert [r.replayed for r in results] == [False, True, True]
    assert contents(results) == copier_renders(source, answer_sets)
    assert "README.md" not in {p.as_posix() for p in results[2].files}


def test_a_changed_template_is_checked_against_copier_again(tmp_path: Path) -> None:
    template = tiny_template(tmp_path)
    source = TemplateSource(str(template))
    answer_sets = [{"project_name": "a"}, {"project_name": "b"}]
    assert [r.replayed for r in render_many(source, answer_sets)] == [False, True]
    assert [r.replayed for r in render_many(source, answer_sets)] == [True, True]

    readme = template / "template" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nMore.\n")
    results = render_many(source, answer_sets)
    assert [r.replayed for r in results] == [False, True]
    assert contents(results) == copier_renders(source, answer_sets)
    assert all(r.files[PurePosixPath("README.md")].content.endswith(b"More.\n") for r in results)


def test_an_unreadable_cache_entry_is_ignored(tmp_path: Path, private_cache: Path) -> None:
    source = TemplateSource(str(tiny_template(tmp_path)))
    answer_sets = [{"project_name": "a", "greeting": "hi"}, {"project_name": "b"}]
    expected = copier_renders(source, answer_sets)
    render_many(source, answer_sets)
    (entry,) = notes(private_cache)
    signed = entry.read_bytes()
    for broken in (b"{not json", json.dumps({"_src_path": str(source.src_path)}).encode(), b"",
                   signed[:-1], bytes([signed[0] ^ 1]) + signed[1:]):  # fmt: skip
        entry.write_bytes(broken)
        results = render_many(source, answer_sets)
        assert contents(results) == expected
        assert [r.replayed for r in results] == [False, True]
        assert entry.read_bytes() == signed  # written again whole


def test_a_versioned_template_is_replayed_at_its_tag(tmp_path: Path) -> None:
    repo = tiny_template(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1.0.0")
    (repo / "template" / "README.md.jinja").write_text("# {{ project_name }} at v2\n")
    git(repo, "commit", "-qam", "v2")
    git(repo, "tag", "v2.0.0")
    for tag in ("v1.0.0", "v2.0.0"):
        source = TemplateSource(str(repo), tag)
        answer_sets = [{"project_name": "a"}, {"project_name": "b"}, {"project_name": "c"}]
        results = render_many(source, answer_sets)
        assert [r.replayed for r in results] == [False, True, True]
        assert contents(results) == copier_renders(source, answer_sets)
        assert results[2].answers == {"project_name": "c", "greeting": "hello"}
    readme = results[1].files[PurePosixPath("README.md")].content
    assert readme == b"# b at v2\n"
    with pytest.raises(TemplateError, match=r"at v9\.9\.9"):
        render_many(TemplateSource(str(repo), "v9.9.9"), answer_sets)


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCAFFOLD_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "scaffold"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "scaffold"
    assert render_many(TemplateSource(str(TINY)), []) == []
