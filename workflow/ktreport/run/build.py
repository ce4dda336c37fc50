"""Building the report: ``ktreport build`` in the project, and any git revision for review.

``build_report`` (with ``BuildLock`` and ``config_problems``) is the user's build command:
one build per folder at a time, config.yaml checked first, Snakemake's output kept in
``logs/ktreport-build.log`` and its failures turned into sentences (see the section at the
end).

Review aid, after the pipeline: build any git revision of the project into a cached snapshot.

``ktreport diff`` compares two *built* versions. A revision (tag, branch, commit) is checked
out in an isolated ``git worktree`` under ``.cache/ktreport/worktrees/``, built there with this
environment's own Snakemake, and its outputs are copied to ``.cache/ktreport/builds/<sha>/``,
so the second comparison with the same revision builds nothing. The working tree (uncommitted
work included) is built from a worktree at HEAD with the changed and untracked files copied
over; it is cached by the hash of those files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ktreport.review.diff import SNAPSHOT_INFO, DiffError, Snapshot

CACHE = Path(".cache/ktreport")
WORKING_TREE = "working-tree"
# What a snapshot keeps of a built tree (everything ktreport.review.diff reads, and the outputs).
SNAPSHOT_PATHS = ("report/output", "report/_build", "report/chapters", "data/raw", "data/processed")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Built:
    """One side of a comparison: its snapshot, and how it was obtained."""

    snapshot: Snapshot
    key: str  # commit sha, "worktree-<hash>" for uncommitted work, or "" for a given folder
    cached: bool
    log: Path | None = None


def _quiet(message: str) -> None:
    del message


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise DiffError("git is not installed: it is needed to compare revisions.") from None
    if check and result.returncode != 0:
        raise DiffError(f"git {' '.join(args)} failed in {root}: {result.stderr.strip()}")
    return result


def repository_root(start: Path) -> Path | None:
    """The top folder of the git checkout containing ``start`` (None outside git)."""
    if not start.is_dir():
        return None
    result = _git(start, "rev-parse", "--show-toplevel", check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def resolve_revision(root: Path, revision: str) -> str:
    """The full commit sha of a tag, branch or commit, or an error a person understands."""
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
    if result.returncode != 0 or not result.stdout.strip() or revision.startswith("-"):
        raise DiffError(f"'{revision}' is not a tag, branch or commit of this repository.")
    return result.stdout.strip()


def latest_tag(root: Path) -> str:
    """The most recent tag reachable from HEAD: the default version to compare against."""
    result = _git(root, "describe", "--tags", "--abbrev=0", check=False)
    if result.returncode != 0 or not result.stdout.strip():
        raise DiffError(
            "There is no tag in this repository yet, so there is no default old version: "
            "name one, e.g. `ktreport diff HEAD~1` or `ktreport diff <commit>`."
        )
    return result.stdout.strip()


def build_tree(
    path: Path, cores: int | str = "all", log: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Build the report in the project tree ``path`` with this environment's Snakemake.

    The tree's own library (``path/workflow``) comes first on the import path, so an old
    revision is built with its own code, not with the checkout this command runs from.
    Output goes to ``log`` when given (else it is captured)."""
    bin_dir = Path(sys.executable).parent
    snakemake = bin_dir / "snakemake"
    if not snakemake.exists():
        found = shutil.which("snakemake")
        if found is None:
            raise DiffError(f"Snakemake is not installed in {bin_dir}: run `make env` first.")
        snakemake = Path(found)
    environment = dict(os.environ)
    environment["PATH"] = os.pathsep.join([str(bin_dir), environment.get("PATH", "")])
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(path / "workflow"), environment.get("PYTHONPATH", "")) if p
    )
    command = [str(snakemake), "--cores", str(cores), "--printshellcmds"]
    if log is None:
        return subprocess.run(
            command, cwd=path, env=environment, capture_output=True, text=True, check=False
        )
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as stream:
        stream.write(f"$ {' '.join(command)}  (in {path})\n")
        stream.flush()
        return subprocess.run(
            command,
            cwd=path,
            env=environment,
            stdout=stream,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )


_FAILED_RULE = re.compile(r"^Error in rule (\S+):\s*$")
_RULE_LOG = re.compile(r"^\s+log: (\S+)")


