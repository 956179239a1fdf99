"""SLEEVE_PUBLIC_URL: an http(s) address, its trailing slash dropped."""

from __future__ import annotations

import pytest

from bot.core.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://sleeve.example.com", "https://sleeve.example.com"),
        ("https://sleeve.example.com/", "https://sleeve.example.com"),
        ("http://10.0.0.5:3000/sleeve//", "http://10.0.0.5:3000/sleeve"),
        ("  https://sleeve.example.com/ ", "https://sleeve.example.com"),
        ("", None),
    ],
)
def test_a_public_url_is_kept_without_its_trailing_slash(given: str, kept: str | None) -> None:
    assert load_settings(public_url=given).public_url == kept


def test_unset_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLEEVE_PUBLIC_URL", raising=False)
    assert load_settings().public_url is None
    monkeypatch.setenv("SLEEVE_PUBLIC_URL", "https://cal.example.org/")
    assert load_settings().public_url == "https://cal.example.org"


@pytest.mark.parametrize(
    "given",
    [
        "sleeve.example.com",
        "ftp://sleeve.example.com",
        "https://",
        "https://sleeve.example.com/?x=1",
        "https://sleeve.example.com/#top",
        "https://user:pass@sleeve.example.com",
    ],
)
def test_anything_else_is_refused_naming_the_setting(given: str) -> None:
    with pytest.raises(SettingsError, match=r"^SLEEVE_PUBLIC_URL: must be a"):
        load_settings(public_url=given)
