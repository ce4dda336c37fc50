"""The text environment: filters, escaping, key-figure spans, templates' errors, chapters."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ktreport.chapters import (
    KeyFigure,
    TemplateProblem,
    build_context,
    dump_context,
    filters,
    layout,
    load_key_figures,
    write_chapters,
)
from ktreport.chapters.blocks import build_information
from ktreport.core import provenance

FIXTURE = Path(__file__).parent / "fixtures" / "render" / "minimal_report"
NBSP = "\u00a0"


def pandoc_to_html(markdown: str) -> str:
    result = subprocess.run(
        [provenance.pandoc_path(), "--from=markdown", "--to=html5", "--wrap=none"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def write_templates(directory: Path, **templates: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, body in templates.items():
        (directory / f"{name}.md.j2").write_text(body, encoding="utf-8")
    return directory


def kf(**figures: dict) -> dict[str, KeyFigure]:
    path_figures = {name: KeyFigure(name=name, **record) for name, record in figures.items()}
    return path_figures


# --------------------------------------------------------------------------- filters
@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.41666, 0, f"42{NBSP}%"),
        (0.41666, 1, f"41.7{NBSP}%"),
        (0.125, 0, f"13{NBSP}%"),  # half up, as a reader rounds (not banker's 12 %)
        (0.415, 0, f"42{NBSP}%"),  # 41.5 in decimal, though 0.415 * 100 < 41.5 in binary
        (0, 0, f"0{NBSP}%"),
        (1, 0, f"100{NBSP}%"),
        (-0.12, 0, f"\u221212{NBSP}%"),
    ],
)
def test_pct_formats_shares_in_house_style(value, digits, expected):
    assert filters.pct(value, digits) == expected


def test_pct_of_a_missing_value_is_a_dash():
    assert filters.pct(None) == "–"
    assert filters.pct(float("nan")) == "–"


def test_pp_gives_signed_percentage_points():
    assert filters.pp(0.12) == f"+12{NBSP}percentage points"
    assert filters.pp(-0.05) == f"\u22125{NBSP}percentage points"
    assert filters.pp(0.01) == f"+1{NBSP}percentage point"


def test_num_separates_thousands_and_keeps_integers_whole():
    assert filters.num(1234) == "1,234"
    assert filters.num(3.0) == "3"
    assert filters.num(3.456) == "3.5"
    assert filters.num(3.456, 2) == "3.46"


def test_n_of():
    assert filters.n_of(25, 60) == "25 of 60"


@pytest.mark.parametrize(
    ("n", "args", "expected"),
    [
        (1, ("programme",), "1 programme"),
        (3, ("programme",), "3 programmes"),
        (0, ("programme",), "0 programmes"),
        (1, ("case study", "case studies"), "1 case study"),
        (30, ("case study", "case studies"), "30 case studies"),
    ],
)
def test_plural(n, args, expected):
    assert filters.plural(n, *args) == expected


def test_plural_without_the_number():
    assert filters.plural(2, "interview", with_number=False) == "interviews"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["negotiation"], "negotiation"),
        (["negotiation", "licensing"], "negotiation and licensing"),
        (
            ["negotiation", "conflict resolution", "alliance building"],
            "negotiation, conflict resolution and alliance building",
        ),
    ],
)
def test_join_list(items, expected):
    assert filters.join_list(items) == expected


def test_join_list_with_or():
    assert filters.join_list(["a", "b", "c"], "or") == "a, b or c"


# --------------------------------------------------------------------------- md escaping
def test_md_makes_script_tags_visible_text():
    output = pandoc_to_html(filters.md("<script>alert(1)</script>"))
    assert "<script>" not in output
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in output


def test_md_keeps_jinja_and_shortcode_syntax_literal():
    output = pandoc_to_html(filters.md("{{ 7*7 }} and {{< include x >}}"))
    assert html.unescape(re.sub(r"</?p>", "", output)).strip() == "{{ 7*7 }} and {{< include x >}}"


def test_md_stops_markdown_structure_and_citations():
    source = "# not a heading\n1. not a list *not emphasis* @fig-x [link](http://x) | pipe"
    output = pandoc_to_html(filters.md(source))
    assert "<h1" not in output and "<ol" not in output and "<em>" not in output
    assert "<a " not in output and "citation" not in output
    assert html.unescape(re.sub(r"</?p>", "", output)).strip() == " ".join(source.split())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=("L", "N", "P", "S", "Zs"),
            exclude_characters="\u00a0\u2028\u2029",
        ),
        max_size=60,
    )
)
def test_md_renders_any_partner_text_exactly_as_typed(value):
    # Runs of ordinary white space collapse (as in HTML); other spaces stay as typed.
    expected = re.sub(r"[ \t\n\r\f\v]+", " ", value).strip(" ")
    output = pandoc_to_html(filters.md(value))
    # Only pandoc's own line break is stripped: str.strip() would also take the other
    # spaces ("\u2000") the text must keep.
    shown = html.unescape(re.sub(r"</?p>", "", output)).strip("\n")
    assert shown == expected


def test_md_collapses_line_breaks():
    assert "\n" not in filters.md("first line\nsecond line\r\nthird")


def test_a_percentage_keeps_its_no_break_space_through_md_and_its_source_span():
    # "83 %" must not break between the number and the sign at the end of a line.
    assert filters.md(f"83{NBSP}%") == f"83{NBSP}\\%"
    share = KeyFigure(name="share_soft", value=0.83, unit="share")
    assert f"[83{NBSP}\\%]" in str(share)
    assert f"83{NBSP}%" in pandoc_to_html(str(share))


# --------------------------------------------------------------------------- key figures
def test_key_figure_renders_its_value_with_its_source():
    figure = KeyFigure(
        name="n_required_negotiation",
        value=41,
        definition="interviewees who named negotiation as required",
        n=41,
        denominator=60,
        unit="count",
    )
    output = pandoc_to_html(str(figure))
    assert 'data-kf="n_required_negotiation"' in output
    assert (
        'title="n_required_negotiation — interviewees who named negotiation as required: '
        '41 of 60"' in output
    )
    assert ">41</span>" in output


def test_filters_keep_the_source_span_of_a_key_figure():
    share = KeyFigure(name="share_x", value=0.6833, definition="d", n=41, denominator=60)
    output = pandoc_to_html(filters.pct(share))
    assert 'data-kf="share_x"' in output and f">68{NBSP}%</span>" in output


def test_a_definition_with_quotes_stays_inside_its_attribute():
    figure = KeyFigure(name="x", value=3, definition='the "best" one \\ really')
    output = pandoc_to_html(str(figure))
    assert 'title="x — the &quot;best&quot; one \\ really"' in output


def test_load_key_figures_reads_the_aggregate_format(tmp_path):
    path = tmp_path / "key_figures.json"
    path.write_text(
        json.dumps(
            {
                "n_interviews": {
                    "value": 60,
                    "definition": "interviews",
                    "n": 60,
                    "denominator": None,
                    "unit": "count",
                },
                "top_required_skill": {"value": "Negotiation", "unit": "label", "n": 41},
            }
        )
    )
    figures = load_key_figures(path)
    assert figures["n_interviews"].value == 60
    assert figures["n_interviews"].definition == "interviews"
    assert figures["top_required_skill"].formatted() == "Negotiation"


def test_share_key_figures_render_as_percentages():
    assert KeyFigure(name="s", value=0.5, unit="share").formatted() == f"50{NBSP}%"


# --------------------------------------------------------------------------- environment
def render(tmp_path: Path, body: str, context: dict | None = None, **globals_) -> str:
    chapters = write_templates(tmp_path / "chapters", **{"01-test": body})
    out = tmp_path / "out"
    write_chapters(chapters, context or {}, out, shown_dir="report/chapters")
    return (out / "01-test.qmd").read_text(encoding="utf-8")


def test_markdown_attributes_are_not_jinja_comments(tmp_path):
    body = "# Results {#sec-results}\n\n::: {#fig-x}\nx\n:::\n{## a note for authors ##}\nend\n"
    output = render(tmp_path, body)
    assert "{#sec-results}" in output and "::: {#fig-x}" in output
    assert "a note for authors" not in output


def test_an_undefined_key_figure_names_template_line_and_name(tmp_path):
    body = "line 1\nline 2\n{{ kf.n_interviews }} and {{ kf.n_foo }}\n"
    context = {"kf": kf(n_interviews={"value": 60})}
    with pytest.raises(TemplateProblem) as caught:
        render(tmp_path, body, context)
    assert str(caught.value).startswith(
        "report/chapters/01-test.md.j2:3: 'kf' has no attribute 'n_foo'"
    )


def test_an_undefined_key_figure_suggests_a_close_name(tmp_path):
    context = {"kf": kf(n_interviews={"value": 60})}
    with pytest.raises(TemplateProblem, match="did you mean 'n_interviews'"):
        render(tmp_path, "{{ kf.n_interview }}\n", context)


def test_an_undefined_variable_is_an_error_not_an_empty_string(tmp_path):
    with pytest.raises(TemplateProblem, match=r"01-test\.md\.j2:2: 'nothing' is undefined"):
        render(tmp_path, "ok\n{{ nothing }}\n")


def test_a_syntax_error_names_its_line(tmp_path):
    with pytest.raises(TemplateProblem, match=r"01-test\.md\.j2:2:"):
        render(tmp_path, "ok\n{% if %}\n")


def test_an_error_inside_a_template_expression_names_its_line(tmp_path):
    with pytest.raises(TemplateProblem, match=r"01-test\.md\.j2:3: .*division"):
        render(tmp_path, "a\nb\n{{ 1 / 0 }}\n")


def test_an_unknown_attribute_of_a_key_figure_is_named(tmp_path):
    context = {"kf": kf(n_interviews={"value": 60})}
    with pytest.raises(TemplateProblem, match="'kf.n_interviews' has no attribute 'size'"):
        render(tmp_path, "{{ kf.n_interviews.size }}\n", context)


def test_key_figure_attributes_are_available_in_templates(tmp_path):
    context = {
        "kf": kf(share_x={"value": 0.5, "definition": "half of them", "n": 30, "denominator": 60})
    }
    output = render(
        tmp_path,
        "{{ kf.share_x.definition }}; {{ kf.share_x.n }}/{{ kf.share_x.denominator }}; "
        "{% if kf.share_x > 0.4 %}big{% endif %}\n",
        context,
    )
    assert output == "half of them; 30/60; big\n"


def test_context_values_are_never_evaluated_as_templates(tmp_path):
    context = {"data": {"quote": "{{ 7*7 }}"}}
    output = render(tmp_path, "{{ data.quote }}\n", context)
    assert output == "{{ 7*7 }}\n"


def test_figure_writes_a_quarto_figure_block(tmp_path):
    context = {
        "figures": {
            "fig-gap": {
                "id": "fig-gap",
                "title": "Supply and demand",
                "caption": "Source: interviews, n = 60.",
                "alt": 'Scatter plot: "negotiation" is in the training-gap corner.',
                "svg": "fig-gap.svg",
            }
        }
    }
    output = render(tmp_path, '{{ figure("fig-gap") }}\n', context)
    assert output.startswith("::: {#fig-gap}\n")
    assert (
        '![](figures/fig-gap.svg){fig-alt="Scatter plot: \\"negotiation\\" is in the '
        'training-gap corner."}' in output
    )
    assert "**Supply and demand.** Source\\: interviews\\, n \\= 60\\." in output
    assert output.rstrip().endswith(":::")


def test_an_unknown_figure_is_an_error_listing_the_known_ones(tmp_path):
    context = {"figures": {"fig-a": {"id": "fig-a"}}}
    with pytest.raises(TemplateProblem, match="no figure 'fig-b'.*fig-a"):
        render(tmp_path, '{{ figure("fig-b") }}\n', context)


def test_table_writes_a_pipe_table_with_a_quarto_caption(tmp_path):
    frame = pd.DataFrame({"group": ["KT *experts*", "Other"], "n": [12, 6], "share": [0.2, 0.1]})
    context = {"tables": {"groups": frame}}
    output = render(
        tmp_path,
        '{{ table(tables.groups, "tbl-groups", "Interviews by group", '
        'columns={"group": "Group", "n": "Interviews", "share": "Share"}, '
        'formats={"share": "pct"}) }}\n',
        context,
    )
    lines = output.strip().splitlines()
    assert lines[0] == "| Group | Interviews | Share |"
    assert re.fullmatch(r"\|:-+\|-+:\|-+:\|", lines[1])  # text left, numbers right
    assert lines[2] == f"| KT \\*experts\\* | [12]{{.nowrap}} | [20{NBSP}%]{{.nowrap}} |"
    assert lines[-1] == ": Interviews by group {#tbl-groups .keep-together}"
    rendered = pandoc_to_html(output)
    assert (
        '<table id="tbl-groups" class="keep-together">' in rendered and "KT *experts*" in rendered
    )


def test_table_capped_by_max_rows_shows_the_first_rows_and_says_where_the_rest_is(tmp_path):
    frame = pd.DataFrame({"case_id": [f"C{i:04d}" for i in range(1, 1201)]})
    context = {"tables": {"cases": frame}}
    template = (
        '{{ table(tables.cases, "tbl-cases", "The programmes", columns={"case_id": "ID"}, '
        'max_rows=%s, full="data/processed/aggregates/case_study_list.csv") }}\n'
    )
    lines = render(tmp_path, template % "100", context).strip().splitlines()
    rows = [line for line in lines if line.startswith("| [C")]
    assert rows[0] == "| [C0001]{.nowrap} |" and rows[-1] == "| [C0100]{.nowrap} |"
    assert len(rows) == 100
    # "and M more": 1,200 rows less the 100 shown, counted from the data.
    assert lines[-1] == (
        ": The programmes (the first 100 rows, and 1,100 more in "
        "`data/processed/aggregates/case_study_list.csv`) {#tbl-cases}"
    )
    archival = template.replace(") }}", ", archival=true) }}")
    lines = render(tmp_path, archival % "1000", context).strip().splitlines()
    assert lines[-1] == (
        ": The programmes (the first 1,000 rows, and 200 more in "
        "`data/processed/aggregates/case_study_list.csv`, which the archival PDF carries "
        "too) {#tbl-cases}"
    )
    # At or under the cap the table is whole and its caption unchanged.
    lines = render(tmp_path, template % "1200", context).strip().splitlines()
    assert len([line for line in lines if line.startswith("| [C")]) == 1200
    assert lines[-1] == ": The programmes {#tbl-cases}"


def dash_counts(separator: str) -> list[int]:
    """The width pandoc reads from each segment of a pipe table's separator line."""
    return [len(segment) for segment in separator.strip("|").split("|")]


