"""Who may call the service: checks that run before every request, before any route.

Any page the reader visits can send requests to 127.0.0.1, so the service answers only its
paired extension. The checks run in this order, and the first that fails answers 403
``forbidden`` (nothing after it runs, and no request that fails reaches the pipeline):

1. the peer is this machine (the service listens on loopback; this holds if it is ever run
   some other way);
2. the ``Host`` header is ``127.0.0.1``, ``localhost`` or ``[::1]``, with the service's port if
   it names one — a page that rebinds its own name to 127.0.0.1 (DNS rebinding) still sends
   its own name;
3. ``Origin``, when sent, is a browser extension's (``chrome-extension://…``,
   ``moz-extension://…``) — a web page's origin or ``null`` is refused, so a ``no-cors`` or
   ``text/plain`` POST from a page never gets as far as the content-type check;
4. ``Sec-Fetch-Site: cross-site`` or ``same-site`` is refused unless the Origin is an
   extension's (a page's ``<img>``, form or navigation sends no Origin but does send this);
5. a CORS preflight from an extension is answered here (it carries no token);
6. every route but ``GET /v1/health`` needs ``Authorization: Bearer <token>``, compared in
   constant time. A token anywhere else (the query string) is not looked at.

Firefox gives each install of an extension a random origin, so the origin rule only keeps web
pages out; the token is what tells our extension from any other. Refusals say what the person
can do and nothing else: never which token was expected or what was received.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, request

from .errors import Forbidden
from .pairing import tokens_match
from .settings import Settings

GUARD_EXTENSION = "sourcelight.guard"
# Routes anyone on this machine may call without the token.
PUBLIC_ENDPOINTS = frozenset({"api.health"})
# Sec-Fetch-Site values that mean "a web page made this request".
PAGE_FETCH_SITES = frozenset({"cross-site", "same-site"})
PREFLIGHT_METHODS = "GET, POST, DELETE"
PREFLIGHT_HEADERS = "Authorization, Content-Type"
# The extension may read these on a response (Retry-After comes with 503).
EXPOSED_HEADERS = "Retry-After"

# host, [v6 host] or either with :port.
HOST_PATTERN = re.compile(
    r"(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[^:\[\]]+))(?::(?P<port>\d{1,5}))?")
# An extension origin: scheme://id, where the id is Chrome's 32 letters or Firefox's UUID.
EXTENSION_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,128}")

REMOTE_MESSAGE = "Sourcelight answers only programs on this computer."
ORIGIN_MESSAGE = (
    "Sourcelight answers only its browser extension, not web pages. Open the page in your "
    "browser and use the Sourcelight extension's button to clean it."
)
TOKEN_MESSAGE = (
    "Sourcelight answers only its paired extension. Pair it: run `sourcelight token` and paste "
    "the token in the extension's options (it is sent as 'Authorization: Bearer <token>')."
)


def host_message(port: int) -> str:
    """The refusal for a foreign Host header, naming the address to use instead."""
    where = f"http://127.0.0.1:{port}" if port else "http://127.0.0.1:<port>"
    return (
        "Sourcelight answers only requests addressed to 127.0.0.1, localhost or [::1] on its "
        f"own port. Set the service address in the extension's options to {where}."
    )


@dataclass(frozen=True)
class Guard:
    """The request checks of one app, with what they need from its settings and pairing."""

    # The token as it is now (the token file is watched: `sourcelight token --new` revokes
    # the old one in the running service); None lets no token through.
    token: Callable[[], str | None]
    allowed_hosts: frozenset[str]
    port: int
    extension_schemes: frozenset[str]
    cors_max_age: int

    @classmethod
    def from_settings(cls, settings: Settings, token: str | Callable[[], str | None]
                      ) -> "Guard":
        return cls(
            token=token if callable(token) else (lambda: token),
            allowed_hosts=frozenset(h.lower() for h in settings.allowed_hosts),
            port=settings.port,
            extension_schemes=frozenset(s.lower() for s in settings.extension_origin_schemes),
            cors_max_age=settings.cors_max_age,
        )

    # -- before every request
    def check_request(self) -> Response | None:
        """Flask ``before_request``: raise :class:`Forbidden`, answer a preflight, or pass."""
        check_remote_address(request.remote_addr)
        self.check_host(request.headers.get("Host"))
        origin = request.headers.get("Origin")
        from_extension = origin is not None and self.is_extension_origin(origin)
        if origin is not None and not from_extension:
            raise Forbidden(ORIGIN_MESSAGE)
        if not from_extension and is_page_fetch(request.headers.get("Sec-Fetch-Site")):
            raise Forbidden(ORIGIN_MESSAGE)
        if from_extension and is_preflight():
            return self.preflight_response(origin)
        if request.endpoint not in PUBLIC_ENDPOINTS:
            self.check_token(request.headers.get("Authorization"))
        return None

    def check_host(self, host: str | None) -> None:
        """Refuse a Host header that is not a loopback name (with our port, if it has one)."""
        if not self.is_allowed_host(host):
            raise Forbidden(host_message(self.port))

    def is_allowed_host(self, host: str | None) -> bool:
        """True for ``127.0.0.1``, ``localhost`` or ``[::1]``, optionally with our port."""
        match = HOST_PATTERN.fullmatch((host or "").strip().lower())
        if match is None:
            return False
        name = match["v6"] or match["name"]
        if name not in self.allowed_hosts:
            return False
        port = match["port"]
        # Port 0 means "any free port": the real one is not known when the app is built.
        return port is None or not self.port or int(port) == self.port

    def is_extension_origin(self, origin: str) -> bool:
        """True for ``chrome-extension://<id>`` or ``moz-extension://<uuid>``."""
        scheme, separator, rest = origin.strip().partition("://")
        return (bool(separator) and scheme.lower() in self.extension_schemes
                and EXTENSION_ID_PATTERN.fullmatch(rest) is not None)

    def check_token(self, authorization: str | None) -> None:
        """Refuse unless ``Authorization: Bearer <token>`` carries our token."""
        if not tokens_match(bearer_token(authorization), self.token()):
            raise Forbidden(TOKEN_MESSAGE)

    def preflight_response(self, origin: str) -> Response:
        """The answer to an extension's CORS preflight: its own origin, never ``*``."""
        response = Response(status=204)
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = PREFLIGHT_METHODS
        response.headers["Access-Control-Allow-Headers"] = PREFLIGHT_HEADERS
        response.headers["Access-Control-Max-Age"] = str(self.cors_max_age)
        return response

    # -- after every request, errors included
    def add_cors_headers(self, response: Response) -> Response:
        """Let an extension read the answer (its origin echoed); never any other origin."""
        response.vary.add("Origin")
        origin = request.headers.get("Origin")
        if origin is not None and self.is_extension_origin(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        else:
            response.headers.pop("Access-Control-Allow-Origin", None)
        return response


def register_guards(app: Flask, settings: Settings,
                    token: str | Callable[[], str | None]) -> Guard:
    """Run the checks before every request of ``app`` and add CORS headers after. ``token`` is
    the token, or a function that gives it as it is now (see pairing.TokenFile)."""
    guard = Guard.from_settings(settings, token)
    app.extensions[GUARD_EXTENSION] = guard
    app.before_request(guard.check_request)
    app.after_request(guard.add_cors_headers)
    return guard


def check_remote_address(address: str | None) -> None:
    """Refuse a peer that is not a loopback address."""
    if not is_loopback(address):
        raise Forbidden(REMOTE_MESSAGE)


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (``::ffff:127.0.0.1``)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def is_page_fetch(sec_fetch_site: str | None) -> bool:
    """True when the browser says a web page (another site) made the request."""
    return (sec_fetch_site or "").strip().lower() in PAGE_FETCH_SITES


def is_preflight() -> bool:
    """A CORS preflight: OPTIONS with ``Access-Control-Request-Method``."""
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None
