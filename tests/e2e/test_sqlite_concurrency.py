"""SQLite under `serve` with two worker processes and eight concurrent clients: every write
lands and nobody ever sees "database is locked"."""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
from pathlib import Path

from bot.devtools.driver import signed_headers
from bot.devtools.fake_slack import FakeSlack
from tests.e2e.support import (
    SECRET,
    command_form,
    post,
    start_serve,
    wait_healthy,
)

CLIENTS = 8
REQUESTS_EACH = 25


def test_two_workers_and_eight_clients_never_lock(fake: FakeSlack, tmp_path: Path) -> None:
    db_path = tmp_path / "sleeve.db"
    process, port = start_serve(fake, f"sqlite:///{db_path}", tmp_path)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for i in range(REQUESTS_EACH):
            text = f'new "Poster {n}-{i}" kind:poster due:+7d' if i % 2 == 0 else "list overdue"
            form = command_form("/asset", text)
            status, body = post(port, form, signed_headers(SECRET, form))
            with lock:
                answers.append((status, body))

    try:
        wait_healthy(port, process)
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert len(answers) == CLIENTS * REQUESTS_EACH
    assert all(status == 200 for status, _ in answers)
    texts = [json.loads(body).get("text", "") for _, body in answers]
    assert not [t for t in texts if "locked" in t or "ERR-" in t]
    assert "database is locked" not in output
    created = sum(t.startswith("Created") for t in texts)
    assert created == CLIENTS * ((REQUESTS_EACH + 1) // 2)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM assets").fetchone()[0] == created
