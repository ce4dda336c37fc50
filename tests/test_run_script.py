"""The rule scripts' shared skeleton (``ktreport.run.script.run_step``): what a step writes to
its log and says on the terminal when it succeeds, stops on bad input, or meets a bug."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import SimpleNamespace

from ktreport.core.errors import KtreportError
from ktreport.run.script import Failed, run_step


def _smk(tmp_path: Path, rule: str = "make_things") -> SimpleNamespace:
    return SimpleNamespace(rule=rule, log=[str(tmp_path / "logs" / f"{rule}.log")])


def _log(smk: SimpleNamespace) -> str:
    return Path(smk.log[0]).read_text(encoding="utf-8")


def test_a_step_that_succeeds_writes_its_summary_to_the_log(tmp_path, capsys):
    smk = _smk(tmp_path)
    assert run_step(smk, lambda: "3 things made\n") == 0
    assert _log(smk) == "3 things made\n"
    assert capsys.readouterr().err == ""


def test_an_expected_error_is_one_line_on_stderr_and_the_message_in_the_log(tmp_path, capsys):
    smk = _smk(tmp_path)

    def body() -> str:
        raise KtreportError("data/raw/x.csv is missing: add it")

    assert run_step(smk, body) == 1
    assert _log(smk) == "data/raw/x.csv is missing: add it\n"
    assert capsys.readouterr().err == "make_things: data/raw/x.csv is missing: add it\n"


def test_a_bug_keeps_the_traceback_in_the_log_and_says_where_it_is(tmp_path, capsys):
    smk = _smk(tmp_path)

    def body() -> str:
        raise ZeroDivisionError("oops")

    assert run_step(smk, body) == 1
    assert "Traceback (most recent call last)" in _log(smk) and "ZeroDivisionError" in _log(smk)
    err = capsys.readouterr().err
    assert err == f"make_things failed unexpectedly; details in {smk.log[0]}\n"
    assert "Traceback" not in err


def test_only_the_errors_named_expected_are_messages(tmp_path, capsys):
    smk = _smk(tmp_path)

    def body() -> str:
        raise ValueError("not a person's problem")

    assert run_step(smk, body, expected=(KeyError,), unexpected="{name} broke; see {log}") == 1
    assert capsys.readouterr().err == f"make_things broke; see {smk.log[0]}\n"
    assert "ValueError" in _log(smk)


def test_a_step_can_stop_the_build_after_saying_why_itself(tmp_path, capsys):
    smk = _smk(tmp_path)

    def body() -> Failed:
        print("2 errors, listed above", file=sys.stderr)
        return Failed("error 1\nerror 2\n")

    assert run_step(smk, body) == 1
    assert _log(smk) == "error 1\nerror 2\n"
    assert capsys.readouterr().err == "2 errors, listed above\n"


def test_library_warnings_go_to_the_log_before_the_summary_not_to_the_terminal(tmp_path, capsys):
    smk = _smk(tmp_path, "render_pdf")
    logger = logging.getLogger("weasyprint")
    before = (logger.handlers[:], logger.level, logger.propagate)

    def body() -> str:
        logger.warning("Ignored `hyphens: auto`")
        logger.info("not worth a line")
        return "PDF written\n"

    assert run_step(smk, body, loggers=("weasyprint",)) == 0
    assert _log(smk) == "Ignored `hyphens: auto`\nPDF written\n"
    assert capsys.readouterr().err == ""
    assert (logger.handlers[:], logger.level, logger.propagate) == before


def test_a_steps_process_ends_without_pythons_last_collections(tmp_path):
    # core.shutdown: the objects are frozen at exit (0.2 s of each rule script with pandas);
    # the step's log is written and its exit code kept, and the calling process (this test's)
    # keeps its collector until it exits.
    import subprocess

    script = (
        "import atexit, gc, sys\n"
        "from types import SimpleNamespace\n"
        "from ktreport.run.script import run_step\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        f"smk = SimpleNamespace(rule='make_things', log=[{str(tmp_path / 'step.log')!r}])\n"
        "code = run_step(smk, lambda: 'made\\n')\n"
        "print('frozen before exit', gc.get_freeze_count() > 0)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["frozen before exit False", "frozen True"]
    assert (tmp_path / "step.log").read_text(encoding="utf-8") == "made\n"
