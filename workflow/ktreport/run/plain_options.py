"""Outside the DAG: ``ktreport build``'s options read without typer.

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
        name, equals, value = word.partition("=")
        if word in flags:
            options[flags[word]] = True
        elif word in valued and rest and not rest[0].startswith("-"):
            options[valued[word]] = rest.pop(0)
        elif equals and name in valued and value:
            options[valued[name]] = value
        else:
            return None
    return options
