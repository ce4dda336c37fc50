"""Outside the DAG: ``ktreport build``, the user's build of the report in the project folder.

One build per folder at a time (``BuildLock``), config.yaml checked against its schema first
(``config_problems``) and its folders checked writable with room on the disk
(``writable_problems``), Snakemake run through ``run.snakemake`` with its whole output kept in
``logs/ktreport-build.log`` and only the progress shown (``ProgressFilter``), and its
failures turned into sentences (``run.failures``). The command line (cli.py) validates the
data first and does all the printing.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ktreport.catalog import (
    BRIEF_OUTPUT,
    BRIEF_STAGING,
    BUILD,
    BUILD_LOCK,
    BUILD_LOG,
    CONFIG_FILE,
    CONFIG_SCHEMA,
    GUARD_MARKER,
    GUARD_RULE,
    LOGS,
    OUTPUT,
    PROCESSED,
    STAGING,
)
from ktreport.core.errors import KtreportError
from ktreport.core.faults import environment_fault
from ktreport.run import checked, profiles, snakemake, uptodate
from ktreport.run.failures import explain_failure
from ktreport.run.release import CONFIG_OVERRIDE as RELEASE_CONFIG
from ktreport.run.release import check_release as release_check

Progress = Callable[[str], None]
_RULE_START = re.compile(r"^(?:local)?(?:rule|checkpoint) (\w+):\s*$")
_WILDCARDS = re.compile(r"^\s+wildcards: (.*)$")
_STEPS = re.compile(r"^\d+ of \d+ steps \(\d+%\) done$")
# The folders a build writes (and Snakemake's own), checked before it starts, and the
# room it needs on their disk (a sample build writes about 16 MB, a big study far more).
WRITTEN = (OUTPUT, BUILD, PROCESSED, LOGS, Path(".snakemake"))
MIN_FREE_BYTES = 200_000_000


def _quiet(message: str) -> None:
    del message


class BuildProblem(KtreportError):
    """The report cannot be built; the message says why and what to do."""


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    log: Path  # Snakemake's whole output
    message: str = ""  # on failure: what went wrong, for people
    published: tuple[Path, ...] = ()  # the report's files (relative to the project)
    nothing_to_do: bool = False


def project_problem(root: Path) -> str | None:
    """Why ``root`` is not a ktreport project folder (None when it is)."""
    if not (root / "Snakefile").is_file():
        return (
            f"{root} is not the project folder (there is no Snakefile here): run ktreport "
            "build in the folder that holds Snakefile, config.yaml and data/raw/."
        )
    return None


def project_problems(root: Path) -> list[str]:
    """Why ``ktreport build`` cannot start in ``root`` (not the project folder, else every
    problem of config.yaml and every folder the build cannot write); empty when it can."""
    problem = project_problem(root)
    return [problem] if problem else checked_config_problems(root) + writable_problems(root)


def checked_config_problems(root: Path) -> list[str]:
    """``config_problems``, unless config.yaml and its schema are byte for byte those of
    its last check without problems (``run.checked``): that check would pass again."""
    fingerprint = checked.config_fingerprint(root)
    if checked.passed(root, "config", fingerprint) is not None:
        return []
    problems = config_problems(root)
    if not problems:
        checked.remember(root, "config", fingerprint)
    return problems


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def writable_problems(root: Path, free: int = MIN_FREE_BYTES) -> list[str]:
    """Why the build could not write its folders (``WRITTEN``: a file this user may not
    create there, a read-only disk) or has too little room (less than ``free`` bytes), one
    line each: said before the long steps run, not as an error at their end."""
    import shutil
    import tempfile

    problems: list[str] = []
    for name in WRITTEN:
        folder = root / name
        existing = _existing(folder)
        try:
            with tempfile.TemporaryFile(dir=existing, prefix=".ktreport-write-check-"):
                pass
        except OSError as error:  # named by the folder, not the trial file's name
            folderwide = OSError(error.errno, error.strerror)
            fault = environment_fault(folderwide, where=existing, doing="write", root=root)
            problems.append(fault or f"cannot write {name.as_posix()}/: {error.strerror}.")
            continue
        room = shutil.disk_usage(existing).free
        if room < free:
            problems.append(
                f"cannot build: the disk of {name.as_posix()}/ has {room / 1e6:.0f} MB free; "
                f"the build needs at least {free / 1e6:.0f} MB. Free some space and try again."
            )
            break  # one line for the disk, not one per folder on it
    return problems


def _key_path(path: Iterable[object]) -> str:
    return ".".join(str(part) for part in path)


def config_problems(root: Path) -> list[str]:
    """Every problem of ``config.yaml`` against its schema, each naming the key."""
    # Imported here, not at the top: only the build command checks config.yaml.
    import difflib

    import jsonschema
    import yaml

    config_path, schema_path = root / CONFIG_FILE, root / CONFIG_SCHEMA
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [f"{CONFIG_FILE} is missing: restore it from git (git checkout {CONFIG_FILE})."]
    except (OSError, UnicodeDecodeError) as error:
        return [f"{CONFIG_FILE} cannot be read ({error})."]
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "it is not valid YAML"
        return [
            f"{CONFIG_FILE}{where}: {problem}. Check the indentation (spaces, not tabs) "
            "and the quotes around values containing ':' or '#'."
        ]
    if config is None:
        config = {}
    if not isinstance(config, dict):
        return [f"{CONFIG_FILE} must be a list of 'key: value' lines."]
    try:
        schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []  # no schema to check against: Snakemake reports it
    problems = []
    validator = jsonschema.Draft202012Validator(schema)
    for error in sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.path]):
        where = _key_path(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = sorted(error.schema.get("properties", {}))
            for key in sorted(set(map(str, error.instance)) - set(known)):
                name = f"{where}.{key}" if where else key
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                allowed = ", ".join(known)
                problems.append(
                    f"{CONFIG_FILE}: unknown key '{name}'{hint}. Keys allowed "
                    f"{'in ' + where if where else 'at the top level'}: {allowed}. "
                    f"Each key is described in {CONFIG_SCHEMA.as_posix()}."
                )
        elif error.validator == "enum":
            allowed = ", ".join(map(str, error.validator_value))
            problems.append(f"{CONFIG_FILE}: {where} is '{error.instance}'; use one of: {allowed}.")
        else:
            problems.append(f"{CONFIG_FILE}: {where or 'the file'}: {error.message}.")
    return problems


class BuildLock:
    """One ``ktreport build`` at a time per project folder (an OS file lock, released by
    the system when the process ends, even when it is killed)."""

    def __init__(self, root: Path, wait: bool = False):
        self.path = root / BUILD_LOCK
        self.wait = wait
        self._stream = None

    def __enter__(self) -> BuildLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not Unix: Snakemake's own lock still holds
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        stream = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(stream, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            stream.seek(0)
            holder = stream.read().strip()
            stream.close()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise BuildProblem(
                f"Another build is running in this folder{who}. Wait until it has finished "
                "and run ktreport build again, or run ktreport build --wait to start as "
                "soon as it is done."
            ) from None
        stream.seek(0)
        stream.truncate()
        stream.write(str(os.getpid()))
        stream.flush()
        self._stream = stream
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._stream is not None:
            self._stream.close()  # closing releases the lock
            self._stream = None


def _staged_and_published(root: Path) -> list[tuple[Path, Path]]:
    """(staged file, where it is published), relative to ``root``: the report's files and
    the briefs'."""
    pairs = []
    for staging, published in ((STAGING, OUTPUT), (BRIEF_STAGING, BRIEF_OUTPUT)):
        if (root / staging).is_dir():
            names = sorted(p.name for p in (root / staging).iterdir() if p.is_file())
            pairs += [(staging / name, published / name) for name in names]
    return pairs


