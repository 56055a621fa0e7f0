"""Go: go.mod (module, direct requirements) and go.work (workspace ``use`` directives).

Every go.mod is its own module, nested or not; ``vendor/`` is noted, never scanned.
"""

from __future__ import annotations

import re

from scaffold.detect.base import APP, PLAIN, Candidate, Context, Detector, register
from scaffold.detect.choose import FrameworkTable, choose_framework
from scaffold.detect.paths import join, label, parent, resolve

_SERVERS = {
    "github.com/gin-gonic/gin": "gin",
    "github.com/labstack/echo": "echo",
    "github.com/go-chi/chi": "chi",
    "github.com/gofiber/fiber": "fiber",
    "github.com/gorilla/mux": "gorilla-mux",
    "github.com/beego/beego": "beego",
    "github.com/astaxie/beego": "beego",
    "github.com/gobuffalo/buffalo": "buffalo",
    "github.com/kataras/iris": "iris",
    "github.com/revel/revel": "revel",
    "github.com/zeromicro/go-zero": "go-zero",
    "github.com/cloudwego/hertz": "hertz",
    "github.com/go-kit/kit": "go-kit",
    "github.com/go-kratos/kratos": "kratos",
}
_RPC = {
    "google.golang.org/grpc": "grpc",
    "connectrpc.com/connect": "connect",
    "github.com/twitchtv/twirp": "twirp",
}

FRAMEWORKS = FrameworkTable(
    by_dependency={**_SERVERS, **_RPC},
    tiers=(frozenset(_SERVERS.values()), frozenset(_RPC.values())),
)

_MAJOR = re.compile(r"/v\d+$")

#: Folders of a module that show how to use it: their imports are not the module's own.
_SHOWCASES = ("_examples", "example", "examples", "demo", "demos", "sample", "samples")

#: Go files read, on each side, to see where a framework is imported.
_IMPORT_SAMPLE = 60


def _drop_example_frameworks(
    ctx: Context, cand: Candidate, found: dict[str, tuple[str, str]]
) -> None:
    """Leave out of ``found`` each framework that, in a module with an examples folder,
    only the examples import (a library whose go.mod requires a server for its examples
    is no server); the evidence says so."""
    from scaffold.detect.paths import nested_projects
    from scaffold.detect.style import sample_files

    view = ctx.view
    folder = cand.path
    showcases = [join(folder, name) for name in _SHOWCASES if view.is_dir(join(folder, name))]
    if not found or not showcases:
        return
    nested = nested_projects(view, folder)

    def imports(paths: list[str]) -> str:
        return "\n".join(text for p in paths if (text := view.read_sample(p)) is not None)

    own = imports(
        sample_files(
            view,
            folder,
            (".go",),
            limit=_IMPORT_SAMPLE,
            skip=lambda p: p in showcases or nested(p),
        )
    )
    shown = imports(
        [
            p
            for showcase in showcases
            for p in sample_files(view, showcase, (".go",), limit=_IMPORT_SAMPLE, skip=nested)
        ]
    )
    for framework, (file, requirement) in sorted(found.items()):
        quoted = f'"{requirement}'
        if quoted in shown and quoted not in own:
            del found[framework]
            where = ", ".join(f"{p.rpartition('/')[2]}/" for p in showcases)
            cand.note(
                "framework",
                file,
                f"requires {requirement}, but only its examples ({where}) import it: "
                "not its framework",
            )


def parse_go_mod(text: str) -> tuple[str | None, str | None, list[str]]:
    """``(module path, go version, direct requirements)``; ``// indirect`` ones are left out."""
    module = version = None
    requires: list[str] = []
    in_block = skipping = False
    for raw in text.splitlines():
        indirect = "// indirect" in raw
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if skipping:
            skipping = not line.startswith(")")
            continue
        if in_block:
            if line.startswith(")"):
                in_block = False
                continue
            if not indirect:
                requires.append(line.split()[0].strip('"'))
            continue
        words = line.split()
        keyword = words[0]
        if keyword == "module" and len(words) > 1:
            module = words[1].strip('"')
        elif keyword == "go" and len(words) > 1:
            version = words[1]
        elif keyword == "require":
            if len(words) > 1 and words[1] == "(":
                in_block = True
            elif len(words) > 1 and not indirect:
                requires.append(words[1].strip('"'))
        elif line.endswith("("):
            skipping = True  # a replace, exclude, retract, tool or godebug block
    return module, version, requires


