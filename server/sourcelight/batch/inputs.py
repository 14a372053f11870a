"""What ``sourcelight batch`` reads: the names a user gives become files, and files become pages.

Names are files, folders (read recursively) or glob patterns. A file is read by what it is:

- ``.warc``/``.warc.gz``/``.arc``/``.arc.gz`` — with warcio (Common Crawl's own reader: it
  handles per-record gzip members, chunked and compressed HTTP bodies); only ``response``
  records with a 2xx status and an HTML content type become pages;
- ``.jsonl``/``.ndjson`` (optionally ``.gz``) — one JSON object per line with ``{"url",
  "html"}`` or ``{"url", "path"}`` (a path relative to the JSONL file's folder), and an
  optional ``"id"``;
- anything else named directly, and ``.html``/``.htm``/``.xhtml`` (optionally ``.gz``) found in
  a folder — one HTML page; gzip is recognised by its magic bytes, not only by the name.

Every page is read with the service's size limit (``Settings.max_html_chars`` bytes, gzip
included, so a gzip bomb stops there). A page that cannot be read still becomes a
:class:`Page`, with its error: the run writes it as a failure line, never drops it.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..errors import BadRequest, NotHtml, SourcelightError, TooLarge
from ..settings import Settings

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".arc")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
GZIP_MAGIC = b"\x1f\x8b"
HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")
GLOB_CHARACTERS = "*?["
# Bytes a page is read in at a time. Asking a gzip reader for the whole limit at once
# (max_html_chars + 1, 15 MiB) made it prepare an output buffer that large: 0.91 ms a WCXB
# page against 0.71 ms read in these pieces.
READ_CHUNK_BYTES = 256 * 1024


class InputError(Exception):
    """A name on the command line that is not a readable file, folder or matching pattern."""


@dataclass
class Page:
    """One page to annotate (``html``) or one that could not be read (``error``).

    ``id`` is stable across runs (``--resume`` relies on it): a hash of where the page came
    from, or the ``id`` a JSONL record gives. ``origin`` says where: the file, and the WARC
    record id or the JSONL line. ``size`` is how many input bytes this page accounts for
    (skipped records included), for the progress bar.
    """

    id: str
    origin: dict
    url: str | None = None
    html: bytes | str | None = None
    error: SourcelightError | None = None
    size: int = 0
    path: Path | None = None  # a saved page not read yet: :func:`load_page` reads it


@dataclass
class InputStats:
    """What the readers passed over on purpose (reported in the summary, never silent)."""

    skipped_files: int = 0  # files in folders that are not pages, WARCs or JSONL
    skipped_records: int = 0  # WARC records that are not 2xx HTML responses
    by_kind: dict = field(default_factory=dict)


# ---------------------------------------------------------------------- names to files
def expand_inputs(names: Iterable[str], stats: InputStats | None = None) -> list[Path]:
    """The files that ``names`` stand for, as absolute paths (so a page's id and origin do
    not depend on the directory a run starts in, and Dask workers find them), in a stable
    order (folders and globs sorted).

    Raises :class:`InputError` for a name that is neither a file, a folder nor a pattern
    matching something, so that a typo fails before hours of work, not after.
    """
    stats = stats if stats is not None else InputStats()
    files: list[Path] = []
    for name in names:
        path = Path(name).absolute()
        if path.is_dir():
            files.extend(_folder_files(path, stats))
        elif path.is_file():
            files.append(path)
        elif any(char in name for char in GLOB_CHARACTERS):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                raise InputError(f"no file matches {name!r}.")
            for match in matches:
                match_path = Path(match).absolute()
                if match_path.is_dir():
                    files.extend(_folder_files(match_path, stats))
                elif match_path.is_file():
                    files.append(match_path)
        elif path.exists():
            raise InputError(f"{name} is not a regular file or folder.")
        else:
            raise InputError(f"{name} does not exist.")
    return files


def _folder_files(folder: Path, stats: InputStats) -> list[Path]:
    """Page, WARC and JSONL files under ``folder`` (recursively, sorted); others counted."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()  # a stable order, so a resumed run meets the pages in the same order
        for name in sorted(names):
            path = Path(root) / name
            if file_kind(path) is None:
                stats.skipped_files += 1
            else:
                found.append(path)
    return found


