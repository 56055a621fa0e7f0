"""Rust: Cargo.toml and cargo workspaces; one stack for every Rust service."""

from __future__ import annotations

from scaffold.ecosystems.base import ConfigKind, Ecosystem

_RUST = frozenset({"rust"})

ECOSYSTEM = Ecosystem.built_in(
    "rust",
    project_manifests=("Cargo.toml",),
    config_kinds=(
        ConfigKind("rustfmt", "rustfmt", _RUST, ("rustfmt.toml", ".rustfmt.toml")),
        ConfigKind("clippy", "Clippy", _RUST, ("clippy.toml", ".clippy.toml")),
    ),
    extensions={"rust": (".rs",)},
    language_aliases={"rust": "rust"},
    framework_aliases={"axum": "axum"},
    priority={"rust": 2},
    families={"cargo": "rust"},
    stack_languages=_RUST,
    framework_bound=False,
)
