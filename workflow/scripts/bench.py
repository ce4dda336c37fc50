"""``make bench``: build times of the report against the floor of its engines, as JSON lines.

Builds in temporary copies of the project (never in this checkout); see ktreport.tools.bench.
One line per measurement as it is taken, then one summary line with the ratios and the
targets of issue 7. Progress and errors go to stderr, so stdout is pure JSON lines.

    .venv/bin/python workflow/scripts/bench.py                  # sample, x10, x100
    .venv/bin/python workflow/scripts/bench.py --scales 1,10    # fewer scales
    .venv/bin/python workflow/scripts/bench.py --quick          # the sample, once each
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "workflow"))  # this checkout's library, also without `make env`

from ktreport.tools import bench  # noqa: E402 (after the import path is set)

# The on/off options: (flag, help).
SWITCHES = (
    ("--quick", "The sample only, each measurement once, no archival PDF (for tests)."),
    ("--working-tree", "Also copy tracked files changed but not committed (default: HEAD only)."),
    ("--no-archival", "Skip timing the archival PDF/A-3b."),
    ("--no-longest-cells", "Skip the build whose programme names are 9,999 characters long."),
    ("--keep", "Keep the temporary copies (their paths go to stderr)."),
    ("--no-reference", "Skip the WeasyPrint reference comparison."),
    (
        "--slurm",
        "Also build the largest scale through the running one-node Slurm cluster (`ktreport "
        "build --profile slurm-test`; start it with `bash workflow/cluster/slurm.sh --install "
        "start`) and compare it with the local cold build.",
    ),
    (
        "--slurm-only",
        "Only the largest scale's local cold build and its Slurm build (implies --slurm).",
    ),
    (
        "--no-local-build",
        "With --slurm-only: the Slurm build alone (the local one measured before).",
    ),
)


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make bench",
        description="Measure cold, no-op, prose-only and one-partner rebuilds, validate, peak "
        "memory and the floor (kaleido + pandoc + WeasyPrint), in temporary copies.",
    )
    parser.add_argument(
        "--scales",
        default=",".join(str(s) for s in bench.DEFAULT_SCALES),
        help="Data sizes: 1 is the sample data, N > 1 is `ktreport synth --scale N` "
        "(default: %(default)s).",
    )
    for flag, text in SWITCHES:
        parser.add_argument(flag, action="store_true", help=text)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="Runs of the cheap measurements (no-op, dry run, validate); the median is "
        "reported (default: %(default)s).",
    )
    parser.add_argument("--cores", default="all", help="Snakemake --cores (default: all).")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="The Python of the environment to build with (its bin/ has snakemake).",
    )
    parser.add_argument("--work-dir", default="", help="Where to make the copies (default: TMP).")
    parser.add_argument(
        "--reference",
        default=bench.REFERENCE_REVISION,
        help="Revision whose sample print HTML today's WeasyPrint lays out beside today's "
        "(issue 16; default: %(default).7s).",
    )
    parser.add_argument("--floor-of", default="", help=argparse.SUPPRESS)  # internal: child
    parser.add_argument("--weasyprint-of", nargs=2, default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    if args.floor_of:  # the child process that times the engines directly
        print(json.dumps(bench.measure_floor(Path(args.floor_of))))
        return 0
    if args.weasyprint_of:  # the child that lays out today's and the reference's print HTML
        today, reference = (Path(p) for p in args.weasyprint_of)
        print(json.dumps(bench.render_times([("reference", reference), ("today", today)])))
        return 0
    try:
        scales = (bench.SAMPLE_SCALE,) if args.quick else tuple(bench.parse_scales(args.scales))
        if args.repeat < 1:
            raise bench.BenchProblem("--repeat must be 1 or more.")
        python = Path(args.python).absolute()  # not resolved: a venv's python is a symlink
        if not python.is_file():
            raise bench.BenchProblem(f"--python {python}: no such file; run `make env` first.")
        options = bench.Options(
            root=ROOT,
            scales=scales,
            repeat=1 if args.quick else args.repeat,
            cores=args.cores,
            python=python,
            working_tree=args.working_tree,
            archival=not (args.quick or args.no_archival),
            longest_cells=not (args.quick or args.no_longest_cells),
            keep=args.keep,
            work_dir=Path(args.work_dir) if args.work_dir else None,
            reference="" if (args.quick or args.no_reference) else args.reference,
        )
        floor_command = [str(python), str(Path(__file__).resolve()), "--floor-of"]
        measurements: list[bench.Measurement] = []

        def emit(measurement: bench.Measurement) -> None:
            print(bench.json_line(measurement.as_dict()), flush=True)

        for scale in () if args.slurm_only else scales:
            print(f"make bench: {bench.scale_label(scale)} ...", file=sys.stderr, flush=True)
            measurements += bench.bench_scale(options, scale, floor_command, emit)
        if args.slurm or args.slurm_only:
            largest = max(scales)
            print(f"make bench: {bench.scale_label(largest)} on Slurm ...", file=sys.stderr)
            local = args.slurm_only and not args.no_local_build
            measurements += bench.bench_slurm(options, largest, emit, local=local)
        summary = bench.summarise(measurements) | bench.slurm_summary(measurements)
        print(bench.json_line(summary), flush=True)
    except bench.BenchProblem as problem:
        print(f"make bench: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("make bench: interrupted.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
