"""The node-express stack: its files and its contract."""

from __future__ import annotations

from tests.ecosystems.contract import BadAnswer, StackContract

STACK = "node-express"

TOP_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".env.example",
    ".gitignore",
    ".prettierignore",
    ".prettierrc.json",
    "AGENTS.md",
    "Dockerfile",
    "README.md",
    "eslint.config.js",
    "package.json",
    "tsconfig.build.json",
    "tsconfig.json",
    "src/app.ts",
    "src/config.ts",
    "src/errors.ts",
    "src/logger.ts",
    "src/main.ts",
    "src/server.ts",
    "src/validation.ts",
    "src/middleware/errors.ts",
    "src/middleware/request-logger.ts",
    "src/storage/item-store.ts",
    "src/storage/memory-item-store.ts",
    "test/config.test.ts",
    "test/health.test.ts",
    "test/item-service.test.ts",
    "test/items.test.ts",
    "test/server.test.ts",
    "test/support.ts",
}
# The files in each layout folder, under src/.
LAYOUT_FILES = {
    "routes_dir": ("health.ts", "items.ts"),
    "controllers_dir": ("health.ts", "items.ts"),
    "models_dir": ("item.ts",),
    "services_dir": ("item-service.ts",),
}
DEFAULT_LAYOUT = {
    "routes_dir": "routes",
    "controllers_dir": "controllers",
    "models_dir": "models",
    "services_dir": "services",
}
LAYOUT_KEYS = tuple(DEFAULT_LAYOUT)


def expected_files(**layout: str) -> set[str]:
    folders = DEFAULT_LAYOUT | layout
    return TOP_FILES | {
        f"src/{folders[key]}/{name}" for key, names in LAYOUT_FILES.items() for name in names
    }


BAD_ANSWERS: tuple[BadAnswer, ...] = (
    (["{dir}", "--data", "project_name=../x"], "project_name='../x': must start with a lowercase letter"),
    (["{dir}", "--data", "project_name=Bad Name"], "project_name='Bad Name': must start with a lowercase letter"),
    (["{dir}", "--data", "project_name=x; rm -rf /"], "project_name='x; rm -rf /': may hold only lowercase letters, digits and hyphens"),
    (["{dir}", "--data", "project_name="], "project_name='': must not be empty"),
    (["{dir}/Bad Name"], "project_name='Bad Name' (from the folder name; pass --data project_name=NAME): must start with a lowercase letter"),
    (["{dir}", "--data", "routes_dir=../x"], "routes_dir='../x': must stay inside src/: no . or .. folders"),
    (["{dir}", "--data", "controllers_dir=/abs"], "controllers_dir='/abs': must be a folder path relative to src/, with no leading or trailing /"),
    (["{dir}", "--data", "models_dir=a//b"], "models_dir='a//b': must not hold an empty folder name (//)"),
    (["{dir}", "--data", "services_dir=Bad"], "services_dir='Bad': use lowercase letters, digits, underscores and hyphens, with / between folders"),
    (["{dir}", "--data", "routes_dir=controllers"], "routes_dir='controllers': must not be, hold or lie inside controllers_dir (controllers)"),
    (["{dir}", "--data", "node_version=21"], "node_version='21': use a Node.js LTS major version: 20, 22 or 24"),
    (["{dir}", "--data", "description=two\nlines"], "description='two\\nlines': must be a single line"),
    (["{dir}", "--data", "package=x"], "unknown answer 'package' for this stack"),
)  # fmt: skip

NODE_EXPRESS = StackContract(
    stack=STACK,
    summary_part="Express 5",
    language="typescript",
    framework="express",
    files=lambda _name: expected_files(),
    dry_run_name="inventory",
    dry_run_answers={
        "author": "",
        "description": "An HTTP service written in TypeScript with Express.",
        "node_version": "20",
        "project_name": "inventory",
        **DEFAULT_LAYOUT,
    },
    next_steps=(
        "cd inventory",
        "npm install",
        "npm test",
        "npm run dev   # listens on http://127.0.0.1:8080",
    ),
    tree_line="│   ├── controllers/",
    marker="package.json",
    messages_are_prefixes=True,
    bad_answers=BAD_ANSWERS,
    accepted=(
        ("project_name", "my-service"),
        ("project_name", "a1"),
        ("description", ""),
        ("description", 'Quotes " and \\ backslashes'),
        ("author", "Ada <ada@example.com>"),
        ("node_version", "24"),
        ("routes_dir", "api"),
        ("routes_dir", "http/routes"),
        ("controllers_dir", "handlers"),
        ("controllers_dir", "web/handlers_v2"),
        ("models_dir", "entities"),
        ("models_dir", "a/b/c"),
        ("services_dir", "use-cases"),
        ("services_dir", "config"),
    ),
    refused=(
        ("project_name", "", "must not be empty"),
        ("project_name", "a/b", "may hold only lowercase"),
        ("project_name", "{{x}}", "must start with a lowercase letter"),
        ("project_name", "trailing-", "must not end with a hyphen"),
        ("description", "tab\there", "must not hold control characters"),
        ("author", "two\nlines", "must be a single line"),
        ("node_version", "20.1", "use a Node.js LTS major version"),
        ("node_version", "18", "use a Node.js LTS major version"),
        ("routes_dir", "", "must not be empty"),
        ("routes_dir", "..", "no . or .. folders"),
        ("routes_dir", "a/./b", "no . or .. folders"),
        ("routes_dir", "abs/", "no leading or trailing /"),
        ("routes_dir", "a b", "use lowercase letters"),
        ("routes_dir", "a.b", "use lowercase letters"),
        ("routes_dir", "{{x}}", "use lowercase letters"),
        ("routes_dir", "a\\b", "use lowercase letters"),
        ("controllers_dir", "_private", "start each folder name with a lowercase letter"),
        ("controllers_dir", "v1/2x", "start each folder name with a lowercase letter"),
        ("models_dir", "a/b/c/d", "use at most 3 folders"),
        ("models_dir", "m" * 41, "must be at most 40 characters"),
        ("services_dir", "middleware", "src/middleware/ holds the template's own code"),
        ("services_dir", "storage/items", "src/storage/ holds the template's own code"),
        ("services_dir", "models/services", "must not be, hold or lie inside models_dir (models)"),
    ),
    copier_refused=(
        ("project_name", "../x"),
        ("routes_dir", "../x"),
        ("models_dir", "Bad"),
        ("node_version", "19"),
        ("routes_dir", "controllers"),  # checked against controllers_dir's default, asked later
    ),
    default_layout=DEFAULT_LAYOUT,
)

CONTRACTS = (NODE_EXPRESS,)
