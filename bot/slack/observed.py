"""A WebClient that tells an observer how each Web API call went (for /healthz and
/metrics), and the probe that asks Slack whether it answers when nothing else has."""
from __future__ import annotations

from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse


class CallObserver(Protocol):
    def __call__(self, method: str, error: str | None, answered: bool) -> None:
        """`error`: None when the call succeeded, else Slack's error or the exception's name.
        `answered`: Slack answered (even with an error); False for connection errors,
        timeouts and 5xx."""


class ObservedWebClient(WebClient):
    def __init__(self, *args: Any, observer: CallObserver, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.observer = observer

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        try:
            response = super().api_call(api_method, **kwargs)
        except SlackApiError as e:
            status = getattr(e.response, "status_code", 200) or 200
            error = e.response.get("error", "unknown") if e.response is not None else "unknown"
            self._tell(api_method, str(error), answered=status < 500)
            raise
        except Exception as e:
            self._tell(api_method, type(e).__name__, answered=False)
            raise
        self._tell(api_method, None, answered=True)
        return response

    def _tell(self, method: str, error: str | None, *, answered: bool) -> None:
        try:
            self.observer(method, error, answered)
        except Exception:  # noqa: BLE001 - watching must never break a call
            pass


def probe(client: WebClient) -> bool:
    """One cheap call (auth.test, no scope needed); True if Slack answered it."""
    try:
        client.auth_test()
    except Exception:  # noqa: BLE001 - the observer has recorded how it failed
        return False
    return True
