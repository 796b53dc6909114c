"""The Slack emulator is strict where Slack is strict, and the signing client is what Bolt accepts."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.signature import SignatureVerifier

from samverkan_emulator import SlackEmulator, SlackRequestClient, sign_request
from samverkan_emulator.required_args import DEFAULT_REF_DIR, VENDORED_REQUIRED, load_required

TOKEN = "xoxb-test-token"
CH = "C0CONF01"


@pytest.fixture
def emu():
    with SlackEmulator(token=TOKEN) as e:
        e.add_user("U0POL001", name="pol.tib", real_name="Polisen TiB")
        e.add_user("U0TIB001", name="lst.tib")
        e.add_channel(CH, name="samverkan", members=["U0POL001", "U0TIB001"])
        yield e


@pytest.fixture
def client(emu):
    return WebClient(base_url=emu.api_url, token=TOKEN)


def error_of(fn, *args, **kwargs) -> str:
    with pytest.raises(SlackApiError) as info:
        fn(*args, **kwargs)
    return info.value.response["error"]


def retry_after(error: SlackApiError) -> int:
    value = error.response.headers["Retry-After"]
    return int(value[0] if isinstance(value, list) else value)


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(**overrides) -> dict:
    view = {"type": "modal", "callback_id": "report", "title": {"type": "plain_text", "text": "Lägesbild"},
            "submit": {"type": "plain_text", "text": "Skicka"},
            "blocks": [{"type": "input", "block_id": "lage", "label": {"type": "plain_text", "text": "Läge"},
                        "element": {"type": "plain_text_input", "action_id": "text", "max_length": 3000}}]}
    view.update(overrides)
    return view


# --- messages and threads -------------------------------------------------------------

def test_post_thread_update_and_read_back(emu, client):
    root = client.chat_postMessage(channel=CH, text="Konferens v48", blocks=[section("*Agenda*")])
    reply = client.chat_postMessage(channel=CH, text="Polisen: lugnt", thread_ts=root["ts"])
    assert reply["message"]["thread_ts"] == root["ts"] and float(reply["ts"]) > float(root["ts"])
    client.chat_update(channel=CH, ts=reply["ts"], text="Polisen: reviderat")
    thread = emu.thread(CH, root["ts"])
    assert [m["text"] for m in thread] == ["Konferens v48", "Polisen: reviderat"]
    assert thread[1]["edits"][0]["text"] == "Polisen: lugnt" and thread[0]["reply_count"] == 1
    assert [m["ts"] for m in emu.messages(CH)] == [root["ts"]] and thread[0]["blocks"][0]["type"] == "section"
    assert thread[0]["user"] == "UBOTSAMV" and thread[0]["thread_ts"] is None
    link = client.chat_getPermalink(channel=CH, message_ts=root["ts"])["permalink"]
    assert link == f"https://emulator.slack.test/archives/{CH}/p{root['ts'].replace('.', '')}"
    client.chat_delete(channel=CH, ts=reply["ts"])
    assert len(emu.thread(CH, root["ts"])) == 1 and emu.messages(CH)[0]["reply_count"] == 0


@pytest.mark.filterwarnings("ignore::UserWarning")  # slack_sdk warns about the missing text on purpose
def test_message_errors(emu, client):
    assert error_of(client.chat_postMessage, channel="C0NOPE", text="x") == "channel_not_found"
    assert client.chat_postMessage(channel="#samverkan", text="by name")["channel"] == CH
    assert error_of(client.chat_postMessage, channel=CH, text="x", thread_ts="123.456") == "thread_not_found"
    assert error_of(client.chat_postMessage, channel=CH) == "no_text"
    assert error_of(client.chat_update, channel=CH, ts="1.000001", text="x") == "message_not_found"
    human = emu.post_as_user(CH, "U0POL001", "hej")
    assert error_of(client.chat_update, channel=CH, ts=human["ts"], text="x") == "cant_update_message"
    emu.add_channel("C0OTHER", name="other", bot_member=False)
    assert error_of(client.chat_postMessage, channel="C0OTHER", text="x") == "not_in_channel"
    client.conversations_join(channel="C0OTHER")
    assert client.chat_postMessage(channel="C0OTHER", text="x")["ok"]


def test_dm_by_user_id_and_conversations_open(emu, client):
    opened = client.conversations_open(users="U0POL001")["channel"]["id"]
    assert opened.startswith("D") and client.conversations_open(users=["U0POL001"])["channel"]["id"] == opened
    posted = client.chat_postMessage(channel="U0POL001", text="Påminnelse")
    client.chat_postMessage(channel=opened, text="Andra")
    assert posted["channel"] == opened and [m["text"] for m in emu.dms("U0POL001")] == ["Påminnelse", "Andra"]
    assert error_of(client.conversations_open, users="U0NOBODY") == "user_not_found"


def test_ephemeral_users_and_members(emu, client):
    client.chat_postEphemeral(channel=CH, user="U0POL001", text="Nej")
    assert emu.ephemerals == [{"channel": CH, "user": "U0POL001", "text": "Nej", "blocks": None, "thread_ts": None}]
    emu.add_user("U0OUT001")
    assert error_of(client.chat_postEphemeral, channel=CH, user="U0OUT001", text="x") == "user_not_in_channel"
    assert client.users_info(user="U0POL001")["user"]["name"] == "pol.tib"
    assert error_of(client.users_info, user="U0NOBODY") == "user_not_found"
    assert set(client.conversations_members(channel=CH)["members"]) == {"U0POL001", "U0TIB001", "UBOTSAMV"}


def test_mentions_are_collected_from_text_and_blocks(emu, client):
    client.chat_postMessage(channel=CH, text="<!channel> samling", blocks=[section("<@U0POL001|pol> och <!here>")])
    assert emu.mentions_sent() == ["<!channel>", "<@U0POL001>", "<!here>"]


def test_parallel_posts_get_unique_increasing_ts(emu, client):
    def post(i):
        client.chat_postMessage(channel=CH, text=f"m{i}")
    threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    stamps = [m["ts"] for m in emu.messages(CH)]
    assert len(stamps) == 20 and stamps == sorted(set(stamps), key=float)


# --- limits ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error", [
    ({"blocks": [section("x")] * 51}, "invalid_blocks"),
    ({"blocks": [section("x" * 3001)]}, "invalid_blocks"),
    ({"blocks": [section("x" * 2500)] * 5}, "msg_blocks_too_long"),
    ({"text": "x" * 40_001}, "msg_too_long"),
    ({"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]}, "invalid_blocks"),
    ({"blocks": [{"type": "actions", "elements": [
        {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "x" * 76}}]}]}, "invalid_blocks"),
    ({"blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}]}, "invalid_blocks"),
    ({"blocks": [{"type": "no_such_block"}]}, "invalid_blocks"),
    ({"blocks": "[not json"}, "invalid_blocks_format"),
])
def test_message_limits_rejected(emu, client, kwargs, error):
    assert error_of(client.chat_postMessage, channel=CH, **{"text": "fallback", **kwargs}) == error
    assert emu.messages(CH) == []


def test_message_limits_at_the_boundary_pass(emu, client):
    client.chat_postMessage(channel=CH, text="x" * 40_000, blocks=[section("x" * 3000)] * 4)
    client.chat_postMessage(channel=CH, text="y", blocks=[section("y")] * 50)
    assert [len(m["blocks"]) for m in emu.messages(CH)] == [4, 50]


def test_limit_errors_explain_like_slack(client):
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=CH, text="t", blocks=[section("ok"), section("x" * 3001)])
    assert "/blocks/1/text/text" in info.value.response["response_metadata"]["messages"][0]


@pytest.mark.parametrize("view, pointer", [
    (modal(title={"type": "plain_text", "text": "x" * 25}), "/view/title"),
    (modal(submit={"type": "plain_text", "text": "x" * 25}), "/view/submit"),
    (modal(private_metadata="x" * 3001), "/view/private_metadata"),
    (modal(callback_id="x" * 256), "/view/callback_id"),
    (modal(blocks=[{"type": "input", "label": {"type": "plain_text", "text": "L"},
                    "element": {"type": "plain_text_input", "action_id": "a", "max_length": 3001}}]), "max_length"),
    (modal(blocks=[section("x")] * 101), "/view/blocks"),
    (modal(submit=None), "/view/submit"),  # input blocks need a submit button
])
def test_view_limits_rejected(emu, client, view, pointer):
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id=emu.new_trigger_id(), view=view)
    assert info.value.response["error"] == "invalid_arguments"
    assert any(pointer in m for m in info.value.response["response_metadata"]["messages"])
    assert emu.views == {}


def test_views_open_push_update_publish(emu, client):
    opened = client.views_open(trigger_id=emu.new_trigger_id(), view=modal(blocks=[section("x")] * 100))["view"]
    assert emu.views[opened["id"]]["callback_id"] == "report" and len(opened["blocks"]) == 100
    pushed = client.views_push(trigger_id=emu.new_trigger_id(view_id=opened["id"]), view=modal())["view"]
    assert pushed["root_view_id"] == opened["id"] and pushed["previous_view_id"] == opened["id"]
    assert error_of(client.views_update, view_id=opened["id"], hash="stale", view=modal()) == "hash_conflict"
    client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal(private_metadata="v2"))
    assert emu.views[opened["id"]]["private_metadata"] == "v2"
    assert error_of(client.views_update, view_id="V0NOPE", view=modal()) == "not_found"
    home = {"type": "home", "blocks": [section("Hem")]}
    client.views_publish(user_id="U0POL001", view=home)
    assert emu.home("U0POL001")["blocks"][0]["text"]["text"] == "Hem" and emu.home("U0TIB001") is None
    assert error_of(client.views_publish, user_id="U0POL001", view=modal()) == "invalid_arguments"


def test_trigger_id_is_single_use_and_expires(emu, client):
    trigger = emu.new_trigger_id()
    client.views_open(trigger_id=trigger, view=modal())
    assert error_of(client.views_open, trigger_id=trigger, view=modal()) == "exchanged_trigger_id"
    assert error_of(client.views_open, trigger_id="1.2.nope", view=modal()) == "invalid_trigger_id"
    emu.state.trigger_ttl = 0.05
    late = emu.new_trigger_id()
    time.sleep(0.1)
    assert error_of(client.views_open, trigger_id=late, view=modal()) == "expired_trigger_id"


# --- protocol: auth, required arguments, faults --------------------------------------------

def test_auth(emu):
    assert WebClient(base_url=emu.api_url, token=TOKEN).auth_test()["user_id"] == "UBOTSAMV"
    assert error_of(WebClient(base_url=emu.api_url, token="xoxb-wrong").auth_test) == "invalid_auth"
    assert requests.post(emu.api_url + "auth.test", timeout=5).json() == {"ok": False, "error": "not_authed"}
    assert requests.post(emu.api_url + "auth.test", data={"token": TOKEN}, timeout=5).json()["ok"] is True
    assert error_of(WebClient(base_url=emu.api_url, token=TOKEN).api_call, "chat.nope") == "unknown_method"


@pytest.mark.parametrize("method, params, error", [
    ("chat.postMessage", {"text": "x"}, "channel_not_found"),
    ("chat.update", {"channel": CH, "text": "x"}, "message_not_found"),
    ("users.info", {}, "user_not_found"),
    ("views.open", {"trigger_id": "1.2.3"}, "invalid_arguments"),
    ("views.publish", {"view": "{}"}, "invalid_arguments"),
    ("files.getUploadURLExternal", {"filename": "a.txt"}, "invalid_arguments"),
    ("chat.postEphemeral", {"channel": CH, "text": "x"}, "invalid_arguments"),
])
def test_required_arguments(emu, client, method, params, error):
    assert error_of(client.api_call, method, params=params) == error
    assert emu.calls[-1][:5] == (method, params, 200, False, error)


def test_required_arguments_follow_the_reference():
    if not DEFAULT_REF_DIR.is_dir():
        pytest.skip("no shared/slack-api-ref here")
    assert load_required() == VENDORED_REQUIRED
    assert load_required("/nonexistent") == VENDORED_REQUIRED


def test_forced_429_and_retry_handler(emu, client):
    emu.fail("chat.postMessage", status=429, retry_after=1)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=CH, text="x")
    assert info.value.response.status_code == 429 and retry_after(info.value) == 1
    assert info.value.response["error"] == "ratelimited"
    emu.fail("chat.postMessage", status=429, retry_after=0, times=2)
    patient = WebClient(base_url=emu.api_url, token=TOKEN,
                        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    assert patient.chat_postMessage(channel=CH, text="till slut")["ok"]
    assert [c.http_status for c in emu.calls] == [429, 429, 429, 200]


def test_per_channel_rate_limit():
    with SlackEmulator(token=TOKEN, post_rate_per_second=1.0) as emu:
        emu.add_channel("C1")
        emu.add_channel("C2")
        client = WebClient(base_url=emu.api_url, token=TOKEN)
        for i in range(3):  # burst of 3
            client.chat_postMessage(channel="C1", text=str(i))
        with pytest.raises(SlackApiError) as info:
            client.chat_postMessage(channel="C1", text="för mycket")
        assert info.value.response.status_code == 429 and retry_after(info.value) >= 1
        assert client.chat_postMessage(channel="C2", text="annan kanal")["ok"]
        assert len(emu.messages("C1")) == 3


def test_server_errors_on_demand(emu, client):
    emu.fail("auth.test", status=500)
    with pytest.raises(SlackApiError) as info:
        client.auth_test()
    assert info.value.response.status_code == 500
    emu.set_down(True)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=CH, text="x")
    assert info.value.response.status_code == 503 and emu.messages(CH) == []
    emu.set_down(False)
    emu.fail("chat.postMessage", status=503, times=1)
    retrying = WebClient(base_url=emu.api_url, token=TOKEN,
                         retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])
    assert retrying.chat_postMessage(channel=CH, text="efter avbrott")["ok"]
    assert len(emu.messages(CH)) == 1


# --- response_url and files ------------------------------------------------------------------

def test_response_url_sink_allows_five_uses(emu):
    url = emu.new_response_url()
    for i in range(5):
        assert requests.post(url, json={"text": f"svar {i}"}, timeout=5).status_code == 200
    sixth = requests.post(url, json={"text": "sjätte"}, timeout=5)
    assert (sixth.status_code, sixth.text) == (404, "used_url")
    assert [p["json"]["text"] for p in emu.response_posts] == [f"svar {i}" for i in range(5)]
    assert requests.post(emu.new_response_url(), json={"blocks": [section("x")] * 51}, timeout=5).status_code == 400
    emu.state.response_url_ttl = 0.0
    late = emu.new_response_url()
    time.sleep(0.01)
    assert requests.post(late, json={"text": "x"}, timeout=5).text == "expired_url"


def test_response_url_of_a_button_replaces_or_deletes_its_message_without_a_web_api_call(emu, client):
    """Slack: `replace_original` through the response_url of a button press replaces the
    message the button is in (`delete_original` removes it); not a Web API call."""
    from samverkan_emulator import SlackRequestClient

    posted = client.chat_postMessage(channel=CH, text="punkt", blocks=[section("punkt")])
    message = next(m for m in emu.all_posts() if m["ts"] == posted["ts"])
    calls = len(emu.calls)
    url = emu.new_response_url(CH, posted["ts"])
    assert requests.post(url, json={"replace_original": True, "text": "kvitterad",
                                    "blocks": [section("kvitterad")]}, timeout=5).text == "ok"
    shown = next(m for m in emu.all_posts() if m["ts"] == posted["ts"])
    assert shown["text"] == "kvitterad" and shown["blocks"][0]["text"]["text"] == "kvitterad"
    assert shown["edits"][0]["text"] == "punkt" and len(emu.messages(CH)) == 1
    assert len(emu.calls) == calls and emu.response_posts == []
    assert [r["ts"] for r in emu.response_replaced] == [posted["ts"]]
    # the url a press in a message carries is tied to that message (built by the request client)
    pressed: dict = {}
    slack = SlackRequestClient("http://127.0.0.1:9/slack/events", "secret", emu)
    slack._interaction = pressed.update  # keep the payload Slack would send the bot
    button = {"type": "actions", "block_id": "b", "elements": [
        {"type": "button", "action_id": "x", "text": {"type": "plain_text", "text": "X"}}]}
    slack.block_action("U0TIB001", "x", message={**message, "blocks": [button]})
    assert requests.post(pressed["response_url"], json={"delete_original": True}, timeout=5).text == "ok"
    assert emu.messages(CH) == []
    # a slash command's url belongs to no message: nothing to replace
    assert requests.post(emu.new_response_url(), json={"replace_original": True, "text": "x"},
                         timeout=5).status_code == 404


def test_files_upload_v2_round_trip(emu, client):
    root = client.chat_postMessage(channel=CH, text="Konferens")
    data = "Samlad lägesbild v48\n".encode() * 100
    result = client.files_upload_v2(channel=CH, file=data, filename="lagesbild.md", title="Lägesbild v48",
                                    initial_comment="Sammanfattning", thread_ts=root["ts"])
    assert result["file"]["title"] == "Lägesbild v48"
    [stored] = emu.files
    assert stored["bytes"] == data and stored["channel"] == CH and stored["thread_ts"] == root["ts"]
    reply = emu.thread(CH, root["ts"])[1]
    assert reply["text"] == "Sammanfattning" and reply["files"][0]["id"] == stored["id"]
    assert error_of(client.files_completeUploadExternal, files=[{"id": "F0NOPE"}], channel_id=CH) == "file_not_found"


# --- signing client towards a real Bolt app ----------------------------------------------------

def test_sign_request_matches_slack_sdk():
    verifier = SignatureVerifier("hemlig")
    ts = str(int(time.time()))
    body = b"command=%2Flagesbild&text=inget"
    signature = sign_request("hemlig", ts, body)
    assert signature == verifier.generate_signature(timestamp=ts, body=body)
    assert verifier.is_valid(body, ts, signature)
    assert not verifier.is_valid(body, ts, sign_request("fel", ts, body))


@pytest.fixture
def bolt(emu):
    app = App(token=TOKEN, signing_secret="hemlig", client=WebClient(base_url=emu.api_url, token=TOKEN))
    seen = []

    @app.command("/lagesbild")
    def command(ack, body, client):
        ack()
        seen.append(body)
        client.views_open(trigger_id=body["trigger_id"], view=modal(private_metadata=body["channel_id"]))

    @app.view("report")
    def submitted(ack, view, client):
        ack()
        client.chat_postMessage(channel=view["private_metadata"], text=view["state"]["values"]["lage"]["text"]["value"])

    @app.action("kvittera")
    def pressed(ack, body, respond):
        ack()
        respond(f"Kvitterat av {body['user']['id']}")

    @app.event("app_mention")
    def mention(event, say):
        say(f"Hej <@{event['user']}>")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            resp = app.dispatch(BoltRequest(body=body, headers={k.lower(): v for k, v in self.headers.items()}))
            self.send_response(resp.status)
            self.send_header("Content-Length", str(len(resp.body.encode())))
            self.end_headers()
            self.wfile.write(resp.body.encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    slack = SlackRequestClient(f"http://127.0.0.1:{server.server_address[1]}/slack/events", "hemlig", emulator=emu)
    yield slack, seen
    server.shutdown()
    server.server_close()


def test_client_drives_bolt_end_to_end(emu, bolt):
    slack, seen = bolt
    assert slack.slash_command("/lagesbild", "", user_id="U0POL001", channel_id=CH).status_code == 200
    assert emu.wait_for(lambda: emu.views)
    assert seen[0]["user_name"] == "pol.tib" and seen[0]["response_url"].startswith(emu.base_url)
    [view] = emu.views.values()
    with pytest.raises(ValueError):
        slack.view_submission("U0POL001", view, {})  # a required input left empty
    assert slack.view_submission("U0POL001", view, {"lage": {"text": "Lugnt läge"}}).status_code == 200
    assert emu.wait_for(lambda: emu.messages(CH))
    message = emu.messages(CH)[0]
    assert message["text"] == "Lugnt läge"

    client = WebClient(base_url=emu.api_url, token=TOKEN)
    button = {"type": "actions", "block_id": "ack", "elements": [
        {"type": "button", "action_id": "kvittera", "value": "item-1", "text": {"type": "plain_text", "text": "Kvittera"}}]}
    client.chat_update(channel=CH, ts=message["ts"], text="Åtgärd", blocks=[button])
    with pytest.raises(LookupError):
        slack.block_action("U0TIB001", "no_such_action", message=emu.messages(CH)[0])
    assert slack.block_action("U0TIB001", "kvittera", message=emu.messages(CH)[0]).status_code == 200
    assert emu.wait_for(lambda: emu.response_posts)
    assert emu.response_posts[0]["json"]["text"] == "Kvitterat av U0TIB001"

    event = {"type": "app_mention", "user": "U0POL001", "text": "<@UBOTSAMV> hej", "channel": CH, "ts": "1.000001"}
    assert slack.event(event, event_id="Ev1", retry_num=1).status_code == 200
    assert emu.wait_for(lambda: len(emu.messages(CH)) == 2)
    assert emu.messages(CH)[1]["text"] == "Hej <@U0POL001>"


def test_bolt_rejects_tampered_and_stale_requests(bolt):
    slack, seen = bolt
    body = "command=%2Flagesbild&text=x&user_id=U0POL001&channel_id=C0CONF01&team_id=T0TEST"
    assert slack.raw(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64).status_code == 401
    stale = int(time.time()) - 600
    assert slack.raw(body, "application/x-www-form-urlencoded", timestamp=stale).status_code == 401
    assert json.loads(slack.url_verification("abc").text)["challenge"] == "abc"
    assert seen == []
