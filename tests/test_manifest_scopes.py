"""Least privilege: both Slack app manifests in deploy/ ask for exactly the scopes the code uses.

The code's Web API calls are found statically (``ast``) in bot/ and handlers/: every use of
a slack_sdk ``WebClient`` method (``client.chat_postMessage``, also passed as a value),
every ``api_call("method")``, and Bolt's ``say(...)``. A WebClient method is mapped to the
API methods it calls by reading slack_sdk's own source (``files_upload_v2`` makes two
calls). Each API method's bot scopes come from tests/data/slack_methods_scopes.json, taken
from slack-api-ref (``shared/slack-api-ref/methods/*.json``); a method may be called with
ANY ONE of its scopes, so the manifest says which one it chose: every scope line carries,
after ``#``, the methods that need it, or the manifest feature (``features.slash_commands``,
``features.shortcuts``, ``event:<name>``).

Checked both ways, per manifest: a called method that needs a scope is named beside
exactly one scope that grants it; every scope names at least one thing that needs it and
only methods the code calls; events are known with their scopes.
"""
from __future__ import annotations

import ast
import inspect
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from slack_sdk import WebClient

REPO = Path(__file__).resolve().parent.parent
SCOPES_FILE = REPO / "tests" / "data" / "slack_methods_scopes.json"
MANIFESTS = [REPO / "deploy" / "slack-app-manifest.yaml", REPO / "deploy" / "slack-app-manifest.socket-mode.yaml"]
CODE_DIRS = [REPO / "bot", REPO / "handlers"]

# Bolt calls auth.test itself when the app starts (token verification): no scope.
IMPLICIT_CALLS = {"auth.test": "slack_bolt.App start-up"}

# Event subscriptions and the bot scope each needs (None: none). An event not listed here
# fails the test: add it with the scope Slack's event reference names.
EVENT_SCOPES: dict[str, str | None] = {
    "app_home_opened": None,
    "app_mention": "app_mentions:read",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "member_joined_channel": "channels:read",
    "reaction_added": "reactions:read",
}

# Manifest features that need a scope: slash commands and shortcuts need `commands`.
# Methods the code calls on more than one kind of conversation need the scope of each kind
# (one scope grants one kind): the exactly-once lookup reads the conference channel
# (public, or private) and the bot's DMs; the start-up check reads the conference channel.
CONVERSATION_KINDS = {
    "conversations.history": {"channels", "groups", "im"},
    "conversations.replies": {"channels", "groups", "im"},
    "conversations.info": {"channels", "groups"},
}
FEATURE_SCOPES = {"features.slash_commands": "commands", "features.shortcuts": "commands"}

METHOD_TOKEN = re.compile(r"\b[a-z]+\.[a-zA-Z]+\b")
SCOPE_LINE = re.compile(r"^\s*-\s*(?P<scope>[a-z][a-z:._-]*)\s*(?:#\s*(?P<why>.*))?$")


# ---- what Slack's reference says ---------------------------------------------------------

@lru_cache(maxsize=1)
def reference() -> dict[str, dict]:
    return json.loads(SCOPES_FILE.read_text(encoding="utf-8"))["methods"]


# ---- what the code calls ------------------------------------------------------------------

@lru_cache(maxsize=1)
def webclient_methods() -> dict[str, frozenset[str]]:
    """WebClient method name -> the Web API methods it calls (from slack_sdk's source)."""
    direct: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for name, fn in inspect.getmembers(WebClient, inspect.isfunction):
        if name.startswith("_") or not fn.__qualname__.startswith("WebClient."):
            continue
        source = inspect.getsource(fn)
        direct[name] = set(re.findall(r"api_call\(\s*[\"']([a-zA-Z.]+)[\"']", source))
        calls[name] = set(re.findall(r"self\.([a-zA-Z_0-9]+)\(", source))

    def resolve(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        out = set(direct.get(name, ()))
        for other in calls.get(name, ()):
            if other in direct and other not in seen:
                out |= resolve(other, seen | {name})
        return out

    return {name: frozenset(resolve(name)) for name in direct}


def calls_in_source(source: str, where: str) -> dict[str, set[str]]:
    """Web API method -> places ("file:line") in one module's source."""
    found: dict[str, set[str]] = {}
    methods = webclient_methods()
    tree = ast.parse(source)
    # Bolt's say() posts a message: a call of `say` inside a function that takes it as a
    # parameter (Bolt passes listener arguments by name); a local `say = ...` is not Bolt's.
    bolt_say = {id(call) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                and "say" in {a.arg for a in fn.args.args + fn.args.kwonlyargs}
                for call in ast.walk(fn) if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name) and call.func.id == "say"}
    for node in ast.walk(tree):
        named: set[str] = set()
        if isinstance(node, ast.Attribute) and node.attr in methods:
            named = set(methods[node.attr])
        elif isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr == "api_call" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                named = {node.args[0].value}
            elif id(node) in bolt_say:
                named = {"chat.postMessage"}
        for method in named:
            found.setdefault(method, set()).add(f"{where}:{node.lineno}")
    return found


