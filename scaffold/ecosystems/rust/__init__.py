"""Rust: Cargo.toml and cargo workspaces; one stack for every Rust service."""

from __future__ import annotations

from scaffold.ecosystems.base import ConfigKind, Ecosystem, framework_names

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
    framework_aliases=framework_names(
        "actix-web axum dioxus leptos loco poem rocket salvo tauri tide tonic warp yew",
        {"actix": "actix-web", "actix web": "actix-web", "loco-rs": "loco", "loco.rs": "loco"},
    ),
    priority={"rust": 2},
    families={"cargo": "rust"},
    stack_languages=_RUST,
    framework_bound=False,
)
