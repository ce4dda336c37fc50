"""Bounded reading (issue 17, findings 2 and 3): a small workbook whose cells reach far, or
whose sheets unpack to gigabytes, is a file-level problem naming the file and the sheet —
never an abort inside python-calamine, never gigabytes of memory — and an unknown value's
"did you mean …?" is computed once, for a bounded number of values per file.

The bombs are written here with ``zipfile`` (a few KB each). The command runs in a child
with ``RLIMIT_AS`` of 1.5 GiB: a regression is a crash (exit 134), not a slow test."""

from __future__ import annotations

import difflib
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from project_builds import environment

from conftest import RAW, ROOT
from ktreport.ingest import extent, isolated, readers, suggestions
from ktreport.ingest.validate import validate_raw

COMMAND_MEMORY = 3 * 512 * 1024 * 1024  # 1.5 GiB
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ("interview_id", "respondent_group", "country")
FIRST_ROW = ("UH-1", "kt_expert", "FI")


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _rows(*extra: str) -> str:
    header = "".join(_inline(f"{c}1", v) for c, v in zip("ABC", HEADER, strict=True))
    first = "".join(_inline(f"{c}2", v) for c, v in zip("ABC", FIRST_ROW, strict=True))
    return f'<row r="1">{header}</row><row r="2">{first}</row>' + "".join(extra)


