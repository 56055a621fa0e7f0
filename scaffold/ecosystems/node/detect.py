"""JavaScript and TypeScript: package.json, the lockfiles of npm, pnpm, Yarn and Bun, the
``packageManager`` field, and workspaces (``workspaces`` as a list or ``{packages: [...]}``,
``pnpm-workspace.yaml``). Each package is read on its own, so one workspace member's
dependencies never leak into another's.
"""

from __future__ import annotations

import re
from typing import Any

from scaffold.detect.base import APP, PLAIN, TOOLING, Candidate, Context, Detector, register
from scaffold.detect.choose import FrameworkTable, choose_framework, lockfile_tool
from scaffold.detect.members import expand_members
from scaffold.detect.parsers import strings, table
from scaffold.detect.paths import join, nested_projects, parent
from scaffold.model import ConfigRef

_META = {
    "@nestjs/core": "nestjs",
    "next": "nextjs",
    "nuxt": "nuxt",
    "@sveltejs/kit": "sveltekit",
    "@remix-run/node": "remix",
    "@remix-run/react": "remix",
    "astro": "astro",
    "@angular/core": "angular",
    "@adonisjs/core": "adonisjs",
    "gatsby": "gatsby",
    "@feathersjs/feathers": "feathers",
    "sails": "sails",
    "expo": "expo",
    "electron": "electron",
}
_SERVERS = {
    "express": "express",
    "fastify": "fastify",
    "koa": "koa",
    "@hapi/hapi": "hapi",
    "hapi": "hapi",
    "hono": "hono",
    "restify": "restify",
    "elysia": "elysia",
    "@trpc/server": "trpc",
    "@grpc/grpc-js": "grpc",
    "@connectrpc/connect-node": "connect",
}
#: RPC libraries: the framework of a service that names no server framework.
_RPC = frozenset({"trpc", "grpc", "connect"})
_UI = {
    "react": "react",
    "vue": "vue",
    "svelte": "svelte",
    "solid-js": "solid",
    "preact": "preact",
    "react-native": "react-native",
    "lit": "lit",
}

FRAMEWORKS = FrameworkTable(
    by_dependency={**_META, **_SERVERS, **_UI},
    tiers=(
        frozenset(_META.values()),
        frozenset(_SERVERS.values()) - _RPC,
        _RPC,
        frozenset(_UI.values()),
    ),
    subsumes={
        "nestjs": frozenset({"express", "fastify"}),
        "nextjs": frozenset({"react"}),
        "remix": frozenset({"react"}),
        "gatsby": frozenset({"react"}),
        "nuxt": frozenset({"vue"}),
        "sveltekit": frozenset({"svelte"}),
        "expo": frozenset({"react-native", "react"}),
        "react-native": frozenset({"react"}),
        "feathers": frozenset({"express", "koa"}),
    },
)

LOCKFILES = {
    "package-lock.json": "npm",
    "npm-shrinkwrap.json": "npm",
    "yarn.lock": "yarn",
    "pnpm-lock.yaml": "pnpm",
    "bun.lockb": "bun",
    "bun.lock": "bun",
}
MANAGERS = frozenset({"npm", "pnpm", "yarn", "bun"})

_IMPORT = re.compile(
    r"""(?:\brequire\s*\(\s*|\bfrom\s+|\bimport\s*\(\s*|^[^\S\n]*import\s+)['"]([^'"]+)['"]""",
    re.MULTILINE,
)


def pnpm_packages(document: Any) -> list[str] | None:
    """The ``packages:`` list of a parsed pnpm-workspace.yaml, or ``None`` when it has none."""
    packages = document.get("packages") if isinstance(document, dict) else None
    if not isinstance(packages, list):
        return None
    return [item for item in strings(packages) if item]


