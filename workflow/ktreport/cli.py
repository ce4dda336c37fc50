"""The ``ktreport`` command: the only place (with the rule scripts) that prints or exits.

Each command imports its module lazily so that ``ktreport validate`` stays quick (the
catalog and the exception root are standard library only).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import typer

from ktreport import catalog
from ktreport.core.errors import KtreportError
from ktreport.core.faults import environment_fault
from ktreport.core.safe import printable
from ktreport.core.shutdown import skip_last_collections
from ktreport.review import commands as cli_review

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Build, check and compare the KT Skills Investigation Report.",
)
cli_review.register(app)  # preview, comments (ktreport.review.commands)


# The default folder of the partner data, as the options show it.
RAW = str(catalog.RAW)


def _echo(text: str = "", err: bool = False) -> None:
    """Everything ktreport prints: control characters (ESC, …) shown escaped, so that no
    text from a partner file can drive the terminal (``core.safe.printable``)."""
    typer.echo(printable(text), err=err)


def _say(line: str) -> None:
    _echo(line, err=True)


STOPPED = (
    "ktreport {command} stopped on an internal error ({error}); {where}. "
    "Please send that file to the maintainers."
)


def _internal_error(command: str, log: Path, message: str = STOPPED) -> typer.Exit:
    """A bug, not bad input: the traceback goes to ``log``, a short message here (call it
    in an ``except`` block)."""
    import traceback

    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"the details are in {log}"
    except OSError:
        where = "the details could not be written to logs/"
    error = type(sys.exc_info()[1]).__name__
    _say(message.format(command=command, error=error, where=where, log=log))
    return typer.Exit(2)


@contextlib.contextmanager
def _stops(code: int, interrupted: str, bug: Callable[[], typer.Exit]) -> Iterator[None]:
    """A command's errors as exit codes: a ``KtreportError`` is its message and ``code``,
    Ctrl-C is ``interrupted`` and 130, anything else a bug (``bug()`` says so)."""
    try:
        yield
    except KtreportError as error:
        _say(f"Error: {error}")
        raise typer.Exit(code) from None
    except KeyboardInterrupt:
        _say(interrupted)
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as error:  # a bug: a short message here, the traceback in a log
        fault = environment_fault(error)
        if fault is None:
            raise bug() from None
        _say(f"Error: {fault}")  # a fault of the computer (full disk, …): no traceback
        raise typer.Exit(code) from None


@app.command()
def template(
    partner_id: str = typer.Argument(..., help="Partner id as in partners.csv, e.g. UNIBO."),
    out: str = typer.Option(
        "", "--out", help="File to write (default: <PARTNER_ID>_template.xlsx in this folder)."
    ),
    raw_dir: str = typer.Option(
        RAW, "--raw-dir", help="Folder with partners.csv and skills_taxonomy.csv."
    ),
) -> None:
    """Write a partner's spreadsheet template: dropdowns, hints, skills and help sheets."""
    from ktreport.partners import xlsx_template

    raw = Path(raw_dir)
    partners_path = raw / catalog.PARTNERS_FILE
    target = Path(out) if out else None
    try:
        partner = xlsx_template.find_partner(partner_id, xlsx_template.read_partners(partners_path))
        if target is None:
            target = xlsx_template.default_output(partner.partner_id, Path.cwd(), raw)
        written = xlsx_template.write_template(
            partner.partner_id, target, raw / catalog.TAXONOMY_FILE, partners_path
        )
    except xlsx_template.TemplateError as error:
        _echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    except OSError as error:
        _echo(f"Error: could not write {target}: {error.strerror}.", err=True)
        raise typer.Exit(1) from None
    _echo(f"Wrote {written} (the template of {partner.partner_id}, {partner.name}).")


@app.command()
def diff(
    old: str = typer.Argument(
        None, help="Old version: tag, branch, commit or built folder (default: the latest tag)."
    ),
    new: str = typer.Argument(
        None, help="New version: tag, branch, commit or built folder (default: the working tree)."
    ),
    out: str = typer.Option(
        "", "--out", help="Folder to write (default: report/output/diff/<OLD>..<NEW>/)."
    ),
    fail_on_change: bool = typer.Option(
        False, "--fail-on-change", help="Exit with 1 when anything changed (for CI)."
    ),
    cores: str = typer.Option("all", "--cores", help="Cores for each build (Snakemake --cores)."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Build again even when cached."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also write changes.pdf."),
) -> None:
    """Tracked changes between two versions: numbers, text, figures and partner data rows."""
    from ktreport.review import diff as diff_module

    cwd = Path.cwd()
    log = cwd / catalog.CACHE / "logs" / "diff-error.log"
    failed = "Error: ktreport diff failed unexpectedly; details are in {log}"
    with _stops(2, "Interrupted.", lambda: _internal_error("diff", log, failed)):
        run = diff_module.diff_versions(
            old,
            new,
            cwd,
            out=Path(out) if out else None,
            cores=cores,
            pdf=pdf,
            rebuild=rebuild,
            progress=_say,
        )
    _echo(run.summary_line())
    for path in (run.written.html, run.written.pdf, run.written.json):
        if path is not None:
            _echo(f"  {path}")
    if fail_on_change and run.changes.anything_changed:
        raise typer.Exit(1)


