"""HTTP front: `POST /slack/events` (Bolt), `GET /healthz` and `GET /metrics`, served by
waitress. In Socket Mode the same front serves only /healthz and /metrics (no app)."""
from __future__ import annotations

import json
import time
from contextlib import nullcontext
from typing import TYPE_CHECKING, Callable, Iterable

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

if TYPE_CHECKING:
    from bot.ops.metrics import Metrics

from bot.edge import MAX_BODY  # waitress refuses larger bodies (413) before buffering them
from bot.ops.in_flight import InFlight

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def _answer(start_response: Callable, status: str, body: bytes, ctype: str, head: bool = False) -> list[bytes]:
    start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
    return [] if head else [body]


def make_wsgi(app: App | None, health: Callable[[], dict], metrics: "Metrics | None" = None,
              in_flight: InFlight | None = None) -> WSGIApp:
    """`in_flight` counts the Slack requests being answered (the outbox waits for them)."""
    slack = SlackRequestHandler(app, path="/slack/events") if app is not None else None
    acks = metrics.ack_latency.labels("http") if metrics is not None else None
    answering = in_flight.request if in_flight is not None else nullcontext

    def wsgi(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        head = method == "HEAD"
        if path == "/healthz" and method in ("GET", "HEAD"):
            report = health()
            status = "200 OK" if report.get("ok") else "503 Service Unavailable"
            return _answer(start_response, status, json.dumps(report).encode(), "application/json", head)
        if path == "/metrics" and method in ("GET", "HEAD") and metrics is not None:
            return _answer(start_response, "200 OK", metrics.exposition(), CONTENT_TYPE_LATEST, head)
        if path == "/slack/events" and method == "POST" and slack is not None:
            started = time.perf_counter()
            with answering():
                body = slack(environ, start_response)  # Bolt has acknowledged when it returns
            if acks is not None:
                acks.observe(time.perf_counter() - started)
            return body
        return _answer(start_response, "404 Not Found", b'{"error": "not found"}', "application/json")

    return wsgi


def serve(wsgi: WSGIApp, port: int, host: str = "0.0.0.0", threads: int = 16) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(wsgi, host=host, port=port, threads=threads, ident="samverkan", _quiet=True,
                   max_request_body_size=MAX_BODY)


class InProcessServer:
    """The WSGI app served by waitress on a thread of this process (demo, tests, and
    /healthz with /metrics beside the Socket Mode client).

    Stopping closes every channel from inside waitress's own loop thread, so the loop ends
    by itself instead of selecting on descriptors closed under it."""

    def __init__(self, wsgi: WSGIApp, host: str = "127.0.0.1", port: int = 0, threads: int = 8):
        import threading

        from waitress import create_server

        self._server = create_server(wsgi, host=host, port=port, threads=threads, max_request_body_size=MAX_BODY)
        self._thread = threading.Thread(target=self._server.run, name="waitress", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.effective_port

    def stop(self, timeout: float = 5.0) -> None:
        def close_all() -> None:
            for channel in list(self._server._map.values()):
                channel.close()

        try:
            self._server.trigger.pull_trigger(close_all)
        except OSError:  # the loop has already closed its trigger (seen under load in tests)
            close_all()
        self._thread.join(timeout)
        self._server.task_dispatcher.shutdown()
