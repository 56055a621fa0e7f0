"""Other ecosystems, recognised by their manifests and reported with language, build tool
and (where a dependency names one) framework: .NET, Ruby, PHP, Elixir, Swift, Dart,
Scala, Haskell, Erlang, Deno, Zig, OCaml, Julia and CMake/Meson C and C++.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scaffold.detect.base import APP, PLAIN, Candidate, Context, Detector, register
from scaffold.detect.choose import FrameworkTable, choose_framework
from scaffold.detect.members import expand_members
from scaffold.detect.parsers import table
from scaffold.detect.paths import parent, resolve


@dataclass(frozen=True)
class Manifest:
    """One ecosystem's manifest: what it says about language and build tool, and how
    to find framework names in its text (a regex whose first group is a dependency)."""

    name: str
    language: str
    build_tool: str
    frameworks: dict[str, str]
    dependency: str | None = None


_GEM = r"""^[^\S\n]*gem\s+["']([\w\-]+)["']"""
_DENO_FILES = ("deno.json", "deno.jsonc")
_DENO = {"fresh": "fresh", "hono": "hono"}
_DENO_IMPORT = r"""["'](?:jsr:@|npm:|https://deno\.land/x/)?(?:\$|@)?(?:[\w\-]+/)?(fresh|hono)\b"""
_MANIFESTS = (
    Manifest(
        "Gemfile",
        "ruby",
        "bundler",
        {
            "rails": "rails",
            "railties": "rails",
            "sinatra": "sinatra",
            "hanami": "hanami",
            "roda": "roda",
            "grape": "grape",
        },
        _GEM,
    ),
    Manifest(
        "mix.exs",
        "elixir",
        "mix",
        {"phoenix": "phoenix", "plug_cowboy": "plug"},
        r"""\{\s*:(\w+)\s*,""",
    ),
    Manifest(
        "Package.swift",
        "swift",
        "swiftpm",
        {"vapor": "vapor", "hummingbird": "hummingbird"},
        r"""\.package\s*\([^)]*?url:\s*"[^"]*?/([\w\-]+?)(?:\.git)?"\s*""",
    ),
    Manifest(
        "pubspec.yaml",
        "dart",
        "pub",
        {"flutter": "flutter", "shelf": "shelf", "dart_frog": "dart-frog"},
        r"""^\s{2}(\w+)\s*:""",
    ),
    Manifest(
        "build.sbt",
        "scala",
        "sbt",
        {
            "PlayScala": "play",
            "akka-http": "akka-http",
            "http4s-dsl": "http4s",
            "http4s-ember-server": "http4s",
            "zio-http": "zio-http",
        },
        r"""(PlayScala|"(?:[\w.\-]+)"\s*%%?\s*"([\w\-]+)")""",
    ),
    Manifest("stack.yaml", "haskell", "stack", {}),
    Manifest("cabal.project", "haskell", "cabal", {}),
    Manifest("rebar.config", "erlang", "rebar3", {"cowboy": "cowboy"}, r"""\{\s*(\w+)\s*,"""),
    *(Manifest(name, "typescript", "deno", _DENO, _DENO_IMPORT) for name in _DENO_FILES),
    Manifest("build.zig", "zig", "zig", {}),
    Manifest("dune-project", "ocaml", "dune", {"dream": "dream"}, r"""\(\s*(\w+)"""),
    Manifest(
        "Project.toml", "julia", "pkg", {"Genie": "genie", "Oxygen": "oxygen"}, r"""^(\w+)\s*="""
    ),
)

_PHP = FrameworkTable(
    by_dependency={
        "laravel/framework": "laravel",
        "laravel/lumen-framework": "lumen",
        "symfony/framework-bundle": "symfony",
        "slim/slim": "slim",
        "cakephp/cakephp": "cakephp",
        "yiisoft/yii2": "yii",
        "laminas/laminas-mvc": "laminas",
        "codeigniter4/framework": "codeigniter",
    },
    tiers=(
        frozenset(
            {"laravel", "lumen", "symfony", "slim", "cakephp", "yii", "laminas", "codeigniter"}
        ),
    ),
    subsumes={"laravel": frozenset({"symfony"})},
)
#: MSBuild project files, by the language they build.
_DOTNET_PROJECTS = {"*.csproj": "csharp", "*.fsproj": "fsharp", "*.vbproj": "vb"}
#: Native build files: CMake's and Meson's.
_NATIVE_BUILDS = ("CMakeLists.txt", "meson.build")
_DOTNET_PACKAGES = {
    "Microsoft.AspNetCore.App": "aspnet-core",
    "Microsoft.AspNetCore.OpenApi": "aspnet-core",
    "Swashbuckle.AspNetCore": "aspnet-core",
}

#: Every framework name this detector reports.
FRAMEWORK_NAMES = frozenset(
    {
        *(name for manifest in _MANIFESTS for name in manifest.frameworks.values()),
        *_PHP.by_dependency.values(),
        *_DOTNET_PACKAGES.values(),
    }
)


def _table_for(manifest: Manifest) -> FrameworkTable:
    return FrameworkTable(
        by_dependency=manifest.frameworks, tiers=(frozenset(manifest.frameworks.values()),)
    )


@register
class OtherManifestsDetector(Detector):
    """Ruby, Elixir, Swift, Dart, Scala, Haskell, Erlang, Deno, Zig, OCaml, Julia, PHP,
    .NET and CMake/Meson projects, by their manifests."""

    name = "others"
    manifests = (
        *(m.name for m in _MANIFESTS),
        *_DOTNET_PROJECTS,
        *_NATIVE_BUILDS,
        "composer.json",
        "*.sln",
        "*.cabal",
        "Directory.Build.props",
        "global.json",
    )

    def detect(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        candidates: list[Candidate] = []
        for manifest in _MANIFESTS:
            for path in view.named(manifest.name):
                if not view.excluded(path):
                    cand = self._simple(ctx, manifest, path)
                    if cand is not None:
                        candidates.append(cand)
        for path in view.named("composer.json"):
            if not view.excluded(path):
                cand = self._composer(ctx, path)
                if cand is not None:
                    candidates.append(cand)
        candidates.extend(self._dotnet(ctx))
        candidates.extend(self._haskell_cabal(ctx))
        candidates.extend(self._native(ctx))
        return candidates

    def _simple(self, ctx: Context, manifest: Manifest, path: str) -> Candidate | None:
        text = ctx.text(path)
        if text is None:
            return None
        folder = parent(path)
        cand = Candidate(path=folder, language=manifest.language, manifest=path, weight=APP)
        cand.build_tool = manifest.build_tool
        cand.summary = manifest.name
        cand.note("language", path, manifest.name)
        cand.note("build_tool", path, f"{manifest.name}: {manifest.build_tool}")
        if manifest.dependency:
            found: dict[str, tuple[str, str]] = {}
            for match in re.finditer(manifest.dependency, text, re.MULTILINE):
                for dependency in match.groups():
                    framework = manifest.frameworks.get(dependency or "")
                    if framework is not None:
                        found.setdefault(framework, (path, dependency))
            choose_framework(ctx, cand, _table_for(manifest), found)
        if manifest.name == "mix.exs":
            apps = re.search(r"""apps_path:\s*"([^"]+)\"""", text)
            if apps:
                members = expand_members(
                    ctx,
                    folder,
                    [apps.group(1).rstrip("/") + "/*"],
                    [parent(p) for p in ctx.view.named("mix.exs")],
                    source=path,
                )
                cand.set_workspace("mix", members, path, "umbrella project with {count} apps")
        return cand

    def _composer(self, ctx: Context, path: str) -> Candidate | None:
        data = ctx.json_object(path)
        if data is None:
            return None
        cand = Candidate(path=parent(path), language="php", manifest=path, weight=APP)
        cand.build_tool = "composer"
        cand.summary = "composer.json"
        cand.note("language", path, "composer.json")
        cand.note("build_tool", path, "composer.json")
        found: dict[str, tuple[str, str]] = {}
        for dependency in table(data.get("require")):
            framework = _PHP.lookup(dependency)
            if framework is not None:
                found.setdefault(framework, (path, dependency))
        choose_framework(ctx, cand, _PHP, found)
        return cand

    def _dotnet(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        by_folder: dict[str, list[str]] = {}
        for pattern in _DOTNET_PROJECTS:
            for path in view.named(pattern):
                if not view.excluded(path):
                    by_folder.setdefault(parent(path), []).append(path)
        candidates = []
        for folder, paths in sorted(by_folder.items()):
            path = sorted(paths)[0]
            language = _DOTNET_PROJECTS["*." + path.rpartition(".")[2]]
            cand = Candidate(path=folder, language=language, manifest=path, weight=APP)
            cand.build_tool = "dotnet"
            cand.summary = path.rpartition("/")[2]
            cand.note("language", path, "MSBuild project")
            cand.note("build_tool", path, "dotnet SDK project")
            text = ctx.text(path)
            if text is not None:
                found: dict[str, tuple[str, str]] = {}
                if re.search(r"""Sdk\s*=\s*["']Microsoft\.NET\.Sdk\.Web["']""", text):
                    found["aspnet-core"] = (path, "Sdk Microsoft.NET.Sdk.Web")
                for name in re.findall(
                    r"""<(?:PackageReference|FrameworkReference)\s+Include\s*=\s*["']([^"']+)["']""",
                    text,
                ):
                    framework = _DOTNET_PACKAGES.get(name)
                    if framework is not None:
                        found.setdefault(framework, (path, name))
                choose_framework(
                    ctx,
                    cand,
                    FrameworkTable(
                        by_dependency=_DOTNET_PACKAGES, tiers=(frozenset({"aspnet-core"}),)
                    ),
                    found,
                )
            candidates.append(cand)
        for path in view.named("*.sln"):
            if view.excluded(path):
                continue
            text = ctx.text(path)
            if text is None:
                continue
            folder = parent(path)
            members = set()
            for project in re.findall(
                r'^Project\([^)]*\)\s*=\s*"[^"]*"\s*,\s*"([^"]+\.(?:cs|fs|vb)proj)"', text, re.M
            ):
                target = resolve(folder, project)
                if target is not None and parent(target) in by_folder and parent(target) != folder:
                    members.add(parent(target))
            existing = next((c for c in candidates if c.path == folder), None)
            cand = existing or Candidate(
                path=folder, language="csharp", manifest=path, weight=PLAIN
            )
            if existing is None:
                cand.build_tool = "dotnet"
                cand.summary = "solution"
                cand.note("language", path, "Visual Studio solution")
                candidates.append(cand)
            cand.set_workspace("dotnet", members, path, "solution with {count} projects")
        return candidates

    def _haskell_cabal(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        candidates = []
        seen: set[str] = {parent(p) for p in view.named("stack.yaml")}
        seen |= {parent(p) for p in view.named("cabal.project")}
        for path in view.named("*.cabal"):
            folder = parent(path)
            if view.excluded(path) or folder in seen:
                continue
            seen.add(folder)
            cand = Candidate(path=folder, language="haskell", manifest=path, weight=APP)
            cand.build_tool = "cabal"
            cand.summary = "cabal package"
            cand.note("language", path, "Cabal package description")
            candidates.append(cand)
        return candidates

    def _native(self, ctx: Context) -> list[Candidate]:
        """The top-most CMakeLists.txt or meson.build with a ``project(...)`` of each tree."""
        view = ctx.view
        candidates = []
        for name, tool, has_project in (
            ("CMakeLists.txt", "cmake", _cmake_project),
            ("meson.build", "meson", _meson_project),
        ):
            roots: list[str] = []
            for path in sorted(view.named(name), key=lambda p: (p.count("/"), p)):
                folder = parent(path)
                if view.excluded(path) or any(
                    folder == r or folder.startswith(r + "/") or not r for r in roots
                ):
                    continue
                text = ctx.text(path)
                if text is None:
                    continue
                language = has_project(text)
                if language is None:
                    continue
                roots.append(folder)
                cand = Candidate(path=folder, language=language, manifest=path, weight=APP)
                cand.build_tool = tool
                cand.summary = name
                cand.note("language", path, f"{name} project() ({language})")
                candidates.append(cand)
        return candidates


def _project_language(languages: str) -> str:
    words = {w.upper() for w in re.findall(r"[A-Za-z+]+", languages)}
    if "CXX" in words or "CPP" in words or "C++" in words:
        return "cpp"
    if words & {"C"}:
        return "c"
    return "cpp"


def _cmake_project(text: str) -> str | None:
    match = re.search(r"^[^\S\n]*project\s*\(([^)]*)\)", text, re.IGNORECASE | re.MULTILINE)
    if match is None:
        return None
    languages = re.search(r"LANGUAGES\s+([^)]*)", match.group(1), re.IGNORECASE)
    return _project_language(languages.group(1)) if languages else "cpp"


def _meson_project(text: str) -> str | None:
    match = re.search(r"^[^\S\n]*project\s*\(([^)]*)\)", text, re.MULTILINE)
    if match is None:
        return None
    languages = re.findall(r"'(c|cpp)'", match.group(1))
    if "cpp" in languages:
        return "cpp"
    return "c" if languages else "cpp"
