"""Jinja's compiled templates kept between runs in the cache folder, signed.

Loading a compiled template unpickles and unmarshals it, which runs whatever it holds; an
entry is therefore loaded only when :mod:`scaffold.signed_cache` vouches for it.
"""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from scaffold import signed_cache
from scaffold.catalog import cache_dir


def _environment_digest(env: Any) -> str:
    """What the code Jinja compiles depends on besides the source: its version, Python's,
    the environment's class and every option that changes parsing or code generation."""
    settings = (
        jinja2.__version__,
        sys.version,
        type(env).__qualname__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.autoescape if isinstance(env.autoescape, bool) else None,
        env.optimized,
        env.is_async,
        tuple(sorted(env.extensions)),
    )
    return hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:16]


class SignedBytecodeCache(BytecodeCache):
    """Jinja's compiled templates in ``<cache folder>/jinja``, each entry signed
    (:mod:`scaffold.signed_cache`) for the template it compiles and the environment it was
    compiled in. An entry that is not signed so (planted, rewritten, or from another
    machine's cache) is never unpickled or unmarshalled: Jinja compiles the template again
    and the entry is replaced. An environment whose autoescape is a function compiles in
    memory."""

    def __init__(self, env: Any) -> None:
        self._usable = isinstance(env.autoescape, bool)
        self._environment = _environment_digest(env) if self._usable else ""

    def _entry(self, bucket: Bucket) -> tuple[Path, str]:
        # Templates of different stacks share names (``README.md.jinja``): the source's
        # checksum keeps each its own entry.
        name = f"{self._environment}-{bucket.key}-{bucket.checksum[:16]}"
        return cache_dir() / "jinja" / f"{name}.code", f"jinja-bytecode:{name}"

    def load_bytecode(self, bucket: Bucket) -> None:
        if not self._usable:
            return
        path, purpose = self._entry(bucket)
        payload = signed_cache.read(path, purpose)
        if payload is not None:
            bucket.load_bytecode(io.BytesIO(payload))

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not self._usable:
            return
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        path, purpose = self._entry(bucket)
        signed_cache.write(path, purpose, buffer.getvalue())
