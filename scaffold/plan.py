"""Turn rendered files into a plan of file actions against a destination folder."""

from __future__ import annotations

from pathlib import Path

from scaffold.model import Action, FileAction, Plan
from scaffold.render import RenderedTree


def plan_new(target: Path, rendered: RenderedTree) -> Plan:
    """Every rendered file becomes a create in ``target`` (checked empty beforehand)."""
    actions = tuple(
        FileAction(path=rel, action=Action.CREATE, content=f.content, mode=f.mode)
        for rel, f in sorted(rendered.files.items())
    )
    return Plan(root=target, actions=actions)
