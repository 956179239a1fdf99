"""Fetching a proof's bytes from Slack: bounded, from Slack's file host only, and checked
to be the file rather than a sign-in page.

The bot token goes only to an allowed host, as a header that is never forwarded on a
redirect; anything else fails with a reason a coordinator can act on.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

MAX_BYTES = 200 * 1024 * 1024
CONNECT_TIMEOUT_S = 30  # per socket operation
TOTAL_TIMEOUT_S = 180  # the whole download
SLACK_FILE_HOSTS = ("files.slack.com",)
_CHUNK = 1 << 20


class DownloadError(Exception):
    """Why the file could not be fetched, in words for the thread."""


@dataclass(frozen=True)
class Downloaded:
    path: Path
    size: int
    sha256: str


def allowed_hosts(api_url: str | None) -> tuple[str, ...]:
    """Slack's file host, and the Web API's host when one is configured (a proxy, a test)."""
    extra = urlsplit(api_url).hostname if api_url else None
    return SLACK_FILE_HOSTS + ((extra,) if extra else ())


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        raise DownloadError(
            "Slack sent a redirect instead of the file; the bot may not see it (is Sleeve in "
            "the channel, with the files:read scope?)."
        )


def _check_url(url: str, hosts: tuple[str, ...]) -> None:
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost") and parts.scheme == "http"
    if parts.hostname not in hosts or not (parts.scheme == "https" or local):
        raise DownloadError(f"the file's address is not on Slack's file host ({parts.hostname}).")


def download(
    url: str,
    token: str,
    into: IO[bytes],
    *,
    hosts: tuple[str, ...],
    limit: int = MAX_BYTES,
    expected_size: int | None = None,
) -> tuple[int, str]:
    """Write the file at ``url`` into ``into``; its size and sha256. Raises DownloadError."""
    _check_url(url, hosts)
    if expected_size is not None and expected_size > limit:
        raise DownloadError(
            f"it is {_mb(expected_size)}; preflight takes files up to {_mb(limit)}."
        )
    request = urllib.request.Request(url, method="GET")
    request.add_unredirected_header("Authorization", f"Bearer {token}")
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=CONNECT_TIMEOUT_S) as response:
            kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind == "text/html":
                raise DownloadError(
                    "Slack answered with a sign-in page instead of the file; Sleeve needs the "
                    "files:read scope and to be in the channel."
                )
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > limit:
                raise DownloadError(
                    f"it is {_mb(declared)}; preflight takes files up to {_mb(limit)}."
                )
            return _copy(response, into, limit)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"Slack answered HTTP {exc.code} for the file.") from None
    except OSError as exc:  # URLError, timeouts and resets are all OSErrors
        raise DownloadError(f"the download failed ({type(exc).__name__}).") from None


def _copy(response: IO[bytes], into: IO[bytes], limit: int) -> tuple[int, str]:
    digest, size, deadline = hashlib.sha256(), 0, time.monotonic() + TOTAL_TIMEOUT_S
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise DownloadError(f"it is over {_mb(limit)}; preflight takes files up to that.")
        if time.monotonic() > deadline:
            raise DownloadError(f"the download took over {TOTAL_TIMEOUT_S} s.")
        digest.update(chunk)
        into.write(chunk)
    return size, digest.hexdigest()


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
