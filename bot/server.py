"""HTTP front: `POST /slack/events` (Bolt) and `GET /healthz`, served by waitress."""
from __future__ import annotations

import json
from typing import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.edge import MAX_BODY  # waitress refuses larger bodies (413) before buffering them

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def make_wsgi(app: App, health: Callable[[], dict]) -> WSGIApp:
    slack = SlackRequestHandler(app, path="/slack/events")

    def wsgi(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            report = health()
            status = "200 OK" if report.get("ok") else "503 Service Unavailable"
            body = json.dumps(report).encode()
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body] if method == "GET" else []
        if path == "/slack/events" and method == "POST":
            return slack(environ, start_response)
        body = b'{"error": "not found"}'
        start_response("404 Not Found", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return wsgi


def health_check(sf, outbox_worker=None) -> Callable[[], dict]:
    def check() -> dict:
        report: dict = {"ok": True}
        try:
            with sf() as s:
                s.execute(text("SELECT 1"))
            report["database"] = "ok"
        except Exception as e:  # pragma: no cover - depends on the database going away
            report.update(ok=False, database=type(e).__name__)
        if outbox_worker is not None and report["ok"]:
            report["outbox_pending"] = outbox_worker.pending_count()
        return report

    return check


def serve(wsgi: WSGIApp, port: int, host: str = "0.0.0.0", threads: int = 16) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(wsgi, host=host, port=port, threads=threads, ident="samverkan", _quiet=True,
                   max_request_body_size=MAX_BODY)


class InProcessServer:
    """The WSGI app served by waitress on a thread of this process (demo, tests).

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

        self._server.trigger.pull_trigger(close_all)
        self._thread.join(timeout)
        self._server.task_dispatcher.shutdown()
