"""A small HTTP POST over the standard library, for the emulator's client side.

`samverkan demo` ships this emulator and must run with the bot's runtime dependencies
only, so the client does not use `requests`. ``Response`` offers the few attributes the
tests and the demo read (``status_code``, ``text``, ``content``, ``headers``, ``json()``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from email.message import Message
from typing import Any


class Response:
    def __init__(self, status_code: int, content: bytes, headers: Message):
        self.status_code = status_code
        self.content = content
        self.headers = headers  # case-insensitive get() and [], like requests' headers

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    @property
    def text(self) -> str:
        charset = self.headers.get_content_charset() or "utf-8"
        return self.content.decode(charset, errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


# The bot and the emulator are on this machine: never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    """POSTs body; an HTTP error status is a Response like any other (as with requests)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return Response(answer.status, answer.read(), answer.headers)
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.read(), error.headers)