def col_widths(html_text: str) -> list[int]:
    return [int(w) for w in re.findall(r'<col style="width: (\d+)%" />', html_text)]


def test_table_column_widths_follow_the_longest_cell_of_each_column(tmp_path):
    frame = pd.DataFrame(
        {
            "case_id": ["ASTP-C01", "NETVAL-C07"],
            "programme": ["Negotiation and Leadership", "KTI practitioner training"],
            "skills": ["Communication; IP and patent management; Negotiation", "Negotiation"],
        }
    )
    output = render(
        tmp_path,
        '{{ table(tables.cases, "tbl-cases", "Programmes", '
        'columns={"case_id": "ID", "programme": "Programme", "skills": "Skills trained"}) }}\n',
        {"tables": {"cases": frame}},
    )
    separator = output.splitlines()[1]
    ids, programmes, skills = dash_counts(separator)
    # The table fits the line: the columns share it in proportion to their longest cells
    # (10, 26 and 52 characters, wide letters wider), each with its padding.
    assert ids < programmes < skills
    longest = [
        layout.text_width(cell) + layout.CELL_PADDING
        for cell in ("NETVAL-C07", "Negotiation and Leadership", frame["skills"][0])
    ]
    assert programmes / ids == pytest.approx(longest[1] / longest[0], rel=0.1)
    assert skills / programmes == pytest.approx(longest[2] / longest[1], rel=0.1)
    # The widths fill the line, and the separator is longer than pandoc's --columns, so
    # pandoc uses the dash counts (render.py runs it with --columns=TABLE_LINE).
    assert len(separator) > layout.TABLE_LINE
    widths = col_widths(pandoc_to_html(output))
    assert len(widths) == 3 and widths[0] < widths[1] < widths[2]


