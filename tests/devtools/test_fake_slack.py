from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    FixedValueRetryIntervalCalculator,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.devtools import gen_slack_methods
from bot.devtools.fake_slack import FakeSlack, load_methods

REPO = Path(__file__).resolve().parents[2]
METHODS_REF = REPO.parent / "shared" / "slack" / "slack-api-ref" / "docs.slack.dev" / "methods"
NO_WAIT = FixedValueRetryIntervalCalculator(0.01)


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(**extra: Any) -> dict[str, Any]:
    title = {"type": "plain_text", "text": "New release"}
    return {"type": "modal", "title": title, "blocks": [section("Fill in")], **extra}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_channel("C0RELEASES", "releases")
        server.add_channel("C0ART", "art")
        server.add_user("U0ANA", "ana", real_name="Ana Lima")
        server.add_user("U0GUEST", "gus", is_restricted=True, tz="America/New_York")
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.api_url)


def slack_error(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


def test_serves_on_an_ephemeral_local_port(fake: FakeSlack, client: WebClient) -> None:
    assert fake.port > 0
    assert fake.api_url == f"http://127.0.0.1:{fake.port}/api/"
    auth = client.auth_test()
    assert auth["user_id"] == "U0SLEEVEBOT"
    assert auth["team_id"] == "T0SLEEVE"
    assert auth["team"] == "Northside Records"
    assert auth["bot_id"]
    assert auth["url"] == "https://northside-records.slack.com/"


def test_two_fakes_run_side_by_side() -> None:
    with FakeSlack() as one, FakeSlack(bot_token="xoxb-other") as two:
        assert one.port != two.port
        assert WebClient(token="xoxb-other", base_url=two.api_url).auth_test()["ok"]


def test_post_reply_and_update_are_kept(fake: FakeSlack, client: WebClient) -> None:
    top = client.chat_postMessage(channel="C0RELEASES", text="Album due", blocks=[section("Due")])
    reply = client.chat_postMessage(channel="C0RELEASES", text="Art late", thread_ts=top["ts"])
    client.chat_update(channel="C0RELEASES", ts=top["ts"], text="Album due (moved)")

    assert top["channel"] == "C0RELEASES"
    assert top["message"]["blocks"] == [section("Due")]
    assert [m.ts for m in fake.messages("C0RELEASES")] == [top["ts"], reply["ts"]]
    assert [m.text for m in fake.thread("C0RELEASES", top["ts"])] == ["Art late"]
    stored = fake.message("C0RELEASES", top["ts"])
    assert stored is not None
    assert stored.text == "Album due (moved)"
    assert stored.blocks == [section("Due")]  # left out of chat.update: kept
    assert stored.replies == [reply["ts"]]
    assert stored.edits == [{"text": "Album due (moved)", "blocks": [section("Due")]}]
    assert fake.messages("C0ART") == []


def test_ts_are_unique_and_increasing(fake: FakeSlack, client: WebClient) -> None:
    stamps = [
        client.chat_postMessage(channel=c, text="x")["ts"] for c in ["C0RELEASES", "C0ART"] * 3
    ]
    assert all(re.fullmatch(r"\d{10}\.\d{6}", ts) for ts in stamps)
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == len(stamps)


def test_concurrent_posts_are_all_kept(fake: FakeSlack, client: WebClient) -> None:
    def post() -> None:
        for _ in range(10):
            client.chat_postMessage(channel="C0RELEASES", text="x")

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({m.ts for m in fake.messages()}) == 60


def test_reply_to_unknown_thread_is_accepted_and_noted(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C0RELEASES", text="lost", thread_ts="1600000000.000100")
    [orphan] = fake.orphan_replies()
    assert orphan.thread_ts == "1600000000.000100"
    assert not orphan.thread_parent_found


def test_get_permalink(fake: FakeSlack, client: WebClient) -> None:
    top = client.chat_postMessage(channel="C0RELEASES", text="x")
    reply = client.chat_postMessage(channel="C0RELEASES", text="y", thread_ts=top["ts"])
    link = client.chat_getPermalink(channel="C0RELEASES", message_ts=top["ts"])["permalink"]
    base = "https://northside-records.slack.com/archives/C0RELEASES/p"
    assert link == base + top["ts"].replace(".", "")
    link = client.chat_getPermalink(channel="C0RELEASES", message_ts=reply["ts"])["permalink"]
    assert link.endswith(f"?thread_ts={top['ts']}&cid=C0RELEASES")
    err = slack_error(lambda: client.chat_getPermalink(channel="C0RELEASES", message_ts="1.2"))
    assert err.response["error"] == "message_not_found"


def test_too_many_blocks_are_invalid(client: WebClient) -> None:
    blocks = [section(str(i)) for i in range(51)]
    err = slack_error(
        lambda: client.chat_postMessage(channel="C0RELEASES", text="t", blocks=blocks)
    )
    assert err.response["error"] == "invalid_blocks"
    assert "51 blocks" in err.response["response_metadata"]["messages"][0]


def test_long_section_is_invalid(fake: FakeSlack, client: WebClient) -> None:
    blocks = [section("x" * 3001)]
    err = slack_error(
        lambda: client.chat_postMessage(channel="C0RELEASES", text="t", blocks=blocks)
    )
    assert err.response["error"] == "invalid_blocks"
    assert "3001" in err.response["response_metadata"]["messages"][0]
    assert fake.messages() == []
    assert fake.calls("chat.postMessage")[0].body["error"] == "invalid_blocks"


def test_message_size_errors(client: WebClient) -> None:
    err = slack_error(lambda: client.chat_postMessage(channel="C0RELEASES", text="x" * 40_001))
    assert err.response["error"] == "msg_too_long"
    blocks = [section("x" * 2500) for _ in range(6)]
    err = slack_error(
        lambda: client.chat_postMessage(channel="C0RELEASES", text="t", blocks=blocks)
    )
    assert err.response["error"] == "msg_blocks_too_long"
    err = slack_error(lambda: client.api_call("chat.postMessage", json={"channel": "C0RELEASES"}))
    assert err.response["error"] == "no_text"


def test_chat_update_is_checked_too(client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0RELEASES", text="x")["ts"]
    err = slack_error(
        lambda: client.chat_update(channel="C0RELEASES", ts=ts, text="t", blocks=[section("")] * 51)
    )
    assert err.response["error"] == "invalid_blocks"
    err = slack_error(lambda: client.chat_update(channel="C0RELEASES", ts="1.000001", text="y"))
    assert err.response["error"] == "message_not_found"


def test_unknown_channel(client: WebClient) -> None:
    err = slack_error(lambda: client.chat_postMessage(channel="C0NOPE", text="x"))
    assert err.response["error"] == "channel_not_found"


def test_channel_by_name_and_user_id(fake: FakeSlack, client: WebClient) -> None:
    assert client.chat_postMessage(channel="#releases", text="x")["channel"] == "C0RELEASES"
    posted = client.chat_postMessage(channel="U0ANA", text="psst")
    assert posted["channel"] == fake.dm_channel("U0ANA")


def test_directory_names(fake: FakeSlack) -> None:
    assert fake.user_name("U0ANA") == "ana"
    assert fake.channel_name("C0ART") == "art"
    assert fake.user_name("U0NOPE") is None
    assert fake.channel_name("C0NOPE") is None


def test_auth_errors(fake: FakeSlack) -> None:
    anonymous = WebClient(base_url=fake.api_url)
    assert slack_error(anonymous.auth_test).response["error"] == "not_authed"
    wrong = WebClient(token="xoxb-wrong", base_url=fake.api_url)
    assert slack_error(wrong.auth_test).response["error"] == "invalid_auth"


def test_token_and_blocks_as_form_fields(fake: FakeSlack) -> None:
    form = {
        "token": fake.bot_token,
        "channel": "C0RELEASES",
        "blocks": json.dumps([section("from a form")]),
    }
    request = urllib.request.Request(
        fake.api_url + "chat.postMessage", data=urllib.parse.urlencode(form).encode()
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.load(response)["ok"] is True
    assert fake.messages()[0].blocks == [section("from a form")]
    call = fake.calls("chat.postMessage")[0]
    assert call.args["blocks"] == [section("from a form")]
    assert "token" not in call.args


def test_blocks_that_are_not_json(client: WebClient) -> None:
    params = {"channel": "C0RELEASES", "blocks": "[{nope"}
    err = slack_error(lambda: client.api_call("chat.postMessage", params=params))
    assert err.response["error"] == "invalid_blocks_format"


def test_missing_required_argument(client: WebClient) -> None:
    payload = {"channel": "C0RELEASES", "text": "only for you"}
    err = slack_error(lambda: client.api_call("chat.postEphemeral", json=payload))
    assert err.response["error"] == "invalid_arguments"
    assert err.response["response_metadata"]["messages"] == ["[ERROR] missing required field: user"]


def test_unknown_method(client: WebClient) -> None:
    assert slack_error(lambda: client.api_call("chat.nope")).response["error"] == "unknown_method"


def test_ephemeral_messages(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postEphemeral(channel="C0RELEASES", user="U0ANA", text="hi", thread_ts="1.1")
    [note] = fake.ephemerals("U0ANA")
    assert (note.channel, note.text, note.thread_ts) == ("C0RELEASES", "hi", "1.1")
    assert fake.ephemerals("U0GUEST") == []
    err = slack_error(lambda: client.chat_postEphemeral(channel="C0RELEASES", user="U0X", text="x"))
    assert err.response["error"] == "user_not_in_channel"


def test_rate_limit_is_retried_after_retry_after(fake: FakeSlack) -> None:
    client = WebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=0)
    client.chat_postMessage(channel="C0RELEASES", text="once")
    assert [m.text for m in fake.messages()] == ["once"]
    calls = fake.calls("chat.postMessage")
    assert [(c.status, c.fault) for c in calls] == [(429, "injected"), (200, None)]
    assert calls[0].body == {"ok": False, "error": "ratelimited"}


def test_rate_limit_without_handler_raises(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next(status=429, retry_after=7)
    err = slack_error(lambda: client.chat_postMessage(channel="C0RELEASES", text="x"))
    assert err.response.status_code == 429
    assert err.response.headers["Retry-After"] == "7"
    assert err.response["error"] == "ratelimited"
    assert fake.messages() == []


def test_server_error_is_retried(fake: FakeSlack) -> None:
    client = WebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=2, interval_calculator=NO_WAIT)],
    )
    fake.fail_next("chat.postMessage", status=500, times=2)
    client.chat_postMessage(channel="C0RELEASES", text="third time")
    assert len(fake.messages()) == 1
    statuses = [c.status for c in fake.calls("chat.postMessage")]
    assert statuses == [500, 500, 200]
    assert fake.calls()[0].body == "500 Internal Server Error"


def test_server_error_without_handler_raises(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next(status=503)
    err = slack_error(client.auth_test)
    assert err.response.status_code == 503


def test_dropped_connection_is_retried(fake: FakeSlack) -> None:
    client = WebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=NO_WAIT)
        ],
    )
    fake.drop_connection_next("chat.postMessage")
    client.chat_postMessage(channel="C0RELEASES", text="made it")
    assert [m.text for m in fake.messages()] == ["made it"]
    assert [c.fault for c in fake.calls("chat.postMessage")] == ["dropped", None]


