"""SQLite writers queue on one lock across threads and processes, and wake when it is free."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import text

from bot.storage.db import Database

HOLDER = """
import sys, time
from sqlalchemy import text
from bot.storage.db import Database
db = Database.from_url(sys.argv[1])
with db.write() as session:
    session.execute(text("INSERT INTO marks (who) VALUES ('child')"))
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
db.dispose()
"""


def _database(tmp_path: Path) -> Database:
    db = Database.from_url(f"sqlite:///{tmp_path / 'lock.db'}")
    with db.write() as session:
        session.execute(text("CREATE TABLE marks (id INTEGER PRIMARY KEY, who TEXT)"))
    return db


def test_a_writer_in_another_process_is_waited_for_then_followed(tmp_path: Path) -> None:
    db = _database(tmp_path)
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db.engine.url), "0.5"], stdout=subprocess.PIPE
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"holding"
        started = time.monotonic()
        with db.write() as session:
            waited = time.monotonic() - started
            session.execute(text("INSERT INTO marks (who) VALUES ('parent')"))
        assert child.wait(timeout=10) == 0
    finally:
        child.kill()
    with db.read() as session:
        order = list(session.scalars(text("SELECT who FROM marks ORDER BY id")))
    db.dispose()
    # The order shows the parent waited for the child's write; the bound that it never hung.
    assert order == ["child", "parent"]
    assert waited < 5


def test_threads_take_turns_and_every_write_lands(tmp_path: Path) -> None:
    db = _database(tmp_path)

    def write(n: int) -> None:
        for i in range(20):
            with db.write() as session:
                session.execute(text("INSERT INTO marks (who) VALUES (:who)"), {"who": f"{n}-{i}"})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM marks")) == 160
    db.dispose()