def test_a_table_wider_than_the_line_keeps_identifiers_and_numbers_whole(tmp_path):
    # Long text in two columns: the identifier, the short word and the number columns get
    # at least their longest cell (or header word), the text columns share the rest.
    long_text = " ".join(["Technology transfer and innovation management seminar"] * 3)
    frame = pd.DataFrame(
        {
            "case_id": ["UNIBO-C06", "UH-C01"],
            "programme": [long_text, "Research-to-business training"],
            "provider": [long_text, "Helsinki Innovation Services"],
            "delivery": ["In person", "Online"],
            "hours": [720, 12],
            "n_skills": [10, 5],
        }
    )
    headers = {
        "case_id": "ID",
        "programme": "Programme",
        "provider": "Provider",
        "delivery": "Delivery",
        "hours": "Hours",
        "n_skills": "Skills",
    }
    output = render(
        tmp_path,
        '{{ table(tables.cases, "tbl-cases", "Programmes", columns=columns) }}\n',
        {"tables": {"cases": frame}, "columns": headers},
    )
    lines = output.splitlines()
    widths = dict(zip(headers, dash_counts(lines[1]), strict=True))
    assert widths["case_id"] >= layout.text_width("UNIBO-C06") + layout.CELL_PADDING
    assert widths["hours"] >= layout.text_width("Hours", bold=True) + layout.CELL_PADDING
    assert widths["n_skills"] >= layout.text_width("Skills", bold=True) + layout.CELL_PADDING
    assert widths["delivery"] >= layout.text_width("Delivery", bold=True) + layout.CELL_PADDING
    assert widths["programme"] > 2 * widths["case_id"]
    assert sum(widths.values()) == pytest.approx(layout.TABLE_LINE, abs=len(widths))
    # Identifiers and numbers never break ("UNIBO-\nC06", "72\n0"); text wraps.
    assert lines[2].startswith("| [UNIBO\\-C06]{.nowrap} | Technology transfer")
    assert "| [720]{.nowrap} | [10]{.nowrap} |" in lines[2]
    assert "[In person]" not in output  # two words: may wrap between them
    assert ": Programmes {#tbl-cases .keep-together}" in output  # normal size, not .dense


