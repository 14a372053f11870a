"""The ``sourcelight`` command: ``serve`` runs the local service, ``clean`` cleans one page,
``token`` shows the pairing token the extension needs.

Exit codes: 0 done, 1 the page could not be cleaned, 2 the command itself was wrong
(unknown option, unreadable file, bad URL, non-loopback host).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys

from . import NAME, __version__
from .errors import SourcelightError
from .model import Result
from .pairing import Pairing, PairingError, load_or_create
from .settings import Settings

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

# The service reads whole pages, including private ones, so it only ever listens locally.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
FORMATS = ("json", "html", "markdown", "text", "terminal")


class UsageError(Exception):
    """A mistake in the command line, reported as ``sourcelight: <message>`` with exit 2."""


def main(argv: list[str] | None = None) -> int:
    """Run the ``sourcelight`` command with ``argv`` (default ``sys.argv[1:]``); return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits on --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    settings = Settings()
    try:
        return args.run(args, settings)
    except UsageError as error:
        print_error(str(error))
        return EXIT_USAGE
    except PairingError as error:  # the token file cannot be used safely
        print_error(error.message)
        return EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its ``serve`` and ``clean`` subcommands."""
    parser = argparse.ArgumentParser(
        prog=NAME, description="Turn a web page into its clean article."
    )
    parser.add_argument("--version", action="version", version=f"{NAME} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP service on this machine")
    serve.add_argument("--host", default=Settings().host,
                       help="loopback address to listen on (127.0.0.1, localhost or ::1)")
    serve.add_argument("--port", type=port_number, default=Settings().port,
                       help="TCP port (default %(default)s)")
    serve.add_argument("--workers", type=positive_int, default=Settings().workers,
                       help="worker processes that clean pages at once (default %(default)s)")
    serve.set_defaults(run=run_serve)

    clean = commands.add_parser("clean", help="clean one saved page and print the result")
    clean.add_argument("file", metavar="FILE", help="HTML file to read, or - for standard input")
    clean.add_argument("--url", help="the page's address, used to resolve relative links")
    clean.add_argument("--format", choices=FORMATS, default="json",
                       help="what to print (default %(default)s)")
    clean.set_defaults(run=run_clean)

    token = commands.add_parser(
        "token", help="print the pairing token to paste in the extension's options")
    token.add_argument("--new", action="store_true",
                       help="replace the token with a new one (pair the extension again)")
    token.set_defaults(run=run_token)

    from .batch.command import add_batch_parser  # the batch run itself loads on use

    add_batch_parser(commands, positive_int)
    from .library.cli import add_library_parser

    add_library_parser(commands, positive_int)
    return parser


def port_number(text: str) -> int:
    """argparse type for a TCP port (0 lets the system choose a free one)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def positive_int(text: str) -> int:
    """argparse type for a count of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the API with waitress on a loopback address until interrupted.

    The address and the pairing token are printed to stdout at start; the log (stderr) never
    holds the token.
    """
    check_loopback(args.host)
    # Imported here so `sourcelight clean` does not pay for waitress and Flask.
    from .app import close_worker_pool, create_app, get_worker_pool
    from .serving import create_http_server

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    pairing = load_pairing(settings)
    # The Host check needs the port actually served. The token is not fixed here: the app
    # watches the token file, so `sourcelight token --new` revokes the old one at once.
    settings = settings.with_overrides(host=args.host, port=args.port, workers=args.workers)
    app = create_app(settings)
    try:
        # The workers are warm before the first page arrives, and a broken install says so now.
        get_worker_pool(app).start(wait=True)
    except SourcelightError:
        close_worker_pool(app)
        print_error("the worker processes that clean pages could not start; see the log above.")
        return EXIT_FAILED
    try:
        # waitress with a deadline per request and a connection budget (serving.py).
        server = create_http_server(app, settings, args.host, args.port,
                                    serve_threads(settings))
    except OSError as error:  # the port is taken (often: Sourcelight is already running)
        close_worker_pool(app)
        print_error(f"cannot listen on {args.host}:{args.port} ({error.strerror or error}). "
                    "Is Sourcelight already running? Stop it, or choose another port with "
                    "--port.")
        return EXIT_USAGE
    print_serving_banner(listening_urls(server), pairing)
    stop_on_sigterm()
    try:
        server.run()
    except KeyboardInterrupt:  # Ctrl-C is the normal way to stop the service
        pass
    finally:
        server.close()
        close_worker_pool(app)
    return EXIT_OK


def serve_threads(settings: Settings) -> int:
    """waitress threads: one per page in work or waiting, so that the worker pool, not
    waitress's own unbounded backlog, decides when to answer 503; plus two so that health
    checks and those 503s are answered at once."""
    return settings.workers + settings.queue_size + 2


