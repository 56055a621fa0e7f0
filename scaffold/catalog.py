"""The bundled templates as detection sees them: where they are, each one's ``_scaffold``
metadata, the stacks' labels, and the cache folder. Light on purpose (no questions, no
Jinja): every ``detect`` imports it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scaffold.errors import TemplateError, first_line

COPIER_FILE = "copier.yml"


def templates_root() -> Path:
    """The folder holding one copier template per stack.

    An installed wheel carries them inside the package; a source checkout keeps them
    at the top of the repository, next to the package.
    """
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "templates", package_dir.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateError("the bundled templates are missing: reinstall scaffold")


def load_yaml(text: str) -> Any:
    """Parse YAML safely (with libyaml's C loader when it is there), size and aliases bounded.

    Raises ``yaml.YAMLError`` for invalid YAML and a ``ValueError``
    (:class:`scaffold.untrusted.UntrustedInputError`) for a document over the bounds.
    """
    from scaffold.untrusted import load_yaml as load_bounded_yaml

    return load_bounded_yaml(text)


@functools.lru_cache(maxsize=16)
def shared_yaml(text: str) -> Any:
    """``text`` parsed by :func:`load_yaml` once per process, for the files several parts
    read (a template's ``copier.yml``); the value is shared: never change it."""
    return load_yaml(text)


def _read_yaml(path: Path) -> Any:
    import yaml

    from scaffold.untrusted import MAX_YAML_CHARACTERS, UntrustedInputError, read_limited

    try:
        return shared_yaml(read_limited(path, MAX_YAML_CHARACTERS).decode("utf-8"))
    except UntrustedInputError as error:
        raise TemplateError(f"{path} {error.reason}; not read") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise TemplateError(f"cannot read {path}: {first_line(error)}") from error


@functools.cache
def _template_config(path: Path) -> Mapping[str, Any]:
    """The ``copier.yml`` of the template at ``path``, parsed once per process."""
    config = _read_yaml(path / COPIER_FILE)
    if not isinstance(config, dict):
        raise TemplateError(f"{path / COPIER_FILE} is not a mapping")
    return config


def template_metadata(path: Path) -> Mapping[str, Any]:
    """The ``_scaffold`` block of the template at ``path``, as :func:`load_template` reads it
    into ``metadata``, without building the template's questions (detection maps stacks
    through it; the file is parsed once for both)."""
    return _template_config(path).get("_scaffold") or {}


def stack_labels(folders: Mapping[str, Path]) -> dict[str, tuple[str, str | None]]:
    """Each stack's language and framework, from its template's ``_scaffold`` block.

    Detection maps every project through them, and parsing six ``copier.yml`` files takes
    longer than detecting a small repository, so they are kept as a signed cache entry
    (:mod:`scaffold.signed_cache`) used while every ``copier.yml`` is byte for byte the one
    they were read from.
    """
    import hashlib
    import json

    from scaffold import signed_cache

    digest = hashlib.sha256()
    for stack_id, folder in folders.items():
        data = (folder / COPIER_FILE).read_bytes()
        digest.update(f"{stack_id}\0{folder}\0{len(data)}\0".encode())
        digest.update(data)
    entry, purpose = cache_dir() / "stack-labels.json", "stack-labels/1"
    if (payload := signed_cache.read(entry, purpose)) is not None:
        kept = json.loads(payload)
        if kept["templates"] == digest.hexdigest():
            return {stack: (pair[0], pair[1]) for stack, pair in kept["labels"].items()}
    labels: dict[str, tuple[str, str | None]] = {}
    for stack_id, folder in folders.items():
        meta = template_metadata(folder)
        framework = meta.get("framework")
        labels[stack_id] = (
            str(meta.get("language", "")),
            None if framework is None else str(framework),
        )
    kept = {"templates": digest.hexdigest(), "labels": labels}
    signed_cache.write(entry, purpose, json.dumps(kept).encode("utf-8"))
    return labels


def cache_dir() -> Path:
    """Where scaffold keeps what it can compute again: ``$SCAFFOLD_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/scaffold``, else ``~/.cache/scaffold``."""
    if explicit := os.environ.get("SCAFFOLD_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "scaffold")
