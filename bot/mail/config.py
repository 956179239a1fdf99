"""Where mail goes and who it is from: ``SLEEVE_SMTP_URL`` and ``SLEEVE_MAIL_FROM``.

``smtp://user:pass@host:587`` upgrades with STARTTLS whenever the server offers it, and the
transport refuses to send credentials over a connection that stayed unencrypted;
``smtps://user:pass@host:465`` is TLS from the first byte; ``smtp://localhost:25`` is a local
relay without credentials. Every error is a one-line ``ValueError`` that never quotes the
URL, so the password can't reach a log line or a startup message.
"""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.policy import default as default_policy
from urllib.parse import SplitResult, unquote, urlsplit

DEFAULT_TIMEOUT_S = 30.0
_FORMS = "smtp://user:password@host:587, smtps://user:password@host:465 or smtp://localhost:25"
# RFC 5322 atext plus the dot of a dot-atom; non-ASCII is allowed for SMTPUTF8 mailboxes.
_LOCAL_ASCII = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_DOMAIN_LABEL_ASCII = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
_HOST = re.compile(r"[A-Za-z0-9._:%-]+")


@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the SMTP server.

    ``cafile`` names a PEM bundle to trust instead of the system's trust store: for a
    server with a private CA (and for the tests' throwaway certificate). ``None`` trusts
    what the operating system trusts.
    """

    host: str
    port: int
    username: str | None = None
    # Kept out of repr() and str(): a config printed in a log line shows no password.
    password: str | None = field(default=None, repr=False)
    implicit_tls: bool = False
    timeout: float = DEFAULT_TIMEOUT_S
    cafile: str | None = None

    def __post_init__(self) -> None:
        # Messages name fields, never values: a password must not reach a traceback.
        if not self.host:
            raise ValueError("an SMTP config needs a host")
        if not 1 <= self.port <= 65535:
            raise ValueError("an SMTP port is a number from 1 to 65535")
        if (self.username is None) != (self.password is None):
            raise ValueError("an SMTP config needs both a user name and a password, or neither")
        if not self.timeout > 0:
            raise ValueError("an SMTP timeout must be positive")

    @property
    def has_credentials(self) -> bool:
        return self.username is not None

    @property
    def where(self) -> str:
        """``host:port`` for messages; never the user name or password."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def ssl_context(self) -> ssl.SSLContext:
        """A verifying client context: certificate and host name are checked."""
        return ssl.create_default_context(cafile=self.cafile)


def parse_smtp_url(url: str) -> SmtpConfig:
    """``SLEEVE_SMTP_URL`` as a config; ``ValueError`` with a one-line message otherwise."""
    text = url.strip()
    if not text or not text.isprintable() or any(c.isspace() for c in text):
        raise ValueError(f"must be a URL without spaces or control characters, such as {_FORMS}")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise ValueError(f"is not a URL; use {_FORMS}") from None
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"must start with smtp:// or smtps://; use {_FORMS}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        # Also what an unencoded "/", "?" or "#" in a password looks like.
        raise ValueError(
            "must be just smtp(s)://user:password@host:port; percent-encode "
            "'/', '?', '#' and '@' in the user name or password (%2F, %3F, %23, %40)"
        )
    host = _host(parts.hostname)
    implicit_tls = parts.scheme == "smtps"
    username, password = _credentials(parts.username, parts.password)
    port = _port(parts, implicit_tls=implicit_tls, with_credentials=username is not None)
    return SmtpConfig(
        host=host,
        port=port,
        username=username,
        password=password,
        implicit_tls=implicit_tls,
    )


def _host(hostname: str | None) -> str:
    if not hostname or not _HOST.fullmatch(hostname):
        raise ValueError(f"names no valid host; use {_FORMS}")
    return hostname


def _port(parts: SplitResult, *, implicit_tls: bool, with_credentials: bool) -> int:
    try:
        port = parts.port
    except ValueError:
        # urllib's own message quotes the text after the last ":", which may be a password.
        raise ValueError(
            "has a port that isn't a number from 1 to 65535 (percent-encode ':' in a "
            "password as %3A)"
        ) from None
    if port is None:
        # Submission for an authenticated client, relay port for a local relay.
        return 465 if implicit_tls else 587 if with_credentials else 25
    if not 1 <= port <= 65535:
        raise ValueError("has a port that isn't a number from 1 to 65535")
    return port


def _credentials(raw_user: str | None, raw_password: str | None) -> tuple[str | None, str | None]:
    if raw_user is None and raw_password is None:
        return None, None
    try:
        user = unquote(raw_user or "", errors="strict")
        password = unquote(raw_password or "", errors="strict")
    except UnicodeDecodeError:
        raise ValueError(
            "has a percent-escape in the user name or password that isn't UTF-8"
        ) from None
    if not user or not password:
        raise ValueError("needs both a user name and a password, or neither (a local relay)")
    for value in (user, password):
        if not value.isprintable():
            raise ValueError("has a control character in the user name or password")
        if not value.isascii():
            # smtplib encodes AUTH credentials as ASCII; better said now than at the first mail.
            raise ValueError("has a non-ASCII character in the user name or password")
    return user, password


def parse_address(text: str) -> Address:
    """A bare mailbox address (``jane@example.com``), checked strictly: a dot-atom local
    part and a host name or address literal. ``ValueError`` otherwise."""
    value = text.strip()
    if not value or len(value) > 254 or not value.isprintable() or any(c.isspace() for c in value):
        raise ValueError("is not an e-mail address such as jane@example.com")
    local, at, domain = value.rpartition("@")
    if not at or not _valid_local(local) or not _valid_domain(domain):
        raise ValueError("is not an e-mail address such as jane@example.com")
    return Address(username=local, domain=domain)


def _valid_local(local: str) -> bool:
    if not local or len(local) > 64 or local.startswith(".") or local.endswith("."):
        return False
    if ".." in local:
        return False
    return all(_LOCAL_ASCII.fullmatch(c) if c.isascii() else c.isalnum() for c in local)


def _valid_domain(domain: str) -> bool:
    if domain.startswith("[") and domain.endswith("]"):
        return bool(re.fullmatch(r"\[[0-9A-Fa-f:.]+\]|\[IPv6:[0-9A-Fa-f:.]+\]", domain))
    labels = domain.split(".")
    if not domain or len(domain) > 253:
        return False
    for label in labels:
        if not label or len(label) > 63:
            return False
        if label.isascii() and not _DOMAIN_LABEL_ASCII.fullmatch(label):
            return False
        if not label.isascii() and not all(c.isalnum() or c == "-" for c in label):
            return False
    return True


def sender_address(text: str) -> Address:
    """``SLEEVE_MAIL_FROM`` as an ``Address``: ``Sleeve <sleeve@label.example>`` or a bare
    address. ``ValueError`` with a one-line message otherwise."""
    value = text.strip()
    if not value or not value.isprintable():
        # CR and LF above all: this value becomes the From header of every mail.
        raise ValueError("must be one line such as Sleeve <sleeve@label.example>")
    try:
        header = default_policy.header_factory("from", value)
        addresses = header.addresses
        defects = header.defects
    except Exception:  # the stdlib parser raises IndexError and others on some inputs
        raise ValueError("must be an address such as Sleeve <sleeve@label.example>") from None
    if defects or len(addresses) != 1 or len(header.groups) != 1 or header.groups[0].display_name:
        raise ValueError("must be one address such as Sleeve <sleeve@label.example>")
    mailbox = parse_address(addresses[0].addr_spec)
    name = " ".join(addresses[0].display_name.split())
    return Address(display_name=name, username=mailbox.username, domain=mailbox.domain)


def parse_sender(text: str) -> str:
    """``SLEEVE_MAIL_FROM`` checked and normalised (``Sleeve <sleeve@label.example>``)."""
    return str(sender_address(text))
