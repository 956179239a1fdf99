"""What a file is, from its first bytes; what it is called only decides the refusals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

READABLE = ("pdf", "tiff", "png", "jpeg", "psd")
_HEAD_BYTES = 1024  # a PDF header may sit anywhere in the first kilobyte

# Design files: they may carry a PDF inside (.ai does) but what prints is the export.
_EXPORT_A_PDF = frozenset(
    [
        "ai",
        "indd",
        "idml",
        "eps",
        "ps",
        "svg",
        "svgz",
        "afdesign",
        "afpub",
        "sketch",
        "fig",
        "xd",
        "cdr",
        "qxp",
        "pub",
        "pages",
        "key",
        "doc",
        "docx",
        "ppt",
        "pptx",
        "odt",
        "odg",
    ]
)
_FLATTEN = frozenset(["psb", "afphoto", "xcf", "kra", "procreate"])
_NAMES = {"jpg": "jpeg", "jpe": "jpeg", "jpeg": "jpeg", "tif": "tiff", "tiff": "tiff"}


@dataclass(frozen=True)
class Sniffed:
    kind: str  # one of READABLE, or the extension (or "unknown") when refused
    refusal: str | None  # why it can't be preflighted
    misnamed: str | None  # "a PNG named .jpg" when the name says otherwise


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _magic(head: bytes) -> str | None:
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "tiff"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"8BPS\x00\x01"):
        return "psd"
    if head.startswith(b"8BPS\x00\x02"):
        return "psb"
    if b"%PDF-" in head:
        return "pdf"
    return None


def sniff(head: bytes, name: str) -> Sniffed:
    """The file's type from ``head`` (its first bytes) and the name it was shared as."""
    ext = extension(name)
    shown = f".{ext}" if ext else "this file"
    if ext in _EXPORT_A_PDF:
        return Sniffed(ext, f"can't preflight {shown} — export a PDF", None)
    found = _magic(head[:_HEAD_BYTES])
    if ext in _FLATTEN or found == "psb":
        return Sniffed(ext or "psb", f"can't preflight {shown} — save a flat TIFF or a PDF", None)
    if found is None:
        return Sniffed(
            ext or "unknown",
            f"can't preflight {shown}: Sleeve reads PDF, TIFF, PNG, JPEG and PSD files",
            None,
        )
    named = _NAMES.get(ext, ext)
    misnamed = None
    if ext and named != found:
        misnamed = f"the file is a {found.upper()} though its name ends in .{ext}"
    return Sniffed(found, None, misnamed)
