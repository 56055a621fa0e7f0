"""Node.js: package.json, lockfiles and workspaces; JavaScript and TypeScript; Express, NestJS."""

from __future__ import annotations

from scaffold.ecosystems.base import ConfigKind, Ecosystem, framework_names

_JS = frozenset({"javascript", "typescript"})

# The names each tool reads its configuration from, in the order the tool looks for them.

PRETTIER_FILES = (
    ".prettierrc",
    ".prettierrc.json",
    ".prettierrc.yaml",
    ".prettierrc.yml",
    ".prettierrc.json5",
    ".prettierrc.js",
    ".prettierrc.cjs",
    ".prettierrc.mjs",
    ".prettierrc.ts",
    ".prettierrc.cts",
    ".prettierrc.mts",
    ".prettierrc.toml",
    "prettier.config.js",
    "prettier.config.cjs",
    "prettier.config.mjs",
    "prettier.config.ts",
    "prettier.config.cts",
    "prettier.config.mts",
)
ESLINT_FLAT = (
    "eslint.config.js",
    "eslint.config.mjs",
    "eslint.config.cjs",
    "eslint.config.ts",
    "eslint.config.mts",
    "eslint.config.cts",
)
ESLINT_LEGACY = (
    ".eslintrc.js",
    ".eslintrc.cjs",
    ".eslintrc.yaml",
    ".eslintrc.yml",
    ".eslintrc.json",
    ".eslintrc",
)

ECOSYSTEM = Ecosystem.built_in(
    "node",
    recipes=("scaffold.ecosystems.node.adopt", "scaffold.ecosystems.node.adopt_nestjs"),
    project_manifests=("package.json",),
    config_kinds=(
        ConfigKind("prettier", "Prettier", _JS, PRETTIER_FILES),
        # Read only where Prettier runs: a command run below it names it (--ignore-path).
        ConfigKind("prettierignore", "Prettier's ignore file", _JS, (".prettierignore",)),
        ConfigKind("eslint", "ESLint (flat config)", _JS, ESLINT_FLAT),
        ConfigKind("eslint-legacy", "ESLint (legacy config)", _JS, ESLINT_LEGACY),
        ConfigKind("biome", "Biome", _JS, ("biome.json", "biome.jsonc")),
    ),
    extensions={
        "javascript": (".js", ".mjs", ".cjs", ".jsx"),
        "typescript": (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx"),
    },
    language_aliases={
        "node.js": "javascript",
        "nodejs": "javascript",
        "node": "javascript",
        "javascript": "javascript",
        "typescript": "typescript",
    },
    framework_aliases=framework_names(
        "adonisjs angular astro connect electron elysia expo express fastify feathers gatsby"
        " grpc hapi hono koa lit nestjs nextjs nuxt preact react react-native remix restify"
        " sails solid svelte sveltekit trpc vue",
        {
            "next": "nextjs",
            "next.js": "nextjs",
            "nest": "nestjs",
            "nest.js": "nestjs",
            "nuxt.js": "nuxt",
            "nuxtjs": "nuxt",
            "svelte-kit": "sveltekit",
            "svelte kit": "sveltekit",
            "express.js": "express",
            "expressjs": "express",
            "react.js": "react",
            "reactjs": "react",
            "react native": "react-native",
            "vue.js": "vue",
            "vuejs": "vue",
            "solid-js": "solid",
            "solidjs": "solid",
            "adonis": "adonisjs",
            "feathersjs": "feathers",
            "sails.js": "sails",
            "koa.js": "koa",
            "hapi.js": "hapi",
            "fastify.js": "fastify",
            "grpc-js": "grpc",
            "connect-rpc": "connect",
            "connectrpc": "connect",
        },
    ),
    priority={"typescript": 16, "javascript": 17},
    families={
        "npm": "javascript",
        "yarn": "javascript",
        "pnpm": "javascript",
        "bun": "javascript",
        "typescript": "javascript",
    },
    stack_languages=_JS,
)
