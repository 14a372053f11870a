"""The pairing token: the secret the extension sends as ``Authorization: Bearer <token>``.

Any web page can send requests to 127.0.0.1, and Firefox gives every install of an extension a
random origin, so an origin allowlist cannot tell our extension from a page: the token can. It
is made once per install with :func:`secrets.token_urlsafe` and kept in ``<config dir>/token``,
readable by its owner only (0600, in a 0700 directory). ``sourcelight token`` and
``sourcelight serve`` show it; the reader pastes it into the extension's options.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import secrets
import stat
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourcelightError

log = logging.getLogger(__name__)

TOKEN_FILE_NAME = "token"
CONFIG_DIR_ENV = "SOURCELIGHT_CONFIG_DIR"
# token_urlsafe(32) gives 43 characters of the URL-safe base64 alphabet.
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,256}")
FILE_MODE = 0o600
DIR_MODE = 0o700
# Group and other permission bits: none may be set on the token file.
OTHERS_BITS = stat.S_IRWXG | stat.S_IRWXO


class PairingError(SourcelightError):
    """The token file cannot be used safely (not ours, not a regular file, unreadable)."""

    code = "pairing_error"
    status = 500


@dataclass(frozen=True)
class Pairing:
    """The install's token, where it lives, and what had to be done to get it."""

    token: str = field(repr=False)
    path: Path
    created: bool = False
    # Things the user should know (permissions repaired, a damaged file replaced); never
    # contains the token.
    notices: tuple[str, ...] = ()


