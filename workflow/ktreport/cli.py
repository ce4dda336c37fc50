"""The ``ktreport`` command: the only place (with the rule scripts) that prints or exits.

Each command imports its module lazily so that ``ktreport validate`` stays quick.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Build, check and compare the KT Skills Investigation Report.",
)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
