"""Rust: Cargo.toml packages and workspaces (member globs, ``exclude``, virtual roots),
and each crate's targets (library, ``src/main.rs``, ``[[bin]]``, ``src/bin/``)."""

from __future__ import annotations

from typing import Any

from scaffold.detect.base import APP, PLAIN, Candidate, Context, Detector, register
from scaffold.detect.choose import FrameworkTable, choose_framework
from scaffold.detect.members import table_members
from scaffold.detect.parsers import table
from scaffold.detect.paths import join, parent

_SERVERS = {
    "axum": "axum",
    "actix-web": "actix-web",
    "rocket": "rocket",
    "warp": "warp",
    "poem": "poem",
    "salvo": "salvo",
    "tide": "tide",
    "loco-rs": "loco",
    "tauri": "tauri",
}
_OTHER = {"tonic": "tonic", "leptos": "leptos", "yew": "yew", "dioxus": "dioxus"}

FRAMEWORKS = FrameworkTable(
    by_dependency={**_SERVERS, **_OTHER},
    tiers=(frozenset({"loco", "tauri"}), frozenset(_SERVERS.values()), frozenset(_OTHER.values())),
    subsumes={"loco": frozenset({"axum"})},
)


def _dependency_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    tables = [table(data.get("dependencies"))]
    for spec in table(data.get("target")).values():
        tables.append(table(table(spec).get("dependencies")))
    return tables


@register
class RustDetector(Detector):
    """Rust crates and Cargo workspaces (Cargo.toml)."""

    name = "rust"
    manifests = ("Cargo.toml", "Cargo.lock", "rust-toolchain.toml")

    def detect(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        manifests = [p for p in view.named("Cargo.toml") if not view.excluded(p)]
        crate_dirs = [parent(p) for p in manifests]
        candidates = []
        for path in manifests:
            cand = self._manifest(ctx, path, crate_dirs)
            if cand is not None:
                candidates.append(cand)
        return candidates

    def _manifest(self, ctx: Context, path: str, crate_dirs: list[str]) -> Candidate | None:
        data = ctx.toml(path)
        if data is None:
            return None
        folder = parent(path)
        package = table(data.get("package"))
        workspace = table(data.get("workspace"))
        if not package and not workspace:
            ctx.warn(path, "neither [package] nor [workspace]")
            return None
        cand = Candidate(
            path=folder, language="rust", manifest=path, weight=APP if package else PLAIN
        )
        cand.build_tool = "cargo"
        cand.summary = "Cargo.toml" if package else "Cargo.toml (virtual workspace)"
        name = package.get("name")
        cand.note(
            "language",
            path,
            f"crate {name}" if isinstance(name, str) else "virtual workspace (no [package])",
        )
        cand.note("build_tool", path, "Cargo.toml")
        if workspace:
            members = table_members(ctx, folder, workspace, crate_dirs, path)
            cand.set_workspace("cargo", members, path, "[workspace] with {count} members")
        if package:
            found: dict[str, tuple[str, str]] = {}
            for deps in _dependency_tables(data):
                for key, spec in deps.items():
                    crate = table(spec).get("package") if isinstance(spec, dict) else None
                    dependency = crate if isinstance(crate, str) else key
                    framework = FRAMEWORKS.lookup(dependency)
                    if framework is not None:
                        found.setdefault(framework, (path, dependency))
            choose_framework(ctx, cand, FRAMEWORKS, found)
            self._targets(ctx, cand, data)
        return cand

    def _targets(self, ctx: Context, cand: Candidate, data: dict[str, Any]) -> None:
        view = ctx.view
        folder = cand.path
        binaries: list[str] = []
        entries = data.get("bin")
        for entry in entries if isinstance(entries, list) else []:
            name = table(entry).get("name")
            if isinstance(name, str):
                binaries.append(name)
        if view.exists(join(folder, "src/main.rs")):
            binaries.append("src/main.rs")
        bin_dir = join(folder, "src/bin")
        if view.is_dir(bin_dir):
            dirs, names = view.children(bin_dir)
            for name in names:
                if name.endswith(".rs"):
                    binaries.append(f"src/bin/{name}")
            for name in dirs:
                if view.exists(join(bin_dir, f"{name}/main.rs")):
                    binaries.append(f"src/bin/{name}/main.rs")
        library = view.exists(join(folder, "src/lib.rs")) or "lib" in data
        parts = []
        if binaries:
            parts.append(f"{len(binaries)} binaries ({', '.join(sorted(set(binaries)))})")
        if library:
            parts.append("a library")
        if parts:
            where = join(folder, "src") if view.is_dir(join(folder, "src")) else cand.manifest
            cand.note("source_dirs", where, "targets: " + " and ".join(parts))