@app.command()
def validate(
    paths: list[str] = typer.Argument(  # noqa: B008 - typer declares arguments this way
        None, help="Partner files or folders to check (default: every file of --raw-dir)."
    ),
    raw_dir: str = typer.Option(
        RAW, "--raw-dir", help="Folder of the partner data (partners.csv, tables)."
    ),
    html: str = typer.Option("", "--html", help="Also write a readable HTML report here."),
) -> None:
    """Check the partner files and list every problem at once (exit 1 when any is an error)."""
    result = _check_data([Path(p) for p in paths or []] or None, Path(raw_dir), html)
    raise typer.Exit(0 if result.ok else 1)


def _check_data(paths: list[Path] | None, raw_dir: Path, html: str):
    """Validate and print every problem (and the summary); the ``ValidationResult``."""
    try:
        from ktreport import ingest as validation

        result = validation.validate_raw(raw_dir, paths, overlap=True)
        report_problem = ""
        if html:
            try:
                from ktreport.partners import validation_report
            except ImportError:
                report_problem = "the HTML validation report is not available in this version"
            else:
                validation_report.write_html(result, Path(html))
    except Exception as error:  # a bug, not bad data: short message, the traceback in the log
        fault = environment_fault(error, where=html or None)
        if fault is None:
            raise _internal_error("validate", catalog.VALIDATE_LOG) from None
        _say(f"Error: {fault}")  # unreadable file, full disk, …: one line, no traceback
        raise typer.Exit(2) from None
    if sys.stdout.isatty():
        _print_problems(result)
    else:
        text = validation.format_problems(result.problems)
        if text:
            _echo(text + "\n")
        _echo(validation.summary_line(result))
    if report_problem:
        _say(f"Note: {report_problem}.")
    elif html:
        _echo(f"The report for partners: {html}")
    return result


def _print_problems(result) -> None:  # result: ktreport.ingest.validate's result
    """The problems of ``validate`` on a terminal: grouped by file, errors in red."""
    from rich.console import Console

    from ktreport.ingest.messages import terminal_lines

    console = Console(highlight=False, soft_wrap=True)
    for line in terminal_lines(result):
        console.print(line)