def config_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Where Sourcelight keeps its files.

    In order: ``explicit`` (``Settings.config_dir``), ``$SOURCELIGHT_CONFIG_DIR``,
    ``$XDG_CONFIG_HOME/sourcelight``, ``~/.config/sourcelight``.
    """
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CONFIG_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    # The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "sourcelight"
    return Path.home() / ".config" / "sourcelight"


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe base64)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def tokens_match(sent: str | None, expected: str | None) -> bool:
    """Compare a token a caller sent with ours in constant time.

    ``hmac.compare_digest`` takes as long for a near miss as for a wild guess, so response
    times do not leak the token a character at a time. Bytes, because it refuses non-ASCII
    strings and a header can carry anything.
    """
    if sent is None or expected is None:
        return False
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8"))


def load_or_create(directory: str | os.PathLike | None = None, *, renew: bool = False) -> Pairing:
    """The install's pairing token from ``<directory>/token``, made there if missing.

    ``directory`` defaults to :func:`config_dir`. ``renew`` replaces an existing token (the
    extension must then be paired again). A token file that other users can read or write is
    made private again and the repair is reported in ``notices``; one that is damaged is
    replaced (also reported); one owned by someone else or that is not a regular file is
    refused with :class:`PairingError`.
    """
    folder = config_dir(directory)
    path = folder / TOKEN_FILE_NAME
    ensure_private_dir(folder)
    notices: list[str] = []
    if not renew:
        token = read_token_file(path, notices)
        if token is not None:
            return Pairing(token, path, False, tuple(notices))
    token = new_token()
    try:
        if renew:
            replace_token_file(path, token)
        else:
            # Another process may have made the file meanwhile: theirs wins, so both agree.
            existing = create_token_file(path, token)
            if existing is not None:
                return Pairing(existing, path, False, tuple(notices))
    except OSError as error:  # a full disk, a read-only directory, a quota
        raise PairingError(
            f"Cannot write the pairing token file {path}: {error.strerror or error}. Free "
            f"some space or make {folder} writable, or set {CONFIG_DIR_ENV} to a directory "
            "you own."
        ) from None
    return Pairing(token, path, True, tuple(notices))


def ensure_private_dir(folder: Path) -> None:
    """Create the config directory (0700) if missing; an existing one is left as it is."""
    try:
        folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    except OSError as error:
        raise PairingError(
            f"Cannot create the Sourcelight config directory {folder}: "
            f"{error.strerror or error}. Set SOURCELIGHT_CONFIG_DIR to a directory you own."
        ) from None


def read_token_file(path: Path, notices: list[str]) -> str | None:
    """The token in ``path``, or None when there is no usable one (missing or damaged).

    Opened without following symlinks, and checked on the open file so nothing can be swapped
    in between the check and the read.
    """
    # O_NONBLOCK: a FIFO put at the path would otherwise block the open until a writer came
    # (the type check below only runs on an open file); it changes nothing for a regular file.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise PairingError(
            f"Cannot read the pairing token file {path}: {error.strerror or error}. "
            "Remove it (a new token is then made) or fix its owner and permissions."
        ) from None
    try:
        info = os.fstat(fd)
        check_owner_and_type(path, info)
        if info.st_mode & OTHERS_BITS:
            make_private(fd, path, info, notices)
        raw = os.read(fd, 1024)
    finally:
        os.close(fd)
    token = raw.decode("ascii", "replace").strip()
    if TOKEN_PATTERN.fullmatch(token):
        return token
    notices.append(
        f"The pairing token file {path} was damaged and has been replaced with a new token: "
        "pair the extension again (paste the new token in its options)."
    )
    return None


def check_owner_and_type(path: Path, info: os.stat_result) -> None:
    """Refuse a token file that is not a regular file owned by the user running Sourcelight."""
    if not stat.S_ISREG(info.st_mode):
        raise PairingError(
            f"The pairing token file {path} is not a regular file. Remove it; "
            "Sourcelight then makes a new token."
        )
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise PairingError(
            f"The pairing token file {path} belongs to another user, who could know the "
            "token. Remove it; Sourcelight then makes a new token."
        )


def make_private(fd: int, path: Path, info: os.stat_result, notices: list[str]) -> None:
    """Take group and other permissions off the token file, and tell the user."""
    old = stat.S_IMODE(info.st_mode)
    os.fchmod(fd, FILE_MODE)
    notices.append(
        f"The pairing token file {path} could be read by other users (mode {old:04o}); it is "
        f"now {FILE_MODE:04o}. If others use this machine, make a new token with "
        "`sourcelight token --new` and paste it in the extension's options."
    )


def write_temp_token(folder: Path, token: str) -> str:
    """Write ``token`` to a new private file in ``folder`` and return its name.

    ``mkstemp`` creates the file 0600 from the start, so the token is never readable by others,
    not even for a moment.
    """
    fd, temp = tempfile.mkstemp(prefix=".token-", dir=folder)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, (token + "\n").encode("ascii"))
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(temp)
        raise
    os.close(fd)
    return temp


def create_token_file(path: Path, token: str) -> str | None:
    """Put ``token`` in ``path`` atomically unless a token appeared there meanwhile.

    Returns None when ours was written, or the token another process wrote first. A hard link
    of a complete temporary file is atomic and fails if the name exists, so a reader never
    sees half a token and two starting services never end up with different tokens.
    """
    temp = write_temp_token(path.parent, token)
    try:
        os.link(temp, path)
    except FileExistsError:
        existing = read_token_file(path, [])
        if existing is not None:
            return existing
        os.replace(temp, path)  # a damaged file: ours replaces it
        return None
    except OSError:  # a file system without hard links
        os.replace(temp, path)
        return None
    os.unlink(temp)
    return None


def replace_token_file(path: Path, token: str) -> None:
    """Replace the token in ``path`` atomically (``sourcelight token --new``)."""
    os.replace(write_temp_token(path.parent, token), path)


class TokenFile:
    """The token of a running service, read again whenever its file changes.

    ``sourcelight token --new`` replaces the file: the running service must stop taking the
    old token at once, not at its next restart (a revocation that needs a restart is one
    people forget). Each check costs one ``stat``; the file is read again only when its
    identity (inode, size, modification time) changed. A file that is gone or cannot be used
    safely any more lets no token through (fail closed) until a good one is back.
    """

    def __init__(self, directory: str | os.PathLike | None = None):
        pairing = load_or_create(directory)
        self.path = pairing.path
        self.notices = pairing.notices
        self._token: str | None = pairing.token
        self._stamp = file_stamp(self.path)
        self._lock = threading.Lock()

    def current(self) -> str | None:
        """The token as the file holds it now; None when there is no usable one."""
        stamp = file_stamp(self.path)
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._token = self._reread()
                    self._stamp = stamp
        return self._token

    def _reread(self) -> str | None:
        notices: list[str] = []
        try:
            token = read_token_file(self.path, notices)
        except PairingError as error:
            log.warning("%s Until then no token is accepted.", error.message)
            return None
        for notice in notices:
            log.warning("%s", notice)
        if token is None:
            log.warning("The pairing token file %s is gone or damaged; no token is accepted "
                        "until `sourcelight token` makes a new one.", self.path)
        else:
            log.info("The pairing token changed on disk; the new one is used from now on.")
        return token


def file_stamp(path: Path) -> tuple[int, ...] | None:
    """What tells one version of a file from the next (None when there is no file)."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode)
