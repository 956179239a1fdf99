"""A PDF's streams measured before any PDF library reads it.

pdfminer and PDFium both inflate a stream whole: a content stream of 1 MB can inflate to
gigabytes. This pass reads the file in windows, finds every stream by its keyword (no
parser to fool: object streams and xref streams included), and inflates the ones a reader
decodes whole with a cap. Images are decoded row by row into their declared size, so an
image stream may inflate to that size but no further: more is a stream dressed as an
image (one drawn as page content is refused by ``pdf.read_pdf`` too).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import zlib
from dataclasses import dataclass
from io import BytesIO

from bot.proofs.preflight.findings import Limits

_WINDOW = 8 << 20
_CONTEXT = 4096  # a stream's dictionary is within this many bytes before `stream`
_CHUNK = 256 << 10
_RUNLENGTH_MAX_RATIO = 128
_MAX_BYTES_PER_PIXEL = 9  # 4 channels × 16 bits, and a little for predictor bytes
_EOF_TAIL = 1024  # %%EOF must be in the last kilobyte (as Acrobat has it)

_FILTER = re.compile(
    rb"/(FlateDecode|Fl|LZWDecode|LZW|RunLengthDecode|RL|ASCII85Decode|A85|ASCIIHexDecode|AHx)(?![A-Za-z0-9])"
)
_IMAGE = re.compile(rb"/Subtype\s*/Image(?![A-Za-z])")
_WIDTH = re.compile(rb"/Width\s+(\d{1,9})(?![\d.]|\s+\d+\s+R)")
_HEIGHT = re.compile(rb"/Height\s+(\d{1,9})(?![\d.]|\s+\d+\s+R)")
_EXPANDERS = {b"FlateDecode", b"Fl", b"LZWDecode", b"LZW", b"RunLengthDecode", b"RL"}
_TEXT_CODECS = {b"ASCII85Decode", b"A85", b"ASCIIHexDecode", b"AHx"}


class UnsafePdf(Exception):
    """The PDF can't be read within the limits; the message says why, for the thread."""


@dataclass(frozen=True)
class StreamCensus:
    streams: int
    inflated_bytes: int  # all non-image streams, inflated
    largest_image_px: int  # the most pixels an image stream declares


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.0f} MB"


def _stream_keywords(fd: int, size: int) -> list[tuple[bytes, int]]:
    """(dictionary bytes, offset of the data) of every ``stream`` keyword in the file."""
    found = []
    for start in range(0, size, _WINDOW):
        base = max(0, start - _CONTEXT)
        window = os.pread(fd, start + _WINDOW + 8 - base, base)
        at = window.find(b"stream", start - base)
        while at != -1 and at < start - base + _WINDOW:
            after = window[at + 6 : at + 8]
            if window[max(0, at - 3) : at] != b"end" and after[:1] in (b"\r", b"\n"):
                head = window[max(0, at - _CONTEXT) : at]
                opened = head.rfind(b"obj")
                eol = 2 if after == b"\r\n" else 1
                found.append((head[opened + 3 :] if opened != -1 else head, base + at + 6 + eol))
            at = window.find(b"stream", at + 6)
    return found


def _inflated(fd: int, offset: int, cap: int, first: bytes = b"") -> int:
    """How many bytes the zlib data at ``offset`` (or in ``first``) inflates to, stopping
    past ``cap``; never more than a chunk of it in memory."""
    inflater = zlib.decompressobj()
    total, pending, position = 0, first, offset
    try:
        while not inflater.eof and total <= cap:
            if not pending and not first:
                pending = os.pread(fd, _CHUNK, position)
                position += len(pending)
            out = inflater.decompress(pending, _CHUNK)  # at most a chunk out per call
            total += len(out)
            if not out and not pending:
                break  # no input left and nothing more comes out
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # damaged or encrypted: a reader gets no more from it than this
    return total


def _lzw_inflated(data: bytes, cap: int) -> int:
    from pdfminer.lzw import LZWDecoder  # pdfplumber's reader; decodes code by code

    total = 0
    try:
        for piece in LZWDecoder(BytesIO(data)).run():
            total += len(piece)
            if total > cap:
                break
    except Exception:  # damaged data ends the stream, as it does for the reader
        pass
    return total


