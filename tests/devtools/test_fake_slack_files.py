"""Files in the fake Slack, driven through the real slack_sdk WebClient and plain HTTP."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from bot.devtools.fake_slack import FakeSlack
from bot.devtools.fake_slack_files import DOWNLOAD_METHOD, UPLOAD_METHOD

NO_WAIT = FixedValueRetryIntervalCalculator(0.01)
PDF = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_channel("C0RELEASES", "releases")
        server.add_channel("C0SECRET", "a-and-r", is_private=True)
        server.add_user("U0ANA", "ana", real_name="Ana Lima")
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.api_url)


def get(
    url: str, token: str | None = None, timeout: float = 5
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def slack_error(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


# Stored files and their URLs.


def test_added_file_looks_like_slacks(fake: FakeSlack) -> None:
    f = fake.add_file("U0ANA", "Tour poster.pdf", PDF, title="Poster v2")
    assert f["id"].startswith("F")
    assert (f["name"], f["title"], f["user"]) == ("Tour poster.pdf", "Poster v2", "U0ANA")
    assert (f["mimetype"], f["filetype"], f["pretty_type"]) == ("application/pdf", "pdf", "PDF")
    assert (f["size"], f["mode"], f["is_external"]) == (len(PDF), "hosted", False)
    team_file = f"{fake.base_url}/files-pri/T0SLEEVE-{f['id']}"
    assert f["url_private"] == f"{team_file}/Tour%20poster.pdf"
    assert f["url_private_download"] == f"{team_file}/download/Tour%20poster.pdf"
    assert f["permalink"].startswith("https://northside-records.slack.com/files/U0ANA/")
    assert isinstance(f["created"], int)
    assert (f["shares"], f["channels"], f["groups"], f["ims"]) == ({}, [], [], [])
    text = fake.add_file("U0ANA", "notes.txt", b"hi")
    assert (text["mimetype"], text["filetype"]) == ("text/plain", "text")
    odd = fake.add_file("U0ANA", "track", b"x", mimetype="audio/flac", filetype="flac")
    assert (odd["mimetype"], odd["filetype"]) == ("audio/flac", "flac")


def test_download_with_the_bot_token_gives_the_bytes(fake: FakeSlack) -> None:
    f = fake.add_file("U0ANA", "poster.pdf", PDF)
    status, headers, body = get(f["url_private_download"], fake.bot_token)
    assert (status, body) == (200, PDF)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Length"] == str(len(PDF))
    assert headers["Content-Disposition"].startswith("attachment")
    assert get(f["url_private"], fake.bot_token)[2] == PDF
    [call, _] = fake.calls(DOWNLOAD_METHOD)
    assert (call.args["file"], call.status, call.body) == (f["id"], 200, f"{len(PDF)} bytes")


@pytest.mark.parametrize("token", [None, "xoxb-someone-else", "xapp-1-fake-app-token"])
def test_download_without_the_token_is_a_sign_in_page(fake: FakeSlack, token: str | None) -> None:
    f = fake.add_file("U0ANA", "poster.pdf", PDF)
    status, headers, body = get(f["url_private_download"], token)
    assert status == 200  # as Slack: not an error status, a browser's sign-in page
    assert headers["Content-Type"].startswith("text/html")
    assert body.startswith(b"<!DOCTYPE html>") and b"Sign in" in body
    assert fake.calls(DOWNLOAD_METHOD)[0].body == "sign-in page"


def test_download_of_an_unknown_file_is_404(fake: FakeSlack) -> None:
    f = fake.add_file("U0ANA", "poster.pdf", PDF)
    base = f"{fake.base_url}/files-pri/T0SLEEVE-"
    for url in (f"{base}F0NOPE/download/poster.pdf", f["url_private"].replace(".pdf", ".png")):
        assert get(url, fake.bot_token)[0] == 404


def test_download_faults_and_latency(fake: FakeSlack) -> None:
    f = fake.add_file("U0ANA", "poster.pdf", PDF)
    url = f["url_private_download"]
    fake.fail_next(DOWNLOAD_METHOD, status=500)
    assert get(url, fake.bot_token)[0] == 500
    fake.fail_next(DOWNLOAD_METHOD, status=429, retry_after=7)
    status, headers, _ = get(url, fake.bot_token)
    assert (status, headers["Retry-After"]) == (429, "7")
    fake.drop_connection_next(DOWNLOAD_METHOD)
    with pytest.raises(http.client.RemoteDisconnected):
        get(url, fake.bot_token)
    fake.latency(0.5, DOWNLOAD_METHOD)
    with pytest.raises(TimeoutError):
        get(url, fake.bot_token, timeout=0.1)
    fake.latency(0, DOWNLOAD_METHOD)
    assert get(url, fake.bot_token)[2] == PDF
    faults = [c.fault for c in fake.calls(DOWNLOAD_METHOD)]
    assert faults[:3] == ["injected", "injected", "dropped"]


def test_files_info(fake: FakeSlack, client: WebClient) -> None:
    f = fake.add_file("U0ANA", "poster.pdf", PDF)
    got = client.files_info(file=f["id"])
    assert got["file"] == f
    assert got["file"] == fake.file(f["id"])
    assert slack_error(lambda: client.files_info(file="F0NOPE")).response["error"] == (
        "file_not_found"
    )
    assert fake.file("F0NOPE") is None


# A member shares a file: the message and the event.


def test_share_file_stores_the_message_and_gives_the_event(fake: FakeSlack) -> None:
    f = fake.add_file("U0ANA", "poster.pdf", PDF)
    msg, event = fake.share_file("C0RELEASES", "U0ANA", f, text="new proof")
    assert (msg.channel, msg.user, msg.subtype, msg.text) == (
        "C0RELEASES",
        "U0ANA",
        "file_share",
        "new proof",
    )
    assert [m.ts for m in fake.messages("C0RELEASES")] == [msg.ts]
    assert event["type"] == "message" and event["subtype"] == "file_share"
    assert (event["channel"], event["channel_type"], event["user"]) == (
        "C0RELEASES",
        "channel",
        "U0ANA",
    )
    assert (event["text"], event["ts"], event["event_ts"]) == ("new proof", msg.ts, msg.ts)
    assert (event["upload"], event["display_as_bot"]) == (False, False)
    assert "thread_ts" not in event
    [carried] = event["files"]
    assert carried["id"] == f["id"]
    assert carried["url_private_download"] == f["url_private_download"]
    assert carried["is_public"] is True
    assert "shares" not in carried  # only files.info carries the shares
    assert msg.files == event["files"]
    info = fake.file(f["id"])
    assert info is not None
    assert info["channels"] == ["C0RELEASES"]
    assert info["shares"]["public"]["C0RELEASES"][0]["ts"] == msg.ts


def test_share_file_in_a_thread_and_in_private_channels(fake: FakeSlack, client: WebClient) -> None:
    top = client.chat_postMessage(channel="C0SECRET", text="Proofs here")
    f = fake.add_file("U0ANA", "poster.pdf", PDF)
    msg, event = fake.share_file("C0SECRET", "U0ANA", f, thread_ts=top["ts"])
    assert (event["channel_type"], event["thread_ts"]) == ("group", top["ts"])
    assert event["parent_user_id"] == "U0SLEEVEBOT"
    assert event["files"][0]["is_public"] is False
    assert [m.ts for m in fake.thread("C0SECRET", top["ts"])] == [msg.ts]
    assert fake.file(f["id"])["groups"] == ["C0SECRET"]  # type: ignore[index]
    _, dm_event = fake.share_file(fake.dm_channel("U0ANA"), "U0ANA", f)
    assert dm_event["channel_type"] == "im"
    _, stub_event = fake.share_file("C0RELEASES", "U0ANA", f, check_file_info=True)
    assert stub_event["files"] == [
        {
            "id": f["id"],
            "mode": "file_access",
            "file_access": "check_file_info",
            "created": 0,
            "timestamp": 0,
            "user": "U0ANA",
        }
    ]
    with pytest.raises(ValueError):
        fake.share_file("C0NOPE", "U0ANA", f)


# Upload v2 through files_upload_v2.


def test_files_upload_v2_round_trip_into_a_thread(fake: FakeSlack, client: WebClient) -> None:
    top = client.chat_postMessage(channel="C0RELEASES", text="Poster proofs")
    done = client.files_upload_v2(
        channel="C0RELEASES",
        thread_ts=top["ts"],
        file=PDF,
        filename="poster.pdf",
        title="Poster v3",
        initial_comment="Here is v3",
    )
    file_id = done["file"]["id"]
    assert done["files"][0]["title"] == "Poster v3"
    assert fake.uploaded(file_id) == PDF
    [reply] = fake.thread("C0RELEASES", top["ts"])
    assert (reply.text, reply.user, reply.subtype) == ("Here is v3", "U0SLEEVEBOT", "file_share")
    assert [f["id"] for f in reply.files] == [file_id]
    [shared] = fake.files_in("C0RELEASES", top["ts"])
    assert (shared.file["id"], shared.message.ts) == (file_id, reply.ts)
    assert fake.files_in("C0RELEASES") == [shared]
    assert fake.files_in("C0RELEASES", "1.000000") == []
    info = client.files_info(file=file_id)["file"]
    assert (info["name"], info["size"], info["mimetype"]) == (
        "poster.pdf",
        len(PDF),
        "application/pdf",
    )
    assert info["shares"]["public"]["C0RELEASES"][0]["thread_ts"] == top["ts"]
    assert get(info["url_private_download"], fake.bot_token)[2] == PDF
    [upload] = fake.calls(UPLOAD_METHOD)
    assert (upload.status, upload.body, upload.args["length"]) == (
        200,
        f"OK - {len(PDF)}",
        len(PDF),
    )
    methods = [c.method for c in fake.calls()][1:]
    assert methods == [
        "files.getUploadURLExternal",
        UPLOAD_METHOD,
        "files.completeUploadExternal",
        "files.info",
        DOWNLOAD_METHOD,
    ]


def test_files_upload_v2_from_a_path_without_a_channel(
    fake: FakeSlack, client: WebClient, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"line one\n")
    done = client.files_upload_v2(file=str(path))
    assert done["file"]["name"] == "notes.txt"
    assert done["file"]["title"] == "notes.txt"  # the SDK's default title is the filename
    assert fake.uploaded(done["file"]["id"]) == b"line one\n"
    assert fake.messages() == []  # no channel: uploaded, not shared
    assert done["file"]["channels"] == []


def test_upload_url_takes_multipart_too(fake: FakeSlack, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="a.bin", length=3)
    assert ticket["upload_url"].startswith(f"{fake.base_url}/upload/v1/")
    boundary = "XyZ"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"\x00\xff\n"
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        ticket["upload_url"],
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.read() == b"OK - 3"
    assert fake.uploaded(ticket["file_id"]) == b"\x00\xff\n"


def test_unknown_and_spent_upload_urls_are_404(fake: FakeSlack, client: WebClient) -> None:
    def post(url: str) -> int:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=b"x"), timeout=5):
                return 200
        except urllib.error.HTTPError as e:
            return e.code

    assert post(f"{fake.base_url}/upload/v1/not-a-ticket") == 404
    done = client.files_upload_v2(content="hi", filename="hi.txt")
    [first, used] = fake.calls(UPLOAD_METHOD)
    assert (first.status, used.status) == (404, 200)
    assert post(fake.base_url + used.args["path"]) == 404  # completed: the ticket is spent
    assert fake.uploaded(done["file"]["id"]) == b"hi"


def test_upload_methods_check_their_arguments(fake: FakeSlack, client: WebClient) -> None:
    def code(call: Any) -> str:
        return slack_error(call).response["error"]

    assert code(lambda: client.files_getUploadURLExternal(filename="a", length=0)) == (
        "missing_argument"
    )
    long_alt = "x" * 1001
    assert (
        code(lambda: client.files_getUploadURLExternal(filename="a", length=1, alt_txt=long_alt))
        == "alt_txt_too_large"
    )
    never_sent = client.files_getUploadURLExternal(filename="a.txt", length=2)["file_id"]
    for files in ([{"id": "F0NOPE"}], [{"id": never_sent}]):
        assert code(lambda f=files: client.files_completeUploadExternal(files=f)) == (
            "file_not_found"
        )
    ticket = client.files_getUploadURLExternal(filename="a.txt", length=2)
    urllib.request.urlopen(urllib.request.Request(ticket["upload_url"], data=b"ok"), timeout=5)
    one = [{"id": ticket["file_id"], "title": "A"}]
    assert (
        code(lambda: client.files_completeUploadExternal(files=one, channel_id="C0NOPE"))
        == "channel_not_found"
    )
    assert fake.file(ticket["file_id"]) is None  # refused: nothing completed
    bad = [{"type": "section"}]
    assert (
        code(
            lambda: client.files_completeUploadExternal(
                files=one, channel_id="C0RELEASES", blocks=bad
            )
        )
        == "invalid_blocks"
    )
    assert client.files_completeUploadExternal(files=one, channel_id="C0RELEASES")["ok"]
    assert [f.file["title"] for f in fake.files_in("C0RELEASES")] == ["A"]


# Faults on the upload.


@pytest.mark.parametrize("status", [429, 500])
def test_a_failed_upload_post_raises_and_is_not_retried_by_the_sdk(
    fake: FakeSlack, status: int
) -> None:
    retrying = WebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3, interval_calculator=NO_WAIT),
            ServerErrorRetryHandler(max_retry_count=3, interval_calculator=NO_WAIT),
        ],
    )
    fake.fail_next(UPLOAD_METHOD, status=status)
    # The upload POST is plain urllib, outside the retry handlers: HTTPError, not SlackApiError.
    with pytest.raises(urllib.error.HTTPError) as caught:
        retrying.files_upload_v2(channel="C0RELEASES", file=PDF, filename="poster.pdf")
    assert caught.value.code == status
    assert [c.status for c in fake.calls(UPLOAD_METHOD)] == [status]
    assert fake.calls("files.completeUploadExternal") == []
    first_id = fake.calls("files.getUploadURLExternal")[0].body["file_id"]
    assert fake.file(first_id) is None
    # The app tries the whole upload again: exactly one file ends up shared.
    done = retrying.files_upload_v2(channel="C0RELEASES", file=PDF, filename="poster.pdf")
    assert [f.file["id"] for f in fake.files_in("C0RELEASES")] == [done["file"]["id"]]
    assert done["file"]["id"] != first_id


def test_a_dropped_upload_post_raises_remote_disconnected(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.drop_connection_next(UPLOAD_METHOD)
    with pytest.raises(http.client.RemoteDisconnected):
        client.files_upload_v2(channel="C0RELEASES", file=PDF, filename="poster.pdf")
    assert fake.calls(UPLOAD_METHOD)[0].fault == "dropped"
    assert fake.files_in("C0RELEASES") == []


def test_a_500_on_complete_shares_nothing(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("files.completeUploadExternal", status=500)
    with pytest.raises(SlackApiError) as caught:
        client.files_upload_v2(channel="C0RELEASES", file=PDF, filename="poster.pdf")
    assert caught.value.response.status_code == 500
    first_id = fake.calls("files.getUploadURLExternal")[0].body["file_id"]
    assert fake.uploaded(first_id) == PDF  # the bytes arrived, but the file never completed
    assert fake.file(first_id) is None
    assert fake.files_in("C0RELEASES") == [] and fake.messages() == []
    client.files_upload_v2(channel="C0RELEASES", file=PDF, filename="poster.pdf")
    assert len(fake.files_in("C0RELEASES")) == 1


def test_a_500_on_complete_is_retried_by_the_server_error_handler(fake: FakeSlack) -> None:
    retrying = WebClient(
        token=fake.bot_token,
        base_url=fake.api_url,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=2, interval_calculator=NO_WAIT)],
    )
    fake.fail_next("files.completeUploadExternal", status=500)
    started = time.monotonic()
    done = retrying.files_upload_v2(channel="C0RELEASES", file=PDF, filename="poster.pdf")
    assert time.monotonic() - started < 5
    assert [c.status for c in fake.calls("files.completeUploadExternal")] == [500, 200]
    assert [f.file["id"] for f in fake.files_in("C0RELEASES")] == [done["file"]["id"]]