@lru_cache(maxsize=1)
def code_calls() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {m: {why} for m, why in IMPLICIT_CALLS.items()}
    for folder in CODE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            rel = str(path.relative_to(REPO))
            for method, places in calls_in_source(path.read_text(encoding="utf-8"), rel).items():
                found.setdefault(method, set()).update(places)
    return {m: frozenset(p) for m, p in found.items()}


# ---- what a manifest asks for -------------------------------------------------------------

def manifest_scopes(text: str) -> dict[str, list[str]]:
    """Bot scope -> what its comment names, read from the lines under oauth_config.scopes.bot."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if re.match(r"^\s+bot:\s*$", line)
                     and i > next(j for j, x in enumerate(lines) if x.startswith("oauth_config:")))
    except StopIteration:
        return {}
    indent = len(lines[start]) - len(lines[start].lstrip())
    scopes: dict[str, list[str]] = {}
    for line in lines[start + 1:]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if len(line) - len(line.lstrip()) <= indent:
            break
        m = SCOPE_LINE.match(line)
        if m:
            why = m["why"] or ""
            named = re.findall(r"features\.[a-z_]+|event:[a-z_.]+", why)
            rest = re.sub(r"features\.[a-z_]+|event:[a-z_.]+", "", why)
            scopes[m["scope"]] = named + METHOD_TOKEN.findall(rest)
    return scopes


def problems(manifest_text: str, calls: dict[str, frozenset[str]]) -> list[str]:
    """Every way the manifest and the code disagree, one line each (empty: they agree)."""
    ref = reference()
    manifest = yaml.safe_load(manifest_text)
    declared = list(((manifest.get("oauth_config") or {}).get("scopes") or {}).get("bot") or [])
    scopes = manifest_scopes(manifest_text)
    out: list[str] = []
    if list(scopes) != declared:
        out.append(f"scope lines {list(scopes)} do not match oauth_config.scopes.bot {declared}")

    features = manifest.get("features") or {}
    present = {"features.slash_commands": bool(features.get("slash_commands")),
               "features.shortcuts": bool(features.get("shortcuts"))}
    events = ((manifest.get("settings") or {}).get("event_subscriptions") or {}).get("bot_events") or []
    needed: dict[str, set[str]] = {}  # a method/feature/event -> the scopes that grant it
    for method in calls:
        entry = ref.get(method)
        if entry is None:
            out.append(f"{method} (called at {sorted(calls[method])[0]}) is not in {SCOPES_FILE.name}: "
                       "vendor its scopes from shared/slack-api-ref/methods")
        elif not entry["no_scope_required"] and entry["bot"]:
            needed[method] = set(entry["bot"])
    for feature, on in present.items():
        if on:
            needed[feature] = {FEATURE_SCOPES[feature]}
    for event in events:
        if event not in EVENT_SCOPES:
            out.append(f"event {event}: unknown here; add it with its scope to EVENT_SCOPES")
        elif EVENT_SCOPES[event]:
            needed[f"event:{event}"] = {EVENT_SCOPES[event]}

    granted_by: dict[str, list[str]] = {}
    for scope, named in scopes.items():
        if not named:
            out.append(f"scope {scope}: no method or feature named beside it (# ...)")
        for thing in named:
            if thing not in needed:
                where = "the manifest" if thing.startswith(("features.", "event:")) else "the code"
                out.append(f"scope {scope}: names {thing}, which {where} does not use or which needs no scope")
            elif scope not in needed[thing]:
                out.append(f"scope {scope}: does not grant {thing} (any of {sorted(needed[thing])})")
            else:
                granted_by.setdefault(thing, []).append(scope)
    for thing, grants in sorted(needed.items()):
        by = granted_by.get(thing, [])
        where = f" (called at {', '.join(sorted(calls[thing])[:2])})" if thing in calls else ""
        if not by:
            out.append(f"{thing}{where} needs one of {sorted(grants)}: no scope in the manifest names it")
        elif thing in CONVERSATION_KINDS:
            missing = CONVERSATION_KINDS[thing] - {scope.split(":")[0] for scope in by}
            if missing:
                out.append(f"{thing}{where} needs one of {sorted(grants)}: no scope in the manifest names it "
                           f"for {sorted(missing)} conversations")
        elif len(by) > 1:
            out.append(f"{thing} is named beside {len(by)} scopes {by}: keep one")
    return out


# ---- the tests ----------------------------------------------------------------------------

def test_the_scan_finds_the_calls_the_code_makes():
    calls = code_calls()
    # a sample that must be found, in several call shapes (attribute call, method passed as value)
    for method in ("chat.postMessage", "chat.update", "views.open", "views.publish",
                   "conversations.create", "files.completeUploadExternal", "auth.test"):
        assert method in calls, method
    assert any(p.startswith("bot/slack/views.py") for p in calls["views.open"])
    bolt = calls_in_source("def h(ack, say):\n    say('x')\n\ndef g():\n    say = print\n    say('y')\n", "h.py")
    assert bolt == {"chat.postMessage": {"h.py:2"}}


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_manifest_asks_for_exactly_the_scopes_the_code_uses(manifest):
    assert problems(manifest.read_text(encoding="utf-8"), code_calls()) == []


def test_both_manifests_ask_for_the_same_scopes():
    http, socket = (manifest_scopes(m.read_text(encoding="utf-8")) for m in MANIFESTS)
    assert http == socket


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_removing_any_scope_fails(manifest):
    text = manifest.read_text(encoding="utf-8")
    for scope in manifest_scopes(text):
        without = "\n".join(line for line in text.splitlines() if not SCOPE_LINE.match(line)
                            or SCOPE_LINE.match(line)["scope"] != scope)
        found = problems(without, code_calls())
        assert any("no scope in the manifest names it" in p for p in found), (scope, found)


def test_an_unused_scope_fails():
    text = MANIFESTS[0].read_text(encoding="utf-8")
    extra = text.replace("      - files:write  #", "      - bookmarks:write  # bookmarks.add\n      - files:write  #")
    assert "bookmarks:write" in yaml.safe_load(extra)["oauth_config"]["scopes"]["bot"]
    assert any("bookmarks:write: names bookmarks.add, which the code does not use" in p
               for p in problems(extra, code_calls()))
    bare = text.replace("      - files:write  #", "      - channels:join\n      - files:write  #")
    assert any("scope channels:join: no method" in p for p in problems(bare, code_calls()))


def test_a_new_call_without_its_scope_fails():
    # conversations.history, users.info, ... : whoever adds the call must add the scope
    calls = dict(code_calls())
    calls.update(calls_in_source("def f(client):\n    client.bookmarks_add(channel_id='C1')\n"
                                 "    client.api_call('conversations.members')\n", "bot/new.py"))
    found = problems(MANIFESTS[0].read_text(encoding="utf-8"), calls)
    assert any(p.startswith("bookmarks.add (called at bot/new.py:2) needs one of ['bookmarks:write']") for p in found)
    assert any(p.startswith("conversations.members") and "channels:read" in p for p in found)


def test_a_scope_that_does_not_grant_the_named_call_fails():
    text = MANIFESTS[0].read_text(encoding="utf-8").replace(
        "- channels:manage  # conversations.create, conversations.invite",
        "- channels:manage  # conversations.create\n      - channels:join  # conversations.invite")
    assert any("channels:join: does not grant conversations.invite" in p for p in problems(text, code_calls()))


def test_events_and_slash_commands_are_accounted_for():
    text = MANIFESTS[0].read_text(encoding="utf-8")
    assert problems(text.replace("      - app_home_opened", "      - app_home_opened\n      - app_mention"),
                    code_calls()) == ["event:app_mention needs one of ['app_mentions:read']: "
                                      "no scope in the manifest names it"]
    assert any("unknown here" in p for p in problems(
        text.replace("      - app_home_opened", "      - app_home_opened\n      - team_join"), code_calls()))


def test_vendored_scopes_match_the_shared_reference():
    ref_dir = REPO.parent / "shared" / "slack-api-ref" / "methods"
    if not ref_dir.is_dir():
        ref_dir = REPO.parent.parent / "shared" / "slack-api-ref" / "methods"
    if not ref_dir.is_dir():
        pytest.skip("no shared/slack-api-ref beside the repository")
    for path in sorted(ref_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert reference()[path.stem] == {"bot": (data.get("scope") or {}).get("bot", []),
                                          "no_scope_required": bool(data.get("no_scope_required"))}, path.stem
