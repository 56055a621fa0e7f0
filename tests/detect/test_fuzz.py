"""Random bytes in every file a detector reads: nothing escapes, no detector breaks."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffold.detect import detect_repository
from scaffold.detect.base import detectors
from scaffold.detect.conventions import config_names
from scaffold.model import Detection
from tests.helpers import examples

EXTRA_NAMES = [
    "requirements.txt",
    "requirements/base.txt",
    "requirements-dev.txt",
    "App.csproj",
    "App.sln",
    "pkg.cabal",
    ".gitignore",
    ".gitattributes",
    "gradle/libs.versions.toml",
    "sub/pyproject.toml",
    "sub/package.json",
    "sub/Cargo.toml",
    "sub/go.mod",
]

MANIFEST_NAMES = sorted(
    {name for detector in detectors() for name in detector.manifests}
    | config_names()
    | set(EXTRA_NAMES)
)

SEEDS = [
    b'[project]\nname = "a"\ndependencies = ["fastapi>=0.1", "django"]\n'
    b"[tool.uv.workspace]\nmembers = ['sub', '*']\n[tool.ruff]\n",
    b'{"name": "a", "workspaces": ["sub", "*"], "dependencies": {"express": "4"},'
    b' "packageManager": "pnpm@9", "prettier": {}}',
    b"[workspace]\nmembers = ['sub', 'c/*']\nexclude = ['x']\n[package]\nname = 'a'\n"
    b"[dependencies]\naxum = '1'\n[[bin]]\nname = 'b'\n",
    b"module a\n\ngo 1.22\nrequire (\n github.com/gin-gonic/gin v1\n)\nuse ./sub\n",
    b"<project><parent><artifactId>p</artifactId></parent><modules><module>sub</module>"
    b"</modules><dependencies><dependency><groupId>org.springframework.boot</groupId>"
    b"<artifactId>x</artifactId></dependency></dependencies></project>",
    b"plugins { id 'org.springframework.boot' }\ninclude ':sub', 'a:b'\n",
    b"-r base.txt\n-e git+https://x/y#egg=flask\nDjango~=5.0 ; python_version > '3'\n",
    b"root = true\n[*.{py,js}]\nindent_style = tab\nindent_size = 4\n[{a,b}/**]\n",
    b"packages:\n  - 'sub'\n  - '!x'\n",
    b"vendor/** -linguist-vendored\n*.py linguist-generated\n",
]


def _mutations() -> st.SearchStrategy[bytes]:
    def mutate(seed: bytes, cut: int, insert: bytes) -> bytes:
        at = cut % (len(seed) + 1)
        return seed[:at] + insert + seed[at + len(insert) :]

    return st.builds(
        mutate, st.sampled_from(SEEDS), st.integers(min_value=0), st.binary(max_size=16)
    )


CONTENT = st.one_of(
    st.binary(max_size=512),
    st.text(max_size=256).map(lambda t: t.encode("utf-8", "surrogatepass")),
    _mutations(),
)


# How detection reports an exception it did not expect (a bug, not bad input): a warning
# that says "internal error" and names the exception. Bad input has warnings of its own.
INTERNAL_ERROR = re.compile(r"internal error|Traceback|\b\w+(Error|Exception): ")


def detect_files(files: Mapping[str, bytes]) -> Detection:
    """Detection of a fresh tree of ``files``; fails on any sign of an internal error:
    in a warning, or a traceback printed on the way."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_bytes(content)
        printed = io.StringIO()
        with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
            detection = detect_repository(root)
            payload = detection.to_dict()
    assert payload["schema"] == 1
    broken = [w.message for w in detection.warnings if INTERNAL_ERROR.search(w.message)]
    assert broken == []
    assert printed.getvalue() == ""
    return detection


@settings(
    max_examples=examples(300),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=st.dictionaries(st.sampled_from(MANIFEST_NAMES), CONTENT, min_size=1, max_size=6))