def file_kind(path: Path) -> str | None:
    """``"warc"``, ``"jsonl"``, ``"html"`` by the file's name, or None for other files."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    return None


# ---------------------------------------------------------------------- files to pages
def read_pages(files: Iterable[Path], settings: Settings,
               stats: InputStats | None = None, defer_files: bool = False) -> Iterator[Page]:
    """Every page in ``files``, in order, each read within ``settings.max_html_chars``.

    With ``defer_files``, a saved page is only named (``Page.path``): whoever cleans it
    reads it with :func:`load_page` (a batch worker, so the parent does not read and gunzip
    every page, nor send its HTML through a pipe).
    """
    stats = stats if stats is not None else InputStats()
    for path in files:
        kind = file_kind(path) or "html"  # a file named on the command line is a page
        stats.by_kind[kind] = stats.by_kind.get(kind, 0) + 1
        if kind == "warc":
            yield from read_warc(path, settings, stats)
        elif kind == "jsonl":
            yield from read_jsonl(path, settings)
        elif defer_files:
            yield html_file_page(path)
        else:
            yield read_html_file(path, settings)


def page_id(*parts: str) -> str:
    """A short stable id for a page from where it came from."""
    return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def read_html_file(path: Path, settings: Settings) -> Page:
    """One saved page (gzipped or not) as a :class:`Page`."""
    page = html_file_page(path)
    load_page(page, settings)
    return page


def html_file_page(path: Path) -> Page:
    """The :class:`Page` of a saved page, not read yet (see :func:`load_page`)."""
    return Page(id=page_id("file", str(path)), origin={"path": str(path)},
                size=_file_size(path), path=path)


def load_page(page: Page, settings: Settings) -> None:
    """Read a page :func:`html_file_page` named (gzipped or not) into ``page.html``, or
    its error into ``page.error``; nothing for a page read already."""
    path, page.path = page.path, None
    if path is None or page.html is not None or page.error is not None:
        return
    try:
        with open(path, "rb") as raw:
            page.html = read_page_stream(raw, settings.max_html_chars, str(path))
    except SourcelightError as error:
        page.error = error
    except OSError as error:
        page.error = BadRequest(f"cannot read {path}: {error.strerror or error}.")


def read_page_stream(stream: BinaryIO, limit: int, name: str) -> bytes:
    """One page's bytes from ``stream``, gunzipped when it is gzip, within ``limit``."""
    return read_limited(_maybe_gunzip(stream), limit, name)