def _log_tail(log: Path, tree: Path, lines: int = 4) -> str:
    """What failed, from a build log: each failed step with the last lines of its own log
    (which lives in the worktree, so it is also appended to ``log`` before the worktree
    goes), else the last lines of Snakemake's output. Paths are shortened to the tree."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    output = text.splitlines()
    report: list[str] = []
    appendix: list[str] = []
    for index, line in enumerate(output):
        failed = _FAILED_RULE.match(line)
        if not failed:
            continue
        rule_log = next(
            (m.group(1) for m in map(_RULE_LOG.match, output[index + 1 : index + 12]) if m), ""
        )
        step_lines: list[str] = []
        if rule_log and (tree / rule_log).is_file():
            content = (tree / rule_log).read_text(encoding="utf-8", errors="replace")
            appendix += [f"--- {rule_log} (step {failed.group(1)}) ---", content.rstrip()]
            step_lines = [x.strip() for x in content.splitlines() if x.strip()][-lines:]
        report.append(f"step {failed.group(1)} failed" + (":" if step_lines else ""))
        report += [f"  {x}" for x in step_lines]
    if appendix:
        with log.open("a", encoding="utf-8") as stream:
            stream.write("\n".join(["", *appendix, ""]))
    if not report:
        report = [x.strip() for x in output if x.strip()][-lines:]
    report = [x.replace(f"{tree}/", "").replace(str(tree), ".") for x in report]
    return "".join(f"\n  {x}" for x in report)


def _remove_worktree(root: Path, path: Path) -> None:
    if path.exists():
        _git(root, "worktree", "remove", "--force", str(path), check=False)
        shutil.rmtree(path, ignore_errors=True)
    _git(root, "worktree", "prune", check=False)


def _dirty_paths(root: Path) -> list[str]:
    """Paths that differ from HEAD in the working tree (modified, added, deleted, untracked)."""
    output = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all").stdout
    entries = output.split("\0")
    paths: list[str] = []
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        paths.append(path)
        if "R" in status or "C" in status:
            paths.append(entries[index])  # the rename's source follows
            index += 1
    return sorted(set(paths))


def _working_tree_key(root: Path, head: str, dirty: list[str]) -> str:
    digest = hashlib.sha256(head.encode())
    for relative in dirty:
        path = root / relative
        digest.update(b"\0" + relative.encode() + b"\0")
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(b"(deleted)")
    return f"worktree-{digest.hexdigest()[:16]}"


def _overlay_working_tree(root: Path, tree: Path, dirty: list[str]) -> None:
    for relative in dirty:
        source, target = root / relative, tree / relative
        if source.is_symlink() or source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() or target.is_symlink():
                target.unlink()
            shutil.copy2(source, target, follow_symlinks=False)
        elif not source.exists() and (target.exists() or target.is_symlink()):
            target.unlink()


def _copy_snapshot(tree: Path, target: Path, info: dict[str, str]) -> None:
    import json

    staging = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    for relative in SNAPSHOT_PATHS:
        source = tree / relative
        if source.is_dir():
            shutil.copytree(
                source,
                staging / relative,
                ignore=shutil.ignore_patterns("diff") if relative == "report/output" else None,
                symlinks=True,
            )
    staging.mkdir(parents=True, exist_ok=True)
    (staging / SNAPSHOT_INFO).write_text(
        json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def build_revision(
    root: Path,
    revision: str | None,
    label: str,
    cores: int | str = "all",
    rebuild: bool = False,
    progress: Progress = _quiet,
) -> Built:
    """The snapshot of a revision (None: the working tree), built once and then cached."""
    head = resolve_revision(root, "HEAD")
    dirty: list[str] = []
    if revision is None:
        dirty = _dirty_paths(root)
        sha, key = head, (_working_tree_key(root, head, dirty) if dirty else head)
    else:
        sha = resolve_revision(root, revision)
        key = sha
    cache = root / CACHE
    target = cache / "builds" / key
    log = cache / "logs" / f"{key}.log"
    if (target / SNAPSHOT_INFO).is_file() and not rebuild:
        progress(f"{label}: using the cached build of {key[:12]} ({target.relative_to(root)})")
        return Built(Snapshot(target, label), key, cached=True, log=log)
    tree = cache / "worktrees" / key
    _remove_worktree(root, tree)
    tree.parent.mkdir(parents=True, exist_ok=True)
    _git(root, "worktree", "add", "--detach", "--force", str(tree), sha)
    try:
        if dirty:
            _overlay_working_tree(root, tree, dirty)
        what = "the working tree" if revision is None else f"{revision} ({sha[:10]})"
        progress(f"{label}: building {what} in {tree.relative_to(root)}; log: {log}")
        result = build_tree(tree, cores, log)
        if result.returncode != 0:
            raise DiffError(
                f"The report of {what} could not be built (Snakemake exit code "
                f"{result.returncode}).{_log_tail(log, tree)}\nThe build's full log: {log}"
            )
        _copy_snapshot(
            tree,
            target,
            {
                "revision": revision or WORKING_TREE,
                "commit": sha,
                "cache_key": key,
                "uncommitted_changes": ", ".join(dirty),
            },
        )
    finally:
        _remove_worktree(root, tree)
    return Built(Snapshot(target, label), key, cached=False, log=log)


def snapshot_folder(folder: Path, label: str) -> Built | None:
    """A folder given instead of a revision: a built project tree or its ``report/output``."""
    folder = folder.resolve()
    if (folder / "report").is_dir() or (folder / "data" / "raw").is_dir():
        return Built(Snapshot(folder, label), "", cached=True)
    if folder.name == "output" and folder.parent.name == "report":
        return Built(Snapshot(folder.parent.parent, label), "", cached=True)
    return None


# =========================================================================== ktreport build
# The user's build command (``ktreport build``, ``make report``): check config.yaml, take
# the build lock, run Snakemake in the project, and turn what went wrong into a sentence.
# The command line (cli.py) validates the data first and does all the printing.

BUILD_LOCK = Path(".snakemake") / "ktreport-build.lock"
BUILD_LOG = Path("logs") / "ktreport-build.log"
CONFIG_FILE = Path("config.yaml")
CONFIG_SCHEMA = Path("workflow") / "schemas" / "config.schema.yaml"
STAGING_DIR = Path("report") / "_build" / "output"
PUBLISHED_DIR = Path("report") / "output"
GUARD_RULE = "check_personal_data"
GUARD_MARKER = Path("logs") / "check_personal_data.ok"
# Lines of a failed step's log shown in the message (the rest stays in the log).
MESSAGE_LINES = 25


class BuildProblem(Exception):
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


def _key_path(path: Iterable[object]) -> str:
    return ".".join(str(part) for part in path)


def config_problems(root: Path) -> list[str]:
    """Every problem of ``config.yaml`` against its schema, each naming the key."""
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


def _snakemake_processes(root: Path) -> list[int] | None:
    """Processes of Snakemake (or its jobs) working in ``root``; None if unknowable."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    target = root.resolve()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if Path(os.readlink(entry / "cwd")).resolve() != target:
                continue
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"snakemake" in command:
            found.append(int(entry.name))
    return sorted(found)


