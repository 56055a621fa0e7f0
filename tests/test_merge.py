"""Additive merges: a config gains only the tables it lacks, in the form it is written in."""

from __future__ import annotations

import pytest

from scaffold.plan.merge import (
    MergeError,
    TextForm,
    holds_tables,
    merge_toml,
    parse_toml,
    split_text,
    toml_has,
)

TEMPLATE = """\
[tool.ruff]
line-length = 100

[tool.ruff.lint]
select = ["E", "F"]

[tool.mypy]
strict = true
"""


def merged(
    user: str, tables: tuple[str, ...] = ("tool.ruff", "tool.mypy")
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    result = merge_toml(parse_toml(user, "pyproject.toml"), TEMPLATE, tables, "pyproject.toml")
    return result.text, result.added, result.kept


def test_missing_tables_are_added_under_a_dotted_header() -> None:
    text, added, kept = merged('[project]\nname = "x"\n')
    assert added == ("tool.ruff", "tool.mypy") and kept == ()
    assert text == (
        '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\n'
        'select = ["E", "F"]\n\n[tool.mypy]\nstrict = true\n'
    )


def test_a_table_absent_from_the_template_does_not_stop_the_others() -> None:
    text, added, _ = merged("", ("tool.black", "tool.mypy"))
    assert added == ("tool.mypy",)
    assert text == "[tool.mypy]\nstrict = true\n"


def test_a_table_the_user_has_is_kept_whole_and_reported_when_it_differs() -> None:
    user = "[tool.ruff]\nline-length = 88\n"
    text, added, kept = merged(user)
    assert kept == ("tool.ruff",) and added == ("tool.mypy",)
    assert text.startswith(user) and "line-length = 100" not in text


def test_a_table_that_already_has_everything_is_neither_added_nor_kept() -> None:
    user = TEMPLATE
    text, added, kept = merged(user)
    assert (text, added, kept) == (user, (), ())


def test_a_nested_table_the_user_lacks_makes_the_table_kept() -> None:
    user = "[tool.ruff]\nline-length = 100\n\n[tool.mypy]\nstrict = true\n"
    _, added, kept = merged(user)
    assert (added, kept) == ((), ("tool.ruff",))


def test_a_key_where_a_table_goes_is_an_error_naming_it() -> None:
    with pytest.raises(MergeError) as raised:
        merged("tool = 1\n")
    assert str(raised.value) == "pyproject.toml: tool is not a table"


def test_a_key_where_a_deeper_table_goes_is_named_by_its_dotted_path() -> None:
    template = "[a.b.c]\nx = 1\n"
    document = parse_toml("[a]\nb = 2\n", "f.toml")
    with pytest.raises(MergeError) as raised:
        merge_toml(document, template, ("a.b.c",), "f.toml")
    assert str(raised.value) == "f.toml: a.b is not a table"


def test_invalid_toml_names_the_file_and_line() -> None:
    with pytest.raises(MergeError) as raised:
        parse_toml('[project]\nname = "x"\nbroken =\n', "pyproject.toml")
    assert str(raised.value).startswith("invalid TOML in pyproject.toml at line 3: ")
    with pytest.raises(MergeError) as raised:
        merge_toml(parse_toml("", "x"), "[[", ("a",), "ruff.toml")
    assert str(raised.value).startswith("invalid TOML in the template's ruff.toml at line 1: ")


def test_toml_has_follows_dotted_names() -> None:
    document = parse_toml("[tool.ruff.lint]\nselect = []\nname = 1\n", "f")
    assert toml_has(document, "tool.ruff.lint")
    assert not toml_has(document, "tool.black")
    assert not toml_has(document, "tool.ruff.lint.select.x")


@pytest.mark.parametrize(
    ("raw", "text", "form", "described"),
    [
        (b"a = 1\n", "a = 1\n", TextForm(), ""),
        (b"a = 1\r\nb = 2\r\n", "a = 1\nb = 2\n", TextForm(newline="\r\n"), "CRLF line endings"),
        (b"a = 1", "a = 1\n", TextForm(final_newline=False), "no final newline"),
        (b"\xef\xbb\xbfa = 1\n", "a = 1\n", TextForm(bom=True), "a UTF-8 BOM"),
        (b"", "", TextForm(), ""),
        (
            b"a = 1\r\nb = 2\nc = 3\r\n",
            "a = 1\nb = 2\nc = 3\n",
            TextForm(newline="\r\n", lines=("a = 1\r\n", "b = 2\n", "c = 3\r\n")),
            "mixed line endings",
        ),
        (
            b"\xef\xbb\xbfa = 1\r\nb = 2",
            "a = 1\nb = 2\n",
            TextForm(bom=True, newline="\r\n", final_newline=False),
            "CRLF line endings, a UTF-8 BOM, no final newline",
        ),
    ],
)
def test_split_text_and_back(raw: bytes, text: str, form: TextForm, described: str) -> None:
    assert split_text(raw) == (text, form)
    assert form.describe() == described
    assert form.restore(text) == raw


def test_added_lines_take_the_file_s_form() -> None:
    _, crlf = split_text(b"a = 1\r\n")
    assert crlf.restore("a = 1\n\n[b]\nc = 2\n") == b"a = 1\r\n\r\n[b]\r\nc = 2\r\n"
    _, bare = split_text(b"\xef\xbb\xbfa = 1")
    assert bare.restore("a = 1\n[b]\n") == b"\xef\xbb\xbfa = 1\n[b]"
    _, mixed = split_text(b"a = 1\r\nb = 2\nc = 3\r\n")
    # the file's own lines keep their endings; the added ones take the most common (CRLF)
    assert mixed.restore("a = 1\nb = 2\nx = 0\nc = 3\n") == (b"a = 1\r\nb = 2\nx = 0\r\nc = 3\r\n")


def test_a_nested_table_lacking_a_key_makes_the_table_kept() -> None:
    user = '[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nignore = ["E501"]\n'
    _, added, kept = merged(user, ("tool.ruff",))
    assert (added, kept) == ((), ("tool.ruff",))


def test_a_template_value_where_a_table_is_named_is_not_added() -> None:
    document = parse_toml("", "f.toml")
    result = merge_toml(document, '[tool]\nruff = "x"\n', ("tool.ruff.lint",), "f.toml")
    assert (result.text, result.added, result.kept) == ("", (), ())


def test_a_text_without_its_final_newline_gets_it_back_when_the_form_has_one() -> None:
    assert TextForm().restore("a = 1") == b"a = 1\n"
    assert TextForm(newline="\r\n").restore("a = 1\nb = 2") == b"a = 1\r\nb = 2\r\n"


def test_a_mixed_file_without_a_final_newline_keeps_its_last_line() -> None:
    raw = b"a = 1\r\nb = 2\nc = 3"
    text, form = split_text(raw)
    assert text == "a = 1\nb = 2\nc = 3\n"
    assert form.lines == ("a = 1\r\n", "b = 2\n", "c = 3")
    assert form.restore(text) == raw
    # one line of each: the added ones take LF, as on a tie
    assert form.restore(text + "\n[d]\n") == b"a = 1\r\nb = 2\nc = 3\n\n[d]"


USERS = {
    "nothing": '[project]\nname = "x"\n',
    "everything": TEMPLATE,
    "everything and more": TEMPLATE
    + 'extend-exclude = ["gen"]\n\n[tool.black]\nline-length = 88\n',
    "a key fewer": TEMPLATE.replace("line-length = 100\n", ""),
    "a nested table fewer": TEMPLATE.replace('[tool.ruff.lint]\nselect = ["E", "F"]\n', ""),
    "one of two": "[tool.mypy]\nstrict = true\n",
    "inline tables": "tool = {ruff = {line-length = 1, lint = {select = []}}, mypy = {strict = 1}}\n",
    "a key where the table goes": 'tool = "x"\n',
    "a key where the nested table goes": "[tool]\nruff = 1\nmypy = 2\n",
    "an array of tables": "[[tool.ruff]]\nline-length = 100\n[tool.mypy]\nstrict = true\n",
}


@pytest.mark.parametrize("user", sorted(USERS))
def test_holds_tables_says_what_the_merge_would_find_from_either_parser(user: str) -> None:
    """The check adopt makes without a TOML editor (tomllib's dicts) agrees with the merge:
    true exactly when the merge adds no table and keeps none aside."""
    import tomllib

    text = USERS[user]
    try:
        _, added, kept = merged(text)
        needs_nothing = not added and not kept
    except MergeError:
        needs_nothing = False
    template = tomllib.loads(TEMPLATE)
    tables = ("tool.ruff", "tool.mypy")
    assert holds_tables(tomllib.loads(text), template, tables) is needs_nothing
    assert holds_tables(parse_toml(text, "pyproject.toml"), template, tables) is needs_nothing
    assert needs_nothing is (user in ("everything", "everything and more", "inline tables"))