def publish_pending(root: Path) -> bool:
    """True when the checked outputs were never published (report/output/ deleted or
    changed by hand after a build): the guard is then run again, which publishes them."""
    if not (root / GUARD_MARKER).is_file() or not (root / STAGING).is_dir():
        return False
    for staged, target in _staged_and_published(root):
        staged, target = root / staged, root / target
        if not target.is_file() or target.stat().st_size != staged.stat().st_size:
            return True
        if target.read_bytes() != staged.read_bytes():
            return True
    return False


def published_files(root: Path) -> tuple[Path, ...]:
    """The report's and the briefs' files in report/output/ (those the build publishes),
    relative paths."""
    return tuple(target for _, target in _staged_and_published(root) if (root / target).is_file())


class ProgressFilter:
    """Snakemake's output → the few lines a person follows (the rest goes to the log)."""

    def __init__(self, dry_run: bool = False):
        self.dry_run = dry_run
        self._rule: str | None = None
        self._in_stats = False
        self._stats_shown = False

    def __call__(self, line: str) -> list[str]:
        line = line.rstrip("\n")
        shown: list[str] = []
        if self._rule is not None:
            match = _WILDCARDS.match(line)
            if match or not line.startswith(" ") or not line.strip():
                detail = f" ({match.group(1)})" if match else ""
                shown.append(f"  {self._rule}{detail}")
                self._rule = None
                if match:
                    return shown
        match = _RULE_START.match(line)
        if match and match.group(1) != "all":
            self._rule = match.group(1)
            return shown
        if _STEPS.match(line.strip()) or line.startswith("Nothing to be done"):
            shown.append(line.strip())
        if self.dry_run:
            # The table of jobs, once (Snakemake prints it before and after the job list).
            if line.startswith("Job stats:") and not self._stats_shown:
                self._in_stats = self._stats_shown = True
            if self._in_stats:
                if not line.strip():
                    self._in_stats = False
                else:
                    shown.append(line)
            elif line.startswith("This was a dry-run"):
                shown.append(line)
        return shown