def snakemake_lock_state(root: Path) -> str:
    """``none``, ``stale`` (left by a killed run) or ``held`` (a Snakemake run is alive)."""
    locks = root / ".snakemake" / "locks"
    if not locks.is_dir() or not any(locks.iterdir()):
        return "none"
    processes = _snakemake_processes(root)
    if processes is None or processes:
        return "held"
    return "stale"


def _snakemake_executable() -> str:
    bin_dir = Path(sys.executable).parent
    for candidate in (bin_dir / "snakemake", Path(shutil.which("snakemake") or "")):
        if candidate.name and candidate.is_file():
            return str(candidate)
    raise BuildProblem(f"Snakemake is not installed in {bin_dir}: run `make env` first.")


def _environment(root: Path) -> dict[str, str]:
    environment = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    environment["PATH"] = os.pathsep.join([bin_dir, environment.get("PATH", "")])
    # The project's own library first, also when this command runs from another checkout.
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(root / "workflow"), environment.get("PYTHONPATH", "")) if p
    )
    return environment


def unlock_stale(root: Path) -> None:
    """Remove the lock a killed Snakemake run left behind (only when none is running)."""
    if snakemake_lock_state(root) != "stale":
        return
    subprocess.run(
        [_snakemake_executable(), "--unlock", "--quiet", "all"],
        cwd=root,
        env=_environment(root),
        capture_output=True,
        text=True,
        check=False,
    )


def publish_pending(root: Path) -> bool:
    """True when the checked outputs were never published (report/output/ deleted or
    changed by hand after a build): the guard is then run again, which publishes them."""
    staging, published = root / STAGING_DIR, root / PUBLISHED_DIR
    if not (root / GUARD_MARKER).is_file() or not staging.is_dir():
        return False
    for staged in sorted(staging.iterdir()):
        target = published / staged.name
        if not staged.is_file():
            continue
        if not target.is_file() or target.stat().st_size != staged.stat().st_size:
            return True
        if target.read_bytes() != staged.read_bytes():
            return True
    return False


def published_files(root: Path) -> tuple[Path, ...]:
    """The report's files in report/output/ (those the build publishes), relative paths."""
    staging = root / STAGING_DIR
    names = sorted(p.name for p in staging.iterdir() if p.is_file()) if staging.is_dir() else []
    return tuple(PUBLISHED_DIR / name for name in names if (root / PUBLISHED_DIR / name).is_file())


_RULE_START = re.compile(r"^(?:local)?(?:rule|checkpoint) (\w+):\s*$")
_WILDCARDS = re.compile(r"^\s+wildcards: (.*)$")
_STEPS = re.compile(r"^\d+ of \d+ steps \(\d+%\) done$")
_FAILED_RULE = re.compile(r"^Error in rule (\w+):")
_FAILED_LOG = re.compile(r"^\s+log: (\S+)")
_UNEXPECTED_KEYS = re.compile(r"Additional properties are not allowed \((.*) (?:was|were) unexp")


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


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _is_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text


