"""Outside the DAG, for partners: the data dictionary (docs/data-dictionary.md) from the contract.

Everything below is generated from ``contract``, the reading limits of ``readers``, the date
window of ``validate`` and the skills taxonomy file, so the dictionary partners read cannot
disagree with the validator. ``tests/test_validate.py`` checks that the committed file is
the generated one; regenerate it with ``ktreport dictionary``.
"""

from __future__ import annotations

from pathlib import Path

from ktreport import contract
from ktreport.contract import PARTNER_TABLES, PROCESSED_TABLES, Column, Table
from ktreport.ingest import readers

DEFAULT_PATH = Path("docs/data-dictionary.md")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _codes(values) -> str:
    return ", ".join(f"`{v}`" for v in values)


def values_text(column: Column, table: Table) -> str:
    """What a partner may write in ``column``, in words."""
    kind = column.kind
    if kind == "id":
        if column.name == table.id_column:
            return "text, unique across all partners"
        return "an existing interview_id of the interviews files"
    if kind == "text":
        return "text"
    if kind == "enum":
        text = "one of " + _codes(column.allowed)
    elif kind == "multi":
        text = "one or more of " + _codes(column.allowed) + ", separated by `;`"
    elif kind == "skills":
        return "skills of the taxonomy (id, label or synonym), separated by `;`"
    elif kind == "skill":
        return "one skill of the taxonomy (id, label or synonym)"
    elif kind == "country":
        return "country name (English, short or local form) or ISO alpha-2/alpha-3 code"
    elif kind in ("number", "integer"):
        text = column.allowed_text()
        if kind == "number":
            text += " (decimal comma accepted)"
        return text
    elif kind == "date":
        return f"a date: 2023-03-31, 31/03/2023, 31.03.2023 or a date cell; years {_date_years()}"
    elif kind == "boolean":
        text = "yes or no"
        if column.default is not None:
            text += f" (blank = {'yes' if column.default else 'no'})"
        return text
    elif kind == "url":
        return "a web address starting with http:// or https://"
    elif kind == "personal":
        return "personal data: allowed here, removed at cleaning, never in any output"
    else:  # pragma: no cover - a new kind must be documented here
        raise ValueError(kind)
    if column.aliases:
        text += "; also understood: " + ", ".join(f"“{alias}”" for alias in sorted(column.aliases))
    return text


def _date_years() -> str:
    from ktreport.ingest.cells import EARLIEST_DATE, LATEST_DATE

    return f"{EARLIEST_DATE.year}–{LATEST_DATE.year}"


