"""A hostile ``.editorconfig`` cannot hang detection: section globs are refused past the
bounds in ``scaffold.detect.editorconfig`` (wildcards, alternatives, braces, length), the sections
one path is matched against cost a bounded number of backtracking steps in all, and the
globs that are read match exactly the files the EditorConfig library matches."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from editorconfig.ini import EditorConfigParser

from scaffold.detect.editorconfig import (
    MAX_GLOB_BRACES,
    MAX_GLOB_CHARS,
    MAX_SECTIONS_PER_PATH,
    section_glob,
    section_matches,
)
from tests.detect.conftest import Detected, MakeRepo, project, warnings_for
from tests.helpers import git

PY_PROJECT = '[project]\nname = "a"\ndependencies = ["fastapi"]\n'
SPACES_2 = "root = true\n[*]\nindent_style = space\nindent_size = 2\n\n"

# -- the globs that are read match as the library matches them ------------------------------

#: The section globs of the EditorConfig core tests (glob/*.in), and globs scaffold anchors
#: in its own ways (a leading ``**``, a glob nothing after the folders can match a ``/`` in).
CORE_GLOBS = [
    "*.{py,js,html}", "{single}.b", "{}.c", "a{b,c,}.d", "a{,b,,c,}.e", "{.f",
    "{word,{also},this}.g", "{{a,b},c}.k", "{a,{b,c}}.l", "{},b}.h", "{{,b,c{d}.i",
    "{a\\,b,cd}.txt", "{e,\\},f}.txt", "{g,\\\\,i}.txt", "{some,a{*c,b}[ef]}.j",
    "{3..120}", "{aardvark..antelope}",
    "[ab].a", "[!ab].b", "[d-g].c", "[!d-g].d", "[abd-g].e", "[-ab].f", "[\\]ab].g",
    "[ab]].g", "[!\\]ab].g", "[!ab]].g", "ab[e/]cd.i", "ab[/c",
    "som?.c", "a*e.c", "Bar/*", "*", "a**z.c", "b/**z.c", "c**/z.c", "d/**/z.c", "中文.txt",
]  # fmt: skip
OWN_GLOBS = [
    "**", "**.py", "**a**b", "**/*.md", "*.min.*", "*a*b", "[Mm]akefile", "[!.]*",
    "[+-0]x", "v{1..3}.py", "{1..3}*a", "lib/**.js", "/*.py", "*.{js,ts}", "{*.json,*.yml}",
    "a\\#b", "x{a}y", "?", "[^/]z", "*[0-9]",
]  # fmt: skip
#: The core tests' file names, and paths with folders, dots, digits and slashes in between.
PATHS = [
    "a.a", "c.a", "a.b", "c.b", "f.c", "h.c", "f.d", "h.d", "e.e", "a.f", "-.f", "].g", "a.g",
    "ab].g", "word.g", "this.g", "also.g", "{also}.g", "a.k", "b.k", "c.k", "a.l", "b.l",
    "c.l", "{}.c", ".c", "{single}.b", "a.d", "ab.d", "ac.d", "a,.d", "a.e", "ab.e", "ac.e",
    "a,.e", "{.f", "{},b}.h", "{.i", "b.i", "c{d.i", "a,b.txt", "cd.txt", "e.txt", "}.txt",
    "f.txt", "g.txt", "\\.txt", "i.txt", "some.j", "abe.j", "abf.j", "ace.j", "acf.j",
    "abce.j", "3", "15", "120", "121", "060", "aardvark..antelope", "ab[e/]cd.i",
    "ab/cd.i", "abecd.i", "ab[/c", "som.c", "some.c", "som/.c", "ace.c", "ae.c",
    "abcde.c", "a/e.c", "Bar/foo.txt", "bat/Bar/foo.txt", "a/z.c", "amnz.c", "am/nz.c",
    "a/mnz.c", "amn/z.c", "a/mn/z.c", "b/z.c", "bmnz.c", "b/mnz.c", "b/mn/z.c", "c/z.c",
    "cmn/z.c", "c/mn/z.c", "d/z.c", "d/mn/z.c", "dmn/z.c", "中文.txt", "x/中文.txt",
    "app/main.py", "setup.py", "lib/a/b.js", "src/lib/a.js", "docs/a.md", "a.md",
    "web/app.min.js", "web/app.js", "Makefile", "sub/makefile", "app/.hidden", "x/ab",
    "a/b/xayb", "a/b", "+/x", "a/+x", "ab/.x", "a/,x", "v2.py", "app/v7.py", "app/v3.py", "2a", "a/2ba",
    "a#b", "x/a#b", "x{a}y", "a/z", "c", "abc9", "d/e/f/0", "a.json", "x/y.yml", "x.ts",
]  # fmt: skip


def library_matches(glob: str, relative: str) -> bool:
    """Whether the EditorConfig library's own parser applies ``[glob]`` of
    ``/repo/.editorconfig`` to ``/repo/<relative>``."""
    return EditorConfigParser("/repo/" + relative).matches_filename("/repo/.editorconfig", glob)


@pytest.mark.parametrize("glob", CORE_GLOBS + OWN_GLOBS)
def test_globs_match_the_files_the_library_matches(glob: str) -> None:
    assert section_glob(glob).refused == ""
    differ = [p for p in PATHS if section_matches(glob, p) is not library_matches(glob, p)]
    assert differ == []
    assert any(library_matches(glob, p) for p in PATHS) is (glob not in NEVER_MATCHED)


#: Core globs that match none of the paths above (some match no path at all).
NEVER_MATCHED = {
    "{{,b,c{d}.i",
    "{aardvark..antelope}",
    "[ab]].g",
    "[!\\]ab].g",
    "[!ab]].g",
    "[^/]z",
}


# -- refused sections -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "reason"),
    [
        ("*a*a*a*b", "more than 2 wildcards in one alternative"),
        ("**a**a**a**b", "more than 2 wildcards in one alternative"),
        ("*a**b", "more than 2 wildcards in one alternative"),
        ("src/**/*.min.*", "more than 2 wildcards in one alternative"),
        ("{1..3}{1..3}{1..3}", "more than 2 wildcards in one alternative"),
        ("{aa,bb,cc}.{" + ",".join(f"x{i}" for i in range(22)) + "}", "more than 64 alternatives"),
        ("{a}" * 9, "more than 8 braces"),
        ("a" * 257, "longer than 256 characters"),
    ],
)
def test_refused_globs(glob: str, reason: str) -> None:
    assert section_glob(glob).refused.startswith(reason)
    assert section_matches(glob, "x/" + "a" * 100 + "b") is False


def long_folder(depth: int, width: int = 200) -> str:
    """``depth`` nested folders of ``width`` characters each."""
    return "/".join(f"{i}" + "a" * (width - 1) for i in range(depth))


def test_sections_with_many_wildcards_are_refused_in_one_warning(detected: Detected) -> None:
    # Matched by backtracking, [**a**a**a**b] against this path took ~35 s.
    source = long_folder(4) + "/" + "a" * 200 + ".py"
    assert len(source) > 1000
    editorconfig = SPACES_2 + "[*a*a*a*b]\nindent_style = tab\n[**a**a**a**b]\nindent_size = 8\n"
    files = {".editorconfig": editorconfig, "pyproject.toml": PY_PROJECT, source: "x = 1\n"}
    result = detected(files, git=True)
    assert warnings_for(result, ".editorconfig") == [
        "section [**a**a**a**b] not read: more than 2 wildcards in one alternative",
        "section [*a*a*a*b] not read: more than 2 wildcards in one alternative",
    ]
    assert project(result, ".")["style"]["indent"] == {"style": "space", "size": 2}


def test_the_worst_allowed_sections_on_a_4096_character_path_finish(make_repo: MakeRepo) -> None:
    # A 4,096-character path (in git's index only: no file system takes it) of 8 folders
    # and a ~4,000-character name, against as many sections as are read for one path: the
    # slowest match allowed (two wildcards, character classes), then the longest globs with
    # the most braces, each costing a translation, then one more match with two wildcards,
    # which is over the budget. Measured: ~0.5 s in all.
    deep = "a/" * 8 + "a" * 4077 + ".py"
    assert len(deep) == 4096
    heavy = [f"*{i:03}" + "{" * MAX_GLOB_BRACES + "x" * 200 for i in range(125)]
    globs = ["**{a,b,c,d}**{e,f,g,h}", *heavy, "*a*b"]
    assert len(globs) == MAX_SECTIONS_PER_PATH - 1  # and [*]
    assert all(len(g) <= MAX_GLOB_CHARS and section_glob(g).refused == "" for g in globs)
    sections = "".join(f"[{g}]\nindent_style = tab\n" for g in globs)
    files = {".editorconfig": SPACES_2 + sections, "pyproject.toml": PY_PROJECT}
    root = make_repo(files, git=True)
    blob = git(root, "hash-object", "-w", "--stdin", "--path=x.py").strip()
    git(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{deep}")
    script = (
        "import json, sys\n"
        "from scaffold.detect import detect_repository\n"
        "result = detect_repository(sys.argv[1]).to_dict()\n"
        "print(json.dumps([result['projects'][0]['style'], result['warnings']]))\n"
    )
    # A generous guard against a hang, not a timing assertion.
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    style, warnings = json.loads(done.stdout)
    assert style["indent"] == {"style": "space", "size": 2}
    assert [w for w in warnings if w["file"] == ".editorconfig"] == [
        {
            "file": ".editorconfig",
            "message": "section [*a*b] and the sections after it not read: too much wildcard "
            f"matching for {deep[:57]}... (4,096 characters)",
        }
    ]


def test_a_path_is_matched_against_a_bounded_number_of_sections(detected: Detected) -> None:
    sections = "".join(f"[x{i}.md]\nindent_style = tab\n" for i in range(MAX_SECTIONS_PER_PATH))
    editorconfig = SPACES_2 + sections + "[*.py]\nindent_size = 4\n"
    files = {".editorconfig": editorconfig, "pyproject.toml": PY_PROJECT, "app/main.py": "x = 1\n"}
    result = detected(files)
    assert warnings_for(result, ".editorconfig") == [
        f"section [x{MAX_SECTIONS_PER_PATH - 1}.md] and the sections after it not read: "
        f"more than {MAX_SECTIONS_PER_PATH} sections to match app/main.py against"
    ]
    assert project(result, ".")["style"]["indent"] == {"style": "space", "size": 2}
