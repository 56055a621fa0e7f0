"""Reading Gradle build scripts (Groovy and Kotlin DSL) without running them: plugin ids,
dependency coordinates, the version catalog's aliases and a settings script's includes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scaffold.detect.parsers import table
from scaffold.detect.paths import ancestors, join

if TYPE_CHECKING:
    from scaffold.detect.base import Context

from scaffold.ecosystems.jvm import BUILD_SCRIPTS as BUILD_SCRIPTS
from scaffold.ecosystems.jvm import SETTINGS_SCRIPTS as SETTINGS_SCRIPTS

_COMMENTS = re.compile(r"/\*.*?(?:\*/|\Z)|(?:^|(?<=\s))//[^\n]*", re.DOTALL)
_PLUGIN_ID = re.compile(r"""\bid\s*\(?\s*["']([\w.\-]+)["']""")
_KOTLIN_PLUGIN = re.compile(r"""\bkotlin\s*\(\s*["']([\w.\-]+)["']\s*\)""")
_APPLY_PLUGIN = re.compile(r"""\bapply\s*\(?\s*plugin\s*[:=]\s*["']([\w.\-]+)["']""")
_BARE_PLUGIN = re.compile(
    r"""^[^\S\n]*(?:`([\w\-]+)`|(java|application|checkstyle|pmd|java-library))[^\S\n]*$""",
    re.M,
)
_ALIAS = re.compile(r"""\balias\s*\(\s*libs\.plugins\.([\w.]+)\s*\)""")
_COORDINATE = re.compile(r"""["']([\w.\-]+):([\w.\-]+)(?::[^"'\s]*)?["']""")
_CATALOG_REF = re.compile(r"""\blibs\.([\w.]+)""")
#: A dependency line in a test configuration (testImplementation, androidTestApi...).
_TEST_LINE = re.compile(r"""^[^\S\n]*\w*[tT]est\w*[^\S\n]*[(\s"']""")
_INCLUDE = re.compile(r"""\binclude\s*\(?((?:\s*["'][^"'\n]+["']\s*,?)+)\s*\)?""")
_QUOTED = re.compile(r"""["']([^"'\n]+)["']""")
_PROJECT_DIR = re.compile(
    r"""project\s*\(\s*["']:?([^"']+)["']\s*\)\s*\.projectDir\s*=\s*(?:file\s*\(\s*)?["']([^"']+)["']"""
)


@dataclass
class Gradle:
    """The plugins and dependency coordinates a Gradle build script names."""

    plugins: set[str] = field(default_factory=set)
    coordinates: set[str] = field(default_factory=set)
    #: Coordinates declared only in test configurations (testImplementation...).
    test_coordinates: set[str] = field(default_factory=set)


def read_catalog(ctx: Context, folder: str) -> tuple[dict[str, str], dict[str, str]]:
    """Plugin aliases and library aliases (dotted keys) of the nearest
    ``gradle/libs.versions.toml``, in ``folder`` or the build above it."""
    path = next(
        (
            join(d, "gradle/libs.versions.toml")
            for d in ancestors(folder)
            if ctx.view.exists(join(d, "gradle/libs.versions.toml"))
        ),
        None,
    )
    if path is None:
        return {}, {}
    data = ctx.toml(path)
    if data is None:
        return {}, {}

    def key(name: str) -> str:
        return re.sub(r"[-_]", ".", name)

    plugins = {}
    for name, spec in table(data.get("plugins")).items():
        plugin_id = table(spec).get("id") if isinstance(spec, dict) else None
        if isinstance(spec, str):
            plugin_id = spec.split(":", 1)[0]
        if isinstance(plugin_id, str):
            plugins[key(name)] = plugin_id
    libraries = {}
    for name, spec in table(data.get("libraries")).items():
        module = None
        if isinstance(spec, str):
            module = spec.rsplit(":", 1)[0] if spec.count(":") >= 2 else spec
        elif isinstance(spec, dict):
            module = spec.get("module")
            if module is None and isinstance(spec.get("group"), str):
                module = f"{spec['group']}:{spec.get('name', '')}"
        if isinstance(module, str):
            libraries[key(name)] = module
    return plugins, libraries


def read_gradle(text: str, catalog: tuple[dict[str, str], dict[str, str]]) -> Gradle:
    text = _COMMENTS.sub("", text)
    out = Gradle()
    out.plugins.update(_PLUGIN_ID.findall(text))
    out.plugins.update(f"org.jetbrains.kotlin.{name}" for name in _KOTLIN_PLUGIN.findall(text))
    out.plugins.update(_APPLY_PLUGIN.findall(text))
    for quoted, bare in _BARE_PLUGIN.findall(text):
        out.plugins.add(quoted or bare)
    plugin_aliases, library_aliases = catalog
    for alias in _ALIAS.findall(text):
        plugin_id = plugin_aliases.get(alias)
        if plugin_id:
            out.plugins.add(plugin_id)
    tests: set[str] = set()
    for line in text.splitlines():
        found = {f"{g}:{a}" for g, a in _COORDINATE.findall(line)}
        found.update(m for ref in _CATALOG_REF.findall(line) if (m := library_aliases.get(ref)))
        (tests if _TEST_LINE.match(line) else out.coordinates).update(found)
    out.test_coordinates = tests - out.coordinates
    return out


def gradle_includes(text: str) -> list[str]:
    """Project folders a settings script includes (``:a:b`` -> ``a/b``), honouring
    ``project(":x").projectDir = file("y")``."""
    text = _COMMENTS.sub("", text)
    moved = {name.strip(":").replace(":", "/"): where for name, where in _PROJECT_DIR.findall(text)}
    folders = []
    for group in _INCLUDE.findall(text):
        for name in _QUOTED.findall(group):
            folder = name.strip().strip(":").replace(":", "/")
            if folder:
                folders.append(moved.get(folder, folder))
    return folders