def read_limited(stream: BinaryIO, limit: int, name: str) -> bytes:
    """At most ``limit`` bytes from ``stream``; :class:`TooLarge` past it (also for gzip,
    which is decompressed only that far), :class:`NotHtml` for a corrupt gzip stream."""
    try:
        data = _read_up_to(stream, limit + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise NotHtml(f"{name} is not valid gzip ({error or 'truncated'}); "
                      "decompress or download it again.") from None
    if len(data) > limit:
        raise TooLarge(f"{name} is larger than {limit:,} bytes, the most a page may be "
                       "(max_html_chars in the settings).")
    return data


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """At most ``size`` bytes from ``stream``, read :data:`READ_CHUNK_BYTES` at a time."""
    parts, total = [], 0
    while total < size:
        part = stream.read(min(READ_CHUNK_BYTES, size - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _maybe_gunzip(raw: BinaryIO) -> BinaryIO:
    """``raw`` itself, or a gzip reader over it when it starts with gzip's magic bytes."""
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if head == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")
    return raw


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def acceptable_url(url: str, settings: Settings) -> bool:
    """The API's rule for ``url``: absolute http(s), within ``max_url_chars``."""
    from ..api import is_http_url

    return len(url) <= settings.max_url_chars and is_http_url(url)


# ---------------------------------------------------------------------- WARC
def read_warc(path: Path, settings: Settings, stats: InputStats) -> Iterator[Page]:
    """The 2xx HTML responses of a WARC (or ARC) file, gzipped or not, read with warcio.

    A file warcio cannot read (or that breaks off) becomes one failure page for the rest of it.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    position = end = 0  # bytes counted for the progress bar; end of the last whole record
    try:
        with open(path, "rb") as raw:
            records = ArchiveIterator(raw, arc2warc=True)
            for record in records:
                page = _warc_page(path, record, settings)
                # Offsets are known only once the record was read to its end.
                records.read_to_end()
                # warcio ends a record cut off by the end of the file quietly, with bytes of
                # its declared length still unread: a partial page, and the end of the file.
                missing = getattr(record.raw_stream, "limit", 0) or 0
                if missing > 0:
                    yield _warc_failure(path, end, f"a record breaks off, {missing:,} bytes "
                                                   "short: the file is truncated")
                    return
                end = records.get_record_offset() + records.get_record_length()
                if page is None:
                    stats.skipped_records += 1
                    continue
                page.size, position = max(0, end - position), end
                yield page
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as error:
        yield _warc_failure(path, end, str(error))


def _warc_failure(path: Path, end: int, reason: str) -> Page:
    """The failure line for a WARC file that cannot be read past byte ``end``."""
    return Page(id=page_id("warc-error", str(path), str(end)),
                origin={"path": str(path), "offset": end},
                error=NotHtml(f"{path} is not a readable WARC file after byte {end:,} "
                              f"({reason}); the pages before it were read."))


def _warc_page(path: Path, record, settings: Settings) -> Page | None:
    """A :class:`Page` for an HTML response record, None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or not content_type.startswith(HTML_CONTENT_TYPES):
        return None
    record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
    url = record.rec_headers.get_header("WARC-Target-URI")
    if url and not acceptable_url(url, settings):
        url = None  # e.g. a capture of an ftp:// or malformed address: cleaned without it
    page = Page(id=page_id("warc", record_id or f"{path}:{url}"),
                origin={"path": str(path), "record": record_id}, url=url)
    try:
        # content_stream() undoes chunked transfer and gzip/deflate content encoding.
        page.html = read_limited(record.content_stream(), settings.max_html_chars,
                                 f"record {record_id} of {path}")
    except SourcelightError as error:
        page.error = error
    return page


# ---------------------------------------------------------------------- JSONL
def read_jsonl(path: Path, settings: Settings) -> Iterator[Page]:
    """One page per line of a JSONL file: ``{"url", "html"}`` or ``{"url", "path"}``."""
    # A line holds a whole page as JSON: allow the body limit the service allows.
    limit = settings.max_body_bytes
    try:
        raw = open(path, "rb")
    except OSError as error:
        yield Page(id=page_id("jsonl", str(path), "0"), origin={"path": str(path)},
                   error=BadRequest(f"cannot read {path}: {error.strerror or error}."))
        return
    with raw:
        stream = _maybe_gunzip(raw)
        number = 0
        while True:
            number += 1
            try:
                line = stream.readline(limit + 1)
            except (gzip.BadGzipFile, EOFError, zlib.error, OSError) as error:
                yield Page(id=page_id("jsonl", str(path), str(number)),
                           origin={"path": str(path), "line": number},
                           error=NotHtml(f"{path} breaks off at line {number} ({error})."))
                return
            if not line:
                return
            size = len(line)
            if len(line) > limit and not line.endswith(b"\n"):
                size += _skip_line(stream)
                page = Page(id=page_id("jsonl", str(path), str(number)),
                            origin={"path": str(path), "line": number},
                            error=TooLarge(f"line {number} of {path} is longer than "
                                           f"{limit:,} bytes (max_body_bytes)."))
            elif not line.strip():
                continue
            else:
                page = jsonl_page(path, number, line, settings)
            page.size = size
            yield page


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of an over-long line; how many bytes that was."""
    skipped = 0
    while True:
        chunk = stream.readline(1 << 20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def jsonl_page(path: Path, number: int, line: bytes, settings: Settings) -> Page:
    """The page one JSONL line describes (or a failure page saying what is wrong with it)."""
    origin = {"path": str(path), "line": number}
    page = Page(id=page_id("jsonl", str(path), str(number)), origin=origin)
    try:
        record = json.loads(line)
    except ValueError as error:
        page.error = BadRequest(f"line {number} of {path} is not JSON ({error}).")
        return page
    if not isinstance(record, dict):
        page.error = BadRequest(f"line {number} of {path} is not a JSON object.")
        return page
    if isinstance(record.get("id"), (str, int)) and str(record["id"]):
        page.id = str(record["id"])
    url = record.get("url")
    if url is not None and not isinstance(url, str):
        page.error = BadRequest(f"line {number} of {path}: \"url\" must be a string.")
        return page
    page.url = url or None
    if page.url is not None and not acceptable_url(page.url, settings):
        page.error = BadRequest(f"line {number} of {path}: \"url\" is not an absolute http:// "
                                "or https:// address.")
        return page
    html, where = record.get("html"), record.get("path")
    if isinstance(html, str) and html:
        page.html = html  # text already: the pipeline takes it as it is
        if len(html) > settings.max_html_chars:
            page.error = TooLarge(f"line {number} of {path}: the page is longer than "
                                  f"{settings.max_html_chars:,} characters (max_html_chars).")
    elif isinstance(where, str) and where:
        target = Path(where) if os.path.isabs(where) else path.parent / where
        read = read_html_file(target, settings)
        page.html, page.error = read.html, read.error
        origin["file"] = str(target)
    else:
        page.error = BadRequest(f"line {number} of {path} has neither \"html\" (the page) "
                                "nor \"path\" (a file holding it).")
    return page
