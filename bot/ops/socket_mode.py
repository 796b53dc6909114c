"""`samverkan run --socket-mode`: Bolt's built-in Socket Mode client, with /healthz and
/metrics served on PORT beside it, and a clean close on shutdown.

slack_sdk's built-in client drops the TCP connection when closed, without the WebSocket
closing handshake (Slack sees code 1006, an abnormal closure). `close()` first sends a
close frame with code 1000 and waits briefly for Slack's answer."""
from __future__ import annotations

import logging
import os
import struct
import threading
import time
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.server import InProcessServer, make_wsgi

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

NORMAL_CLOSURE = 1000


def close_frame(code: int = NORMAL_CLOSURE) -> bytes:
    """A client's WebSocket close frame (RFC 6455 §5.5.1): FIN + opcode 8, masked payload."""
    payload = struct.pack("!H", code)
    mask = os.urandom(4)
    return bytes([0x88, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class _TimedHandler(SocketModeHandler):
    """Bolt's handler, timing each envelope from arrival to the acknowledgement sent."""

    def __init__(self, app: App, app_token: str, observe, ping_interval: float) -> None:
        super().__init__(app, app_token, ping_interval=ping_interval)
        self._observe = observe

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        started = time.perf_counter()
        super().handle(client, req)  # runs Bolt and sends the acknowledgement
        self._observe(time.perf_counter() - started)


class SocketModeService:
    def __init__(self, rt: "Runtime", app_token: str, port: int, host: str = "0.0.0.0", *,
                 ping_interval: float = 10.0):
        """`ping_interval`: seconds between pings; a connection without pongs for four of
        them counts as lost (the client then reconnects)."""
        self.rt, self.port, self.host = rt, port, host
        self.handler = _TimedHandler(rt.app, app_token, rt.metrics.ack_latency.labels("socket_mode").observe,
                                     ping_interval)
        self.server: InProcessServer | None = None
        self._closed = False

    def connected(self) -> bool:
        return self.handler.client.is_connected()

    def start(self) -> None:
        """Connects to Slack (raises if it cannot) and serves /healthz and /metrics on PORT."""
        self.handler.connect()
        self.rt.watch.socket = self.connected
        self.server = InProcessServer(make_wsgi(None, self.rt.health, self.rt.metrics), host=self.host,
                                      port=self.port)

    def close(self, wait: float = 2.0) -> None:
        """Closes the websocket with code 1000, then the client and the HTTP front (idempotent)."""
        if self._closed:
            return
        self._closed = True
        client = self.handler.client
        client.auto_reconnect_enabled = False  # Slack's answering close must not reconnect
        session = client.current_session
        if session is not None and session.is_active():
            try:
                with session.sock_send_lock:
                    session.sock.send(close_frame())
                deadline = time.monotonic() + wait
                while session.is_active() and time.monotonic() < deadline:
                    time.sleep(0.02)  # the receiving thread closes the socket on Slack's close frame
            except (OSError, AttributeError) as e:  # the socket went away meanwhile
                log.info("Socket Mode: could not close the websocket cleanly: %s", e)
        self.handler.close()
        if self.server is not None:
            self.server.stop()


def run_socket_mode(rt: "Runtime", app_token: str, port: int) -> None:
    """Runs until interrupted (SIGTERM raises SystemExit here), then closes cleanly."""
    service = SocketModeService(rt, app_token, port)
    try:
        service.start()
        log.info("samverkan %s: Socket Mode; /healthz and /metrics on port %d", rt.cfg.region, port)
        threading.Event().wait()
    finally:
        service.close()
