"""Python: pyproject.toml, setup.py/setup.cfg and requirements files; FastAPI and Django."""

from __future__ import annotations

from scaffold.ecosystems.base import ConfigKind, Ecosystem, framework_names

_PY = frozenset({"python"})

ECOSYSTEM = Ecosystem(
    name="python",
    project_manifests=("pyproject.toml", "setup.py", "setup.cfg"),
    detectors=("scaffold.ecosystems.python.detect",),
    recipes=("scaffold.ecosystems.python.adopt", "scaffold.ecosystems.python.adopt_django"),
    config_kinds=(
        ConfigKind("ruff", "Ruff", _PY, (".ruff.toml", "ruff.toml")),
        ConfigKind("black", "Black", _PY),
        ConfigKind("isort", "isort", _PY, (".isort.cfg",)),
        ConfigKind("flake8", "Flake8", _PY, (".flake8",)),
        ConfigKind("pylint", "Pylint", _PY, (".pylintrc", "pylintrc")),
        ConfigKind("mypy", "mypy", _PY, ("mypy.ini", ".mypy.ini")),
        ConfigKind("pyright", "Pyright", _PY, ("pyrightconfig.json",)),
    ),
    extensions={"python": (".py",)},
    language_aliases={"python": "python"},
    framework_aliases=framework_names(
        "aiohttp bottle django falcon fastapi flask grpc litestar masonite pyramid quart robyn"
        " sanic starlette tornado",
        {
            "django rest framework": "django",
            "drf": "django",
            "grpcio": "grpc",
        },
    ),
    priority={"python": 8},
    families={"uv": "python"},
    stack_languages=_PY,
)
