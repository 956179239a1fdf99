"""Fetching a proof from Slack's file host: bounded, token-checked, never a sign-in page."""

from __future__ import annotations

import hashlib
import io

import pytest

from bot.devtools.fake_slack import FakeSlack
from bot.proofs.download import DownloadError, allowed_hosts, download


@pytest.fixture
def fake() -> FakeSlack:  # type: ignore[misc]
    with FakeSlack(bot_token="xoxb-download") as fake:
        yield fake


def _fetch(fake: FakeSlack, url: str, token: str = "xoxb-download", **kw: object) -> bytes:
    into = io.BytesIO()
    download(url, token, into, hosts=allowed_hosts(fake.api_url), **kw)  # type: ignore[arg-type]
    return into.getvalue()


def test_the_file_comes_with_its_size_and_sha256(fake: FakeSlack) -> None:
    file = fake.add_file("U0CORA", "a.pdf", b"%PDF-1.7 proof")
    into = io.BytesIO()
    size, digest = download(
        file["url_private_download"], "xoxb-download", into, hosts=allowed_hosts(fake.api_url)
    )
    assert into.getvalue() == b"%PDF-1.7 proof" and size == 14
    assert digest == hashlib.sha256(b"%PDF-1.7 proof").hexdigest()


def test_a_sign_in_page_is_not_taken_for_the_file(fake: FakeSlack) -> None:
    file = fake.add_file("U0CORA", "a.pdf", b"%PDF-1.7")
    with pytest.raises(DownloadError, match="sign-in page"):
        _fetch(fake, file["url_private_download"], token="xoxb-wrong")


def test_only_slacks_file_host_gets_the_token(fake: FakeSlack) -> None:
    with pytest.raises(DownloadError, match="not on Slack's file host"):
        _fetch(fake, "https://files.example.com/proof.pdf")
    assert fake.calls("files.download") == []


def test_files_over_the_limit_are_refused_by_their_size_or_while_streaming(
    fake: FakeSlack,
) -> None:
    file = fake.add_file("U0CORA", "big.tif", b"x" * 5000)
    with pytest.raises(DownloadError, match="up to"):
        _fetch(fake, file["url_private_download"], limit=1000, expected_size=5000)
    assert fake.calls("files.download") == []  # refused before asking
    with pytest.raises(DownloadError, match="up to"):
        _fetch(fake, file["url_private_download"], limit=1000)


def test_slack_failing_the_download_is_a_reason_not_a_crash(fake: FakeSlack) -> None:
    file = fake.add_file("U0CORA", "a.pdf", b"%PDF-1.7")
    fake.fail_next("files.download", status=500)
    with pytest.raises(DownloadError, match="HTTP 500"):
        _fetch(fake, file["url_private_download"])