@register
class NodeDetector(Detector):
    """JavaScript/TypeScript packages: package.json, lockfiles, workspaces."""

    name = "node"
    manifests = ("package.json", "pnpm-workspace.yaml", "tsconfig.json", *LOCKFILES)

    def detect(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        packages = [p for p in view.named("package.json") if not view.excluded(p)]
        package_dirs = [parent(p) for p in packages]
        pnpm_roots = {parent(p) for p in view.named("pnpm-workspace.yaml") if not view.excluded(p)}
        candidates = []
        for folder in sorted(set(package_dirs) | pnpm_roots):
            cand = self._package(ctx, folder, package_dirs, folder in pnpm_roots)
            if cand is not None:
                candidates.append(cand)
        return candidates

    def _package(
        self, ctx: Context, folder: str, package_dirs: list[str], has_pnpm_workspace: bool
    ) -> Candidate | None:
        view = ctx.view
        manifest = join(folder, "package.json")
        data: dict[str, Any] | None = None
        if view.exists(manifest):
            data = ctx.json_object(manifest)
            if data is None and not has_pnpm_workspace:
                return None
        pkg = data or {}
        if data is None:
            manifest = join(folder, "pnpm-workspace.yaml")
        deps = table(pkg.get("dependencies"))
        dev = table(pkg.get("devDependencies"))
        peer = table(pkg.get("peerDependencies"))

        typescript = (
            view.exists(join(folder, "tsconfig.json"))
            or "typescript" in deps
            or "typescript" in dev
            or isinstance(pkg.get("types"), str)
        )
        cand = Candidate(
            path=folder,
            language="typescript" if typescript else "javascript",
            manifest=manifest,
            weight=TOOLING,
        )
        if typescript:
            why = "tsconfig.json" if view.exists(join(folder, "tsconfig.json")) else "typescript"
            cand.note("language", manifest, f"TypeScript ({why})")
        else:
            cand.note("language", manifest, "package.json")

        role, role_reason = package_role(pkg, peer, has_pnpm_workspace)
        found = self._frameworks(cand, manifest, deps, peer, dev, role, role_reason)
        choose_framework(ctx, cand, FRAMEWORKS, found, lambda names: _imported(ctx, folder, names))

        runtime = bool(deps) or any(key in pkg for key in ("main", "bin", "exports", "module"))
        if found or runtime:
            cand.weight = APP
            cand.summary = "package.json with dependencies" if deps else "package.json"
        else:
            cand.summary = "package.json with development tools only" if dev else "package.json"

        self._build_tool(ctx, cand, folder, pkg)
        self._workspace(ctx, cand, folder, pkg, package_dirs, has_pnpm_workspace)
        if cand.workspace_kind and cand.weight < PLAIN:
            cand.weight = PLAIN
        if "prettier" in pkg:
            cand.embedded["prettier"] = ConfigRef(manifest, "prettier")
        if "eslintConfig" in pkg:
            cand.embedded["eslint-legacy"] = ConfigRef(manifest, "eslintConfig")
        return cand

    def _frameworks(
        self,
        cand: Candidate,
        manifest: str,
        deps: dict[str, Any],
        peer: dict[str, Any],
        dev: dict[str, Any],
        role: str | None,
        role_reason: str,
    ) -> dict[str, tuple[str, str]]:
        """The frameworks a package's dependencies name, weighed by where each is declared:
        ``dependencies`` always count; ``peerDependencies`` count for an application, and
        for a library only when they name a UI library it is built for; ``devDependencies``
        count only when nothing else names one and the package is neither a library nor a
        workspace root (whose development dependencies serve tests, examples and members)."""
        found: dict[str, tuple[str, str]] = {}
        why = f"; {_ROLE_PHRASES[role]}: {role_reason}" if role is not None else ""
        for dep in deps:
            framework = FRAMEWORKS.lookup(dep)
            if framework is not None:
                found.setdefault(framework, (manifest, f"{dep} (dependencies{why})"))
        ignored: dict[str, list[str]] = {}  # dependency -> the sections it is in
        for dep in peer:
            framework = FRAMEWORKS.lookup(dep)
            if framework is None:
                continue
            if role == "library" and framework not in _UI_FRAMEWORKS:
                ignored.setdefault(dep, []).append("peerDependencies")
            else:
                found.setdefault(framework, (manifest, f"{dep} (peerDependencies{why})"))
        dev_frameworks = [(dep, fw) for dep in dev if (fw := FRAMEWORKS.lookup(dep)) is not None]
        if role in ("library", "workspace"):
            for dep, _ in dev_frameworks:
                ignored.setdefault(dep, []).append("devDependencies")
        elif not found:
            for dep, framework in dev_frameworks:
                found.setdefault(framework, (manifest, f"{dep} (devDependencies{why})"))
        for dep, sections in sorted(ignored.items()):
            if FRAMEWORKS.lookup(dep) not in found:
                where = " and ".join(sections)
                cand.note(
                    "framework",
                    manifest,
                    f"{dep} only in {where} of {_ROLE_PHRASES[role or 'library']} "
                    f"({role_reason}): not its framework",
                )
        return found

    def _build_tool(self, ctx: Context, cand: Candidate, folder: str, pkg: dict[str, Any]) -> None:
        view = ctx.view
        locks = [
            (name, tool) for name, tool in LOCKFILES.items() if view.exists(join(folder, name))
        ]
        declared = pkg.get("packageManager")
        manager = None
        if isinstance(declared, str):
            name = declared.strip().partition("@")[0].partition("+")[0]
            if name in MANAGERS:
                manager = name
            else:
                ctx.warn(
                    cand.manifest, f"packageManager {declared!r} is not npm, pnpm, yarn or bun"
                )
        if manager is not None:
            cand.build_tool = manager
            cand.note("build_tool", cand.manifest, f'packageManager "{declared}"')
            for lock, tool in locks:
                if tool != manager:
                    ctx.warn(
                        join(folder, lock),
                        f"lockfile of {tool}, but packageManager says {manager}",
                    )
            return
        if lockfile_tool(ctx, cand, folder, locks):
            return
        if view.exists(join(folder, "pnpm-workspace.yaml")):
            cand.build_tool = "pnpm"
            cand.note("build_tool", join(folder, "pnpm-workspace.yaml"), "pnpm workspace file")
            return
        hint = _pnpm_hint(pkg)
        if hint is not None:
            cand.default_build_tool = "pnpm"
            cand.default_reason = f"{hint}, and no lockfile or packageManager here"
            return
        cand.default_build_tool = "npm"
        cand.default_reason = "no lockfile or packageManager: npm, the default"

    def _workspace(
        self,
        ctx: Context,
        cand: Candidate,
        folder: str,
        pkg: dict[str, Any],
        package_dirs: list[str],
        has_pnpm_workspace: bool,
    ) -> None:
        patterns: list[str] | None = None
        source = cand.manifest
        if has_pnpm_workspace:
            source = join(folder, "pnpm-workspace.yaml")
            document = ctx.yaml(source)
            if document is not None:
                patterns = pnpm_packages(document)
                if patterns is None:
                    ctx.warn(source, "no packages list found")
            kind = "pnpm"
        else:
            field = pkg.get("workspaces")
            if isinstance(field, dict):
                field = field.get("packages")
            if field is None:
                return
            patterns = strings(field)
            if not isinstance(field, list):
                ctx.warn(cand.manifest, "workspaces is neither a list nor {packages: [...]}")
            kind = cand.build_tool or cand.default_build_tool or "npm"
        if patterns is None:
            return
        members = expand_members(ctx, folder, patterns, package_dirs, source=source)
        cand.set_workspace(kind, members, source, f"{kind} workspace with {{count}} members")


#: UI libraries: a library may be built for one (a React component library) without
#: being an application of it.
_UI_FRAMEWORKS = frozenset(_UI.values())

_ROLE_PHRASES = {
    "application": "an application",
    "library": "a library",
    "workspace": "a workspace root",
}

#: Scripts that run the package as an application: ``start`` whatever else it has, the
#: others when nothing says it is a library (whose ``dev`` script often rebuilds it).
_START_SCRIPTS = ("start",)
_APP_SCRIPTS = ("dev", "serve", "preview")

_PNPM_COMMAND = re.compile(r"(?:^|[\s;&|(])pnpm(?:\s|$)")


def package_role(
    pkg: dict[str, Any], peer: dict[str, Any], pnpm_workspace: bool = False
) -> tuple[str | None, str]:
    """Whether a package.json is a ``"workspace"`` root, an ``"application"`` or a
    ``"library"`` (or ``None`` when it does not say), and which field says so:
    ``workspaces`` or a pnpm-workspace.yaml beside it make a workspace root; ``bin`` or a
    start script an application; ``exports``, ``module``, ``types`` or
    ``peerDependencies`` a library; failing those, a dev/serve/preview script or ``main``
    an application."""
    if pnpm_workspace:
        return "workspace", "pnpm-workspace.yaml"
    if pkg.get("workspaces"):
        return "workspace", "workspaces"
    if pkg.get("bin"):
        return "application", "bin"
    scripts = table(pkg.get("scripts"))
    for name in _START_SCRIPTS:
        if isinstance(scripts.get(name), str):
            return "application", f"scripts.{name}"
    for key in ("exports", "module", "types", "typings"):
        if pkg.get(key):
            return "library", key
    if peer:
        return "library", "peerDependencies"
    for name in _APP_SCRIPTS:
        if isinstance(scripts.get(name), str):
            return "application", f"scripts.{name}"
    if isinstance(pkg.get("main"), str):
        return "application", "main"
    return None, ""


def _pnpm_hint(pkg: dict[str, Any]) -> str | None:
    """What in a package.json says pnpm manages it (a script that runs pnpm, a ``pnpm``
    settings table or ``engines.pnpm``), for a workspace member seen without its root."""
    scripts = table(pkg.get("scripts"))
    for name in sorted(k for k in scripts if isinstance(k, str)):
        command = scripts[name]
        if isinstance(command, str) and _PNPM_COMMAND.search(command):
            return f"scripts.{name} runs pnpm"
    if isinstance(pkg.get("pnpm"), dict):
        return "a pnpm settings table"
    if "pnpm" in table(pkg.get("engines")):
        return "engines.pnpm"
    return None


def _imported(ctx: Context, folder: str, names: list[str]) -> list[str]:
    """Which of the framework ``names`` the package's code imports."""
    from scaffold.detect.style import EXTENSIONS, sample_files

    wanted = {dep: fw for dep, fw in FRAMEWORKS.by_dependency.items() if fw in names}
    used: set[str] = set()
    nested = nested_projects(ctx.view, folder)
    for path in sample_files(
        ctx.view,
        folder,
        EXTENSIONS["typescript"],
        limit=40,
        skip=lambda p: p.endswith("/test") or nested(p),
    ):
        text = ctx.view.read_sample(path)
        if text:
            for module in _IMPORT.findall(text):
                root = "/".join(module.split("/")[:2]) if module.startswith("@") else module
                root = root.split("/")[0] if not root.startswith("@") else root
                if root in wanted:
                    used.add(wanted[root])
    return sorted(used)
