"""Go: go.mod and go.work; one stack for every Go service."""

from __future__ import annotations

from scaffold.ecosystems.base import ConfigKind, Ecosystem, framework_names

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
    framework_aliases=framework_names(
        "beego buffalo chi connect echo fiber gin go-kit go-zero gorilla-mux grpc hertz iris"
        " kratos revel twirp",
        {
            "gin-gonic": "gin",
            "go-chi": "chi",
            "gokit": "go-kit",
            "go kit": "go-kit",
            "gozero": "go-zero",
            "go zero": "go-zero",
            "gorilla": "gorilla-mux",
            "gorilla mux": "gorilla-mux",
            "go-kratos": "kratos",
            "grpc-go": "grpc",
            "connect-go": "connect",
            "connectrpc": "connect",
        },
    ),
    priority={"go": 1},
    families={"go": "go"},
    stack_languages=frozenset({"go"}),
    framework_bound=False,
)
