"""Copier's Jinja environment (sandboxed, its options and filters), and a template's strings
(validators, defaults, conditions, next steps) rendered in it, each compiled once per process;
compiled code is kept between runs only as signed entries of the cache folder."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

_SOURCES: dict[str, str] = {}

# Names that make two renders of a string with the same values differ (randomness, the
# clock), and the tags that read other templates: a string using one is rendered every time.
_UNSTABLE_NAMES = frozenset(
    {"random", "ans_random", "shuffle", "random_mac", "strftime", "lipsum", "cycler", "joiner"}
)
_OTHER_TEMPLATES = re.compile(r"\{%[-+]?\s*(?:include|import|extends|from)\b")
#: A name as Jinja lexes one (a word that does not start with a digit).
_WORDS = re.compile(r"[^\W\d]\w*")
_MEMO_TYPES = (str, int, float, bool, type(None))
_UNUSABLE = object()
_string_reads: dict[str, frozenset[str] | None] = {}
_rendered_strings: dict[tuple[str, tuple[Any, ...]], str] = {}
_MAX_RENDERED_STRINGS = 100_000


def render_string(source: str, context: Mapping[str, Any]) -> str:
    """``source`` rendered as copier renders a template's strings (see :func:`compiled_jinja`).

    The same strings are rendered for every answer of every project, mostly with the same
    values: a string whose output depends only on plain values (text, numbers, booleans,
    nothing) is rendered once per combination of the values it can read.
    """
    if source in _string_reads:
        reads = _string_reads[source]
    else:
        # Every word of the string that could be a name: a superset of the variables it
        # reads (with its keywords, the filters, tests and attributes it names, and the
        # words of its text), found without running Jinja's lexer.
        names = frozenset(_WORDS.findall(source))
        unstable = names & _UNSTABLE_NAMES or _OTHER_TEMPLATES.search(source)
        reads = None if unstable else names
        _string_reads[source] = reads
    if reads is not None:
        # The values it can read, by name (a name it can read that is absent is left out).
        values = tuple(
            (name, _memo_value(context[name])) for name in sorted(reads.intersection(context))
        )
        if all(value is not _UNUSABLE for _, value in values):
            key = (source, values)
            rendered = _rendered_strings.get(key)
            if rendered is None:
                if len(_rendered_strings) >= _MAX_RENDERED_STRINGS:
                    _rendered_strings.clear()  # a long-lived process: start over
                rendered = _rendered_strings[key] = str(compiled_jinja(source).render(context))
            return rendered
    return str(compiled_jinja(source).render(context))


def _memo_value(value: Any) -> Any:
    """``value`` with its type (``1`` and ``True`` render differently), or ``_UNUSABLE``
    for a container, which a render could change."""
    if isinstance(value, _MEMO_TYPES):
        return (type(value), value)
    return _UNUSABLE


@functools.cache
def compiled_jinja(source: str) -> Any:
    """``source`` as a Jinja template of the environment copier renders templates' strings in
    (its default options and filters), compiled once: validators, defaults and conditions
    are rendered for every answer of every project. Compiled code is read back from the
    cache folder only when it is signed (see :mod:`scaffold.jinja_cache`)."""
    import hashlib

    key = hashlib.sha256(source.encode("utf-8")).hexdigest()
    _SOURCES[key] = source
    return _jinja_env().get_template(key)


def _source(key: str) -> tuple[str, None, Any]:
    return _SOURCES[key], None, lambda: True  # named by its digest: never out of date


@functools.cache
def _jinja_env() -> Any:
    from jinja2 import FunctionLoader

    return jinja_environment(FunctionLoader(_source), cache_size=-1)


def jinja_environment(loader: Any, **options: Any) -> Any:
    """A sandboxed Jinja environment set up as copier sets up its own (its default options,
    its filters and ``pathjoin``; ``options`` are a template's ``_envops``). Compiled
    templates are kept in the cache folder as signed entries (:mod:`scaffold.jinja_cache`):
    whoever can write that folder (a CI cache restored from a store other jobs wrote) cannot
    choose the code a run executes."""
    from pathlib import PurePosixPath

    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=loader,
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        **({"autoescape": False, "keep_trailing_newline": True} | options),
    )
    env.globals["pathjoin"] = lambda *parts: str(PurePosixPath(*parts))
    from scaffold.jinja_cache import SignedBytecodeCache

    env.bytecode_cache = SignedBytecodeCache(env)
    return env
