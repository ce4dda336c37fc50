"""Tests of make bench's logic (ktreport.tools.bench) on tiny inputs; no timing is asserted."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ktreport.tools import bench
from ktreport.tools.bench import Measurement

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bench"
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "workflow" / "scripts" / "bench.py"


def _copy(case: str, tmp_path: Path) -> Path:
    target = tmp_path / case
    shutil.copytree(FIXTURES / case, target)
    return target


def _rows(path: Path, delimiter: str) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


# --------------------------------------------------------------------------- options
def test_scales_are_parsed_in_order_once_each():
    assert bench.parse_scales("1,10,100") == [1, 10, 100]
    assert bench.parse_scales(" 10, 1,10 ,") == [10, 1]


@pytest.mark.parametrize("text", ["0", "x", "1,-2", "", " , "])
def test_a_bad_scale_is_a_sentence_naming_it(text):
    with pytest.raises(bench.BenchProblem, match="--scales"):
        bench.parse_scales(text)


def test_bad_scales_end_the_script_with_a_message_not_a_traceback():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--scales", "1,ten"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "'ten' is not a whole number" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- running
def test_run_measured_reports_exit_code_and_output():
    run = bench.run_measured(
        [sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); exit(3)"],
        cwd=Path.cwd(),
    )
    assert run.returncode == 3
    assert "out" in run.output and "err" in run.output


def test_peak_rss_counts_the_largest_descendant_not_only_the_child():
    # The child stays small; the grandchild it waits for holds 200 MiB.
    grandchild = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    run = bench.run_measured([sys.executable, "-c", child], cwd=Path.cwd())
    assert run.returncode == 0
    assert run.peak_rss_mib >= 200


def test_jobs_run_counts_started_jobs_by_rule_without_all():
    output = (FIXTURES / "snakemake_output" / "partner_rebuild.txt").read_text(encoding="utf-8")
    assert bench.jobs_run(output) == {"clean_partner_file": 1, "combine_tables": 1}


def test_jobs_run_of_a_no_op_is_empty():
    output = (FIXTURES / "snakemake_output" / "nothing_to_do.txt").read_text(encoding="utf-8")
    assert bench.jobs_run(output) == {}


def test_engine_times_are_read_from_log_lines_and_summed_per_engine():
    lines = ["time pandoc 0.400 s", "HTML written", "  time pandoc 0.100 s", "time weasyprint 2 s"]
    assert bench.engine_times(lines) == {"pandoc": 0.5, "weasyprint": 2.0}


# --------------------------------------------------------------------------- edits
def test_append_sentence_changes_the_second_chapter_only_and_keeps_its_text(tmp_path):
    chapters = _copy("chapters", tmp_path)
    before = {p.name: p.read_bytes() for p in chapters.iterdir()}
    changed = bench.append_sentence(chapters, "One more sentence.")
    assert changed.name == "01-introduction.md.j2"
    after = changed.read_bytes()
    # CRLF kept; the sentence is a paragraph of its own after the old text.
    assert after == before[changed.name] + b"\r\n\r\nOne more sentence.\r\n"
    for path in chapters.iterdir():
        if path != changed:
            assert path.read_bytes() == before[path.name]


def test_append_sentence_without_templates_is_a_problem(tmp_path):
    with pytest.raises(bench.BenchProblem, match="no chapter template"):
        bench.append_sentence(tmp_path)


def test_partner_cell_comma_file_changes_exactly_one_cell(tmp_path):
    raw = _copy("comma_utf8", tmp_path)
    path = raw / "case_studies" / "UH.csv"
    before = _rows(path, ",")
    changed, row = bench.change_partner_cell(raw)
    assert (changed, row) == (path, 2)
    after = _rows(path, ",")
    differences = [
        (r, c, before[r][c], after[r][c])
        for r in range(len(before))
        for c in range(len(before[r]))
        if before[r][c] != after[r][c]
    ]
    assert differences == [(1, 2, "12", "13")]
    assert path.read_bytes().endswith(b"Negotiation,24,\n")  # LF, quoting and the rest kept


def test_partner_cell_keeps_bom_semicolons_crlf_and_skips_a_blank_value(tmp_path):
    raw = _copy("semicolon_bom_crlf", tmp_path)
    path = raw / "case_studies" / "P02.csv"
    changed, row = bench.change_partner_cell(raw)
    assert (changed, row) == (path, 3)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfCase ID;Programme;Duration hours;Notes\r\n")
    assert data.endswith(b"P02-C02;Spin-off school;41;two weeks\r\n")
    assert b"P02-C01;Licensing basics;;\r\n" in data


def test_partner_cell_uses_the_first_file_that_has_the_column(tmp_path):
    raw = _copy("first_file_without_column", tmp_path)
    untouched = (raw / "case_studies" / "A.csv").read_bytes()
    changed, row = bench.change_partner_cell(raw)
    assert (changed.name, row) == ("B.csv", 2)
    assert changed.read_bytes() == b"case_id,duration_hours\nB-C01,9\n"
    assert (raw / "case_studies" / "A.csv").read_bytes() == untouched


def test_partner_cell_without_a_number_to_change_is_a_problem(tmp_path):
    raw = _copy("no_number", tmp_path)
    with pytest.raises(bench.BenchProblem, match="no CSV file with a whole number"):
        bench.change_partner_cell(raw)


# --------------------------------------------------------------------------- the copy
def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def tiny_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "kept.txt").write_text("committed\n")
    (repo / "changed.txt").write_text("committed\n")
    (repo / "deleted.txt").write_text("committed\n")
    _git(repo, "init", "--quiet")
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "first")
    (repo / "changed.txt").write_text("uncommitted\n")
    (repo / "deleted.txt").unlink()
    (repo / "untracked.txt").write_text("local\n")
    return repo


def test_copy_project_holds_head_and_never_untracked_files(tiny_repo, tmp_path):
    copy = bench.copy_project(tiny_repo, tmp_path / "copy")
    assert (copy / "changed.txt").read_text() == "committed\n"
    assert (copy / "deleted.txt").exists()
    assert not (copy / "untracked.txt").exists()
    assert (tiny_repo / "changed.txt").read_text() == "uncommitted\n"  # the checkout untouched


def test_copy_project_of_the_working_tree_has_uncommitted_changes(tiny_repo, tmp_path):
    copy = bench.copy_project(tiny_repo, tmp_path / "copy", working_tree=True)
    assert (copy / "changed.txt").read_text() == "uncommitted\n"
    assert (copy / "kept.txt").read_text() == "committed\n"
    assert not (copy / "deleted.txt").exists()
    assert not (copy / "untracked.txt").exists()


def test_copy_project_outside_git_is_a_problem(tmp_path):
    with pytest.raises(bench.BenchProblem, match="not a git checkout"):
        bench.copy_project(tmp_path, tmp_path / "copy")


def test_the_copy_imports_its_own_library_first(tmp_path):
    project = bench.Project(tmp_path, Path(sys.executable))
    env = project.environment()
    assert env["PYTHONPATH"].split(":")[0] == str(tmp_path / "workflow")
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)


# --------------------------------------------------------------------------- summary
def _measurements(sample_cold: float, large_cold: float | None) -> list[Measurement]:
    values = [
        Measurement(1, "cold_build", sample_cold, 300.0),
        Measurement(1, "prose_rebuild", 12.0),
        Measurement(1, "partner_rebuild", 20.0),
        Measurement(1, "noop_rebuild", 2.6),
        Measurement(1, "dry_run", 2.0),
        Measurement(1, "noop_ktreport_build", 5.0),
        Measurement(1, "validate", 1.2),
        Measurement(1, "floor", 25.0),
        Measurement(1, "floor_report", 10.0),
        Measurement(1, "cold_report_build", 15.0),
        Measurement(1, "peak_rss", peak_rss_mib=300.0),
    ]
    if large_cold is not None:
        values += [
            Measurement(100, "cold_build", large_cold, 1200.0),
            Measurement(100, "cold_report_build", 30.0),
            Measurement(100, "floor", 40.0),
            Measurement(100, "floor_report", 20.0),
            Measurement(100, "peak_rss", peak_rss_mib=1024.0),
        ]
    return values


def _target(summary: dict, text: str, data: str | None = None) -> dict:
    found = [
        t
        for t in summary["targets"]
        if t["target"].startswith(text) and (data is None or t.get("data") == data)
    ]
    assert len(found) == 1, found
    return found[0]


def test_summary_ratios_and_targets_met_or_missed():
    summary = bench.summarise(_measurements(30.0, 60.0))
    sample = summary["ratios"]["sample"]
    # The cold build against the whole build's floor (report and briefs), the prose-only
    # rebuild and the report's own cold build against the report's.
    assert sample["cold_over_floor"] == 1.2  # 30 / 25
    assert sample["cold_report_over_floor"] == 1.5  # 15 / 10
    assert sample["prose_over_floor"] == 1.2  # 12 / 10
    assert sample["noop_over_dry_run"] == 1.3
    assert sample["noop_ktreport_build_over_dry_run"] == 2.5
    assert _target(summary, "cold build <=", "sample")["met"] is True
    assert _target(summary, "cold build <=", "synth x100")["value"] == 1.5  # 60 / 40: met
    assert _target(summary, "cold build <=", "synth x100")["met"] is True
    assert _target(summary, "no-op", "sample")["met"] is True
    # The report alone: 30 / 15, missed; the whole build's 60 / 30 is given beside it.
    assert _target(summary, "scale-100")["value"] == 2.0
    assert _target(summary, "scale-100")["met"] is False
    assert summary["cold_scale_100_over_sample"] == 2.0
    # "< 1 GiB": exactly 1024 MiB is a miss.
    assert _target(summary, "peak memory")["met"] is False
    assert _target(summary, "ktreport validate")["met"] is True
    met = [t["met"] for t in summary["targets"] if t["met"] is not None]
    assert summary["targets_met"] == sum(met)
    assert summary["targets_missed"] == len(met) - sum(met)


def test_summary_gives_the_longest_cells_build_against_the_sample_cold_build():
    measurements = [
        *_measurements(30.0, None),
        Measurement(1, "longest_cells_build", 75.0, 400.0),
    ]
    target = _target(bench.summarise(measurements), "build with the longest cells")
    assert (target["value"], target["limit"], target["met"]) == (2.5, 3.0, True)


def test_summary_holds_the_no_op_commands_to_1_1_times_the_dry_run():
    measurements = [
        Measurement(1, "dry_run", 2.0, cpu_seconds=1.6),
        Measurement(1, "noop_ktreport_build", 2.1, cpu_seconds=2.0),
        Measurement(1, "noop_make_report", 2.4),
        Measurement(1, "partner_ingest", 3.25),
    ]
    summary = bench.summarise(measurements)
    build = _target(summary, "ktreport build, nothing changed", "sample")
    assert (build["value"], build["limit"], build["met"]) == (1.05, 1.1, True)
    make = _target(summary, "make report, nothing changed", "sample")
    assert (make["value"], make["met"]) == (1.2, False)
    ratios = summary["ratios"]["sample"]
    assert ratios["noop_ktreport_build_over_dry_run_cpu"] == 1.25
    assert ratios["partner_ingest_seconds"] == 3.25


def test_files_recleaned_is_read_from_the_clean_table_logs(tmp_path):
    from ktreport.ingest.table_parts import clean_table
    from ktreport.tools.bench_measure import files_recleaned

    raw = ROOT / "data" / "raw"
    paths = sorted((raw / "ratings").glob("*.*"))
    done = clean_table(
        paths, "ratings", raw / "skills_taxonomy.csv", tmp_path / "r.json", tmp_path / "cache"
    )
    logs = tmp_path / "logs" / "clean_table"
    logs.mkdir(parents=True)
    (logs / "ratings.log").write_text(done.log, encoding="utf-8")  # as run_step writes it
    (logs / "interviews.log").write_text(
        "interviews: 6 partners, 2 cleaned, 4 from the cache\n", encoding="utf-8"
    )
    assert len(done.cleaned) == len(paths) == 3
    assert files_recleaned(tmp_path / "logs") == 3 + 2


def test_longest_cells_make_every_programme_name_as_long_as_a_cell_may_be(tmp_path):
    from ktreport.ingest.validate import validate_raw
    from ktreport.tools.bench_copy import LONG_CHARS, lengthen_programmes

    raw = tmp_path / "data" / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    before = validate_raw(raw, root=tmp_path).tables["case_studies"]
    assert lengthen_programmes(raw) == len(before) == 30
    after = validate_raw(raw, root=tmp_path)
    assert after.ok, [p.line() for p in after.problems if p.severity == "error"][:3]
    programmes = after.tables["case_studies"].set_index("case_id")["programme"]
    assert set(programmes.str.len()) == {LONG_CHARS}
    for case_id, name in before.set_index("case_id")["programme"].items():
        assert programmes[case_id].startswith(name + " <b>bold</b>")


def test_summary_gives_cpu_ratios_with_the_floor_child_cpu():
    measurements = [
        Measurement(1, "cold_build", 30.0, 300.0, cpu_seconds=40.0),
        Measurement(1, "prose_rebuild", 12.0, 300.0, cpu_seconds=15.0),
        Measurement(1, "floor", 10.0, detail={"cpu_seconds_child": 20.0}),
    ]
    ratios = bench.summarise(measurements)["ratios"]["sample"]
    assert ratios["cold_over_floor_cpu"] == 2.0
    assert ratios["noop_over_dry_run"] is None  # not measured: no ratio


def test_summary_without_scale_100_says_not_measured_instead_of_guessing():
    summary = bench.summarise(_measurements(30.0, None))
    assert _target(summary, "scale-100")["met"] is None
    assert _target(summary, "peak memory")["value"] is None
    # Scale 100 (cold, memory, pages), the longest cells, make report, the WeasyPrint reference.
    assert summary["targets_not_measured"] == 6
    assert "synth x100" not in summary["ratios"]


def test_a_measurement_is_one_json_line_in_reading_order():
    m = Measurement(10, "prose_rebuild", 12.34567, 250.04, {"jobs": {"render_pdf": 1}})
    line = bench.json_line(m.as_dict())
    assert "\n" not in line
    assert list(json.loads(line)) == [
        "scale",
        "data",
        "measure",
        "seconds",
        "peak_rss_mib",
        "jobs",
    ]
    assert json.loads(line)["seconds"] == 12.346
    assert json.loads(line)["data"] == "synth x10"


# --------------------------------------------------------------------------- end to end
def _fingerprint(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.e2e
def test_quick_bench_measures_everything_in_a_copy_and_leaves_the_checkout_alone(tmp_path):
    watched = [ROOT / "data" / "raw", ROOT / "report" / "output", ROOT / "report" / "chapters"]
    before = [_fingerprint(folder) for folder in watched]
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--work-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    measures = {r["measure"]: r for r in records if "measure" in r}
    assert set(measures) >= {
        "cold_build",
        "noop_rebuild",
        "dry_run",
        "noop_ktreport_build",
        "noop_make_report",
        "prose_rebuild",
        "partner_rebuild",
        "validate",
        "floor",
        "floor_report",
        "cold_report_build",
        "peak_rss",
    }
    assert all(r["scale"] == 1 for r in measures.values())
    # The prose-only rebuild exports no figure; the one-partner rebuild re-cleans one file.
    assert measures["prose_rebuild"]["figures_exported"] is False
    assert "clean_table" not in measures["prose_rebuild"]["jobs"]
    assert measures["partner_rebuild"]["files_recleaned"] == 1
    assert measures["partner_ingest"]["files_recleaned"] == 1
    assert measures["partner_ingest"]["jobs"] == {"clean_table": 1, "combine_tables": 1}
    assert {"kaleido", "pandoc", "weasyprint"} <= set(measures["floor"])
    # The floor renders every document the build made: the report and the sample's three
    # briefs (FI, IT, PL), and every figure (the report's also as PNG for the Word copy).
    floor = measures["floor"]
    assert floor["documents"] == 4
    assert 0 < floor["briefs_weasyprint"] < floor["weasyprint"]
    assert measures["floor_report"]["seconds"] < floor["seconds"]
    # The report's cold build (briefs: none) made no brief.
    assert not {"slice_briefs", "make_brief"} & set(measures["cold_report_build"]["jobs"])
    assert measures["cold_report_build"]["jobs"]["render_pdf"] == 1
    assert measures["peak_rss"]["peak_rss_mib"] > 0
    assert records[-1]["summary"] == "ratios"
    assert "sample" in records[-1]["ratios"]
    assert [_fingerprint(folder) for folder in watched] == before
    assert list(tmp_path.iterdir()) == []  # the copies are removed


# --------------------------------------------------------------------------- start-up
def _loaded(imports: str, heavy: tuple[str, ...]) -> list[str]:
    code = f"import sys; {imports}; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "workflow"), "PATH": "/usr/bin:/bin"},
    )
    return [m for m in result.stdout.strip().split(",") if m]


@pytest.mark.parametrize(
    ("imports", "heavy"),
    [
        # A rule process pays for what it imports (WeasyPrint 1.5-2 s, pandas 0.5 s): the
        # chapters and the HTML need no WeasyPrint; each per-file ingest job no pandas.
        ("import ktreport.render", ("weasyprint", "plotly")),
        # The render jobs (two per brief) need no pandas either (0.45 s each).
        (
            "from ktreport.render import render_html, render_pdf; import ktreport.render.docx",
            ("pandas",),
        ),
        ("from ktreport.chapters import RenderProblem, choose_renderer", ("weasyprint", "pandas")),
        ("import ktreport.ingest.validate", ("pandas", "pandera", "plotly", "weasyprint")),
        ("import ktreport.figures.make", ("pandas", "weasyprint")),
        ("import ktreport.aggregate.tables", ("plotly", "weasyprint")),
    ],
)
def test_modules_do_not_import_heavy_libraries_they_do_not_need(imports, heavy):
    assert _loaded(imports, heavy) == []
