"""SLEEVE_SMTP_URL and SLEEVE_MAIL_FROM: the forms the design names, and errors that never
quote the password."""

from __future__ import annotations

import pytest

from bot.mail.config import SmtpConfig, parse_address, parse_sender, parse_smtp_url

SECRET = "Tr0ub4dor-and-3"


def test_submission_with_credentials_defaults_to_587_and_starttls() -> None:
    config = parse_smtp_url(f"smtp://sleeve:{SECRET}@mail.label.example")
    assert config == SmtpConfig(
        host="mail.label.example", port=587, username="sleeve", password=SECRET
    )
    assert not config.implicit_tls
    assert config.has_credentials
    assert config.timeout > 0
    assert config.cafile is None  # the system's trust store


def test_implicit_tls_defaults_to_465() -> None:
    config = parse_smtp_url(f"smtps://sleeve:{SECRET}@smtp.example.com")
    assert (config.port, config.implicit_tls) == (465, True)


def test_a_local_relay_without_credentials_defaults_to_25() -> None:
    config = parse_smtp_url("smtp://localhost")
    assert (config.host, config.port, config.username, config.password) == (
        "localhost",
        25,
        None,
        None,
    )
    assert not config.has_credentials
    assert parse_smtp_url("smtp://localhost:2525/").port == 2525


def test_user_and_password_are_percent_decoded() -> None:
    config = parse_smtp_url("SMTP://jane%40label.example:p%40ss%2Fw%3Ard%20x@[::1]:587")
    assert config.username == "jane@label.example"
    assert config.password == "p@ss/w:rd x"
    assert config.host == "::1"
    assert config.where == "[::1]:587"


def test_the_password_is_kept_out_of_repr_and_str() -> None:
    config = parse_smtp_url(f"smtp://sleeve:{SECRET}@mail.example:587")
    assert SECRET not in repr(config)
    assert SECRET not in str(config)
    assert SECRET not in config.where


@pytest.mark.parametrize(
    "url",
    [
        f"http://sleeve:{SECRET}@mail.example",
        f"smtp://sleeve:{SECRET}@mail.example:notaport",
        f"smtp://sleeve:{SECRET}@mail.example:70000",
        f"smtp://sleeve:{SECRET}@mail.example:0",
        f"smtp://sleeve:{SECRET}@",
        f"smtp://sleeve:{SECRET}@mail.example/path",
        f"smtp://sleeve:{SECRET}@mail.example?timeout=3",
        f"smtp://sleeve:{SECRET}@mail.example#x",
        f"smtp://:{SECRET}@mail.example",
        "smtp://sleeve@mail.example",
        f"smtp://sleeve:{SECRET}/x@mail.example",  # an unencoded "/" in the password
        f"smtp://sleeve:{SECRET}?x@mail.example",
        f"smtp://sleeve:{SECRET}#x@mail.example",
        f"smtp://sleeve:{SECRET}%0D%0A@mail.example",
        f"smtp://sleeve:{SECRET}%C3%A9@mail.example",  # non-ASCII: smtplib can't send it
        f"smtp://sleeve:{SECRET}%FF@mail.example",  # not UTF-8
        f"smtp://sleeve:{SECRET} x@mail.example",
        f"smtp://sleeve:{SECRET}\r\n@mail.example",
        f"smtp://sleeve:{SECRET}@[::1",
        f"smtp://sleeve:{SECRET}@mail example",
        "",
    ],
)
def test_errors_are_one_line_and_never_quote_the_password(url: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_smtp_url(url)
    message = str(raised.value)
    assert message
    assert "\n" not in message and "\r" not in message
    assert SECRET not in message
    assert "Tr0ub" not in message
    # No chained exception (urllib's quotes the text) would be printed with a traceback.
    error = raised.value
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Sleeve <sleeve@label.example>", "Sleeve <sleeve@label.example>"),
        ("sleeve@label.example", "sleeve@label.example"),
        (
            "  Night Records  Sleeve <sleeve@label.example> ",
            "Night Records Sleeve <sleeve@label.example>",
        ),
        (
            '"Sleeve, Night Records" <sleeve@label.example>',
            '"Sleeve, Night Records" <sleeve@label.example>',
        ),
        ("Süß Records <sleeve@label.example>", "Süß Records <sleeve@label.example>"),
    ],
)
def test_sender_forms(text: str, normalised: str) -> None:
    assert parse_sender(text) == normalised


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Sleeve",
        "Sleeve <sleeve@label.example",
        "sleeve@label.example, other@label.example",
        "Sleeve <sleeve@label.example>\r\nBcc: x@evil.test",
        "Sleeve <sleeve@label.example>\nBcc: x@evil.test",
        "Sleeve\r\n <sleeve@label.example>",
        "Team: a@label.example;",
        "<>",
        "@label.example",
        "sleeve@",
        "sleeve@@label.example",
        "sleeve@label..example",
    ],
)
def test_bad_senders_are_refused(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_sender(text)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "text",
    [
        "jane@example.com",
        "jane.doe+sleeve@mail.example.co.uk",
        "j@[127.0.0.1]",
        "jané@exämple.test",
    ],
)
def test_good_addresses(text: str) -> None:
    assert parse_address(text).addr_spec == text


@pytest.mark.parametrize(
    "text",
    [
        "jane",
        "jane@",
        "@example.com",
        "jane doe@example.com",
        "jane@example.com\r\nBcc: x@evil.test",
        "jane@example.com>",
        "<jane@example.com>",
        "jane..doe@example.com",
        ".jane@example.com",
        "jane@-example.com",
        "jane@example_com",
        'ja"ne@example.com',
        "jane@example.com,x@evil.test",
        "a" * 65 + "@example.com",
    ],
)
def test_bad_addresses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_address(text)


def test_a_config_built_in_code_is_checked_too() -> None:
    with pytest.raises(ValueError) as raised:
        SmtpConfig(host="mail.example", port=587, username=None, password=SECRET)
    assert SECRET not in str(raised.value)
    with pytest.raises(ValueError):
        SmtpConfig(host="mail.example", port=0)
    with pytest.raises(ValueError):
        SmtpConfig(host="", port=25)
    with pytest.raises(ValueError):
        SmtpConfig(host="mail.example", port=25, timeout=0)
