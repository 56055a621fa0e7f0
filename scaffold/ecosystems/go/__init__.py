"""Go: go.mod and go.work; one stack for every Go service."""

from __future__ import annotations

from scaffold.ecosystems.base import ConfigKind, Ecosystem

ECOSYSTEM = Ecosystem.built_in(
    "go",
    project_manifests=("go.mod",),
    config_kinds=(
        ConfigKind(
            "golangci",
            "golangci-lint",
            frozenset({"go"}),
            (".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json"),
        ),
    ),
    extensions={"go": (".go",)},
    language_aliases={"go": "go", "golang": "go"},
    framework_aliases={"gin": "gin"},
    priority={"go": 1},
    families={"go": "go"},
    stack_languages=frozenset({"go"}),
    framework_bound=False,
)
