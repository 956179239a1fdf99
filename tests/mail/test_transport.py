"""Sending through real SMTP servers on loopback: TLS and login as in production, and every
failure classified by whether the server can have taken the mail."""

from __future__ import annotations

import base64
import dataclasses
import email
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.mail.compose import MailSpec, compose, message_id_for, template_environment
from bot.mail.config import SmtpConfig, parse_smtp_url
from bot.mail.transport import MailError, MailPermanent, MailTemporary, MailUncertain, send
from tests.mail.conftest import HOST, PASSWORD, USER, Certs, Running, free_port

ASSET = {
    "freelancer_name": "Jane Doe",
    "asset_id": "A-3",
    "asset_title": "Front cover",
    "catalog_number": "SLV-014",
    "release_title": "Night & Day",
    "coordinator_name": "Sam",
}
Start = Callable[..., Running]


def _message(to: str = "jane@example.com") -> EmailMessage:
    spec = MailSpec(to, "Jane Doe", "[SLV-014] A-3 Front cover — approved", "approved", ASSET)
    return compose(
        spec,
        sender="Sleeve <sleeve@label.example>",
        message_id=message_id_for("outbox-1:0", "label.example"),
        templates=template_environment(),
    )


def _config(port: int, **changes: object) -> SmtpConfig:
    return dataclasses.replace(SmtpConfig(host=HOST, port=port, timeout=5.0), **changes)  # type: ignore[arg-type]


def _with_login(port: int, certs: Certs, **changes: object) -> SmtpConfig:
    # Through the URL, so the percent-encoded password is what reaches the server.
    url = f"smtp://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@{HOST}:{port}"
    config = dataclasses.replace(parse_smtp_url(url), timeout=5.0, cafile=certs.ca_file)
    return dataclasses.replace(config, **changes)  # type: ignore[arg-type]


def _secrets() -> list[str]:
    plain = f"\0{USER}\0{PASSWORD}".encode()
    return [
        PASSWORD,
        base64.b64encode(PASSWORD.encode()).decode(),
        base64.b64encode(plain).decode(),
    ]


@pytest.fixture(autouse=True)
def no_password_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Whatever a test does, no record of ours (or smtplib's) carries the password."""
    caplog.set_level(logging.DEBUG)
    yield
    for record in caplog.records:
        if record.name.startswith("mail.log"):
            continue  # aiosmtpd: the test server's own log
        text = caplog.handler.format(record)
        for secret in _secrets():
            assert secret not in text, record.name


def _refused(error: MailError) -> None:
    """A failure's text is one line, short, and free of the password."""
    for text in (str(error), repr(error), error.description):
        assert "\n" not in text
        for secret in _secrets():
            assert secret not in text
    assert error.__cause__ is None


def test_a_local_relay_without_credentials(smtp_server: Start) -> None:
    server = smtp_server()
    message = _message()
    send(_config(server.port), message)

    (got,) = server.recorder.received
    assert got.mail_from == "sleeve@label.example"
    assert got.rcpt_tos == ["jane@example.com"]
    assert not got.tls and not got.authenticated
    parsed = email.message_from_bytes(got.content, policy=policy.default)
    assert parsed["Message-ID"] == message["Message-ID"]
    assert parsed["Subject"] == "[SLV-014] A-3 Front cover — approved"
    text = parsed.get_body(preferencelist=("plain",))
    assert text is not None and "has been approved" in text.get_content()


def test_a_relay_that_offers_starttls_gets_it_even_without_a_login(
    smtp_server: Start, certs: Certs
) -> None:
    server = smtp_server(tls_context=certs.server_context)
    send(_config(server.port, cafile=certs.ca_file), _message())
    (got,) = server.recorder.received
    assert got.tls


def test_starttls_then_login(smtp_server: Start, certs: Certs) -> None:
    server = smtp_server(
        tls_context=certs.server_context,
        require_starttls=True,
        authenticator=True,
        auth_required=True,
    )
    send(_with_login(server.port, certs), _message())
    (got,) = server.recorder.received
    assert got.tls and got.authenticated
    assert server.authenticator.attempts


def test_implicit_tls_then_login(smtp_server: Start, certs: Certs) -> None:
    server = smtp_server(
        ssl_context=certs.server_context,
        authenticator=True,
        auth_require_tls=False,  # aiosmtpd counts only STARTTLS as TLS; this is TLS throughout
    )
    send(_with_login(server.port, certs, implicit_tls=True), _message())
    (got,) = server.recorder.received
    assert got.tls and got.authenticated


def test_a_wrong_password_is_permanent(smtp_server: Start, certs: Certs) -> None:
    server = smtp_server(tls_context=certs.server_context, authenticator=True, auth_required=True)
    config = dataclasses.replace(_with_login(server.port, certs), password=PASSWORD + "x")
    with pytest.raises(MailPermanent) as raised:
        send(config, _message())
    assert raised.value.code == 535
    assert "login" in raised.value.description
    _refused(raised.value)
    assert PASSWORD + "x" not in str(raised.value)
    assert server.recorder.received == []


def test_credentials_are_never_sent_without_tls(smtp_server: Start, certs: Certs) -> None:
    # The server would take a login in the clear; Sleeve must not offer one.
    server = smtp_server(authenticator=True, auth_require_tls=False)
    with pytest.raises(MailPermanent) as raised:
        send(_with_login(server.port, certs), _message())
    assert "STARTTLS" in raised.value.description
    _refused(raised.value)
    assert server.authenticator.attempts == []
    assert server.recorder.received == []


@pytest.mark.parametrize("implicit", [False, True])
def test_an_untrusted_certificate_is_refused(
    smtp_server: Start, certs: Certs, implicit: bool
) -> None:
    if implicit:
        server = smtp_server(
            ssl_context=certs.server_context, authenticator=True, auth_require_tls=False
        )
    else:
        server = smtp_server(tls_context=certs.server_context, authenticator=True)
    # The system's trust store, which has never heard of the test CA.
    config = _with_login(server.port, certs, cafile=None, implicit_tls=implicit)
    with pytest.raises(MailPermanent) as raised:
        send(config, _message())
    assert "certificate" in raised.value.description
    _refused(raised.value)
    assert server.authenticator.attempts == []
    assert server.recorder.received == []


@pytest.mark.parametrize(
    ("step", "reply", "error"),
    [
        ("rcpt", "451 4.3.0 Try again later", MailTemporary),
        ("rcpt", "550 5.1.1 No such user", MailPermanent),
        ("data", "451 4.3.0 Queue full", MailTemporary),
        ("data", "554 5.6.0 Message refused", MailPermanent),
    ],
)
def test_replies_are_classified(
    smtp_server: Start, certs: Certs, step: str, reply: str, error: type[MailError]
) -> None:
    server = smtp_server(tls_context=certs.server_context, authenticator=True)
    setattr(server.recorder, f"{step}_reply", reply)
    with pytest.raises(MailError) as raised:
        send(_with_login(server.port, certs), _message())
    assert type(raised.value) is error
    assert raised.value.code == int(reply[:3])
    assert reply[4:] in raised.value.description
    _refused(raised.value)


@pytest.mark.parametrize("after_data", ["drop", "hang"])
def test_no_answer_after_the_whole_message_is_uncertain(
    smtp_server: Start, certs: Certs, after_data: str
) -> None:
    server = smtp_server(tls_context=certs.server_context, authenticator=True)
    server.recorder.after_data = after_data
    with pytest.raises(MailUncertain) as raised:
        send(_with_login(server.port, certs, timeout=1.0), _message())
    assert "may have been delivered" in raised.value.description
    _refused(raised.value)
    assert len(server.recorder.received) == 1


def test_connection_refused_is_temporary() -> None:
    with pytest.raises(MailTemporary) as raised:
        send(_config(free_port()), _message())
    assert f"{HOST}:" in raised.value.description
    _refused(raised.value)


@pytest.fixture
def raw_server() -> Iterator[Callable[[bytes | None], int]]:
    """A socket that greets with the given bytes (or says nothing) and then waits."""
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(greeting: bytes | None) -> int:
        listener = socket.create_server((HOST, 0))
        port = int(listener.getsockname()[1])

        def serve() -> None:
            with listener:
                conn, _ = listener.accept()
                with conn:
                    if greeting is not None:
                        conn.sendall(greeting)
                    stop.wait(10)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)
        return port

    yield start
    stop.set()
    for thread in threads:
        thread.join(5)


