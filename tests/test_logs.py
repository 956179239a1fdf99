from __future__ import annotations

import io
import logging

from bot.core.logs import RedactingFormatter


def test_tokens_and_secrets_are_redacted_from_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(message)s", ["s3cr3t-signing-value"]))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Authorization: Bearer xoxb-123-456-abcDEF and xapp-1-A1-xyz")
        try:
            raise RuntimeError("bad secret s3cr3t-signing-value")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "xoxb-123" not in output and "xapp-1" not in output
    assert "s3cr3t-signing-value" not in output
    assert output.count("[redacted]") == 4  # two tokens, the secret in the source line and message


def test_a_calendar_link_is_redacted_like_a_token() -> None:
    from bot.core.logs import RedactingFormatter

    formatter = RedactingFormatter("%(message)s", [])
    text = "body: https://sleeve.example.com/calendar/" + "A" * 43 + ".ics"
    assert formatter.redact(text) == "body: https://sleeve.example.com/calendar/[redacted].ics"
