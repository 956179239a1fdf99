"""Fixtures for the end-to-end tests: a fake Slack on loopback for `serve` processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.devtools import demo
from bot.devtools.fake_slack import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        demo.install_directory(fake)
        yield fake