def answered_without_snakemake(
    root: Path, *, dry_run: bool = False, release: bool = False, profile: Path | None = None
) -> BuildOutcome | None:
    """The outcome of a plain build (no dry run, release or profile) when nothing it reads
    or wrote changed since the last one that succeeded (``run.uptodate``): Snakemake would
    find nothing to do. None when Snakemake must run."""
    if dry_run or release or profile is not None or not uptodate.up_to_date(root):
        return None
    return BuildOutcome(True, BUILD_LOG, published=published_files(root), nothing_to_do=True)


def build_report(
    root: Path,
    *,
    cores: int | str = "all",
    dry_run: bool = False,
    progress: Progress = _quiet,
    release: bool = False,
    profile: Path | None = None,
) -> BuildOutcome:
    """Run the workflow in ``root`` (the caller holds ``BuildLock`` and has validated the
    data). Snakemake's whole output goes to ``logs/ktreport-build.log``; ``progress``
    receives the lines worth showing. ``release``: the release at a tag (``run.release``:
    ``ReleaseProblem`` when it cannot be built), else a draft. ``profile``: a Snakemake
    workflow profile folder (``run.profiles.resolve``), e.g. the Slurm one."""
    root = Path(root)
    if release:
        progress(f"Building the release {release_check(root)}.")
    state = snakemake.lock_state(root)
    if state == "held":
        raise BuildProblem(
            "Snakemake is already running in this folder (started outside ktreport build). "
            "Wait until it has finished, then build again."
        )
    if state == "stale":
        progress("A build was interrupted before; removing the lock it left behind.")
        snakemake.unlock_stale(root)
    command = snakemake.command("--cores", str(cores), "--rerun-incomplete")
    if dry_run:
        command.append("--dry-run")
    if release:
        command += RELEASE_CONFIG
    if profile is not None:
        command += profiles.arguments(profile)
    if publish_pending(root):
        command += ["--forcerun", GUARD_RULE]
    plain = not (dry_run or release or profile is not None)
    if not dry_run:
        uptodate.forget(root)  # a build that fails or is killed leaves no record
    read_before = uptodate.read_state(root) if plain else None
    log = root / BUILD_LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    show = ProgressFilter(dry_run)
    output: list[str] = []
    with log.open("w", encoding="utf-8") as stream:
        stream.write(
            f"$ {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}\n"
        )
        process = snakemake.start(
            command,
            root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
        assert process.stdout is not None
        for line in process.stdout:
            stream.write(line)
            stream.flush()
            output.append(line)
            for shown in show(line):
                progress(shown)
        returncode = process.wait()
    text = "".join(output)
    shown_log = BUILD_LOG
    if returncode != 0:
        return BuildOutcome(False, shown_log, explain_failure(text, root, shown_log))
    if plain:
        uptodate.remember(root, read_before)
    return BuildOutcome(
        True,
        shown_log,
        published=() if dry_run else published_files(root),
        nothing_to_do="Nothing to be done" in text,
    )
