"""Gap-free numbers: decided by the database, so processes racing for them never share one
or skip one, and a transaction that rolls back gives its number back."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from bot.purchasing.numbering import format_number, next_number
from bot.storage.db import Database
from bot.storage.migrate import upgrade

PROCESSES = 2
THREADS_EACH = 10


class Rollback(Exception):
    pass


@pytest.fixture
def db(database_url: str):  # type: ignore[no-untyped-def]
    database = Database.from_url(database_url)
    upgrade(database)
    yield database
    database.dispose()


def take(db: Database, series: str = "PO", year: int = 2027) -> int:
    with db.write() as session:
        return next_number(session, series, year)


def test_numbers_start_at_one_for_each_series_and_year(db: Database) -> None:
    assert [take(db), take(db), take(db)] == [1, 2, 3]
    assert take(db, "INV") == 1
    assert take(db, "PO", 2028) == 1
    assert take(db) == 4


def test_numbers_read_with_four_digits_at_least() -> None:
    assert format_number("PO", 2027, 1) == "PO-2027-0001"
    assert format_number("INV", 2027, 42) == "INV-2027-0042"
    assert format_number("PO", 2027, 12345) == "PO-2027-12345"


def test_a_rolled_back_transaction_gives_its_number_back(db: Database) -> None:
    assert take(db) == 1
    with pytest.raises(Rollback), db.write() as session:
        assert next_number(session, "PO", 2027) == 2
        raise Rollback
    assert take(db) == 2


def test_the_first_number_of_a_year_rolled_back_is_given_again(db: Database) -> None:
    with pytest.raises(Rollback), db.write() as session:
        assert next_number(session, "INV", 2030) == 1
        raise Rollback
    assert take(db, "INV", 2030) == 1


def _take_concurrently(url: str, start_at: float, threads: int) -> list[int]:
    """One process: ``threads`` transactions at once, each holding its number a moment so the
    others queue behind its lock (in this process and the other one)."""
    db = Database.from_url(url)
    taken: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        time.sleep(max(0.0, start_at - time.time()))
        with db.write() as session:
            number = next_number(session, "PO", 2027)
            time.sleep(0.01)
        with lock:
            taken.append(number)

    workers = [threading.Thread(target=one) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    db.dispose()
    return taken


@pytest.mark.slow
def test_twenty_numbers_taken_at_once_by_two_processes_have_no_gap_and_no_duplicate(
    db: Database, database_url: str
) -> None:
    # The counter row doesn't exist yet: the processes also race to create it.
    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 3  # after both processes have started and imported
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(
            _take_concurrently, [(database_url, start_at, THREADS_EACH)] * PROCESSES
        )
    numbers = sorted(n for result in results for n in result)
    assert numbers == list(range(1, PROCESSES * THREADS_EACH + 1))
    assert all(len(result) == THREADS_EACH for result in results)
