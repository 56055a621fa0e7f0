"""Java and Kotlin: Maven (pom.xml, modules, parent POMs inside the repository) and
Gradle (Groovy and Kotlin DSL build scripts, settings includes, version catalogs).

A Kotlin DSL build script (``build.gradle.kts``) does not make a project Kotlin: the
Kotlin plugin or ``src/main/kotlin`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scaffold.detect.base import (
    APP,
    PLAIN,
    Candidate,
    Context,
    Detector,
    FrameworkTable,
    ancestors,
    choose_framework,
    join,
    parent,
    register,
    resolve,
)
from scaffold.detect.parsers import table, xml_text
from scaffold.model import ConfigRef

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

#: Maven group ids / Gradle plugin ids -> framework.
_GROUPS = {
    "org.springframework.boot": "spring-boot",
    "io.quarkus": "quarkus",
    "io.micronaut": "micronaut",
    "io.ktor": "ktor",
    "io.dropwizard": "dropwizard",
    "io.vertx": "vertx",
    "io.helidon": "helidon",
    "io.javalin": "javalin",
}
_PLUGINS = {
    "org.springframework.boot": "spring-boot",
    "io.quarkus": "quarkus",
    "io.micronaut.application": "micronaut",
    "io.micronaut.minimal.application": "micronaut",
    "io.ktor.plugin": "ktor",
    "com.android.application": "android",
}

FRAMEWORKS = FrameworkTable(
    by_dependency={},
    tiers=(frozenset({"android"}), frozenset(_GROUPS.values())),
)

_SPRING_PARENTS = {
    ("org.springframework.boot", "spring-boot-starter-parent"),
    ("org.springframework.boot", "spring-boot-parent"),
}

#: Plugins that are lint/format settings: artifact or plugin id -> config kind.
_MAVEN_CONFIG_PLUGINS = {
    "maven-checkstyle-plugin": "checkstyle",
    "spotless-maven-plugin": "spotless",
    "ktlint-maven-plugin": "ktlint",
    "detekt-maven-plugin": "detekt",
    "maven-pmd-plugin": "pmd",
    "spotbugs-maven-plugin": "spotbugs",
}
_GRADLE_CONFIG_PLUGINS = {
    "checkstyle": "checkstyle",
    "com.diffplug.spotless": "spotless",
    "org.jlleitschuh.gradle.ktlint": "ktlint",
    "io.gitlab.arturbosch.detekt": "detekt",
    "pmd": "pmd",
    "com.github.spotbugs": "spotbugs",
}


def _group(coordinate: str) -> str | None:
    group = coordinate.split(":", 1)[0]
    for prefix, framework in _GROUPS.items():
        if group == prefix or group.startswith(prefix + "."):
            return framework
    return None


# -- Maven --------------------------------------------------------------------------------------


@dataclass
class Pom:
    path: str
    group: str
    artifact: str
    packaging: str
    parent: tuple[str, str] | None
    parent_path: str | None
    modules: list[str]
    dependencies: list[str]
    managed: list[str]
    plugins: list[str]
    kotlin: bool = False


def _coordinates(elements: list[Element]) -> list[str]:
    out = []
    for element in elements:
        group = xml_text(element, "groupId")
        artifact = xml_text(element, "artifactId")
        if artifact:
            out.append(f"{group}:{artifact}")
    return out


def _read_pom(ctx: Context, path: str) -> Pom | None:
    root = ctx.xml(path)
    if root is None:
        return None
    if root.tag != "project":
        ctx.warn(path, f"root element is <{root.tag}>, not <project>")
        return None
    parent_el = root.find("parent")
    parent_coordinates = None
    parent_path = None
    folder = parent(path)
    if parent_el is not None:
        parent_coordinates = (xml_text(parent_el, "groupId"), xml_text(parent_el, "artifactId"))
        relative = parent_el.find("relativePath")
        if relative is None:
            parent_path = resolve(folder, "../pom.xml")
        elif relative.text and relative.text.strip():
            target = resolve(folder, relative.text.strip())
            if target is not None and not target.endswith(".xml"):
                target = join(target, "pom.xml")
            parent_path = target
    plugins = _coordinates(root.findall("build/plugins/plugin"))
    plugins += _coordinates(root.findall("build/pluginManagement/plugins/plugin"))
    dependencies = _coordinates(root.findall("dependencies/dependency"))
    pom = Pom(
        path=path,
        group=xml_text(root, "groupId") or (parent_coordinates[0] if parent_coordinates else ""),
        artifact=xml_text(root, "artifactId"),
        packaging=xml_text(root, "packaging") or "jar",
        parent=parent_coordinates,
        parent_path=parent_path,
        modules=[m.text.strip() for m in root.findall("modules/module") if m.text],
        dependencies=dependencies,
        managed=_coordinates(root.findall("dependencyManagement/dependencies/dependency")),
        plugins=plugins,
    )
    pom.kotlin = any(p.endswith(":kotlin-maven-plugin") for p in plugins) or any(
        d.startswith("org.jetbrains.kotlin:kotlin-stdlib") for d in dependencies
    )
    return pom


# -- Gradle -------------------------------------------------------------------------------------

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
_INCLUDE = re.compile(r"""\binclude\s*\(?((?:\s*["'][^"'\n]+["']\s*,?)+)\s*\)?""")
_QUOTED = re.compile(r"""["']([^"'\n]+)["']""")
_PROJECT_DIR = re.compile(
    r"""project\s*\(\s*["']:?([^"']+)["']\s*\)\s*\.projectDir\s*=\s*(?:file\s*\(\s*)?["']([^"']+)["']"""
)


@dataclass
class Gradle:
    plugins: set[str] = field(default_factory=set)
    coordinates: set[str] = field(default_factory=set)


def _catalog(ctx: Context, folder: str) -> tuple[dict[str, str], dict[str, str]]:
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


def _read_gradle(text: str, catalog: tuple[dict[str, str], dict[str, str]]) -> Gradle:
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
    out.coordinates.update(f"{g}:{a}" for g, a in _COORDINATE.findall(text))
    for ref in _CATALOG_REF.findall(text):
        module = library_aliases.get(ref)
        if module:
            out.coordinates.add(module)
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


@register
class JavaDetector(Detector):
    """JVM projects: Maven (pom.xml) and Gradle (build.gradle, build.gradle.kts, settings)."""

    name = "java"
    manifests = (
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "settings.gradle",
        "settings.gradle.kts",
    )

    def detect(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        candidates = []
        parsed: dict[str, Pom | None] = {}
        for path in view.named("pom.xml"):
            if not view.excluded(path):
                parsed[path] = _read_pom(ctx, path)
        for pom in parsed.values():
            if pom is not None:
                candidates.append(self._maven(ctx, pom, parsed))
        gradle_dirs: set[str] = set()
        for name in self.manifests[1:]:
            gradle_dirs.update(parent(p) for p in view.named(name) if not view.excluded(p))
        for folder in sorted(gradle_dirs):
            cand = self._gradle(ctx, folder)
            if cand is not None:
                candidates.append(cand)
        return candidates

    # -- Maven ------------------------------------------------------------------------------

    def _maven(self, ctx: Context, pom: Pom, parsed: dict[str, Pom | None]) -> Candidate:
        view = ctx.view
        folder = parent(pom.path)
        kotlin = pom.kotlin or view.is_dir(join(folder, "src/main/kotlin"))
        cand = Candidate(
            path=folder,
            language="kotlin" if kotlin else "java",
            manifest=pom.path,
            weight=APP if pom.packaging != "pom" else PLAIN,
        )
        cand.build_tool = "maven"
        cand.summary = f"pom.xml ({pom.packaging})"
        cand.note("language", pom.path, f"Maven {pom.group}:{pom.artifact} ({pom.packaging})")
        wrapper = "mvnw" if view.exists(join(folder, "mvnw")) else None
        cand.note("build_tool", pom.path, "pom.xml" + (", Maven wrapper" if wrapper else ""))

        chain = self._parents(pom, parsed)
        found: dict[str, tuple[str, str]] = {}
        if pom.parent is not None and pom.parent in _SPRING_PARENTS:
            found["spring-boot"] = (pom.path, f"parent {pom.parent[0]}:{pom.parent[1]}")
        for dependency in pom.dependencies:
            framework = _group(dependency)
            if framework is not None:
                found.setdefault(framework, (pom.path, dependency))
        for plugin in pom.plugins:
            if plugin.endswith(":spring-boot-maven-plugin"):
                found.setdefault("spring-boot", (pom.path, f"plugin {plugin}"))
        for ancestor in chain:
            for dependency in ancestor.dependencies:  # inherited by every child
                framework = _group(dependency)
                if framework is not None:
                    found.setdefault(
                        framework, (ancestor.path, f"{dependency} (inherited from the parent POM)")
                    )
        choose_framework(ctx, cand, FRAMEWORKS, found)
        if (
            cand.framework is None
            and any(p.parent in _SPRING_PARENTS for p in chain)
            and pom.packaging != "pom"
        ):
            cand.note(
                "framework",
                chain[-1].path,
                "the parent POM is Spring Boot's, but this module uses no Spring Boot starter",
            )

        for plugins, source in [(pom.plugins, pom)] + [(a.plugins, a) for a in chain]:
            for plugin in plugins:
                kind = _MAVEN_CONFIG_PLUGINS.get(plugin.rpartition(":")[2])
                if kind:
                    cand.embedded.setdefault(
                        kind, ConfigRef(source.path, plugin.rpartition(":")[2])
                    )

        if pom.modules:
            members = []
            for module in pom.modules:
                member = resolve(folder, module)
                if member is None:
                    ctx.warn(pom.path, f"module {module}: outside the repository")
                    continue
                if member.endswith(".xml"):
                    member = parent(member)
                if view.exists(join(member, "pom.xml")):
                    members.append(member)
                else:
                    ctx.warn(pom.path, f"module {module}: no pom.xml there")
            cand.workspace_kind = "maven"
            cand.members = sorted(set(members))
            cand.note("workspace", pom.path, f"<modules> with {len(cand.members)} modules")
        return cand

    def _parents(self, pom: Pom, parsed: dict[str, Pom | None]) -> list[Pom]:
        """The parent POMs found inside the repository, nearest first."""
        chain: list[Pom] = []
        current = pom
        seen = {pom.path}
        while current.parent_path and current.parent_path not in seen and len(chain) < 20:
            candidate = parsed.get(current.parent_path)
            if candidate is None or current.parent is None:
                break
            if (candidate.group, candidate.artifact) != current.parent and (
                candidate.artifact != current.parent[1]
            ):
                break
            chain.append(candidate)
            seen.add(candidate.path)
            current = candidate
        return chain

    # -- Gradle -----------------------------------------------------------------------------

    def _gradle(self, ctx: Context, folder: str) -> Candidate | None:
        view = ctx.view
        build = None
        for name in ("build.gradle.kts", "build.gradle"):
            if view.exists(join(folder, name)):
                build = join(folder, name)
                break
        settings = None
        for name in ("settings.gradle.kts", "settings.gradle"):
            if view.exists(join(folder, name)):
                settings = join(folder, name)
                break
        catalog = _catalog(ctx, folder)
        info = Gradle()
        if build is not None:
            text = ctx.text(build)
            if text is None:
                build = None
            else:
                info = _read_gradle(text, catalog)
        members: list[str] = []
        if settings is not None:
            text = ctx.text(settings)
            if text is not None:
                for include in gradle_includes(text):
                    member = resolve(folder, include)
                    if member is None:
                        ctx.warn(settings, f"include {include}: outside the repository")
                    elif member != folder and view.is_dir(member):
                        members.append(member)
            elif build is None:
                return None
        if build is None and settings is None:
            return None
        manifest = build or settings
        assert manifest is not None
        kotlin = any(p.startswith("org.jetbrains.kotlin") for p in info.plugins) or view.is_dir(
            join(folder, "src/main/kotlin")
        )
        cand = Candidate(
            path=folder,
            language="kotlin" if kotlin else "java",
            manifest=manifest,
            weight=APP if build is not None else PLAIN,
        )
        cand.build_tool = "gradle"
        cand.summary = manifest.rpartition("/")[2]
        dsl = "Kotlin DSL" if manifest.endswith(".kts") else "Groovy DSL"
        why = "Kotlin plugin" if kotlin else "no Kotlin plugin"
        cand.note("language", manifest, f"Gradle build ({dsl}, {why})")
        wrapper = next(
            (join(d, "gradlew") for d in ancestors(folder) if view.exists(join(d, "gradlew"))),
            None,
        )
        cand.note(
            "build_tool",
            wrapper or manifest,
            "Gradle wrapper" if wrapper else "Gradle build, no wrapper (gradlew): uses gradle",
        )
        found: dict[str, tuple[str, str]] = {}
        for plugin in sorted(info.plugins):
            framework = _PLUGINS.get(plugin)
            if framework is not None:
                found.setdefault(framework, (manifest, f"plugin {plugin}"))
        for coordinate in sorted(info.coordinates):
            framework = _group(coordinate)
            if framework is not None:
                found.setdefault(framework, (manifest, coordinate))
        choose_framework(ctx, cand, FRAMEWORKS, found)
        for plugin in sorted(info.plugins):
            kind = _GRADLE_CONFIG_PLUGINS.get(plugin)
            if kind:
                cand.embedded.setdefault(kind, ConfigRef(manifest, plugin))
        if settings is not None and members:
            cand.workspace_kind = "gradle"
            cand.members = sorted(set(members))
            cand.note("workspace", settings, f"settings includes {len(cand.members)} projects")
        return cand