def test_random_bytes_in_manifests_never_escape(files: dict[str, bytes]) -> None:
    detect_files(files)


ODD_TEXT = st.text(max_size=6).filter(lambda t: "\n" not in t and "\r" not in t)
# Sizes, with digits of other scripts and superscripts, which str.isdigit() accepts too.
SIZES = st.sampled_from(
    ["4", "2", "0", "17", "-1", "4.5", "0x10", "9" * 30, "\u0663", "\u00b2", "\u2460"]
)
EDITORCONFIG_VALUES = {
    "indent_style": st.sampled_from(["space", "tab", "Tab", "unset"]) | st.text(max_size=3),
    "indent_size": st.one_of(SIZES, st.sampled_from(["tab", "unset", ""]), ODD_TEXT),
    "tab_width": st.one_of(SIZES, ODD_TEXT),
    "max_line_length": st.one_of(SIZES, st.just("off")),
    "root": st.sampled_from(["true", "false", "TRUE"]),
}
MATCHING_GLOBS = ["*", "*.py", "*.{py,js}", "**", "main.py", "[!.]*", "*.{js,py}"]
OTHER_GLOBS = ["{a,b}/**", "*.{1..3}", "web/*", "[*", "{", "*.{py"]
EDITORCONFIG_GLOBS = st.sampled_from(MATCHING_GLOBS + OTHER_GLOBS) | st.text(
    alphabet="*?[]{}!,./\\ab-0123", max_size=12
)


@st.composite
def sections(draw: st.DrawFn, globs: st.SearchStrategy[str], style: st.SearchStrategy[str]) -> str:
    values = {**EDITORCONFIG_VALUES, "indent_style": style}
    properties = draw(st.fixed_dictionaries({}, optional=values))
    lines = [f"[{draw(globs)}]"]
    for key in draw(st.permutations(sorted(properties))):
        sep = draw(st.sampled_from(["=", " = ", "= ", " ="]))
        lines.append(f"{key}{sep}{properties[key]}")
    return "\n".join(lines)


@st.composite
def editorconfigs(draw: st.DrawFn) -> bytes:
    """Mostly a section that applies to the sources and sets an indent style, so that the
    values beside it are read; then sections of any kind, which may override it."""
    lines = [draw(st.sampled_from(["root = true", "root=false", "", "# ours"]))]
    if draw(st.integers(min_value=0, max_value=3)):
        style = st.sampled_from(["space", "tab", "Tab"])
        lines.append(draw(sections(st.sampled_from(MATCHING_GLOBS), style)))
    other_style = EDITORCONFIG_VALUES["indent_style"]
    lines += draw(st.lists(sections(EDITORCONFIG_GLOBS, other_style), max_size=2))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(top=editorconfigs(), nested=st.one_of(st.none(), editorconfigs()))
def test_any_editorconfig_values_give_an_indentation_or_none(
    top: bytes, nested: bytes | None
) -> None:
    files = {
        ".editorconfig": top,
        "pyproject.toml": b'[project]\nname = "a"\ndependencies = ["fastapi"]\n',
        "main.py": b"def main():\n    return 1\n",
        "web/package.json": b'{"name": "web", "dependencies": {"express": "4"}}',
        "web/index.js": b"function main() {\n\treturn 1;\n}\n",
    }
    if nested is not None:
        files["web/.editorconfig"] = nested
    detection = detect_files(files)
    for found in detection.projects:
        indent = found.style.indent
        if indent is not None:
            assert indent.style in ("space", "tab")
            assert indent.size is None or 1 <= indent.size <= 16


def test_every_manifest_name_is_fuzzed() -> None:
    for expected in (
        "pyproject.toml",
        "package.json",
        "Cargo.toml",
        "go.mod",
        "go.work",
        "pom.xml",
        "build.gradle.kts",
        "settings.gradle",
        "Gemfile",
        "composer.json",
        "mix.exs",
        ".editorconfig",
        ".golangci.yml",
    ):
        assert expected in MANIFEST_NAMES
