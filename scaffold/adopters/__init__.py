"""Adopt recipes: what each stack's ``adopt`` infers and how each file is planned.

Each ecosystem's recipes live in its package (``scaffold/ecosystems/<name>/``); this is
the view of all of them by stack id, derived from the ecosystems' registry.
"""

from __future__ import annotations

from scaffold.adopters.base import Recipe, Rule, TomlTables, WholeFile
from scaffold.ecosystems import RECIPES

__all__ = ["RECIPES", "Recipe", "Rule", "TomlTables", "WholeFile"]
