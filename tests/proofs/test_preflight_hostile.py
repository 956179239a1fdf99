"""Preflight of files that are broken, hostile or not art: a reason, never an exception."""

from __future__ import annotations

import base64
import os
import random
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.devtools import artwork
from bot.proofs.preflight import Limits, preflight_file
from bot.proofs.preflight import engine as engine_module
from tests.proofs.preflight_support import SMALL_PRINT, SMALL_PX, check, spec, statuses

ROOT = Path(__file__).resolve().parents[2]


def _refused(path: Path, name: str, **options: object):  # type: ignore[no-untyped-def]
    found = preflight_file(path, name, SMALL_PRINT, **options)  # type: ignore[arg-type]
    assert not found.checked and found.status == "not checked", found
    assert found.checks == () and found.reason
    return found


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    found = _refused(artwork.png_bomb(tmp_path / "bomb.png"), "bomb.png")
    assert found.file_kind == "png" and found.preview_png is None
    assert found.reason == "the image declares 900 MP; Sleeve checks images up to 120 MP"


def test_a_raster_over_the_pixel_limit_is_refused(tmp_path: Path) -> None:
    path = artwork.raster(tmp_path / "art.tif", (SMALL_PX, SMALL_PX))
    found = _refused(path, "art.tif", limits=Limits(max_raster_pixels=100_000))
    assert "Sleeve checks images up to 0 MP" in (found.reason or "")


@pytest.mark.parametrize(
    ("fmt", "name"), [("PNG", "art.png"), ("JPEG", "art.jpg"), ("TIFF", "art.tif")]
)
def test_a_truncated_image_is_not_checked(tmp_path: Path, fmt: str, name: str) -> None:
    whole = artwork.raster(tmp_path / f"whole-{name}", (SMALL_PX, SMALL_PX), mode="RGB", fmt=fmt)
    cut = artwork.truncated(whole, tmp_path / name, keep=0.4)
    found = _refused(cut, name)
    assert "damaged or cut short" in (found.reason or "") or "can't be read" in (found.reason or "")


def test_a_pdf_cut_short_is_not_checked(tmp_path: Path) -> None:
    found = _refused(artwork.broken_pdf(tmp_path / "broken.pdf"), "broken.pdf")
    assert found.file_kind == "pdf"
    assert found.reason == "the PDF is incomplete (cut off before its end); upload it again"


def test_a_pdf_of_garbage_is_not_checked(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(5000) + b"\n%%EOF\n")
    assert "can't be opened" in (_refused(path, "junk.pdf").reason or "")


def test_a_stream_inflating_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = artwork.flate_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=80)
    found = _refused(path, "bomb.pdf")
    assert found.reason == "a stream in it inflates to over 64 MB; Sleeve can't check it safely"


def test_a_stream_compressed_twice_is_refused(tmp_path: Path) -> None:
    twice = zlib.compress(zlib.compress(b"0 0 m 1 1 l S\n" * 100))
    path = artwork.raw_pdf(
        tmp_path / "twice.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 100 100] >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
            b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(twice)
            + twice
            + b"\nendstream",
        ],
    )
    assert "compressed twice" in (_refused(path, "twice.pdf").reason or "")


def test_a_page_tree_claiming_millions_of_pages_is_counted_not_believed(tmp_path: Path) -> None:
    path = artwork.many_pages_pdf(tmp_path / "many.pdf", claimed=10_000_000)
    assert preflight_file(path, "many.pdf", SMALL_PRINT).pages == 5
    found = _refused(path, "many.pdf", limits=Limits(max_pdf_pages=4))
    assert found.reason == "the PDF has 5 pages; Sleeve checks up to 4"


def test_an_image_declaring_too_many_pixels_fails_and_is_not_drawn(tmp_path: Path) -> None:
    path = artwork.huge_image_pdf(tmp_path / "huge.pdf", side_px=20_000)
    found = preflight_file(path, "huge.pdf", SMALL_PRINT)
    assert check(found, "images") == ("fail", "20000 × 20000 px (p. 1)", "images up to 120 MP")
    assert found.preview_png is None
    assert "no preview: the first page's images are too large to render safely" in found.notes


@pytest.mark.parametrize("password", [None, "secret"])
def test_a_protected_pdf_is_not_checked(tmp_path: Path, password: str | None) -> None:
    path = artwork.protected_pdf(tmp_path / "locked.pdf", user_password=password)
    found = _refused(path, "locked.pdf")
    assert found.reason == "the PDF is protected (encrypted); export it without security"


@pytest.mark.parametrize("ext", ["ai", "indd", "eps", "svg", "afdesign"])
def test_design_files_ask_for_a_pdf(tmp_path: Path, ext: str) -> None:
    path = artwork.illustrator_file(tmp_path / f"cover.{ext}")  # a PDF inside, like .ai
    found = _refused(path, f"Cover.{ext.upper()}")
    assert (found.file_kind, found.reason) == (ext, f"can't preflight .{ext} — export a PDF")


def test_a_photoshop_big_file_asks_for_a_flat_export(tmp_path: Path) -> None:
    path = tmp_path / "art.psb"
    path.write_bytes(b"8BPS\x00\x02" + bytes(100))
    assert _refused(path, "art.psb").reason == "can't preflight .psb — save a flat TIFF or a PDF"


def test_an_unknown_file_type_is_not_checked(tmp_path: Path) -> None:
    found = _refused(artwork.unknown_file(tmp_path / "notes.xyz"), "notes.xyz")
    assert found.file_kind == "xyz"
    assert found.reason == "can't preflight .xyz: Sleeve reads PDF, TIFF, PNG, JPEG and PSD files"


