"""Random bytes in every file a detector reads: nothing escapes, no detector breaks."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffold.detect import detect_repository
from scaffold.detect.base import detectors
from scaffold.detect.conventions import config_names

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


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=st.dictionaries(st.sampled_from(MANIFEST_NAMES), CONTENT, min_size=1, max_size=6))
def test_random_bytes_in_manifests_never_escape(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_bytes(content)
        detection = detect_repository(root)
        payload = detection.to_dict()
        assert payload["schema"] == 1
        broken = [w for w in detection.warnings if "detector" in w.message]
        assert broken == []


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
