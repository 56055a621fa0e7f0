"""Per-project conventions: lint/format/editor configs, indentation, naming, folders and
architecture, each with its evidence."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from scaffold.detect.editorconfig import parse_editorconfig
from scaffold.detect.style import sampled_indent, sampled_naming
from tests.detect.conftest import Detected, claimed, evidence, project, pyproject

PY_PROJECT = pyproject("a", "fastapi")


def configs_by_project(result: Mapping[str, Any]) -> dict[str, list[str]]:
    return {p["path"]: p["configs"] for p in result["projects"]}


@pytest.mark.parametrize(
    ("files", "configs"),
    [
        pytest.param(
            {
                "pyproject.toml": "[tool.ruff]\nline-length = 90\n",
                "a/pyproject.toml": PY_PROJECT,
                "b/pyproject.toml": PY_PROJECT,
                "b/ruff.toml": "line-length = 100\n",
                "c/pyproject.toml": PY_PROJECT + "[tool.ruff]\n",
                "c/.ruff.toml": "line-length = 80\n",
                "d/pyproject.toml": PY_PROJECT + "[tool.ruff.lint]\nselect = ['E']\n",
            },
            {
                ".": ["pyproject.toml[tool.ruff]"],
                "a": ["pyproject.toml[tool.ruff]"],  # inherited
                "b": ["b/ruff.toml"],
                "c": ["c/.ruff.toml"],  # .ruff.toml wins
                "d": ["d/pyproject.toml[tool.ruff]"],
            },
            id="ruff-in-each-of-its-three-places",
        ),
        pytest.param(
            {
                "rs/Cargo.toml": '[package]\nname = "x"\n',
                "rs/.rustfmt.toml": "edition = '2021'\n",
                "rs/clippy.toml": "msrv = '1.75'\n",
                "jvm/build.gradle": "plugins { id 'checkstyle' }\n",
                "jvm/config/checkstyle/checkstyle.xml": "<module/>\n",
            },
            {
                "jvm": ["jvm/config/checkstyle/checkstyle.xml"],
                "rs": ["rs/.rustfmt.toml", "rs/clippy.toml"],
            },
            id="rust-and-jvm",
        ),
        pytest.param(
            {
                "ruff.toml": "\n",
                ".golangci.yml": "\n",
                ".pre-commit-config.yaml": "repos: []\n",
                "svc/go.mod": "module x\n",
            },
            {"svc": [".golangci.yml", ".pre-commit-config.yaml"]},
            id="configs-of-other-languages-do-not-apply",
        ),
    ],
)
def test_each_project_has_the_configs_that_apply_to_it(
    detected: Detected, files: dict[str, str], configs: dict[str, list[str]]
) -> None:
    assert configs_by_project(detected(files)) == configs


def test_javascript_configs(detected: Detected) -> None:
    result = detected(
        {
            ".editorconfig": "root = true\n[*]\nindent_style = space\nindent_size = 2\n",
            "flat/package.json": json.dumps({"name": "flat"}),
            "flat/eslint.config.mjs": "export default [];\n",
            "flat/.prettierrc.json": "{}\n",
            "legacy/.editorconfig": "[*.js]\nindent_size = 4\n",
            "legacy/package.json": json.dumps(
                {"name": "legacy", "prettier": {"semi": False}, "eslintConfig": {"root": True}}
            ),
            "legacy/.eslintrc.cjs": "module.exports = {};\n",
        }
    )
    assert project(result, "flat")["configs"] == [
        ".editorconfig",
        "flat/.prettierrc.json",
        "flat/eslint.config.mjs",
    ]
    legacy = project(result, "legacy")
    assert legacy["configs"] == [
        "legacy/.editorconfig",
        ".editorconfig",
        "legacy/package.json[prettier]",
        "legacy/.eslintrc.cjs",
    ]
    assert legacy["style"]["indent"] == {"style": "space", "size": 4}
    detail = "[*] indent_style = space; indent_size = 4 from legacy/.editorconfig [*.js]"
    assert evidence("style", ".editorconfig", detail) in legacy["evidence"]


@pytest.mark.parametrize(
    ("content", "version"),
    [
        ('version: "2"\nlinters:\n  default: standard\n', "v2"),
        ("linters:\n  enable:\n    - errcheck\n", "v1"),
    ],
)
def test_golangci_v1_and_v2(detected: Detected, content: str, version: str) -> None:
    proj = project(
        detected({"go.mod": "module x\n", ".golangci.yml": content, "main.go": "package main\n"}),
        ".",
    )
    assert proj["configs"] == [".golangci.yml"]
    detail = f"golangci-lint settings (configuration format {version})"
    assert evidence("configs", ".golangci.yml", detail) in proj["evidence"]


PY_SOURCE = """\
import os