def test_a_busy_greeting_is_temporary(raw_server: Callable[[bytes | None], int]) -> None:
    port = raw_server(b"421 4.3.2 Too busy, try later\r\n")
    with pytest.raises(MailTemporary) as raised:
        send(_config(port), _message())
    assert raised.value.code == 421


def test_a_silent_server_times_out_as_temporary(raw_server: Callable[[bytes | None], int]) -> None:
    port = raw_server(None)
    with pytest.raises(MailTemporary) as raised:
        send(_config(port, timeout=0.5), _message())
    assert "timed out" in raised.value.description


def test_international_addresses_need_smtputf8(smtp_server: Start) -> None:
    willing = smtp_server()
    send(_config(willing.port), _message("jané@exämple.test"))
    (got,) = willing.recorder.received
    assert got.rcpt_tos == ["jané@exämple.test"]

    unwilling = smtp_server(enable_SMTPUTF8=False)
    with pytest.raises(MailPermanent) as raised:
        send(_config(unwilling.port), _message("jané@exämple.test"))
    assert "non-ASCII" in raised.value.description
    assert unwilling.recorder.received == []


def test_an_unreadable_ca_file_is_permanent(tmp_path: Path) -> None:
    with pytest.raises(MailPermanent) as raised:
        send(_config(free_port(), cafile=str(tmp_path / "missing.pem")), _message())
    assert "trust store" in raised.value.description


def test_a_bad_address_is_refused_before_connecting() -> None:
    message = EmailMessage()
    message["From"] = "sleeve@label.example"
    message["To"] = "not an address"
    message.set_content("x")
    # Nothing listens on this port: reaching it would be MailTemporary.
    with pytest.raises(MailPermanent):
        send(_config(free_port()), message)
    message.replace_header("To", "jane@example.com")
    message["Bcc"] = "x@evil.test"
    with pytest.raises(MailPermanent):
        send(_config(free_port()), message)


def test_a_leading_dot_survives(smtp_server: Start) -> None:
    server = smtp_server()
    message = EmailMessage()
    message["From"] = "sleeve@label.example"
    message["To"] = "jane@example.com"
    message.set_content(".\n..two\n.")
    send(_config(server.port), message)
    (got,) = server.recorder.received
    body = email.message_from_bytes(got.content, policy=policy.default).get_content()
    assert body.replace("\r\n", "\n") == ".\n..two\n.\n"
