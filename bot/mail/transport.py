"""Hand one mail to the SMTP server, and say exactly how far it got when it fails.

SMTP has no idempotency key, so, as for Slack (``bot.slack.client``), a failure is
classified by whether the server can have taken the mail:

- ``MailTemporary``: it certainly did not (a 4xx reply, or the connection refused, reset or
  timed out before the message's final dot went out): try again later;
- ``MailPermanent``: it did not and never will as things stand (a 5xx reply, an invalid
  address, a server that can't be trusted with the password): give up and say why;
- ``MailUncertain``: the whole message went out after DATA and the connection broke before
  the server's answer. It may have been accepted: never send it again automatically.

The transaction is driven step by step (MAIL, RCPT, DATA, the payload, the final reply)
rather than through ``sendmail`` so the step that failed is known. No description, log
line or exception carries the password.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses

from bot.mail.config import SmtpConfig, parse_address

logger = logging.getLogger("sleeve.mail")
_REPLY_CHARS = 160


class MailError(Exception):
    """A mail that was not (or may not have been) sent; ``description`` is one safe line."""

    def __init__(self, description: str, *, code: int | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.code = code


class MailTemporary(MailError):
    """Not sent; trying again later may work."""


class MailPermanent(MailError):
    """Not sent; trying again won't help until something changes."""


class MailUncertain(MailError):
    """Sent in full, but no answer came: the server may have accepted it."""


@dataclass(frozen=True)
class _Envelope:
    sender: str
    recipients: tuple[str, ...]
    payload: bytes
    international: bool  # an address needs SMTPUTF8


def send(config: SmtpConfig, message: EmailMessage) -> None:
    """Send ``message`` to its To and Cc addresses, or raise a ``MailError``."""
    envelope = _envelope(message)
    context = _tls_context(config)
    conn = _connect(config, context)
    try:
        _secure_and_login(conn, config, context)
        _transact(conn, envelope, config)
    finally:
        _close(conn)
    logger.info(
        "mail sent via %s to %d recipient(s) (%s)",
        config.where,
        len(envelope.recipients),
        message.get("Message-ID", "no Message-ID"),
    )


def _envelope(message: EmailMessage) -> _Envelope:
    """Envelope addresses and the bytes to send; refused before any connection is made."""
    if message.get_all("Bcc"):
        raise MailPermanent("the mail has a Bcc header, which every recipient would see")
    try:
        senders = _addresses(message, "Sender") or _addresses(message, "From")
        found = _addresses(message, "To") + _addresses(message, "Cc")
        recipients = tuple(dict.fromkeys(parse_address(addr).addr_spec for addr in found))
        sender = parse_address(senders[0]).addr_spec if len(senders) == 1 else ""
    except ValueError:
        raise MailPermanent("the mail has an invalid sender or recipient address") from None
    if not sender:
        raise MailPermanent("the mail needs exactly one valid sender address")
    if not recipients:
        raise MailPermanent("the mail has no recipient")
    international = not all(a.isascii() for a in (sender, *recipients))
    out = policy.SMTPUTF8 if international else policy.SMTP
    try:
        data = message.as_bytes(policy=out)
    except (ValueError, TypeError, UnicodeError) as exc:
        raise MailPermanent(f"the mail can't be serialised: {type(exc).__name__}") from None
    return _Envelope(sender, recipients, _dot_stuffed(data), international)