def stop_on_sigterm() -> None:
    """Make SIGTERM (a service manager's stop) end the server like Ctrl-C, so that the worker
    processes are stopped on the way out."""

    def interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def listening_urls(server) -> list[str]:
    """The ``http://host:port`` addresses a waitress server listens on (one per socket)."""
    listen = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)]
    return [f"http://{'[' + host + ']' if ':' in host else host}:{port}" for host, port in listen]


def print_serving_banner(urls: list[str], pairing: Pairing) -> None:
    """Tell the reader where the service is and the token the extension needs (stdout only)."""
    print(f"{NAME} {__version__} is listening on {', '.join(urls)}", flush=True)
    print(f"Pairing token: {pairing.token}", flush=True)
    print("Paste it in the extension's options (`sourcelight token` shows it again). "
          "Stop with Ctrl-C.", flush=True)


def load_pairing(settings: Settings, renew: bool = False) -> Pairing:
    """The install's pairing token; repairs and a new token are reported on stderr."""
    pairing = load_or_create(settings.config_dir, renew=renew)
    for notice in pairing.notices:
        print_error(notice)
    if pairing.created:
        print_error(f"made a new pairing token in {pairing.path}; paste it in the extension's "
                    "options.")
    return pairing


def run_token(args: argparse.Namespace, settings: Settings) -> int:
    """Print the pairing token (made on first use; ``--new`` replaces it)."""
    print(load_pairing(settings, renew=args.new).token, flush=True)
    if args.new:
        print_error("the old token no longer works, also in a running `sourcelight serve`; "
                    "paste the new one in the extension's options.")
    return EXIT_OK


def check_loopback(host: str) -> None:
    """Refuse any address other than the loopback ones: the service must not be reachable
    from the network."""
    if host not in LOOPBACK_HOSTS:
        raise UsageError(
            f"refusing to listen on {host!r}: the service only listens on this machine "
            f"({', '.join(LOOPBACK_HOSTS)})."
        )


def run_clean(args: argparse.Namespace, settings: Settings) -> int:
    """Clean one page from a file or standard input and print it in the chosen format."""
    # Imported here, not at the top, so --version, --help and `serve` mistakes answer
    # without loading the extraction stack.
    from .pipeline import clean

    url = check_url_option(args.url, settings)
    try:
        page = read_page(args.file, settings.max_html_chars)
        result = clean(page, url, settings)
    except SourcelightError as error:
        print_error(error.message)
        return EXIT_FAILED
    write_output(format_result(result, args.format))
    return EXIT_OK


def check_url_option(url: str | None, settings: Settings) -> str | None:
    """``--url`` obeys the same rules as the API's ``url`` field."""
    if url is None:  # before the import: the API module brings Flask (0.2 s of start-up)
        return None
    from .api import is_http_url

    if len(url) > settings.max_url_chars:
        raise UsageError(f"--url is longer than {settings.max_url_chars} characters.")
    if not is_http_url(url):
        raise UsageError(
            f"--url {url!r} is not an absolute http:// or https:// address "
            "(e.g. https://example.com/news/story)."
        )
    return url


def read_page(name: str, limit: int) -> bytes:
    """The page's bytes from a file, or from standard input for ``-``; gzip is undone (saved
    corpora ship pages as ``.html.gz``), and reading stops past ``limit`` bytes (TooLarge).

    Bytes, not text: the pipeline finds the page's own charset.
    """
    from .batch.inputs import read_page_stream

    if name == "-":
        return read_page_stream(sys.stdin.buffer, limit, "standard input")
    try:
        with open(name, "rb") as stream:
            return read_page_stream(stream, limit, name)
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror or error}") from None


def format_result(result: Result, fmt: str) -> str:
    """The text to print for ``result`` in format ``fmt`` (one of :data:`FORMATS`)."""
    article = result.article
    if fmt == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    elif fmt == "html":
        text = article.html
    elif fmt == "markdown":
        from .render import article_to_markdown

        text = article_to_markdown(article)
    elif fmt == "terminal":
        from .terminal import render_terminal

        text = render_terminal(result, colour=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    else:
        text = article.text
    return text if text.endswith("\n") else text + "\n"


def write_output(text: str) -> None:
    """Print ``text`` as UTF-8 whatever the terminal's locale: it is a document, not a message."""
    stream = sys.stdout
    data = text.encode("utf-8", "replace")
    try:
        if hasattr(stream, "buffer"):
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        else:  # a replaced sys.stdout without bytes underneath
            stream.write(text)
            stream.flush()
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; silence Python's second error at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def print_error(message: str) -> None:
    """Report a failure the way command-line tools do: ``sourcelight: <message>`` on stderr."""
    print(f"{NAME}: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
