"""Slack's Socket Mode, emulated: ``apps.connections.open`` (with the app-level token)
answers a ``ws://`` URL on a local websocket server; a connection gets ``hello``, then the
envelopes Slack would send (``slash_commands``, ``interactive``, ``events_api``), which the
app acknowledges by ``envelope_id``, with a response payload where Slack accepts one.

``SocketModeEmulator`` is a SlackEmulator (the Web API as before) with that server beside
it; ``SocketModeSlackClient`` is SlackRequestClient sending through the socket instead of
signed HTTP, answering with the acknowledgement.
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from .client import SlackRequestClient
from .server import SlackEmulator

APP_TOKEN = "xapp-1-A0SAMVERK-1-emulator"


class Link:
    """One websocket connection from the app, as the emulator sees it."""

    def __init__(self, ws: ServerConnection, ticket: str):
        self.ws, self.ticket = ws, ticket
        self.acks: dict[str, dict] = {}
        self.received: list[Any] = []  # every frame the app sent, parsed
        self.closed = threading.Event()
        self._changed = threading.Condition()

    @property
    def close_code(self) -> int | None:
        """The close code the app sent: 1000 for a clean close; 1006 if it just dropped
        the connection; None while open."""
        return self.ws.close_code if self.closed.is_set() else None

    def _serve(self) -> None:
        try:
            for frame in self.ws:
                data = json.loads(frame)
                with self._changed:
                    self.received.append(data)
                    if isinstance(data, dict) and data.get("envelope_id"):
                        self.acks[data["envelope_id"]] = data
                    self._changed.notify_all()
        except (ConnectionClosed, ValueError):
            pass
        finally:
            self.closed.set()

    def send(self, kind: str, payload: dict, *, accepts_response_payload: bool = False,
             timeout: float = 10.0) -> dict:
        """Sends an envelope; returns the app's acknowledgement (AssertionError if none)."""
        envelope_id = str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": accepts_response_payload}
        if kind == "events_api":
            envelope.update(retry_attempt=0, retry_reason="")
        self.ws.send(json.dumps(envelope))
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"no acknowledgement of {kind} envelope within {timeout} s")
            return self.acks[envelope_id]


class SocketModeEmulator(SlackEmulator):
    def __init__(self, *args: Any, app_token: str = APP_TOKEN, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.app_token = app_token
        self.links: list[Link] = []
        self._ws: Server | None = None
        self._ws_thread: threading.Thread | None = None
        self._links_changed = threading.Condition()
        self._tickets: set[str] = set()  # issued by apps.connections.open, each good for one connection

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> "SocketModeEmulator":
        super().start()
        if self._ws is None:
            self._ws = serve(self._connected, "127.0.0.1", 0, compression=None, ping_interval=None)
            self._ws_thread = threading.Thread(target=self._ws.serve_forever, name="socket-mode-emulator",
                                               daemon=True)
            self._ws_thread.start()
        return self

    def stop(self) -> None:
        if self._ws is not None:
            self._ws.shutdown()
            self._ws_thread.join(timeout=5)  # type: ignore[union-attr]
            self._ws = self._ws_thread = None
        super().stop()

    @property
    def ws_port(self) -> int:
        return self._ws.socket.getsockname()[1]  # type: ignore[union-attr]

    def drop_links(self) -> None:
        """Slack goes away: every open connection is cut without a closing handshake."""
        for link in list(self.links):
            if not link.closed.is_set():
                link.ws.socket.shutdown(socket.SHUT_RDWR)

    # --- the websocket side ------------------------------------------------------------
    def _connected(self, ws: ServerConnection) -> None:
        ticket = (ws.request.path.partition("ticket=")[2] if ws.request else "") or "?"
        with self.state.lock:
            valid = ticket in self._tickets
            self._tickets.discard(ticket)
        if not valid:
            ws.close(4001, "invalid ticket")
            return
        link = Link(ws, ticket)
        ws.send(json.dumps({"type": "hello", "num_connections": len(self.open_links()) + 1,
                            "debug_info": {"host": "emulator", "approximate_connection_time": 18060},
                            "connection_info": {"app_id": "A0SAMVERK"}}))
        with self._links_changed:
            self.links.append(link)
            self._links_changed.notify_all()
        link._serve()

    def open_links(self) -> list[Link]:
        return [link for link in self.links if not link.closed.is_set()]

    def wait_for_link(self, timeout: float = 10.0) -> Link:
        """The newest open connection, waiting for one."""
        with self._links_changed:
            if not self._links_changed.wait_for(lambda: self.open_links(), timeout):
                raise AssertionError(f"the app did not connect over Socket Mode within {timeout} s")
            return self.open_links()[-1]

    # --- the Web API side ----------------------------------------------------------------
    def _api(self, method: str, query: str, headers: Any, body: bytes) -> tuple[int, Any, dict]:
        if method != "apps.connections.open":
            return super()._api(method, query, headers, body)
        st = self.state
        if st.down:
            return self._failure(method, {}, 503, None)
        auth = headers.get("Authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not token:
            return self._answer(method, {}, 200, {"ok": False, "error": "not_authed"})
        if token.startswith("xoxb-"):
            return self._answer(method, {}, 200, {"ok": False, "error": "not_allowed_token_type"})
        if token != self.app_token:
            return self._answer(method, {}, 200, {"ok": False, "error": "invalid_auth"})
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        return self._answer(method, {}, 200, {"ok": True, "url": f"ws://127.0.0.1:{self.ws_port}/link/?ticket={ticket}"})


class _Ack:
    """What a test reads of an acknowledgement, shaped like the HTTP answer it replaces."""

    status_code = 200

    def __init__(self, ack: dict):
        self.ack = ack

    def json(self) -> dict:
        return self.ack.get("payload") or {}

    @property
    def text(self) -> str:
        return json.dumps(self.json())


class SocketModeSlackClient(SlackRequestClient):
    """Slack's requests to the app, sent as Socket Mode envelopes over the newest link."""

    def __init__(self, emulator: SocketModeEmulator, timeout: float = 10.0, **kwargs: Any):
        super().__init__("socket-mode", "unused", emulator, timeout=timeout, **kwargs)

    def _form(self, fields: dict) -> _Ack:  # slash commands
        link = self.emulator.wait_for_link(self.timeout)
        return _Ack(link.send("slash_commands", fields, accepts_response_payload=True, timeout=self.timeout))

    def _interaction(self, payload: dict) -> _Ack:
        link = self.emulator.wait_for_link(self.timeout)
        accepts = payload.get("type") == "view_submission"
        return _Ack(link.send("interactive", payload, accepts_response_payload=accepts, timeout=self.timeout))

