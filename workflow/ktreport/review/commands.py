"""The authors' and reviewers' commands of ``ktreport`` (registered by ``ktreport.cli``):
``preview`` (the live page) and ``comments`` (a reviewed Word copy, back at its lines)."""

from __future__ import annotations

import contextlib
import json
import traceback
from collections.abc import Iterator
from pathlib import Path

import typer

from ktreport import catalog
from ktreport.core.errors import KtreportError


def _say(line: str) -> None:
    typer.echo(line, err=True)


@contextlib.contextmanager
def _stops(command: str, interrupted: str) -> Iterator[None]:
    """An error is its message and exit 1, Ctrl-C ``interrupted`` and 130, a bug a short
    message (the traceback in logs/ktreport-COMMAND-error.log) and 2."""
    try:
        yield
    except KtreportError as error:
        _say(f"Error: {error}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _say(interrupted)
        raise typer.Exit(130) from None
    except Exception as error:  # a bug: a short message here, the traceback in a log
        log = catalog.LOGS / f"ktreport-{command}-error.log"
        with contextlib.suppress(OSError):
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), encoding="utf-8")
        _say(
            f"ktreport {command} stopped on an internal error ({type(error).__name__}); see {log}."
        )
        raise typer.Exit(2) from None


def preview(
    port: int = typer.Option(8765, "--port", help="Port on 127.0.0.1 (0: any free port)."),
    update: bool = typer.Option(
        True, "--update/--no-update", help="Bring data and figures up to date first (Snakemake)."
    ),
) -> None:
    """Serve the report on 127.0.0.1 and reload it on every edit (no PDF, no publishing)."""
    from ktreport.run import preview as previewing

    with _stops("preview", "Preview stopped."):
        previewing.serve_preview(Path.cwd(), port=port, update=update, progress=_say)


def comments(
    reviewed: str = typer.Argument(..., help="The reviewed Word file (.docx)."),
    out: str = typer.Option("", "--out", help="Folder for comments.html and comments.json."),
    reference: str = typer.Option(
        "", "--reference", help="The review copy as sent (default: report/output's)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the remarks as JSON."),
) -> None:
    """Every comment and tracked change of a reviewed copy, at its chapter template line."""
    from ktreport.review.comments_page import collect_comments

    with _stops("comments", "Interrupted."):
        run = collect_comments(
            Path(reviewed),
            Path.cwd(),
            out=Path(out) if out else None,
            reference=Path(reference) if reference else None,
        )
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in run.remarks], indent=1, ensure_ascii=False))
        return
    typer.echo(run.summary_line())
    for remark in run.unplaced:
        typer.echo(
            f"  not placed: {remark.kind} by {remark.author or 'unknown'}: {remark.text[:60]}"
        )
    typer.echo(f"  {run.html}\n  {run.json}")


def register(app: typer.Typer) -> None:
    app.command()(preview)
    app.command()(comments)