def _addresses(message: EmailMessage, name: str) -> list[str]:
    """The addr-specs of one header, parsed by the message's own policy when it can."""
    found: list[str] = []
    for value in message.get_all(name) or []:
        if hasattr(value, "addresses"):
            found.extend(address.addr_spec for address in value.addresses)
        else:
            found.extend(addr for _, addr in getaddresses([str(value)]))
    return found


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload as ``smtplib.SMTP.data`` builds it: CRLF line ends, a leading dot
    doubled, and the terminating ``CRLF.CRLF``."""
    data = re.sub(rb"\r\n|\n|\r", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _tls_context(config: SmtpConfig) -> ssl.SSLContext:
    try:
        return config.ssl_context()
    except (OSError, ssl.SSLError) as exc:
        # A missing or unreadable CA file: a setting to fix, not a moment to wait out.
        raise MailPermanent(f"the TLS trust store can't be loaded ({type(exc).__name__})") from None


def _connect(config: SmtpConfig, context: ssl.SSLContext) -> smtplib.SMTP:
    try:
        if config.implicit_tls:
            return smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        return smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    except Exception as exc:
        raise _before_handover(exc, f"connecting to {config.where}", config) from None


def _secure_and_login(conn: smtplib.SMTP, config: SmtpConfig, context: ssl.SSLContext) -> None:
    try:
        conn.ehlo_or_helo_if_needed()
        if not config.implicit_tls and conn.has_extn("starttls"):
            # Opportunistic for a relay without credentials, required below for a login.
            conn.starttls(context=context)
            conn.ehlo_or_helo_if_needed()
        if not config.has_credentials:
            return
        if not isinstance(conn.sock, ssl.SSLSocket):
            raise MailPermanent(
                f"the server at {config.where} doesn't offer STARTTLS; Sleeve won't send "
                "the SMTP password over an unencrypted connection"
            )
        conn.login(config.username or "", config.password or "")
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailPermanent(
            f"the server at {config.where} refused the SMTP login: "
            f"{_reply(exc.smtp_code, exc.smtp_error, config)}",
            code=exc.smtp_code,
        ) from None
    except Exception as exc:
        if not isinstance(exc, smtplib.SMTPResponseException):
            # A failed TLS handshake or a dead socket: no QUIT, the server can't answer it.
            conn.close()
        raise _before_handover(exc, f"opening a session with {config.where}", config) from None


def _transact(conn: smtplib.SMTP, envelope: _Envelope, config: SmtpConfig) -> None:
    options = ["SMTPUTF8", "BODY=8BITMIME"] if envelope.international else []
    if envelope.international and not conn.has_extn("smtputf8"):
        raise MailPermanent(f"the server at {config.where} can't take non-ASCII addresses")
    if conn.has_extn("size"):
        # The server refuses a mail too big up front rather than after the upload.
        options.append(f"SIZE={len(envelope.payload)}")
    try:
        _expect(conn.mail(envelope.sender, options), (250,), "MAIL FROM", config)
        for address in envelope.recipients:
            _expect(conn.rcpt(address), (250, 251), f"RCPT TO <{address}>", config)
        conn.putcmd("data")
        _expect(conn.getreply(), (354,), "DATA", config)
        # If this fails the terminating dot did not all go out: the server can't have
        # taken the mail.
        conn.send(envelope.payload)
    except MailError:
        with contextlib.suppress(Exception):
            conn.rset()
        raise
    except Exception as exc:
        conn.close()
        raise _before_handover(exc, "sending the mail", config) from None
    try:
        code, reply = conn.getreply()
    except Exception as exc:
        conn.close()
        raise MailUncertain(
            f"the mail went out in full but {config.where} gave no answer "
            f"({_exception_text(exc, config)}); it may have been delivered",
        ) from None
    _final_reply(code, reply, config)


def _final_reply(code: int, reply: bytes, config: SmtpConfig) -> None:
    if code == 250:
        return
    text = _reply(code, reply, config)
    if 400 <= code < 500:
        raise MailTemporary(f"the server did not take the mail: {text}", code=code)
    if 500 <= code < 600:
        raise MailPermanent(f"the server refused the mail: {text}", code=code)
    raise MailUncertain(
        f"the server gave an unexpected answer to the mail: {text}; it may have been delivered",
        code=code,
    )


def _expect(answer: tuple[int, bytes], ok: tuple[int, ...], step: str, config: SmtpConfig) -> None:
    code, reply = answer
    if code in ok:
        return
    text = f"the server answered {step} with {_reply(code, reply, config)}"
    if 500 <= code < 600:
        raise MailPermanent(text, code=code)
    # 4xx, or an answer that makes no sense before the message went out: nothing was taken.
    raise MailTemporary(text, code=code)


def _before_handover(exc: BaseException, step: str, config: SmtpConfig) -> MailError:
    """An error before the message went out: nothing was delivered."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = f"{step}: {_reply(exc.smtp_code, exc.smtp_error, config)}"
        if 500 <= exc.smtp_code < 600:
            return MailPermanent(text, code=exc.smtp_code)
        return MailTemporary(text, code=exc.smtp_code)
    detail = _exception_text(exc, config)
    if isinstance(exc, ssl.SSLCertVerificationError):
        # Trying again won't make the certificate trusted; someone has to look.
        reason = _clean(exc.verify_message or "", config) or detail
        return MailPermanent(f"{step}: the server's TLS certificate isn't trusted ({reason})")
    if isinstance(exc, smtplib.SMTPNotSupportedError) or type(exc) is smtplib.SMTPException:
        return MailPermanent(f"{step}: {detail}")
    return MailTemporary(f"{step}: {detail}")


def _reply(code: int, reply: bytes | str, config: SmtpConfig) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {_clean(text, config)}".rstrip()


def _exception_text(exc: BaseException, config: SmtpConfig) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = _clean(str(exc), config)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _clean(text: str, config: SmtpConfig) -> str:
    """One short line, with the password blanked should a server ever echo it."""
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if config.password:
        line = line.replace(config.password, "[redacted]")
    return line if len(line) <= _REPLY_CHARS else line[: _REPLY_CHARS - 1] + "…"


def _close(conn: smtplib.SMTP) -> None:
    """QUIT when the connection is still in step; close the socket whatever happens."""
    try:
        if conn.sock is not None:
            conn.quit()
    except Exception:
        logger.debug("QUIT failed; closing the connection", exc_info=False)
    finally:
        conn.close()
