"""`python -m bot serve` as a real process: HTTP under gunicorn, health, signals."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from bot.devtools.driver import signed_headers
from bot.devtools.fake_slack import FakeSlack
from tests.e2e.support import SECRET, app_env, post, start_serve, wait_healthy


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


def test_serve_socket_mode_acks_a_command_over_the_websocket_and_exits_on_sigterm(
    fake: FakeSlack,
    database_url: str,
    tmp_path: Path,
) -> None:
    env = app_env(fake, database_url) | {"SLACK_APP_TOKEN": fake.app_token}
    if not database_url.startswith("sqlite"):
        subprocess.run([sys.executable, "-m", "bot", "migrate"], env=env, check=True, cwd=tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--socket"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        fake.socket_mode.wait_connected(timeout=30)
        command = {
            "token": "legacy-verification-token",
            "team_id": "T0SLEEVE",
            "channel_id": "C0PRODUCTION",
            "user_id": "U0MIA",
            "command": "/dept",
            "text": "show legal",
            "response_url": "http://127.0.0.1:9/r",
            "trigger_id": "1.2.3",
        }
        envelope_id = "9f1c0a6e-socket-1"
        fake.socket_mode.send(
            {
                "envelope_id": envelope_id,
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": command,
            }
        )
        ack = fake.socket_mode.wait_ack(envelope_id)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert "Legal" in json.dumps(ack["payload"]), ack
    assert process.returncode == 0, output
    opened = [c for c in fake.calls("apps.connections.open") if c.body.get("ok")]
    assert opened, "the app asked Slack for a Socket Mode URL with its app-level token"
    assert fake.app_token not in output and fake.bot_token not in output
    fake.socket_mode.wait_disconnected()
