"""A proof preflighted by `serve` in a worker process: the pool, the download over HTTP with
the bot token, the findings and the preview in the thread."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from PIL import Image

from bot.devtools.driver import signed_headers
from bot.devtools.fake_slack import FakeSlack
from tests.e2e.support import SECRET, command_form, post, start_serve, stop, wait_healthy


def _event(event: dict[str, object]) -> tuple[str, dict[str, str]]:
    envelope = {
        "token": "unused",
        "team_id": "T0SLEEVE",
        "api_app_id": "A0SLEEVE",
        "type": "event_callback",
        "event_id": "Ev0PROOF1",
        "event_time": int(time.time()),
        "event": event,
    }
    raw = json.dumps(envelope)
    return raw, signed_headers(SECRET, raw) | {"content-type": "application/json"}


def test_serve_preflights_a_shared_proof_in_a_worker_process(
    fake: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    process, port = start_serve(
        fake, database_url, tmp_path, workers=1, extra_env={"SLEEVE_PREFLIGHT_WORKERS": "1"}
    )
    try:
        wait_healthy(port, process)
        body = command_form("/asset", 'new "Poster" kind:poster due:+20d')
        status, _ = post(port, body, signed_headers(SECRET, body))
        assert status == 200
        card = _wait(lambda: [m for m in fake.messages() if m.text.startswith("A-1 Poster")])[0]
        out = io.BytesIO()
        Image.new("RGB", (300, 400), (250, 20, 20)).save(out, "PNG", dpi=(72, 72))
        file = fake.add_file("U0CORA", "poster.png", out.getvalue())
        _, event = fake.share_file(card.channel, "U0CORA", file, text="A-1", thread_ts=card.ts)
        raw, headers = _event(event)
        started = time.perf_counter()
        status, _ = post(port, raw, headers)
        acked = time.perf_counter() - started
        assert status == 200
        said = _wait(
            lambda: [
                m for m in fake.thread(card.channel, card.ts) if m.text.startswith("Preflight")
            ]
        )
        previews = _wait(
            lambda: [f for f in fake.files_in(card.channel, card.ts) if f.message.user != "U0CORA"]
        )
    finally:
        output = stop(process)
    # A 300 × 400 px RGB poster: wrong shape, 17 ppi, and RGB where print needs CMYK.
    assert said[0].text == "Preflight A-1 v1: 3 problems", output
    assert "RGB" in json.dumps(said[0].blocks)
    assert len(previews) == 1
    downloads = [c for c in fake.calls("files.download") if c.status == 200]
    assert len(downloads) == 1
    assert acked < 2.0  # the ack did not wait for the download or the check
    assert fake.bot_token not in output


def _wait(found, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")
