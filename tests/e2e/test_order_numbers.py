"""Gap-free purchase-order numbers decided by the database: twenty `/order new` at once,
split over two `serve` replicas sharing one database, get PO-<year>-0001 … 0020."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select

from bot.devtools.fake_slack import FakeSlack
from bot.storage.purchasing_models import PurchaseOrder
from tests.e2e.support import command_form, send, start_serve, stop, wait_healthy

ORDERS = 20


def test_twenty_orders_at_once_on_two_replicas_are_numbered_without_gaps(
    fake: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    # The first replica brings the schema up (SQLite: serve migrates), then the second starts.
    first, first_port = start_serve(fake, database_url, tmp_path, workers=1, threads=8)
    wait_healthy(first_port, first)
    second, second_port = start_serve(
        fake, database_url, tmp_path, workers=1, threads=8, migrate=False
    )
    try:
        wait_healthy(second_port, second)
        status, body, _ = send(
            first_port, command_form("/vendor", 'add "Optimal Media" kind:plant currency:EUR')
        )
        assert status == 200 and "V-1" in body, body
        answers: list[str] = []

        def order(port: int) -> None:
            text = 'new V-1 item:"LP pressing" qty:500 price:2.15'
            status, body, _ = send(port, command_form("/order", text), timeout=30)
            answers.append(body if status == 200 else f"HTTP {status}")

        threads = [
            threading.Thread(target=order, args=((first_port, second_port)[n % 2],))
            for n in range(ORDERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        logs = stop(first) + stop(second)
    year = datetime.now(UTC).year
    drafted = sorted(re.findall(rf"Drafted (PO-{year}-\d{{4}})", "\n".join(answers)))
    assert drafted == [f"PO-{year}-{n:04d}" for n in range(1, ORDERS + 1)], (answers, logs)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            stored = sorted(conn.scalars(select(PurchaseOrder.number)))
    finally:
        engine.dispose()
    assert stored == drafted
