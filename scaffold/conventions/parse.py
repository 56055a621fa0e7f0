"""Parse an agent definition (Markdown with YAML front matter) into conventions: pure.

The body's conventions section is the first heading whose text contains "conventions";
in it, each bullet of the form ``- **Label**: folders...`` is a stack line. Folders are the
backquoted paths on the line (or, with no backquotes, its comma-separated items that look
like paths); a backquoted name with a file extension (``mod.rs``) is a file convention. An
optional ``scaffold:`` mapping in the front matter adds, per stack label, ``configs`` and
``template``. Every error names the line it is about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scaffold.ecosystems import FRAMEWORK_ALIASES, LANGUAGE_ALIASES
from scaffold.errors import ConventionsError
from scaffold.model import Conventions, StackConvention, stack_for

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_STACK_LINE = re.compile(r"^\s*[-*+]\s+\*\*(?P<label>[^*]+?)\s*:?\s*\*\*\s*:?\s*(?P<rest>.*)$")
_CODE = re.compile(r"`([^`]+)`")
_PATHLIKE = re.compile(r"^[\w.<>{}@-]+(/[\w.<>{}@-]+)*/?$")

#: Label words naming a language or a framework, from the ecosystems' registry.
_LANGUAGES = LANGUAGE_ALIASES
_FRAMEWORKS = FRAMEWORK_ALIASES


def _split_label(label: str) -> tuple[str | None, str | None]:
    parts = [p.strip().lower() for p in re.split(r"[/(),]", label) if p.strip()]
    language = _LANGUAGES.get(parts[0]) if parts else None
    framework = next((_FRAMEWORKS[p] for p in parts[1:] if p in _FRAMEWORKS), None)
    return language, framework


def _paths(rest: str, where: str) -> tuple[list[str], list[str]]:
    tokens = _CODE.findall(rest)
    if not tokens:
        tokens = [t.strip() for t in rest.split(",") if _PATHLIKE.match(t.strip())]
    folders: list[str] = []
    files: list[str] = []
    for token in (t.strip() for t in tokens):
        cleaned = token.rstrip("/")
        if not cleaned:
            continue
        parts = cleaned.split("/")
        if token.startswith("/") or ".." in parts or "" in parts:
            raise ConventionsError(f"{where}: {token!r} must be a relative path inside the project")
        is_file = not token.endswith("/") and "." in parts[-1].strip(".") and len(parts) == 1
        (files if is_file else folders).append(cleaned)
    return folders, files


def _front_matter_block(text: str) -> tuple[str, int]:
    """The YAML between the opening and closing ``---``, and the body's first line number."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return "", 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:index]), index + 2
    raise ConventionsError("line 1: the front matter opened with --- is never closed")


