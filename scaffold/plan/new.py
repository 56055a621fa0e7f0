"""Turn rendered files into a plan of file actions against a destination folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from scaffold.model import Action, FileAction, Plan
from scaffold.render import RenderedFile


def plan_new(target: Path, files: Mapping[PurePosixPath, RenderedFile]) -> Plan:
    """Every file becomes a create in ``target`` (checked empty beforehand)."""
    actions = tuple(
        FileAction(path=rel, action=Action.CREATE, content=f.content, mode=f.mode)
        for rel, f in sorted(files.items())
    )
    return Plan(root=target, actions=actions)