def load_settings(file_name):
    settings_path = os.path.join("conf", file_name)
    if settings_path:
        with open(settings_path) as handle:
            return handle.read()
    return None


class Loader:
    def read_all(self, base_dir):
        found_files = []
        for entry_name in os.listdir(base_dir):
            found_files.append(entry_name)
        return found_files
"""

GO_SOURCE = """\
package store

func OpenStore(dbPath string) error {
\tif dbPath == "" {
\t\treturn nil
\t}
\tconnPool := 1
\tfor i := 0; i < connPool; i++ {
\t\tmaxConns := i
\t\t_ = maxConns
\t}
\treturn nil
}

func closeStore() {
\tvar lastErr error
\t_ = lastErr
}
"""


def test_indentation_and_naming_sampled_from_source(detected: Detected) -> None:
    result = detected(
        {
            "py/pyproject.toml": PY_PROJECT,
            "py/app/settings.py": PY_SOURCE,
            "py/app/more.py": PY_SOURCE,
            "go/go.mod": "module x\n",
            "go/internal/store/store.go": GO_SOURCE,
        }
    )
    py = project(result, "py")
    assert py["style"] == {"indent": {"style": "space", "size": 4}, "naming": "snake_case"}
    detail = "sampled 2 files: 20 of 20 indented lines use spaces, mostly 4 at a time"
    assert evidence("style", "py", detail) in py["evidence"]
    go = project(result, "go")
    assert go["style"] == {"indent": {"style": "tab", "size": None}, "naming": "camelCase"}


def test_editorconfig_beats_sampling_and_honours_sections(detected: Detected) -> None:
    proj = project(
        detected(
            {
                ".editorconfig": "root = true\n\n[*]\nindent_style = space\nindent_size = 2\n\n"
                "[*.{py,pyi}]\nindent_size = 4\n\n[Makefile]\nindent_style = tab\n",
                "pyproject.toml": PY_PROJECT,
                "app/x.py": "def f():\n\treturn 1\n" * 20,
            }
        ),
        ".",
    )
    assert proj["style"]["indent"] == {"style": "space", "size": 4}


def test_source_dirs(detected: Detected) -> None:
    assert project(
        detected(
            {
                "pyproject.toml": PY_PROJECT,
                "app/main.py": "x = 1\n",
                "tests/test_main.py": "x = 1\n",
                "docs/conf.py": "x = 1\n",
                "lib/readme.txt": "no code here\n",
                ".github/scripts/tool.py": "x = 1\n",
                "web/package.json": "{}",
                "web/src/app.py": "x = 1\n",
            }
        ),
        ".",
    )["source_dirs"] == ["app", "tests"]


@pytest.mark.parametrize(
    ("dirs", "architecture"),
    [
        (["app/models", "app/views", "app/controllers"], "mvc"),
        (["src/routes", "src/controllers", "src/models"], "mvc"),
        (["app/api", "app/services", "app/repositories"], "layered"),
        (["internal/handler", "internal/service", "internal/repository"], "layered"),
        (["src/domain", "src/application", "src/infrastructure"], "clean"),
        (["orders/domain", "billing/domain", "orders/application"], "ddd"),
        (["core/ports", "core/adapters"], "hexagonal"),
        (["app"], "flat"),
    ],
)
def test_architecture(detected: Detected, dirs: list[str], architecture: str) -> None:
    files = {"pyproject.toml": PY_PROJECT}
    for folder in dirs:
        files[f"{folder}/module.py"] = "x = 1\n"
    proj = project(detected(files), ".")
    assert proj["architecture"] == architecture
    assert claimed(proj, "architecture")


def test_django_apps_are_mvc(detected: Detected) -> None:
    files = {"requirements.txt": "django\n", "manage.py": "import django\n"}
    for app in ("shop", "accounts"):
        files.update({f"{app}/models.py": "", f"{app}/views.py": "", f"{app}/urls.py": ""})
    proj = project(detected(files), ".")
    assert (proj["framework"], proj["architecture"]) == ("django", "mvc")


def test_no_code_no_architecture(detected: Detected) -> None:
    proj = project(detected({"pyproject.toml": PY_PROJECT}), ".")
    assert proj["architecture"] is None
    assert proj["style"] == {"indent": None, "naming": None}


def test_parse_editorconfig() -> None:
    text = "root = true ; comment\n[*.md]\ntrim_trailing_whitespace = false\n"
    assert parse_editorconfig(text) == (True, [("*.md", {"trim_trailing_whitespace": "false"})])


def test_sampled_indent_needs_enough_lines() -> None:
    assert sampled_indent(["def f():\n    return 1\n"]) == (None, "")


def test_sampled_naming_reports_mixed() -> None:
    text = "def a_b(): pass\ndef c_d(): pass\ndef e_f(): pass\ndef gH(): pass\n"
    text += "def iJ(): pass\ndef kL(): pass\n"
    assert sampled_naming("python", [text])[0] == "mixed"


SPRING_POM = (
    '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
    "<parent><groupId>org.springframework.boot</groupId>"
    "<artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>"
    "<groupId>com.acme</groupId><artifactId>shop</artifactId></project>\n"
)


def test_node_configs_of_a_java_application_with_its_web_client_in_the_same_folder(
    detected: Detected,
) -> None:
    result = detected(
        {
            "pom.xml": SPRING_POM,
            "mvnw": "#!/bin/sh\n",
            "package.json": json.dumps(
                {
                    "name": "shop-client",
                    "private": True,
                    "dependencies": {"react": "^18"},
                    "devDependencies": {"eslint": "^9", "prettier": "^3", "typescript": "^5"},
                }
            ),
            "package-lock.json": "{}\n",
            "tsconfig.json": "{}\n",
            "eslint.config.mjs": "export default [];\n",
            ".prettierrc.yaml": "singleQuote: true\n",
            "src/main/java/com/acme/shop/ShopApplication.java": "class ShopApplication {}\n",
            "src/main/webapp/app/main.tsx": "export {};\n",
        }
    )
    proj = project(result, ".")
    assert (proj["language"], proj["framework"], proj["build_tool"]) == (
        "java",
        "spring-boot",
        "maven",
    )
    assert proj["configs"] == [".prettierrc.yaml", "eslint.config.mjs"]
    assert claimed(proj, "configs") == [
        evidence("configs", ".prettierrc.yaml", "Prettier settings"),
        evidence("configs", "eslint.config.mjs", "ESLint (flat config) settings"),
    ]


def test_configs_that_apply_from_elsewhere_in_the_repository(detected: Detected) -> None:
    """A root Prettier config covers a nested package; a subproject's own [tool.ruff] and
    pre-commit config are its own; a Rust crate with Python bindings beside it keeps the
    bindings' ruff settings; a Go module with a web UI beside it keeps the UI's ESLint."""
    result = detected(
        {
            "prettier.config.mjs": "export default {};\n",
            ".pre-commit-config.yaml": "repos: []\n",
            "package.json": json.dumps({"name": "root", "private": True, "workspaces": ["web"]}),
            "web/package.json": json.dumps({"name": "web", "dependencies": {"vue": "3"}}),
            "services/api/pyproject.toml": PY_PROJECT,
            "services/api/worker/pyproject.toml": pyproject("worker")
            + "[tool.ruff]\nline-length = 100\n",
            "services/api/worker/.pre-commit-config.yaml": "repos: []\n",
            "native/Cargo.toml": '[package]\nname = "fastcore"\nversion = "0.1.0"\n',
            "native/pyproject.toml": '[build-system]\nbuild-backend = "maturin"\n\n'
            "[tool.ruff]\nline-length = 88\n",
            "native/src/lib.rs": "pub fn f() {}\n",
            "gosvc/go.mod": "module example.com/gosvc\n\ngo 1.22\n",
            "gosvc/package.json": json.dumps({"name": "ui", "devDependencies": {"eslint": "9"}}),
            "gosvc/.eslintrc.json": "{}\n",
        }
    )
    configs = {p["path"]: p["configs"] for p in result["projects"]}
    assert configs == {
        ".": ["prettier.config.mjs", ".pre-commit-config.yaml"],
        "gosvc": ["prettier.config.mjs", "gosvc/.eslintrc.json", ".pre-commit-config.yaml"],
        "native": ["native/pyproject.toml[tool.ruff]", ".pre-commit-config.yaml"],
        "services/api": [".pre-commit-config.yaml"],
        "services/api/worker": [
            "services/api/worker/pyproject.toml[tool.ruff]",
            "services/api/worker/.pre-commit-config.yaml",
        ],
        "web": ["prettier.config.mjs", ".pre-commit-config.yaml"],
    }
    assert project(result, "native")["language"] == "rust"
    assert project(result, "gosvc")["language"] == "go"
