"""Python projects: manifests, project managers, frameworks by exact dependency name."""

from __future__ import annotations

import pytest

from tests.detect.conftest import (
    Detected,
    claim_details,
    claimed,
    evidence,
    paths,
    project,
    pyproject,
    warnings_for,
    why_no_framework,
)


def test_pyproject_with_only_tool_config_is_python_without_a_build_tool(
    detected: Detected,
) -> None:
    result = detected(
        {
            "pyproject.toml": "[tool.ruff]\nline-length = 100\n\n[tool.black]\n",
            "scripts/run.py": "print('hi')\n",
        }
    )
    proj = project(result, ".")
    assert proj["language"] == "python"
    assert proj["build_tool"] is None
    assert proj["framework"] is None
    assert proj["stack"] is None
    assert "pyproject.toml[tool.ruff]" in proj["configs"]
    assert result["warnings"] == []


POETRY_1 = """\
[tool.poetry]
name = "shop"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
Django = "^5.0"

[tool.poetry.group.dev.dependencies]
pytest-django = "*"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""

POETRY_2 = """\
[project]
name = "shop"
version = "0.1.0"
dependencies = ["fastapi[standard]>=0.115"]

[build-system]
requires = ["poetry-core>=2.0"]
build-backend = "poetry.core.masonry.api"
"""


@pytest.mark.parametrize(
    ("files", "tool", "framework"),
    [
        pytest.param({"pyproject.toml": POETRY_1}, "poetry", "django", id="poetry-1"),
        pytest.param(
            {"pyproject.toml": POETRY_2, "poetry.lock": "# lock\n"},
            "poetry",
            "fastapi",
            id="poetry-2-lock",
        ),
        pytest.param({"pyproject.toml": POETRY_2}, "poetry", "fastapi", id="poetry-2-backend"),
        pytest.param(
            {
                "pyproject.toml": pyproject("a", "flask>=3"),
                "uv.lock": "version = 1\n",
            },
            "uv",
            "flask",
            id="uv",
        ),
        pytest.param(
            {
                "pyproject.toml": '[project]\nname = "a"\ndependencies = ["django~=5.0"]\n'
                "[tool.pdm]\ndistribution = false\n",
            },
            "pdm",
            "django",
            id="pdm-table",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject("a"),
                "pdm.lock": "# pdm\n",
            },
            "pdm",
            None,
            id="pdm-lock",
        ),
        pytest.param(
            {
                "pyproject.toml": '[project]\nname = "a"\ndependencies = ["litestar"]\n'
                '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
                "[tool.hatch.envs.default]\ndependencies = ['pytest']\n",
            },
            "hatch",
            "litestar",
            id="hatch",
        ),
        pytest.param(
            {
                "Pipfile": '[packages]\nflask = "*"\n\n[dev-packages]\npytest-flask = "*"\n',
                "Pipfile.lock": "{}\n",
            },
            "pipenv",
            "flask",
            id="pipenv",
        ),
        pytest.param(
            {"requirements.txt": "Django~=5.0\npsycopg[binary]\n"}, "pip", "django", id="pip"
        ),
        pytest.param(
            {
                "pyproject.toml": '[project]\nname = "a"\ndependencies = ["fastapi"]\n'
                '[build-system]\nrequires = ["setuptools"]\n'
                'build-backend = "setuptools.build_meta"\n',
            },
            "pip",
            "fastapi",
            id="setuptools",
        ),
    ],
)
def test_project_managers(
    detected: Detected, files: dict[str, str], tool: str, framework: str | None
) -> None:
    proj = project(detected(files), ".")
    assert proj["language"] == "python"
    assert proj["build_tool"] == tool
    assert proj["framework"] == framework


def test_poetry_2_without_tool_poetry_table_is_still_poetry(detected: Detected) -> None:
    proj = project(detected({"pyproject.toml": POETRY_2}), ".")
    assert proj["build_tool"] == "poetry"
    assert proj["stack"] == "python-fastapi"
    detail = "build backend poetry.core.masonry.api"
    assert evidence("build_tool", "pyproject.toml", detail) in proj["evidence"]


def test_two_conflicting_lockfiles_are_reported_not_guessed(detected: Detected) -> None:
    result = detected(
        {
            "pyproject.toml": '[project]\nname = "a"\ndependencies = ["fastapi"]\n[tool.poetry]\n',
            "poetry.lock": "# poetry\n",
            "uv.lock": "version = 1\n",
        }
    )
    proj = project(result, ".")
    assert proj["build_tool"] is None
    assert proj["framework"] == "fastapi"
    assert warnings_for(result, ".") == [
        "conflicting lockfiles: uv.lock (uv), poetry.lock (poetry); build tool not chosen"
    ]
    claims = [(e["file"], e["detail"]) for e in claimed(proj, "build_tool")]
    assert ("poetry.lock", "lockfile of poetry (conflicts)") in claims
    assert ("uv.lock", "lockfile of uv (conflicts)") in claims


def test_django_and_fastapi_both_listed_without_code_chooses_neither(detected: Detected) -> None:
    result = detected({"pyproject.toml": pyproject("a", "django", "fastapi")})
    proj = project(result, ".")
    assert proj["framework"] is None
    assert proj["stack"] is None
    assert warnings_for(result, "pyproject.toml") == [
        "declares several frameworks (django, fastapi); none chosen"
    ]


def test_django_and_fastapi_both_listed_the_code_decides(detected: Detected) -> None:
    result = detected(
        {
            "pyproject.toml": pyproject("a", "Django>=5", "fastapi"),
            "manage.py": "import os\nfrom django.core.management import execute_from_command_line\n",
            "shop/settings.py": "DEBUG = True\n",
        }
    )
    proj = project(result, ".")
    assert proj["framework"] == "django"
    assert proj["stack"] == "django"
    assert result["warnings"] == []
    detail = "declares django, fastapi; only django is imported by the code"
    assert evidence("framework", "pyproject.toml", detail) in proj["evidence"]


def test_a_nested_project_s_code_does_not_decide_the_framework(detected: Detected) -> None:
    result = detected(
        {
            "pyproject.toml": pyproject("a", "django", "fastapi"),
            "app/main.py": "x = 1\n",
            "services/admin/pyproject.toml": pyproject("b", "django"),
            "services/admin/manage.py": "import django\n",
        }
    )
    assert project(result, ".")["framework"] is None
    assert project(result, "services/admin")["framework"] == "django"
    assert warnings_for(result, "pyproject.toml") == [
        "declares several frameworks (django, fastapi); none chosen"
    ]


def test_manage_py_without_django_dependency_is_not_django(detected: Detected) -> None:
    proj = project(
        detected(
            {
                "requirements.txt": "flask==3.0\n",
                "manage.py": "from flask.cli import main\nmain()\n",
            }
        ),
        ".",
    )
    assert proj["framework"] == "flask"
    detail = "manage.py present, but django is not a dependency"
    assert evidence("framework", "manage.py", detail) in proj["evidence"]


def test_manage_py_alone_names_no_framework(detected: Detected) -> None:
    proj = project(detected({"requirements.txt": "requests\n", "manage.py": "print('x')\n"}), ".")
    assert proj["framework"] is None


def test_lookalike_dependencies_are_not_frameworks(detected: Detected) -> None:
    proj = project(
        detected(
            {
                "pyproject.toml": "[project]\n"
                'name = "a"\n'
                'dependencies = ["sentry-sdk[fastapi]>=2", "pytest-flask", "django-environ",'
                ' "flask_sqlalchemy", "fastapi-users"]\n',
            }
        ),
        ".",
    )
    assert why_no_framework(proj) == []


PROJECT = '[project]\nname = "a"\nversion = "1"\ndependencies = ["requests"]\n'
POETRY = '[tool.poetry]\nname = "a"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n'


# Manifests that name fastapi only as an optional or a development dependency, by case:
# pyproject.toml files first, then the other manifests.
OPTIONAL_FASTAPI_PYPROJECTS = {
    "pep621-extras": PROJECT + '[project.optional-dependencies]\nserver = ["fastapi"]\n',
    "dependency-groups": PROJECT + '[dependency-groups]\ndev = ["fastapi>=0.110"]\n',
    "uv-dev-dependencies": PROJECT + '[tool.uv]\ndev-dependencies = ["fastapi"]\n',
    "pdm-dev-dependencies": PROJECT + '[tool.pdm.dev-dependencies]\ntest = ["fastapi"]\n',
    "hatch-env": PROJECT + '[tool.hatch.envs.default]\ndependencies = ["fastapi"]\n',
    "poetry-group": POETRY + '\n[tool.poetry.group.dev.dependencies]\nfastapi = "*"\n',
    "poetry-dev-dependencies": POETRY + '\n[tool.poetry.dev-dependencies]\nfastapi = "*"\n',
    "poetry-extras": POETRY + 'fastapi = { version = "*", optional = true }\n\n'
    '[tool.poetry.extras]\nserver = ["fastapi"]\n',
}
OPTIONAL_FASTAPI: dict[str, dict[str, str]] = {
    **{case: {"pyproject.toml": text} for case, text in OPTIONAL_FASTAPI_PYPROJECTS.items()},
    "pipfile-dev-packages": {
        "Pipfile": '[packages]\nrequests = "*"\n\n[dev-packages]\nfastapi = "*"\n'
    },
    "setup-py-extras": {
        "setup.py": "from setuptools import setup\n\nsetup(name='a', "
        "install_requires=['requests'], extras_require={'server': ['fastapi']}, "
        "tests_require=['fastapi'])\n"
    },
    "setup-cfg-extras": {
        "setup.cfg": "[metadata]\nname = a\n\n[options]\ninstall_requires =\n"
        "    requests\n\n[options.extras_require]\nserver =\n    fastapi\n"
    },
    "dev-requirements": {"requirements.txt": "requests\n", "requirements-dev.txt": "fastapi\n"},
}


@pytest.mark.parametrize("files", list(OPTIONAL_FASTAPI.values()), ids=list(OPTIONAL_FASTAPI))
def test_extras_and_dev_dependencies_do_not_name_the_framework(
    detected: Detected, files: dict[str, str]
) -> None:
    # The code imports it too: an optional server is still not what the project is.
    code = {"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}
    result = detected({**files, **code})
    proj = project(result, ".")
    assert (proj["language"], proj["framework"], proj["stack"]) == ("python", None, None)
    assert not claimed(proj, "framework")
    assert result["warnings"] == []

    # Beside a runtime framework, the optional one is not a second candidate.
    runtime = {name: text.replace("requests", "flask") for name, text in files.items()}
    if "pyproject.toml" in files and files["pyproject.toml"].startswith(POETRY):
        runtime["pyproject.toml"] = files["pyproject.toml"].replace(
            'python = "^3.11"\n', 'python = "^3.11"\nflask = "^3"\n'
        )
    result = detected({**runtime, **code})
    proj = project(result, ".")
    assert proj["framework"] == "flask"
    assert claim_details(proj, "framework") == ["depends on flask"]
    assert result["warnings"] == []


def test_version_specifiers_extras_and_requirement_includes(detected: Detected) -> None:
    result = detected(
        {
            "requirements/base.txt": "Django~=5.0  # the web framework\n"
            "django-environ==0.11 ; python_version >= '3.10'\n",
            "requirements/production.txt": "-r base.txt\ngunicorn\n",
            "requirements/local.txt": "-r ./base.txt\npytest-django\n",
            "api/requirements.txt": "--index-url https://example.invalid/simple\n-r base.txt\n",
            "api/base.txt": "fastapi[standard]>=0.115 \\\n    --hash=sha256:abc\n",
        }
    )
    assert paths(result) == [".", "api"]
    assert project(result, ".")["framework"] == "django"
    assert project(result, "api")["framework"] == "fastapi"
    assert project(result, "api")["build_tool"] == "pip"
    assert result["warnings"] == []


def test_missing_requirement_include_is_a_warning(detected: Detected) -> None:
    result = detected({"requirements.txt": "-r missing.txt\nflask\n"})
    assert project(result, ".")["framework"] == "flask"
    assert warnings_for(result, "requirements.txt") == [
        "includes missing.txt, which does not exist"
    ]


def test_requirement_include_cycle_terminates(detected: Detected) -> None:
    assert (
        project(
            detected({"requirements.txt": "-r b.txt\nflask\n", "b.txt": "-r requirements.txt\n"}),
            ".",
        )["framework"]
        == "flask"
    )


def test_uv_workspace_root_without_dependencies_member_is_the_app(detected: Detected) -> None:
    result = detected(
        {
            "pyproject.toml": '[project]\nname = "root"\nversion = "0"\ndependencies = []\n'
            "[tool.uv.workspace]\nmembers = ['packages/*']\nexclude = ['packages/legacy']\n",
            "uv.lock": "version = 1\n",
            "packages/api/pyproject.toml": '[project]\nname = "api"\n'
            'dependencies = ["fastapi>=0.115", "shared"]\n[tool.uv.sources]\n'
            "shared = { workspace = true }\n",
            "packages/api/src/api/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "packages/shared/pyproject.toml": pyproject("shared"),
            "packages/legacy/pyproject.toml": '[project]\nname = "legacy"\n'
            'dependencies = ["flask"]\n',
        }
    )
    assert paths(result) == [".", "packages/api", "packages/legacy", "packages/shared"]
    top = project(result, ".")
    assert top["framework"] is None
    assert top["build_tool"] == "uv"
    assert top["workspace"] == {"kind": "uv", "members": ["packages/api", "packages/shared"]}
    api = project(result, "packages/api")
    assert (api["framework"], api["build_tool"], api["stack"]) == (
        "fastapi",
        "uv",
        "python-fastapi",
    )
    shared = project(result, "packages/shared")
    assert shared["build_tool"] == "uv"
    detail = "member of the uv workspace at ."
    assert evidence("build_tool", "pyproject.toml", detail) in shared["evidence"]
    legacy = project(result, "packages/legacy")
    assert (legacy["framework"], legacy["build_tool"]) == ("flask", "pip")


def test_a_uv_workspace_member_built_with_hatchling_is_run_with_uv(detected: Detected) -> None:
    hatchling = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    result = detected(
        {
            # The root only configures tools: the workspace is its one job.
            "pyproject.toml": "[tool.uv.workspace]\nmembers = ['backend']\n",
            "uv.lock": "version = 1\n",
            "backend/pyproject.toml": pyproject("app", "fastapi") + hatchling,
            "backend/app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "tool/pyproject.toml": pyproject("tool") + hatchling,
        }
    )
    backend = project(result, "backend")
    assert backend["build_tool"] == "uv"
    detail = "member of the uv workspace at ."
    assert evidence("build_tool", "pyproject.toml", detail) in backend["evidence"]
    tool = project(result, "tool")  # no member: its build backend names the tool
    assert tool["build_tool"] == "hatch"
    detail = "build backend hatchling.build"
    assert evidence("build_tool", "tool/pyproject.toml", detail) in tool["evidence"]


def test_setup_py_is_read_not_run(detected: Detected) -> None:
    proj = project(
        detected(
            {
                "setup.py": "import sys\nsys.exit('must not run')\n"
                "from setuptools import setup\n"
                "setup(name='a', install_requires=['Flask>=2', 'requests'])\n",
            }
        ),
        ".",
    )
    assert (proj["framework"], proj["build_tool"]) == ("flask", "pip")


def test_setup_cfg_install_requires(detected: Detected) -> None:
    proj = project(
        detected(
            {
                "setup.cfg": "[metadata]\nname = a\n\n[options]\ninstall_requires =\n"
                "    django>=4\n    celery\n\n[flake8]\nmax-line-length = 100\n",
            }
        ),
        ".",
    )
    assert proj["framework"] == "django"
    assert proj["configs"] == ["setup.cfg[flake8]"]


def test_docs_requirements_belong_to_the_project_above(detected: Detected) -> None:
    assert paths(
        detected(
            {
                "pyproject.toml": pyproject("a", "flask"),
                "docs/requirements.txt": "sphinx\n",
            }
        )
    ) == ["."]


def test_grpc_service_from_requirements(detected: Detected) -> None:
    result = detected(
        {
            "greeter/requirements.txt": "grpcio==1.64.0\ngrpcio-tools>=1.64\nprotobuf\n",
            "greeter/server.py": "import grpc\n",
            "greeter/greeter_pb2_grpc.py": "import grpc\n",
            "web/requirements.txt": "fastapi\ngrpcio\n",
            "tools/requirements.txt": "grpcio-tools\n",
        }
    )
    greeter = project(result, "greeter")
    assert (greeter["framework"], greeter["stack"]) == ("grpc", None)
    assert (
        evidence("framework", "greeter/requirements.txt", "depends on grpcio")
        in greeter["evidence"]
    )
    assert project(result, "web")["framework"] == "fastapi"
    assert project(result, "tools")["framework"] is None
