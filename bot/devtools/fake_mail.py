"""A mailbox in memory: the mailer of the shell and of tests that need no mail server. It
keeps every message handed to it, in order, as the bytes a server would have received."""

from __future__ import annotations

import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class FakeMailbox:
    def __init__(self) -> None:
        self._sent: list[bytes] = []
        self._lock = threading.Lock()

    def __call__(self, message: EmailMessage) -> None:
        data = message.as_bytes(policy=policy.SMTP)
        with self._lock:
            self._sent.append(data)

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            raw = list(self._sent)
        return [message_from_bytes(data, policy=policy.default) for data in raw]  # type: ignore[misc]