def test_dropped_connection_without_retry_raises(fake: FakeSlack) -> None:
    client = WebClient(token=fake.bot_token, base_url=fake.api_url, retry_handlers=[])
    fake.drop_connection_next()
    with pytest.raises(ConnectionError):
        client.auth_test()


def test_faults_target_their_method(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("users.info", status=200, error="internal_error")
    assert client.auth_test()["ok"]
    assert (
        slack_error(lambda: client.users_info(user="U0ANA")).response["error"] == "internal_error"
    )
    assert client.users_info(user="U0ANA")["ok"]


def test_latency_is_added_and_cleared(fake: FakeSlack, client: WebClient) -> None:
    fake.latency(0.2)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.2
    fake.latency(0)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.2


def test_response_url_ephemeral_and_in_channel(fake: FakeSlack) -> None:
    url = fake.response_url_for("cmd-1", user="U0ANA", channel="C0RELEASES")
    assert url.startswith(fake.base_url + "/response/")
    hook = WebhookClient(url)
    first = hook.send(text="only Ana sees this")
    assert (first.status_code, first.body) == (200, "ok")
    assert [e.text for e in fake.ephemerals("U0ANA")] == ["only Ana sees this"]
    hook.send(text="everyone sees this", response_type="in_channel", blocks=[section("b")])
    [posted] = fake.messages("C0RELEASES")
    assert (posted.text, posted.via, posted.blocks) == (
        "everyone sees this",
        "response_url",
        [section("b")],
    )
    assert [r.status for r in fake.responses] == [200, 200]


def test_response_url_replaces_and_deletes_the_original(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0RELEASES", text="Approve?")["ts"]
    url = fake.response_url_for("btn", user="U0ANA", channel="C0RELEASES", message_ts=ts)
    hook = WebhookClient(url)
    hook.send(text="Approved by Ana", replace_original=True)
    stored = fake.message("C0RELEASES", ts)
    assert stored is not None
    assert stored.text == "Approved by Ana"
    hook.send(text="", delete_original=True)
    assert fake.message("C0RELEASES", ts) is None
    assert [m.ts for m in fake.deleted_messages()] == [ts]


def test_response_url_thread_and_limits(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0RELEASES", text="top")["ts"]
    hook = WebhookClient(fake.response_url_for("k", user="U0ANA", channel="C0RELEASES"))
    hook.send_dict({"text": "in thread", "response_type": "in_channel", "thread_ts": ts})
    assert [m.text for m in fake.thread("C0RELEASES", ts)] == ["in thread"]
    bad = hook.send(text="t", blocks=[section("x" * 3001)])
    assert (bad.status_code, bad.body) == (400, "invalid_blocks")
    for n in range(4):
        assert hook.send(text=f"use {n + 2}").status_code == 200
    used = hook.send(text="sixth")
    assert (used.status_code, used.body) == (404, "used_url")
    assert WebhookClient(fake.base_url + "/response/unknown").send(text="x").status_code == 404


def test_trigger_ids_look_like_slack_ones(fake: FakeSlack) -> None:
    first, second = fake.new_trigger_id(), fake.new_trigger_id()
    assert re.fullmatch(r"\d+\.\d+\.[0-9a-f]+", first)
    assert first != second


def test_views_open_trigger_rules(fake: FakeSlack, client: WebClient) -> None:
    trigger = fake.new_trigger_id(user="U0ANA")
    opened = client.views_open(trigger_id=trigger, view=modal(callback_id="new_release"))
    assert opened["view"]["id"].startswith("V")
    assert opened["view"]["callback_id"] == "new_release"
    [view] = fake.views
    assert (view.user, view.trigger_id, view.view["callback_id"]) == (
        "U0ANA",
        trigger,
        "new_release",
    )

    err = slack_error(lambda: client.views_open(trigger_id=trigger, view=modal()))
    assert err.response["error"] == "exchanged_trigger_id"
    err = slack_error(lambda: client.views_open(trigger_id="1.2.abc", view=modal()))
    assert err.response["error"] == "invalid_trigger_id"
    err = slack_error(lambda: client.views_open(view=modal()))
    assert err.response["error"] == "invalid_arguments"
    assert client.views_open(interactivity_pointer="1.2.abc", view=modal())["ok"]


def test_expired_trigger(fake: FakeSlack, client: WebClient) -> None:
    fake.trigger_ttl = 0.01
    trigger = fake.new_trigger_id()
    time.sleep(0.05)
    err = slack_error(lambda: client.views_open(trigger_id=trigger, view=modal()))
    assert err.response["error"] == "expired_trigger_id"


def test_invalid_views(fake: FakeSlack, client: WebClient) -> None:
    field = {"type": "plain_text_input", "action_id": "t"}
    title_input = {"type": "input", "label": {"type": "plain_text", "text": "T"}, "element": field}
    view = modal(blocks=[title_input])
    err = slack_error(lambda: client.views_open(trigger_id=fake.new_trigger_id(), view=view))
    assert err.response["error"] == "invalid_arguments"
    assert "submit" in err.response["response_metadata"]["messages"][0]
    huge = {"type": "home", "blocks": [section("x" * 2999)] * 100}
    err = slack_error(lambda: client.views_publish(user_id="U0ANA", view=huge))
    assert err.response["error"] == "view_too_large"


def test_views_update(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id=fake.new_trigger_id(), view=modal(external_id="r-1"))
    view_id, old_hash = opened["view"]["id"], opened["view"]["hash"]
    updated = client.views_update(view_id=view_id, hash=old_hash, view=modal(callback_id="step2"))
    assert updated["view"]["callback_id"] == "step2"
    assert client.views_update(external_id="r-1", view=modal())["ok"]
    err = slack_error(lambda: client.views_update(view_id=view_id, hash=old_hash, view=modal()))
    assert err.response["error"] == "hash_conflict"
    err = slack_error(lambda: client.views_update(view_id="V0NOPE", view=modal()))
    assert err.response["error"] == "not_found"
    assert len(fake.views[0].updates) == 2


def test_views_publish(fake: FakeSlack, client: WebClient) -> None:
    home = {"type": "home", "blocks": [section("Your releases")]}
    client.views_publish(user_id="U0ANA", view=home)
    client.views_publish(user_id="U0ANA", view={"type": "home", "blocks": [section("Again")]})
    published = fake.home_views["U0ANA"]
    assert published.view["blocks"] == [section("Again")]
    assert len(published.updates) == 1
    err = slack_error(lambda: client.views_publish(user_id="U0NOPE", view=home))
    assert err.response["error"] == "invalid_arguments"


def test_conversations_open_gives_a_stable_dm(fake: FakeSlack, client: WebClient) -> None:
    first = client.conversations_open(users="U0ANA")["channel"]["id"]
    again = client.conversations_open(users=["U0ANA"])
    assert first.startswith("D")
    assert again["channel"]["id"] == first
    assert again["already_open"] is True
    assert client.conversations_open(users="U0GUEST")["channel"]["id"] != first
    client.chat_postMessage(channel=first, text="hello")
    assert [m.text for m in fake.messages(first)] == ["hello"]
    err = slack_error(lambda: client.conversations_open(users="U0NOPE"))
    assert err.response["error"] == "user_not_found"
    # slack_sdk refuses to send this one itself; the fake answers it as Slack would.
    err = slack_error(lambda: client.api_call("conversations.open"))
    assert err.response["error"] == "invalid_arguments"


def test_users_info(client: WebClient) -> None:
    ana = client.users_info(user="U0ANA")["user"]
    assert (ana["name"], ana["real_name"], ana["is_restricted"]) == ("ana", "Ana Lima", False)
    assert ana["tz"] == "Europe/London"
    guest = client.users_info(user="U0GUEST")["user"]
    assert guest["is_restricted"] is True
    assert guest["tz_offset"] in (-5 * 3600, -4 * 3600)
    assert client.users_info(user="U0SLEEVEBOT")["user"]["is_bot"] is True
    assert slack_error(lambda: client.users_info(user="U0NOPE")).response["error"] == (
        "user_not_found"
    )


def test_usergroups(fake: FakeSlack, client: WebClient) -> None:
    fake.add_usergroup("S0ART", "art-team", users=["U0ANA", "U0GUEST"], name="Art team")
    [group] = client.usergroups_list()["usergroups"]
    assert (group["id"], group["handle"], group["name"]) == ("S0ART", "art-team", "Art team")
    assert client.usergroups_list(include_users=True)["usergroups"][0]["users"] == [
        "U0ANA",
        "U0GUEST",
    ]
    users = client.usergroups_users_list(usergroup="S0ART", include_disabled=True)["users"]
    assert users == ["U0ANA", "U0GUEST"]
    err = slack_error(lambda: client.usergroups_users_list(usergroup="S0NOPE"))
    assert err.response["error"] == "no_such_subteam"


def test_calls_are_recorded_and_can_be_reset(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C0RELEASES", text="x", blocks=[section("b")])
    [call] = fake.calls("chat.postMessage")
    assert call.args == {"channel": "C0RELEASES", "text": "x", "blocks": [section("b")]}
    assert (call.status, call.body["ok"]) == (200, True)
    fake.reset_calls()
    assert fake.calls() == []


def test_every_method_in_the_data_file_is_served(fake: FakeSlack) -> None:
    assert set(load_methods()["methods"]) == set(fake.state.handlers)
    assert set(gen_slack_methods.METHODS) == set(fake.state.handlers)


def test_method_data_agrees_with_slack_reference() -> None:
    if not METHODS_REF.is_dir():
        pytest.skip(f"Slack method reference not present at {METHODS_REF}")
    shipped = load_methods()
    assert shipped == gen_slack_methods.build(METHODS_REF)
    for name, entry in shipped["methods"].items():
        doc = json.loads((METHODS_REF / f"{name}.json").read_text())
        assert entry["http_method"] == doc["http_method"]
        assert set(entry["required"]) == set(doc["args"]["required"]) - {"token"}
        assert set(entry["errors"]) == set(doc["errors"])
        assert (entry["rate_tier"] == "special") == (doc["rate_limits"] == "t5")
    methods = shipped["methods"]
    assert set(methods["chat.update"]["required"]) == {"channel", "ts"}
    assert set(methods["chat.postEphemeral"]["required"]) == {"channel", "user"}
    assert methods["views.open"]["one_of"] == [["trigger_id", "interactivity_pointer"]]
    assert methods["conversations.open"]["one_of"] == [["channel", "users"]]


def test_runs_standalone() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.devtools.fake_slack_main",
            "--port",
            "0",
            "--channel",
            "C1=general",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        api_url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/", api_url)
        client = WebClient(token="xoxb-fake-token", base_url=api_url)
        assert client.chat_postMessage(channel="C1", text="hello")["ok"]
    finally:
        process.terminate()
        process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == 0


def test_a_message_says_where_it_is_as_a_person_would(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="U0ANA", text="for you")  # a DM, addressed by user id
    client.chat_postMessage(channel="C0ART", text="for everyone")
    dm, public = fake.messages()
    assert fake.place(dm.channel) == "DM @ana"
    assert fake.place(public.channel) == "#art"
