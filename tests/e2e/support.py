"""Running `python -m bot serve` as real processes for the end-to-end tests."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from urllib.parse import urlencode

from bot.devtools import demo
from bot.devtools.driver import signed_headers
from bot.devtools.fake_slack import FakeSlack
from bot.digests.outgoing import EVENT_TYPE as DIGEST_EVENT
from bot.storage.db import Database
from bot.storage.digest_models import DigestSchedule
from bot.storage.migrate import upgrade

SECRET = "e2e-signing-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(fake: FakeSlack, database_url: str, *, log_level: str = "WARNING") -> dict[str, str]:
    """The environment of a `python -m bot` process talking to ``fake``, and nothing of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    env.update(
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=database_url,
        SLEEVE_COORDINATORS=demo.COORDINATOR.user_id,
        SLEEVE_POST_INTERVAL="0",  # the fake Slack here takes any pace
        LOG_LEVEL=log_level,
    )
    return env


def start_serve(  # type: ignore[type-arg]
    fake: FakeSlack,
    database_url: str,
    tmp_path: Path,
    *,
    log_level: str = "WARNING",
    workers: int = 2,
    threads: int = 4,
    migrate: bool = True,
    extra_env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = app_env(fake, database_url, log_level=log_level) | (extra_env or {})
    if migrate and not database_url.startswith("sqlite"):
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
            str(workers),
            "--threads",
            str(threads),
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


def command_form(
    command: str, text: str, user: str = "U0CORA", channel: str = "C0PRODUCTION"
) -> str:
    return urlencode(
        {
            "team_id": "T0SLEEVE",
            "channel_id": channel,
            "user_id": user,
            "command": command,
            "text": text,
            # Unique per invocation, as Slack's are: a repeated one is refused as a replay.
            "trigger_id": f"{time.time_ns()}.{uuid.uuid4().hex[:12]}",
            "response_url": "http://127.0.0.1:9/r",
        }
    )


def send(port: int, body: str, *, timeout: float = 10) -> tuple[int, str, float]:
    """One signed POST on a fresh connection: (status, body, seconds); status 0 when the
    server is gone."""
    headers = signed_headers(SECRET, body)
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(), time.perf_counter() - started
    except OSError:
        return 0, "", time.perf_counter() - started
    finally:
        conn.close()


def stop(process: subprocess.Popen) -> str:  # type: ignore[type-arg]
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return process.communicate(timeout=30)[0].decode()


def add_due_digests(database_url: str, channels: tuple[str, ...]) -> None:
    """Daily 00:00 UTC schedules, so due whenever a test runs: serve reads the real clock."""
    db = Database.from_url(database_url)
    upgrade(db)
    now = datetime.now(UTC)
    with db.write() as session:
        session.add_all(
            DigestSchedule(
                channel_id=channel,
                local_time=clock_time(0, 0),
                timezone="UTC",
                days="daily",
                enabled=True,
                created_by="U0CORA",
                created_at=now,
                updated_by="U0CORA",
                updated_at=now,
            )
            for channel in channels
        )
    db.dispose()


def digest_posts(fake: FakeSlack, channel: str | None = None) -> list[str]:
    """The ts of every digest posted (to ``channel``, when given)."""
    return [
        m.ts
        for m in fake.messages()
        if isinstance(m.metadata, dict)
        and m.metadata.get("event_type") == DIGEST_EVENT
        and channel in (None, m.channel)
    ]
