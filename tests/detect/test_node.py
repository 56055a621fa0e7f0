"""JavaScript and TypeScript: package managers, workspaces, frameworks per package."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scaffold.ecosystems.node.detect import pnpm_packages
from scaffold.untrusted import load_yaml
from tests.detect.conftest import (
    Detected,
    MakeRepo,
    claimed,
    detect_dict,
    evidence,
    identity,
    paths,
    project,
    pyproject,
    warnings_for,
    why_no_framework,
)


def pkg(**fields: Any) -> str:
    return json.dumps(fields, indent=2) + "\n"


def test_pnpm_monorepo_dependencies_do_not_leak(detected: Detected) -> None:
    result = detected(
        {
            "package.json": pkg(name="mono", private=True, devDependencies={"prettier": "^3"}),
            "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - \"packages/*\"\n"
            "  - '!**/fixtures/**'\n",
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
            "apps/api/package.json": pkg(
                name="api", dependencies={"express": "^4.19"}, devDependencies={"jest": "*"}
            ),
            "apps/api/src/index.js": "const express = require('express');\n",
            "apps/admin/package.json": pkg(
                name="admin",
                dependencies={"@nestjs/core": "^10", "@nestjs/platform-express": "^10"},
                devDependencies={"typescript": "^5"},
            ),
            "apps/admin/tsconfig.json": "{}\n",
            "packages/ui/package.json": pkg(name="ui", peerDependencies={"react": "^18"}),
        }
    )
    assert paths(result) == [".", "apps/admin", "apps/api", "packages/ui"]
    top = project(result, ".")
    assert top["workspace"] == {
        "kind": "pnpm",
        "members": ["apps/admin", "apps/api", "packages/ui"],
    }
    assert top["framework"] is None
    assert top["build_tool"] == "pnpm"
    assert top["architecture"] == "microservices"
    api = project(result, "apps/api")
    assert identity(api) == ("javascript", "express", "pnpm", "node-express")
    admin = project(result, "apps/admin")
    assert identity(admin) == ("typescript", "nestjs", "pnpm", "node-nestjs")
    assert project(result, "packages/ui")["framework"] == "react"
    assert result["warnings"] == []


@pytest.mark.parametrize(
    "workspaces",
    [
        pytest.param(["packages/*"], id="list"),
        pytest.param({"packages": ["packages/*"], "nohoist": ["**/x"]}, id="object"),
    ],
)
def test_npm_workspaces_list_and_object(detected: Detected, workspaces: Any) -> None:
    result = detected(
        {
            "package.json": pkg(name="root", private=True, workspaces=workspaces),
            "package-lock.json": "{}\n",
            "packages/a/package.json": pkg(name="a", dependencies={"fastify": "^4"}),
            "packages/b/package.json": pkg(name="b", dependencies={"koa": "^2"}),
            "other/c/package.json": pkg(name="c"),
        }
    )
    top = project(result, ".")
    assert top["workspace"] == {"kind": "npm", "members": ["packages/a", "packages/b"]}
    assert project(result, "packages/a")["build_tool"] == "npm"
    assert project(result, "packages/a")["framework"] == "fastify"
    assert project(result, "packages/b")["framework"] == "koa"
    assert project(result, "other/c")["build_tool"] == "npm"


def test_yarn_workspace_members_inherit_yarn(detected: Detected) -> None:
    result = detected(
        {
            "package.json": pkg(name="root", private=True, workspaces=["services/*"]),
            "yarn.lock": "# yarn\n",
            "services/web/package.json": pkg(name="web", dependencies={"next": "14"}),
        }
    )
    assert project(result, ".")["workspace"] == {"kind": "yarn", "members": ["services/web"]}
    web = project(result, "services/web")
    assert (web["build_tool"], web["framework"]) == ("yarn", "nextjs")


def test_package_manager_field_without_lockfile(detected: Detected) -> None:
    proj = project(
        detected(
            {"package.json": pkg(name="a", packageManager="pnpm@9", dependencies={"hono": "4"})}
        ),
        ".",
    )
    assert proj["build_tool"] == "pnpm"
    assert evidence("build_tool", "package.json", 'packageManager "pnpm@9"') in proj["evidence"]


@pytest.mark.parametrize(
    ("lockfiles", "build_tool", "warned_file", "warning"),
    [
        pytest.param(
            {"package.json": pkg(name="a", packageManager="yarn@4.1.0+sha256.abc")},
            "yarn",
            "package-lock.json",
            "lockfile of npm, but packageManager says yarn",
            id="package-manager-field-beats-a-stray-lockfile",
        ),
        pytest.param(
            {"package.json": pkg(name="a", dependencies={"express": "4"}), "yarn.lock": "\n"},
            None,
            ".",
            "conflicting lockfiles: package-lock.json (npm), yarn.lock (yarn); "
            "build tool not chosen",
            id="conflicting-lockfiles",
        ),
    ],
)
def test_lockfiles_that_disagree_are_reported(
    detected: Detected,
    lockfiles: dict[str, str],
    build_tool: str | None,
    warned_file: str,
    warning: str,
) -> None:
    """Beside a package-lock.json, the packageManager field decides; two lockfiles and no
    field leave the build tool unchosen."""
    result = detected({**lockfiles, "package-lock.json": "{}\n"})
    assert project(result, ".")["build_tool"] == build_tool
    assert warnings_for(result, warned_file) == [warning]


def test_node_repo_with_stray_server_py_is_still_node(detected: Detected) -> None:
    result = detected(
        {
            "package.json": pkg(name="svc", dependencies={"express": "^4"}),
            "package-lock.json": "{}\n",
            "server.py": "import http.server\n",
            "src/app.js": "const express = require('express')\n",
        }
    )
    assert paths(result) == ["."]
    proj = project(result, ".")
    assert (proj["language"], proj["framework"], proj["stack"]) == (
        "javascript",
        "express",
        "node-express",
    )


def test_python_repo_with_tooling_package_json_and_a_frontend(detected: Detected) -> None:
    result = detected(
        {
            "pyproject.toml": pyproject("api", "fastapi"),
            "uv.lock": "version = 1\n",
            "package.json": pkg(
                name="tooling",
                private=True,
                devDependencies={"prettier": "^3", "husky": "^9"},
                prettier={"semi": False},
            ),
            "app/main.py": "from fastapi import FastAPI\n",
            "frontend/package.json": pkg(
                name="web", dependencies={"react": "^18"}, devDependencies={"vite": "5"}
            ),
            "frontend/tsconfig.json": "{}\n",
            "frontend/package-lock.json": "{}\n",
        }
    )
    assert paths(result) == [".", "frontend"]
    top = project(result, ".")
    assert identity(top) == ("python", "fastapi", "uv", "python-fastapi")
    assert {
        "claim": "language",
        "file": "package.json",
        "detail": "also package.json with development tools only (javascript); "
        "python comes first here",
    } in top["evidence"]
    front = project(result, "frontend")
    assert (front["language"], front["framework"], front["build_tool"]) == (
        "typescript",
        "react",
        "npm",
    )
    assert "package.json[prettier]" in front["configs"]


def test_typescript_express_is_node_express(detected: Detected) -> None:
    proj = project(
        detected(
            {
                "package.json": pkg(
                    name="a", dependencies={"express": "4"}, devDependencies={"typescript": "5"}
                ),
                "bun.lock": "{}\n",
            }
        ),
        ".",
    )
    assert (proj["language"], proj["build_tool"], proj["stack"]) == (
        "typescript",
        "bun",
        "node-express",
    )


def test_frontend_framework_only_in_dev_dependencies(detected: Detected) -> None:
    assert (
        project(
            detected({"package.json": pkg(name="a", devDependencies={"vue": "3", "vite": "5"})}),
            ".",
        )["framework"]
        == "vue"
    )


def test_pnpm_workspace_yaml_flow_style() -> None:
    assert pnpm_packages(load_yaml("packages: ['a/*', \"b\"]  # two\n")) == ["a/*", "b"]
    assert pnpm_packages(load_yaml("# none\nonlyBuiltDependencies:\n  - esbuild\n")) is None
    assert pnpm_packages(load_yaml("packages:\n  - a/*\n\ncatalog:\n  react: ^18\n")) == ["a/*"]


def test_library_with_framework_only_in_dev_and_peer_dependencies_has_none(
    detected: Detected,
) -> None:
    """A library built for Next.js (peer) and tested with Express (dev) is neither a
    Next.js nor an Express application."""
    proj = project(
        detected(
            {
                "package.json": pkg(
                    name="next-session-helper",
                    exports={".": "./dist/index.js"},
                    scripts={"dev": "tsup --watch", "build": "tsup"},
                    dependencies={"jose": "^5"},
                    peerDependencies={"next": ">=14"},
                    devDependencies={"next": "^14", "express": "^4", "typescript": "^5"},
                ),
                "src/index.ts": "import { NextResponse } from 'next/server';\n",
            }
        ),
        ".",
    )
    assert identity(proj) == ("typescript", None, "npm", None)
    assert why_no_framework(proj) == [
        evidence(
            "framework",
            "package.json",
            "express only in devDependencies of a library (exports): not its framework",
        ),
        evidence(
            "framework",
            "package.json",
            "next only in peerDependencies and devDependencies of a library (exports): "
            "not its framework",
        ),
    ]


@pytest.mark.parametrize(
    ("fields", "framework", "detail"),
    [
        pytest.param(
            {"scripts": {"dev": "next dev"}, "dependencies": {"next": "14", "react": "18"}},
            "nextjs",
            "depends on next (dependencies; an application: scripts.dev)",
            id="application-runtime-dependency",
        ),
        pytest.param(
            {"bin": {"srv": "bin/srv.js"}, "devDependencies": {"express": "4"}},
            "express",
            "depends on express (devDependencies; an application: bin)",
            id="application-dev-dependency",
        ),
        pytest.param(
            {"exports": "./index.js", "peerDependencies": {"react": "18"}},
            "react",
            "depends on react (peerDependencies; a library: exports)",
            id="ui-library-built-for-react",
        ),
        pytest.param(
            {
                "scripts": {"start": "node server.js"},
                "types": "x.d.ts",
                "peerDependencies": {"express": "4"},
            },
            "express",
            "depends on express (peerDependencies; an application: scripts.start)",
            id="start-script-beats-types",
        ),
        pytest.param(
            {"exports": "./index.js", "dependencies": {"fastify": "4"}},
            "fastify",
            "depends on fastify (dependencies; a library: exports)",
            id="library-runtime-dependency",
        ),
        pytest.param(
            {"devDependencies": {"vue": "3"}},
            "vue",
            "depends on vue (devDependencies)",
            id="neither-application-nor-library",
        ),
    ],
)
def test_framework_evidence_says_where_it_is_declared_and_what_the_package_is(
    detected: Detected, fields: dict[str, Any], framework: str, detail: str
) -> None:
    proj = project(detected({"package.json": pkg(name="p", **fields)}), ".")
    assert proj["framework"] == framework
    assert claimed(proj, "framework") == [evidence("framework", "package.json", detail)]


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        pytest.param(
            {"scripts": {"build": "tsc", "lint": "pnpm run check && eslint ."}},
            "scripts.lint runs pnpm, and no lockfile or packageManager here",
            id="script",
        ),
        pytest.param(
            {"pnpm": {"overrides": {"a": "1"}}},
            "a pnpm settings table, and no lockfile or packageManager here",
            id="pnpm-settings",
        ),
        pytest.param(
            {"engines": {"node": ">=20", "pnpm": ">=9"}},
            "engines.pnpm, and no lockfile or packageManager here",
            id="engines",
        ),
    ],
)
def test_pnpm_member_seen_alone_is_pnpm(
    detected: Detected, fields: dict[str, Any], detail: str
) -> None:
    """A pnpm workspace member detected on its own (its workspace file and lockfile are
    above it) is still managed by pnpm."""
    proj = project(
        detected({"package.json": pkg(name="member", dependencies={"zod": "3"}, **fields)}), "."
    )
    assert proj["build_tool"] == "pnpm"
    assert claimed(proj, "build_tool") == [evidence("build_tool", "package.json", detail)]


def test_a_script_naming_pnpm_does_not_outweigh_the_workspace_root(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "package.json": pkg(name="root", private=True, workspaces=["packages/*"]),
            "package-lock.json": "{}\n",
            "packages/a/package.json": pkg(name="a", scripts={"x": "pnpm dlx thing"}),
            "packages/b/package.json": pkg(name="b", scripts={"x": "echo npnpm"}),
        }
    )
    result = detect_dict(root)
    assert project(result, "packages/a")["build_tool"] == "npm"
    alone = detect_dict(root / "packages" / "b")
    assert project(alone, ".")["build_tool"] == "npm"


def test_grpc_service_and_grpc_beside_a_server_framework(detected: Detected) -> None:
    result = detected(
        {
            "greeter/package.json": pkg(
                name="greeter", dependencies={"@grpc/grpc-js": "1", "@grpc/proto-loader": "0"}
            ),
            "gateway/package.json": pkg(
                name="gateway", dependencies={"@grpc/grpc-js": "1", "fastify": "4"}
            ),
        }
    )
    assert project(result, "greeter")["framework"] == "grpc"
    assert project(result, "gateway")["framework"] == "fastify"


def test_workspace_root_of_a_library_and_its_examples(detected: Detected) -> None:
    """A library's repository root keeps Next.js in its devDependencies for the examples
    it holds as workspace members: the root is no Next.js app, the example is."""
    result = detected(
        {
            "package.json": pkg(
                name="auth-kit-repo",
                private=True,
                workspaces=["packages/*", "examples/*"],
                scripts={"dev": "turbo dev"},
                devDependencies={"next": "^14", "turbo": "^2"},
            ),
            "package-lock.json": "{}\n",
            "packages/auth-kit/package.json": pkg(
                name="auth-kit", exports="./index.js", peerDependencies={"next": ">=14"}
            ),
            "examples/next-app/package.json": pkg(
                name="next-app",
                private=True,
                scripts={"dev": "next dev"},
                dependencies={"next": "^14", "auth-kit": "*"},
            ),
        }
    )
    top = project(result, ".")
    assert why_no_framework(top) == [
        evidence(
            "framework",
            "package.json",
            "next only in devDependencies of a workspace root (workspaces): not its framework",
        )
    ]
    assert project(result, "packages/auth-kit")["framework"] is None
    example = project(result, "examples/next-app")
    assert (example["framework"], example["build_tool"]) == ("nextjs", "npm")
    assert top["architecture"] is None  # an example is no deployed service
