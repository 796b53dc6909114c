"""Which arguments each emulated Web API method requires.

Read at start-up from the method reference files (``<method>.json``, key
``args.required``) when they are present; otherwise the vendored table below is used.

The vendored table holds facts copied from the community-maintained slack-api-ref
(https://github.com/slack-ruby/slack-api-ref, MIT licence, Copyright (c) 2015-2026
Daniel Doubrovkine, Artsy and Contributors), the same files as
``shared/slack-api-ref/methods/``.
"""

from __future__ import annotations

import json
from pathlib import Path

# Default location of the reference: <repository parent>/shared/slack-api-ref/methods
DEFAULT_REF_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "slack-api-ref" / "methods"

VENDORED_REQUIRED: dict[str, list[str]] = {
    "auth.test": ["token"],
    "chat.delete": ["token", "ts", "channel"],
    "chat.getPermalink": ["token", "channel", "message_ts"],
    "chat.postEphemeral": ["token", "user", "channel"],
    "chat.postMessage": ["token", "channel"],
    "chat.scheduleMessage": ["token", "channel", "post_at"],
    "chat.update": ["token", "ts", "channel"],
    "conversations.create": ["token", "name"],
    "conversations.history": ["token", "channel"],
    "conversations.info": ["token", "channel"],
    "conversations.invite": ["token", "channel", "users"],
    "conversations.join": ["token", "channel"],
    "conversations.members": ["token", "channel"],
    "conversations.open": ["token"],
    "conversations.replies": ["token", "channel", "ts"],
    "files.completeUploadExternal": ["token", "files"],
    "files.getUploadURLExternal": ["token", "length", "filename"],
    "users.info": ["token", "user"],
    "views.open": ["token", "view"],
    "views.publish": ["token", "user_id", "view"],
    "views.push": ["token", "view"],
    "views.update": ["token", "view"],
}

# The error Slack answers when a given required argument is missing, where it is not
# the generic ``invalid_arguments``.
MISSING_ARG_ERRORS: dict[tuple[str, str], str] = {
    ("chat.postMessage", "channel"): "channel_not_found",
    ("chat.postEphemeral", "channel"): "channel_not_found",
    ("chat.scheduleMessage", "channel"): "channel_not_found",
    ("chat.update", "channel"): "channel_not_found",
    ("chat.update", "ts"): "message_not_found",
    ("chat.delete", "channel"): "channel_not_found",
    ("chat.delete", "ts"): "message_not_found",
    ("chat.getPermalink", "channel"): "channel_not_found",
    ("chat.getPermalink", "message_ts"): "message_not_found",
    ("conversations.info", "channel"): "channel_not_found",
    ("conversations.history", "channel"): "channel_not_found",
    ("conversations.replies", "channel"): "channel_not_found",
    ("conversations.replies", "ts"): "thread_not_found",
    ("conversations.join", "channel"): "channel_not_found",
    ("conversations.members", "channel"): "channel_not_found",
    ("conversations.invite", "channel"): "channel_not_found",
    ("conversations.invite", "users"): "no_user",
    ("conversations.create", "name"): "invalid_name_required",
    ("users.info", "user"): "user_not_found",
}


def load_required(ref_dir: str | Path | None = None) -> dict[str, list[str]]:
    """Required argument names per method, from ``ref_dir`` if it exists, else vendored."""
    required = {m: list(args) for m, args in VENDORED_REQUIRED.items()}
    directory = Path(ref_dir) if ref_dir is not None else DEFAULT_REF_DIR
    if directory.is_dir():
        for method in required:
            path = directory / f"{method}.json"
            if path.is_file():
                spec = json.loads(path.read_text(encoding="utf-8"))
                required[method] = list(spec.get("args", {}).get("required", []))
    return required
