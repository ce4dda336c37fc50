"""``make bench`` and the Quarto route: Quarto's render is timed beside pandoc's (where a
quarto is installed), never counted in the floor of the default (pandoc) route."""

from __future__ import annotations

from ktreport.tools.bench_floor import floor_seconds, quarto_folder


def test_the_floor_leaves_out_quartos_render():
    floor = {"kaleido": 4.0, "pandoc": 1.0, "weasyprint": 10.0, "quarto": 15.0}
    assert floor_seconds(floor) == 15.0


def test_quarto_is_timed_from_path_or_ktreport_quarto(tmp_path, monkeypatch):
    quarto = tmp_path / "kit" / "bin" / "quarto"
    quarto.parent.mkdir(parents=True)
    quarto.write_text("#!/bin/sh\n")
    quarto.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("KTREPORT_QUARTO", raising=False)
    assert quarto_folder() is None
    monkeypatch.setenv("KTREPORT_QUARTO", str(quarto))
    assert quarto_folder() == str(quarto.parent)
    monkeypatch.delenv("KTREPORT_QUARTO")
    monkeypatch.setenv("PATH", str(quarto.parent))
    assert quarto_folder() == str(quarto.parent)
