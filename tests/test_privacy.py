"""Personal data never leaves (issue 6 §3): the guard finds every personal value of the raw
interviews files in any output, names the file and the kind of value but never the value,
and publishes a report only when it is clean; quotes are used only with consent and with
the interviewee's own name and organisation replaced.

Unit tests use tests/fixtures/hostile/personal_values/ (see its README); the end-to-end
tests use the session's builds of the sample data (tests/project_builds.py)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from project_builds import (
    HTML,
    PDF,
    PUBLISHED,
    built,
    copy_tree,
    hostile_fixture_rows,
    ktreport,
    published_bytes,
)

from conftest import FIXTURES
from ktreport.guard import (
    GuardProblem,
    Leak,
    check_personal_data,
    extract,
    matching,
    publish,
    publishing,
    scan,
    scan_files,
)
from ktreport.guard import values as personal

RAW = FIXTURES / "hostile" / "personal_values"
SOURCE = "interviews/ALPHA.csv"
MARIA = "Maria Rossi-Bianchi"
MARIA_EMAIL = "maria.rossi@gamma-robotics.example"
GAMMA = "Gamma Robotics GmbH"
UNCONSENTED = "Nobody may read that we lost the Delta licensing dispute in court last year."


def _values():
    return personal.read_personal_values(RAW, root=RAW)


def _scan(tmp_path: Path, name: str, content: str | bytes, **kwargs) -> list[Leak]:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = check_personal_data(RAW, [path], root=tmp_path, **kwargs)
    return result.leaks


def _kinds(leaks: list[Leak]) -> set[tuple[str, int]]:
    return {(leak.kind, leak.row) for leak in leaks}


# --------------------------------------------------------------------------- reading values
def test_every_personal_value_is_read_with_its_file_and_row():
    found = {(v.kind, v.row): v.value for v in _values()}
    assert found[("name", 2)] == MARIA
    assert found[("email", 2)] == MARIA_EMAIL
    assert found[("organisation", 2)] == GAMMA
    assert found[("phone", 3)] == "0039 02 555 0101"
    assert found[("quote", 4)] == UNCONSENTED
    assert ("quote", 2) not in found, "a consented quote is not a secret"
    assert {v.source for v in _values()} == {SOURCE}


def test_a_value_is_never_shown_by_repr():
    assert MARIA not in repr(_values())


# --------------------------------------------------------------------------- finding leaks
@pytest.mark.parametrize(
    ("name", "content", "kind", "row"),
    [
        ("plain.html", f"<p>Interview with {MARIA}.</p></html>", "name", 2),
        ("attribute.html", f'<span title="{MARIA_EMAIL}">x</span>', "email", 2),
        ("entities.html", "<p>Maria&#32;Rossi&#x2D;Bianchi</p>", "name", 2),
        ("spread.html", "<td>Gamma\n   Robotics   <!-- -->GmbH</td>", "organisation", 2),
        ("comment.html", f"<!-- {GAMMA} -->", "organisation", 2),
        ("figure.json", json.dumps({"text": [MARIA_EMAIL]}, ensure_ascii=True), "email", 2),
        ("escaped.json", '{"a": "Maria Rossi\\u002dBianchi"}', "name", 2),
        ("table.csv", f"id,who\n1,{MARIA.upper()}\n", "name", 2),
        ("chapter.qmd", f"> said {MARIA} ([name])\n", "name", 2),
        ("combine_tables.log", f"row 2: {MARIA_EMAIL} is not allowed\n", "email", 2),
        ("phone.txt", "Tel. +39-051-209-9111", "phone", 2),
        ("national.txt", "call 051 209 9111 today", "phone", 2),
        ("digits.csv", "id,phone\n1,390512099111\n", "phone", 2),
        ("other_phone.txt", "(+39) 02 555 0101", "phone", 3),
        ("jan.md", "Jan Kowalski agreed.", "name", 4),
    ],
)
def test_a_planted_value_is_found(tmp_path, name, content, kind, row):
    assert (kind, row) in _kinds(_scan(tmp_path, name, content))


def test_a_value_inside_an_embedded_svg_figure_is_found(tmp_path):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><text>{GAMMA}</text></svg>'
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    leaks = _scan(tmp_path, "report.html", f'<img src="{uri}" alt="figure"/>')
    assert ("organisation", 2) in _kinds(leaks)


def test_a_value_in_figure_data_is_found_but_the_plotly_library_is_not_read(tmp_path):
    from ktreport.render import plotly_js

    markup = (
        f"<script>{plotly_js()}</script>"
        '<script type="application/json" class="plotly-data">'
        + json.dumps({"data": [{"y": ["Maria Rossi\u002dBianchi"]}]}).replace("<", "\\u003c")
        + "</script>"
    )
    assert ("name", 2) in _kinds(_scan(tmp_path, "plots.html", markup))
    assert "plotly.js v" not in extract.html_text(f"<script>{plotly_js()}</script>")


def test_a_value_in_pdf_text_and_metadata_is_found(tmp_path):
    from weasyprint import HTML as WeasyHTML

    pdf = WeasyHTML(
        string=f"<html><head><title>{GAMMA}</title></head><body><p>Call +39 051 209 9111</p>"
        "</body></html>"
    ).write_pdf()
    assert {("phone", 2), ("organisation", 2)} <= _kinds(_scan(tmp_path, "report.pdf", pdf))


@pytest.mark.parametrize(
    "content",
    [
        "Li said hello. Lisbon, Limerick.",  # a two-letter name is not searched
        "Partners: Alpha University, Beta KT Association.",  # a partner's name is public
        "Delta Training Ltd offers the course.",  # a case-study provider is public
        "Maria Rossi-Bianchini and Gamma Robotics GmbHx",  # whole words only
        "0.0512099111 and 3 9 0 5 1 2 0 9 9 1 1 1",  # a decimal, a table of small numbers
        '{"x": [3, 9, 0, 5, 1, 2, 0, 9, 9, 1, 1, 1]}',
        "12 34 is too short to be told from other numbers",
    ],
)
def test_values_that_identify_nobody_are_not_findings(tmp_path, content):
    assert _scan(tmp_path, "page.txt", content) == []


def test_a_quote_without_consent_is_a_finding_only_in_the_deliverables(tmp_path):
    text = f"<p>{UNCONSENTED}</p></html>"
    (tmp_path / "validation_report.html").write_text(text, encoding="utf-8")
    (tmp_path / "report.html").write_text(text, encoding="utf-8")
    result = check_personal_data(
        RAW,
        [tmp_path / "validation_report.html"],
        deliverables=[tmp_path / "report.html"],
        root=tmp_path,
    )
    assert [(leak.file, leak.kind, leak.row) for leak in result.leaks] == [
        ("report.html", "quote", 4)
    ]


def test_the_message_names_file_kind_source_and_row_but_never_the_value(tmp_path):
    leaks = _scan(tmp_path, "report.html", f"<p>{MARIA} &lt;{MARIA_EMAIL}&gt;</p>")
    message = scan.leak_message(leaks)
    for kind in ("e-mail", "name"):
        assert f"report.html contains an interviewee's {kind} (from " in message
        assert f"{SOURCE}, row 2)" in message
    for value in (MARIA, MARIA_EMAIL, "maria", "rossi"):
        assert value.lower() not in message.lower()


def test_files_with_the_same_bytes_are_each_named(tmp_path):
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(MARIA, encoding="utf-8")
    values = _values()
    result = scan_files([tmp_path / "a.csv", tmp_path / "b.csv"], values, root=tmp_path)
    assert {leak.file for leak in result.leaks} == {"a.csv", "b.csv"}


# --------------------------------------------------------------------------- publishing
def _html(text: str) -> str:
    return f"<!DOCTYPE html><html><body><p>{text}</p></body></html>\n"


def test_publish_replaces_each_file_whole_and_leaves_no_temporary_file(tmp_path):
    staged, out = tmp_path / "staged", tmp_path / "out"
    staged.mkdir()
    out.mkdir()
    (out / "report.html").write_text(_html("old"), encoding="utf-8")
    (staged / "report.html").write_text(_html("new"), encoding="utf-8")
    (staged / "key_figures.json").write_text('{"n": 1}', encoding="utf-8")
    publish([staged / "report.html", staged / "key_figures.json"], out)
    assert (out / "report.html").read_text(encoding="utf-8") == _html("new")
    assert json.loads((out / "key_figures.json").read_text(encoding="utf-8")) == {"n": 1}
    assert sorted(p.name for p in out.iterdir()) == ["key_figures.json", "report.html"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.html", "<!DOCTYPE html><html><body><p>cut he", "</html>"),
        ("report.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "PDF"),
        ("key_figures.json", '{"n": ', "JSON"),
        ("empty.html", "", "empty"),
    ],
)
def test_an_incomplete_output_is_not_published_and_the_old_one_stays(
    tmp_path, name, content, reason
):
    staged, out = tmp_path / "staged", tmp_path / "out"
    staged.mkdir()
    out.mkdir()
    (out / name).write_bytes(b"old, complete")
    path = staged / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(GuardProblem, match=reason):
        publish([path], out)
    assert (out / name).read_bytes() == b"old, complete"


def test_a_real_pdf_cut_short_is_not_published(tmp_path):
    """Publishing checks a PDF without reading its text: its end and its last page."""
    from weasyprint import HTML

    staged, out = tmp_path / "staged", tmp_path / "out"
    staged.mkdir()
    whole = staged / "report.pdf"
    HTML(string="<p>one</p><p style='break-before: page'>two</p>").write_pdf(whole)
    data = whole.read_bytes()
    publish([whole], out)
    assert (out / "report.pdf").read_bytes() == data
    for cut in (len(data) // 2, len(data) - 200):
        whole.write_bytes(data[:cut])
        with pytest.raises(GuardProblem, match="not a readable PDF"):
            publish([whole], out)
        assert (out / "report.pdf").read_bytes() == data


def test_a_file_published_already_with_the_same_bytes_is_not_written_again(tmp_path):
    staged, out = tmp_path / "staged", tmp_path / "out"
    staged.mkdir()
    (staged / "a.html").write_text(_html("same"), encoding="utf-8")
    (staged / "b.html").write_text(_html("new"), encoding="utf-8")
    publish([staged / "a.html", staged / "b.html"], out)
    (staged / "b.html").write_text(_html("newer"), encoding="utf-8")
    before = {name: (out / name).stat().st_ino for name in ("a.html", "b.html")}
    publish([staged / "a.html", staged / "b.html"], out)
    after = {name: (out / name).stat().st_ino for name in ("a.html", "b.html")}
    assert after["a.html"] == before["a.html"]  # left as it was
    assert after["b.html"] != before["b.html"]  # replaced by a rename
    assert (out / "b.html").read_text(encoding="utf-8") == _html("newer")


def test_a_publish_stopped_between_two_files_leaves_both_complete(tmp_path, monkeypatch):
    staged, out = tmp_path / "staged", tmp_path / "out"
    staged.mkdir()
    out.mkdir()
    for name in ("a.html", "b.html"):
        (out / name).write_text(_html(f"old {name}"), encoding="utf-8")
        (staged / name).write_text(_html(f"new {name}"), encoding="utf-8")
    real_replace = os.replace
    calls = []

    def replace_then_die(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if the build were stopped here
        real_replace(source, target)

    monkeypatch.setattr(publishing.os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        publish([staged / "a.html", staged / "b.html"], out)
    assert (out / "a.html").read_text(encoding="utf-8") == _html("new a.html")
    assert (out / "b.html").read_text(encoding="utf-8") == _html("old b.html")
    monkeypatch.setattr(publishing.os, "replace", real_replace)
    publish([staged / "a.html", staged / "b.html"], out)  # the next build cleans up
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "b.html"]


# --------------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    build = built("sample", tmp_path_factory)
    assert build.ok, build.explain()
    return build


@pytest.mark.e2e
def test_the_sample_build_passes_the_guard_and_publishes_what_it_checked(sample):
    tree = sample.tree
    assert (tree / "logs/check_personal_data.ok").is_file()
    for name in PUBLISHED:
        staged = tree / "report/_build/output" / Path(name).name
        assert (tree / name).read_bytes() == staged.read_bytes(), name


@pytest.mark.e2e
def test_a_leak_planted_in_the_report_stops_the_build_without_showing_the_value(sample, tmp_path):
    tree = copy_tree(sample.tree, tmp_path / "project")
    before = published_bytes(tree)
    values = personal.read_personal_values(tree / "data/raw", root=tree)
    email = next(v for v in values if v.kind == "email" and "UH" in v.source)
    staged = tree / "report/_build/output" / Path(HTML).name
    markup = staged.read_text(encoding="utf-8")
    at = markup.rindex("</body>")
    staged.write_text(markup[:at] + f"<p>{email.value}</p>" + markup[at:], encoding="utf-8")

    result = ktreport(tree, "build", "--cores", "2")

    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    expected = (
        f"report/_build/output/{Path(HTML).name} contains an interviewee's e-mail "
        f"(from {email.source}, row {email.row})"
    )
    assert expected in output
    assert email.value not in output
    assert email.value not in (tree / "logs/check_personal_data.log").read_text(encoding="utf-8")
    assert "Traceback" not in output
    assert published_bytes(tree) == before, "a report with personal data was published"


@pytest.mark.e2e
def test_quotes_are_anonymised_and_personal_values_are_in_no_output(tmp_path_factory):
    """Independent of the guard's own matching: plain substring search in every file."""
    from pypdf import PdfReader

    hostile = built("hostile", tmp_path_factory)
    assert hostile.ok, hostile.explain()
    tree = hostile.tree
    html = (tree / HTML).read_text(encoding="utf-8")
    assert "HXQUOTE1 [name] of [organisation] says:" in html
    pdf_text = " ".join(p.extract_text() for p in PdfReader(str(tree / PDF)).pages)
    assert "HXQUOTE1 [name] of [organisation] says:" in " ".join(pdf_text.split())
    secrets = [
        row[column]
        for row in hostile_fixture_rows("interviews")
        for column in ("name", "email", "organisation", "phone")
    ]
    unconsented = hostile_fixture_rows("interviews")[1]["quote"]
    folders = ["report/output", "report/_build", "data/processed", "logs"]
    files = [p for folder in folders for p in (tree / folder).rglob("*") if p.is_file()]
    assert len(files) > 50
    for path in files:
        content = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".pdf":
            content += " ".join(p.extract_text() for p in PdfReader(str(path)).pages)
        shown = path.relative_to(tree).as_posix()
        for secret in secrets:
            assert secret not in content, f"{shown} holds a personal value"
        # The per-file parts keep what the partner typed for their validation report.
        if not shown.startswith("data/processed/parts/"):
            assert unconsented not in content, f"{shown} holds a quote given without consent"