def _raw(fd: int, offset: int, cap: int) -> bytes:
    """The stream's bytes up to ``endstream``, reading at most ``cap``, a chunk at a time."""
    data = bytearray()
    while len(data) < cap:
        piece = os.pread(fd, min(_CHUNK, cap - len(data)), offset + len(data))
        if not piece:
            break
        start = max(0, len(data) - 8)  # the keyword may straddle two chunks
        data += piece
        end = data.find(b"endstream", start)
        if end != -1:
            return bytes(data[:end])
    return bytes(data)


def _decoded(text_codecs: list[bytes], data: bytes) -> bytes:
    for codec in text_codecs:
        if codec in (b"ASCII85Decode", b"A85"):
            data = base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False)
        else:
            digits = re.sub(rb"\s", b"", data).removesuffix(b">")
            data = binascii.unhexlify(digits + b"0" * (len(digits) % 2))  # odd: a final 0
    return data


def _measure(fd: int, head: bytes, offset: int, cap: int) -> int:
    """Bytes this stream inflates to (stopping past ``cap``), or UnsafePdf."""
    filters = _FILTER.findall(head)
    expanders = [f for f in filters if f in _EXPANDERS]
    if len(expanders) > 1:
        raise UnsafePdf("a stream in it is compressed twice over; Sleeve can't check it safely")
    text = [f for f in filters if f in _TEXT_CODECS]
    if text:  # text encodings only shrink; decode them to measure what is under them
        try:
            data = _decoded(text, _raw(fd, offset, cap))
        except (ValueError, binascii.Error):
            return 0
        if not expanders:
            return len(data)
    else:
        data = b""
    kind = expanders[0] if expanders else None
    if kind in (b"LZWDecode", b"LZW"):
        return _lzw_inflated(data or _raw(fd, offset, cap), cap)
    if kind in (b"RunLengthDecode", b"RL"):
        return len(data or _raw(fd, offset, cap)) * _RUNLENGTH_MAX_RATIO
    if kind is None and not data and not _flate(head, fd, offset):
        return 0  # no filter we can see, and not zlib data: read as it is
    return _inflated(fd, offset, cap, data)


def _flate(head: bytes, fd: int, offset: int) -> bool:
    """Flate alone, or data that starts as zlib does (the filter may be out of sight)."""
    filters = _FILTER.findall(head)
    if filters:
        return filters == [b"FlateDecode"] or filters == [b"Fl"]
    probe = os.pread(fd, 2, offset)
    return len(probe) == 2 and probe[0] & 0x0F == 8 and int.from_bytes(probe, "big") % 31 == 0


def _declared_pixels(head: bytes) -> int:
    width, height = _WIDTH.search(head), _HEIGHT.search(head)
    return int(width.group(1)) * int(height.group(1)) if width and height else 0


def _image_cap(pixels: int, limits: Limits) -> int:
    """The most an image stream of ``pixels`` can hold: 4 channels of 16 bits and a
    predictor byte a row. A stream dressed as an image inflates past it."""
    return min(pixels, limits.max_placed_pixels) * _MAX_BYTES_PER_PIXEL + (1 << 20)


def census(path: str, limits: Limits) -> StreamCensus:
    """Measure the PDF's streams; UnsafePdf when one is beyond the limits."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        tail = os.pread(fd, _EOF_TAIL, max(0, size - _EOF_TAIL))
        if b"%%EOF" not in tail:
            raise UnsafePdf("the PDF is incomplete (cut off before its end); upload it again")
        streams = _stream_keywords(fd, size)
        total = largest = 0
        for head, offset in streams:
            if _IMAGE.search(head):
                pixels = _declared_pixels(head)
                largest = max(largest, pixels)
                cap = max(limits.max_stream_bytes, _image_cap(pixels, limits))
                if _flate(head, fd, offset) and _inflated(fd, offset, cap) > cap:
                    raise UnsafePdf(
                        "an image in it inflates beyond the size it declares; Sleeve can't "
                        "check it safely"
                    )
                continue  # readers decode images row by row into their declared size
            inflated = _measure(fd, head, offset, limits.max_stream_bytes)
            if inflated > limits.max_stream_bytes:
                raise UnsafePdf(
                    f"a stream in it inflates to over {_mb(limits.max_stream_bytes)}; "
                    "Sleeve can't check it safely"
                )
            total += inflated
            if total > limits.max_streams_bytes:
                raise UnsafePdf(
                    f"its streams inflate to over {_mb(limits.max_streams_bytes)}; "
                    "Sleeve can't check it safely"
                )
        return StreamCensus(len(streams), total, largest)
    finally:
        os.close(fd)
