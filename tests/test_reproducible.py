"""Identical bytes (issue 4 §1): two clean builds of one commit, in two separate clones,
give byte-identical HTML, PDF, processed CSVs and key_figures.json."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from ktreport.run.snakemake import build_tree

# What must not differ between two builds of one commit (relative to the project root).
COMPARED = (
    "report/output/*.html",
    "report/output/*.pdf",
    "report/output/key_figures.json",
    "report/output/briefs/*",
    "data/processed/*.csv",
    "data/processed/**/*.csv",
    "data/processed/key_figures.json",
)


def _outputs(tree: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for pattern in COMPARED:
        for path in sorted(tree.glob(pattern)):
            if path.is_file():
                files[path.relative_to(tree).as_posix()] = path.read_bytes()
    return files


def first_difference(a: bytes, b: bytes, context: int = 40) -> str:
    """Where two byte strings first differ, with the bytes around it on each side."""
    limit = min(len(a), len(b))
    offset = next((i for i in range(limit) if a[i] != b[i]), limit)
    start = max(0, offset - context)
    return (
        f"first difference at byte {offset} (sizes {len(a)} and {len(b)}):\n"
        f"    first:  {a[start : offset + context]!r}\n"
        f"    second: {b[start : offset + context]!r}"
    )


def describe_differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    """One entry per file that is missing on one side or differs, saying where."""
    report = []
    for name in sorted(set(first) | set(second)):
        if name not in second:
            report.append(f"{name}: only in the first build")
        elif name not in first:
            report.append(f"{name}: only in the second build")
        elif first[name] != second[name]:
            report.append(f"{name}: {first_difference(first[name], second[name])}")
    return report


def test_describe_differences_names_the_file_and_the_first_differing_bytes():
    report = describe_differences(
        {"a.html": b"<p>built 2024-01-01</p>", "b.csv": b"x"},
        {"a.html": b"<p>built 2024-01-02</p>", "c.csv": b"y"},
    )
    assert report[0].startswith("a.html: first difference at byte 18 ")
    assert "b'<p>built 2024-01-01</p>'" in report[0]
    assert report[1:] == ["b.csv: only in the first build", "c.csv: only in the second build"]


def _clone(target: Path) -> Path:
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(target)],
        check=True,
        capture_output=True,
    )
    return target


@pytest.mark.e2e
def test_two_clean_builds_of_one_commit_are_byte_identical(tmp_path):
    outputs = []
    # Two clones at different paths: an absolute path of the build machine leaking into an
    # output shows up as a difference.
    for name in ("first-clone", "second-clone-with-a-longer-path"):
        tree = _clone(tmp_path / name)
        log = tmp_path / f"{name}.log"
        result = build_tree(tree, "all", log)
        assert result.returncode == 0, f"the build in {tree} failed; its log: {log}"
        outputs.append(_outputs(tree))
    first, second = outputs
    for required in ("report/output/key_figures.json", "data/processed/interviews.csv"):
        assert required in first, f"the build wrote no {required}"
    assert any(name.endswith(".pdf") for name in first) and any(
        name.endswith(".html") for name in first
    )
    differences = describe_differences(first, second)
    assert not differences, "the two builds differ:\n" + "\n".join(differences)