def test_a_table_whose_narrowest_columns_do_not_fit_is_set_dense(tmp_path):
    frame = pd.DataFrame({f"c{i}": [f"Commercialisation{i}"] for i in range(8)})
    output = render(
        tmp_path,
        '{{ table(tables.wide, "tbl-wide", "Eight long words") }}\n',
        {"tables": {"wide": frame}},
    )
    assert output.rstrip().endswith(": Eight long words {#tbl-wide .dense .keep-together}")
    assert sum(dash_counts(output.splitlines()[1])) >= layout.DENSE_TABLE_LINE
    assert '<table id="tbl-wide" class="dense keep-together">' in pandoc_to_html(output)


def test_only_a_short_table_is_kept_on_one_page(tmp_path):
    template = '{{ table(tables.rows.head(%d), "tbl-rows", "Rows") }}\n'
    context = {"tables": {"rows": pd.DataFrame({"n": range(30)})}}
    short = render(tmp_path, template % layout.KEEP_TOGETHER_ROWS, context)
    assert short.rstrip().endswith("{#tbl-rows .keep-together}")
    long = render(tmp_path, template % (layout.KEEP_TOGETHER_ROWS + 1), context)
    assert long.rstrip().endswith("{#tbl-rows}")


def test_table_accepts_records_and_formats_names_as_code(tmp_path):
    output = render(
        tmp_path,
        '{{ table([{"name": "case_id", "note": "Unique ID"}, {"name": "notes", "note": none}], '
        '"tbl-columns", "Columns", columns={"name": "Column", "note": "Content"}, '
        'formats={"name": "code"}) }}\n',
        {},
    )
    rows = output.splitlines()[2:4]
    assert rows == ["| [`case_id`]{.nowrap} | Unique ID |", "| [`notes`]{.nowrap} | – |"]
    assert "<code>case_id</code>" in pandoc_to_html(output)


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ('[41]{data-kf="n_interviews" title="n \\"all\\" {x}"}', "41"),
        ("KT \\*experts\\* \\[draft\\]", "KT *experts* [draft]"),
        ("[`case_id`]{.nowrap}", "case_id"),
    ],
)
def test_visible_text_is_what_the_reader_sees_of_a_cell(markdown, shown):
    assert layout.visible_text(markdown) == shown


