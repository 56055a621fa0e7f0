"""The registry of adopters: one module per ecosystem, each a :class:`Recipe`."""

from __future__ import annotations

from scaffold.adopters import django, go, java, node, python, rust
from scaffold.adopters.base import Recipe, Rule, TomlTables, WholeFile

RECIPES: dict[str, Recipe] = {
    recipe.stack: recipe
    for recipe in (python.RECIPE, go.RECIPE, rust.RECIPE, node.RECIPE, java.RECIPE, django.RECIPE)
}

__all__ = ["RECIPES", "Recipe", "Rule", "TomlTables", "WholeFile"]
