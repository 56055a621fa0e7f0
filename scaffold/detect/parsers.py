"""The guarded parsers detectors read manifests with (TOML, JSON, YAML with bounded
aliases, XML through defusedxml refusing DTDs and entities), and the helpers that read values
out of what they return. A manifest that cannot be used becomes a warning, never an error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from scaffold.detect.base import Context


# -- parsers ------------------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


def parse_toml(ctx: Context, path: str) -> dict[str, Any] | None:
    import tomllib

    text = ctx.text(path)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.match(message)
        end = _TOML_END.match(message)
        if match:
            ctx.warn(
                path,
                f"invalid TOML at line {match['line']}, column {match['col']}: {match['msg']}",
            )
        elif end:
            ctx.warn(path, f"invalid TOML at the end: {end['msg']}")
        else:
            ctx.warn(path, f"invalid TOML: {message}")
    except (RecursionError, MemoryError, ValueError):
        ctx.warn(path, "invalid TOML: too deeply nested")
    return None


def parse_json(ctx: Context, path: str) -> dict[str, Any] | None:
    import json

    text = ctx.text(path)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        ctx.warn(path, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}")
        return None
    except (RecursionError, MemoryError, ValueError):
        ctx.warn(path, "invalid JSON: too deeply nested")
        return None
    if not isinstance(value, dict):
        ctx.warn(path, f"expected a JSON object, found {type(value).__name__}")
        return None
    return value


def parse_yaml(ctx: Context, path: str) -> Any:
    import yaml

    from scaffold.untrusted import UntrustedInputError, load_yaml

    text = ctx.text(path)
    if text is None:
        return None
    try:
        value = load_yaml(text)
        return {} if value is None else value
    except UntrustedInputError as error:
        ctx.warn(path, f"{error.reason}; not read")
    except yaml.MarkedYAMLError as error:
        # Where the broken construct began (a list left open), else where it broke.
        mark = error.context_mark or error.problem_mark
        problem = error.problem or error.context or "invalid"
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        ctx.warn(path, f"invalid YAML{where}: {problem}")
    except yaml.YAMLError as error:
        ctx.warn(path, f"invalid YAML: {(str(error).splitlines() or ['unreadable'])[0]}")
    return None


def parse_xml(ctx: Context, path: str) -> Element | None:
    from xml.etree import ElementTree

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    data = ctx.view.read_bytes(path)
    if data is None:
        return None
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        ctx.warn(path, "XML with a DOCTYPE or ENTITY declaration is refused; not read")
        return None
    except ElementTree.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        reason = str(error).split(":")[0]
        ctx.warn(path, f"invalid XML at line {line}, column {column + 1}: {reason}")
        return None
    except (RecursionError, MemoryError, ValueError, LookupError) as error:
        ctx.warn(path, f"invalid XML: {type(error).__name__}")
        return None
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag.startswith("{"):
            element.tag = tag.partition("}")[2]
    return root


def xml_text(element: Element | None, path: str) -> str:
    """The stripped text at ``path`` below ``element``, or ``""``."""
    if element is None:
        return ""
    found = element.find(path)
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else ``[]``."""
    return value if isinstance(value, list) else []


def strings(value: Any) -> list[str]:
    """``value`` if it is a list of strings (others dropped), else ``[]``."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)]


def table(value: Any) -> dict[str, Any]:
    """``value`` if it is a dict, else ``{}`` (manifests are untrusted)."""
    return value if isinstance(value, dict) else {}