def parse_go_work(text: str) -> list[str]:
    """The folders of a go.work's ``use`` directives (single and block form)."""
    uses: list[str] = []
    in_use = False
    in_other = False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if in_use or in_other:
            if line.startswith(")"):
                in_use = in_other = False
            elif in_use:
                uses.append(line.strip('"'))
            continue
        words = line.split()
        if words[0] == "use":
            if len(words) > 1 and words[1] == "(":
                in_use = True
            elif len(words) > 1:
                uses.append(words[1].strip('"'))
        elif line.endswith("("):
            in_other = True
    return uses


@register
class GoDetector(Detector):
    """Go modules (go.mod) and workspaces (go.work)."""

    name = "go"
    manifests = ("go.mod", "go.work")

    def detect(self, ctx: Context) -> list[Candidate]:
        view = ctx.view
        mods = {parent(p): p for p in view.named("go.mod") if not view.excluded(p)}
        works = {parent(p): p for p in view.named("go.work") if not view.excluded(p)}
        candidates = []
        for folder in sorted(set(mods) | set(works)):
            cand = Candidate(path=folder, language="go", manifest="", weight=PLAIN)
            cand.build_tool = "go"
            if folder in mods and not self._module(ctx, cand, mods[folder]):
                continue
            if folder in works:
                self._work(ctx, cand, works[folder], mods)
            candidates.append(cand)
        return candidates

    def _module(self, ctx: Context, cand: Candidate, path: str) -> bool:
        text = ctx.text(path)
        if text is None:
            return False
        module, version, requires = parse_go_mod(text)
        folder = cand.path
        cand.manifest = path
        cand.weight = APP
        if module is None:
            ctx.warn(path, "no module directive")
            cand.note("language", path, "go.mod (no module directive)")
        else:
            detail = f"module {module}" + (f", go {version}" if version else "")
            cand.note("language", path, detail)
        cand.summary = "go.mod"
        cand.note("build_tool", path, "go.mod")
        found: dict[str, tuple[str, str]] = {}
        for requirement in requires:
            framework = FRAMEWORKS.lookup(_MAJOR.sub("", requirement))
            if framework is not None:
                found.setdefault(framework, (path, requirement))
        _drop_example_frameworks(ctx, cand, found)
        choose_framework(ctx, cand, FRAMEWORKS, found)
        view = ctx.view
        vendored = join(folder, "vendor")
        if view.has_folder(vendored):
            cand.note("build_tool", vendored, "dependencies vendored in vendor/ (not scanned)")
        self._layout(ctx, cand)
        return True

    def _layout(self, ctx: Context, cand: Candidate) -> None:
        view = ctx.view
        folder = cand.path
        commands = []
        cmd = join(folder, "cmd")
        dirs, names = view.children(cmd) if view.is_dir(cmd) else ([], [])
        for name in dirs:
            _, files = view.children(join(cmd, name))
            if any(f.endswith(".go") and not f.endswith("_test.go") for f in files):
                commands.append(f"cmd/{name}")
        if any(n.endswith(".go") for n in names):
            commands.append("cmd")
        root_main = view.exists(join(folder, "main.go"))
        if commands:
            detail = f"{len(commands)} command(s) under cmd/: {', '.join(commands)}"
            if not root_main:
                detail += "; no main package at the module root"
            cand.note("source_dirs", join(folder, "cmd"), detail)
        elif root_main:
            cand.note("source_dirs", join(folder, "main.go"), "main package at the module root")

    def _work(self, ctx: Context, cand: Candidate, path: str, mods: dict[str, str]) -> None:
        text = ctx.text(path)
        if text is None:
            return
        folder = cand.path
        members = []
        for use in parse_go_work(text):
            member = resolve(folder, use)
            if member is None:
                ctx.warn(path, f"use {use}: outside the repository")
            elif member not in mods:
                ctx.warn(path, f"use {use}: no go.mod in {label(member)}")
            elif member != folder:
                members.append(member)
        if not cand.manifest:
            cand.manifest = path
            cand.summary = "go.work"
            cand.note("language", path, "go.work")
        cand.set_workspace("go", members, path, "go.work with {count} modules")
