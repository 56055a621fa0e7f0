"""Ecosystems recognised by their manifests: language, build tool and framework."""

from __future__ import annotations

import pytest

from tests.detect.conftest import Detected, identity, paths, project


@pytest.mark.parametrize(
    ("files", "language", "build_tool", "framework"),
    [
        pytest.param(
            {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"pg\"\n"},
            "ruby",
            "bundler",
            "rails",
            id="rails",
        ),
        pytest.param(
            {"Gemfile": "gem 'rails-html-sanitizer'\ngem 'sinatra'\n"},
            "ruby",
            "bundler",
            "sinatra",
            id="sinatra-not-rails",
        ),
        pytest.param(
            {"composer.json": '{"require": {"php": "^8.2", "laravel/framework": "^11.0"}}'},
            "php",
            "composer",
            "laravel",
            id="laravel",
        ),
        pytest.param(
            {
                "mix.exs": 'defp deps do\n  [\n    {:phoenix, "~> 1.7"},\n    {:ecto, "~> 3.0"}\n  ]\nend\n'
            },
            "elixir",
            "mix",
            "phoenix",
            id="phoenix",
        ),
        pytest.param(
            {
                "Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web">\n'
                "  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>\n"
                "</Project>\n"
            },
            "csharp",
            "dotnet",
            "aspnet-core",
            id="aspnet",
        ),
        pytest.param(
            {
                "Package.swift": "let package = Package(dependencies: [\n"
                '  .package(url: "https://github.com/vapor/vapor.git", from: "4.0.0"),\n])\n'
            },
            "swift",
            "swiftpm",
            "vapor",
            id="vapor",
        ),
        pytest.param(
            {"pubspec.yaml": "name: app\ndependencies:\n  flutter:\n    sdk: flutter\n"},
            "dart",
            "pub",
            "flutter",
            id="flutter",
        ),
        pytest.param(
            {"build.sbt": 'lazy val root = (project in file(".")).enablePlugins(PlayScala)\n'},
            "scala",
            "sbt",
            "play",
            id="play",
        ),
        pytest.param(
            {"CMakeLists.txt": "cmake_minimum_required(VERSION 3.20)\nproject(x LANGUAGES C)\n"},
            "c",
            "cmake",
            None,
            id="cmake-c",
        ),
        pytest.param(
            {"deno.json": '{"imports": {"hono": "jsr:@hono/hono@4"}}'},
            "typescript",
            "deno",
            "hono",
            id="deno",
        ),
    ],
)
def test_other_manifests(
    detected: Detected,
    files: dict[str, str],
    language: str,
    build_tool: str,
    framework: str | None,
) -> None:
    result = detected(files)
    assert len(result["projects"]) == 1
    proj = result["projects"][0]
    assert identity(proj) == (language, framework, build_tool, None)
    assert result["warnings"] == []


def test_dotnet_solution_lists_its_projects(detected: Detected) -> None:
    result = detected(
        {
            "Shop.sln": 'Project("{FAE04EC0}") = "Api", "src\\Api\\Api.csproj", "{1}"\nEndProject\n'
            'Project("{FAE04EC0}") = "Core", "src\\Core\\Core.csproj", "{2}"\nEndProject\n',
            "src/Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
            "src/Core/Core.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>\n',
        }
    )
    assert paths(result) == [".", "src/Api", "src/Core"]
    assert project(result, ".")["workspace"] == {
        "kind": "dotnet",
        "members": ["src/Api", "src/Core"],
    }
    assert project(result, "src/Api")["framework"] == "aspnet-core"
    assert project(result, "src/Core")["framework"] is None


def test_cmake_subdirectories_are_one_project(detected: Detected) -> None:
    result = detected(
        {
            "CMakeLists.txt": "project(app CXX)\nadd_subdirectory(lib)\n",
            "lib/CMakeLists.txt": "add_library(lib x.cpp)\n",
            "lib/sub/CMakeLists.txt": "project(inner)\n",
        }
    )
    assert paths(result) == ["."]
    assert project(result, ".")["language"] == "cpp"