def _clip(text: str, lines: int = MESSAGE_LINES) -> str:
    kept = [line for line in text.strip().splitlines()]
    if len(kept) > lines:
        kept = kept[:lines] + [f"… ({len(kept) - lines} more lines)"]
    return "\n".join(kept)


def _step_message(rule: str, log: Path | None, root: Path, build_log: Path) -> str:
    text = _read(root / log) if log else ""
    where = f"details in {log}" if log else f"Snakemake's output is in {build_log}"
    if rule == GUARD_RULE and text and not _is_traceback(text):
        return f"{_clip(text)}\n(also in {log})"
    if rule == "make_figures" and re.search(r"chrom", text, re.IGNORECASE):
        return (
            "The figures could not be drawn: Chromium (the browser kaleido uses to export "
            "figures) is missing or does not start. Install it with `make chromium` (or "
            f"`apt-get install chromium`) and build again; {where}."
        )
    if rule == "combine_tables" and not _is_traceback(text):
        return (
            "The partner data has errors: `ktreport validate` lists them (also in "
            f"{log}). Nothing is built until they are fixed."
        )
    if rule == "write_chapters" and text and not _is_traceback(text):
        return f"A chapter template has an error:\n{_clip(text)}\n(also in {log})"
    if text and not _is_traceback(text):
        return f"The step {rule} failed:\n{_clip(text)}\n({where})"
    return f"The step {rule} failed unexpectedly; {where}. Please send it to the maintainers."


def explain_failure(output: str, root: Path, build_log: Path) -> str:
    """What went wrong, in a few sentences, from Snakemake's output and the steps' logs."""
    if "Directory cannot be locked" in output or "LockException" in output:
        return (
            "Another Snakemake run is using this folder. Wait until it has finished and "
            "build again. If none is running (the computer was restarted during a build), "
            "run `snakemake --unlock` once, then build again."
        )
    unexpected = _UNEXPECTED_KEYS.search(output)
    if unexpected:
        return f"{CONFIG_FILE} has an unknown key: {unexpected.group(1)}."
    lines = output.splitlines()
    failed: list[tuple[str, Path | None]] = []
    for index, line in enumerate(lines):
        match = _FAILED_RULE.match(line)
        if not match:
            continue
        log = None
        for following in lines[index + 1 : index + 12]:
            found = _FAILED_LOG.match(following)
            if found:
                log = Path(found.group(1))
                break
        if (match.group(1), log) not in failed:
            failed.append((match.group(1), log))
    if failed:
        return "\n".join(_step_message(rule, log, root, build_log) for rule, log in failed)
    if "MissingInputException" in output:
        missing = [
            line.strip()
            for line in lines
            if line.startswith("    ") and not line.strip().startswith("affected")
        ]
        files = "\n  ".join(missing[:10])
        return f"Files the build needs are missing:\n  {files}\n(Snakemake's output: {build_log})"
    tail = [
        line
        for line in lines
        if line.strip() and not line.startswith((" ", "\t", "Traceback", "File "))
    ][-3:]
    last = "\n  ".join(tail)
    return f"The build failed:\n  {last}\nSnakemake's whole output is in {build_log}."


def build_report(
    root: Path,
    *,
    cores: int | str = "all",
    dry_run: bool = False,
    progress: Progress = _quiet,
) -> BuildOutcome:
    """Run the workflow in ``root`` (the caller holds ``BuildLock`` and has validated the
    data). Snakemake's whole output goes to ``logs/ktreport-build.log``; ``progress``
    receives the lines worth showing."""
    root = Path(root)
    state = snakemake_lock_state(root)
    if state == "held":
        raise BuildProblem(
            "Snakemake is already running in this folder (started outside ktreport build). "
            "Wait until it has finished, then build again."
        )
    if state == "stale":
        progress("A build was interrupted before; removing the lock it left behind.")
        unlock_stale(root)
    command = [_snakemake_executable(), "--cores", str(cores), "--rerun-incomplete"]
    if dry_run:
        command.append("--dry-run")
    if publish_pending(root):
        command += ["--forcerun", GUARD_RULE]
    log = root / BUILD_LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    show = ProgressFilter(dry_run)
    output: list[str] = []
    with log.open("w", encoding="utf-8") as stream:
        stream.write(
            f"$ {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}\n"
        )
        process = subprocess.Popen(
            command,
            cwd=root,
            env=_environment(root),
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
    return BuildOutcome(
        True,
        shown_log,
        published=() if dry_run else published_files(root),
        nothing_to_do="Nothing to be done" in text,
    )