# ----------------------------------------------------------------- the index finds the same
_INDEX_VALUES = [
    personal.PersonalValue("name", "raw.csv", 2, "Anna Rossi"),
    personal.PersonalValue("email", "raw.csv", 2, "anna.rossi@uni-x.example"),
    personal.PersonalValue("organisation", "raw.csv", 3, "Ufficio (Brevetti)"),
    personal.PersonalValue("organisation", "raw.csv", 4, "--**--"),  # no word character
    personal.PersonalValue("phone", "raw.csv", 2, "+39 051 209 9111"),
    personal.PersonalValue("phone", "raw.csv", 3, "0049 30 1234567"),
]
_INDEX_PIECES = [
    "Anna Rossi", "anna  rossi", "Annarossi", "xAnna Rossi", "ANNA ROSSI.",
    "anna.rossi@uni-x.example",
    "Ufficio (Brevetti)", "ufficio brevetti", "--**--", "+39 051 209 9111", "051-209-9111",
    "0512099111", "1051 209 9111", "0.0512099111", "(030) 123 4567", "30 1234567", "301234567",
    "1 2 3 4 5 6 7", "2024-05-01", " ", "\n", ", ", "-", ".", "9", "é", "Rossi",
]  # fmt: skip


def _brute_force(text: str, needles) -> set[tuple[str, int]]:
    plain = personal.normalise(text)
    found = set()
    for needle in needles:
        if needle.literal:
            hit = needle.pattern.search(plain) is not None
        else:
            hit = any(
                matching.is_phone_match(m, needle.n_digits) for m in needle.pattern.finditer(text)
            )
        if hit:
            found.add((needle.value.kind, needle.value.row))
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_INDEX_PIECES), max_size=12))
def test_indexed_scan_finds_exactly_what_trying_every_value_finds(pieces):
    text = "".join(pieces)
    needles = matching.needles_for(_INDEX_VALUES, set())
    leaks = scan.scan_text(text, needles, "out.txt", matching.NeedleIndex(needles))
    assert {(leak.kind, leak.row) for leak in leaks} == _brute_force(text, needles)
