"""A workspace served at a public address, so `/digest calendar` can give out links."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.core.clock import FixedClock
from bot.devtools.workspace import Workspace

PUBLIC_URL = "https://sleeve.example.com"


@pytest.fixture
def served(database_url: str, clock: FixedClock) -> Iterator[Workspace]:
    ws = Workspace.start(
        database_url=database_url,
        clock=clock,
        timezone="Europe/London",
        public_url=PUBLIC_URL + "/",  # the trailing slash is dropped
    )
    try:
        yield ws
    finally:
        ws.close()