def test_an_empty_or_missing_file_is_not_checked(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert _refused(tmp_path / "empty.pdf", "empty.pdf").reason == "the file is empty"
    assert "can't be opened" in (_refused(tmp_path / "gone.pdf", "gone.pdf").reason or "")
    os.mkfifo(tmp_path / "pipe.pdf")
    assert _refused(tmp_path / "pipe.pdf", "pipe.pdf").reason == "it is not a file"


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = artwork.big_file(tmp_path / "huge.pdf", 300 * 2**20)  # sparse: no disk used
    found = _refused(path, "huge.pdf")
    assert found.reason == "the file is 300 MB; Sleeve checks files up to 256 MB"


def test_a_reader_failing_is_a_reason_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(_path: str) -> None:
        raise RecursionError("deep")

    monkeypatch.setattr(engine_module, "read_pdf", explode)
    path = artwork.print_pdf(tmp_path / "art.pdf", trim_mm=(30, 30), image_ppi=None)
    found = _refused(path, "art.pdf")
    assert found.reason == "the PDF can't be read (deep)"
    monkeypatch.setattr(engine_module, "_pdf", explode)
    found = preflight_file(path, "art.pdf", SMALL_PRINT)
    assert found.reason == "the file couldn't be read: the reader failed on it"
    assert "preflight of 'art.pdf' failed" in caplog.text


def _mutants(data: bytes, count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        mutant = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            at = rng.randrange(len(mutant))
            mutant[at : at + rng.randint(1, 8)] = rng.randbytes(rng.randint(0, 8))
        found.append(bytes(mutant))
    return found


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow narrates bad TIFF tags
@pytest.mark.parametrize("kind", ["pdf", "png", "tif", "jpg"])
def test_damaged_copies_of_good_files_never_raise(
    tmp_path: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    if kind == "pdf":
        good = artwork.print_pdf(tmp_path / "good.pdf", trim_mm=(20, 20), image_ppi=72)
    else:
        fmt = {"png": "PNG", "tif": "TIFF", "jpg": "JPEG"}[kind]
        good = artwork.raster(tmp_path / f"good.{kind}", (64, 64), mode="RGB", fmt=fmt)
    for index, mutant in enumerate(_mutants(good.read_bytes(), 30, seed=len(kind))):
        path = tmp_path / f"mutant-{index}.{kind}"
        path.write_bytes(mutant)
        found = preflight_file(path, path.name, SMALL_PRINT)
        assert found.status in ("pass", "warn", "fail", "not checked")
        assert found.checked or found.reason
    # Each failure was met where it happens, with its reason, not by the last-resort net.
    assert "preflight of" not in caplog.text


def test_preflights_in_threads_agree(tmp_path: Path) -> None:
    path = artwork.print_pdf(tmp_path / "art.pdf", pages=2, trim_mm=(30, 30), image_ppi=120)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: preflight_file(path, "art.pdf", SMALL_PRINT), range(8)))
    assert len({(r.status, r.checks, r.preview_png) for r in results}) == 1
    assert statuses(results[0])["resolution"] == "fail"


def test_the_engine_is_a_pure_library() -> None:
    code = (
        "import sys, bot.proofs.preflight as p; p.load_print_specs();"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('slack_sdk', 'slack_bolt', 'sqlalchemy')"
        " or (m.startswith('bot.') and not m.startswith(('bot.core', 'bot.domain', 'bot.proofs')))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_store_spec_refuses_nothing_it_can_read(tmp_path: Path) -> None:
    # A store cover as a 1-page PDF is read and judged, not refused.
    path = artwork.print_pdf(tmp_path / "c.pdf", trim_mm=(20, 20), image_ppi=None, fonts="none")
    assert preflight_file(path, "c.pdf", spec("cover", "digital")).checked


def test_an_image_stream_inflating_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(bytes(1 << 20)) for _ in range(80)) + packer.flush()
    path = artwork.raw_pdf(
        tmp_path / "dressed.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 100 100] >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
            b"<< /Subtype /Image /Width 10 /Height 10 /Filter /FlateDecode /Length %d >>"
            b"\nstream\n" % len(pixels) + pixels + b"\nendstream",
        ],
    )
    assert "inflates beyond the size it declares" in (_refused(path, "d.pdf").reason or "")


def test_an_image_stream_drawn_as_page_content_is_refused(tmp_path: Path) -> None:
    content = zlib.compress(b"0 0 m 100 100 l S\n")
    path = artwork.raw_pdf(
        tmp_path / "dressed.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 100 100] >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
            b"<< /Subtype /Image /Width 9000 /Height 9000 /Filter /FlateDecode /Length %d >>"
            b"\nstream\n" % len(content) + content + b"\nendstream",
        ],
    )
    assert (
        _refused(path, "d.pdf").reason
        == "page 1's content is an image stream; Sleeve can't check it"
    )


@pytest.mark.parametrize("codec", ["ASCII85Decode", "ASCIIHexDecode"])
def test_a_bomb_under_a_text_encoding_is_refused(tmp_path: Path, codec: str) -> None:
    packer = zlib.compressobj(9)
    bomb = b"".join(packer.compress(b" " * (1 << 20)) for _ in range(80)) + packer.flush()
    text = (
        base64.a85encode(bomb) + b"~>" if codec == "ASCII85Decode" else bomb.hex().encode() + b">"
    )
    path = artwork.raw_pdf(
        tmp_path / "encoded.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 100 100] >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
            b"<< /Filter [/%s /FlateDecode] /Length %d >>\nstream\n" % (codec.encode(), len(text))
            + text
            + b"\nendstream",
        ],
    )
    assert "inflates to over 64 MB" in (_refused(path, "e.pdf").reason or "")
