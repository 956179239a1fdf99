"""The bot token and the signing secret never reach the logs, even at DEBUG."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from urllib.parse import urlencode

from bot.devtools.driver import signed_headers
from bot.devtools.fake_slack import FakeSlack
from tests.e2e.support import SECRET, post, start_serve, wait_healthy


def test_a_debug_session_logs_no_secret(fake: FakeSlack, tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'sleeve.db'}"
    process, port = start_serve(fake, database_url, tmp_path, log_level="DEBUG")
    try:
        wait_healthy(port, process)
        for text in ("list", 'new "Poster" kind:poster due:+7d', "show A-1", "bogus"):
            form = urlencode(
                {
                    "team_id": "T0SLEEVE",
                    "channel_id": "C0PRODUCTION",
                    "user_id": "U0CORA",
                    "command": "/asset",
                    "text": text,
                    "trigger_id": "1.2.3",
                    "response_url": "http://127.0.0.1:9/r",
                }
            )
            status, _ = post(port, form, signed_headers(SECRET, form))
            assert status == 200
        post(port, "payload=%7B%7D", signed_headers("forged", "payload=%7B%7D"))
        time.sleep(1.0)  # the card is posted after the ack
        assert fake.calls("chat.postMessage"), "the Web API was used, so its client logged"
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert "DEBUG" in output, "the session really logged at DEBUG"
    assert fake.bot_token not in output
    assert SECRET not in output
