"""Go modules and workspaces; Rust crates and Cargo workspaces."""

from __future__ import annotations

from scaffold.ecosystems.go.detect import parse_go_mod, parse_go_work
from tests.detect.conftest import (
    Detected,
    evidence,
    identity,
    paths,
    project,
    warnings_for,
    why_no_framework,
)

GO_MAIN = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n'


def go_mod(module: str, *requires: str) -> str:
    body = f"module {module}\n\ngo 1.22\n"
    if requires:
        body += "\nrequire (\n" + "".join(f"\t{r} v1.0.0\n" for r in requires) + ")\n"
    return body


def test_go_work_with_two_modules(detected: Detected) -> None:
    result = detected(
        {
            "go.work": "go 1.22\n\nuse (\n\t./api\n\t./worker // the queue consumer\n)\n",
            "api/go.mod": go_mod("example.com/api", "github.com/go-chi/chi/v5"),
            "api/main.go": GO_MAIN,
            "worker/go.mod": go_mod("example.com/worker"),
            "worker/main.go": GO_MAIN,
        }
    )
    assert paths(result) == [".", "api", "worker"]
    top = project(result, ".")
    assert top["workspace"] == {"kind": "go", "members": ["api", "worker"]}
    assert (top["language"], top["build_tool"], top["stack"]) == ("go", "go", "go")
    api = project(result, "api")
    assert (api["framework"], api["build_tool"], api["stack"]) == ("chi", "go", "go")
    assert project(result, "worker")["framework"] is None
    assert result["warnings"] == []


def test_nested_go_mod_without_go_work(detected: Detected) -> None:
    result = detected(
        {
            "go.mod": go_mod("example.com/app", "github.com/gin-gonic/gin"),
            "main.go": GO_MAIN,
            "tools/go.mod": go_mod("example.com/app/tools", "github.com/labstack/echo/v4"),
            "tools/gen.go": GO_MAIN,
        }
    )
    assert paths(result) == [".", "tools"]
    assert project(result, ".")["framework"] == "gin"
    assert project(result, ".")["workspace"] is None
    assert project(result, "tools")["framework"] == "echo"
    # the nested module is not one of the outer module's source folders
    assert "tools" not in project(result, ".")["source_dirs"]


def test_go_cmd_layout_without_root_main(detected: Detected) -> None:
    result = detected(
        {
            "go.mod": go_mod("example.com/svc", "github.com/gofiber/fiber/v2"),
            "cmd/api/main.go": GO_MAIN,
            "cmd/worker/main.go": GO_MAIN,
            "internal/handler/users.go": "package handler\n\nfunc listUsers() {\n\tx := 1\n"
            "\t_ = x\n}\n",
            "internal/service/users.go": "package service\n",
            "internal/repository/users.go": "package repository\n",
            "pkg/client/client.go": "package client\n",
        }
    )
    proj = project(result, ".")
    assert (proj["language"], proj["framework"], proj["stack"]) == ("go", "fiber", "go")
    assert proj["source_dirs"] == ["cmd", "internal", "pkg"]
    assert proj["architecture"] == "layered"
    detail = "2 command(s) under cmd/: cmd/api, cmd/worker; no main package at the module root"
    assert evidence("source_dirs", "cmd", detail) in proj["evidence"]


def test_vendored_go_is_not_scanned(detected: Detected) -> None:
    files = {
        "go.mod": go_mod("example.com/app", "github.com/labstack/echo/v4"),
        "main.go": GO_MAIN,
        "vendor/modules.txt": "# github.com/labstack/echo/v4 v4.11.0\n",
    }
    for i in range(30):
        files[f"vendor/github.com/dep{i}/go.mod"] = go_mod(f"github.com/dep{i}")
        files[f"vendor/github.com/dep{i}/x.go"] = "package dep\n"
    result = detected(files)
    assert paths(result) == ["."]
    proj = project(result, ".")
    assert proj["framework"] == "echo"
    assert proj["source_dirs"] == []
    detail = "dependencies vendored in vendor/ (not scanned)"
    assert evidence("build_tool", "vendor", detail) in proj["evidence"]


def test_go_work_pointing_nowhere_is_a_warning(detected: Detected) -> None:
    result = detected({"go.work": "go 1.22\nuse ./missing\nuse ../../outside\n"})
    assert project(result, ".")["workspace"] == {"kind": "go", "members": []}
    assert warnings_for(result, "go.work") == [
        "use ../../outside: outside the repository",
        "use ./missing: no go.mod in missing",
    ]


def test_parse_go_mod_skips_indirect_and_replace_blocks() -> None:
    text = (
        "module example.com/x // comment\n\ngo 1.21\n\n"
        "require github.com/gin-gonic/gin v1.9.0\n"
        "require (\n\tgolang.org/x/net v0.1.0 // indirect\n\tgithub.com/go-chi/chi v1.5.0\n)\n"
        "replace (\n\tgithub.com/a/b => ../b\n)\n"
    )
    assert parse_go_mod(text) == (
        "example.com/x",
        "1.21",
        ["github.com/gin-gonic/gin", "github.com/go-chi/chi"],
    )
    assert parse_go_work('use ./a\nuse (\n  ./b\n  "./c"\n)\nreplace (\n x => y\n)\n') == [
        "./a",
        "./b",
        "./c",
    ]


