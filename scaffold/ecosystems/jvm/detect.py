"""Java and Kotlin: Maven (pom.xml, modules, parent POMs inside the repository) and
Gradle (Groovy and Kotlin DSL build scripts, settings includes, version catalogs).

A Kotlin DSL build script (``build.gradle.kts``) does not make a project Kotlin: the
Kotlin plugin, ``src/main/kotlin``, more ``.kt`` than ``.java`` sources under ``src/``,
or (for a build with no sources of its own) Kotlin projects among those it includes do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scaffold.detect.base import APP, PLAIN, Candidate, Context, Detector, register
from scaffold.detect.choose import FrameworkTable, choose_framework
from scaffold.detect.paths import ancestors, join, parent, resolve
from scaffold.ecosystems.jvm import BUILD_SCRIPTS, SETTINGS_SCRIPTS
from scaffold.model import ConfigRef, Evidence

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scaffold.ecosystems.jvm.maven import Pom
    from scaffold.repo.view import RepoView

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

#: Maven group ids of RPC libraries: the framework of a service that has no other.
_RPC_GROUPS = {"io.grpc": "grpc"}

FRAMEWORKS = FrameworkTable(
    by_dependency={},
    tiers=(frozenset({"android"}), frozenset(_GROUPS.values()), frozenset(_RPC_GROUPS.values())),
)

#: Every framework name this detector reports.
FRAMEWORK_NAMES = frozenset({*_GROUPS.values(), *_PLUGINS.values(), *_RPC_GROUPS.values()})

#: Plugin ids (besides ``org.jetbrains.kotlin.*``) that compile Kotlin.
_KOTLIN_PLUGINS = frozenset(
    {"kotlin", "kotlin-android", "kotlin-kapt", "kotlin-multiplatform", "kotlin-platform-jvm"}
)

#: Paths under ``src/`` looked at (spread evenly) to tell Kotlin code from Java code.
_SOURCES_COUNTED = 256

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
    for table in (_GROUPS, _RPC_GROUPS):
        for prefix, framework in table.items():
            if group == prefix or group.startswith(prefix + "."):
                return framework
    return None


def _source_counts(view: RepoView, folder: str) -> tuple[int, int]:
    """How many ``.kt`` and ``.java`` files lie under ``folder/src`` (a spread sample of
    them past :data:`_SOURCES_COUNTED`)."""
    endings = [f[-5:] for f in view.below(join(folder, "src"), _SOURCES_COUNTED)]
    return sum(e.endswith(".kt") for e in endings), endings.count(".java")


def _kotlin_reason(
    view: RepoView, folder: str, plugins: Iterable[str], declared: bool
) -> str | None:
    """Why the JVM project in ``folder`` is Kotlin (``declared``: its build says so
    already), or ``None`` when it is Java."""
    if declared or any(
        p.startswith("org.jetbrains.kotlin") or p in _KOTLIN_PLUGINS for p in plugins
    ):
        return "Kotlin plugin"
    if view.is_dir(join(folder, "src/main/kotlin")):
        return "src/main/kotlin"
    kotlin, java = _source_counts(view, folder)
    if kotlin > java:
        return f"{kotlin} .kt and {java} .java files under src/"
    return None


def _note_test_only(
    cand: Candidate,
    manifest: str,
    tests: list[str],
    found: dict[str, tuple[str, str]],
    where: str,
) -> None:
    """Say which frameworks a build names only for its tests (which do not make it one):
    the first dependency of each."""
    noted: set[str] = set()
    for coordinate in tests:
        framework = _group(coordinate)
        if framework is not None and framework not in found and framework not in noted:
            noted.add(framework)
            cand.note("framework", manifest, f"{coordinate} only {where}: not its framework")


def _kotlin_builds(view: RepoView, candidates: list[Candidate]) -> None:
    """Make Kotlin the language of each multi-project build that has no sources of its own
    and includes more Kotlin projects than Java ones (deepest builds first, so a build of
    builds follows them)."""
    by_path = {c.path: c for c in candidates}
    for cand in sorted(candidates, key=lambda c: c.path.count("/"), reverse=True):
        if cand.language != "java" or not cand.members or _source_counts(view, cand.path) != (0, 0):
            continue
        kotlin = [m for m in cand.members if m in by_path and by_path[m].language == "kotlin"]
        java = [m for m in cand.members if m in by_path and by_path[m].language == "java"]
        if len(kotlin) <= len(java):
            continue
        cand.language = "kotlin"
        shown = ", ".join(kotlin[:4]) + (", ..." if len(kotlin) > 4 else "")
        reason = (
            f"no sources of its own; {len(kotlin)} of {len(kotlin) + len(java)} "
            f"projects it includes are Kotlin: {shown}"
        )
        for index, item in enumerate(cand.evidence):
            if item.claim == "language" and item.file == cand.manifest:
                detail = item.detail.replace("no Kotlin plugin", reason)
                if detail == item.detail:
                    detail += f", Kotlin: {reason}"
                cand.evidence[index] = Evidence("language", item.file, detail)
                break


@register
class JavaDetector(Detector):
    """JVM projects: Maven (pom.xml) and Gradle (build.gradle, build.gradle.kts, settings)."""

    name = "java"
    manifests = ("pom.xml", *BUILD_SCRIPTS, *SETTINGS_SCRIPTS)

    def detect(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        candidates = []
        parsed: dict[str, Pom | None] = {}
        poms = [path for path in view.named("pom.xml") if not view.excluded(path)]
        if poms:  # the readers are imported where a repository has a build to read
            from scaffold.ecosystems.jvm.maven import read_pom

            parsed = {path: read_pom(ctx, path) for path in poms}
        for pom in parsed.values():
            if pom is not None:
                candidates.append(self._maven(ctx, pom, parsed))
        gradle_dirs: set[str] = set()
        for name in (*BUILD_SCRIPTS, *SETTINGS_SCRIPTS):
            gradle_dirs.update(parent(p) for p in view.named(name) if not view.excluded(p))
        for folder in sorted(gradle_dirs):
            cand = self._gradle(ctx, folder)
            if cand is not None:
                candidates.append(cand)
        _kotlin_builds(view, candidates)
        return candidates

    # -- Maven ------------------------------------------------------------------------------

    def _maven(self, ctx: Context, pom: Pom, parsed: dict[str, Pom | None]) -> Candidate:
        view = ctx.view
        folder = parent(pom.path)
        kotlin = _kotlin_reason(view, folder, (), pom.kotlin)
        cand = Candidate(
            path=folder,
            language="kotlin" if kotlin else "java",
            manifest=pom.path,
            weight=APP if pom.packaging != "pom" else PLAIN,
        )
        cand.build_tool = "maven"
        cand.summary = f"pom.xml ({pom.packaging})"
        detail = f"Maven {pom.group}:{pom.artifact} ({pom.packaging})"
        cand.note("language", pom.path, detail + (f", Kotlin: {kotlin}" if kotlin else ""))
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
        _note_test_only(cand, pom.path, pom.test_dependencies, found, "in the test scope")
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
            cand.set_workspace("maven", members, pom.path, "<modules> with {count} modules")
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
        from scaffold.ecosystems.jvm.gradle import (
            Gradle,
            gradle_includes,
            read_catalog,
            read_gradle,
        )

        view = ctx.view
        build = next((join(folder, n) for n in BUILD_SCRIPTS if view.exists(join(folder, n))), None)
        settings = next(
            (join(folder, n) for n in SETTINGS_SCRIPTS if view.exists(join(folder, n))), None
        )
        catalog = read_catalog(ctx, folder)
        info = Gradle()
        if build is not None:
            text = ctx.text(build)
            if text is None:
                build = None
            else:
                info = read_gradle(text, catalog)
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
        kotlin = _kotlin_reason(view, folder, info.plugins, False)
        cand = Candidate(
            path=folder,
            language="kotlin" if kotlin else "java",
            manifest=manifest,
            weight=APP if build is not None else PLAIN,
        )
        cand.build_tool = "gradle"
        cand.summary = manifest.rpartition("/")[2]
        dsl = "Kotlin DSL" if manifest.endswith(".kts") else "Groovy DSL"
        why = kotlin or "no Kotlin plugin"
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
        _note_test_only(
            cand, manifest, sorted(info.test_coordinates), found, "in test configurations"
        )
        choose_framework(ctx, cand, FRAMEWORKS, found)
        for plugin in sorted(info.plugins):
            kind = _GRADLE_CONFIG_PLUGINS.get(plugin)
            if kind:
                cand.embedded.setdefault(kind, ConfigRef(manifest, plugin))
        if settings is not None and members:
            cand.set_workspace("gradle", members, settings, "settings includes {count} projects")
        return cand
