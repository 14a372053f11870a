"""``sourcelight library list|search|show|export|delete``: the library from the command line.

It opens the same database the service writes (WAL: reading while the service saves is
fine). ``--json`` prints machine-readable output. Exit codes: 0 done, 1 the library could not
be used or the entry does not exist, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .. import NAME
from ..errors import SourcelightError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_library_parser(commands, positive_int) -> None:
    """Add ``library`` and its subcommands to the ``sourcelight`` command."""
    library = commands.add_parser("library", help="list, search, show, export or delete "
                                                  "saved articles")
    actions = library.add_subparsers(dest="action", required=True, metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable output")

    listing = actions.add_parser("list", parents=[common], help="the newest saved articles")
    listing.add_argument("--limit", type=positive_int, default=20)
    listing.set_defaults(run=run_library, query="")

    search = actions.add_parser("search", parents=[common], help="full-text search")
    search.add_argument("query", metavar="QUERY")
    for name in ("source", "category", "site"):
        search.add_argument(f"--{name}", help=f"only articles with this {name}")
    search.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    search.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    search.add_argument("--limit", type=positive_int, default=20)
    search.set_defaults(run=run_library)

    show = actions.add_parser("show", parents=[common], help="one saved article")
    show.add_argument("id", type=positive_int, metavar="ID")
    show.set_defaults(run=run_library)

    export = actions.add_parser("export", parents=[common],
                                help="write the whole library to files in DIR")
    export.add_argument("--format", dest="fmt", choices=("jsonl", "csv", "markdown"),
                        default="jsonl")
    export.add_argument("directory", metavar="DIR")
    export.set_defaults(run=run_library)

    delete = actions.add_parser("delete", parents=[common], help="remove a saved article")
    delete.add_argument("id", type=positive_int, metavar="ID")
    delete.set_defaults(run=run_library)


def run_library(args: argparse.Namespace, settings) -> int:
    """Run one library action; errors are one line on stderr."""
    from .store import Library

    library = Library(settings)
    try:
        return ACTIONS[args.action](library, args, settings)
    except SourcelightError as error:
        print(f"{NAME}: {error.message}", file=sys.stderr)
        return EXIT_USAGE if error.status == 400 else EXIT_FAILED
    except OSError as error:
        print(f"{NAME}: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        library.close()


def search_action(library, args: argparse.Namespace, settings) -> int:
    """``list`` and ``search``: a table of id, date, site and title (or JSON)."""
    from .search import parse_query, search

    query = parse_query({
        "q": getattr(args, "query", ""), "source": getattr(args, "source", None),
        "category": getattr(args, "category", None), "site": getattr(args, "site", None),
        "from": getattr(args, "date_from", None), "to": getattr(args, "date_to", None),
        "per_page": str(min(args.limit, settings.library_max_page_size))}, settings)
    found = search(library, query)
    if args.json:
        return print_json(found)
    for entry in found["entries"]:
        print(f"{entry['id']:>6}  {entry['day']}  {(entry['site'] or '-')[:24]:<24}  "
              f"{entry['title'] or entry['url'] or '(untitled)'}")
    print(f"{found['total']} matching, {len(found['entries'])} shown", file=sys.stderr)
    return EXIT_OK


def show_action(library, args: argparse.Namespace, settings) -> int:
    """``show``: the entry's metadata and quotations (``--json``: the whole entry)."""
    from .export import entry_quotes

    entry = library.entry(args.id)
    if args.json:
        return print_json(entry)
    for key in ("title", "url", "site", "byline", "published", "saved_at", "page_sha256",
                "copy_sha256"):
        if entry[key]:
            print(f"{key}: {entry[key]}")
    for quote in entry_quotes(entry):
        print(f"  [{quote['category']}] {quote['source_name']} {quote['cue'] or ''}: "
              f"{' '.join((quote['content'] or '').split())}")
    return EXIT_OK


def export_action(library, args: argparse.Namespace, settings) -> int:
    """``export``: files in DIR; the list of them on stdout (or as JSON)."""
    from .export import export

    written = export(library, args.fmt, Path(args.directory))
    if args.json:
        return print_json({"format": args.fmt, "files": [str(p) for p in written]})
    for path in written:
        print(path)
    return EXIT_OK


def delete_action(library, args: argparse.Namespace, settings) -> int:
    """``delete``: remove one entry for good."""
    library.delete(args.id)
    if args.json:
        return print_json({"deleted": args.id})
    print(f"deleted {args.id}", file=sys.stderr)
    return EXIT_OK


def print_json(value) -> int:
    """Print ``value`` as one JSON document and succeed."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


ACTIONS = {"list": search_action, "search": search_action, "show": show_action,
           "export": export_action, "delete": delete_action}