CRATE = '[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'


def test_cargo_virtual_workspace_with_globs_and_exclude(detected: Detected) -> None:
    result = detected(
        {
            "Cargo.toml": '[workspace]\nresolver = "2"\nmembers = ["crates/*", "tools/cli"]\n'
            'exclude = ["crates/experimental"]\n\n[workspace.dependencies]\naxum = "0.7"\n',
            "Cargo.lock": "version = 3\n",
            "rustfmt.toml": "max_width = 100\n",
            "crates/api/Cargo.toml": CRATE.format(name="api")
            + "\n[dependencies]\naxum = { workspace = true }\ntokio = '1'\n",
            "crates/api/src/main.rs": 'fn main() {\n    println!("hi");\n}\n',
            "crates/core/Cargo.toml": CRATE.format(name="core"),
            "crates/core/src/lib.rs": "pub fn add_one(x: i32) -> i32 {\n    x + 1\n}\n",
            "crates/experimental/Cargo.toml": CRATE.format(name="exp")
            + "\n[dependencies]\nweb = { package = 'actix-web', version = '4' }\n",
            "tools/cli/Cargo.toml": CRATE.format(name="cli"),
            "tools/cli/src/main.rs": "fn main() {}\n",
        }
    )
    assert paths(result) == [".", "crates/api", "crates/core", "crates/experimental", "tools/cli"]
    top = project(result, ".")
    assert identity(top) == ("rust", None, "cargo", "rust")
    assert top["workspace"] == {
        "kind": "cargo",
        "members": ["crates/api", "crates/core", "tools/cli"],
    }
    api = project(result, "crates/api")
    assert (api["framework"], api["build_tool"], api["stack"]) == ("axum", "cargo", "rust")
    assert api["configs"] == ["rustfmt.toml"]
    assert project(result, "crates/experimental")["framework"] == "actix-web"
    assert result["warnings"] == []


def test_rust_multi_binary_crate_without_main_rs(detected: Detected) -> None:
    result = detected(
        {
            "Cargo.toml": CRATE.format(name="tools")
            + '\n[[bin]]\nname = "server"\npath = "src/server.rs"\n\n'
            "[dependencies]\nrocket = '0.5'\n",
            "src/server.rs": "fn main() {}\n",
            "src/bin/migrate.rs": "fn main() {}\n",
            "src/bin/seed/main.rs": "fn main() {}\n",
            "src/lib.rs": "pub mod db;\n",
        }
    )
    proj = project(result, ".")
    assert identity(proj) == ("rust", "rocket", "cargo", "rust")
    assert proj["source_dirs"] == ["src"]
    assert {
        "claim": "source_dirs",
        "file": "src",
        "detail": "targets: 3 binaries (server, src/bin/migrate.rs, src/bin/seed/main.rs) "
        "and a library",
    } in proj["evidence"]
    assert result["warnings"] == []


def test_cargo_toml_without_package_or_workspace(detected: Detected) -> None:
    result = detected({"Cargo.toml": "[dependencies]\nserde = '1'\n"})
    assert result["projects"] == []
    assert warnings_for(result, "Cargo.toml") == ["neither [package] nor [workspace]"]


def test_kratos_service_is_kratos_not_plain_grpc(detected: Detected) -> None:
    result = detected(
        {
            "go.mod": go_mod(
                "example.com/helloworld",
                "github.com/go-kratos/kratos/v2",
                "google.golang.org/grpc",
                "google.golang.org/protobuf",
            ),
            "cmd/helloworld/main.go": GO_MAIN,
            "internal/server/grpc.go": "package server\n",
            "plain/go.mod": go_mod("example.com/plain", "google.golang.org/grpc"),
            "plain/main.go": GO_MAIN,
        }
    )
    kratos = project(result, ".")
    assert kratos["framework"] == "kratos"
    assert (
        evidence("framework", "go.mod", "depends on github.com/go-kratos/kratos/v2")
        in kratos["evidence"]
    )
    assert project(result, "plain")["framework"] == "grpc"


def test_a_library_whose_examples_use_a_server_is_no_server(detected: Detected) -> None:
    """A middleware library's go.mod requires gin for its examples only; a module whose
    own code imports gin is a gin service, examples or not."""
    example = (
        'package main\n\nimport (\n\t"github.com/gin-gonic/gin"\n\n'
        '\t"example.com/ratelimit"\n)\n\nfunc main() { gin.Default() }\n'
    )
    result = detected(
        {
            "lib/go.mod": go_mod("example.com/ratelimit", "github.com/gin-gonic/gin"),
            "lib/limiter.go": 'package ratelimit\n\nimport "net/http"\n',
            "lib/_examples/gin/main.go": example,
            "svc/go.mod": go_mod("example.com/svc", "github.com/gin-gonic/gin"),
            "svc/main.go": 'package main\n\nimport "github.com/gin-gonic/gin"\n',
            "svc/examples/client/main.go": example,
        }
    )
    assert why_no_framework(project(result, "lib")) == [
        evidence(
            "framework",
            "lib/go.mod",
            "requires github.com/gin-gonic/gin, but only its examples (_examples/) import it: "
            "not its framework",
        )
    ]
    assert project(result, "svc")["framework"] == "gin"
