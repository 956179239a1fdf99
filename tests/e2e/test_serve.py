"""`python -m bot serve` as a real process: HTTP under gunicorn, health, signals."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.devtools import demo
from bot.devtools.driver import signed_headers
from bot.devtools.fake_slack import FakeSlack

SECRET = "e2e-signing-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        demo.install_directory(fake)
        yield fake


def start_serve(  # type: ignore[type-arg]
    fake: FakeSlack, database_url: str, tmp_path: Path, *, log_level: str = "WARNING"
) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    env.update(
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=database_url,
        SLEEVE_COORDINATORS=demo.COORDINATOR.user_id,
        LOG_LEVEL=log_level,
    )
    if not database_url.startswith("sqlite"):
        subprocess.run(
            [sys.executable, "-m", "bot", "migrate"],
            env=env,
            check=True,
            capture_output=True,
            cwd=tmp_path,
        )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return process, port


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 20) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode()  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as resp:
                return json.loads(resp.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("serve did not become healthy")


def post(port: int, body: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_answers_signed_commands_and_exits_cleanly_on_sigterm(
    fake: FakeSlack, database_url: str, tmp_path: Path
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
