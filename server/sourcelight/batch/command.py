"""The ``sourcelight batch`` subcommand: its options, and the run with its exit code.

Exit codes: 0 the run finished (pages that failed are lines in the output, counted in the
summary), 1 every page failed or the workers could not start, 2 a usage error (no such
input, an output that exists without --resume/--overwrite), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import NAME

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

DESCRIPTION = """\
Annotate many pages into one JSONL (or CSV) file. INPUT is a file, a folder (read
recursively), or a glob pattern; pages may be .html/.htm, gzipped (.gz), in WARC/WARC.gz
files (HTML responses only), or in JSONL lines of {"url", "html"} or {"url", "path"}.
"""


def add_batch_parser(commands, positive_int) -> None:
    """Add ``batch`` to the ``sourcelight`` subcommands (``positive_int``: the CLI's type)."""
    batch = commands.add_parser("batch", help="annotate many pages into a JSONL or CSV file",
                                description=DESCRIPTION)
    batch.add_argument("inputs", nargs="+", metavar="INPUT",
                       help="files, folders or glob patterns (quote globs: 'pages/**/*.gz')")
    batch.add_argument("--out", "-o", required=True, metavar="FILE",
                       help="where to write the results (- for standard output)")
    batch.add_argument("--format", dest="fmt", choices=("jsonl", "csv"), default="jsonl",
                       help="a JSON line per page, or a CSV row per attribution "
                            "(default %(default)s)")
    batch.add_argument("-j", "--jobs", type=positive_int, default=os.cpu_count() or 1,
                       help="worker processes (default: the cores, %(default)s)")
    batch.add_argument("--resume", action="store_true",
                       help="continue an interrupted run: skip the pages already in --out")
    batch.add_argument("--overwrite", action="store_true",
                       help="replace an existing --out file instead of refusing")
    batch.add_argument("--no-html", dest="article_html", action="store_false",
                       help="leave article.html out of the JSONL (a much smaller file)")
    batch.add_argument("--no-progress", dest="progress", action="store_const", const=False,
                       default=None, help="no progress bar (it shows only on a terminal)")
    batch.add_argument("--dask", metavar="ADDRESS",
                       help="run on the Dask cluster whose scheduler is at ADDRESS "
                            "(tcp://host:8786); the inputs must be at the same paths there")
    batch.set_defaults(run=run_batch_command)


def run_batch_command(args: argparse.Namespace, settings) -> int:
    """Run ``sourcelight batch`` and print its summary to stderr."""
    from ..errors import SourcelightError
    from .inputs import InputError
    from .output import OutputError
    from .run import BatchOptions, run_batch

    if args.resume and args.overwrite:
        return _fail("--resume and --overwrite contradict each other; choose one.",
                     EXIT_USAGE)
    options = BatchOptions(inputs=args.inputs, out=args.out, fmt=args.fmt, jobs=args.jobs,
                           resume=args.resume, overwrite=args.overwrite,
                           progress=args.progress, article_html=args.article_html,
                           dask=args.dask)
    stop_on_sigterm()
    try:
        summary = run_batch(options, settings)
    except (InputError, OutputError) as error:
        return _fail(str(error), EXIT_USAGE)
    except SourcelightError as error:  # the worker processes could not start
        return _fail(error.message, EXIT_FAILED)
    except ImportError as error:  # --dask without the dask extra
        return _fail(f"{error}. Install the Dask extra: pip install 'sourcelight[dask]'.",
                     EXIT_USAGE)
    except OSError as error:  # e.g. no scheduler at the --dask address
        return _fail(f"the run stopped: {error}", EXIT_FAILED)
    print(summary.text(), file=sys.stderr, flush=True)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    if summary.pages and summary.annotated == 0:
        return EXIT_FAILED
    return EXIT_OK


def stop_on_sigterm() -> None:
    """End the run on SIGTERM (a job scheduler's stop, ``kill``) as on Ctrl-C: the pages
    done are written and the summary says how to resume."""
    import signal

    def interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _fail(message: str, code: int) -> int:
    print(f"{NAME}: {message}", file=sys.stderr)
    return code
