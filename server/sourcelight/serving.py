"""The HTTP server of ``sourcelight serve``: waitress, with deadlines that slow clients cannot
stretch and a connection budget that they cannot exhaust.

Any local process can open connections to the service without the token. waitress alone
keeps a connection that sends one header line every few seconds for as long as it likes, and
stops accepting at ``connection_limit`` (100): 99 such connections made ``/v1/health`` and
``/v1/clean`` unreachable. Two rules, as in nginx (``client_header_timeout``,
``keepalive_timeout``) or Go's ``ReadHeaderTimeout``, fix that here:

* **Deadline.** A connection must deliver a whole request, headers and body, within
  ``Settings.request_read_timeout`` seconds of opening or of its previous answer; else it is
  closed. Sending a byte now and then does not extend it (waitress's own timeout counts from
  the last byte).
* **Budget.** At most ``Settings.max_waiting_connections`` connections may be waiting for
  their request at once. A new connection past that closes the one that has waited longest —
  never one whose request is in work, and never the newcomer, so a client that sends its
  request at once (the extension) is always served, however many slow ones are open.

Connections with a request in work are bounded by the worker pool (503 busy past its queue).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer

from .memory import limit_arenas
from .settings import Settings

log = logging.getLogger(__name__)

# Evictions are logged at most this often (seconds): a flood must not flood the log too.
EVICTION_LOG_INTERVAL = 60.0


def create_http_server(app: Any, settings: Settings, host: str, port: int, threads: int) -> Any:
    """A waitress server for ``app`` on ``host:port`` with the deadline and the budget."""
    # Before waitress starts its threads: each would otherwise get a malloc arena of its own.
    limit_arenas()
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        # waitress refuses larger bodies itself, before Flask sees them: the same limit.
        max_request_body_size=settings.max_body_bytes,
        # Room for every waiting connection the budget allows plus those in work; the budget,
        # not this limit, is what a flood meets.
        connection_limit=2 * settings.max_waiting_connections + threads,
    )
    channel_class = deadline_channel_class(settings.request_read_timeout,
                                           settings.max_waiting_connections)
    for dispatcher in list(getattr(server, "map", {}).values()) + [server]:
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = channel_class
    return server


def deadline_channel_class(timeout: float, budget: int) -> type[HTTPChannel]:
    """A waitress channel class that enforces ``timeout`` and ``budget`` (see module doc)."""

    class DeadlineChannel(HTTPChannel):
        read_timeout = timeout
        waiting_budget = budget

        def __init__(self, server, sock, addr, adj, map=None):
            # Waiting for a request from the moment it opens (monotonic clock).
            self.waiting_since: float | None = time.monotonic()
            super().__init__(server, sock, addr, adj, map=map)
            evict_longest_waiting(server, self)

        def received(self, data: bytes) -> bool:
            handled = super().received(data)
            if self.requests:  # a whole request arrived: the deadline stops
                self.waiting_since = None
            return handled

        def service(self) -> None:
            super().service()
            if not self.requests:  # answered: the next request has its own deadline
                self.waiting_since = time.monotonic()

        def readable(self) -> bool:
            # Called by the server's loop about once a second for every connection.
            since = self.waiting_since
            if since is not None and not self.requests and not self.will_close \
                    and time.monotonic() - since > self.read_timeout:
                self.will_close = True  # closed by the loop at its next turn
                return False
            return super().readable()

    return DeadlineChannel


def evict_longest_waiting(server: BaseWSGIServer, newcomer: HTTPChannel) -> None:
    """Close the connection that has waited longest for its request when more than the budget
    are waiting (the newcomer counts, but is never the one closed)."""
    waiting = [channel for channel in list(server.active_channels.values())
               if getattr(channel, "waiting_since", None) is not None and not channel.requests
               and not channel.will_close]
    if len(waiting) <= newcomer.waiting_budget:
        return
    oldest = min((channel for channel in waiting if channel is not newcomer),
                 key=lambda channel: channel.waiting_since, default=None)
    if oldest is None:
        return
    oldest.will_close = True  # closed by the server's loop at its next turn
    log_eviction(server, newcomer.waiting_budget)


def log_eviction(server: BaseWSGIServer, budget: int) -> None:
    """Count an eviction on the server and log it at most once a minute."""
    count = getattr(server, "sourcelight_evictions", 0) + 1
    server.sourcelight_evictions = count
    now = time.monotonic()
    if now - getattr(server, "sourcelight_eviction_logged", -EVICTION_LOG_INTERVAL) \
            >= EVICTION_LOG_INTERVAL:
        server.sourcelight_eviction_logged = now
        log.warning("more than %d connections were waiting to send a request; closed the one "
                    "that waited longest (%d so far)", budget, count)
