"""`python -m bot serve` as a real process: HTTP under gunicorn, health, signals."""

from __future__ import annotations

import signal
from pathlib import Path

from bot.devtools.driver import signed_headers
from bot.devtools.fake_slack import FakeSlack
from tests.e2e.support import SECRET, post, start_serve, wait_healthy


def test_serve_answers_signed_commands_and_exits_cleanly_on_sigterm(
    fake: FakeSlack,
    database_url: str,
    tmp_path: Path,
) -> None:
    process, port = start_serve(fake, database_url, tmp_path)
    try:
        assert wait_healthy(port, process) == {"ok": True, "database": "up"}
        form = (
            "team_id=T0SLEEVE&channel_id=C0PRODUCTION&user_id=U0MIA&command=%2Fdept"
            "&text=show+legal&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fr&trigger_id=1.2.3"
        )
        status, body = post(port, form, signed_headers(SECRET, form))
        assert status == 200
        assert "Legal" in body
        status, _ = post(port, form, signed_headers("wrong-secret", form))
        assert status == 401
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert fake.bot_token not in output and SECRET not in output
    assert "will be unused" not in output  # Bolt's warning about a token beside the client
