"""Logging set-up: one format, and secrets redacted from every line, tracebacks included."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+")
_CALENDAR_LINK = re.compile(r"/calendar/[A-Za-z0-9_-]{20,}\.ics")


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s and len(s) >= 6]

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        text = _TOKEN.sub("[redacted]", text)
        # A calendar link is a bearer secret: Bolt logs reply bodies at DEBUG.
        text = _CALENDAR_LINK.sub("/calendar/[redacted].ics", text)
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


def configure_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic narrates every migration step at INFO; keep it for DEBUG.
    if level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)
