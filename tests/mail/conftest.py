"""Real SMTP servers on loopback (aiosmtpd) and a throwaway CA whose certificate the
client is told to trust, so TLS is verified exactly as in production."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as Server
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST = "127.0.0.1"
USER = "sleeve@label.example"
PASSWORD = "s3cret:p@ss/w0rd"  # characters that must be percent-encoded in a URL


@dataclass(frozen=True)
class Certs:
    ca_file: str  # what the client trusts
    server_context: ssl.SSLContext


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    authenticated: bool


@dataclass
class Recorder:
    """What the server got, and how it answers. A reply of None accepts; ``after_data``
    is "drop" (close once the whole message is in) or "hang" (never answer)."""

    received: list[Received] = field(default_factory=list)
    rcpt_reply: str | None = None
    data_reply: str | None = None
    after_data: str | None = None

    async def handle_RCPT(
        self, server: Server, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Server, session: Session, envelope: Envelope) -> str:
        self.received.append(
            Received(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                content=bytes(envelope.original_content or b""),
                tls=session.ssl is not None
                or server.transport.get_extra_info("sslcontext") is not None,
                authenticated=bool(session.authenticated),
            )
        )
        if self.after_data == "drop":
            server.transport.abort()  # no reply at all: the client can't know
            return "250 never sent"
        if self.after_data == "hang":
            await asyncio.sleep(30)
        return self.data_reply or "250 OK queued"


@dataclass
class Authenticator:
    """Accepts USER/PASSWORD and records every attempt (the password never leaves it)."""

    attempts: list[str] = field(default_factory=list)

    def __call__(
        self, server: Server, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.attempts.append(mechanism)
        ok = data.login.decode() == USER and data.password.decode() == PASSWORD
        return AuthResult(success=ok, handled=False)


@dataclass
class Running:
    port: int
    recorder: Recorder
    authenticator: Authenticator


def free_port() -> int:
    # aiosmtpd's Controller pokes its own port when starting, so it needs a real number.
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


def make_certs(folder: Path) -> Certs:
    """A CA and a server certificate for 127.0.0.1 and localhost, signed by it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sleeve test CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    san = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
    ca_ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        _builder(name, ca_name, key.public_key(), now)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(cert.public_bytes(pem))
    (folder / "server.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "server.pem", folder / "server.key")
    return Certs(ca_file=str(folder / "ca.pem"), server_context=context)


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: Any, now: dt.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., Running]]:
    """Start servers for one test: ``smtp_server(tls_context=…, authenticator=True, …)``;
    keyword arguments go to aiosmtpd's SMTP (or ``ssl_context`` for implicit TLS)."""
    started: list[Controller] = []

    def start(*, authenticator: bool = False, **kwargs: Any) -> Running:
        recorder, auth = Recorder(), Authenticator()
        if authenticator:
            kwargs["authenticator"] = auth
        port = free_port()
        controller = Controller(
            recorder, hostname=HOST, port=port, server_hostname="mail.test", **kwargs
        )
        controller.start()
        started.append(controller)
        return Running(port=port, recorder=recorder, authenticator=auth)

    yield start
    for controller in started:
        controller.stop()