def test_text_width_counts_wide_letters_wider_than_narrow_ones():
    assert layout.text_width("WWW") > layout.text_width("www") > layout.text_width("iii")
    assert layout.text_width("Skills", bold=True) > layout.text_width("Skills")


def test_table_names_a_missing_column(tmp_path):
    context = {"tables": {"groups": pd.DataFrame({"n": [1]})}}
    with pytest.raises(TemplateProblem, match="no column share"):
        render(tmp_path, '{{ table(tables.groups, "tbl-x", "c", columns=["share"]) }}\n', context)


def test_an_unknown_table_is_named(tmp_path):
    with pytest.raises(TemplateProblem, match="'tables' has no table 'nope'"):
        render(tmp_path, "{{ tables.nope }}\n", {"tables": {}})


def test_label_and_skill_label(tmp_path):
    context = {"skills": {"negotiation": "Negotiation"}}
    output = render(
        tmp_path, "{{ 'kt_expert' | label }}, {{ 'negotiation' | skill_label }}\n", context
    )
    assert output == "KT experts, Negotiation\n"


def test_text_filters_keep_the_source_of_a_key_figure(tmp_path):
    context = {
        "kf": kf(
            top_group={"value": "kt_expert", "definition": "largest group", "unit": "label"},
            top_skill={"value": "negotiation", "unit": "label"},
        ),
        "skills": {"negotiation": "Negotiation"},
    }
    output = render(
        tmp_path,
        "{{ kf.top_group | label }}; {{ kf.top_skill | skill_label }}; {{ kf.top_group | md }}\n",
        context,
    )
    assert output == (
        '[KT experts]{data-kf="top_group" title="top_group — largest group"}; '
        '[Negotiation]{data-kf="top_skill" title="top_skill"}; '
        '[kt\\_expert]{data-kf="top_group" title="top_group — largest group"}\n'
    )


