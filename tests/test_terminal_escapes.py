"""Terminal escape injection (issue 17 §8): a partner cell holding escape sequences (a
cleared screen and a fake green "0 errors", an OSC 52 clipboard write, an OSC 8 link, C1
controls, DEL, a right-to-left override) or rich markup (``[red]``) reaches the terminal of
``ktreport validate`` only as visible, escaped text: no ESC, no C1 byte, no bidi control,
whether the output is a pipe or a terminal, from a CSV or an xlsx (where Excel writes ESC
as ``_x001B_`` in the shared strings)."""

from __future__ import annotations

import csv
import os
import pty
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import RAW
from ktreport.contract import CASE_STUDIES
from ktreport.core.problems import Problem
from ktreport.core.safe import printable
from ktreport.ingest.messages import format_problems

# The case-study columns, in the contract's order (the one declaration of them).
HEADER = [column.name for column in CASE_STUDIES.columns]
FAKE_SUMMARY = "\x1b[2J\x1b[H\x1b[1;32m0 errors, 0 warnings\x1b[0m"
CLIPBOARD = "online\x1b]52;c;ZWNobyBwd25lZA==\x07"
LINK = "\x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\"
OTHERS = "negotiation \u202eevil [red]markup[/red] \x9b2J \x7f\x1b[31m"
# What a terminal must never receive: ESC not starting one of rich's own colour codes,
# C0 controls other than newline, tab and CR, DEL, C1, bidi controls.
ROGUE = re.compile(
    "\x1b(?!\\[[0-9;]*m)|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def _row() -> list[str]:
    padding = "ordinary notes " * 300  # the control characters stay below 1 % of the text
    return [
        "UNIBO-C01",
        "Programme",
        "Provider",
        "kt_association",
        FAKE_SUMMARY,
        CLIPBOARD,
        "10",
        "kt_professionals",
        "no",
        OTHERS,
        "no",
        "",
        padding,
    ]


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "case_studies").mkdir(parents=True)
    for name in ("partners.csv", "skills_taxonomy.csv"):
        shutil.copy(RAW / name, raw / name)
    return raw


@pytest.fixture
def hostile_csv(tmp_path) -> Path:
    raw = _raw(tmp_path)
    with (raw / "case_studies" / "UNIBO.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerow(_row())
        writer.writerow(["UNIBO-C02", LINK, *_row()[2:4], "ZZ" + LINK, *_row()[5:]])
    return raw


_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>(.*?)</t></is></c>', re.S)
_SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _to_shared_strings(parts: dict[str, str]) -> None:
    """openpyxl writes inline strings; Excel keeps them in xl/sharedStrings.xml, with a
    control character as ``_xHHHH_``: move them there (placeholders QQESC, QQBEL → ESC, BEL)."""
    strings: list[str] = []

    def shared(match: re.Match) -> str:
        strings.append(match.group(3).replace("QQESC", "_x001B_").replace("QQBEL", "_x0007_"))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{len(strings) - 1}</v></c>'

    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = _INLINE.sub(shared, parts[sheet])
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHARED}" /></Types>'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        f'<Relationship Type="{_SHARED_REL}" Target="sharedStrings.xml" Id="rId99" />'
        "</Relationships>",
    )


@pytest.fixture
def hostile_xlsx(tmp_path) -> Path:
    """The row of ``hostile_csv`` in an xlsx whose shared strings hold ESC as ``_x001B_``
    and BEL as ``_x0007_``, as Excel stores them (openpyxl refuses control characters, so
    it writes placeholders, turned into those escapes here)."""
    raw = _raw(tmp_path)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([c.replace("\x1b", "QQESC").replace("\x07", "QQBEL") for c in _row()])
    draft = tmp_path / "draft.xlsx"
    workbook.save(draft)
    with zipfile.ZipFile(draft) as source:
        parts = {name: source.read(name).decode("utf-8") for name in source.namelist()}
    _to_shared_strings(parts)
    assert "_x001B_" in parts["xl/sharedStrings.xml"]
    with zipfile.ZipFile(raw / "case_studies" / "UNIBO.xlsx", "w") as out:
        for name, text in parts.items():
            out.writestr(name, text)
    return raw


def _validate(raw: Path) -> list[str]:
    return [sys.executable, "-m", "ktreport.cli", "validate", "--raw-dir", str(raw)]


def _piped(raw: Path) -> str:
    done = subprocess.run(_validate(raw), capture_output=True, cwd=raw, timeout=300)
    return (done.stdout + done.stderr).decode("utf-8")


def _on_a_terminal(raw: Path) -> str:
    """The output of ``validate`` when its standard output is a terminal (a pty)."""
    leader, follower = pty.openpty()
    environment = {**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"}
    process = subprocess.Popen(
        _validate(raw), stdout=follower, stderr=follower, cwd=raw, env=environment
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def _assert_inert(output: str) -> None:
    assert "is not a country name" in output  # the hostile row was checked and reported
    assert ROGUE.search(output) is None, repr(ROGUE.search(output))
    assert "\\x1b[2J" in output and "\\x1b]52;" in output  # shown, escaped
    assert "[red]markup[/red]" in output  # rich markup printed literally
    assert "\\u202e" in output and "\\x9b" in output and "\\x7f" in output


def test_escape_sequences_in_a_csv_are_shown_escaped_through_a_pipe(hostile_csv):
    output = _piped(hostile_csv)
    _assert_inert(output)
    assert "\\x1b]8;;http://evil.example/" in output  # the OSC 8 link, as text


def test_escape_sequences_in_a_csv_are_shown_escaped_on_a_terminal(hostile_csv):
    output = _on_a_terminal(hostile_csv)
    _assert_inert(output)
    assert "\x1b[" in output  # rich's own colours are there: this was a terminal


def test_escapes_stored_as_x001b_in_xlsx_shared_strings_are_shown_escaped(hostile_xlsx):
    for output in (_piped(hostile_xlsx), _on_a_terminal(hostile_xlsx)):
        _assert_inert(output)


def test_a_value_with_a_newline_cannot_fake_a_line_of_its_own():
    problem = Problem("data/raw/x.csv", 2, "notes", "'a\n  error: fake' is wrong\r")
    (heading, line) = format_problems([problem]).splitlines()
    assert line == "  error: data/raw/x.csv:2:notes: 'a\\n  error: fake' is wrong\\r"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\tb\nc", "a\tb\nc"),
        ("\x07\x7f\x85\x9b", "\\x07\\x7f\\x85\\x9b"),
        ("\u202eabc\u2066", "\\u202eabc\\u2066"),
        ("naïve café — 42 %", "naïve café — 42 %"),
    ],
)
def test_printable_escapes_control_characters_and_keeps_text(text, shown):
    assert printable(text) == shown