_TOP_LEVEL_SCALAR = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):[ \t]+(?P<value>[^\s\"'\[{|>&*!].*)$")


def _quote_colon_scalars(text: str) -> str:
    """Quote top-level plain values that hold ``": "``, as agent files often have them
    (``description: Use for X. Keywords: a, b``); strict YAML rejects those."""
    lines = text.splitlines()
    _, body_start = _front_matter_block(text)
    for index in range(1, body_start - 2):
        match = _TOP_LEVEL_SCALAR.match(lines[index])
        if match and ": " in match.group("value"):
            value = match.group("value").rstrip().replace("\\", "\\\\").replace('"', '\\"')
            lines[index] = f'{match.group("key")}: "{value}"'
    return "\n".join(lines) + "\n"


def _bounded_yaml_handler() -> Any:
    """python-frontmatter's YAML handler, loading through scaffold's bounded YAML loader
    (its own uses an unbounded ``yaml.SafeLoader``, which an alias bomb exhausts)."""
    from frontmatter.default_handlers import YAMLHandler

    from scaffold.untrusted import load_yaml

    class BoundedYAMLHandler(YAMLHandler):
        def load(self, fm: str, **kwargs: object) -> Any:
            return load_yaml(fm)

    return BoundedYAMLHandler()


def _parse_front_matter(text: str, source: str) -> Mapping[str, Any]:
    import frontmatter
    import yaml

    from scaffold.untrusted import UntrustedInputError

    block, _ = _front_matter_block(text)
    if not block.strip():
        return {}
    handler = _bounded_yaml_handler()
    try:
        try:
            metadata, _ = frontmatter.parse(text, handler=handler)
        except yaml.YAMLError:
            quoted = _quote_colon_scalars(text)
            block, _ = _front_matter_block(quoted)
            metadata, _ = frontmatter.parse(quoted, handler=handler)
    except UntrustedInputError as error:
        raise ConventionsError(f"{source}:2: the front matter {error.reason}") from None
    except yaml.YAMLError as error:
        # Where the broken construct began (a flow list left open), else where it broke.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 2  # the YAML starts on the --- line
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConventionsError(f"{source}:{line}: invalid YAML front matter: {problem}") from None
    if not isinstance(metadata, Mapping):
        raise ConventionsError(f"{source}:2: the front matter must be a mapping")
    bad = [key for key in metadata if not isinstance(key, str)]
    if bad:
        line, written = _non_string_key(block, bad[0])
        raise ConventionsError(
            f"{source}:{line}: front matter key {written} must be a string (quote it)"
        )
    return metadata


def _non_string_key(block: str, key: object) -> tuple[int, str]:
    """The line of the first top-level key of ``block`` (the front matter, which starts on
    line 2) that YAML does not read as a string, and the key as written there."""
    import yaml

    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        node = None
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if key_node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"):
                if isinstance(key_node, yaml.ScalarNode):
                    return key_node.start_mark.line + 2, key_node.value
                return key_node.start_mark.line + 2, repr(key)
    return 2, repr(key)


def _extras(metadata: Mapping[str, Any], source: str) -> Mapping[str, Mapping[str, Any]]:
    extra = metadata.get("scaffold") or {}
    stacks = extra.get("stacks", {}) if isinstance(extra, Mapping) else None
    if not isinstance(stacks, Mapping) or not all(isinstance(v, Mapping) for v in stacks.values()):
        raise ConventionsError(
            f"{source}: front matter key scaffold.stacks must map stack labels to mappings"
        )
    return {str(k).strip().lower(): v for k, v in stacks.items()}


def parse_agent_definition(text: str, source: str = "<agent definition>") -> Conventions:
    """The conventions an agent definition states. Raises ConventionsError naming the line."""
    metadata = _parse_front_matter(text, source)
    _, body_start = _front_matter_block(text)
    extras = _extras(metadata, source)
    lines = text.splitlines()

    section_level: int | None = None
    stacks: list[StackConvention] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines[body_start - 1 :], start=body_start):
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if section_level is None:
                if "convention" in heading.group(2).lower():
                    section_level = level
                continue
            if level <= section_level:
                break
            continue
        if section_level is None:
            continue
        match = _STACK_LINE.match(line)
        if not match:
            continue
        label = " ".join(match.group("label").split())
        where = f"{source}:{number}"
        key = label.lower()
        if key in seen:
            raise ConventionsError(f"{where}: {label} is listed twice (first on line {seen[key]})")
        seen[key] = number
        folders, files = _paths(match.group("rest"), where)
        if not folders:
            raise ConventionsError(f"{where}: the line for {label} names no folders")
        language, framework = _split_label(label)
        extra = extras.get(key, {})
        configs = extra.get("configs") or ()
        if not isinstance(configs, list | tuple) or not all(isinstance(c, str) for c in configs):
            raise ConventionsError(
                f"{source}: scaffold.stacks.{label}.configs must be a list of names"
            )
        template = extra.get("template", stack_for(language or "", framework))
        stacks.append(
            StackConvention(
                label=label,
                language=language,
                framework=framework,
                folders=tuple(folders),
                files=tuple(files),
                configs=tuple(configs),
                template=str(template) if template else None,
                line=number,
            )
        )
    if section_level is None:
        raise ConventionsError(
            f"{source}: no conventions section (a heading that contains the word Conventions)"
        )
    if not stacks:
        raise ConventionsError(
            f"{source}: the conventions section lists no stacks (lines like - **Go**: `cmd/`)"
        )
    name = metadata.get("name")
    description = metadata.get("description")
    return Conventions(
        name=str(name) if name else "",
        description=" ".join(str(description).split()) if description else "",
        source=source,
        stacks=tuple(stacks),
    )