def test_an_unknown_skill_id_is_an_error(tmp_path):
    with pytest.raises(TemplateProblem, match="unknown skill id 'negotation'"):
        render(tmp_path, "{{ 'negotation' | skill_label }}\n", {"skills": {"negotiation": "N"}})


# --------------------------------------------------------------------------- chapters
def test_write_chapters_renders_every_template_in_name_order(tmp_path):
    chapters = write_templates(
        tmp_path / "chapters", **{"02-b": "# B\n", "01-a": "# A\n", "10-c": "# C\n"}
    )
    (chapters / "notes.md").write_text("not a chapter")
    written = write_chapters(chapters, {}, tmp_path / "out")
    assert [p.name for p in written] == ["01-a.qmd", "02-b.qmd", "10-c.qmd"]
    assert (tmp_path / "out" / "02-b.qmd").read_text() == "# B\n"


def test_a_reference_to_an_unknown_figure_names_the_template_line(tmp_path):
    chapters = write_templates(
        tmp_path / "chapters",
        **{
            "01-a": "# A {#sec-a}\n\n::: {#fig-one}\nx\n:::\n",
            "02-b": "# B\n\nAs @fig-one shows,\nand @fig-onne too.\n",
        },
    )
    with pytest.raises(TemplateProblem) as caught:
        write_chapters(chapters, {}, tmp_path / "out", shown_dir="report/chapters")
    assert str(caught.value) == (
        "report/chapters/02-b.md.j2:4: @fig-onne refers to no figure of the report "
        "(did you mean @fig-one?)"
    )


def test_references_across_chapters_and_tables_resolve(tmp_path):
    chapters = write_templates(
        tmp_path / "chapters",
        **{
            "01-a": "# A {#sec-a}\n\nSee @tbl-x and @sec-b.\n",
            "02-b": "# B {#sec-b}\n\n| a |\n|--|\n| 1 |\n\n: cap {#tbl-x}\n",
        },
    )
    assert len(write_chapters(chapters, {}, tmp_path / "out")) == 2


def test_no_templates_is_a_clear_error(tmp_path):
    (tmp_path / "chapters").mkdir()
    with pytest.raises(TemplateProblem, match="no chapter templates"):
        write_chapters(tmp_path / "chapters", {}, tmp_path / "out", shown_dir="chapters")