@app.command()
def synth(
    out: str = typer.Option(..., "--out", help="Folder to write the raw-data files into."),
    scale: int = typer.Option(
        0, "--scale", help="Size as a multiple of the sample (30 case studies, 60 interviews)."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed: same seed, same files."),
    sample: bool = typer.Option(
        False, "--sample", help="Write the curated SAMPLE data of data/raw/ instead."
    ),
    force: bool = typer.Option(
        False, "--force", help="Write into a folder that is not empty (replaces partner files)."
    ),
) -> None:
    """Write synthetic partner data N times the sample's size (for performance tests)."""
    from ktreport.tools import synth as synth_data

    target = Path(out)
    if not sample and scale < 1:
        _echo("Error: give --scale N (1 or more) or --sample.", err=True)
        raise typer.Exit(2)
    if not force and not synth_data.output_is_safe(target):
        _say(
            f"Error: {target} exists and is not empty; choose a new folder or add --force "
            "to replace its partner files."
        )
        raise typer.Exit(1)
    try:
        if sample:
            synth_data.write_sample(target)
        else:
            synth_data.write_synthetic(target, scale, seed)
    except OSError as error:
        _echo(f"Error: could not write {target}: {error.strerror}.", err=True)
        raise typer.Exit(1) from None
    what = "the SAMPLE data" if sample else f"synthetic data (scale {scale}, seed {seed})"
    _echo(f"Wrote {what} to {target}.")


@app.command("key-figures")
def key_figures_command(
    contains: str = typer.Argument("", help="Show only names containing this, e.g. gap."),
    path: str = typer.Option(
        str(catalog.KEY_FIGURES), "--file", help="The key figures of the last build."
    ),
) -> None:
    """List the key figures a chapter can use ({{ kf.NAME }}): value, n, definition."""
    import json

    source = Path(path)
    if not source.exists():
        _echo(f"Error: {source} does not exist yet; build first (make report).", err=True)
        raise typer.Exit(1)
    figures = json.loads(source.read_text(encoding="utf-8"))
    for name, figure in figures.items():
        if contains.lower() in name.lower():
            n = "" if figure["n"] is None else f"  n={figure['n']}"
            of = "" if figure["denominator"] is None else f"/{figure['denominator']}"
            _echo(f"{name} = {figure['value']}{n}{of}  ({figure['definition']})")


@app.command("build-info")
def build_info_command(
    as_json: bool = typer.Option(False, "--json", help="Print everything as JSON."),
    raw_dir: str = typer.Option(RAW, "--raw-dir", help="Folder of the raw data files."),
) -> None:
    """What this version of the report is made of: version, commit date, data fingerprint,
    raw files (partner, rows, sha256) and tool versions, as the title page and annex show."""
    import json

    from ktreport.core import provenance

    info = provenance.project_build_info(Path.cwd(), Path(raw_dir))
    text = json.dumps(info, indent=1, sort_keys=True) if as_json else provenance.info_text(info)
    _echo(text)


@app.command()
def dictionary(
    out: str = typer.Option("docs/data-dictionary.md", "--out", help="File to write."),
    raw_dir: str = typer.Option(
        RAW, "--raw-dir", help="Folder with skills_taxonomy.csv (listed at the end)."
    ),
    check: bool = typer.Option(False, "--check", help="Only check that --out is up to date."),
) -> None:
    """Write the data dictionary for partners, generated from the data contract."""
    from ktreport.partners import dictionary as data_dictionary

    text = data_dictionary.render_dictionary(Path(raw_dir) / catalog.TAXONOMY_FILE)
    target = Path(out)
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            _echo(f"{target} is out of date: run `ktreport dictionary`.", err=True)
            raise typer.Exit(1)
        _echo(f"{target} is up to date.")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    _echo(f"Wrote {target}.")


@app.command()
def build(
    cores: str = typer.Option("all", "--cores", help="CPU cores to use: a number or 'all'."),
    dry_run: bool = typer.Option(
        False, "--dry-run", "-n", help="Check and show what would be built; build nothing."
    ),
    wait: bool = typer.Option(
        False, "--wait", help="If another build is running here, wait for it to finish."
    ),
    release: bool = typer.Option(False, "--release", help="Build the release (clean, at a tag)."),
    profile: str = typer.Option("", "--profile", help="A Snakemake profile: slurm, or a path."),
) -> None:
    """Build the report: check config and data, run the pipeline, say where the report is."""
    from ktreport.run import build as building
    from ktreport.run import profiles, uptodate

    root = Path.cwd()
    interrupted = "Interrupted. The previous report in report/output/ is unchanged."
    bug_log = catalog.LOGS / "ktreport-build-error.log"
    with _stops(1, interrupted, lambda: _internal_error("build", bug_log)):
        problems = building.project_problems(root)
        for problem in problems:
            _say(f"Error: {problem}")
        if problems:
            raise typer.Exit(1)
        chosen = profiles.choose(root, profile, say=_say) if profile else None
        with building.BuildLock(root, wait=wait):
            options = {"dry_run": dry_run, "release": release, "profile": chosen}
            outcome = building.answered_without_snakemake(root, **options)
            if outcome is not None:
                _say(uptodate.UNCHANGED)
            else:
                _validate_before_building(root)
                _say(f"Building the report (Snakemake's output: {catalog.BUILD_LOG}) ...")
                outcome = building.build_report(root, cores=cores, progress=_say, **options)
    if not outcome.ok:
        _say(f"Error: {outcome.message}")
        _say("The report was not built; the previous report in report/output/ is unchanged.")
        raise typer.Exit(1)
    if dry_run:
        _echo("Dry run: nothing was built.")
        return
    if outcome.nothing_to_do:
        _echo("The report is up to date.")
    _echo("The report:")
    for path in outcome.published:
        _echo(f"  {path.as_posix()}")


def _validate_before_building(root: Path) -> None:
    """``ktreport validate`` of data/raw/ unless it passed on the same content and code."""
    from ktreport.run import checked

    if not checked.validate_unless_unchanged(
        root, lambda: _check_data(None, catalog.RAW, ""), _say
    ):
        raise typer.Exit(1)


def main() -> None:
    from ktreport.run.plain_options import plain_command

    skip_last_collections()
    found = plain_command(sys.argv[1:], RAW)  # without typer's parsing (pydantic): quicker
    try:
        {"build": build, "validate": validate}[found[0]](**found[1]) if found else app()
    except typer.Exit as done:
        sys.exit(done.exit_code)


if __name__ == "__main__":
    main()
