"""Every other ecosystem scaffold recognises but has no stack for: .NET, Ruby, PHP, Elixir,
Erlang, Swift, Dart, Haskell, C and C++, and settings any project may have (pre-commit)."""

from __future__ import annotations

from scaffold.ecosystems.base import ConfigKind, Ecosystem, framework_names

_NATIVE = frozenset({"c", "cpp"})
_RUBY = frozenset({"ruby"})
_PHP = frozenset({"php"})
_ELIXIR = frozenset({"elixir"})
_SWIFT = frozenset({"swift"})

ECOSYSTEM = Ecosystem(
    name="others",
    detectors=("scaffold.ecosystems.others.detect",),
    config_kinds=(
        ConfigKind("rubocop", "RuboCop", _RUBY, (".rubocop.yml",)),
        ConfigKind("standardrb", "Standard Ruby", _RUBY, (".standard.yml",)),
        ConfigKind(
            "php-cs-fixer", "PHP CS Fixer", _PHP, (".php-cs-fixer.php", ".php-cs-fixer.dist.php")
        ),
        ConfigKind("phpcs", "PHP_CodeSniffer", _PHP, ("phpcs.xml", "phpcs.xml.dist")),
        ConfigKind("phpstan", "PHPStan", _PHP, ("phpstan.neon", "phpstan.neon.dist")),
        ConfigKind("credo", "Credo", _ELIXIR, (".credo.exs",)),
        ConfigKind("mix-format", "mix format", _ELIXIR, (".formatter.exs",)),
        ConfigKind("stylecop", "StyleCop", frozenset({"csharp"}), ("stylecop.json",)),
        ConfigKind("swiftlint", "SwiftLint", _SWIFT, (".swiftlint.yml",)),
        ConfigKind("swiftformat", "SwiftFormat", _SWIFT, (".swiftformat",)),
        ConfigKind(
            "dart-analysis", "dart analyze", frozenset({"dart"}), ("analysis_options.yaml",)
        ),
        ConfigKind("clang-format", "clang-format", _NATIVE, (".clang-format",)),
        ConfigKind("clang-tidy", "clang-tidy", _NATIVE, (".clang-tidy",)),
        ConfigKind("pre-commit", "pre-commit", None, (".pre-commit-config.yaml",)),
    ),
    extensions={
        "csharp": (".cs",),
        "fsharp": (".fs",),
        "ruby": (".rb",),
        "php": (".php",),
        "elixir": (".ex", ".exs"),
        "erlang": (".erl",),
        "swift": (".swift",),
        "dart": (".dart",),
        "haskell": (".hs",),
        "c": (".c", ".h"),
        "cpp": (".cpp", ".cc", ".cxx", ".hpp", ".hh", ".h"),
        "zig": (".zig",),
        "ocaml": (".ml",),
        "julia": (".jl",),
    },
    language_aliases={
        "c#": "csharp",
        ".net": "csharp",
        "ruby": "ruby",
        "php": "php",
        "elixir": "elixir",
    },
    framework_aliases=framework_names(
        "akka-http aspnet-core cakephp codeigniter cowboy dart-frog dream flutter fresh genie"
        " grape hanami hono http4s hummingbird laminas laravel lumen oxygen phoenix play plug"
        " rails roda shelf sinatra slim symfony vapor yii zio-http",
        {
            "ruby on rails": "rails",
            "asp.net core": "aspnet-core",
            "asp.net": "aspnet-core",
            "aspnetcore": "aspnet-core",
            "play framework": "play",
            "yii2": "yii",
            "dart frog": "dart-frog",
            "akka http": "akka-http",
        },
    ),
    priority={
        "csharp": 6,
        "fsharp": 7,
        "ruby": 9,
        "php": 10,
        "elixir": 11,
        "erlang": 12,
        "haskell": 13,
        "swift": 14,
        "dart": 15,
    },
    families={
        "dotnet": "dotnet",
        "csharp": "dotnet",
        "fsharp": "dotnet",
        "vb": "dotnet",
        "mix": "elixir",
    },
)