def _table_section(table: Table) -> list[str]:
    lines = [
        f"### `{table.name}`" + (" (optional)" if table.optional else ""),
        "",
        table.description,
        f"Files: `data/raw/{table.name}/<partner_id>.csv` (or `.xlsx`, `.xls`, `.ods`; in a "
        f"workbook the sheet named `{table.name}`, else the first visible sheet).",
        "",
        "| column | required | values | description | example |",
        "|---|---|---|---|---|",
    ]
    for column in table.columns:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{column.name}`",
                    "yes" if column.required else "no",
                    _cell(values_text(column, table)),
                    _cell(column.description),
                    _cell(f"`{column.example}`" if column.example else ""),
                ]
            )
            + " |"
        )
    lines.append("")
    return lines


def _taxonomy_section(taxonomy_path: Path) -> list[str]:
    from ktreport.ingest.taxonomy import load_taxonomy

    taxonomy, _ = load_taxonomy(taxonomy_path, taxonomy_path.as_posix())
    lines = [
        "## The skills taxonomy",
        "",
        f"From `data/raw/{taxonomy_path.name}` ({len(taxonomy)} skills). A skill in a partner "
        "file matches its id, its label or one of its synonyms, ignoring case, accents, "
        "spaces and punctuation.",
        "",
        "| skill_id | label | category | cluster | framework | synonyms |",
        "|---|---|---|---|---|---|",
    ]
    for skill in sorted(taxonomy.skills.values(), key=lambda s: (s.category, s.skill_id)):
        lines.append(
            "| "
            + " | ".join(
                _cell(text)
                for text in (
                    f"`{skill.skill_id}`",
                    skill.label,
                    skill.category,
                    skill.cluster,
                    skill.framework,
                    "; ".join(skill.synonyms),
                )
            )
            + " |"
        )
    lines.append("")
    return lines


def render_dictionary(taxonomy_path: Path | None = None) -> str:
    """The data dictionary as Markdown (``taxonomy_path`` adds the list of skills)."""
    mb = readers.MAX_FILE_BYTES // 1024 // 1024
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated by `ktreport dictionary` from workflow/ktreport/contract.py and "
        "data/raw/skills_taxonomy.csv. Do not edit by hand. -->",
        "",
        "What partners put in `data/raw/`, and what the pipeline makes of it. "
        "Check a file with `ktreport validate data/raw/<table>/<partner_id>.xlsx`: it lists "
        "every problem with its file, row and column.",
        "",
        "## Files",
        "",
        "```",
        "data/raw/",
        "  partners.csv                                " + ", ".join(contract.PARTNERS_COLUMNS),
        "  skills_taxonomy.csv                         " + ", ".join(contract.TAXONOMY_COLUMNS),
    ]
    for table in PARTNER_TABLES.values():
        note = "optional" if table.optional else "one file per partner (may be absent)"
        lines.append(f"  {table.name + '/<partner_id>.csv|.xlsx|.ods':<44}{note}")
    lines += [
        "```",
        "",
        "- The partner of a file is its name without extension; it must be a `partner_id` "
        "of `partners.csv`. A new partner file is picked up without any configuration.",
        "- CSV: columns separated by `,` or `;` (detected); UTF-8 with or without BOM, or "
        "the Windows code page (detected). Workbooks: `.xlsx`, `.xls`, `.ods`; hidden "
        "sheets are ignored, formulas count with their last computed value, merged cells "
        "give their value to every cell they cover.",
        "- Column names: case, spaces and punctuation do not matter (`Case ID` = "
        "`case_id`); title rows above the header row are allowed (the header must be within "
        f"the first {readers.HEADER_SEARCH_ROWS} rows). Unknown columns are ignored with a "
        "warning; a missing required column is an error.",
        "- Cells are trimmed; fully blank rows are ignored. Row numbers in problems are "
        "those the spreadsheet shows.",
        "- yes/no columns accept " + ", ".join(contract.YES_VALUES) + " and "
        "" + ", ".join(contract.NO_VALUES) + " (any case); blank means the default.",
        f"- Limits: a file of at most {mb} MB, {_thousands(readers.MAX_ROWS)} rows, "
        f"{readers.MAX_COLUMNS} columns and {_thousands(readers.MAX_CELL_CHARS)} characters "
        "per cell.",
        "- Personal data (name, email, organisation, phone of interviewees) may stay in the "
        "raw files; it is removed at cleaning and never reaches any output. A quote is "
        "used only with `consent_to_quote` = yes, with the interviewee's name and "
        "organisation replaced by [name] and [organisation].",
        "",
        "## Partner tables",
        "",
    ]
    for table in PARTNER_TABLES.values():
        lines += _table_section(table)
    lines += [
        "## Processed tables",
        "",
        "Written by the pipeline to `data/processed/` (UTF-8, sorted rows, `true`/`false`, "
        "blank for missing); every later stage reads only these, plus `problems.csv` "
        "(every problem found).",
        "",
        "| table | columns |",
        "|---|---|",
    ]
    for name, columns in PROCESSED_TABLES.items():
        lines.append(f"| `{name}` | {', '.join(columns)} |")
    lines.append("")
    if taxonomy_path is not None and taxonomy_path.exists():
        lines += _taxonomy_section(taxonomy_path)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_dictionary(path: Path = DEFAULT_PATH, taxonomy_path: Path | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_dictionary(taxonomy_path).encode("utf-8"))
    return path
