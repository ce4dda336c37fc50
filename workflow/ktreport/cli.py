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


@app.command()
def template(
    partner_id: str = typer.Argument(..., help="Partner id as in partners.csv, e.g. UNIBO."),
    out: str = typer.Option(
        "", "--out", help="File to write (default: <PARTNER_ID>_template.xlsx in this folder)."
    ),
    raw_dir: str = typer.Option(
        "data/raw", "--raw-dir", help="Folder with partners.csv and skills_taxonomy.csv."
    ),
) -> None:
    """Write a partner's spreadsheet template: dropdowns, hints, skills and help sheets."""
    from pathlib import Path

    from ktreport import xlsx_template

    raw = Path(raw_dir)
    partners_path = raw / "partners.csv"
    target = Path(out) if out else None
    try:
        partner = xlsx_template.find_partner(partner_id, xlsx_template.read_partners(partners_path))
        if target is None:
            target = xlsx_template.default_output(partner.partner_id, Path.cwd(), raw)
        written = xlsx_template.write_template(
            partner.partner_id, target, raw / "skills_taxonomy.csv", partners_path
        )
    except xlsx_template.TemplateError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    except OSError as error:
        typer.echo(f"Error: could not write {target}: {error.strerror}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote {written} (the template of {partner.partner_id}, {partner.name}).")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
