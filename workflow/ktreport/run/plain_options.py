"""Outside the DAG: the options of ``ktreport build`` and ``ktreport validate`` read
without typer.

typer's parsing of the options imports pydantic, a third of a no-op build's own cost
(issue 16 §1), so the command line reads the build's plain options itself and leaves
everything else (``--help``, a mistake) to typer, which explains it.
"""

from __future__ import annotations


def plain_build_options(argv: list[str]) -> dict[str, object] | None:
    """The options of ``ktreport build`` when ``argv`` is that command with only its plain
    options (``--cores N``, ``--profile P``, ``--dry-run``/``-n``, ``--wait``,
    ``--release``), else None.
    The command line then calls the command directly: typer's parsing of the options
    imports pydantic, a third of a no-op build's own cost (issue 16 §1). Anything else
    (``--help``, a mistake) goes through typer, which explains it."""
    if not argv or argv[0] != "build":
        return None
    options: dict[str, object] = {"cores": "all", "dry_run": False, "wait": False}
    options.update(release=False, profile="")
    flags = {"--dry-run": "dry_run", "-n": "dry_run", "--wait": "wait", "--release": "release"}
    valued = {"--cores": "cores", "--profile": "profile"}
    rest = list(argv[1:])
    while rest:
        word = rest.pop(0)
        if word in flags:
            options[flags[word]] = True
        elif not _took_valued(word, rest, valued, options):
            return None
    return options


def _took_valued(
    word: str, rest: list[str], valued: dict[str, str], options: dict[str, object]
) -> bool:
    """``--name V`` (V taken from ``rest``) or ``--name=V`` of an option in ``valued`` put
    into ``options``; False when ``word`` is neither."""
    name, equals, value = word.partition("=")
    if word in valued and rest and not rest[0].startswith("-"):
        options[valued[word]] = rest.pop(0)
    elif equals and name in valued and value:
        options[valued[name]] = value
    else:
        return False
    return True


def plain_validate_options(argv: list[str], raw_dir: str) -> dict[str, object] | None:
    """The arguments of ``ktreport validate`` when ``argv`` is that command with only
    files or folders and its plain options (``--raw-dir D``, default ``raw_dir``;
    ``--html F``), else None.
    typer's parsing costs 0.2-0.3 s of the sample's 1.5 s validation (issue 16); anything
    else (``--help``, a mistake) goes through typer, which explains it."""
    if not argv or argv[0] != "validate":
        return None
    options: dict[str, object] = {"paths": [], "raw_dir": raw_dir, "html": ""}
    valued = {"--raw-dir": "raw_dir", "--html": "html"}
    rest = list(argv[1:])
    while rest:
        word = rest.pop(0)
        if _took_valued(word, rest, valued, options):
            continue
        if word.startswith("-") or not word:
            return None
        options["paths"].append(word)  # type: ignore[union-attr]
    return options


def plain_command(argv: list[str], raw_dir: str) -> tuple[str, dict[str, object]] | None:
    """(command, its arguments) when ``argv`` is ``build`` or ``validate`` with only plain
    options, else None (typer parses it)."""
    if (options := plain_build_options(argv)) is not None:
        return "build", options
    if (options := plain_validate_options(argv, raw_dir)) is not None:
        return "validate", options
    return None
