"""The libraries detection reads with: the EditorConfig library's grammar and globs,
``packaging`` for requirement names, PyYAML (bounded) for pnpm-workspace.yaml and defusedxml
for Maven POMs. Each test is a case a hand-written reader got wrong."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaffold.detect.editorconfig import parse_editorconfig, section_glob, section_matches
from scaffold.detect.requirements import _COMMON, normalize, requirement_name
from tests.detect.conftest import Detected, MakeRepo, detect_dict, project, warnings_for

PY_PROJECT = '[project]\nname = "a"\ndependencies = ["fastapi"]\n'
SPACES_2 = "root = true\n[*]\nindent_style = space\nindent_size = 2\n\n"
SPACE = {"style": "space", "size": 2}


# -- .editorconfig ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "applies"),
    [
        ("{*.py,*.pyi}", "pkg/stubs.pyi", True),
        ("{*.py,*.pyi}", "pkg/notes.md", False),
        ("*.{js,ts}", "web/src/app.ts", True),
        ("lib/**.py", "lib/a/b.py", True),
        ("lib/**.py", "src/lib/a.py", False),
        ("/*.py", "setup.py", True),
        ("/*.py", "app/main.py", False),
        ("{*.md,{*.py,*.pyi}}", "app/main.py", True),
        ("v{1..3}.py", "app/v2.py", True),
        ("v{1..3}.py", "app/v7.py", False),
        ("[!.]*", "app/.hidden", False),
        ("[", "app/main.py", False),
    ],
)
def test_section_globs_match_as_editorconfig_says(glob: str, path: str, applies: bool) -> None:
    assert section_matches(glob, path) is applies


def python_project(make_repo: MakeRepo, editorconfig: str, source: str) -> dict[str, Any]:
    """The project detected in a Python repository with one source file and ``editorconfig``."""
    files = {".editorconfig": editorconfig, "pyproject.toml": PY_PROJECT, source: "x = 1\n"}
    return project(detect_dict(make_repo(files)), ".")


@pytest.mark.parametrize(
    ("editorconfig", "source", "indent"),
    [
        # Read as a stray line, [Makefile]'s tab would land in [*], on the Python files.
        (SPACES_2 + "[Makefile] # make wants tabs\nindent_style = tab\n", "app/main.py", SPACE),
        (SPACES_2 + "[v{1..3}.py]\nindent_style = tab\n", "app/v7.py", SPACE),
        (SPACES_2 + "[v{1..3}.py]\nindent_style = tab\n", "app/v3.py", {"style": "tab", "size": 2}),
        ("\ufeff[*.py]\nindent_style = tab\n", "app/main.py", {"style": "tab", "size": None}),
    ],
    ids=["header with a comment", "out of range", "in range", "byte order mark"],
)
def test_which_sections_apply(
    make_repo: MakeRepo, editorconfig: str, source: str, indent: dict[str, Any]
) -> None:
    assert python_project(make_repo, editorconfig, source)["style"]["indent"] == indent


def test_nested_braces_in_a_section_glob(make_repo: MakeRepo) -> None:
    editorconfig = SPACES_2 + "[{*.md,{*.py,*.pyi}}]\nindent_size = 4\n"
    proj = python_project(make_repo, editorconfig, "app/main.py")
    assert proj["style"]["indent"] == {"style": "space", "size": 4}
    assert {
        "claim": "style",
        "file": ".editorconfig",
        "detail": "[*] indent_style = space; indent_size = 4 from .editorconfig [{*.md,{*.py,*.pyi}}]",
    } in proj["evidence"]


def test_editorconfig_grammar() -> None:
    text = 'root = TRUE # top\n[*.py]\nIndent_Size = 4 ; four\ncharset = ""\nnot a property\n'
    assert parse_editorconfig(text) == (True, [("*.py", {"indent_size": "4", "charset": ""})])


def test_double_stars_in_a_section_glob_do_not_double_the_backtracking() -> None:
    # The library writes `**` as `.*[^/]*`: kept so, this failing match takes ~40 s.
    glob = section_glob("**a**b")
    assert glob.regex is not None
    assert ".*[^/]*" not in glob.regex.pattern
    assert section_matches("**a**b", "a" * 1000 + "/main.py") is False


# -- requirement names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ('Django[argon2]>=4 ; python_version>"3.8"', "django"),
        ("Flask_SQLAlchemy", "flask-sqlalchemy"),
        ("zope.interface>=6", "zope-interface"),
        ("django  # the web framework", "django"),
        ("fastapi[standard]>=0.115 --hash=sha256:abc", "fastapi"),
        ("flask @ git+https://github.com/pallets/flask", "flask"),
        ("git+https://github.com/pallets/flask", None),
        ("https://example.invalid/django-5.0-py3-none-any.whl", None),
        ("flask==", None),
        ("# fastapi later", None),
        ("Django~=5.0", "django"),
        ("fastapi[standard]>=0.115", "fastapi"),
        ("sentry-sdk[fastapi]", "sentry-sdk"),
        ("Flask_SQLAlchemy==3", "flask-sqlalchemy"),
        ("zope.interface ; python_version<'3.12'", "zope-interface"),
        ("pkg @ https://example.invalid/pkg.whl", "pkg"),
        ("  ", None),
    ],
)
def test_requirement_names_as_packaging_reads_them(spec: str, name: str | None) -> None:
    assert requirement_name(spec) == name


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Flask__SQLAlchemy..Utils", "flask-sqlalchemy-utils"),
        ("Django_Environ.x", "django-environ-x"),
    ],
)
def test_names_are_canonical(written: str, canonical: str) -> None:
    assert normalize(written) == canonical


# -- pnpm-workspace.yaml ------------------------------------------------------------------------


def test_pnpm_workspace_in_flow_style_with_comments_and_an_anchor(detected: Detected) -> None:
    mono = project(
        detected(
            {
                "pnpm-workspace.yaml": "# the apps and the libraries\n"
                "shared: &libs 'libs/*'\n"
                "packages: ['apps/*', \"tools\", *libs]  # all of them\n",
                "package.json": '{"name": "mono", "private": true}',
                "apps/web/package.json": '{"name": "web"}',
                "libs/ui/package.json": '{"name": "ui"}',
                "tools/package.json": '{"name": "tools"}',
                "other/package.json": '{"name": "other"}',
            }
        ),
        ".",
    )
    assert (mono["workspace"]["kind"], mono["workspace"]["members"]) == (
        "pnpm",
        ["apps/web", "libs/ui", "tools"],
    )


# -- Maven POMs ---------------------------------------------------------------------------------

POM = (
    '<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
    "  <groupId>com.acme</groupId><artifactId>shop</artifactId>\n"
    "  <description>{description}</description>\n"
    "</project>\n"
)
REFUSED = "XML with a DOCTYPE or ENTITY declaration is refused; not read"


@pytest.mark.parametrize(
    "pom",
    [
        pytest.param(
            (
                b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                b'<!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
                b"<project><artifactId>&lol2;</artifactId></project>\n"
            ),
            id="entity-expansion",
        ),
        pytest.param(
            (
                '<?xml version="1.0" encoding="UTF-16"?>\n'
                '<!DOCTYPE project [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
                "<project><groupId>&lol2;</groupId><artifactId>shop</artifactId></project>\n"
            ).encode("utf-16"),
            id="entity-expansion-in-utf-16",
        ),
        pytest.param(
            (
                b'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
                b"<project><artifactId>&secret;</artifactId></project>\n"
            ),
            id="external-entity",
        ),
    ],
)
def test_a_pom_declaring_entities_is_refused(detected: Detected, pom: bytes) -> None:
    result = detected({"pom.xml": pom})
    assert result["projects"] == []
    assert warnings_for(result, "pom.xml") == [REFUSED]


def test_a_pom_that_only_mentions_a_doctype_is_read(detected: Detected) -> None:
    description = "<![CDATA[Serves <!DOCTYPE html> pages]]><!-- no <!ENTITY here -->"
    result = detected({"pom.xml": POM.format(description=description)})
    assert project(result, ".")["language"] == "java"
    assert warnings_for(result, "pom.xml") == []


# -- a missing library --------------------------------------------------------------------------


@pytest.mark.parametrize("library", ["editorconfig", "packaging", "defusedxml"])
def test_without_a_library_detection_fails_whole(library: str, make_repo: MakeRepo) -> None:
    # Not a warning from one detector and a partial answer: callers that can run scaffold
    # another way (the plugin's hooks) only fall back when detection fails.
    import subprocess
    import sys

    root = make_repo({"pyproject.toml": PY_PROJECT, "pom.xml": POM.format(description="")})
    code = (
        f"import sys; sys.modules[{library!r}] = None\n"
        "from pathlib import Path\n"
        "from scaffold.detect import detect_repository\n"
        f"detect_repository(Path({str(root)!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    last = done.stderr.splitlines()[-1]
    assert (done.returncode, last.partition(":")[0]) == (1, "ModuleNotFoundError")
    assert f"{library}" in last


_NAMES = st.sampled_from(["Django", "fastapi", "zope.interface", "a_b", "x-", "-y", "1", ""])
_SPACES = st.sampled_from(["", " ", "\t", "  "])
_OPERATORS = st.sampled_from([">=", "<=", "==", "!=", "~=", "===", "<", ">", "=", ""])
_VERSIONS = st.sampled_from(["0", "4.2", "01", "1.2.3.4", "1.", "1.*", "1.0rc1", "v1", ""])
_JOINS = st.sampled_from([",", " ,", ", ", ";", ""])


@st.composite
def _requirements(draw: st.DrawFn) -> str:
    """Requirement-like strings of names, extras and version clauses, valid or not."""
    spec = draw(_NAMES) + draw(_SPACES)
    if draw(st.booleans()):
        extras = draw(st.lists(_NAMES, max_size=3))
        spec += "[" + draw(_JOINS).join(extras) + draw(st.sampled_from(["]", ""])) + draw(_SPACES)
    clauses = draw(st.lists(st.tuples(_OPERATORS, _SPACES, _VERSIONS), max_size=3))
    spec += draw(_JOINS).join(op + space + version for op, space, version in clauses)
    return spec


@given(_requirements())
@settings(max_examples=2000, deadline=None)
def test_requirement_names_read_without_packaging_are_the_ones_packaging_reads(
    spec: str,
) -> None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        expected: str | None = normalize(Requirement(spec).name)
    except InvalidRequirement:
        expected = None
    assert requirement_name(spec) == expected


@pytest.mark.parametrize(
    "spec",
    ["fastapi[standard]>=0.115", "Django>=4.2,<5", "Django >= 4.2 , < 5", "x[ a , b ]==1.0",
     "requests~=2.31", "numpy!=1.0,>1", "uvicorn"],
)  # fmt: skip
def test_the_common_requirements_are_read_without_packaging(spec: str) -> None:
    assert _COMMON.fullmatch(spec)


def test_a_compatible_release_of_one_number_is_left_to_packaging() -> None:
    assert not _COMMON.fullmatch("flask~=2")
    assert requirement_name("flask~=2") is None
