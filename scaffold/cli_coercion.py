"""Command-line values that need no validation library: text, paths, flags, lists of text.

typer turns every parameter's value into its annotated type through a pydantic adapter,
and importing pydantic and building one adapter per parameter costs more than the whole
of a ``detect`` on a small repository. Here a value that arrives as text becomes ``str``,
a ``Path`` (through typer's own path checks) or a list of ``str``, and a flag stays the
``bool`` typer's parser made it, as that adapter would make them; any other annotation
(choices, numbers) is left to typer. Should typer's parameter model ever differ from the
one this expects, typer converts every value itself.
"""

from __future__ import annotations

import functools
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin


def plain_kind(annotation: Any) -> tuple[type, bool] | None:
    """``(str, Path or bool, is it a list)`` when a command-line value becomes
    ``annotation`` without a validation library, else None."""
    if get_origin(annotation) in (Union, types.UnionType):
        kept = [arg for arg in get_args(annotation) if arg is not type(None)]
        return plain_kind(kept[0]) if len(kept) == 1 else None
    if annotation in (str, Path, bool):
        return annotation, False
    if get_origin(annotation) is list and get_args(annotation) == (str,):
        return str, True
    return None


def coerce_plainly(command: Any, ctx: Any) -> None:
    """Give each text, path, flag and list-of-text parameter of ``command`` (its help
    option included, as ``ctx`` names it) a conversion that needs no pydantic adapter."""
    plain = _plain_runtime_params()
    if plain is None:
        return
    from typer.core import _TyperParameter

    for param in command.get_params(ctx):
        if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
            continue
        descriptor = param.type_descriptor
        info = descriptor.parameter_info
        if descriptor.file_annotation is not None or info.parser is not None:
            continue
        if info.path_type is not None:
            continue
        kind = plain_kind(descriptor.annotation)
        if kind is not None:
            param._runtime_param = plain[kind](info, descriptor.annotation)


@functools.cache
def _plain_runtime_params() -> dict[tuple[type, bool], Any] | None:
    """typer's runtime parameter for each plain kind, or None when typer has none."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer._param_types import coerce_cli_path
    except ImportError:
        return None

    class PlainRuntimeParam(RuntimeParam):
        kind: type = str
        many = False

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.many and isinstance(value, (list, tuple)):
                if all(isinstance(item, str) for item in value):
                    return list(value)
            elif self.kind is bool and isinstance(value, bool):
                return value  # a flag: typer's parser gives a bool
            elif self.kind is str and isinstance(value, str):
                return value
            elif self.kind is Path and isinstance(value, (str, Path)):  # text, or a default
                info = self.parameter_info
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
            typer_own = build_runtime_param(param.type_descriptor)
            return typer_own._coerce_value(value, param=param, ctx=ctx)

    kinds = ((str, False), (Path, False), (bool, False), (str, True))
    return {
        (kind, many): type(
            f"Plain{kind.__name__}", (PlainRuntimeParam,), {"kind": kind, "many": many}
        )
        for kind, many in kinds
    }
