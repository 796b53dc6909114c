"""One function per emulated Web API method: ``fn(state, args) -> response dict``.

Called with ``state.lock`` held, after authentication and required-argument checks.
Errors are raised as ApiError (HTTP 200, ok=false) or RateLimited (HTTP 429).
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any, Callable

from .limits import LimitError, check_message, check_view, decode_json
from .state import ApiError, State

PERMALINK_BASE = "https://emulator.slack.test/archives"


def _ids(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


def _bool(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _checked(fn: Callable, *args: Any) -> Any:
    try:
        return fn(*args)
    except LimitError as exc:
        raise ApiError.from_limit(exc) from None


def _metadata(args: dict) -> Any:
    """Message metadata: {"event_type": "...", "event_payload": {...}}, as Slack checks it."""
    if args.get("metadata") in (None, ""):
        return None
    meta = _checked(decode_json, args["metadata"], "invalid_metadata_format")
    if not isinstance(meta, dict) or not isinstance(meta.get("event_type"), str) \
            or not re.fullmatch(r"[A-Za-z0-9_]{1,255}", meta["event_type"]) \
            or not isinstance(meta.get("event_payload", {}), dict):
        raise ApiError("invalid_metadata_format")
    return meta


def _public(st: State, message: dict, *, metadata: bool = True) -> dict:
    """A message as Slack returns it in API responses (history and replies give its
    metadata only when asked with include_all_metadata)."""
    out = {"type": "message", "user": message["user"], "text": message["text"], "ts": message["ts"]}
    if message["user"] == st.bot_user_id:
        out.update(bot_id=st.bot_id, team=st.team_id)
    for key in ("blocks", "attachments", "thread_ts", "files", "metadata"):
        if message.get(key) and (metadata or key != "metadata"):
            out[key] = copy.deepcopy(message[key])
    if message.get("reply_count"):
        out["reply_count"] = message["reply_count"]
    return out


def auth_test(st: State, a: dict) -> dict:
    return {"url": "https://emulator.slack.test/", "team": "Emulator", "user": "samverkan",
            "team_id": st.team_id, "user_id": st.bot_user_id, "bot_id": st.bot_id,
            "is_enterprise_install": False}


def chat_postMessage(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"], must_be_member=True)
    st.check_channel_window(channel["id"])
    st.take_post_token(channel["id"])
    text, blocks = _checked(check_message, a.get("text"), a.get("blocks"), a.get("attachments"))
    attachments = _checked(decode_json, a.get("attachments"), "invalid_attachments")
    message = st.add_message(channel, text, blocks, thread_ts=a.get("thread_ts"), metadata=_metadata(a),
                             attachments=attachments or None, reply_broadcast=_bool(a.get("reply_broadcast")))
    return {"channel": channel["id"], "ts": message["ts"], "message": _public(st, message)}


def chat_update(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"])
    if channel["id"] != a["channel"]:
        raise ApiError("channel_not_found")  # Slack wants the D-id here, not the user id
    message = st.find_message(channel["id"], a["ts"])
    if message is None:
        raise ApiError("message_not_found")
    if message["user"] != st.bot_user_id:
        raise ApiError("cant_update_message")
    blocks_given = a.get("blocks") is not None
    text, blocks = _checked(check_message, a.get("text"), a.get("blocks"), a.get("attachments"))
    message["edits"].append({k: copy.deepcopy(message[k]) for k in ("text", "blocks", "attachments", "metadata")})
    message["text"] = text
    if blocks_given:
        message["blocks"] = blocks or None
    if a.get("attachments") is not None:
        message["attachments"] = _checked(decode_json, a["attachments"], "invalid_attachments") or None
    if a.get("metadata") is not None:
        message["metadata"] = _metadata(a)
    st.record_mentions(text, blocks)
    return {"channel": channel["id"], "ts": message["ts"], "text": text, "message": _public(st, message)}


def chat_delete(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"])
    message = st.find_message(channel["id"], a["ts"])
    if message is None:
        raise ApiError("message_not_found")
    if message["user"] != st.bot_user_id:
        raise ApiError("cant_delete_message")
    st.delete_message(message)
    return {"channel": channel["id"], "ts": message["ts"]}


def chat_postEphemeral(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"], must_be_member=True)
    user = str(a["user"])
    if user not in st.users:
        raise ApiError("user_not_found")
    if user not in channel["members"]:
        raise ApiError("user_not_in_channel")
    text, blocks = _checked(check_message, a.get("text"), a.get("blocks"), a.get("attachments"))
    if a.get("thread_ts"):
        st.thread_root(channel["id"], a["thread_ts"])
    st.ephemerals.append({"channel": channel["id"], "user": user, "text": text, "blocks": blocks,
                          "thread_ts": a.get("thread_ts") or None})
    return {"message_ts": st.next_ts()}


def chat_getPermalink(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"])
    message = st.find_message(channel["id"], a["message_ts"])
    if message is None:
        raise ApiError("message_not_found")
    link = f"{PERMALINK_BASE}/{channel['id']}/p{message['ts'].replace('.', '')}"
    if message["thread_ts"]:
        link += f"?thread_ts={message['thread_ts']}&cid={channel['id']}"
    return {"channel": channel["id"], "permalink": link}


def chat_scheduleMessage(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"], must_be_member=True)
    try:
        post_at = int(float(a["post_at"]))
    except ValueError:
        raise ApiError("invalid_time") from None
    now = time.time()
    if post_at < now:
        raise ApiError("time_in_past")
    if post_at > now + 120 * 24 * 3600:
        raise ApiError("time_too_far")
    text, blocks = _checked(check_message, a.get("text"), a.get("blocks"), a.get("attachments"))
    if a.get("thread_ts"):
        st.thread_root(channel["id"], a["thread_ts"])
    scheduled_id = st.next_id("Q")
    st.scheduled.append({"id": scheduled_id, "channel": channel["id"], "post_at": post_at, "text": text,
                         "blocks": blocks, "thread_ts": a.get("thread_ts") or None})
    return {"channel": channel["id"], "scheduled_message_id": scheduled_id, "post_at": post_at,
            "message": {"type": "message", "text": text, "bot_id": st.bot_id, "user": st.bot_user_id}}


def _conversation(channel: dict) -> dict:
    out = {k: v for k, v in channel.items() if k != "members"}
    out["num_members"] = len(channel["members"])
    return out


def conversations_open(st: State, a: dict) -> dict:
    if a.get("channel"):
        channel = st.channel(a["channel"])
        if not channel["is_im"]:
            raise ApiError("method_not_supported_for_channel_type")
        return {"channel": {"id": channel["id"]}}
    users = _ids(a.get("users"))
    if not users:
        raise ApiError("users_list_not_supplied")
    if len(users) > 1:
        raise ApiError("invalid_user_combination")  # group DMs are not emulated
    channel = st.dm_channel(users[0])
    return {"channel": _conversation(channel) if _bool(a.get("return_im")) else {"id": channel["id"]}}


def conversations_create(st: State, a: dict) -> dict:
    name = str(a["name"])
    if len(name) > 80:
        raise ApiError("invalid_name_maxlength")
    if not re.fullmatch(r"[a-z0-9_\-\u00e5\u00e4\u00f6]+", name):
        raise ApiError("invalid_name_specials")
    if any(c.get("name") == name for c in st.channels.values()):
        raise ApiError("name_taken")
    channel = st.add_channel(st.next_id("C"), name=name, is_private=_bool(a.get("is_private")))
    channel["creator"] = st.bot_user_id
    return {"channel": _conversation(channel)}


def conversations_invite(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"], must_be_member=True)
    users = _ids(a["users"])
    if st.bot_user_id in users:
        raise ApiError("cant_invite_self")
    for user in users:
        if user not in st.users:
            raise ApiError("user_not_found")
    new = [u for u in users if u not in channel["members"]]
    if not new:
        raise ApiError("already_in_channel")
    channel["members"] += new
    return {"channel": _conversation(channel)}


def conversations_join(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"])
    if channel["is_im"]:
        raise ApiError("method_not_supported_for_channel_type")
    if st.bot_user_id not in channel["members"]:
        channel["members"].append(st.bot_user_id)
    return {"channel": _conversation(channel)}


def conversations_info(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"])
    info = _conversation(channel)
    info["is_member"] = st.bot_user_id in channel["members"]
    return {"channel": info}


def _ts(value: Any, default: float) -> float:
    if value in (None, ""):
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ApiError("invalid_ts_latest") from None


def _page(st: State, a: dict, messages: list[dict], default_limit: int, max_limit: int) -> dict:
    """Filters by oldest/latest (inclusive or not), pages by limit/cursor."""
    inclusive = _bool(a.get("inclusive"))
    oldest, latest = _ts(a.get("oldest"), 0.0), _ts(a.get("latest"), float("inf"))
    kept = [m for m in messages if (oldest <= float(m["ts"]) if inclusive else oldest < float(m["ts"]))
            and (float(m["ts"]) <= latest if inclusive else float(m["ts"]) < latest)]
    try:
        limit = min(max(int(a.get("limit") or default_limit), 1), max_limit)
        start = int(str(a.get("cursor") or "offset:0").split(":", 1)[1])
    except (ValueError, IndexError):
        raise ApiError("invalid_cursor") from None
    chunk = kept[start:start + limit]
    more = start + limit < len(kept)
    with_meta = _bool(a.get("include_all_metadata"))
    return {"messages": [_public(st, m, metadata=with_meta) for m in chunk], "has_more": more,
            "response_metadata": {"next_cursor": f"offset:{start + limit}" if more else ""}}


def _readable(st: State, a: dict) -> dict:
    """A conversation the bot may read: by its id (not a user id), and a member of it."""
    channel_id = str(a["channel"])
    channel = st.channels.get(channel_id)
    if channel is None:
        raise ApiError("channel_not_found")
    if st.bot_user_id not in channel["members"]:
        raise ApiError("not_in_channel")
    return channel


def conversations_history(st: State, a: dict) -> dict:
    """Top-level messages (and thread replies also sent to the channel), newest first."""
    channel = _readable(st, a)
    top = [m for m in st.posts if m["channel"] == channel["id"] and (m["thread_ts"] is None
                                                                      or m.get("reply_broadcast"))]
    top.sort(key=lambda m: float(m["ts"]), reverse=True)
    out = _page(st, a, top, 100, 999)
    out.update(pin_count=0, channel_actions_ts=None, channel_actions_count=0)
    return out


def conversations_replies(st: State, a: dict) -> dict:
    """A thread, parent first, then its replies oldest first (`ts` may name any of them)."""
    channel = _readable(st, a)
    message = st.find_message(channel["id"], a["ts"])
    if message is None:
        raise ApiError("thread_not_found")
    root_ts = message["thread_ts"] or message["ts"]
    thread = [m for m in st.posts if m["channel"] == channel["id"]
              and (m["ts"] == root_ts or m["thread_ts"] == root_ts)]
    thread.sort(key=lambda m: (m["ts"] != root_ts, float(m["ts"])))
    return _page(st, a, thread, 1000, 1000)


def conversations_members(st: State, a: dict) -> dict:
    channel = st.channel(a["channel"])
    return {"members": list(channel["members"]), "response_metadata": {"next_cursor": ""}}


def users_info(st: State, a: dict) -> dict:
    user = st.users.get(str(a["user"]))
    if user is None:
        raise ApiError("user_not_found")
    return {"user": copy.deepcopy(user)}


def _store_view(st: State, view: dict, view_id: str | None = None, root: str | None = None,
                previous: str | None = None, user: str | None = None) -> dict:
    view_id = view_id or st.next_id("V")
    stored = copy.deepcopy(view)
    stored.update(
        id=view_id, team_id=st.team_id, app_id="A0SAMVERK", bot_id=st.bot_id,
        callback_id=view.get("callback_id", ""), private_metadata=view.get("private_metadata", ""),
        external_id=view.get("external_id", ""), state={"values": {}}, hash=f"{int(time.time())}.{st.next_id('h')}",
        root_view_id=root or view_id, previous_view_id=previous, user_id=user,
        clear_on_close=_bool(view.get("clear_on_close")), notify_on_close=_bool(view.get("notify_on_close")),
    )
    stored.setdefault("blocks", [])
    st.views[view_id] = stored
    return stored


def _trigger(a: dict) -> Any:
    pointer = a.get("trigger_id") or a.get("interactivity_pointer")
    if not pointer:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: trigger_id"]})
    return pointer


def views_open(st: State, a: dict) -> dict:
    view = _checked(check_view, a["view"], ("modal",))
    trigger = st.exchange_trigger(_trigger(a))
    stored = _store_view(st, view, user=trigger["user"])
    st.view_depth[stored["id"]] = 1
    return {"view": copy.deepcopy(stored)}


def views_push(st: State, a: dict) -> dict:
    view = _checked(check_view, a["view"], ("modal",))
    trigger = st.exchange_trigger(_trigger(a))
    parent = st.views.get(trigger["view"] or "")
    depth = st.view_depth.get(parent["id"], 1) + 1 if parent else 1
    if depth > 3:
        raise ApiError("push_limit_reached")
    stored = _store_view(st, view, root=parent and parent["root_view_id"], previous=parent and parent["id"],
                         user=trigger["user"])
    st.view_depth[stored["id"]] = depth
    return {"view": copy.deepcopy(stored)}


def _existing_view(st: State, a: dict) -> dict:
    if a.get("view_id"):
        current = st.views.get(str(a["view_id"]))
    elif a.get("external_id"):
        current = next((v for v in st.views.values() if v.get("external_id") == a["external_id"]), None)
    else:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] view_id or external_id is required"]})
    if current is None:
        raise ApiError("not_found")
    if a.get("hash") and a["hash"] != current["hash"]:
        raise ApiError("hash_conflict")
    return current


def views_update(st: State, a: dict) -> dict:
    current = _existing_view(st, a)
    view = _checked(check_view, a["view"], (current["type"],))
    stored = _store_view(st, view, view_id=current["id"], root=current["root_view_id"],
                         previous=current["previous_view_id"], user=current["user_id"])
    return {"view": copy.deepcopy(stored)}


def views_publish(st: State, a: dict) -> dict:
    user = str(a["user_id"])
    if user not in st.users:
        raise ApiError("user_not_found")
    view = _checked(check_view, a["view"], ("home",))
    current = st.views.get(st.homes.get(user, ""))
    if current and a.get("hash") and a["hash"] != current["hash"]:
        raise ApiError("hash_conflict")
    stored = _store_view(st, view, view_id=current and current["id"], user=user)
    st.homes[user] = stored["id"]
    return {"view": copy.deepcopy(stored)}


def files_getUploadURLExternal(st: State, a: dict) -> dict:
    try:
        length = int(a["length"])
    except ValueError:
        length = -1
    if length <= 0:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] length must be a positive integer"]})
    file_id = st.next_id("F")
    st.files[file_id] = {"id": file_id, "filename": str(a["filename"]), "title": None, "bytes": None,
                         "length": length, "channel": None, "thread_ts": None}
    return {"upload_url": f"{st.base_url}/upload/{file_id}", "file_id": file_id}


def files_completeUploadExternal(st: State, a: dict) -> dict:
    entries = _checked(decode_json, a["files"], "invalid_arguments")
    if not isinstance(entries, list) or not entries:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] files must be a non-empty array"]})
    files = []
    for entry in entries:
        f = st.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        if f is None or f["bytes"] is None:
            raise ApiError("file_not_found")
        files.append((f, entry.get("title") or f["filename"]))
    targets = _ids(a.get("channels")) or _ids(a.get("channel_id"))
    if a.get("thread_ts") and len(targets) > 1:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] thread_ts needs one channel"]})
    channels = [st.channel(c, must_be_member=True) for c in targets]
    comment = str(a.get("initial_comment") or "")
    if len(comment) > 40_000:
        raise ApiError("msg_too_long")
    for channel in channels:
        st.thread_root(channel["id"], a.get("thread_ts"))
    shared = []
    for f, title in files:
        f["title"] = title
        shared.append({"id": f["id"], "name": f["filename"], "title": title, "size": len(f["bytes"])})
    for channel in channels:
        for f, _ in files:
            f.update(channel=channel["id"], thread_ts=a.get("thread_ts") or None)
        st.add_message(channel, comment, thread_ts=a.get("thread_ts"), files=copy.deepcopy(shared))
    return {"files": shared}


METHODS: dict[str, Callable[[State, dict], dict]] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_postMessage,
    "chat.update": chat_update,
    "chat.delete": chat_delete,
    "chat.postEphemeral": chat_postEphemeral,
    "chat.getPermalink": chat_getPermalink,
    "chat.scheduleMessage": chat_scheduleMessage,
    "conversations.open": conversations_open,
    "conversations.create": conversations_create,
    "conversations.invite": conversations_invite,
    "conversations.join": conversations_join,
    "conversations.info": conversations_info,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "conversations.members": conversations_members,
    "users.info": users_info,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "files.getUploadURLExternal": files_getUploadURLExternal,
    "files.completeUploadExternal": files_completeUploadExternal,
}