def test_build_context_and_dump(tmp_path):
    context = build_context(
        config={"sample_data": True, "report": {"title": "T"}},
        build={"version": "v1.0", "raw_files": []},
        key_figures=FIXTURE / "key_figures.json",
        figures_manifest=FIXTURE / "figures" / "figures.json",
        aggregates_dir=FIXTURE / "aggregates",
        processed_dir=FIXTURE / "processed",
    )
    assert context["kf"]["n_interviews"].value == 60
    assert list(context["figures"]) == ["fig-regions", "fig-gap"]
    assert context["tables"]["sample_by_group"]["interviews"].sum() == 60
    assert context["skills"] == {"negotiation": "Negotiation"}
    path = tmp_path / "render_context.json"
    dump_context(context, path)
    dumped = json.loads(path.read_text())
    assert dumped["kf"]["n_interviews"]["definition"].startswith("coded interviews")
    assert dumped["tables"]["sample_by_group"][0]["respondent_group"] == "hei_kt_professional"
    assert dumped["build"]["version"] == "v1.0"
    assert "NaN" not in path.read_text()
    # The processed tables stay in data/processed/: not copied into the render context.
    assert "data" in context and "data" not in dumped


def test_namibia_is_not_a_missing_value(tmp_path):
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "quotes.csv").write_text("interview_id,country,quote\nX-I01,NA,hello\n")
    context = build_context(
        config={},
        build={},
        key_figures=FIXTURE / "key_figures.json",
        figures_manifest=FIXTURE / "figures" / "figures.json",
        processed_dir=processed,
    )
    assert context["data"]["quotes"]["country"].tolist() == ["NA"]


def _raw(path: str, partner: str | None, table: str, rows: int | None) -> dict:
    return {"path": path, "partner": partner, "table": table, "rows": rows, "sha256": "f" * 64}


def _build_rows(block: str) -> list[str]:
    table = block[block.index("| Partner") : block.index("{#tbl-build-files")]
    rows = [line for line in table.splitlines() if line.startswith("| ")][1:]
    return [layout.visible_text(row) for row in rows]


def test_build_information_summarises_the_raw_files_by_partner_and_lists_tools():
    block = build_information(
        {
            "version": "v1.1",
            "commit": "abc",
            "date": "2024-05-02",
            "data_fingerprint": "0123456789ab",
            "raw_files": [
                _raw("data/raw/partners.csv", None, "partners", 6),
                _raw("data/raw/case_studies/UNIBO.csv", "UNIBO", "case_studies", 7),
                _raw("data/raw/interviews/UNIBO.csv", "UNIBO", "interviews", 12),
                _raw("data/raw/ratings/UNIBO.ods", "UNIBO", "ratings", 40),
                _raw("data/raw/interviews/UH.xlsx", "UH", "interviews", 9),
            ],
            "tools": {"pandoc": "3.9", "weasyprint": "70.0"},
        }
    )
    # One row per partner (the project's own files last): files, tables, rows added up.
    assert _build_rows(block) == [
        "| UH | 1 | interviews | 9 |",
        "| UNIBO | 3 | case studies, interviews, ratings | 59 |",
        "| project files | 1 | partners | 6 |",
    ]
    assert "- Raw data files: 5; `ktreport build-info` lists each" in block
    output = pandoc_to_html(block)
    assert "data/raw/interviews/UNIBO.csv" not in output and "f" * 16 not in output
    assert ">pandoc<" in output and ">3.9<" in output
    assert 'id="tbl-build-files"' in output and 'id="tbl-build-tools"' in output


def test_build_information_shows_at_most_the_partners_it_is_given_and_says_how_many_more():
    raw = [
        _raw(f"data/raw/interviews/P{i:02d}.csv", f"P{i:02d}", "interviews", i) for i in range(35)
    ]
    block = build_information({"raw_files": raw, "tools": {}}, max_partners=30)
    rows = _build_rows(block)
    assert len(rows) == 30 and rows[0] == "| P00 | 1 | interviews | 0 |"
    assert rows[-1] == "| P29 | 1 | interviews | 29 |"
    assert "(the first 30 partners, and 5 more: `ktreport build-info`)" in block
    assert "and 5 more" not in build_information({"raw_files": raw, "tools": {}}, max_partners=35)