def write_xlsx(path: Path, sheet_data: str, sheet="interviews", dimension="A1:C2", filler=0):
    """A minimal .xlsx (what Excel needs and calamine reads); ``filler`` bytes of spaces
    inside the sheet XML make it unpack large from a small file."""
    workbook = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
        f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'.encode())
            block = b" " * (1024 * 1024)
            for _ in range(filler // len(block)):
                part.write(block)
            part.write(f"<sheetData>{sheet_data}</sheetData></worksheet>".encode())
    return path


ODS = "urn:oasis:names:tc:opendocument:xmlns"


def write_ods(path: Path, table_rows: str, sheet="interviews"):
    """A minimal .ods: ``table_rows`` are the <table:table-row> elements of one table."""
    content = (
        f'<office:document-content xmlns:office="{ODS}:office:1.0" '
        f'xmlns:table="{ODS}:table:1.0" xmlns:text="{ODS}:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">'
        f"{table_rows}</table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def ods_cell(text: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}>'
        f"<text:p>{text}</text:p></table:table-cell>"
    )


def ods_row(cells: str, repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{cells}</table:table-row>"


def ods_table(*extra: str) -> str:
    return (
        ods_row("".join(ods_cell(v) for v in HEADER))
        + ods_row("".join(ods_cell(v) for v in FIRST_ROW))
        + "".join(extra)
    )


# Each bomb: (file name, writer, words the problem must hold). All are a few KB on disk.
BOMBS = {
    "space_in_XFD1048576": (
        "UH.xlsx",
        lambda p: write_xlsx(p, _rows(f'<row r="1048576">{_inline("XFD1048576", " ")}</row>')),
        ("sheet 'interviews'", "XFD1048576"),
    ),
    "number_in_XFD40000": (
        "UH.xlsx",
        lambda p: write_xlsx(p, _rows('<row r="40000"><c r="XFD40000"><v>1</v></c></row>')),
        ("sheet 'interviews'", "XFD40000"),
    ),
    "ods_row_repeated_a_million_times": (
        "UH.ods",
        lambda p: write_ods(p, ods_table(ods_row(ods_cell("x", 99), 1_000_000))),
        ("sheet 'interviews'", "CU1000002"),
    ),
    "ods_cell_repeated_to_column_16384": (
        "UH.ods",
        lambda p: write_ods(p, ods_table(ods_row(ods_cell("x", 16384), 50_000))),
        ("sheet 'interviews'", "XFD50002"),
    ),
    "sheet_of_whitespace_beyond_the_limit": (
        "UH.xlsx",
        lambda p: write_xlsx(p, _rows(), filler=extent.MAX_UNPACKED_BYTES + (1 << 20)),
        ("unpacks from", "times its size"),
    ),
}


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_a_workbook_bomb_is_one_file_problem_naming_the_file_and_sheet(tmp_path, case):
    name, write, words = BOMBS[case]
    path = write(tmp_path / name)
    assert path.stat().st_size < 5 * 1024 * 1024
    table = readers.read_table(path, name, HEADER, HEADER, sheet_name="interviews")
    assert [(p.file, p.row, p.column, p.severity) for p in table.problems] == [
        (name, None, None, "error")
    ]
    for word in words:
        assert word in table.problems[0].message
    assert table.problems[0].hint
    assert table.rows == []


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (COMMAND_MEMORY, COMMAND_MEMORY))


def _raw_dir(base: Path) -> Path:
    raw = base / "raw"
    (raw / "interviews").mkdir(parents=True)
    for name in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / name, raw / name)
    return raw


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_the_validate_command_reports_a_bomb_within_a_memory_cap(tmp_path, case):
    name, write, words = BOMBS[case]
    raw = _raw_dir(tmp_path)
    write(raw / "interviews" / name)
    result = subprocess.run(
        [sys.executable, "-m", "ktreport.cli", "validate", "--raw-dir", str(raw)],
        cwd=tmp_path,
        env=environment(ROOT),
        capture_output=True,
        text=True,
        preexec_fn=_limited,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "panicked" not in output
    line = next(line for line in result.stdout.splitlines() if words[-1] in line)
    assert f"interviews/{name}" in result.stdout
    assert words[0] in line


def test_a_far_styled_empty_cell_and_a_large_dimension_do_not_count(tmp_path):
    """Formatting (a cell without a value) and the <dimension> Excel declares are not
    content: calamine allocates nothing for them, so such a file is read."""
    path = write_xlsx(
        tmp_path / "UH.xlsx",
        _rows('<row r="1048576"><c r="XFD1048576" s="0"/></row>'),
        dimension="A1:XFD1048576",
    )
    table = readers.read_table(path, "UH.xlsx", HEADER, HEADER, sheet_name="interviews")
    assert table.problems == []
    assert [row.cells for row in table.rows] == [dict(zip(HEADER, FIRST_ROW, strict=True))]


def test_a_column_beyond_200_near_the_data_keeps_its_own_message(tmp_path):
    path = write_xlsx(tmp_path / "UH.xlsx", _rows('<row r="3"><c r="KN3"><v>1</v></c></row>'))
    table = readers.read_table(path, "UH.xlsx", HEADER, HEADER, sheet_name="interviews")
    assert [p.message for p in table.problems] == [
        "the table has 300 columns; at most 200 are read"
    ]


def test_a_workbook_that_declares_entities_is_refused_unread(tmp_path):
    path = tmp_path / "UH.xlsx"
    write_xlsx(path, _rows())
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(
            "xl/worksheets/sheet2.xml",
            '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet><sheetData/></worksheet>',
        )
    found = extent.measure_workbook(path, "UH.xlsx")
    assert not found.measured
    assert ["XML entities" in p.message for p in found.problems] == [True]


def test_a_workbook_extent_cannot_vouch_for_is_read_in_a_child_that_may_fail(tmp_path, monkeypatch):
    """An .xls is not measured: it is read in a child; a child that runs out of memory
    becomes a file-level problem, not a crash of the parent."""
    path = tmp_path / "UH.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(range(256)) * 4)
    damaged = readers.read_table(path, "UH.xls", HEADER, HEADER)
    assert ["cannot be read (" in p.message for p in damaged.problems] == [True]
    monkeypatch.setattr(isolated, "CHILD_MEMORY_BYTES", 20 * 1024 * 1024)
    starved = readers.read_table(path, "UH.xls", HEADER, HEADER)
    assert [p.message for p in starved.problems] == [isolated.FAILED[0]]


def test_a_large_measured_workbook_is_read_in_a_child_with_the_same_cells(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "UH.xlsx", _rows())
    here = readers.read_table(path, "UH.xlsx", HEADER, HEADER, sheet_name="interviews")
    monkeypatch.setattr(isolated, "IN_PROCESS_BYTES", 0)
    calls = []
    real = isolated.load_sheet_in_child
    monkeypatch.setattr(isolated, "load_sheet_in_child", lambda *a: calls.append(a) or real(*a))
    child = readers.read_table(path, "UH.xlsx", HEADER, HEADER, sheet_name="interviews")
    assert len(calls) == 1
    assert (child.sheet, [r.cells for r in child.rows]) == (
        here.sheet,
        [r.cells for r in here.rows],
    )
    assert child.sheet == "interviews" and len(child.rows) == 1


# --------------------------------------------------------------------------- suggestions
def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = difflib.get_close_matches

    def counted(word, possibilities, n=3, cutoff=0.6):
        calls.append(word)
        return real(word, possibilities, n=n, cutoff=cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    return calls


def _ratings_file(raw: Path, skills: list[str]) -> None:
    folder = raw / "ratings"
    folder.mkdir(exist_ok=True)
    lines = ["interview_id,skill,importance,proficiency"]
    lines += [f"UH-{i % 5 + 1},{skill},4,3" for i, skill in enumerate(skills)]
    (folder / "UH.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_suggestion_is_computed_once_per_distinct_value(tmp_path, monkeypatch):
    raw = _raw_dir(tmp_path)
    _ratings_file(raw, ["negotiaton skils", "Negotiaton  Skils", "zzqx unknown"] * 40)
    calls = _counting(monkeypatch)
    suggestions._cached_matches.cache_clear()
    result = validate_raw(raw, root=tmp_path)
    unknown = [p for p in result.problems if "not in the skills taxonomy" in p.message]
    assert len(unknown) == 120
    assert sorted(set(calls)) == sorted(calls)  # every word asked once
    assert len([w for w in calls if "negotiaton" in w]) == 1


def test_suggestions_stop_after_a_bounded_number_of_distinct_values_per_file(tmp_path, monkeypatch):
    raw = _raw_dir(tmp_path)
    many = suggestions.MAX_SUGGESTED_VALUES + 50
    _ratings_file(raw, [f"unknown skill number {i}" for i in range(many)])
    calls = _counting(monkeypatch)
    suggestions._cached_matches.cache_clear()
    validate_raw(raw, root=tmp_path)
    skill_calls = [w for w in calls if w.startswith("unknownskillnumber")]
    assert len(skill_calls) == suggestions.MAX_SUGGESTED_VALUES
    # the next file has its own budget, and a value cached before costs nothing
    calls.clear()
    validate_raw(raw, root=tmp_path)
    assert [w for w in calls if w.startswith("unknownskillnumber")] == []
